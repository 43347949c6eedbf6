import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HeadroomError, parseJsonText, readHistory, readJsonFile } from '../../src/internal.js';

const FIX = fileURLToPath(new URL('../fixtures/series/', import.meta.url));
const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

function failure(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof HeadroomError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a HeadroomError');
}

describe('readHistory: JSON', () => {
  it('reads an array of {timestamp, value} and fills a null as a one-point gap', async () => {
    const { series, repairs } = await readHistory('history.json', { cwd: FIX });
    expect(series.name).toBe('value');
    expect(series.stepMs).toBe(H);
    expect(Array.from(series.t)).toEqual([0, 1, 2, 3, 4].map((k) => T0 + k * H));
    expect(Array.from(series.v)).toEqual([1, 2, 3, 4, 5]);
    expect(repairs.filledGaps).toEqual([{ startMs: T0 + 2 * H, points: 1 }]);
  });

  it('reads epoch seconds and chooses a key like a CSV column', () => {
    const text = JSON.stringify([0, 1, 2, 3].map((k) => ({ ts: 1704067200 + 60 * k, cpu: 0.5 + k, mem: 2 })));
    const { series } = parseJsonText(text, 'm.json', { column: 'cpu' });
    expect(series.name).toBe('cpu');
    expect(series.stepMs).toBe(60_000);
    expect(Array.from(series.v)).toEqual([0.5, 1.5, 2.5, 3.5]);
    expect(failure(() => parseJsonText(text, 'm.json')).message).toBe('m.json: 2 numeric columns (cpu, mem); choose one with --column');
  });

  it('names the line an element starts on for a bad value', async () => {
    await expect(readJsonFile('bad-value.json', { cwd: FIX })).rejects.toThrow(
      new HeadroomError('SERIES_INVALID', 'bad-value.json:4: value "many" in column value is not a number'),
    );
  });

  it('rejects what is not an array of objects, and invalid JSON with its line', async () => {
    await expect(readHistory('not-array.json', { cwd: FIX })).rejects.toThrow(
      'not-array.json: expected an array of objects such as {"timestamp": "2024-01-03T00:00:00Z", "value": 120}, got an object',
    );
    const syntax = await readHistory('syntax.json', { cwd: FIX }).catch((e: Error) => e.message);
    expect(syntax).toBe("syntax.json:3: invalid JSON: Expected ',' or '}' after property value");
    expect(failure(() => parseJsonText('[]', 'e.json')).message).toBe('e.json: the array is empty');
    expect(failure(() => parseJsonText('[{"timestamp": 1704067200, "value": 1}, 5]', 'e.json')).message).toBe(
      'e.json:1: element [1]: expected an object such as {"timestamp": "2024-01-03T00:00:00Z", "value": 120}, got 5',
    );
    expect(failure(() => parseJsonText('[{"timestamp": "2024-01-01T00:00:00Z", "value": 1}, {"value": 2}]', 'e.json')).message).toBe('e.json:1: timestamp is missing');
  });
});
