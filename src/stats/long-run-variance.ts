/**
 * The long-run variance of a series (the spectral density at frequency 0, times 2π): the variance plus twice the
 * Bartlett-weighted autocovariances up to `lags`, Σ_{|j| ≤ lags} (1 − |j|/(lags + 1)) γ_j (Newey & West 1987, "A
 * simple, positive semi-definite, heteroskedasticity and autocorrelation consistent covariance matrix", Econometrica
 * 55(3)). The Bartlett weights keep it ≥ 0. Used for the standard error of a trend (forecast/drift.ts) and for the KPSS
 * stationarity test (forecast/arima-auto.ts).
 * @example longRunVariance([1, -1, 1, -1], 0) // => 1 (the plain variance about the mean, divided by the count)
 */
export function longRunVariance(x: ArrayLike<number>, lags: number): number {
  let omega = autocovariance(x, 0);
  for (let j = 1; j <= lags; j++) omega += 2 * (1 - j / (lags + 1)) * autocovariance(x, j);
  return omega;
}

/** Autocovariance at lag j about the mean, divided by the count (the biased form, which keeps the Bartlett sum ≥ 0). */
export function autocovariance(x: ArrayLike<number>, j: number): number {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i]!;
  m /= n;
  let s = 0;
  for (let i = j; i < n; i++) s += (x[i]! - m) * (x[i - j]! - m);
  return s / n;
}
