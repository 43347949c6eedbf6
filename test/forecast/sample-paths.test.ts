import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/rng.js';
import { fitArTrend } from '../../src/forecast/ar-trend.js';
import { samplePathInto } from '../../src/forecast/sample-paths.js';
import type { ForecastPoint } from '../../src/forecast/types.js';
import { independentNormal } from '../helpers/independent-normal.js';

/** y_t = 50 + 0.2 t + u_t, u_t = 0.7 u_{t-1} + e_t, e_t ~ N(0, 2²), drawn with the tests' own generator. */
function arTrendSeries(n: number): Float64Array {
  const e = independentNormal(77);
  const y = new Float64Array(n);
  let dev = 0;
  for (let t = 0; t < n; t++) {
    dev = 0.7 * dev + 2 * e();
    y[t] = 50 + 0.2 * t + dev;
  }
  return y;
}

describe('trend + AR(1) error paths', () => {
  const fit = fitArTrend(arTrendSeries(300));
  const h = 40;
  const n = 20_000;
  const z = fit.samplePaths(h, n, createRng(1, 2));

  it('have unit variance at every step and the covariance the model implies between steps', () => {
    const p = fit as unknown as { n: number; phi: number; sigma2: number; lastT: number; slopeVar: number; levelVar: number; tMean: number };
    const p2 = p.phi * p.phi;
    const arVar = (k: number): number => (p2 < 1 ? (p.sigma2 * (1 - Math.pow(p2, k))) / (1 - p2) : p.sigma2 * k);
    const sd = (i: number): number => {
      const t = p.n + i;
      return Math.sqrt(arVar(t - p.lastT) + p.levelVar + (t - p.tMean) ** 2 * p.slopeVar);
    };
    const cov = (i: number, j: number): number => Math.pow(p.phi, j - i) * arVar(p.n + i - p.lastT) + p.levelVar + (p.n + i - p.tMean) * (p.n + j - p.tMean) * p.slopeVar;
    const moment = (i: number, j: number): number => {
      let s = 0;
      for (let k = 0; k < n; k++) s += z[k * h + i]! * z[k * h + j]!;
      return s / n;
    };
    for (const i of [0, 5, 39]) expect(Math.abs(moment(i, i) - 1)).toBeLessThan(0.05);
    for (const [i, j] of [
      [0, 1],
      [0, 5],
      [10, 30],
    ] as const) {
      expect(Math.abs(moment(i, j) - cov(i, j) / (sd(i) * sd(j)))).toBeLessThan(0.03);
    }
    // Not the random walk's dependence: the AR part forgets, so far steps are much less correlated than near ones.
    expect(moment(0, 1)).toBeGreaterThan(moment(0, 30) + 0.2);
  });

  it('keep each step on the forecast quantiles it is mapped through', () => {
    const bands = fit.predict(h, createRng(0));
    const points: ForecastPoint[] = Array.from({ length: h }, (_, i) => ({ timestampMs: i, mean: bands.mean[i]!, lo80: bands.lo80[i]!, hi80: bands.hi80[i]!, lo95: bands.lo95[i]!, hi95: bands.hi95[i]! }));
    const out = new Float64Array(h);
    let below80 = 0;
    let below95 = 0;
    for (let k = 0; k < n; k++) {
      samplePathInto(points, createRng(0), out, z.subarray(k * h, (k + 1) * h));
      if (out[20]! < points[20]!.hi80) below80++;
      if (out[20]! < points[20]!.hi95) below95++;
    }
    expect(Math.abs(below80 / n - 0.9)).toBeLessThan(0.01);
    expect(Math.abs(below95 / n - 0.975)).toBeLessThan(0.005);
  });
});
