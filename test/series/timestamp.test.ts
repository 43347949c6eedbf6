import { describe, expect, it } from 'vitest';
import { formatIso, parseTimestamp } from '../../src/internal.js';

describe('parseTimestamp', () => {
  const ok: Array<[string | number, number, string]> = [
    ['2024-01-03T01:00:00Z', Date.UTC(2024, 0, 3, 1), 'datetime-zoned'],
    ['2024-01-03T01:00:00.250Z', Date.UTC(2024, 0, 3, 1, 0, 0, 250), 'datetime-zoned'],
    ['2024-01-03T02:30:00+01:30', Date.UTC(2024, 0, 3, 1), 'datetime-zoned'],
    ['2024-01-02T20:00:00-0500', Date.UTC(2024, 0, 3, 1), 'datetime-zoned'],
    ['2024-01-03T03:00+02', Date.UTC(2024, 0, 3, 1), 'datetime-zoned'],
    ['2024-01-03 01:00:00', Date.UTC(2024, 0, 3, 1), 'datetime-local'],
    ['2024-01-03T01:00', Date.UTC(2024, 0, 3, 1), 'datetime-local'],
    ['2024-01-02T24:00:00Z', Date.UTC(2024, 0, 3), 'datetime-zoned'],
    ['2024-02-29', Date.UTC(2024, 1, 29), 'date'],
    ['1704243600', Date.UTC(2024, 0, 3, 1), 'epoch-seconds'],
    [1704243600.5, Date.UTC(2024, 0, 3, 1, 0, 0, 500), 'epoch-seconds'],
    ['1704243600000', Date.UTC(2024, 0, 3, 1), 'epoch-milliseconds'],
  ];
  for (const [text, ms, kind] of ok) {
    it(`reads ${JSON.stringify(text)}`, () => expect(parseTimestamp(text)).toEqual({ ok: true, ms, kind }));
  }

  const bad: Array<[string, string]> = [
    ['2023-02-29', 'timestamp "2023-02-29" is not a valid date'],
    ['2024-13-01', 'timestamp "2024-13-01" is not a valid date'],
    ['2024-01-01T25:00Z', 'timestamp "2024-01-01T25:00Z" is not a valid time of day'],
    ['2024-01-01T00:00+25:00', 'timestamp "2024-01-01T00:00+25:00" has an invalid time zone offset +25:00'],
    ['03/01/2024', 'timestamp "03/01/2024" is not ISO 8601 (2024-01-03T01:00:00Z), a date or epoch seconds/milliseconds'],
    ['', 'timestamp is empty'],
    [
      '50000000000',
      'timestamp 50000000000 is ambiguous: as epoch seconds it is 3554-06-09T16:53:20Z, as epoch milliseconds 1971-08-02T16:53:20Z; ' +
        'write ISO 8601 (2024-01-03T01:00:00Z) or epoch seconds/milliseconds between 1973 and 2286',
    ],
  ];
  for (const [text, problem] of bad) {
    it(`rejects ${JSON.stringify(text)}`, () => expect(parseTimestamp(text)).toEqual({ ok: false, problem }));
  }

  it('formats ISO 8601 without zero milliseconds', () => {
    expect(formatIso(Date.UTC(2024, 0, 3, 1))).toBe('2024-01-03T01:00:00Z');
    expect(formatIso(Date.UTC(2024, 0, 3, 1, 0, 0, 5))).toBe('2024-01-03T01:00:00.005Z');
  });
});
