import { describe, expect, it } from 'vitest';
import { candidatePeriods, detectSeasonality, nelderMead, stl } from '../../src/internal.js';
import { DAY, HOUR, gen } from './helpers.js';

describe('candidate periods from the step', () => {
  it.each([
    [HOUR, [24, 168, 8766]],
    [HOUR / 2, [48, 336, 17532]],
    [DAY, [7, 365.25]],
    [7 * DAY, [52.1786]],
    [31 * DAY, [12]],
    [28 * DAY, [12]],
    [91 * DAY, [4]],
    [365 * DAY, []],
  ])('step %d ms → %j', (step, expected) => {
    expect(candidatePeriods(step)).toEqual(expected);
  });
});

describe('seasonality detection', () => {
  it('finds daily and weekly cycles in hourly data', () => {
    const y = gen(24 * 7 * 5, 21, (i, z) => 100 + 15 * Math.sin((2 * Math.PI * i) / 24) + (Math.floor(i / 24) % 7 >= 5 ? -12 : 5) + 3 * z());
    expect(detectSeasonality(y, HOUR)).toEqual([24, 168]);
  });

  it('finds only the daily cycle when weekdays and weekends look alike', () => {
    const y = gen(24 * 7 * 5, 22, (i, z) => 100 + 15 * Math.sin((2 * Math.PI * i) / 24) + 3 * z());
    expect(detectSeasonality(y, HOUR)).toEqual([24]);
  });

  it('finds a yearly cycle in monthly data', () => {
    const y = gen(120, 23, (i, z) => 50 + 0.3 * i + 8 * Math.cos((2 * Math.PI * i) / 12) + z());
    expect(detectSeasonality(y, 30.44 * DAY)).toEqual([12]);
  });

  it('finds the weekly cycle of hourly traffic with bursts of several times the level', () => {
    // multiplicative lognormal noise and 3-hour bursts at 4x: the bursts dominate the variance of what the daily cycle
    // leaves, and the plain lag-168 autocorrelation falls below the threshold
    const bursts = new Set([50, 190, 333, 410, 530, 620, 777, 860, 940]);
    let left = 0;
    const y = gen(24 * 7 * 6, 26, (i, z) => {
      if (bursts.has(i)) left = 3;
      const burst = left > 0 ? 4 : 1;
      left = Math.max(0, left - 1);
      const week = Math.floor(i / 24) % 7 >= 5 ? 0.65 : 1.14;
      return 100 * Math.exp(0.5 * Math.sin((2 * Math.PI * i) / 24)) * week * burst * Math.exp(0.15 * z());
    });
    expect(detectSeasonality(y, HOUR)).toEqual([24, 168]);
  });

  it('finds a weekly cycle that is one burst a week (a batch job), which clipping alone would remove', () => {
    const y = gen(24 * 7 * 5, 27, (i, z) => 100 * (1 + 0.3 * Math.sin((2 * Math.PI * i) / 24)) * (1 + 0.05 * z()) * (i % 168 === 75 ? 6 : 1));
    expect(detectSeasonality(y, HOUR)).toEqual([24, 168]);
  });

  it('finds nothing in white noise or in a random walk', () => {
    expect(detectSeasonality(gen(24 * 7 * 4, 24, (_i, z) => 100 + z()), HOUR)).toEqual([]);
    let x = 0;
    expect(detectSeasonality(gen(24 * 7 * 4, 25, (_i, z) => (x += z())), HOUR)).toEqual([]);
  });
});

describe('STL (Cleveland et al. 1990)', () => {
  it('recovers a sine of amplitude 5 and a linear trend under noise sd 1', () => {
    const n = 24 * 30;
    const y = gen(n, 26, (i, z) => 20 + 0.02 * i + 5 * Math.sin((2 * Math.PI * i) / 24) + z());
    const d = stl(y, 24);
    let se = 0;
    let te = 0;
    for (let i = 48; i < n - 48; i++) {
      se += (d.seasonal[i]! - 5 * Math.sin((2 * Math.PI * i) / 24)) ** 2;
      te += (d.trend[i]! - 20 - 0.02 * i) ** 2;
    }
    expect(Math.sqrt(se / (n - 96))).toBeLessThan(0.5);
    expect(Math.sqrt(te / (n - 96))).toBeLessThan(0.3);
    for (let i = 0; i < n; i++) expect(d.seasonal[i]! + d.trend[i]! + d.remainder[i]!).toBeCloseTo(y[i]!, 9);
  });
});

describe('Nelder–Mead', () => {
  it('finds the minimum of the Rosenbrock function at (1, 1)', () => {
    const r = nelderMead((x) => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2, [-1.2, 1], { tolerance: 1e-14, maxEvaluations: 2000 });
    expect(r.x[0]).toBeCloseTo(1, 3);
    expect(r.x[1]).toBeCloseTo(1, 3);
  });
});
