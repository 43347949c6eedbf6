import type { Rng } from '../rng.js';
import { aiccGaussian, normalBands, paramText, type Bands, type FittedModel, type TrendRate } from './model.js';
import { nelderMead } from './optimize.js';

/**
 * A seasonal ARIMA(p,d,q)(P,D,Q)_m model (Box, Jenkins, Reinsel & Ljung, "Time Series Analysis", 5th ed. 2015, ch. 9):
 *   φ(B) Φ(B^m) (w_t − μ) = θ(B) Θ(B^m) ε_t,   w_t = (1 − B)^d (1 − B^m)^D y_t,
 * with φ, θ of degree p, q and Φ, Θ of degree P, Q in B^m. The constant μ is allowed when d + D ≤ 1, as in R's
 * `auto.arima` (Hyndman & Khandakar 2008, "Automatic time series forecasting: the forecast package for R", JSS 27(3),
 * §3.2): the mean of a stationary series, or a drift when the series is differenced once.
 */
export interface ArimaOrder {
  readonly p: number;
  readonly d: number;
  readonly q: number;
  readonly P: number;
  readonly D: number;
  readonly Q: number;
  /** Seasonal period in steps (1 when non-seasonal). */
  readonly m: number;
  /** Whether μ is estimated (only when d + D ≤ 1; otherwise ignored). */
  readonly constant: boolean;
}

/** Number of estimated coefficients: the ARMA terms and μ (the variance is counted by the caller). */
export function coefficientCount(o: ArimaOrder): number {
  return o.p + o.q + o.P + o.Q + (hasConstant(o) ? 1 : 0);
}

function hasConstant(o: ArimaOrder): boolean {
  return o.constant && o.d + o.D <= 1;
}

/** `(1 − B)^d (1 − B^m)^D` as lag coefficients δ with y_t = w_t + Σ δ_i y_{t−i} (δ[0] unused). */
export function differencingLags(d: number, D: number, m: number): Float64Array {
  // multiply out the polynomial 1 − Σ δ_i B^i as coefficients c with c[0] = 1
  let c = Float64Array.of(1);
  const mul = (f: Float64Array): void => {
    const out = new Float64Array(c.length + f.length - 1);
    for (let i = 0; i < c.length; i++) for (let j = 0; j < f.length; j++) out[i + j]! += c[i]! * f[j]!;
    c = out;
  };
  for (let i = 0; i < d; i++) mul(Float64Array.of(1, -1));
  if (D > 0 && m > 1) {
    const s = new Float64Array(m + 1);
    s[0] = 1;
    s[m] = -1;
    for (let i = 0; i < D; i++) mul(s);
  }
  const delta = new Float64Array(c.length);
  for (let i = 1; i < c.length; i++) delta[i] = -c[i]!;
  return delta;
}

/** The differenced series w = (1 − B)^d (1 − B^m)^D y; its index t is y's index t + `delta.length − 1`. */
export function difference(y: Float64Array, delta: Float64Array): Float64Array {
  const lag = delta.length - 1;
  const w = new Float64Array(Math.max(0, y.length - lag));
  for (let t = lag; t < y.length; t++) {
    let v = y[t]!;
    for (let i = 1; i <= lag; i++) v -= delta[i]! * y[t - i]!;
    w[t - lag] = v;
  }
  return w;
}

/**
 * Partial autocorrelations in (−1, 1), from unconstrained values by tanh, to the coefficients of a stationary AR
 * polynomial 1 − Σ a_i B^i by the Durbin–Levinson recursion (Jones 1980, "Maximum likelihood fitting of ARMA models to
 * time series with missing observations", Technometrics 22(3); Monahan 1984, Biometrika 71(2)); R's `arima` uses the
 * same map. Every real vector maps to a stationary polynomial, and for an MA polynomial 1 + Σ θ_j B^j with θ = −a to an
 * invertible one, so the optimiser needs no constraint. `bound` < 1 keeps the partial autocorrelations off ±1.
 */
export function pacfToCoefficients(raw: ArrayLike<number>, from: number, k: number, out: Float64Array, bound = 1): void {
  const tmp = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const r = bound * Math.tanh(raw[from + j]!);
    for (let i = 0; i < j; i++) tmp[i] = out[i]! - r * out[j - 1 - i]!;
    for (let i = 0; i < j; i++) out[i] = tmp[i]!;
    out[j] = r;
  }
}

/** Inverse of `pacfToCoefficients` (the Levinson recursion run backwards), for starting values. */
export function coefficientsToPacf(a: ArrayLike<number>, k: number): Float64Array {
  const cur = Float64Array.from({ length: k }, (_, i) => a[i]!);
  const raw = new Float64Array(k);
  for (let j = k - 1; j >= 0; j--) {
    const r = Math.max(-0.999, Math.min(0.999, cur[j]!));
    raw[j] = Math.atanh(r);
    const prev = new Float64Array(j);
    for (let i = 0; i < j; i++) prev[i] = (cur[i]! + r * cur[j - 1 - i]!) / (1 - r * r);
    for (let i = 0; i < j; i++) cur[i] = prev[i]!;
  }
  return raw;
}

/** The ARMA coefficients of an order, with the seasonal and non-seasonal polynomials multiplied out. */
export interface ArmaCoefficients {
  /** φ_1..φ_p, Φ_1..Φ_P, θ_1..θ_q, Θ_1..Θ_Q. */
  readonly phi: Float64Array;
  readonly sPhi: Float64Array;
  readonly theta: Float64Array;
  readonly sTheta: Float64Array;
  /** Expanded AR lags: w_t − μ = Σ ar[i] (w_{t−i} − μ) + ε_t + Σ ma[j] ε_{t−j} (index 0 unused). */
  readonly ar: Float64Array;
  readonly ma: Float64Array;
}

/** Multiply out φ(B)Φ(B^m) and θ(B)Θ(B^m) into lag coefficients. */
export function expand(o: ArimaOrder, phi: Float64Array, sPhi: Float64Array, theta: Float64Array, sTheta: Float64Array): ArmaCoefficients {
  const m = o.m;
  // (1 − Σφ_i B^i)(1 − ΣΦ_k B^{km}) = 1 − Σφ_i B^i − ΣΦ_k B^{km} + Σ φ_i Φ_k B^{i+km}
  const ar = new Float64Array(o.p + m * o.P + 1);
  for (let i = 1; i <= o.p; i++) ar[i]! += phi[i - 1]!;
  for (let k = 1; k <= o.P; k++) {
    ar[k * m]! += sPhi[k - 1]!;
    for (let i = 1; i <= o.p; i++) ar[i + k * m]! -= phi[i - 1]! * sPhi[k - 1]!;
  }
  // (1 + Σθ_j B^j)(1 + ΣΘ_k B^{km})
  const ma = new Float64Array(o.q + m * o.Q + 1);
  for (let j = 1; j <= o.q; j++) ma[j]! += theta[j - 1]!;
  for (let k = 1; k <= o.Q; k++) {
    ma[k * m]! += sTheta[k - 1]!;
    for (let j = 1; j <= o.q; j++) ma[j + k * m]! += theta[j - 1]! * sTheta[k - 1]!;
  }
  return { phi, sPhi, theta, sTheta, ar, ma };
}

/** Indices i ≥ 1 where c[i] ≠ 0: the recursions below skip the zero lags of a seasonal polynomial. */
function nonZeroLags(c: Float64Array): Int32Array {
  const out: number[] = [];
  for (let i = 1; i < c.length; i++) if (c[i] !== 0) out.push(i);
  return Int32Array.from(out);
}

/**
 * Conditional residuals of the ARMA recursion on w − μ (Box et al. 2015, §7.1.2): ε_t = 0 and w_t − μ taken as given
 * before the first step at which every AR lag exists; the sum of squares counts residuals from `from` on. Returns the
 * sum of squares; fills `e` (length of w).
 */
export function cssResiduals(w: Float64Array, mu: number, c: ArmaCoefficients, from: number, e: Float64Array): number {
  const arL = nonZeroLags(c.ar);
  const maL = nonZeroLags(c.ma);
  const ar = c.ar;
  const ma = c.ma;
  const start = ar.length - 1;
  let sse = 0;
  e.fill(0, 0, Math.min(start, w.length));
  for (let t = start; t < w.length; t++) {
    let v = w[t]! - mu;
    for (let k = 0; k < arL.length; k++) {
      const i = arL[k]!;
      v -= ar[i]! * (w[t - i]! - mu);
    }
    for (let k = 0; k < maL.length; k++) {
      const j = maL[k]!;
      if (t - j >= 0) v -= ma[j]! * e[t - j]!;
    }
    e[t] = v;
    if (t >= from) sse += v * v;
  }
  return sse;
}

/** ψ weights of the MA(∞) form of y: ψ(B) = θ(B)Θ(B^m) / (φ(B)Φ(B^m)(1 − B)^d(1 − B^m)^D), ψ_0 = 1. */
export function psiWeights(ar: Float64Array, ma: Float64Array, delta: Float64Array, h: number): Float64Array {
  // full AR polynomial 1 − Σ a*_i B^i = (1 − Σ ar_i B^i)(1 − Σ δ_i B^i)
  const full = new Float64Array(ar.length + delta.length - 1);
  for (let i = 1; i < ar.length; i++) full[i]! += ar[i]!;
  for (let i = 1; i < delta.length; i++) full[i]! += delta[i]!;
  for (let i = 1; i < ar.length; i++) for (let j = 1; j < delta.length; j++) full[i + j]! -= ar[i]! * delta[j]!;
  const psi = new Float64Array(h);
  if (h > 0) psi[0] = 1;
  for (let j = 1; j < h; j++) {
    let v = j < ma.length ? ma[j]! : 0;
    for (let i = 1; i <= Math.min(j, full.length - 1); i++) v += full[i]! * psi[j - i]!;
    psi[j] = v;
  }
  return psi;
}

/** A fitted seasonal ARIMA: point forecasts from the recursion, Gaussian intervals from the ψ weights. */
export class ArimaFit implements FittedModel {
  readonly name = 'arima' as const;
  readonly label: string;
  readonly fitted: Float64Array;
  readonly aicc: number;
  readonly trend: TrendRate;
  private readonly delta: Float64Array;

  constructor(
    readonly order: ArimaOrder,
    readonly coef: ArmaCoefficients,
    /** μ of the differenced series (0 without a constant). */
    readonly mu: number,
    /** Innovation variance. */
    readonly sigma2: number,
    /** The history with its gaps interpolated (the recursion needs every lag). */
    private readonly yFilled: Float64Array,
    /** The differenced history and its residuals. */
    private readonly w: Float64Array,
    private readonly e: Float64Array,
    aicc: number,
    observed: Float64Array,
    /** The series' unit per unit of the scaled history the recursion ran on (see `fitArimaOrder`). */
    readonly scale = 1,
  ) {
    this.delta = differencingLags(order.d, order.D, order.m);
    this.aicc = aicc;
    const n = yFilled.length;
    const lag = this.delta.length - 1;
    const start = lag + coef.ar.length - 1;
    this.fitted = new Float64Array(n).fill(NaN);
    for (let t = start; t < n; t++) if (observed[t]! === observed[t]!) this.fitted[t] = scale * (yFilled[t]! - e[t - lag]!);
    this.label = arimaLabel(order, coef, scale * mu);
    this.trend = { perStep: this.longRunSlope(), log: false };
  }

  /** Slope of the point forecast far ahead, per step: the drift, or the trend a second difference carries on. */
  private longRunSlope(): number {
    const s = Math.max(1, this.order.m);
    const h = 4 * s + 24;
    const f = this.pointForecast(h);
    const v = (f[h - 1]! - f[h - 1 - s]!) / s;
    return Number.isFinite(v) ? v : 0;
  }

  /** Point forecasts: future ε are 0, future w follow the ARMA recursion, y is integrated back from w. */
  pointForecast(h: number, muShift = 0): Float64Array {
    const { ar, ma } = this.coef;
    const w = this.w;
    const e = this.e;
    const nw = w.length;
    const mu = this.mu + muShift;
    const wf = new Float64Array(nw + h);
    wf.set(w);
    for (let i = 0; i < h; i++) {
      const t = nw + i;
      let v = 0;
      for (let k = 1; k < ar.length; k++) if (t - k >= 0) v += ar[k]! * (wf[t - k]! - mu);
      for (let j = i + 1; j < ma.length; j++) if (t - j >= 0 && t - j < nw) v += ma[j]! * e[t - j]!;
      wf[t] = mu + v;
    }
    const n = this.yFilled.length;
    const lag = this.delta.length - 1;
    const yf = new Float64Array(n + h);
    yf.set(this.yFilled);
    for (let i = 0; i < h; i++) {
      const t = n + i;
      let v = wf[nw + i]!;
      for (let k = 1; k <= lag; k++) v += this.delta[k]! * yf[t - k]!;
      yf[t] = v;
    }
    const out = yf.slice(n);
    for (let i = 0; i < h; i++) out[i] = this.scale * out[i]!;
    return out;
  }

  /**
   * Forecast with σ²·Σ_{j<h} ψ_j² as the h-step error variance (Box et al. 2015, §5.2), plus, with a constant, the
   * error of the estimated μ carried to step h: g_h² Var(μ̂), g_h = ∂ŷ_{n+h}/∂μ (h for a drift, growing with the lead)
   * and Var(μ̂) = σ² (θ(1)Θ(1) / φ(1)Φ(1))² / n_w, the variance of the mean of n_w points of an ARMA process
   * (Brockwell & Davis 2002, "Introduction to Time Series and Forecasting", 2nd ed., §2.4). Without it a drift
   * estimated from a short history is treated as known, and the far end of the band undercovers.
   */
  predict(h: number, _rng: Rng): Bands {
    const { mean, sd } = this.errorTerms(h);
    return normalBands(mean, sd.map((s) => this.scale * s));
  }

  /**
   * Standardised error paths with this model's own dependence: e_h = Σ_{j<h} ψ_j ε_{h−j} from fresh shocks ε ~ N(0, σ²),
   * plus g_h·δμ with δμ ~ N(0, Var(μ̂)) drawn once per path (the mean's error), each divided by the standard deviation
   * `predict` uses, so every step has unit variance. A stationary model's paths revert; an integrated one's wander.
   */
  samplePaths(h: number, n: number, rng: Rng): Float64Array {
    const out = new Float64Array(n * h);
    const { psi, gain, muVar, sd } = this.errorTerms(h);
    const sigma = Math.sqrt(this.sigma2);
    const eps = new Float64Array(h);
    for (let p = 0; p < n; p++) {
      const r = rng.split(p);
      const dMu = Math.sqrt(muVar) * r.nextNormal();
      for (let i = 0; i < h; i++) {
        eps[i] = sigma * r.nextNormal();
        let e = gain[i]! * dMu;
        for (let j = 0; j <= i; j++) e += psi[j]! * eps[i - j]!;
        out[p * h + i] = sd[i]! > 0 ? e / sd[i]! : 0;
      }
    }
    return out;
  }

  /**
   * The h-step error on the scaled series: the ψ weights, the gain g_h = ∂ŷ_{n+h}/∂μ of an error in μ̂ (0 without a
   * constant), Var(μ̂), and the standard deviation √(σ²·Σ_{j<h} ψ_j² + g_h² Var(μ̂)) (see `predict`); with the point
   * forecast they are computed from. `predict` and `samplePaths` share it, so a path's steps have the bands' variance.
   */
  private errorTerms(h: number): { mean: Float64Array; psi: Float64Array; gain: Float64Array; muVar: number; sd: Float64Array } {
    const mean = this.pointForecast(h);
    const psi = psiWeights(this.coef.ar, this.coef.ma, this.delta, h);
    const g = this.mu !== 0 ? this.pointForecast(h, 1) : undefined;
    const muVar = g !== undefined ? this.meanVariance() : 0;
    const sd = new Float64Array(h);
    const gain = new Float64Array(h);
    let acc = 0;
    for (let i = 0; i < h; i++) {
      acc += psi[i]! * psi[i]!;
      gain[i] = g !== undefined ? (g[i]! - mean[i]!) / this.scale : 0;
      sd[i] = Math.sqrt(this.sigma2 * acc + gain[i]! * gain[i]! * muVar);
    }
    return { mean, psi, gain, muVar, sd };
  }

  /** Var(μ̂) of the sample mean of w: the long-run variance σ² (Σ ma / (1 − Σ ar))² over n_w. */
  private meanVariance(): number {
    let arSum = 1;
    for (let i = 1; i < this.coef.ar.length; i++) arSum -= this.coef.ar[i]!;
    let maSum = 1;
    for (let j = 1; j < this.coef.ma.length; j++) maSum += this.coef.ma[j]!;
    const ratio = maSum / arSum;
    const v = (this.sigma2 * ratio * ratio) / Math.max(1, this.w.length);
    return Number.isFinite(v) ? v : 0;
  }
}

/** "arima(1,1,1)(0,1,1)[12] drift=0.3 ar=0.52 ma=-0.41 sma=-0.6". */
function arimaLabel(o: ArimaOrder, c: ArmaCoefficients, mu: number): string {
  const parts = [`arima(${o.p},${o.d},${o.q})` + (o.m > 1 ? `(${o.P},${o.D},${o.Q})[${o.m}]` : '')];
  if (hasConstant(o)) parts.push(`${o.d + o.D === 1 ? 'drift' : 'mean'}=${paramText(o.D === 1 && o.d === 0 ? mu / o.m : mu)}`);
  const list = (k: string, a: Float64Array): void => {
    if (a.length > 0) parts.push(`${k}=${Array.from(a, (x) => paramText(x)).join(',')}`);
  };
  list('ar', c.phi);
  list('ma', c.theta);
  list('sar', c.sPhi);
  list('sma', c.sTheta);
  return parts.join(' ');
}

/**
 * Largest partial autocorrelation of the AR and MA polynomials. On the boundary a conditional sum of squares has no
 * penalty for a unit root: an MA factor (1 − B) cancels a difference (seen as ma = −2, 1 on a quarterly series, whose
 * forecast then ignored the trend the difference carried) and an AR root on the unit circle is an extra difference
 * that the KPSS tests did not ask for.
 */
const AR_BOUND = 0.995;
const MA_BOUND = 0.98;

/** Work budget of one fit, counted in residual steps (one step of the recursion per evaluation per point). */
export interface ArimaWork {
  steps: number;
}

/**
 * Fit one order by conditional sum of squares (Box et al. 2015, §7.1): the ARMA coefficients minimise the sum of
 * squared conditional residuals from step `from` of w (a start shared by every order compared, so their AICc count the
 * same residuals), by Nelder–Mead over the partial-autocorrelation parametrisation (stationary and invertible by
 * construction). μ is the sample mean of w, an asymptotically efficient estimate of an ARMA mean (Grenander 1954,
 * Ann. Math. Statist. 25(2)), which for a drift is (y_n − y_1)/(n − 1); that saves a dimension of the search. The
 * likelihood is Gaussian with σ² concentrated out; σ² for the intervals is the sum of squares over the residuals less
 * the coefficients. `yFilled` is the gap-filled history divided by `scale` (so that squares neither overflow nor
 * underflow); the forecasts are multiplied back. Returns undefined when fewer than coefficients + 3 residuals remain.
 */
export function fitArimaOrder(y: Float64Array, yFilled: Float64Array, o: ArimaOrder, from: number, work?: ArimaWork, scale = 1): ArimaFit | undefined {
  const delta = differencingLags(o.d, o.D, o.m);
  const w = difference(yFilled, delta);
  const nw = w.length;
  const k = coefficientCount(o);
  const nRes = nw - from;
  if (nRes < k + 3 || from < o.p + o.m * o.P) return undefined;
  let mu = 0;
  if (hasConstant(o)) {
    for (let t = 0; t < nw; t++) mu += w[t]!;
    mu /= nw;
  }
  const phi = new Float64Array(o.p);
  const sPhi = new Float64Array(o.P);
  const theta = new Float64Array(o.q);
  const sTheta = new Float64Array(o.Q);
  const e = new Float64Array(nw);
  const nArma = o.p + o.q + o.P + o.Q;
  const unpack = (x: ArrayLike<number>): ArmaCoefficients => {
    pacfToCoefficients(x, 0, o.p, phi, AR_BOUND);
    pacfToCoefficients(x, o.p, o.P, sPhi, AR_BOUND);
    pacfToCoefficients(x, o.p + o.P, o.q, theta, MA_BOUND);
    for (let j = 0; j < o.q; j++) theta[j] = -theta[j]!;
    pacfToCoefficients(x, o.p + o.P + o.q, o.Q, sTheta, MA_BOUND);
    for (let j = 0; j < o.Q; j++) sTheta[j] = -sTheta[j]!;
    return expand(o, phi, sPhi, theta, sTheta);
  };
  let best: Float64Array = new Float64Array(nArma);
  if (nArma > 0) {
    const maxEvaluations = 150 * nArma;
    const r = nelderMead((x) => cssResiduals(w, mu, unpack(x), from, e), best, { step: 0.4, tolerance: 1e-7, maxEvaluations });
    if (work !== undefined) work.steps += r.evaluations * nw;
    best = r.x;
  }
  const coef = unpack(best);
  const sse = cssResiduals(w, mu, coef, from, e);
  if (work !== undefined) work.steps += nw;
  if (!Number.isFinite(sse)) return undefined;
  // the likelihood of y, not of y / scale: the Jacobian of the scaling adds 2·nRes·log(scale) to −2 log L
  const nearUnit = minRootModulus(coef, o.m) < MIN_ROOT_MODULUS;
  const aicc = nearUnit ? Infinity : aiccGaussian(sse, nRes, k + 1) + 2 * nRes * Math.log(scale);
  const sigma2 = sse / Math.max(1, nRes - k);
  return new ArimaFit(o, { ...coef, phi: phi.slice(), sPhi: sPhi.slice(), theta: theta.slice(), sTheta: sTheta.slice() }, mu, sigma2, yFilled, w, e.slice(), aicc, y, scale);
}

/**
 * Smallest root modulus below which a fitted order is not offered: its AICc is made infinite, as R's `auto.arima` does
 * for any AR or MA root inside 1.01 (Hyndman & Khandakar 2008; `forecast:::myarima`). Near the unit circle an AR root
 * is a difference the KPSS tests did not ask for and a pair of near-unit AR and MA roots cancel (seen on quarterly
 * employment: ar = 1.95, −0.995 with ma = −1.94, 0.98, a forecast reverting to the whole-history mean).
 */
const MIN_ROOT_MODULUS = 1.01;

/**
 * Smallest modulus of the roots of φ(B), Φ(B^m), θ(B) and Θ(B^m) (the roots of a product are its factors' roots):
 * degree ≤ 2 in B solved in closed form; 1 − c B^m has roots of modulus |c|^(−1/m).
 */
export function minRootModulus(c: ArmaCoefficients, m: number): number {
  let min = Infinity;
  const quadratic = (c1: number, c2: number): number => {
    // 1 + c1 z + c2 z²
    if (c2 === 0) return c1 === 0 ? Infinity : 1 / Math.abs(c1);
    const disc = c1 * c1 - 4 * c2;
    if (disc < 0) return Math.sqrt(1 / Math.abs(c2));
    const r = Math.sqrt(disc);
    return Math.min(Math.abs((-c1 + r) / (2 * c2)), Math.abs((-c1 - r) / (2 * c2)));
  };
  if (c.phi.length > 0) min = Math.min(min, quadratic(-c.phi[0]!, -(c.phi[1] ?? 0)));
  if (c.theta.length > 0) min = Math.min(min, quadratic(c.theta[0]!, c.theta[1] ?? 0));
  for (const v of [c.sPhi[0], c.sTheta[0]]) if (v !== undefined && v !== 0) min = Math.min(min, Math.pow(Math.abs(v), -1 / m));
  return min;
}
