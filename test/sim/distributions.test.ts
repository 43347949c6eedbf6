/**
 * Each sampler against its distribution's closed-form mean and variance (written here from the definitions, not taken
 * from the code under test), with 200 000 draws: tolerances are a few standard errors.
 */
import { describe, expect, it } from 'vitest';
import type { Distribution } from '../../src/model/distribution.js';
import { createSampler } from '../../src/sim/distributions.js';
import { createRng } from '../../src/rng.js';

function moments(d: Distribution, n = 200_000, seed = 11): { mean: number; scv: number; min: number } {
  const s = createSampler(d);
  const rng = createRng(seed);
  let sum = 0;
  let sum2 = 0;
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const x = s.sample(rng);
    sum += x;
    sum2 += x * x;
    if (x < min) min = x;
  }
  const mean = sum / n;
  return { mean, scv: (sum2 / n - mean * mean) / (mean * mean), min };
}

describe('samplers (mean and squared coefficient of variation)', () => {
  const cases: [string, Distribution, number, number, number][] = [
    // name, distribution, mean, scv, relative tolerance on the scv
    ['exponential', { kind: 'exponential', mean: 0.02 }, 0.02, 1, 0.03],
    ['uniform', { kind: 'uniform', min: 0.002, max: 0.008 }, 0.005, 0.006 ** 2 / 12 / 0.005 ** 2, 0.02],
    ['lognormal cv 0.5', { kind: 'lognormal', mean: 0.012, cv: 0.5 }, 0.012, 0.25, 0.05],
    ['gamma cv 0.5 (shape 4)', { kind: 'gamma', mean: 0.03, cv: 0.5 }, 0.03, 0.25, 0.03],
    ['gamma cv 2 (shape 1/4 < 1)', { kind: 'gamma', mean: 0.03, cv: 2 }, 0.03, 4, 0.08],
    ['erlang k 4 (product of uniforms)', { kind: 'erlang', mean: 0.02, k: 4 }, 0.02, 0.25, 0.03],
    ['erlang k 40 (Marsaglia–Tsang)', { kind: 'erlang', mean: 0.02, k: 40 }, 0.02, 0.025, 0.04],
    // Pareto(α, x_m): variance x_m² α / ((α−1)²(α−2)) → scv = 1/(α(α−2)); heavy tail: loose.
    ['pareto α 4', { kind: 'pareto', mean: 0.02, alpha: 4 }, 0.02, 1 / 8, 0.1],
  ];
  for (const [name, d, mean, scv, tol] of cases) {
    it(name, () => {
      const m = moments(d);
      expect(Math.abs(m.mean - mean) / mean).toBeLessThan(0.01);
      expect(Math.abs(m.scv - scv) / scv).toBeLessThan(tol);
      expect(m.min).toBeGreaterThanOrEqual(0);
    });
  }

  it('deterministic always returns its value', () => {
    const m = moments({ kind: 'deterministic', value: 0.005 }, 1000);
    expect(m.min).toBe(0.005);
    expect(m.mean).toBeCloseTo(0.005, 15);
    expect(m.scv).toBeCloseTo(0, 9);
  });

  it('pareto never goes below its scale x_m = mean (α − 1)/α', () => {
    expect(moments({ kind: 'pareto', mean: 0.02, alpha: 2.5 }).min).toBeGreaterThanOrEqual((0.02 * 1.5) / 2.5);
  });

  it('empirical resamples the given values uniformly', () => {
    const s = createSampler({ kind: 'empirical', samples: [0.001, 0.002, 0.004] });
    const rng = createRng(5);
    const counts = new Map<number, number>();
    for (let i = 0; i < 30000; i++) {
      const x = s.sample(rng);
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([0.001, 0.002, 0.004]);
    for (const c of counts.values()) expect(Math.abs(c - 10000)).toBeLessThan(400); // ±4.9 σ of a binomial(30000, 1/3)
  });
});
