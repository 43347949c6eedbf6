/**
 * Fourier seasonality for periods that are not a whole number of steps (365.25 days, 8766 hours) or too long for a
 * cycle-subseries smoother: s(t) = Σ_{k=1..K} a_k sin(2πkt/p) + b_k cos(2πkt/p), fitted by least squares together
 * with a cubic in time that soaks up the trend (so the trend does not leak into the harmonics). The phase 2πt/p is
 * exact for any real p, so a 365.25-day year stays aligned over decades, which rounding the period to 365 would not
 * do (it drifts a quarter day per year); and a handful of harmonics gives a smooth shape from the two or three cycles a
 * yearly history usually holds, where STL's subseries would have two or three points each (Hyndman &
 * Athanasopoulos, FPP3 §7.4 and §12.1, "dynamic harmonic regression" for long and non-integer periods).
 */
export interface FourierSeason {
  readonly period: number;
  readonly harmonics: number;
  /** a_1, b_1, a_2, b_2, … */
  readonly coef: Float64Array;
  /** Optional sharp detail by exact phase (see `withPhaseBins`), round(period) bins. */
  readonly bins?: Float64Array;
}

/** Cycles of history needed before phase bins are added to the harmonics. */
export const MIN_CYCLES_FOR_BINS = 4;

/** The phase bin of step t for a period p: ⌊((t mod p)/p)·round(p)⌋, so bin k is the same calendar day every year. */
export function phaseBin(t: number, p: number, bins: number): number {
  const ph = (t % p) / p;
  const b = Math.floor(ph * bins);
  return b < bins ? b : bins - 1;
}

/**
 * Add what a few harmonics cannot draw — a holiday dip one day wide, a year-end shutdown — as the mean residual per
 * phase bin, when the history holds at least MIN_CYCLES_FOR_BINS cycles. This is the "rounded period with the phase of
 * the exact period" variant of a seasonal subseries: there are round(p) bins, and step t falls in the bin of its exact
 * phase (t mod p)/p, so with p = 365.25 a bin stays on the same calendar day across leap years instead of drifting
 * a day every four years as a 365-step cycle would. Each bin mean is shrunk towards 0 by c/(c+1) for its c points
 * (a bin seen 4 times is mostly noise), and the bins are centred. `x` is the series with the other seasonal components
 * removed; its trend is taken out by a centred moving average of one period first.
 */
export function withPhaseBins(f: FourierSeason, x: Float64Array, movingAverage: Float64Array): FourierSeason {
  const n = x.length;
  const p = f.period;
  const nb = Math.round(p);
  if (n < MIN_CYCLES_FOR_BINS * p || nb < 2) return f;
  const sum = new Float64Array(nb);
  const cnt = new Float64Array(nb);
  for (let t = 0; t < n; t++) {
    const v = x[t]! - movingAverage[t]! - fourierAt(f, t);
    if (!(v === v)) continue;
    const b = phaseBin(t, p, nb);
    sum[b]! += v;
    cnt[b]! += 1;
  }
  const bins = new Float64Array(nb);
  let tot = 0;
  let w = 0;
  for (let b = 0; b < nb; b++) {
    const c = cnt[b]!;
    bins[b] = c > 0 ? (sum[b]! / c) * (c / (c + 1)) : 0;
    tot += bins[b]! * c;
    w += c;
  }
  const mean = w > 0 ? tot / w : 0;
  for (let b = 0; b < nb; b++) bins[b]! -= mean;
  return { ...f, bins };
}

/** Default number of harmonic pairs for a period p: up to 10, fewer for short periods (K < p/2). */
export function defaultHarmonics(p: number): number {
  return Math.max(1, Math.min(10, Math.floor(p / 2) - 1));
}

/** Fit the harmonics of period p to y (NaN entries skipped). */
export function fitFourier(y: Float64Array, period: number, harmonics = defaultHarmonics(period)): FourierSeason {
  const n = y.length;
  const K = harmonics;
  const P = 4 + 2 * K; // 1, τ, τ², τ³, then sin/cos pairs
  const xtx = new Float64Array(P * P);
  const xty = new Float64Array(P);
  const row = new Float64Array(P);
  const w = (2 * Math.PI) / period;
  for (let t = 0; t < n; t++) {
    const v = y[t]!;
    if (!(v === v)) continue;
    const tau = n > 1 ? (2 * t) / (n - 1) - 1 : 0;
    row[0] = 1;
    row[1] = tau;
    row[2] = tau * tau;
    row[3] = tau * tau * tau;
    // sin/cos of kθ by the angle-addition recurrence
    const s1 = Math.sin(w * t);
    const c1 = Math.cos(w * t);
    let s = s1;
    let c = c1;
    for (let k = 0; k < K; k++) {
      row[4 + 2 * k] = s;
      row[5 + 2 * k] = c;
      const sn = s * c1 + c * s1;
      c = c * c1 - s * s1;
      s = sn;
    }
    for (let i = 0; i < P; i++) {
      const ri = row[i]!;
      xty[i]! += ri * v;
      for (let j = 0; j <= i; j++) xtx[i * P + j]! += ri * row[j]!;
    }
  }
  for (let i = 0; i < P; i++) for (let j = 0; j < i; j++) xtx[j * P + i] = xtx[i * P + j]!;
  const beta = solveSymmetric(xtx, xty, P);
  return { period, harmonics: K, coef: beta.slice(4) };
}

/**
 * The seasonal value at step index t (harmonics, plus the phase-bin detail when fitted). sin and cos of kθ come from
 * those of θ by the angle-addition recurrence, as in `fitFourier`: two trigonometric calls a step instead of 2K (the
 * decomposition evaluates every step of the history at every pass), at a rounding error of a few ulps.
 */
export function fourierAt(f: FourierSeason, t: number): number {
  const w = (2 * Math.PI * t) / f.period;
  const s1 = Math.sin(w);
  const c1 = Math.cos(w);
  let sk = s1;
  let ck = c1;
  let v = 0;
  for (let k = 0; k < f.harmonics; k++) {
    v += f.coef[2 * k]! * sk + f.coef[2 * k + 1]! * ck;
    const next = sk * c1 + ck * s1;
    ck = ck * c1 - sk * s1;
    sk = next;
  }
  if (f.bins !== undefined) v += f.bins[phaseBin(t, f.period, f.bins.length)]!;
  return v;
}

/**
 * Solve A x = b for a symmetric positive (semi)definite A by Cholesky with a tiny ridge (1e-9 of the diagonal), which
 * keeps a near-singular design (harmonics aliasing the cubic on short data) from blowing up.
 */
function solveSymmetric(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * p + j]!;
      if (i === j) s += 1e-9 * Math.max(1, a[i * p + i]!);
      for (let k = 0; k < j; k++) s -= l[i * p + k]! * l[j * p + k]!;
      if (i === j) l[i * p + i] = Math.sqrt(Math.max(s, 1e-300));
      else l[i * p + j] = s / l[j * p + j]!;
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * p + k]! * z[k]!;
    z[i] = s / l[i * p + i]!;
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < p; k++) s -= l[k * p + i]! * x[k]!;
    x[i] = s / l[i * p + i]!;
  }
  return x;
}
