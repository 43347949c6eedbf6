import { lazyRequire } from '../lazy-require.js';

const lm = lazyRequire<typeof import('ml-levenberg-marquardt')>('ml-levenberg-marquardt');
import type { UslFit } from './types.js';
import { uslPeak, uslThroughput } from '../model/usl.js';

/**
 * Fit the USL to measured (concurrency, throughput) points by nonlinear least squares (Levenberg–Marquardt, from
 * ml-levenberg-marquardt, with the model's analytic Jacobian), on throughputs scaled by their maximum so the three
 * parameters are of comparable size. Starts from several (sigma, kappa) guesses and keeps the best; lambda starts at
 * X(1) (or the smallest N's X / N) and parameters are bounded to lambda > 0, 0 <= sigma <= 0.999 (the model schema takes sigma < 1), kappa >= 0.
 * Quality: R² = 1 - SSres / SStot on the measured scale, and the worst relative error over the points.
 * @throws RangeError with fewer than 3 points or distinct concurrencies.
 * @example
 * fitUsl([1, 2, 4, 8, 16].map((n) => ({ concurrency: n, throughput: uslThroughput({ lambda: 100, sigma: 0.05, kappa: 0.001 }, n) })))
 * // => { lambda: ≈100, sigma: ≈0.05, kappa: ≈0.001, r2: ≈1, ... }
 */
export function fitUsl(points: readonly { concurrency: number; throughput: number }[]): UslFit {
  const pts = points.filter((p) => p.concurrency > 0 && Number.isFinite(p.throughput) && p.throughput > 0);
  if (new Set(pts.map((p) => p.concurrency)).size < 3) throw new RangeError('a USL fit needs throughputs at 3 or more distinct concurrencies');
  const scale = Math.max(...pts.map((p) => p.throughput));
  const x = pts.map((p) => p.concurrency);
  const y = pts.map((p) => p.throughput / scale);
  const first = pts.reduce((a, b) => (b.concurrency < a.concurrency ? b : a));
  const lambda0 = first.throughput / first.concurrency / scale;
  const model = ([l, s, k]: number[]) => (n: number) => uslThroughput({ lambda: l!, sigma: s!, kappa: k! }, n);
  const jacobian = ([l, s, k]: number[]) => (n: number) => {
    const d = 1 + s! * (n - 1) + k! * n * (n - 1);
    const x = (l! * n) / d;
    return [n / d, (-x * (n - 1)) / d, (-x * n * (n - 1)) / d];
  };
  let best: { p: number[]; sse: number } | undefined;
  for (const s0 of [0.01, 0.1, 0.5]) {
    for (const k0 of [0, 1e-4, 1e-2]) {
      const r = lm().levenbergMarquardt({ x, y }, model, {
        initialValues: [lambda0, s0, k0],
        minValues: [1e-12, 0, 0],
        maxValues: [1e12, 0.999, 1e3],
        jacobianFunction: jacobian,
        maxIterations: 300,
        errorTolerance: 1e-12,
        damping: 1e-2,
      });
      const p = r.parameterValues;
      const sse = x.reduce((acc, n, i) => acc + (model(p)(n) - y[i]!) ** 2, 0);
      if (!best || sse < best.sse) best = { p, sse };
    }
  }
  const [ls, sigma, rawKappa] = best!.p as [number, number, number];
  // A kappa this small puts the peak beyond any concurrency a sweep reaches; report it as no coherency penalty.
  const kappa = rawKappa < 1e-9 ? 0 : rawKappa;
  const lambda = ls * scale;
  const meas = pts.map((p) => p.throughput);
  const fitted = pts.map((p) => uslThroughput({ lambda, sigma, kappa }, p.concurrency));
  const mean = meas.reduce((a, b) => a + b, 0) / meas.length;
  const ssTot = meas.reduce((a, v) => a + (v - mean) ** 2, 0);
  const ssRes = meas.reduce((a, v, i) => a + (v - fitted[i]!) ** 2, 0);
  const worst = Math.max(...meas.map((v, i) => Math.abs(fitted[i]! - v) / v));
  return {
    lambda,
    sigma,
    kappa,
    ...uslPeak({ lambda, sigma, kappa }),
    r2: ssTot > 0 ? 1 - ssRes / ssTot : ssRes === 0 ? 1 : 0,
    worstRelativeError: worst,
    points: pts.length,
  };
}
