import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng, forecastGrowth, formatSeriesCsv, MEAN_MONTH_MS, parseCsvText, readHistory, writeSeriesCsv } from '../../src/internal.js';

const H = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'headroom-series-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('write-csv', () => {
  const s = { name: 'rps', t: Float64Array.of(Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 1, 1), Date.UTC(2024, 0, 1, 2)), v: Float64Array.of(1.5, 0.1 + 0.2, 3) };

  it('writes ISO 8601 timestamps and values that read back exactly', () => {
    const text = formatSeriesCsv(s);
    expect(text).toBe('timestamp,rps\n2024-01-01T00:00:00Z,1.5\n2024-01-01T01:00:00Z,0.30000000000000004\n2024-01-01T02:00:00Z,3\n');
    const back = parseCsvText(text, 'back.csv').series;
    expect(Array.from(back.t)).toEqual(Array.from(s.t));
    expect(Array.from(back.v)).toEqual(Array.from(s.v));
    expect(back.name).toBe('rps');
  });

  it('quotes a header that needs it and leaves NaN cells empty', () => {
    expect(formatSeriesCsv({ name: 'a,"b"', t: Float64Array.of(0), v: Float64Array.of(NaN) })).toBe('timestamp,"a,""b"""\n1970-01-01T00:00:00Z,\n');
  });

  it('writes the file atomically to a path and reads back equal', async () => {
    const path = join(dir, 'out', 'series.csv');
    await writeSeriesCsv(path, s, { valueHeader: 'value' });
    expect(readFileSync(path, 'utf8').split('\n')[0]).toBe('timestamp,value');
    const back = (await readHistory(path)).series;
    expect(Array.from(back.v)).toEqual(Array.from(s.v));
  });
});

describe('forecastGrowth', () => {
  it('without seasonality: the least-squares slope of the mean path, per calendar month', () => {
    const history = { v: Float64Array.from({ length: 24 }, (_, i) => i), stepMs: MEAN_MONTH_MS, stepMonths: 1 };
    const g = forecastGrowth(history, Float64Array.from({ length: 12 }, (_, i) => 24 + i));
    expect(g.perMonth).toBeCloseTo(1, 12);
    expect(g.relativePerMonth).toBeCloseTo(1 / 29.5, 12);
  });

  it('with a daily cycle in hourly data: the trend alone, 0.01 per hour = 7.30485 per mean month', () => {
    const y = (i: number): number => 100 + 0.01 * i + 10 * Math.sin((2 * Math.PI * i) / 24);
    const history = { v: Float64Array.from({ length: 240 }, (_, i) => y(i)), stepMs: H };
    // a 30-hour forecast ends part-way through a day: a straight-line fit would be tilted by the cycle
    const mean = Float64Array.from({ length: 30 }, (_, i) => y(240 + i));
    const g = forecastGrowth(history, mean, 24);
    expect(g.perMonth).toBeCloseTo((0.01 * MEAN_MONTH_MS) / H, 9);
  });

  it('a one-cycle forecast is compared with four cycles of noisy history, not one: five times less noise', () => {
    // History = trend 0.01/h + daily cycle + N(0, 2) noise; the forecast is the true mean of the next day. The earlier
    // window's mean has sd 2 / sqrt(4 × 24) = 0.204 and its centre is 2.5 days back: the slope's sd is 0.204 / 60 =
    // 0.0034 per hour. One day of history as the baseline would give 2 / sqrt(24) / 24 = 0.017, five times more.
    const y = (i: number): number => 100 + 0.01 * i + 10 * Math.sin((2 * Math.PI * i) / 24);
    const mean = Float64Array.from({ length: 24 }, (_, i) => y(240 + i));
    let sq = 0;
    const runs = 200;
    for (let seed = 1; seed <= runs; seed++) {
      const rng = createRng(seed, 7);
      const history = { v: Float64Array.from({ length: 240 }, (_, i) => y(i) + 2 * rng.nextNormal()), stepMs: H };
      const perHour = (forecastGrowth(history, mean, 24).perMonth * H) / MEAN_MONTH_MS;
      sq += (perHour - 0.01) ** 2;
    }
    const rms = Math.sqrt(sq / runs);
    expect(rms).toBeGreaterThan(0.0034 * 0.75);
    expect(rms).toBeLessThan(0.0034 * 1.25);
  });
});
