import type { UslParams } from './resource-model.js';

/**
 * Universal Scalability Law (N. J. Gunther, Guerrilla Capacity Planning, Springer 2007, ch. 4):
 * throughput of one node at concurrency N is X(N) = λN / (1 + σ(N − 1) + κN(N − 1)), requests/s.
 * The one home of the formula: sizing, the simulator's load-dependent service and the USL fit all call it.
 * @example uslThroughput({ lambda: 100, sigma: 0, kappa: 0 }, 4) // => 400
 */
export function uslThroughput(p: UslParams, n: number): number {
  return (p.lambda * n) / (1 + p.sigma * (n - 1) + p.kappa * n * (n - 1));
}

/** Concurrency of peak throughput N* = √((1 − σ)/κ) (Gunther 2007, eq. 4.33); Infinity when κ = 0. */
export function uslPeakConcurrency(p: UslParams): number {
  return p.kappa > 0 ? Math.sqrt((1 - p.sigma) / p.kappa) : Infinity;
}

/**
 * The peak of the curve as a load test reports it: N* (Gunther 2007, eq. 4.33) and X(max(1, N*)). With κ = 0 there
 * is no peak: the concurrency is null and the throughput is the asymptote λ/σ (null too when σ = 0, linear scaling).
 * @example uslPeak({ lambda: 200, sigma: 0.25, kappa: 0 }) // => { peakConcurrency: null, peakThroughput: 800 }
 */
export function uslPeak(p: UslParams): { peakConcurrency: number | null; peakThroughput: number | null } {
  if (p.kappa > 0) {
    const n = Math.sqrt(Math.max(0, 1 - p.sigma) / p.kappa);
    return { peakConcurrency: n, peakThroughput: uslThroughput(p, Math.max(1, n)) };
  }
  return { peakConcurrency: null, peakThroughput: p.sigma > 0 ? p.lambda / p.sigma : null };
}
