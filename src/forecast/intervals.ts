import type { Rng } from '../rng.js';
import { median, quantileSorted, type Bands, type FittedModel, type TrendRate } from './model.js';

/**
 * Empirical recalibration of prediction intervals from rolling-origin errors. A model's own variance assumes the
 * model is right; on real data it rarely is (parameters are estimated, the trend bends), so its intervals can be too
 * narrow, and, as often, too wide (a model that takes a one-off shift for noise). For each held-out point of the
 * rolling origins, the error is expressed in units of the model's own half-width on that side,
 * z = (y − ŷ) / (bound − ŷ); the factor that makes a central interval cover its nominal share of those points is the
 * empirical quantile of |z|.
 *
 * Factors are a function of the lead time (steps ahead), not of the horizon asked for, so that a target day's interval
 * does not depend on how far past it the forecast goes, and they change smoothly with it:
 * - Lead buckets are fixed in absolute steps, doubling in length (1, 2–3, 4–7, 8–15, …), merged forward until each
 *   holds at least MIN_BUCKET_POINTS held-out points; errors near the origin and far from it go wrong differently.
 * - In each bucket the 80% factor is the 0.8 quantile of |z| pooled over the origins. (A median over the origins of
 *   each one's quantile, tried against one-off level shifts, is biased low: one origin's errors move together, so its
 *   own quantile is nearer the centre than the pooled one; simulated random walks covered 0.69 at 80%.)
 * - 95%: the 80% factor times a tail ratio pooled over all leads, q95(|z₉₅|) / q80(|z₈₀|) (real errors have heavier
 *   tails than the normal the bands assume; a 0.95 quantile per bucket rests on its two or three largest points). The
 *   pooled q95 is Hyndman & Fan's type 6 (`quantileType6`), which covers in expectation.
 * - Each log factor is shrunk towards 0 (factor 1, "the model's own intervals are right") with the prior weighed as
 *   a number of held-out points: w = k / (k + prior) for a bucket of k points (PRIOR_POINTS_80, PRIOR_POINTS_95). In
 *   log space a factor of 0.5 and one of 2 are equally far from 1; bounded to [NARROWEST, 4] for 80% and
 *   [NARROWEST95, 4] for 95%: the 80% band narrows as well as widens (NARROWEST says what that was measured to do).
 * - A one-off shift inside one calibration window makes most of that window's errors large and, through the pooled
 *   tail ratio, stretched the 95% bands 2–4x for a calm future: with three windows or more, a window whose median
 *   error is far outside the bands while the others' are not is left out (ONE_WINDOW_Z).
 * - Between bucket centres (the geometric mean of a bucket's leads) the log factor is interpolated linearly in log
 *   lead; before the first and after the last it is held.
 * Applied as a stretch of each half-width around the mean: an interval-width correction in the spirit of split
 * conformal prediction (Vovk, Gammerman & Shafer 2005; Stankeviciute et al. 2021 for time series), kept parametric so
 * it extends to every horizon.
 */
export interface Calibration {
  /** Lead time (steps ahead, 1-based) at the centre of each bucket, increasing. */
  readonly leads: readonly number[];
  /** Stretch of the 80% and 95% half-widths at those leads. */
  readonly factor80: readonly number[];
  readonly factor95: readonly number[];
  /** Held-out points the factors come from. */
  readonly points: number;
}

/** Fewest held-out points a lead bucket is estimated from; shorter buckets merge with the next. */
const MIN_BUCKET_POINTS = 24;
/**
 * Prior weight, in held-out points, of "the model's own intervals are right" (factor 1): w = k / (k + prior) for a
 * bucket of k points, so a factor resting on few points stays near 1. For the 80% factor, which may narrow, 48: a
 * factor's noise costs more coverage below 1 than it gains above, and a heavier prior holds that back. Tuning half of
 * the accuracy benchmark, auto, MSIS 80% (M4's scaled interval score; lower is better) with this prior 8, 24 and 48:
 * 11.69, 11.40 and 11.24 (without the unemployment series 4.18, 4.03 and 4.00; generated series 2.61, 2.54, 2.49).
 * For the 95% factor, which only widens, 8 as before: 24 there cost MSIS 95% 21.74 → 22.30 (the tail ratio's
 * widening, which real errors need, shrunk away).
 */
const PRIOR_POINTS_80 = 48;
const PRIOR_POINTS_95 = 8;
const MAX_FACTOR = 4;
/**
 * The narrowest stretch of the 80% half-width: a quarter of the model's own. The estimate is symmetric in log space,
 * and with a floor of 1 it was biased upwards: on processes where the model is right (400 random walks and 400 local
 * levels, 100 points, 12 ahead, ETS and auto) 80% intervals covered 0.82–0.84 with the floor at 1 and 0.79–0.80 with
 * it at 1/4 (prior 48), the over-coverage the held-out set of real series shows too (0.863 at 80%). On the tuning half
 * of the accuracy benchmark, whose breaks in the held-out part nothing in the history announces, narrowing costs
 * coverage (auto 0.709 → 0.674 at 80%) and interval score (MSIS 80% 10.86 → 11.24), all of it on the unemployment
 * series (26.8 → 28.3); elsewhere it gains (without them 4.10 → 4.00, generated series 2.67 → 2.49). A floor of 0.5
 * or 0.7 changes little: the prior keeps most factors above it.
 */
export const NARROWEST = 0.25;
/**
 * The narrowest stretch of the 95% half-width: the model's own. Real errors have heavier tails than the normal the
 * bands assume (the pooled tail ratio is above the normal's as a rule), and narrowing it too, tried with the same
 * floor of 1/4 (prior 8), raised the 95% interval score on the tuning half (MSIS 95% 21.7 → 25.5, coverage 0.851 →
 * 0.831).
 */
export const NARROWEST95 = 1;
/** Fewest calibration windows the one-window rule (`calibrationFrom`) is applied to. */
const MIN_ORIGINS_FOR_ROBUST = 3;
/**
 * A window is taken for one a one-off shift fell into when its median |z| (errors in 80% half-widths) is above
 * ONE_WINDOW_Z, about 3.8 σ off for normal bands, and above ONE_WINDOW_RATIO times the median of the other windows'.
 * Under a model that is right that is all but impossible, even for a random walk whose errors within a window move
 * together: 0 of 400 sets of five windows each of independent and of random-walk errors (test/forecast/intervals.test.ts);
 * a shift of 8 σ over 16 of a window's 24 points is caught every time, where it stretched the 95% bands 2–4x before
 * (through the pooled tail ratio).
 */
const ONE_WINDOW_Z = 3;
const ONE_WINDOW_RATIO = 3;

interface HeldOut {
  readonly actual: Float64Array;
  readonly bands: Bands;
}

export function calibrationFrom(held: ReadonlyArray<HeldOut>): Calibration {
  if (held.length < MIN_ORIGINS_FOR_ROBUST) return factorsFrom(held);
  // a one-off shift inside one window: the window whose typical error (median |z|) is far outside the bands, where
  // the other windows' are not, is left out (at most one)
  const medians = held.map((w) => medianOf(absZ80(w)));
  let worst = 0;
  for (let j = 1; j < medians.length; j++) if (medians[j]! > medians[worst]!) worst = j;
  const others = medianOf(medians.filter((_, i) => i !== worst));
  const shifted = medians[worst]! > ONE_WINDOW_Z && medians[worst]! > ONE_WINDOW_RATIO * others;
  return factorsFrom(shifted ? held.filter((_, i) => i !== worst) : held);
}

/** The median, 0 for a window without a finite point (it then never stands out). */
function medianOf(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : median(xs);
}

/** |y − ŷ| in units of the 80% half-width on its side, for each finite held-out point of a window. */
function absZ80({ actual, bands }: HeldOut): number[] {
  const out: number[] = [];
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const m = bands.mean[i]!;
    if (!(a === a) || !(m === m)) continue;
    const w = a >= m ? bands.hi80[i]! - m : m - bands.lo80[i]!;
    const d = Math.abs(a - m);
    out.push(w > 0 ? d / w : d > 0 ? Infinity : 0);
  }
  return out;
}

/** The factors from every window, without the one-window rule of `calibrationFrom`. */
export function factorsFrom(held: ReadonlyArray<HeldOut>): Calibration {
  // |z| at the 80% and 95% bounds, by lead (0-based) and by origin
  const byLead: Array<Array<{ z80: number; origin: number }>> = [];
  const z95: number[] = [];
  const all80: number[] = [];
  let points = 0;
  held.forEach(({ actual, bands }, origin) => {
    for (let i = 0; i < actual.length; i++) {
      const a = actual[i]!;
      const m = bands.mean[i]!;
      if (!(a === a) || !(m === m)) continue;
      const up = a >= m;
      const w80 = up ? bands.hi80[i]! - m : m - bands.lo80[i]!;
      const w95 = up ? bands.hi95[i]! - m : m - bands.lo95[i]!;
      const d = Math.abs(a - m);
      const z = w80 > 0 ? d / w80 : d > 0 ? Infinity : 0;
      (byLead[i] ??= []).push({ z80: z, origin });
      all80.push(z);
      z95.push(w95 > 0 ? d / w95 : d > 0 ? Infinity : 0);
      points++;
    }
  });
  all80.sort((a, b) => a - b);
  z95.sort((a, b) => a - b);
  const q80 = all80.length > 0 ? quantileSorted(all80, 0.8) : 0;
  const q95 = z95.length > 0 ? quantileType6(z95, 0.95) : 0;
  const tail = q80 > 0 && q95 > 0 && Number.isFinite(q95 / q80) ? q95 / q80 : 1;

  // doubling lead buckets [lo, hi), merged forward to at least MIN_BUCKET_POINTS points (the last may stay short)
  const buckets: Array<{ lo: number; hi: number }> = [];
  let lo = 0;
  while (lo < byLead.length) {
    let hi = Math.max(lo + 1, 2 * lo + 1);
    let k = 0;
    for (let i = lo; i < Math.min(hi, byLead.length); i++) k += byLead[i]?.length ?? 0;
    while (k < MIN_BUCKET_POINTS && hi < byLead.length) {
      k += byLead[hi]?.length ?? 0;
      hi++;
    }
    if (k < MIN_BUCKET_POINTS && buckets.length > 0) buckets[buckets.length - 1]!.hi = Math.min(hi, byLead.length);
    else buckets.push({ lo, hi: Math.min(hi, byLead.length) });
    lo = hi;
  }

  const leads: number[] = [];
  const factor80: number[] = [];
  const factor95: number[] = [];
  for (const b of buckets) {
    const entries = byLead.slice(b.lo, b.hi).flat();
    if (entries.length === 0) continue;
    const zs = entries.map((e) => e.z80).sort((x, y) => x - y);
    const logRaw = Math.log(Math.max(1e-6, quantileSorted(zs, 0.8)));
    const w = entries.length / (entries.length + PRIOR_POINTS_80);
    const w95 = entries.length / (entries.length + PRIOR_POINTS_95);
    const bound = (x: number): number => Math.min(Math.log(MAX_FACTOR), Math.max(-Math.log(MAX_FACTOR), Number.isFinite(x) ? x : Math.log(MAX_FACTOR)));
    const logTail = Math.log(tail);
    leads.push(Math.sqrt((b.lo + 1) * b.hi));
    factor80.push(Math.max(NARROWEST, Math.exp(w * bound(logRaw))));
    factor95.push(Math.max(NARROWEST95, Math.exp(w95 * bound(logRaw + logTail))));
  }
  return { leads, factor80, factor95, points };
}

/**
 * A narrowing factor fades back to 1 between the last calibrated lead and this many times it (linearly in log lead): the
 * windows say nothing about errors further out, where a model's misspecification grows, and narrowing held to a long
 * horizon cost the long-horizon benchmark's 80% coverage (auto, real monthly at 36–60 months 0.80 → 0.70, generated
 * daily 180 days ahead 0.90 → 0.71) with it held.
 */
const RELAX_LEADS = 4;

/**
 * The factor at a lead (1-based): interpolated linearly in log lead between bucket centres, held before the first; past
 * the last, held when it widens and faded back to 1 when it narrows (RELAX_LEADS).
 */
export function factorAt(leads: readonly number[], factors: readonly number[], lead: number): number {
  const k = leads.length;
  if (k === 0) return 1;
  if (lead <= leads[0]!) return factors[0]!;
  if (lead >= leads[k - 1]!) {
    // past the last calibrated lead a widening is held, a narrowing fades back to 1 by RELAX_LEADS times that lead
    const last = Math.log(factors[k - 1]!);
    return last >= 0 ? factors[k - 1]! : Math.exp(last * Math.max(0, 1 - Math.log(lead / leads[k - 1]!) / Math.log(RELAX_LEADS)));
  }
  let j = 1;
  while (leads[j]! < lead) j++;
  const x0 = Math.log(leads[j - 1]!);
  const x1 = Math.log(leads[j]!);
  const f = (Math.log(lead) - x0) / (x1 - x0);
  return Math.exp(Math.log(factors[j - 1]!) * (1 - f) + Math.log(factors[j]!) * f);
}

/**
 * Quantile of an ascending array at probability q by Hyndman & Fan's type 6: the order statistic at position (k+1)q,
 * interpolated, clamped to the smallest and largest value. For exchangeable scores, the j-th smallest of k covers a
 * new one with probability exactly j/(k+1), so type 6 gives the nominal coverage in expectation, where type 7 (position
 * (k−1)q+1) falls short by about (2q−1)/(k+1): at 95% from 20 points, 0.905 instead of 0.95.
 */
function quantileType6(sorted: ArrayLike<number>, q: number): number {
  const k = sorted.length;
  const pos = (k + 1) * q;
  if (pos <= 1) return sorted[0]!;
  if (pos >= k) return sorted[k - 1]!;
  const lo = Math.floor(pos);
  const f = pos - lo;
  return sorted[lo - 1]! * (1 - f) + sorted[lo]! * f;
}

/** Stretch each half-width of a band around its mean by the factor of its lead time. */
export function applyCalibration(b: Bands, c: Calibration): Bands {
  const h = b.mean.length;
  const out = {
    mean: b.mean,
    lo80: new Float64Array(h),
    hi80: new Float64Array(h),
    lo95: new Float64Array(h),
    hi95: new Float64Array(h),
  };
  for (let i = 0; i < h; i++) {
    const m = b.mean[i]!;
    const f80 = factorAt(c.leads, c.factor80, i + 1);
    const f95 = factorAt(c.leads, c.factor95, i + 1);
    out.lo80[i] = m - f80 * (m - b.lo80[i]!);
    out.hi80[i] = m + f80 * (b.hi80[i]! - m);
    out.lo95[i] = m - f95 * (m - b.lo95[i]!);
    out.hi95[i] = m + f95 * (b.hi95[i]! - m);
  }
  return out;
}

/** A fitted model whose intervals are recalibrated. */
export class CalibratedFit implements FittedModel {
  readonly name: FittedModel['name'];
  readonly label: string;
  readonly fitted: Float64Array;
  readonly aicc?: number;

  constructor(
    readonly inner: FittedModel,
    readonly calibration: Calibration,
  ) {
    this.name = inner.name;
    if (this.inner.samplePaths) {
      const inner = this.inner;
      this.samplePaths = (h, n, rng) => inner.samplePaths!(h, n, rng);
    }
    this.label = inner.label;
    this.fitted = inner.fitted;
    if (inner.aicc !== undefined) this.aicc = inner.aicc;
    if (inner.trend !== undefined) this.trend = inner.trend;
  }

  /** The inner model's standardised error paths: this wrapper changes each step monotonically (see FittedModel). */
  readonly samplePaths?: (h: number, n: number, rng: Rng) => Float64Array;
  readonly trend?: TrendRate;

  predict(h: number, rng: Rng): Bands {
    return applyCalibration(this.inner.predict(h, rng), this.calibration);
  }
}

