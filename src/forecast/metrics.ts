/**
 * Forecast accuracy measures as defined for the M4 competition (Makridakis, Spiliotis & Assimakopoulos 2020, "The M4
 * Competition: 100,000 time series and 61 forecasting methods", IJF 36(1), §2.2). Missing actual values (NaN) are
 * skipped.
 */

/**
 * Mean absolute scaled error: the mean absolute forecast error divided by the in-sample mean absolute error of the
 * seasonal naive one-step forecast, (1/(n−m)) Σ_{t>m} |y_t − y_{t−m}| (Hyndman & Koehler 2006). m = 1 for
 * non-seasonal data. NaN when the scale is undefined or zero (a constant history).
 */
export function mase(actual: ArrayLike<number>, forecast: ArrayLike<number>, insample: ArrayLike<number>, m: number): number {
  const mm = Math.max(1, Math.round(m));
  let s = 0;
  let k = 0;
  for (let t = mm; t < insample.length; t++) {
    const d = insample[t]! - insample[t - mm]!;
    if (d === d) {
      s += Math.abs(d);
      k++;
    }
  }
  const scale = k > 0 ? s / k : NaN;
  const mae = meanAbsError(actual, forecast);
  return scale > 0 ? mae / scale : NaN;
}

/** Mean absolute error over the points where both are defined. */
export function meanAbsError(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  let s = 0;
  let k = 0;
  for (let i = 0; i < actual.length; i++) {
    const e = actual[i]! - forecast[i]!;
    if (e === e) {
      s += Math.abs(e);
      k++;
    }
  }
  return k > 0 ? s / k : NaN;
}

/** Symmetric MAPE in percent, M4's form: (200/h) Σ |y − ŷ| / (|y| + |ŷ|); a term with 0/0 counts as 0. */
export function smape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  let s = 0;
  let k = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const f = forecast[i]!;
    if (!(a === a) || !(f === f)) continue;
    const den = Math.abs(a) + Math.abs(f);
    s += den > 0 ? Math.abs(a - f) / den : 0;
    k++;
  }
  return k > 0 ? (200 * s) / k : NaN;
}

/** Fraction of actual values inside [lo, hi] (bounds inclusive). */
export function coverage(actual: ArrayLike<number>, lo: ArrayLike<number>, hi: ArrayLike<number>): number {
  let inside = 0;
  let k = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    if (!(a === a)) continue;
    k++;
    if (a >= lo[i]! && a <= hi[i]!) inside++;
  }
  return k > 0 ? inside / k : NaN;
}
