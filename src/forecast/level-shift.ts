import { allPositive } from './ets.js';
import { median, type Bands } from './model.js';

/**
 * A structural break at the end of the history: a level shift in the last points (a lockdown, a migration, a
 * recession's first months) that no model fitted to the history can forecast, since the history shows too little of
 * what follows it. It is detected on the model's one-step errors, said in the output, and the intervals are widened
 * towards the level the series had before it (`widenTowards`), while the point forecast stays the model's.
 *
 * The rule (a CUSUM scan of the last stretch, in the spirit of Page 1954 and Brown, Durbin & Evans 1975): e_t the
 * one-step errors y_t − ŷ_t of the fitted model; a reference stretch of them before the last L points gives their
 * centre (median) and scale σ (1.4826 × MAD), inflated to the long-run scale of a sum of dependent errors,
 * σ_LR = σ √((1 + ρ) / (1 − ρ)) with ρ their lag-1 autocorrelation (clamped to [0, 0.8]). For every candidate start of a
 * shift k points before the end (MIN_AFTER ≤ k ≤ L), the standardised sum of the errors since then,
 * S_k = Σ_{t ≥ n−k} (e_t − centre) / (σ_LR √k), measures how far the last k points sit from where the model expected them.
 * A shift is declared at the k of the largest |S_k| when max |S_k| > THRESHOLD and the errors since then lie on
 * the side of the shift mostly (their median is at least MIN_MEDIAN_SIGMAS σ off centre: a single large error followed
 * by ordinary ones is an outlier, or a step the model has already taken in, not a shift it keeps missing).
 * False alarms, measured (test/forecast/level-shift.test.ts, bench/forecast-accuracy.bench.ts): see THRESHOLD.
 */

/** Fewest points after a shift: fewer is an outlier as far as anyone can tell. */
export const MIN_AFTER = 3;
/**
 * Critical value of max |S_k|. Under independent normal errors the scan over k ≤ 24 exceeds 3.0 with probability
 * about 1.5% (simulated, level-shift.test.ts); the median condition removes most of the rest.
 */
export const THRESHOLD = 3;
/** Median of the errors since the shift, in σ, at least. */
const MIN_MEDIAN_SIGMAS = 0.5;
/** Largest of the first MIN_AFTER errors since the shift, in σ, at least. */
const MIN_JUMP_SIGMAS = 3;
/** Fewest reference errors the scale is estimated from. */
const MIN_REFERENCE = 16;

export interface LevelShift {
  /** Points from the start of the shift to the end of the history, inclusive (1: the last point alone). */
  readonly pointsBeforeEnd: number;
  /** Index of the first point of the shift (0-based, in the history). */
  readonly index: number;
  /** Direction of the shift: the sign of the one-step errors since it. */
  readonly direction: 1 | -1;
  /** The CUSUM statistic max |S_k| and the critical value it passed. */
  readonly statistic: number;
  readonly threshold: number;
}

/** The last stretch scanned: a fifth of the history, at least 8 and at most 24 points. */
export function scanLength(n: number): number {
  return Math.max(8, Math.min(24, Math.floor(n / 5)));
}

/**
 * The level shift at the end of `y` by the rule above, from the model's one-step fitted values, or undefined when
 * there is none or too little history to tell (fewer than MIN_REFERENCE finite errors before the scanned stretch).
 */
export function detectLevelShift(y: Float64Array, fitted: Float64Array, skip = 0): LevelShift | undefined {
  const n = y.length;
  const L = scanLength(n);
  if (n - L < MIN_REFERENCE + skip) return undefined;
  // relative errors on a positive series, whose noise usually grows with its level (a growth curve's errors would
  // otherwise look larger at its end than in the stretch their scale is measured on)
  const positive = allPositive(y);
  const err = new Float64Array(n);
  for (let i = 0; i < n; i++) err[i] = positive && fitted[i]! > 0 ? (y[i]! - fitted[i]!) / fitted[i]! : positive ? NaN : y[i]! - fitted[i]!;
  // reference stretch: from the end of the burn-in to the scanned stretch, at most the 20 scanned lengths before it
  const refFrom = Math.max(skip, n - L - 20 * L);
  const ref: number[] = [];
  for (let i = refFrom; i < n - L; i++) if (Number.isFinite(err[i]!)) ref.push(err[i]!);
  if (ref.length < MIN_REFERENCE) return undefined;
  const centre = median(ref);
  const sigma = 1.4826 * median(ref.map((e) => Math.abs(e - centre)));
  if (!(sigma > 0)) return undefined;
  let num = 0;
  let den = 0;
  for (let i = refFrom + 1; i < n - L; i++) {
    const a = err[i - 1]! - centre;
    const b = err[i]! - centre;
    if (Number.isFinite(a) && Number.isFinite(b)) {
      num += a * b;
      den += a * a;
    }
  }
  const rho = den > 0 ? Math.min(0.8, Math.max(0, num / den)) : 0;
  const sigmaLr = sigma * Math.sqrt((1 + rho) / (1 - rho));
  let best = 0;
  let bestK = 0;
  let sum = 0;
  let k = 0;
  for (let i = n - 1; i >= n - L; i--) {
    const e = err[i]!;
    if (!Number.isFinite(e)) continue;
    sum += e - centre;
    k++;
    if (k < MIN_AFTER) continue;
    const s = Math.abs(sum) / (sigmaLr * Math.sqrt(k));
    if (s > best) {
      best = s;
      bestK = n - i;
    }
  }
  if (!(best > THRESHOLD)) return undefined;
  const after: number[] = [];
  for (let i = n - bestK; i < n; i++) if (Number.isFinite(err[i]!)) after.push(err[i]! - centre);
  const med = median(after);
  const mean = after.reduce((a, x) => a + x, 0) / after.length;
  if (Math.sign(med) !== Math.sign(mean) || Math.abs(med) < MIN_MEDIAN_SIGMAS * sigma) return undefined;
  // a shift starts with a jump: one of its first MIN_AFTER errors is at least MIN_JUMP_SIGMAS σ off centre on its side
  const jump = Math.max(...after.slice(0, MIN_AFTER).map((e) => Math.sign(mean) * e));
  if (jump < MIN_JUMP_SIGMAS * sigma) return undefined;
  return { pointsBeforeEnd: bestK, index: n - bestK, direction: mean > 0 ? 1 : -1, statistic: best, threshold: THRESHOLD };
}

/**
 * Bands widened to cover the paths the future may follow after a shift whose end the history does not show: the
 * path the series would have followed without it (`earlier`, the model refitted to the history before it) and that
 * path moved by the shift (`shifted`). Each band becomes the union of the model's band around its own mean and the
 * same band moved onto each path (its half-widths kept), so that whichever path the series follows, it is inside
 * the band as often as the level claims; the point forecast stays the model's. A shift that has just begun is as
 * likely to last as to end, and the model may have taken in all of it, some or none: the bands cover each outcome
 * rather than the mean guessing which.
 */
export function widenTowards(b: Bands, paths: ReadonlyArray<ArrayLike<number>>): Bands {
  const h = b.mean.length;
  const out = { mean: b.mean, lo80: Float64Array.from(b.lo80), hi80: Float64Array.from(b.hi80), lo95: Float64Array.from(b.lo95), hi95: Float64Array.from(b.hi95) };
  for (const path of paths) {
    for (let i = 0; i < h; i++) {
      const g = path[i]! - b.mean[i]!;
      if (!Number.isFinite(g)) continue;
      out.lo80[i] = Math.min(out.lo80[i]!, b.lo80[i]! + g);
      out.hi80[i] = Math.max(out.hi80[i]!, b.hi80[i]! + g);
      out.lo95[i] = Math.min(out.lo95[i]!, b.lo95[i]! + g);
      out.hi95[i] = Math.max(out.hi95[i]!, b.hi95[i]! + g);
    }
  }
  return out;
}
