import type { Rng } from '../rng.js';
import { centredMovingAverage, fitEts, allPositive } from './ets.js';
import { normalBands, paramText, type Bands, type FittedModel, type TrendRate } from './model.js';

/**
 * The Theta method of Assimakopoulos & Nikolopoulos (2000) in the formulation of Hyndman & Billah (2003, "Unmasking
 * the Theta method", IJF 19(2)): simple exponential smoothing with drift equal to half the slope b of a least-squares
 * line through the (seasonally adjusted) series,
 *   ŷ_{n+h} = ℓ_n + (b/2)·((h−1) + (1 − (1−α)^n)/α),
 * with the intervals of SES, ETS(A,N,N): σ²(1 + (h−1)α²). When seasonal, the series is first divided by the indices of
 * a classical multiplicative decomposition (ratio to a centred moving average, averaged by phase, normalised to
 * mean 1) and the forecast multiplied back, as in the M3 benchmark; additive decomposition when the data are not
 * all positive.
 */
export class ThetaFit implements FittedModel {
  readonly name = 'theta' as const;
  readonly label: string;
  readonly fitted: Float64Array;
  private readonly level: number;
  private readonly sigma2: number;

  constructor(
    private readonly n: number,
    readonly alpha: number,
    readonly drift: number,
    readonly m: number,
    private readonly seasonIdx: Float64Array | undefined,
    private readonly multiplicative: boolean,
    ses: { level: number; sigma2: number; fitted: Float64Array },
  ) {
    this.level = ses.level;
    this.sigma2 = ses.sigma2;
    this.fitted = new Float64Array(n);
    const a = alpha;
    for (let t = 0; t < n; t++) {
      const adj = ses.fitted[t]! + drift * ((1 - Math.pow(1 - a, t)) / a);
      this.fitted[t] = this.reseason(adj, t);
    }
    const parts = [`theta alpha=${paramText(alpha)} drift=${paramText(drift)}`];
    if (seasonIdx !== undefined) parts.push(`m=${m} ${multiplicative ? 'multiplicative' : 'additive'} decomposition`);
    this.label = parts.join(' ');
    this.trend = { perStep: drift, log: false };
  }

  /** The drift (half the line's slope) of the seasonally adjusted series. */
  readonly trend: TrendRate;

  private reseason(x: number, t: number): number {
    if (this.seasonIdx === undefined) return x;
    const s = this.seasonIdx[t % this.m]!;
    return this.multiplicative ? x * s : x + s;
  }

  predict(h: number, _rng: Rng): Bands {
    const mean = new Float64Array(h);
    const sd = new Float64Array(h);
    const a = this.alpha;
    const tail = (1 - Math.pow(1 - a, this.n)) / a;
    for (let i = 0; i < h; i++) {
      mean[i] = this.level + this.drift * (i + tail);
      sd[i] = Math.sqrt(this.sigma2 * (1 + i * a * a));
    }
    const b = normalBands(mean, sd);
    if (this.seasonIdx !== undefined) {
      for (const arr of [b.mean, b.lo80, b.hi80, b.lo95, b.hi95]) {
        for (let i = 0; i < h; i++) arr[i] = this.reseason(arr[i]!, this.n + i);
      }
    }
    return b;
  }
}

/** Classical decomposition seasonal indices by phase (multiplicative: mean 1; additive: mean 0). */
export function classicalSeasonalIndices(y: Float64Array, m: number, multiplicative: boolean): Float64Array {
  const ma = centredMovingAverage(y, m);
  const sum = new Float64Array(m);
  const cnt = new Float64Array(m);
  for (let i = 0; i < y.length; i++) {
    const a = ma[i]!;
    const v = y[i]!;
    if (!(a === a) || !(v === v)) continue;
    sum[i % m]! += multiplicative ? v / a : v - a;
    cnt[i % m]! += 1;
  }
  const idx = new Float64Array(m);
  let tot = 0;
  for (let j = 0; j < m; j++) {
    idx[j] = cnt[j]! > 0 ? sum[j]! / cnt[j]! : multiplicative ? 1 : 0;
    tot += idx[j]!;
  }
  for (let j = 0; j < m; j++) idx[j] = multiplicative ? idx[j]! / (tot / m) : idx[j]! - tot / m;
  return idx;
}

/** Fit the Theta method; `m` (integer ≥ 2) switches on the seasonal adjustment. */
export function fitTheta(y: Float64Array, m?: number): ThetaFit {
  const n = y.length;
  let adj = y;
  let idx: Float64Array | undefined;
  const mult = allPositive(y);
  if (m !== undefined && m >= 2) {
    idx = classicalSeasonalIndices(y, m, mult);
    adj = new Float64Array(n);
    for (let t = 0; t < n; t++) adj[t] = mult ? y[t]! / idx[t % m]! : y[t]! - idx[t % m]!;
  }
  // least-squares slope over the observed points
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  let k = 0;
  for (let t = 0; t < n; t++) {
    const v = adj[t]!;
    if (!(v === v)) continue;
    sx += t;
    sy += v;
    sxx += t * t;
    sxy += t * v;
    k++;
  }
  const den = k * sxx - sx * sx;
  const slope = den > 0 ? (k * sxy - sx * sy) / den : 0;
  const ses = fitEts(adj, { trend: 'N', season: 'N' });
  const alpha = Math.max(ses.params.alpha, 1e-3);
  const levelRun = ses.pointForecast(1)[0]!;
  return new ThetaFit(n, alpha, slope / 2, m ?? 1, idx, mult, {
    level: levelRun,
    sigma2: ses.sigma2,
    fitted: ses.fitted,
  });
}
