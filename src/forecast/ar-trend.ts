import type { Rng } from '../rng.js';
import { aiccGaussian, normalBands, paramText, type Bands, type FittedModel, type TrendRate } from './model.js';

/**
 * A linear trend with AR(1) deviations, y_t = c + d·t + u_t, u_t = φ·u_{t−1} + ε_t (a regression with ARIMA(1,0,0)
 * errors; Hyndman & Athanasopoulos, FPP3 §10.1), fitted by Cochrane–Orcutt iterations (Cochrane & Orcutt 1949, JASA
 * 44). It is the model for a seasonally adjusted series whose deviations from the trend are bursts that die out
 * (traffic above normal for a few hours), where ETS(A,N,N) would read them as level changes and let the forecast
 * variance grow without bound: here it levels off at σ²/(1 − φ²), plus the uncertainty of the line.
 * The Gaussian likelihood is the exact one of the AR(1) (the first deviation with variance σ²/(1 − φ²)), so its AICc
 * can be compared with the ETS models' on the same series.
 */
export class ArTrendFit implements FittedModel {
  readonly name = 'mstl' as const;
  readonly label: string;
  readonly fitted: Float64Array;
  readonly aicc: number;

  constructor(
    private readonly n: number,
    readonly intercept: number,
    readonly slope: number,
    readonly phi: number,
    private readonly sigma2: number,
    /** Deviation from the line at the last observed step, and that step. */
    private readonly lastDev: number,
    private readonly lastT: number,
    private readonly slopeVar: number,
    private readonly levelVar: number,
    private readonly tMean: number,
    fitted: Float64Array,
    aicc: number,
    /** Share of the history before the part the line was fitted to (0: the whole history; see `fitArTrend`). */
    readonly fromShare = 0,
  ) {
    this.fitted = fitted;
    this.aicc = aicc;
    this.label = `trend+ar1 slope=${paramText(slope)}/step phi=${paramText(phi)}`;
    this.trend = { perStep: slope, log: false };
  }

  /** The line's slope: the deviations die out, the slope stays. */
  readonly trend: TrendRate;

  predict(h: number, _rng: Rng): Bands {
    const mean = new Float64Array(h);
    const sd = new Float64Array(h);
    const p2 = this.phi * this.phi;
    for (let i = 0; i < h; i++) {
      const t = this.n + i;
      const k = t - this.lastT;
      const pk = Math.pow(this.phi, k);
      mean[i] = this.intercept + this.slope * t + pk * this.lastDev;
      const arVar = p2 < 1 ? (this.sigma2 * (1 - Math.pow(p2, k))) / (1 - p2) : this.sigma2 * k;
      const lineVar = this.levelVar + (t - this.tMean) * (t - this.tMean) * this.slopeVar;
      sd[i] = Math.sqrt(arVar + lineVar);
    }
    return normalBands(mean, sd);
  }

  /**
   * Standardised error paths with this model's own dependence: the AR(1) error carried forward from the last observed
   * step (e_k = φ·e_{k−1} + ε_k, the first step drawn with its k-step variance σ²(1 − φ^{2k})/(1 − φ²)), plus the line's
   * uncertainty drawn once per path (level a ~ N(0, var a), slope b ~ N(0, var b), error a + b·(t − t̄)), divided by the
   * standard deviation `predict` uses, so every step has unit variance.
   */
  samplePaths(h: number, n: number, rng: Rng): Float64Array {
    const out = new Float64Array(n * h);
    const p2 = this.phi * this.phi;
    const k0 = this.n - this.lastT;
    const firstVar = p2 < 1 ? (this.sigma2 * (1 - Math.pow(p2, k0))) / (1 - p2) : this.sigma2 * k0;
    const sigma = Math.sqrt(this.sigma2);
    for (let p = 0; p < n; p++) {
      const r = rng.split(p);
      const a = Math.sqrt(this.levelVar) * r.nextNormal();
      const b = Math.sqrt(this.slopeVar) * r.nextNormal();
      let e = Math.sqrt(firstVar) * r.nextNormal();
      let arVar = firstVar;
      for (let i = 0; i < h; i++) {
        if (i > 0) {
          e = this.phi * e + sigma * r.nextNormal();
          arVar = p2 * arVar + this.sigma2;
        }
        const t = this.n + i;
        const lineVar = this.levelVar + (t - this.tMean) * (t - this.tMean) * this.slopeVar;
        const sd = Math.sqrt(arVar + lineVar);
        out[p * h + i] = sd > 0 ? (e + a + b * (t - this.tMean)) / sd : 0;
      }
    }
    return out;
  }
}

/**
 * Fit the trend + AR(1) model to the observed (non-NaN) points of y from step `from` on (default 0, the whole history):
 * a later `from` fits the line to the recent part only, for a level that has left the whole-history line; the one-step
 * fitted values still cover every step, and the likelihood (AICc) counts the steps from `from` on.
 */
export function fitArTrend(y: Float64Array, from = 0): ArTrendFit {
  const n = y.length;
  let phi = 0;
  let c = 0;
  let d = 0;
  for (let iter = 0; iter < 4; iter++) {
    // regression on quasi-differenced data: y_t − φ y_{t−1} = c(1−φ) + d(t − φ(t−1)) + ε_t
    let s1 = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    let s11 = 0;
    for (let t = iter === 0 ? from : Math.max(1, from + 1); t < n; t++) {
      const yt = y[t]!;
      if (!(yt === yt)) continue;
      let a: number;
      let x: number;
      let z: number;
      if (iter === 0) {
        a = 1;
        x = t;
        z = yt;
      } else {
        const yp = y[t - 1]!;
        if (!(yp === yp)) continue;
        a = 1 - phi;
        x = t - phi * (t - 1);
        z = yt - phi * yp;
      }
      s11 += a * a;
      s1 += a * x;
      sx += x * x;
      sy += a * z;
      sxy += x * z;
      sxx += 1;
    }
    const det = s11 * sx - s1 * s1;
    if (!(sxx > 2) || !(Math.abs(det) > 1e-12)) break;
    c = (sy * sx - s1 * sxy) / det;
    d = (s11 * sxy - s1 * sy) / det;
    // φ from the lag-1 regression of the deviations
    let num = 0;
    let den = 0;
    for (let t = Math.max(1, from + 1); t < n; t++) {
      const u = y[t]! - c - d * t;
      const up = y[t - 1]! - c - d * (t - 1);
      if (u === u && up === up) {
        num += u * up;
        den += up * up;
      }
    }
    phi = den > 0 ? Math.max(-0.99, Math.min(0.99, num / den)) : 0;
  }
  // one-step errors, exact first term, residual variance
  const fitted = new Float64Array(n).fill(NaN);
  let sse = 0;
  let k = 0;
  let first = true;
  let tSum = 0;
  let lastT = -1;
  let lastDev = 0;
  for (let t = 0; t < n; t++) {
    const yt = y[t]!;
    if (!(yt === yt)) continue;
    const u = yt - c - d * t;
    const up = t > 0 ? y[t - 1]! - c - d * (t - 1) : NaN;
    if (t < from) {
      fitted[t] = c + d * t + (up === up ? phi * up : 0);
      continue;
    }
    let e: number;
    if (first) {
      e = u * Math.sqrt(1 - phi * phi);
      fitted[t] = c + d * t;
      first = false;
    } else if (up === up) {
      e = u - phi * up;
      fitted[t] = c + d * t + phi * up;
    } else {
      e = u * Math.sqrt(1 - phi * phi);
      fitted[t] = c + d * t;
    }
    sse += e * e;
    k++;
    tSum += t;
    lastT = t;
    lastDev = u;
  }
  const params = 4; // c, d, φ, σ
  const sigma2 = sse / Math.max(1, k - 3);
  const tMean = k > 0 ? tSum / k : 0;
  let stt = 0;
  for (let t = from; t < n; t++) if (y[t]! === y[t]!) stt += (t - tMean) * (t - tMean);
  // variance of the line's level and slope, inflated for AR(1) errors by (1+φ)/(1−φ) (long-run variance)
  const uVar = sigma2 / Math.max(1e-6, 1 - phi * phi);
  const inflate = (1 + phi) / Math.max(1e-6, 1 - phi);
  const slopeVar = stt > 0 ? (uVar * inflate) / stt : 0;
  const levelVar = k > 0 ? (uVar * inflate) / k : 0;
  return new ArTrendFit(n, c, d, phi, sigma2, lastDev, lastT, slopeVar, levelVar, tMean, fitted, aiccGaussian(sse, k, params), n > 0 ? from / n : 0);
}
