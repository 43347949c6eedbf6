import { describe, expect, it } from 'vitest';
import { forecast } from '../../src/internal.js';
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
