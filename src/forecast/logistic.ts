import { lineFromSums } from '../stats/least-squares.js';
import type { Rng } from '../rng.js';
import { normalBands, paramText, type Bands, type FittedModel } from './model.js';
import { nelderMead } from './optimize.js';

/**
 * Logistic (saturating) growth, y_t = L / (1 + e^{−k(t − t₀)}) + ε_t (Verhulst; e.g. Meyer 1994, "Bi-logistic growth",
 * Technological Forecasting and Social Change 47), for adoption that levels off at a ceiling L: a market size, a
 * fleet's users. With a given ceiling only k and t₀ are fitted; otherwise L too. Start values come from the linearised
 * form log(y / (L − y)) = k(t − t₀) on a grid of trial ceilings, then least squares by Nelder–Mead.
 * Intervals are the nonlinear-regression ones by the delta method, σ̂²(1 + gᵀ(JᵀJ)⁻¹g) with g the gradient of the curve
 * at the future step and J the Jacobian over the history (Seber & Wild 1989, "Nonlinear Regression", §5.1).
 */
export class LogisticFit implements FittedModel {
  readonly name = 'logistic' as const;
  readonly label: string;
  readonly fitted: Float64Array;

  constructor(
    private readonly n: number,
    readonly ceiling: number,
    readonly rate: number,
    readonly midpoint: number,
    private readonly sigma: number,
    /** (JᵀJ)⁻¹ over the fitted parameters, row-major, size d×d (d = 2 with a given ceiling, 3 otherwise). */
    private readonly covUnscaled: Float64Array,
    private readonly ceilingGiven: boolean,
  ) {
    this.fitted = new Float64Array(n);
    for (let t = 0; t < n; t++) this.fitted[t] = curve(ceiling, rate, midpoint, t);
    this.label = `logistic ceiling=${paramText(ceiling, 4)}${ceilingGiven ? ' (given)' : ''} rate=${paramText(rate, 4)}/step midpoint=step ${paramText(midpoint, 4)}`;
  }

  predict(h: number, _rng: Rng): Bands {
    const mean = new Float64Array(h);
    const sd = new Float64Array(h);
    const d = this.ceilingGiven ? 2 : 3;
    const g = new Float64Array(3);
    for (let i = 0; i < h; i++) {
      const t = this.n + i;
      mean[i] = curve(this.ceiling, this.rate, this.midpoint, t);
      gradient(this.ceiling, this.rate, this.midpoint, t, this.ceilingGiven, g);
      let q = 0;
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) q += g[a]! * this.covUnscaled[a * d + b]! * g[b]!;
      sd[i] = this.sigma * Math.sqrt(1 + Math.max(0, q));
    }
    return normalBands(mean, sd);
  }
}

function curve(L: number, k: number, t0: number, t: number): number {
  return L / (1 + Math.exp(-k * (t - t0)));
}

/** ∂curve/∂(k, t₀[, L]) at t, written into g. */
function gradient(L: number, k: number, t0: number, t: number, ceilingGiven: boolean, g: Float64Array): void {
  const e = Math.exp(-k * (t - t0));
  const f = 1 / (1 + e);
  const df = L * f * f * e; // L·f·(1−f)
  g[0] = df * (t - t0);
  g[1] = -df * k;
  if (!ceilingGiven) g[2] = f;
}

/** Fit the logistic curve; `ceiling` fixes L. Observations must be positive (NaN skipped). */
export function fitLogistic(y: Float64Array, ceiling?: number): LogisticFit {
  const n = y.length;
  let max = -Infinity;
  for (let t = 0; t < n; t++) if (y[t]! > max) max = y[t]!;
  const sse = (L: number, k: number, t0: number): number => {
    let s = 0;
    for (let t = 0; t < n; t++) {
      const v = y[t]!;
      if (v === v) {
        const e = v - curve(L, k, t0, t);
        s += e * e;
      }
    }
    return s;
  };
  // linearised start for a trial ceiling
  const start = (L: number): { k: number; t0: number } => {
    let sx = 0;
    let sz = 0;
    let sxx = 0;
    let sxz = 0;
    let c = 0;
    for (let t = 0; t < n; t++) {
      const v = y[t]!;
      if (!(v > 0 && v < L)) continue;
      const z = Math.log(v / (L - v));
      sx += t;
      sz += z;
      sxx += t * t;
      sxz += t * z;
      c++;
    }
    const line = c >= 2 ? lineFromSums(c, sx, sz, sxx, sxz) : undefined;
    const k = line ? line.slope : 1 / Math.max(1, n);
    const b = line ? line.intercept : c > 0 ? (sz - k * sx) / c : 0;
    const kk = Math.abs(k) > 1e-12 ? k : 1e-6;
    return { k: kk, t0: -b / kk };
  };
  let bestL = ceiling ?? max * 1.5;
  let best = start(bestL);
  if (ceiling === undefined) {
    let bestS = Infinity;
    for (const f of [1.02, 1.1, 1.25, 1.5, 2, 3, 5, 10]) {
      const L = max * f;
      const s0 = start(L);
      const s = sse(L, s0.k, s0.t0);
      if (s < bestS) {
        bestS = s;
        bestL = L;
        best = s0;
      }
    }
  }
  const scaleT = Math.max(1, n / 10);
  const k0 = best.k;
  const res = nelderMead(
    (x) => {
      const k = k0 * Math.exp(x[0]!);
      const t0 = best.t0 + x[1]! * scaleT;
      const L = ceiling ?? bestL * Math.exp(x[2]!);
      return sse(L, k, t0);
    },
    ceiling === undefined ? [0, 0, 0] : [0, 0],
    { step: 0.3, tolerance: 1e-10, maxEvaluations: 600 },
  );
  const k = k0 * Math.exp(res.x[0]!);
  const t0 = best.t0 + res.x[1]! * scaleT;
  const L = ceiling ?? bestL * Math.exp(res.x[2]!);
  const given = ceiling !== undefined;
  const d = given ? 2 : 3;
  // JᵀJ over the history, then its inverse
  const jtj = new Float64Array(d * d);
  const g = new Float64Array(3);
  let cnt = 0;
  for (let t = 0; t < n; t++) {
    if (!(y[t]! === y[t]!)) continue;
    cnt++;
    gradient(L, k, t0, t, given, g);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) jtj[a * d + b]! += g[a]! * g[b]!;
  }
  const sigma = Math.sqrt(res.value / Math.max(1, cnt - d));
  return new LogisticFit(n, L, k, t0, sigma, invert(jtj, d), given);
}

/** Inverse of a small symmetric matrix by Gauss–Jordan; a singular matrix gives zeros (no parameter uncertainty). */
function invert(a: Float64Array, d: number): Float64Array {
  const m = new Float64Array(d * 2 * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) m[i * 2 * d + j] = a[i * d + j]!;
    m[i * 2 * d + d + i] = 1;
  }
  for (let c = 0; c < d; c++) {
    let piv = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(m[r * 2 * d + c]!) > Math.abs(m[piv * 2 * d + c]!)) piv = r;
    const pv = m[piv * 2 * d + c]!;
    if (Math.abs(pv) < 1e-300) return new Float64Array(d * d);
    if (piv !== c) {
      for (let j = 0; j < 2 * d; j++) {
        const tmp = m[c * 2 * d + j]!;
        m[c * 2 * d + j] = m[piv * 2 * d + j]!;
        m[piv * 2 * d + j] = tmp;
      }
    }
    for (let j = 0; j < 2 * d; j++) m[c * 2 * d + j]! /= pv;
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = m[r * 2 * d + c]!;
      if (f === 0) continue;
      for (let j = 0; j < 2 * d; j++) m[r * 2 * d + j]! -= f * m[c * 2 * d + j]!;
    }
  }
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i * d + j] = m[i * 2 * d + d + j]!;
  return out;
}
