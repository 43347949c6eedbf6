import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/rng.js';
import { fitUsl } from '../../src/validate/usl-fit.js';
import { uslPeak, uslThroughput } from '../../src/model/usl.js';

const Ns = [1, 2, 4, 8, 16, 32, 64];

describe('fitUsl', () => {
  it.each([
    [100, 0.05, 0.001],
    [1000, 0.02, 0.0001],
    [50, 0, 0.0005],
    [200, 0.25, 0],
  ])('recovers lambda %d, sigma %d, kappa %d from exact points', (lambda, sigma, kappa) => {
    const fit = fitUsl(Ns.map((n) => ({ concurrency: n, throughput: uslThroughput({ lambda, sigma, kappa }, n) })));
    expect(fit.lambda).toBeCloseTo(lambda, 3);
    expect(fit.sigma).toBeCloseTo(sigma, 5);
    expect(fit.kappa).toBeCloseTo(kappa, 7);
    expect(fit.r2).toBeGreaterThan(0.999999);
    expect(fit.worstRelativeError).toBeLessThan(1e-6);
  });

  it('gives the peak N* = sqrt((1 - sigma) / kappa) and X(N*) (Gunther 2007, eq. 4.33)', () => {
    // lambda 100, sigma 0.05, kappa 0.001: N* = sqrt(0.95 / 0.001) = 30.82; X(N*) = 3082.2 / (1 + 1.4911 + 0.9190) = 903.8
    const p = uslPeak({ lambda: 100, sigma: 0.05, kappa: 0.001 });
    expect(p.peakConcurrency).toBeCloseTo(30.822, 3);
    expect(p.peakThroughput).toBeCloseTo(903.8, 1);
    expect(uslPeak({ lambda: 200, sigma: 0.25, kappa: 0 })).toEqual({ peakConcurrency: null, peakThroughput: 800 });
    expect(uslPeak({ lambda: 200, sigma: 0, kappa: 0 })).toEqual({ peakConcurrency: null, peakThroughput: null });
  });

  it('fits noisy measurements (2% multiplicative noise, seeded) within a few percent and reports the fit quality', () => {
    const rng = createRng(7, 1);
    const pts = Ns.map((n) => ({ concurrency: n, throughput: uslThroughput({ lambda: 500, sigma: 0.03, kappa: 0.0005 }, n) * (1 + 0.02 * rng.nextNormal()) }));
    const fit = fitUsl(pts);
    expect(Math.abs(fit.lambda - 500) / 500).toBeLessThan(0.05);
    expect(fit.peakConcurrency).toBeGreaterThan(35);
    expect(fit.peakConcurrency).toBeLessThan(52);
    expect(fit.r2).toBeGreaterThan(0.98);
    expect(fit.worstRelativeError).toBeLessThan(0.06);
  });

  it('needs three distinct concurrencies', () => {
    expect(() => fitUsl([{ concurrency: 1, throughput: 10 }, { concurrency: 2, throughput: 19 }])).toThrow(
      'a USL fit needs throughputs at 3 or more distinct concurrencies',
    );
  });
});
