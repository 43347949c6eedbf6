import { describe, expect, it } from 'vitest';
import { forecastHistory, forecastJson, forecastText, HeadroomError, readHistory, type ReadResult } from '../../src/internal.js';

const HOUR = 3_600_000;
const START = Date.UTC(2025, 0, 1);

/** y = 5 + 2·i per hour: a straight line, so a linear forecast continues it exactly. */
function line(n: number, source = 'line.csv'): ReadResult {
  const t = Float64Array.from({ length: n }, (_, i) => START + i * HOUR);
  const v = Float64Array.from({ length: n }, (_, i) => 5 + 2 * i);
  return { series: { name: 'requests', t, v, stepMs: HOUR, source }, repairs: { filledGaps: [], duplicatesDropped: 0, resampled: false } };
}

describe('forecastHistory', () => {
  it('continues a line: means on the line, timestamps one step apart after the last point, growth of 2 per hour', () => {
    const f = forecastHistory(line(100), { horizon: 4, model: 'linear', seasonalPeriods: [] });
    expect(f.result.points.map((p) => Math.round(p.mean * 1e6) / 1e6)).toEqual([205, 207, 209, 211]);
    expect([...f.times]).toEqual([100, 101, 102, 103].map((i) => START + i * HOUR));
    // 100 hours are less than a month: a growth per month cannot be told from them, and the result says why.
    expect(f.result.growth.perMonth).toBeNaN();
    expect(f.result.growth.reason).toMatch(/less than a month/);
    // Over 1,000 hours: the model's own rate, 2 per hour over a mean Gregorian month (30.436875 days).
    const long = forecastHistory(line(1000), { horizon: 4, model: 'linear', seasonalPeriods: [] });
    expect(long.result.growth.perMonth).toBeCloseTo(2 * 24 * 30.436875, 6);
    expect(long.result.growth.basis).toBe('model');
    expect(f.backtest).toBeUndefined();
  });

  it('backtests on the last points with the same options and reports the stages in order', () => {
    const stages: string[] = [];
    const f = forecastHistory(line(100), { horizon: 4, model: 'linear', seasonalPeriods: [] }, { backtestHoldout: 10, onStageDone: (s) => stages.push(s) });
    expect(stages).toEqual(['forecast', 'backtest']);
    expect(f.backtest?.holdout).toBe(10);
    // a line forecast of a line misses nothing
    expect(f.backtest?.result.mase).toBeCloseTo(0, 9);
  });

  it('names the source of a series too short for the model', () => {
    let e: unknown;
    try {
      forecastHistory(line(2, 'short.csv'), { horizon: 4 });
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(HeadroomError);
    expect((e as HeadroomError).code).toBe('SERIES_TOO_SHORT');
    expect((e as HeadroomError).message.startsWith('short.csv: ')).toBe(true);
  });

  it('gives what headroom forecast prints: the doc example on the bundled history', async () => {
    const read = await readHistory('scenarios/data/web-requests-hourly.csv');
    const f = forecastHistory(read, { horizon: 168 });
    expect(f.result.points.length).toBe(168);
    expect(forecastText(f, { all: false }).split('\n')[0]).toBe('Forecast of requests_per_s from scenarios/data/web-requests-hourly.csv');
    expect((forecastJson(f) as { points: unknown[] }).points).toHaveLength(168);
  });

  it('a level shift at the end: one plain line in the text, a documented field in the JSON, null when there is none', () => {
    // a local level (seeded) that steps up by 10 σ in its last 6 hours
    let l = 100;
    let seed = 12345;
    const normal = (): number => {
      // Box–Muller on a small LCG: deterministic without the library's stream
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const u = (seed + 1) / 2147483649;
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const v = (seed + 1) / 2147483649;
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    };
    const v = Float64Array.from({ length: 200 }, (_, i) => {
      const e = 2 * normal();
      const y = l + e + (i >= 194 ? 20 : 0);
      l += 0.3 * e;
      return y;
    });
    const t = Float64Array.from({ length: 200 }, (_, i) => START + i * HOUR);
    const read: ReadResult = { series: { name: 'requests', t, v, stepMs: HOUR, source: 'shift.csv' }, repairs: { filledGaps: [], duplicatesDropped: 0, resampled: false } };
    const f = forecastHistory(read, { horizon: 12, model: 'ets', seasonalPeriods: [] });
    const ls = f.result.levelShift!;
    expect(ls).toBeDefined();
    const lines = forecastText(f, { all: false }).split('\n').filter((x) => x.includes('level shift'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ {2}warning +level shift up detected \d+ points before the end \(from 2025-01-09T\d\d:00:00Z\): intervals widened towards the earlier level; whether it lasts cannot be forecast$/);
    const json = forecastJson(f) as { levelShift: Record<string, unknown> };
    expect(json.levelShift).toEqual({
      start: new Date(ls.startMs).toISOString().replace('.000Z', 'Z'),
      pointsBeforeEnd: ls.pointsBeforeEnd,
      direction: 'up',
      size: ls.size,
      statistic: ls.statistic,
      threshold: ls.threshold,
      widened: true,
    });
    // no NaN or Infinity anywhere in the document
    expect(JSON.stringify(json)).not.toMatch(/NaN|Infinity|null,"statistic"/);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect((forecastJson(forecastHistory(line(100), { horizon: 4, model: 'linear', seasonalPeriods: [] })) as { levelShift: unknown }).levelShift).toBeNull();
  });
});
