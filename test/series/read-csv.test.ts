import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HeadroomError, parseCsvText, readCsvFile, readHistory } from '../../src/internal.js';
import { csvTable } from '../../src/series/read-csv.js';

const FIX = fileURLToPath(new URL('../fixtures/series/', import.meta.url));
const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

/** Read a fixture as the user would name it (relative to the fixture folder), so messages start with its name. */
const read = (name: string, options: Parameters<typeof readHistory>[1] = {}) => readHistory(name, { cwd: FIX, ...options });

async function failure(p: Promise<unknown>): Promise<{ code: string; exitCode: number; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof HeadroomError) return { code: e.code, exitCode: e.exitCode, message: e.message };
    throw e;
  }
  throw new Error('expected a HeadroomError');
}

describe('readHistory: CSV', () => {
  it('reads a clean hourly file and fills a 2-point gap by linear interpolation', async () => {
    const { series, repairs } = await read('hourly-gap.csv');
    expect(series.name).toBe('requests');
    expect(series.source).toBe('hourly-gap.csv');
    expect(series.stepMs).toBe(H);
    expect(Array.from(series.t)).toEqual(Array.from({ length: 10 }, (_, i) => T0 + i * H));
    // values were 10·(i+1) with hours 3 and 4 missing: the straight line between 30 and 60 gives 40 and 50
    expect(Array.from(series.v)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(repairs).toEqual({ filledGaps: [{ startMs: T0 + 3 * H, points: 2 }], duplicatesDropped: 0, resampled: false, notes: ['2 of 10 points (20.0%) are interpolated, not measured'] });
  });

  it('drops exact duplicate rows and counts them', async () => {
    const { series, repairs } = await read('dup-exact.csv');
    expect(Array.from(series.v)).toEqual([5, 6, 7, 8]);
    expect(repairs.duplicatesDropped).toBe(1);
  });

  it('reads a file sorted newest first in reverse, and says so', async () => {
    const { series, repairs } = await read('newest-first.csv');
    expect(Array.from(series.t)).toEqual([1, 2, 3, 4].map((h) => T0 + h * H));
    expect(Array.from(series.v)).toEqual([5, 6, 7, 8]);
    expect(repairs.duplicatesDropped).toBe(1);
    expect(repairs.notes).toEqual(['rows were newest first and were read in reverse']);
  });

  it('reads epoch seconds without a header at a 5-minute step', async () => {
    const { series } = await read('epoch-seconds-noheader.csv');
    expect(series.name).toBe('value');
    expect(series.stepMs).toBe(300_000);
    expect(series.t[0]).toBe(T0);
    expect(Array.from(series.v)).toEqual([1.5, 2.5, 3.5, 4.5, 5.5, 6.5]);
  });

  it('reads epoch milliseconds with a "ts" column at a 1-minute step', async () => {
    const { series } = await read('epoch-ms.csv');
    expect(series.name).toBe('cpu');
    expect(series.stepMs).toBe(60_000);
    expect(series.t[4]).toBe(T0 + 4 * 60_000);
  });

  it('reads dates, semicolons, a byte-order mark, comment and blank lines; daily step across Feb 29', async () => {
    const { series } = await read('daily-semicolon.csv');
    expect(series.name).toBe('visits');
    expect(series.stepMs).toBe(86_400_000);
    expect(Array.from(series.t)).toEqual([Date.UTC(2024, 1, 27), Date.UTC(2024, 1, 28), Date.UTC(2024, 1, 29), Date.UTC(2024, 2, 1)]);
    expect(Array.from(series.v)).toEqual([100, 110, 120, 130]);
  });

  it('reads date-times without a zone as UTC and says so', async () => {
    const { series, repairs } = await read('no-zone.csv');
    expect(series.t[1]).toBe(T0 + H);
    expect(repairs.notes).toEqual(['timestamps without a time zone were read as UTC']);
  });

  it('reads month-end data as a calendar-monthly series', async () => {
    const { series, repairs } = await read('monthly-end.csv');
    expect(series.stepMonths).toBe(1);
    expect(series.stepMs).toBeCloseTo(30.436875 * 86_400_000, 0);
    expect(repairs.resampled).toBe(false);
    expect(Array.from(series.t)).toEqual([
      Date.UTC(2023, 10, 30), Date.UTC(2023, 11, 31), Date.UTC(2024, 0, 31), Date.UTC(2024, 1, 29), Date.UTC(2024, 2, 31),
    ]);
  });

  it('resamples jittered scrapes onto the 5-minute grid, averaging two samples that share a point', async () => {
    const { series, repairs } = await read('jittered.csv');
    expect(series.stepMs).toBe(300_000);
    expect(repairs.resampled).toBe(true);
    expect(Array.from(series.t)).toEqual([0, 1, 2, 3, 4, 5].map((k) => T0 + k * 300_000));
    // 00:15:04 (4) and 00:16:00 (6) both round to 00:15
    expect(Array.from(series.v)).toEqual([1, 2, 3, 5, 5, 6]);
  });

  it('picks a column by name among several numeric columns', async () => {
    const { series } = await read('two-columns.csv', { column: 'errors' });
    expect(series.name).toBe('errors');
    expect(Array.from(series.v)).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('reads quoted cells (through csv-parse)', async () => {
    const { series } = await read('quoted.csv');
    expect(series.name).toBe('requests, total');
    expect(Array.from(series.v)).toEqual([5, 6, 7]);
  });

  it('the quote-free fast path gives the same table (and the same errors) as csv-parse on every fixture', () => {
    const files = readdirSync(FIX).filter((f) => f.endsWith('.csv') && !readFileSync(FIX + f, 'utf8').includes('"'));
    expect(files.length).toBeGreaterThan(15);
    for (const f of files) {
      const text = readFileSync(FIX + f, 'utf8');
      const viaParse = (): unknown => csvTable(text, f, 'csv-parse');
      const viaSplit = (): unknown => csvTable(text, f, 'split');
      let expected: unknown;
      try {
        expected = viaParse();
      } catch (e) {
        expect(viaSplit, f).toThrow((e as Error).message);
        continue;
      }
      expect(viaSplit(), f).toEqual(expected);
    }
  });

  it('finds the timestamp column by name ("Event Time (UTC)") or, failing that, by its first value', () => {
    const byName = parseCsvText('host,Event Time (UTC),requests\nweb-1,2024-01-01T00:00Z,1\nweb-1,2024-01-01T01:00Z,2\nweb-1,2024-01-01T02:00Z,3\n', 'n.csv');
    expect(byName.series.name).toBe('requests');
    expect(byName.series.t[2]).toBe(T0 + 2 * H);
    const byValue = parseCsvText('requests,at\n1,1704067200\n2,1704070800\n3,1704074400\n', 'v.csv');
    expect(byValue.series.name).toBe('requests');
    expect(Array.from(byValue.series.t)).toEqual([T0, T0 + H, T0 + 2 * H]);
  });

  it('readCsvFile reads CSV whatever the name ends in', async () => {
    const { series } = await readCsvFile('hourly-gap.csv', { cwd: FIX });
    expect(series.v.length).toBe(10);
  });
});

describe('readHistory: what cannot be repaired (exact messages, exit code 2)', () => {
  const cases: Array<[string, Record<string, string>, string, string]> = [
    ['unsorted.csv', {}, 'SERIES_INVALID', "unsorted.csv:14: timestamp 2024-01-03T01:00:00Z is earlier than the previous row's 2024-01-03T02:00:00Z"],
    ['dup-conflict.csv', {}, 'SERIES_INVALID', 'dup-conflict.csv:4: timestamp 2024-01-01T01:00:00Z appears twice with different values: 6 on line 3, 6.5 here'],
    ['non-numeric.csv', {}, 'SERIES_INVALID', 'non-numeric.csv:4: value "12;5" in column requests is not a number'],
    ['two-columns.csv', {}, 'INPUT_INVALID', 'two-columns.csv: 2 numeric columns (requests, errors); choose one with --column'],
    ['two-columns.csv', { column: 'latency' }, 'INPUT_INVALID', 'two-columns.csv: no column "latency"; the columns are time, host, requests, errors'],
    ['two-columns.csv', { column: 'time' }, 'INPUT_INVALID', 'two-columns.csv: column "time" holds the timestamps; choose a value column'],
    ['empty.csv', {}, 'INPUT_INVALID', 'empty.csv: the file is empty'],
    ['header-only.csv', {}, 'INPUT_INVALID', 'header-only.csv: no data rows after the header'],
    ['missing.csv', {}, 'FILE_NOT_FOUND', 'missing.csv: file not found'],
    ['too-short.csv', {}, 'SERIES_TOO_SHORT', 'too-short.csv: 2 data points; at least 3 are needed'],
    [
      'ambiguous-epoch.csv',
      {},
      'INPUT_INVALID',
      'ambiguous-epoch.csv:2: timestamp 20240101 is ambiguous: as epoch seconds it is 1970-08-23T06:15:01Z, as epoch milliseconds ' +
        '1970-01-01T05:37:20.101Z; write ISO 8601 (2024-01-03T01:00:00Z) or epoch seconds/milliseconds between 1973 and 2286',
    ],
    [
      'mixed-formats.csv',
      {},
      'INPUT_INVALID',
      'mixed-formats.csv:4: timestamp 2024-01-01 is a date without a time, but line 2 has an ISO 8601 date-time with a time zone; use one format for every row',
    ],
    ['bad-date.csv', {}, 'INPUT_INVALID', 'bad-date.csv:3: timestamp "2024-02-30T00:00:00Z" is not a valid date'],
    ['ragged.csv', {}, 'INPUT_INVALID', 'ragged.csv:4: malformed CSV: Invalid Record Length: expect 2, got 3'],
    ['unclosed-quote.csv', {}, 'INPUT_INVALID', 'unclosed-quote.csv:3: malformed CSV: a quote opened on this line is never closed'],
    [
      'long-gap.csv',
      {},
      'SERIES_GAP',
      'long-gap.csv:22: 5 missing steps of 1h between 2024-01-01T19:00:00Z and 2024-01-02T01:00:00Z; at most 3 can be filled by interpolation',
    ],
  ];
  for (const [file, opts, code, message] of cases) {
    it(`${file}${opts.column ? ` --column ${opts.column}` : ''}: ${code}`, async () => {
      expect(await failure(read(file, opts))).toEqual({ code, exitCode: 2, message });
    });
  }

  it('a directory is not a history file', async () => {
    expect((await failure(readHistory('.', { cwd: FIX, source: 'fixtures' }))).message).toBe('fixtures: is a directory, expected a CSV or JSON file');
  });

  it('a longer gap is filled when maxGapPoints allows it, and kept as NaN with longGaps: keep', async () => {
    const filled = await read('long-gap.csv', { maxGapPoints: 5 });
    expect(Array.from(filled.series.v)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(filled.repairs.filledGaps).toEqual([{ startMs: T0 + 20 * H, points: 5 }]);
    const kept = await read('long-gap.csv', { longGaps: 'keep' });
    expect(kept.series.v.slice(20, 25).every(Number.isNaN)).toBe(true);
    expect(kept.repairs.notes).toEqual(['1 gap longer than 3 steps left unfilled (5 points)']);
  });
});
