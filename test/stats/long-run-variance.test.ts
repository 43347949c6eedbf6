import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/rng.js';
import { autocovariance, longRunVariance } from '../../src/stats/long-run-variance.js';

describe('longRunVariance', () => {
  it('is the Bartlett-weighted sum of autocovariances about the mean, each divided by the count', () => {
    // 1, 2, 3, 4: deviations −1.5, −0.5, 0.5, 1.5; γ0 = 5 / 4, γ1 = 1.25 / 4
    expect(autocovariance([1, 2, 3, 4], 0)).toBeCloseTo(1.25, 12);
    expect(autocovariance([1, 2, 3, 4], 1)).toBeCloseTo(0.3125, 12);
    expect(longRunVariance([1, 2, 3, 4], 0)).toBeCloseTo(1.25, 12);
    // lag 1 weighs γ1 by 1 − 1/2: 1.25 + 2 · 0.5 · 0.3125
    expect(longRunVariance([1, 2, 3, 4], 1)).toBeCloseTo(1.5625, 12);
  });

  it('approaches σ²/(1 − φ)² for AR(1) noise (φ = 0.5, σ = 1: 4) with a long series and bandwidth', () => {
    const r = createRng(17);
    const x = new Float64Array(40_000);
    let a = 0;
    for (let i = 0; i < x.length; i++) x[i] = a = 0.5 * a + r.nextNormal();
    // the Bartlett weights bias it down by O(1/bandwidth): about 2.5% at 60 lags for φ = 0.5
    expect(longRunVariance(x, 60)).toBeGreaterThan(3.7);
    expect(longRunVariance(x, 60)).toBeLessThan(4.2);
    // without the autocovariances it is the plain variance, σ²/(1 − φ²) = 4/3
    expect(longRunVariance(x, 0)).toBeCloseTo(4 / 3, 1);
  });
});
