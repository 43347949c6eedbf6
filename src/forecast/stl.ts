/**
 * STL: Seasonal-Trend decomposition using LOESS (Cleveland, Cleveland, McRae & Terpenning 1990, "STL: A
 * Seasonal-Trend Decomposition Procedure Based on Loess", Journal of Official Statistics 6(1), 3–73), written from the
 * paper's description of the inner loop and its reference Fortran (netlib `stl`): cycle-subseries smoothing, a
 * low-pass filter of moving averages of lengths p, p, 3 followed by LOESS, then trend smoothing of the deseasonalised
 * series. MSTL uses the non-robust version (no outer loop), as in its defaults; the robust one is an option
 * (`robust`). Data must be complete (no NaN): callers interpolate gaps first. Everything runs on Float64Array with reusable work buffers.
 */
export interface StlOptions {
  /** Seasonal smoother span (odd, ≥ 7 recommended; default 11). */
  readonly seasonalWindow?: number;
  /** Seasonal smoother degree (0 or 1; default 0 as in R's stl). */
  readonly seasonalDegree?: 0 | 1;
  /** Trend smoother span (odd; default the smallest odd ≥ 1.5p / (1 − 1.5/ns)). */
  readonly trendWindow?: number;
  /** Inner-loop passes (default 2, the paper's recommendation without robustness; 1 with it). */
  readonly inner?: number;
  /**
   * Robustness passes (the paper's outer loop; default 0): after each, every point is weighted by the bisquare of its
   * remainder over six times the median absolute remainder, and the next pass smooths with those weights, so a spike
   * stays in the remainder instead of being learned as seasonality or trend (Cleveland et al. 1990, §3.3).
   */
  readonly robust?: number;
}

export interface StlResult {
  readonly seasonal: Float64Array;
  readonly trend: Float64Array;
  readonly remainder: Float64Array;
}

function nextOdd(x: number): number {
  const c = Math.ceil(x);
  return c % 2 === 0 ? c + 1 : c;
}

/**
 * LOESS estimate at position xs from points y[nleft..nright] (0-based, inclusive) of an equally spaced series of
 * length n, span q, degree 0 or 1: tricube weights on distance scaled by the farthest neighbour (widened when q > n),
 * exactly as `stlest`. Returns NaN when all weights vanish. `w` is scratch of length ≥ n.
 */
function loessAt(
  y: Float64Array,
  yOff: number,
  yStride: number,
  n: number,
  q: number,
  degree: number,
  xs: number,
  nleft: number,
  nright: number,
  w: Float64Array,
  rw?: Float64Array,
): number {
  let h = Math.max(xs - nleft, nright - xs);
  if (q > n) h += Math.floor((q - n) / 2);
  const h9 = 0.999 * h;
  const h1 = 0.001 * h;
  let a = 0;
  for (let j = nleft; j <= nright; j++) {
    const r = Math.abs(j - xs);
    let wj = 0;
    if (r <= h9) {
      if (r <= h1) wj = 1;
      else {
        const u = r / h;
        const v = 1 - u * u * u;
        wj = v * v * v;
      }
    }
    if (rw !== undefined) wj *= rw[yOff + j * yStride]!;
    w[j] = wj;
    a += wj;
  }
  if (a <= 0) return NaN;
  for (let j = nleft; j <= nright; j++) w[j]! /= a;
  if (h > 0 && degree > 0) {
    let mean = 0;
    for (let j = nleft; j <= nright; j++) mean += w[j]! * j;
    let b = xs - mean;
    let c = 0;
    for (let j = nleft; j <= nright; j++) c += w[j]! * (j - mean) * (j - mean);
    if (Math.sqrt(c) > 0.001 * (n - 1)) {
      b /= c;
      for (let j = nleft; j <= nright; j++) w[j]! *= b * (j - mean) + 1;
    }
  }
  let ys = 0;
  for (let j = nleft; j <= nright; j++) ys += w[j]! * y[yOff + j * yStride]!;
  return ys;
}

/**
 * LOESS smooth of a whole equally spaced series (as `stless`): estimates every `jump` points and interpolates
 * linearly between them. `y` is read at yOff + i·yStride so subseries can be smoothed in place.
 * Interior points, whose window is centred (q odd), all share one set of weights — tricube over a symmetric window,
 * where the local-linear correction vanishes because the weighted mean of the positions is the point itself — so they
 * are computed once (`kernel`) and applied as a dot product; only the edges go through `loessAt`.
 */
function loessSmooth(
  y: Float64Array,
  yOff: number,
  yStride: number,
  n: number,
  q: number,
  degree: number,
  jump: number,
  out: Float64Array,
  outOff: number,
  w: Float64Array,
  kernel?: Float64Array,
  rw?: Float64Array,
): void {
  if (n < 2) {
    if (n === 1) out[outOff] = y[yOff]!;
    return;
  }
  const nj = Math.max(1, Math.min(jump, n - 1));
  const half = (q + 1) >> 1;
  // robustness weights change the weights point by point: no shared kernel then
  const k = rw === undefined && q < n && q % 2 === 1 ? (kernel ?? centredKernel(q)) : undefined;
  let nleft = 0;
  let nright = Math.min(q, n) - 1;
  let lastComputed = -1;
  for (let i = 0; i < n; i += nj) {
    if (q < n) {
      if (i < half) {
        nleft = 0;
        nright = q - 1;
      } else if (i >= n - half) {
        nleft = n - q;
        nright = n - 1;
      } else {
        nleft = i - half + 1;
        nright = i - half + q;
      }
    }
    let v: number;
    if (k !== undefined && nleft === i - half + 1 && nright === i + half - 1) {
      v = 0;
      let idx = yOff + nleft * yStride;
      for (let j = 0; j < q; j++) {
        v += k[j]! * y[idx]!;
        idx += yStride;
      }
    } else {
      v = loessAt(y, yOff, yStride, n, q, degree, i, nleft, nright, w, rw);
      if (!(v === v)) v = y[yOff + i * yStride]!;
    }
    out[outOff + i] = v;
    lastComputed = i;
  }
  if (nj === 1) return;
  if (lastComputed !== n - 1) {
    if (q < n) {
      nleft = n - q;
      nright = n - 1;
    }
    let v = loessAt(y, yOff, yStride, n, q, degree, n - 1, nleft, nright, w, rw);
    if (!(v === v)) v = y[yOff + (n - 1) * yStride]!;
    out[outOff + n - 1] = v;
  }
  for (let i = 0; i < n - 1; i += nj) {
    const j = Math.min(i + nj, n - 1);
    const a = out[outOff + i]!;
    const b = out[outOff + j]!;
    const d = (b - a) / (j - i);
    for (let kk = i + 1; kk < j; kk++) out[outOff + kk] = a + d * (kk - i);
  }
}

/** Normalised tricube weights of a centred window of odd length q (h = (q−1)/2, as `stlest` computes for it). */
const kernels = new Map<number, Float64Array>();
function centredKernel(q: number): Float64Array {
  const hit = kernels.get(q);
  if (hit !== undefined) return hit;
  const h = (q - 1) / 2;
  const k = new Float64Array(q);
  let a = 0;
  for (let j = 0; j < q; j++) {
    const r = Math.abs(j - h);
    let wj = 0;
    if (r <= 0.999 * h) {
      if (r <= 0.001 * h) wj = 1;
      else {
        const u = r / h;
        const v = 1 - u * u * u;
        wj = v * v * v;
      }
    }
    k[j] = wj;
    a += wj;
  }
  for (let j = 0; j < q; j++) k[j]! /= a;
  kernels.set(q, k);
  return k;
}

/** Moving average of length len: out[i] = mean(x[i..i+len−1]), for i < n − len + 1. */
function movingAverage(x: Float64Array, n: number, len: number, out: Float64Array): void {
  let s = 0;
  for (let i = 0; i < len; i++) s += x[i]!;
  out[0] = s / len;
  for (let i = 1; i + len - 1 < n; i++) {
    s += x[i + len - 1]! - x[i - 1]!;
    out[i] = s / len;
  }
}

/**
 * Decompose a complete series with integer period p ≥ 2 into seasonal + trend + remainder.
 */
export function stl(y: Float64Array, period: number, options: StlOptions = {}): StlResult {
  const n = y.length;
  const np = Math.round(period);
  const ns = nextOdd(Math.max(3, options.seasonalWindow ?? 11));
  const isdeg = options.seasonalDegree ?? 0;
  const nt = nextOdd(options.trendWindow ?? (1.5 * np) / (1 - 1.5 / ns));
  const nl = nextOdd(np);
  const itdeg = 1;
  const ildeg = 1;
  const nsjump = Math.ceil(ns / 10);
  const ntjump = Math.ceil(nt / 10);
  const nljump = Math.ceil(nl / 10);
  const outer = Math.max(0, Math.floor(options.robust ?? 0));
  const inner = options.inner ?? (outer > 0 ? 1 : 2);

  const trend = new Float64Array(n);
  const season = new Float64Array(n);
  const w1 = new Float64Array(n);
  const c = new Float64Array(n + 2 * np);
  const ma1 = new Float64Array(n + 2 * np);
  const ma2 = new Float64Array(n + 2 * np);
  const low = new Float64Array(n);
  const sub = new Float64Array(Math.ceil(n / np) + 2);
  const subOut = new Float64Array(Math.ceil(n / np) + 2);
  const w = new Float64Array(Math.max(n, Math.ceil(n / np) + 2) + 2);

  let rw: Float64Array | undefined;
  const subRw = outer > 0 ? new Float64Array(sub.length) : undefined;
  for (let round = 0; round <= outer; round++) {
    if (round > 0) rw = robustnessWeights(y, season, trend, rw);
    for (let pass = 0; pass < inner; pass++) {
      for (let i = 0; i < n; i++) w1[i] = y[i]! - trend[i]!;
      // cycle-subseries smoothing, each extended by one point at both ends (stlss)
      for (let j = 0; j < np; j++) {
        const k = Math.floor((n - j - 1) / np) + 1;
        for (let i = 0; i < k; i++) sub[i] = w1[j + i * np]!;
        const sw = rw !== undefined ? subRw : undefined;
        if (sw !== undefined) for (let i = 0; i < k; i++) sw[i] = rw![j + i * np]!;
        loessSmooth(sub, 0, 1, k, ns, isdeg, nsjump, subOut, 1, w, undefined, sw);
        // extrapolate at positions −1 and k
        const nrightStart = Math.min(ns, k) - 1;
        let v = loessAt(sub, 0, 1, k, ns, isdeg, -1, 0, nrightStart, w, sw);
        subOut[0] = v === v ? v : subOut[1]!;
        const nleftEnd = Math.max(0, k - ns);
        v = loessAt(sub, 0, 1, k, ns, isdeg, k, nleftEnd, k - 1, w, sw);
        subOut[k + 1] = v === v ? v : subOut[k]!;
        for (let i = 0; i < k + 2; i++) c[j + i * np] = subOut[i]!;
      }
      // low-pass filter of the cycle-subseries (stlfts + loess)
      movingAverage(c, n + 2 * np, np, ma1);
      movingAverage(ma1, n + np + 1, np, ma2);
      movingAverage(ma2, n + 2, 3, ma1);
      loessSmooth(ma1, 0, 1, n, nl, ildeg, nljump, low, 0, w);
      for (let i = 0; i < n; i++) season[i] = c[np + i]! - low[i]!;
      for (let i = 0; i < n; i++) w1[i] = y[i]! - season[i]!;
      loessSmooth(w1, 0, 1, n, nt, itdeg, ntjump, trend, 0, w, undefined, rw);
    }
  }
  const remainder = new Float64Array(n);
  for (let i = 0; i < n; i++) remainder[i] = y[i]! - season[i]! - trend[i]!;
  return { seasonal: season, trend, remainder };
}

/**
 * Robustness weights (netlib `stlrwt`): with r the remainder and h six times the median |r|, the bisquare
 * (1 − (|r|/h)²)² below h, 0 beyond (a remainder of more than about four standard deviations of normal noise).
 */
function robustnessWeights(y: Float64Array, season: Float64Array, trend: Float64Array, into: Float64Array | undefined): Float64Array {
  const n = y.length;
  const rw = into ?? new Float64Array(n);
  const abs = new Float64Array(n);
  for (let i = 0; i < n; i++) abs[i] = Math.abs(y[i]! - season[i]! - trend[i]!);
  const sorted = abs.slice().sort();
  const mid = n >> 1;
  const median = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const h = 6 * median;
  const c9 = 0.999 * h;
  const c1 = 0.001 * h;
  for (let i = 0; i < n; i++) {
    const r = abs[i]!;
    if (r <= c1) rw[i] = 1;
    else if (r <= c9) {
      const u = r / h;
      rw[i] = (1 - u * u) * (1 - u * u);
    } else rw[i] = 0;
  }
  return rw;
}
