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
  it('without seasonality: the least-squares slope of the mean path over its last month, over that month\'s level', () => {
    const history = { v: Float64Array.from({ length: 24 }, (_, i) => i), stepMs: MEAN_MONTH_MS, stepMonths: 1 };
    const g = forecastGrowth(history, Float64Array.from({ length: 12 }, (_, i) => 24 + i));
    expect(g.perMonth).toBeCloseTo(1, 12);
    // the window is the last two points (a month is one step here, and a slope needs two): 34 and 35
    expect(g.relativePerMonth).toBeCloseTo(1 / 34.5, 12);
    expect(g.windowSteps).toBe(2);
    // with a yearly cycle, two whole cycles: 24 months, 18 of them history when 6 are forecast
    expect(forecastGrowth(history, Float64Array.from({ length: 6 }, (_, i) => 24 + i), 12).windowSteps).toBe(24);
  });

  it('a compounding path reads the same relative rate at every horizon', () => {
    const v = (i: number): number => 100 * Math.exp(0.0001 * i);
    const history = { v: Float64Array.from({ length: 2000 }, (_, i) => v(i)), stepMs: H };
    // the slope over the level is the continuous rate, 0.0001 an hour: 7.3% a month
    const perMonth = (0.0001 * MEAN_MONTH_MS) / H;
    for (const h of [168, 8760, 100_000]) {
      const g = forecastGrowth(history, Float64Array.from({ length: h }, (_, i) => v(2000 + i)), 24);
      // the slope over a month of a convex path, over its mean level: within 2% of the rate
      expect(Math.abs(g.relativePerMonth / perMonth - 1), `h = ${h}`).toBeLessThan(0.02);
    }
  });

  it('less than a month of history and forecast: cannot be told, and says why', () => {
    const history = { v: Float64Array.from({ length: 400 }, (_, i) => 100 + i), stepMs: H };
    const g = forecastGrowth(history, Float64Array.of(500, 501, 502, 503, 504));
    expect(g.perMonth).toBeNaN();
    expect(g.relativePerMonth).toBeNaN();
    expect(g.reason).toBe('the history and the forecast together span 16.9 days, less than a month: a growth per month cannot be told');
  });

  it('with a daily cycle in hourly data: the trend alone, 0.01 per hour = 7.30485 per mean month', () => {
    const y = (i: number): number => 100 + 0.01 * i + 10 * Math.sin((2 * Math.PI * i) / 24);
    const history = { v: Float64Array.from({ length: 744 }, (_, i) => y(i)), stepMs: H };
    // a 30-hour forecast ends part-way through a day: a straight-line fit would be tilted by the cycle
    const mean = Float64Array.from({ length: 30 }, (_, i) => y(744 + i));
    const g = forecastGrowth(history, mean, 24);
    expect(g.perMonth).toBeCloseTo((0.01 * MEAN_MONTH_MS) / H, 9);
    // read over the last 30 whole days (720 steps), of which the forecast is 30 hours: the rest is history
    expect(g.windowSteps).toBe(720);
    // a forecast of a month or more fills the window alone
    expect(forecastGrowth(history, Float64Array.from({ length: 744 }, (_, i) => y(744 + i)), 24).windowSteps).toBe(720);
  });

  it('a one-cycle forecast is read with a month of noisy history: the least-squares slope through 31 daily means', () => {
    // History = trend 0.01/h + daily cycle + N(0, 2) noise over 31 days; the forecast is the true mean of the next day.
    // The window is 31 whole days ending with the forecast: the day means j = 0 … 30 have sd 2 / sqrt(24) except the
    // last (noiseless), so the slope's variance is (1/6) Σ_{j<30} (j − 15)² / (Σ_j (j − 15)²)² = (1/6) 2255 / 2480²:
    // sd 0.00782 a day, 0.000326 an hour. Against one day of history it would be 2 / sqrt(24) / 24 = 0.017.
    const y = (i: number): number => 100 + 0.01 * i + 10 * Math.sin((2 * Math.PI * i) / 24);
    const mean = Float64Array.from({ length: 24 }, (_, i) => y(744 + i));
    let sq = 0;
    const runs = 200;
    for (let seed = 1; seed <= runs; seed++) {
      const rng = createRng(seed, 7);
      const history = { v: Float64Array.from({ length: 744 }, (_, i) => y(i) + 2 * rng.nextNormal()), stepMs: H };
      const perHour = (forecastGrowth(history, mean, 24).perMonth * H) / MEAN_MONTH_MS;
      sq += (perHour - 0.01) ** 2;
    }
    const rms = Math.sqrt(sq / runs);
    expect(rms).toBeGreaterThan(0.000326 * 0.8);
    expect(rms).toBeLessThan(0.000326 * 1.2);
  });
});
