import { describe, expect, it } from 'vitest';
import { forecast } from '../../src/internal.js';
import { decompose, seasonalStrengths } from '../../src/forecast/mstl.js';
import { gen, series } from './helpers.js';

const MONTH = 30.436875 * 86_400_000;

/**
 * A period the user names is a hint: seasonal ETS competes with its non-seasonal forms by AICc, so a series without
 * that cycle is not forced to carry one (and a level shift near its end is not learnt into seasonal states that
 * repeat it every year), while a series with the cycle keeps it.
 */
describe('a named period that the history does not bear out', () => {
  // ten years of a monthly level with noise sd 3% that steps up 15% eight months before the end
  const flat = gen(120, 41, (i, z) => 1000 * (1 + 0.03 * z() + (i >= 112 ? 0.15 : 0)));
  // the same with a yearly cycle of ±20%
  const yearly = gen(120, 42, (i, z) => 1000 * (1 + 0.2 * Math.sin((2 * Math.PI * i) / 12)) * (1 + 0.03 * z()));

  it('is left out, and the forecast says so', () => {
    const r = forecast(series(flat, MONTH), { horizon: 12, seasonalPeriods: [12], seed: 1 });
    expect(r.model).toMatch(/ets\(A,(N|A|Ad),N\)/);
    expect(r.warnings).toContain('the named period 12 was left out: the history fits better without that cycle (ETS compared with and without it by AICc)');
    // no yearly wiggle learnt from the shift: the 12 monthly means are (nearly) one level
    const means = r.points.map((p) => p.mean);
    expect(Math.max(...means) - Math.min(...means)).toBeLessThan(0.02 * means[0]!);
  });

  it('is kept where the cycle is there, without a warning', () => {
    const r = forecast(series(yearly, MONTH), { horizon: 12, seasonalPeriods: [12], seed: 1 });
    expect(r.model).toMatch(/ets\(A,\w+,[AM]\)|mstl|theta/);
    expect(r.warnings.filter((w) => w.includes('named period'))).toEqual([]);
    const means = r.points.map((p) => p.mean);
    expect(Math.max(...means) / Math.min(...means)).toBeGreaterThan(1.3);
  });

  it('a detected period is not second-guessed: the same yearly series without a named period keeps its cycle', () => {
    const r = forecast(series(yearly, MONTH), { horizon: 12, seed: 1 });
    expect(r.seasonalPeriods).toEqual([12]);
    expect(r.warnings.filter((w) => w.includes('named period'))).toEqual([]);
  });
});

describe('a named period that is weak in the history is reported as weak', () => {
  // six weeks of hourly traffic with a ±40% daily cycle and 5% noise, with or without weekends 30% quieter
  const hourly = (weekly: number, seed: number): Float64Array =>
    gen(24 * 42, seed, (i, z) => 500 * (1 + 0.4 * Math.sin((2 * Math.PI * (i % 24)) / 24)) * (Math.floor(i / 24) % 7 >= 5 ? 1 - weekly : 1) * (1 + 0.05 * z()));

  it('a weekly period named for traffic without a weekly cycle', () => {
    const r = forecast(series(hourly(0, 51)), { horizon: 48, seasonalPeriods: [24, 168], seed: 1 });
    const weak = r.warnings.filter((w) => w.startsWith('the named period'));
    expect(weak).toHaveLength(1);
    expect(weak[0]).toMatch(/^the named period 168 is weak in this history \(seasonal strength 0\.\d\d on a 0–1 scale; below 0\.3 a cycle explains little of what the trend leaves\)$/);
  });

  it('not for a weekly cycle that is there, nor for detected periods', () => {
    expect(forecast(series(hourly(0.3, 52)), { horizon: 48, seasonalPeriods: [24, 168], seed: 1 }).warnings.filter((w) => w.includes('named period'))).toEqual([]);
    expect(forecast(series(hourly(0, 51)), { horizon: 48, seed: 1 }).warnings.filter((w) => w.includes('named period'))).toEqual([]);
  });
});

describe('seasonalStrengths', () => {
  it('is 1 − Var(R)/Var(S + R) with R the adjusted series less its moving-average trend', () => {
    // a line plus a remainder of period 4 (which the 24-step moving average cancels exactly), and a daily sine: with
    // amplitudes a and b, Var(R) = a²/2 and Var(S + R) = (a² + b²)/2, so F_S = b² / (a² + b²)
    const n = 24 * 20;
    for (const [a, b] of [[1, 1], [1, 3], [2, 0.5]] as const) {
      const values = Float64Array.from({ length: n }, (_, t) => b * Math.sin((2 * Math.PI * t) / 24));
      const adjusted = Float64Array.from({ length: n }, (_, t) => 5 + 0.01 * t + a * Math.cos((2 * Math.PI * t) / 4));
      const d = { adjusted, seasonal: values, components: [{ period: 24, kind: 'stl' as const, values }], window: 'local' as const };
      expect(seasonalStrengths(d)[0]).toBeCloseTo((b * b) / (a * a + b * b), 6);
    }
  });

  it('is near 0 for a component of noise and near 1 for a strong cycle, through the decomposition', () => {
    const noise = gen(24 * 60, 61, (_, z) => 10 + z());
    const cycle = gen(24 * 60, 62, (i, z) => 10 + 3 * Math.sin((2 * Math.PI * i) / 24) + 0.3 * z());
    expect(seasonalStrengths(decompose(noise, [24]))[0]).toBeLessThan(0.3);
    expect(seasonalStrengths(decompose(cycle, [24]))[0]).toBeGreaterThan(0.95);
  });
});
