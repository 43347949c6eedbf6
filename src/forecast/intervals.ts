import type { Rng } from '../rng.js';
import { quantileSorted, type Bands, type FittedModel, type TrendRate } from './model.js';

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
 *   PRIOR_POINTS held-out points: w = k / (k + PRIOR_POINTS) for a bucket of k points. In log space a factor of 0.5 and
 *   one of 2 are equally far from 1; bounded to [NARROWEST, 4] for 80% and [NARROWEST95, 4] for 95%: the bands
 *   narrow as well as widen (NARROWEST says what that was measured to do).
 * - A one-off shift inside one calibration window makes all of that window's errors large and would stretch the bands
 *   for a calm future: with three windows or more, the window whose removal narrows the typical 80% factor most is
 *   left out when it narrows it by more than ONE_WINDOW_STRETCH.
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
 * Prior weight, in held-out points, of "the model's own intervals are right" (factor 1): w = k / (k + PRIOR_POINTS)
 * for a bucket of k points, so a factor resting on few points stays near 1. 24 since the factors may narrow: a factor's
 * noise costs more coverage below 1 than it gains above, and the heavier prior holds that back. Tuning half of the
 * accuracy benchmark, auto, with the 80% factor free to narrow, prior 8 and 24: coverage 0.672 / 0.845 and
 * 0.679 / 0.831, MSIS 80% 11.69 and 11.40 (without the unemployment series 4.18 and 4.03).
 */
const PRIOR_POINTS = 24;
const MAX_FACTOR = 4;
/**
 * The narrowest stretch of the 80% half-width: a quarter of the model's own. The estimate is symmetric in log space,
 * and with a floor of 1 it was biased upwards: on processes where the model is right (400 random walks and 400 local
 * levels, 100 points, 12 ahead, ETS and auto) 80% intervals covered 0.82–0.84 with the floor at 1 and 0.79–0.80 with
 * it at 1/4 (95%: 0.96–0.97 and 0.95–0.97), the over-coverage the held-out set of real series shows too (0.863 at
 * 80%). On the tuning half of the accuracy benchmark, whose breaks in the held-out part nothing in the history
 * announces, narrowing costs coverage (auto 0.709 / 0.851 → 0.679 / 0.831) and interval score (MSIS 80% 10.90 →
 * 11.40), all of it on the unemployment series (26.9 → 28.8); elsewhere it gains (without them 4.10 → 4.03, generated
 * 2.67 → 2.54).
 */
export const NARROWEST = 0.25;
/**
 * The narrowest stretch of the 95% half-width: the model's own. Real errors have heavier tails than the normal the
 * bands assume (the pooled tail ratio is above the normal's as a rule), and narrowing it too, tried with the same
 * floor of 1/4, raised the 95% interval score on the tuning half (MSIS 95% 22.30 → 25.68, coverage 0.831 → 0.823).
 */
export const NARROWEST95 = 1;
/** Fewest calibration windows the one-window rule (`calibrationFrom`) is applied to. */
const MIN_ORIGINS_FOR_ROBUST = 3;
/**
 * A window whose removal narrows the typical (geometric mean) 80% factor by more than this much is one a one-off
 * shift fell into, and is left out. A shift of 8 σ in the second half of one window of five stretched the 80% bands
 * about 2x without the rule (test/forecast/intervals.test.ts); with correct bands and random-walk errors the mean log
 * factor stays near 0 (−0.03 over 400 sets of five windows).
 */
const ONE_WINDOW_STRETCH = 1.5;

interface HeldOut {
  readonly actual: Float64Array;
  readonly bands: Bands;
}

export function calibrationFrom(held: ReadonlyArray<HeldOut>): Calibration {
  const all = factorsFrom(held);
  if (held.length < MIN_ORIGINS_FOR_ROBUST) return all;
  // a one-off shift inside one window: the factors without each window in turn; when leaving one out narrows the
  // typical 80% factor by more than ONE_WINDOW_STRETCH, that window alone stretched the bands, and it is left out
  let best: Calibration | undefined;
  let bestLog = Infinity;
  for (let j = 0; j < held.length; j++) {
    const c = factorsFrom(held.filter((_, i) => i !== j));
    const lg = meanLog(c.factor80);
    if (lg < bestLog) {
      best = c;
      bestLog = lg;
    }
  }
  return best !== undefined && meanLog(all.factor80) - bestLog > Math.log(ONE_WINDOW_STRETCH) ? best : all;
}

function meanLog(xs: readonly number[]): number {
  return xs.length > 0 ? xs.reduce((a, x) => a + Math.log(x), 0) / xs.length : 0;
}

function factorsFrom(held: ReadonlyArray<HeldOut>): Calibration {
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
    const w = entries.length / (entries.length + PRIOR_POINTS);
    const bound = (x: number): number => Math.min(Math.log(MAX_FACTOR), Math.max(-Math.log(MAX_FACTOR), Number.isFinite(x) ? x : Math.log(MAX_FACTOR)));
    const logTail = Math.log(tail);
    leads.push(Math.sqrt((b.lo + 1) * b.hi));
    factor80.push(Math.max(NARROWEST, Math.exp(w * bound(logRaw))));
    factor95.push(Math.max(NARROWEST95, Math.exp(w * bound(logRaw + logTail))));
  }
  return { leads, factor80, factor95, points };
}

/** The factor at a lead (1-based): interpolated linearly in log lead between bucket centres, held outside them. */
export function factorAt(leads: readonly number[], factors: readonly number[], lead: number): number {
  const k = leads.length;
  if (k === 0) return 1;
  if (lead <= leads[0]!) return factors[0]!;
  if (lead >= leads[k - 1]!) return factors[k - 1]!;
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

