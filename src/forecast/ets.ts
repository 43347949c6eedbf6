import { lineFromSums } from '../stats/least-squares.js';
import type { Rng } from '../rng.js';
import { aiccGaussian, normalBands, paramText, pathBands, type Bands, type FittedModel, type TrendRate } from './model.js';
import { nelderMead, squash, unsquash } from './optimize.js';

/**
 * Exponential smoothing in innovations state-space form with additive errors (Hyndman, Koehler, Ord & Snyder 2008,
 * "Forecasting with Exponential Smoothing: the State Space Approach", ch. 2 and Table 2.1): ETS(A,T,S) with trend
 * T ∈ {N, A, Ad} and seasonality S ∈ {N, A, M}. Additive seasonality is Holt-Winters additive; S = M is the
 * multiplicative Holt-Winters of ETS(A,*,M).
 *
 *   ŷ_t   = (ℓ + φb) + s            (S = A)       or (ℓ + φb)·s           (S = M)
 *   e_t   = y_t − ŷ_t
 *   ℓ'    = ℓ + φb + α e            (S = A, N)    or ℓ + φb + α e / s
 *   b'    = φb + β e                (S = A, N)    or φb + β e / s
 *   s'    = s + γ e                 (S = A)       or s + γ e / (ℓ + φb)
 *
 * φ = 1 for T = A. A missing y (NaN: a gap or a masked stretch) gives e = 0: the states run on by their own
 * forecast and the step does not enter the likelihood (the usual treatment of a missing observation in a state-space
 * filter: the prediction step runs, the update step is skipped).
 * Parameters α, β, γ, φ and the initial level and trend are estimated by maximum likelihood (SSE concentrated)
 * with Nelder–Mead under the usual bounds 0<β<α<1, 0<γ<1−α, 0.8≤φ≤0.98; the initial seasonal states come from a
 * classical decomposition of the first cycles (the heuristic of Hyndman et al. 2008, §2.6.1), so long periods
 * (m = 168) stay cheap.
 *
 * Intervals: for S ∈ {N, A} the exact h-step variance of the class-1 models (Hyndman et al. 2008, Table 6.1):
 * v_h = σ² (1 + Σ_{j=1}^{h-1} c_j²), c_j = α + β(φ + … + φ^j) + γ·[j mod m = 0]. For S = M by simulating
 * future paths with Gaussian innovations from the seeded stream.
 */
export type EtsTrend = 'N' | 'A' | 'Ad';
export type EtsSeason = 'N' | 'A' | 'M';

export interface EtsSpec {
  readonly trend: EtsTrend;
  readonly season: EtsSeason;
  /** Seasonal period in steps (integer ≥ 2) when season ≠ N. */
  readonly m?: number;
}

export interface EtsParams {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  readonly phi: number;
  readonly l0: number;
  readonly b0: number;
  /** Initial seasonal states by phase (index i holds the state used at time i mod m). */
  readonly s0: Float64Array;
}

/** Paths simulated for the multiplicative-seasonal intervals. */
const SIM_PATHS = 1000;

export class EtsFit implements FittedModel {
  readonly name = 'ets' as const;
  readonly label: string;
  readonly fitted: Float64Array;
  readonly aicc: number;
  readonly sigma2: number;
  /** Final states after the last observation. */
  private readonly level: number;
  private readonly slope: number;
  private readonly season: Float64Array;

  constructor(
    readonly spec: EtsSpec,
    readonly params: EtsParams,
    private readonly n: number,
    y: Float64Array,
  ) {
    const m = spec.season === 'N' ? 1 : spec.m!;
    const run = runEts(y, spec, params, true);
    this.fitted = run.fitted!;
    this.level = run.level;
    this.slope = run.slope;
    this.season = run.season;
    const k = etsParamCount(spec);
    // σ² unbiased for the k estimated parameters, times Akaike's final-prediction-error factor (1 + k/n) for the error
    // of those estimates in a forecast (Akaike 1970, "Statistical predictor identification", Ann. Inst. Stat. Math. 22):
    // without it the intervals of a fitted model under-cover by a few points (measured in test/forecast/intervals).
    this.sigma2 = (run.sse / Math.max(1, run.nValid - k)) * (1 + k / Math.max(1, run.nValid));
    this.aicc = aiccGaussian(run.sse, run.nValid, k + 1);
    const p = params;
    const parts = [`ets(A,${spec.trend},${spec.season})`, `alpha=${paramText(p.alpha)}`];
    if (spec.trend !== 'N') parts.push(`beta=${paramText(p.beta)}`);
    if (spec.trend === 'Ad') parts.push(`phi=${paramText(p.phi)}`);
    if (spec.season !== 'N') parts.push(`gamma=${paramText(p.gamma)}`, `m=${m}`);
    this.label = parts.join(' ');
    // the trend state at the end of the history: the next step's increment (φ·b for a damped trend)
    this.trend = { perStep: spec.trend === 'N' ? 0 : (spec.trend === 'Ad' ? params.phi : 1) * this.slope, log: false };
  }

  readonly trend: TrendRate;

  /** Point forecasts h steps ahead. */
  pointForecast(h: number): Float64Array {
    const { spec, params } = this;
    const phi = spec.trend === 'Ad' ? params.phi : 1;
    const useTrend = spec.trend !== 'N';
    const m = spec.season === 'N' ? 1 : spec.m!;
    const out = new Float64Array(h);
    let phiSum = 0;
    let phiPow = 1;
    for (let i = 0; i < h; i++) {
      phiPow *= phi;
      phiSum += phiPow;
      const base = this.level + (useTrend ? phiSum * this.slope : 0);
      const s = spec.season === 'N' ? 0 : this.season[(this.n + i) % m]!;
      out[i] = spec.season === 'M' ? base * s : base + s;
    }
    return out;
  }

  /** Standard deviation of the h-step forecast error for the additive-season and non-seasonal models. */
  forecastSd(h: number): Float64Array {
    const { spec, params } = this;
    const phi = spec.trend === 'Ad' ? params.phi : 1;
    const beta = spec.trend === 'N' ? 0 : params.beta;
    const gamma = spec.season === 'N' ? 0 : params.gamma;
    const m = spec.season === 'N' ? 0 : spec.m!;
    const sd = new Float64Array(h);
    let acc = 1;
    let phiSum = 0;
    let phiPow = 1;
    sd[0] = Math.sqrt(this.sigma2);
    for (let j = 1; j < h; j++) {
      phiPow *= phi;
      phiSum += phiPow;
      const c = params.alpha + beta * phiSum + (m > 0 && j % m === 0 ? gamma : 0);
      acc += c * c;
      sd[j] = Math.sqrt(this.sigma2 * acc);
    }
    return sd;
  }

  predict(h: number, rng: Rng): Bands {
    const mean = this.pointForecast(h);
    if (this.spec.season !== 'M') return normalBands(mean, this.forecastSd(h));
    return pathBands(this.simulate(h, SIM_PATHS, rng), SIM_PATHS, h, mean);
  }

  /** The point forecast without the bands (and without the simulated paths a multiplicative season needs for them). */
  predictMean(h: number): Float64Array {
    return this.pointForecast(h);
  }

  /** The same specification fitted to `train` (a rolling origin), its parameters re-estimated there. */
  refit(train: Float64Array): EtsFit {
    return fitEts(train, this.spec);
  }

  /** Future paths with Gaussian innovations: `out[p * h + i]`. */
  simulate(h: number, nPaths: number, rng: Rng): Float64Array {
    const { spec, params } = this;
    const m = spec.season === 'N' ? 1 : spec.m!;
    const phi = spec.trend === 'Ad' ? params.phi : 1;
    const useTrend = spec.trend !== 'N';
    const sigma = Math.sqrt(this.sigma2);
    const out = new Float64Array(nPaths * h);
    const s = new Float64Array(m);
    for (let p = 0; p < nPaths; p++) {
      let l = this.level;
      let b = this.slope;
      s.set(this.season.subarray(0, m));
      for (let i = 0; i < h; i++) {
        const idx = (this.n + i) % m;
        const base = l + (useTrend ? phi * b : 0);
        const sv = spec.season === 'N' ? 0 : s[idx]!;
        const e = sigma * rng.nextNormal();
        let yhat: number;
        if (spec.season === 'M') {
          yhat = base * sv;
          l = base + (params.alpha * e) / sv;
          if (useTrend) b = phi * b + (params.beta * e) / sv;
          s[idx] = sv + (params.gamma * e) / base;
        } else {
          yhat = base + sv;
          l = base + params.alpha * e;
          if (useTrend) b = phi * b + params.beta * e;
          if (spec.season === 'A') s[idx] = sv + params.gamma * e;
        }
        out[p * h + i] = yhat + e;
      }
    }
    return out;
  }
}

/** Number of estimated parameters: smoothing parameters and initial states (m − 1 free seasonal states). */
export function etsParamCount(spec: EtsSpec): number {
  let k = 2; // alpha, l0
  if (spec.trend !== 'N') k += 2; // beta, b0
  if (spec.trend === 'Ad') k += 1;
  if (spec.season !== 'N') k += spec.m! ; // gamma + (m - 1) states
  return k;
}

interface RunResult {
  sse: number;
  nValid: number;
  level: number;
  slope: number;
  season: Float64Array;
  fitted: Float64Array | undefined;
}

/** Run the filter over y; returns SSE (Infinity when the states leave the admissible region) and final states. */
export function runEts(y: Float64Array, spec: EtsSpec, p: EtsParams, keepFitted: boolean): RunResult {
  const n = y.length;
  const seasonal = spec.season !== 'N';
  const mult = spec.season === 'M';
  const m = seasonal ? spec.m! : 1;
  const useTrend = spec.trend !== 'N';
  const phi = spec.trend === 'Ad' ? p.phi : 1;
  const { alpha, beta, gamma } = p;
  const s = new Float64Array(m);
  if (seasonal) s.set(p.s0.subarray(0, m));
  const fitted = keepFitted ? new Float64Array(n) : undefined;
  let l = p.l0;
  let b = useTrend ? p.b0 : 0;
  let sse = 0;
  let nValid = 0;
  let phase = 0;
  for (let t = 0; t < n; t++) {
    const base = l + phi * b;
    const sv = seasonal ? s[phase]! : mult ? 1 : 0;
    const yhat = mult ? base * sv : base + sv;
    if (fitted !== undefined) fitted[t] = yhat;
    const yt = y[t]!;
    let e = 0;
    if (yt === yt) {
      e = yt - yhat;
      sse += e * e;
      nValid++;
    }
    if (mult) {
      if (!(base > 0) || !(sv > 0)) return { sse: Infinity, nValid, level: l, slope: b, season: s, fitted };
      l = base + (alpha * e) / sv;
      b = phi * b + (beta * e) / sv;
      s[phase] = sv + (gamma * e) / base;
    } else {
      l = base + alpha * e;
      b = phi * b + beta * e;
      if (seasonal) s[phase] = sv + gamma * e;
    }
    phase++;
    if (phase === m) phase = 0;
  }
  if (!useTrend) b = 0;
  return { sse: Number.isFinite(sse) ? sse : Infinity, nValid, level: l, slope: b, season: s, fitted };
}

/** Initial states: classical decomposition of the first cycles for the seasonal states, a line for level and trend. */
export function initialStates(y: Float64Array, spec: EtsSpec): { l0: number; b0: number; s0: Float64Array } {
  const n = y.length;
  const seasonal = spec.season !== 'N';
  const m = seasonal ? spec.m! : 1;
  const mult = spec.season === 'M';
  const s0 = new Float64Array(m);
  if (mult) s0.fill(1);
  const x = fillForInit(y);
  let adjusted = x;
  if (seasonal) {
    const k = Math.min(n, Math.max(2 * m, Math.min(4 * m, n)));
    const ma = centredMovingAverage(x.subarray(0, k), m);
    const sum = new Float64Array(m);
    const cnt = new Float64Array(m);
    for (let i = 0; i < k; i++) {
      const a = ma[i]!;
      if (!(a === a)) continue;
      const d = mult ? x[i]! / a : x[i]! - a;
      if (!Number.isFinite(d)) continue;
      sum[i % m]! += d;
      cnt[i % m]! += 1;
    }
    let tot = 0;
    for (let j = 0; j < m; j++) {
      s0[j] = cnt[j]! > 0 ? sum[j]! / cnt[j]! : mult ? 1 : 0;
      tot += s0[j]!;
    }
    const avg = tot / m;
    for (let j = 0; j < m; j++) s0[j] = mult ? s0[j]! / (avg || 1) : s0[j]! - avg;
    adjusted = new Float64Array(n);
    for (let i = 0; i < n; i++) adjusted[i] = mult ? x[i]! / s0[i % m]! : x[i]! - s0[i % m]!;
  }
  // level and trend from a least-squares line through the first max(10, 2m) adjusted points (at most n)
  const k = Math.min(n, Math.max(10, seasonal ? 2 * m : 10));
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < k; i++) {
    const v = adjusted[i]!;
    sx += i;
    sy += v;
    sxx += i * i;
    sxy += i * v;
  }
  const line = lineFromSums(k, sx, sy, sxx, sxy);
  const slope = line ? line.slope : 0;
  const intercept = line ? line.intercept : sy / k;
  // states at time −1, so that the first one-step forecast is the line at time 0
  return { l0: spec.trend === 'N' ? sy / k : intercept - slope, b0: spec.trend === 'N' ? 0 : slope, s0 };
}

/** Linear interpolation over NaN (constant extension at the ends), for initialisation only. */
function fillForInit(y: Float64Array): Float64Array {
  const n = y.length;
  const out = new Float64Array(y);
  let last = -1;
  for (let i = 0; i < n; i++) {
    if (!(y[i]! === y[i]!)) continue;
    if (last === -1) for (let j = 0; j < i; j++) out[j] = y[i]!;
    else for (let j = last + 1; j < i; j++) out[j] = y[last]! + ((y[i]! - y[last]!) * (j - last)) / (i - last);
    last = i;
  }
  if (last === -1) out.fill(0);
  else for (let j = last + 1; j < n; j++) out[j] = y[last]!;
  return out;
}

/** Centred moving average of order m (2×m for even m), NaN where the window does not fit. */
export function centredMovingAverage(x: Float64Array, m: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n).fill(NaN);
  const half = Math.floor(m / 2);
  if (n < m + (m % 2 === 0 ? 1 : 0)) return out;
  if (m % 2 === 1) {
    let s = 0;
    for (let i = 0; i < m; i++) s += x[i]!;
    for (let c = half; c + half < n; c++) {
      out[c] = s / m;
      if (c + half + 1 < n) s += x[c + half + 1]! - x[c - half]!;
    }
  } else {
    // 2×m: weights 1/(2m) at both ends, 1/m inside
    let s = 0;
    for (let i = 0; i < m; i++) s += x[i]!;
    for (let c = half; c + half < n; c++) {
      // s = sum x[c-half .. c+half-1]
      out[c] = (s - 0.5 * x[c - half]! + 0.5 * x[c + half]!) / m;
      s += x[c + half]! - x[c - half]!;
    }
  }
  return out;
}

export interface EtsFitOptions {
  /** Optimiser budget per model (default 300 evaluations). */
  readonly maxEvaluations?: number;
}

/**
 * For additive-error models without multiplicative seasonality the one-step errors are linear in the initial level and
 * trend: e_t(ℓ₀, b₀) = e⁰_t + ℓ₀·a_t + b₀·c_t, where e⁰ is the error sequence from ℓ₀ = b₀ = 0 and a, c are the
 * errors of the same filter run on zero data from a unit level or unit trend. So, for given smoothing parameters, the
 * best ℓ₀ and b₀ solve a 2×2 least-squares problem, and the optimiser only searches α, β, γ, φ — the same
 * concentration idea as profiling out linear parameters (Golub & Pereyra 1973, variable projection). One fused pass
 * accumulates all the sums. Returns the concentrated SSE and the best (ℓ₀, b₀).
 */
function concentratedSse(y: Float64Array, spec: EtsSpec, alpha: number, beta: number, gamma: number, phi: number, s0: Float64Array, out: Float64Array, work: Float64Array): number {
  const n = y.length;
  const seasonal = spec.season !== 'N';
  const m = seasonal ? spec.m! : 1;
  const useTrend = spec.trend !== 'N';
  // work holds three seasonal rings: data run, unit-level run, unit-trend run
  const s = work.subarray(0, m);
  const sa = work.subarray(m, 2 * m);
  const sb = work.subarray(2 * m, 3 * m);
  if (seasonal) s.set(s0.subarray(0, m));
  else s.fill(0);
  sa.fill(0);
  sb.fill(0);
  let l = 0;
  let b = 0;
  let la = 1;
  let ba = 0;
  let lb = 0;
  let bb = useTrend ? 1 : 0;
  let see = 0;
  let saa = 0;
  let sbb = 0;
  let sea = 0;
  let seb = 0;
  let sab = 0;
  let phase = 0;
  for (let t = 0; t < n; t++) {
    const yt = y[t]!;
    const baseD = l + phi * b;
    const baseA = la + phi * ba;
    const baseB = lb + phi * bb;
    let e = 0;
    let ea = 0;
    let eb = 0;
    if (yt === yt) {
      e = yt - baseD - s[phase]!;
      ea = -baseA - sa[phase]!;
      eb = -baseB - sb[phase]!;
      see += e * e;
      saa += ea * ea;
      sbb += eb * eb;
      sea += e * ea;
      seb += e * eb;
      sab += ea * eb;
    }
    l = baseD + alpha * e;
    la = baseA + alpha * ea;
    lb = baseB + alpha * eb;
    if (useTrend) {
      b = phi * b + beta * e;
      ba = phi * ba + beta * ea;
      bb = phi * bb + beta * eb;
    }
    if (seasonal) {
      s[phase]! += gamma * e;
      sa[phase]! += gamma * ea;
      sb[phase]! += gamma * eb;
    }
    phase++;
    if (phase === m) phase = 0;
  }
  let l0 = 0;
  let b0 = 0;
  if (useTrend) {
    const det = saa * sbb - sab * sab;
    if (det > 1e-12 * (saa * sbb + 1e-300)) {
      l0 = (-sea * sbb + seb * sab) / det;
      b0 = (-seb * saa + sea * sab) / det;
    } else if (saa > 0) l0 = -sea / saa;
  } else if (saa > 0) l0 = -sea / saa;
  out[0] = l0;
  out[1] = b0;
  const sse = see + 2 * l0 * sea + 2 * b0 * seb + l0 * l0 * saa + b0 * b0 * sbb + 2 * l0 * b0 * sab;
  return Number.isFinite(sse) ? Math.max(sse, 0) : Infinity;
}

/**
 * Fits already made, per input array and specification: Theta's SES is ETS(A,N,N) on the same adjusted series that
 * MSTL-ETS fits, and `auto` fits both at every origin (the arrays are never mutated once a forecast starts).
 */
const fitCache = new WeakMap<Float64Array, Map<string, EtsFit>>();

/** Fit one ETS specification by maximum likelihood. */
export function fitEts(y: Float64Array, spec: EtsSpec, options: EtsFitOptions = {}): EtsFit {
  const key = `${spec.trend},${spec.season},${spec.m ?? 0},${options.maxEvaluations ?? 0}`;
  let bySpec = fitCache.get(y);
  const hit = bySpec?.get(key);
  if (hit !== undefined) return hit;
  const fit = fitEtsUncached(y, spec, options);
  if (bySpec === undefined) {
    bySpec = new Map();
    fitCache.set(y, bySpec);
  }
  bySpec.set(key, fit);
  return fit;
}

function fitEtsUncached(y: Float64Array, spec: EtsSpec, options: EtsFitOptions): EtsFit {
  const init = initialStates(y, spec);
  const useTrend = spec.trend !== 'N';
  const damped = spec.trend === 'Ad';
  const seasonal = spec.season !== 'N';
  const linear = spec.season !== 'M';
  // scale for the level/trend offsets so the simplex moves in sensible units (multiplicative models only)
  let scale = 0;
  let cnt = 0;
  for (let i = 1; i < y.length; i++) {
    const d = y[i]! - y[i - 1]!;
    if (d === d) {
      scale += Math.abs(d);
      cnt++;
    }
  }
  scale = cnt > 0 && scale > 0 ? scale / cnt : Math.abs(init.l0) * 0.01 + 1e-9;
  const lb = new Float64Array(2);
  const work = new Float64Array(3 * (seasonal ? spec.m! : 1));
  const smoothing = (x: Float64Array): { alpha: number; beta: number; gamma: number; phi: number; next: number } => {
    let i = 0;
    const alpha = squash(x[i++]!, 1e-4, 0.9999);
    const beta = useTrend ? squash(x[i++]!, 1e-4 * alpha, alpha * 0.9999) : 0;
    const gamma = seasonal ? squash(x[i++]!, 1e-4 * (1 - alpha), (1 - alpha) * 0.9999) : 0;
    const phi = damped ? squash(x[i++]!, 0.8, 0.98) : 1;
    return { alpha, beta, gamma, phi, next: i };
  };
  const decode = (x: Float64Array): EtsParams => {
    const sm = smoothing(x);
    if (linear) {
      concentratedSse(y, spec, sm.alpha, sm.beta, sm.gamma, sm.phi, init.s0, lb, work);
      return { alpha: sm.alpha, beta: sm.beta, gamma: sm.gamma, phi: sm.phi, l0: lb[0]!, b0: lb[1]!, s0: init.s0 };
    }
    let i = sm.next;
    const l0 = init.l0 + x[i++]! * scale;
    const b0 = useTrend ? init.b0 + x[i++]! * scale * 0.1 : 0;
    return { alpha: sm.alpha, beta: sm.beta, gamma: sm.gamma, phi: sm.phi, l0, b0, s0: init.s0 };
  };
  const x0: number[] = [unsquash(0.3, 1e-4, 0.9999)];
  if (useTrend) x0.push(unsquash(0.1 * 0.3, 1e-4 * 0.3, 0.3 * 0.9999));
  if (seasonal) x0.push(unsquash(0.1 * 0.7, 1e-4 * 0.7, 0.7 * 0.9999));
  if (damped) x0.push(unsquash(0.95, 0.8, 0.98));
  if (!linear) {
    x0.push(0);
    if (useTrend) x0.push(0);
  }
  const objective = linear
    ? (x: Float64Array): number => {
        const sm = smoothing(x);
        return concentratedSse(y, spec, sm.alpha, sm.beta, sm.gamma, sm.phi, init.s0, lb, work);
      }
    : (x: Float64Array): number => runEts(y, spec, decode(x), false).sse;
  // a relative SSE tolerance of 1e-6 changes the log-likelihood by ~n·5e-7: far below anything AICc can tell apart
  const res = nelderMead(objective, x0, { step: 1, tolerance: 1e-6, maxEvaluations: options.maxEvaluations ?? 40 + 60 * x0.length });
  return new EtsFit(spec, decode(res.x), y.length, y);
}

export function allPositive(y: Float64Array): boolean {
  for (let i = 0; i < y.length; i++) if (y[i]! <= 0) return false;
  return true;
}
