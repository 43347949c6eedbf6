import type { Rng } from '../rng.js';
import type { ModelName } from './types.js';

/**
 * What every model file hands back after fitting: the internal contract between the model files and `forecast.ts`.
 * Models see a plain value array indexed by step (NaN = missing: a gap, a masked range); timestamps, events and
 * interval recalibration are handled by `forecast.ts`.
 */
export interface FittedModel {
  readonly name: ModelName;
  /** The model and its parameters as text, e.g. "ets(A,Ad,A) alpha=0.31 beta=0.02 phi=0.95 gamma=0.10 m=24". */
  readonly label: string;
  /** One-step-ahead in-sample fitted values, aligned with the input (NaN where not defined). */
  readonly fitted: Float64Array;
  /** Small-sample corrected Akaike information criterion, when the model has a likelihood. */
  readonly aicc?: number;
  /**
   * The model's own growth at the end of the history: its trend per step, in the series' unit or, for a model fitted
   * to log y, in log units (a relative rate). 0 for a model without a trend; absent when the model has no single rate
   * (a logistic curve, a combination).
   */
  readonly trend?: TrendRate;
  /** Forecast `h` steps ahead with central 80% and 95% bands; `rng` drives any simulated paths. */
  predict(h: number, rng: Rng): Bands;
  /**
   * Optional: the point forecast alone, equal to `predict(h, rng).mean` to the last bit, for callers that score a
   * forecast and never read its bands (the rolling origins at which `auto` compares models). A model whose bands are
   * simulated (multiplicative-seasonal ETS: 1,000 paths) saves them; without it `meanForecast` takes predict's mean.
   */
  predictMean?(h: number, rng: Rng): Float64Array;
  /**
   * Optional: `n` paths of the model's standardised forecast error, `out[p * h + i]` with unit variance at every step
   * and the correlation between steps that the model implies (path p drawn from `rng.split(p)`). Paths of demand are
   * these mapped through each step's predictive quantiles (sample-paths.ts). Wrappers that transform each step
   * monotonically (log, deseasonalising, interval recalibration) pass their inner model's paths through, since such a
   * transform keeps the rank correlation; models without it get the random-walk dependence of sample-paths.ts.
   */
  samplePaths?(h: number, n: number, rng: Rng): Float64Array;
}

/**
 * A parameter as a model's label writes it: `digits` significant digits without trailing zeros (0.31, 1e-8, 4.5),
 * enough to tell fits apart in a report, not to refit from.
 */
export function paramText(x: number, digits = 3): string {
  return Number(x.toPrecision(digits)).toString();
}

/** Growth per step: `perStep` in the series' unit, or in log units when `log` (e^perStep − 1 is then the rate). */
export interface TrendRate {
  readonly perStep: number;
  readonly log: boolean;
}

/** `fit`'s point forecast `h` steps ahead: `predict(h, rng).mean`, without computing the bands where the model can. */
export function meanForecast(fit: FittedModel, h: number, rng: Rng): Float64Array {
  return fit.predictMean !== undefined ? fit.predictMean(h, rng) : fit.predict(h, rng).mean;
}

/** A forecast as parallel arrays, one entry per step ahead. */
export interface Bands {
  readonly mean: Float64Array;
  readonly lo80: Float64Array;
  readonly hi80: Float64Array;
  readonly lo95: Float64Array;
  readonly hi95: Float64Array;
}

/** Standard normal quantiles for central 80% and 95% intervals: Φ⁻¹(0.90) and Φ⁻¹(0.975). */
export const Z80 = 1.2815515655446004;
export const Z95 = 1.959963984540054;

/** Gaussian bands from a mean and a forecast-error standard deviation per step. */
export function normalBands(mean: Float64Array, sd: Float64Array): Bands {
  const h = mean.length;
  const lo80 = new Float64Array(h);
  const hi80 = new Float64Array(h);
  const lo95 = new Float64Array(h);
  const hi95 = new Float64Array(h);
  for (let i = 0; i < h; i++) {
    const m = mean[i]!;
    const s = sd[i]!;
    lo80[i] = m - Z80 * s;
    hi80[i] = m + Z80 * s;
    lo95[i] = m - Z95 * s;
    hi95[i] = m + Z95 * s;
  }
  return { mean, lo80, hi80, lo95, hi95 };
}

/**
 * Bands from simulated future paths, `paths[p * h + i]` = path p at step i: the mean of the paths (or `mean` when
 * given, e.g. the model's own point forecast) and their empirical 2.5/10/90/97.5% quantiles.
 */
export function pathBands(paths: Float64Array, nPaths: number, h: number, mean?: Float64Array): Bands {
  const out = {
    mean: mean ?? new Float64Array(h),
    lo80: new Float64Array(h),
    hi80: new Float64Array(h),
    lo95: new Float64Array(h),
    hi95: new Float64Array(h),
  };
  const col = new Float64Array(nPaths);
  for (let i = 0; i < h; i++) {
    let s = 0;
    for (let p = 0; p < nPaths; p++) {
      const x = paths[p * h + i]!;
      col[p] = x;
      s += x;
    }
    col.sort();
    if (mean === undefined) out.mean[i] = s / nPaths;
    out.lo95[i] = quantileSorted(col, 0.025);
    out.lo80[i] = quantileSorted(col, 0.1);
    out.hi80[i] = quantileSorted(col, 0.9);
    out.hi95[i] = quantileSorted(col, 0.975);
  }
  return out;
}

/**
 * The median of `xs` (NaN when empty). Sorted as a typed array, numerically and in native code, as no comparator
 * called for every pair would be.
 */
export function median(xs: ArrayLike<number>): number {
  const s = Float64Array.from(xs).sort();
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 === 1 ? s[(n - 1) >> 1]! : 0.5 * (s[n / 2 - 1]! + s[n / 2]!);
}

/** Linear-interpolated quantile (Hyndman & Fan type 7) of an ascending array. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const f = pos - lo;
  return sorted[lo]! * (1 - f) + sorted[hi]! * f;
}

/**
 * AICc from a Gaussian likelihood with the variance concentrated out (Hyndman et al. 2008, §5.1):
 * log L = -n/2 (log(2π SSE/n) + 1); AICc = -2 log L + 2k + 2k(k+1)/(n-k-1). `k` counts every estimated
 * parameter, initial states included, plus one for the variance.
 */
export function aiccGaussian(sse: number, n: number, k: number): number {
  if (n - k - 1 <= 0 || !(sse > 0)) return Infinity;
  const logL = -0.5 * n * (Math.log((2 * Math.PI * sse) / n) + 1);
  return -2 * logL + 2 * k + (2 * k * (k + 1)) / (n - k - 1);
}
