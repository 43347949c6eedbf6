import type { Rng } from '../rng.js';
import { Z80, Z95 } from './model.js';
import type { ForecastPoint } from './types.js';

/**
 * Future paths of a forecast, drawn so that each step has the forecast's own predictive distribution and the steps
 * keep their autocorrelation (a path that is high in March stays high in April), instead of independent draws per step.
 *
 * The rule (a Gaussian copula over the forecast's marginals): each step's distribution is the
 * two-piece normal that `demandQuantile` (plan/demand-quantile.ts) fits to the 80% and 95% bounds — σ above and σ below
 * the median by least squares, σ = (z₈₀·d₈₀ + z₉₅·d₉₅) / (z₈₀² + z₉₅²) — so a path's value at a step is a quantile the
 * plan itself would size for. The latent normal of the path is a random walk W whose variance at step h is the
 * forecast's variance there (running maximum of ((σ₊ + σ₋)/2)², since a variance of accumulated shocks does not shrink),
 * scaled back to unit variance: z_h = W_h / sd(W_h). That is the error structure of any model whose forecast error is a
 * sum of independent shocks (random walk, ETS, integrated ARIMA; Hyndman & Athanasopoulos, FPP3 §5.5 and §9.8), where
 * corr(z_i, z_j) = sd_i / sd_j for i < j. For a model whose errors revert (trend + AR(1) deviations) it keeps more
 * correlation than the model has, so the spread of first-passage dates errs on the wide side; the marginals stay exact.
 *
 * When the model knows its own dependence between steps (FittedModel `samplePaths`: the trend + AR(1) model that `auto`
 * picks for the example's drivers, under its log, deseasonalising and recalibration wrappers), its standardised error
 * path is given as `latent` and used instead of the random walk; the marginals are the same either way.
 *
 * `out` receives the path (length = points.length); `rng` is the path's own stream (split it per path index, so a
 * path does not depend on how paths are batched).
 * @example samplePathInto([{ timestampMs: 0, mean: 100, lo80: 100, hi80: 100, lo95: 100, hi95: 100 }], rng, out) // out[0] === 100
 */
export function samplePathInto(points: readonly ForecastPoint[], rng: Rng, out: Float64Array, latent?: Float64Array): void {
  let w = 0;
  let cumVar = 0;
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const up = Math.max(0, (Z80 * (p.hi80 - p.mean) + Z95 * (p.hi95 - p.mean)) / (Z80 * Z80 + Z95 * Z95));
    const down = Math.max(0, (Z80 * (p.mean - p.lo80) + Z95 * (p.mean - p.lo95)) / (Z80 * Z80 + Z95 * Z95));
    let z: number;
    if (latent) z = latent[i]!;
    else {
      const s = (up + down) / 2;
      const v = Math.max(cumVar, s * s);
      const inc = v - cumVar;
      // Draw every step's shock, even a zero-variance one, so paths stay aligned draw for draw.
      const e = rng.nextNormal();
      if (inc > 0) w += Math.sqrt(inc) * e;
      cumVar = v;
      z = cumVar > 0 ? w / Math.sqrt(cumVar) : 0;
    }
    out[i] = Math.max(0, p.mean + z * (z > 0 ? up : down));
  }
}

/**
 * `n` paths, `paths[k * h + i]` = path k at step i, path k drawn from `rng.split(k)` (samplePathInto).
 */
export function samplePaths(points: readonly ForecastPoint[], n: number, rng: Rng): Float64Array {
  const h = points.length;
  const paths = new Float64Array(n * h);
  for (let k = 0; k < n; k++) samplePathInto(points, rng.split(k), paths.subarray(k * h, (k + 1) * h));
  return paths;
}
