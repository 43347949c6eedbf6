/**
 * Guerrero's choice of the Box–Cox λ (Guerrero 1993, "Time-series analysis supported by power transformations",
 * Journal of Forecasting 12(1), 37–48), as R's `forecast::BoxCox.lambda(method = "guerrero")` computes it: the history
 * (its last whole cycles) is cut into subseries of one cycle each; with m_i and s_i the mean and standard deviation of
 * the i-th, λ is the value in [LAMBDA_MIN, LAMBDA_MAX] that makes the ratios s_i / m_i^(1−λ) most nearly constant
 * (least coefficient of variation). Noise proportional to the level (s ∝ m) gives λ ≈ 0, the log; noise that does not
 * grow with the level gives λ ≈ 1, no transform. Needs positive values; returns undefined when some observed value is
 * not positive, or when fewer than four cycles are left with a positive spread.
 */
export function guerreroLambda(y: Float64Array, period: number): number | undefined {
  const p = Math.max(2, Math.round(period));
  const cycles = Math.floor(y.length / p);
  if (cycles < 4) return undefined;
  const start = y.length - cycles * p;
  const logMean: number[] = [];
  const sd: number[] = [];
  for (let c = 0; c < cycles; c++) {
    let s = 0;
    let ss = 0;
    let k = 0;
    for (let i = start + c * p; i < start + (c + 1) * p; i++) {
      const v = y[i]!;
      if (!(v === v)) continue;
      if (!(v > 0)) return undefined;
      s += v;
      ss += v * v;
      k++;
    }
    if (k < 2) continue;
    const mean = s / k;
    const variance = Math.max(0, (ss - k * mean * mean) / (k - 1));
    if (!(variance > 0)) continue;
    logMean.push(Math.log(mean));
    sd.push(Math.sqrt(variance));
  }
  if (sd.length < 4) return undefined;
  // coefficient of variation of s_i / m_i^(1−λ), minimised by golden-section search (it is smooth and, for data of the
  // kind this is for, unimodal in λ), as R's `optimize` does
  const cv = (lambda: number): number => {
    let a = 0;
    let b = 0;
    for (let i = 0; i < sd.length; i++) {
      const r = sd[i]! * Math.exp(-(1 - lambda) * logMean[i]!);
      a += r;
      b += r * r;
    }
    const k = sd.length;
    const mean = a / k;
    return Math.sqrt(Math.max(0, (b - k * mean * mean) / (k - 1))) / mean;
  };
  let lo = LAMBDA_MIN;
  let hi = LAMBDA_MAX;
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - g * (hi - lo);
  let x2 = lo + g * (hi - lo);
  let f1 = cv(x1);
  let f2 = cv(x2);
  for (let it = 0; it < 40; it++) {
    if (f1 <= f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - g * (hi - lo);
      f1 = cv(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + g * (hi - lo);
      f2 = cv(x2);
    }
  }
  return (lo + hi) / 2;
}

/** The search range of λ, as R's `BoxCox.lambda` (lower −1, upper 2). */
export const LAMBDA_MIN = -1;
export const LAMBDA_MAX = 2;
