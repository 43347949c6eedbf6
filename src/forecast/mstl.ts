import type { Rng } from '../rng.js';
import { centredMovingAverage } from './ets.js';
import { fitFourier, fourierAt, MIN_CYCLES_FOR_BINS, withPhaseBins, type FourierSeason } from './fourier.js';
import type { Bands, FittedModel } from './model.js';
import { interpolateGaps } from './seasonality.js';
import { stl } from './stl.js';
import type { ModelName } from './types.js';

/**
 * MSTL: multiple seasonal decomposition by iterated STL (Bandara, Hyndman & Bergmeir 2021, "MSTL: A Seasonal-Trend
 * Decomposition Algorithm for Time Series with Multiple Seasonal Patterns", arXiv:2107.13462): periods shortest
 * first, each STL run on the series with the other seasonal components removed, the whole sweep repeated twice;
 * seasonal window 7 + 4i for the i-th period (their defaults). Non-integer periods (365.25, 8766) and periods longer
 * than MAX_STL_PERIOD get a Fourier component instead (fourier.ts says why) inside the same back-fitting sweep, with
 * per-phase-bin detail once the history holds four cycles (`withPhaseBins`).
 *
 * Forecasting (as R's `forecast::mstl` + `stlf`): a non-seasonal model is fitted to the seasonally adjusted series
 * (trend + remainder) and each seasonal component is projected forward, STL components by repeating their last
 * cycle, Fourier components by evaluating the harmonics at future steps. The adjusted model's interval is shifted by
 * the projected seasonal (the seasonal is treated as known, as in stlf).
 */
export const MAX_STL_PERIOD = 1000;
const ITERATIONS = 2;

export interface Decomposition {
  /** y with every seasonal component removed (trend + remainder); NaN where y was missing. */
  readonly adjusted: Float64Array;
  /** Sum of the seasonal components at each step of the history. */
  readonly seasonal: Float64Array;
  readonly components: ReadonlyArray<{ readonly period: number; readonly kind: 'stl' | 'fourier'; readonly values: Float64Array; readonly fourier?: FourierSeason }>;
}

/**
 * Decompositions already computed, per input array and period list: `auto` fits several families to the same
 * training window, and they share one decomposition (the arrays are never mutated after a forecast starts).
 */
const cache = new WeakMap<Float64Array, Map<string, Decomposition>>();

export function decompose(y: Float64Array, periods: readonly number[]): Decomposition {
  const key = periods.join(',');
  let byPeriods = cache.get(y);
  const hit = byPeriods?.get(key);
  if (hit !== undefined) return hit;
  const d = decomposeUncached(y, periods);
  if (byPeriods === undefined) {
    byPeriods = new Map();
    cache.set(y, byPeriods);
  }
  byPeriods.set(key, d);
  return d;
}

function decomposeUncached(y: Float64Array, periods: readonly number[]): Decomposition {
  const n = y.length;
  const x = interpolateGaps(y);
  const ps = [...periods].sort((a, b) => a - b);
  const comps = ps.map((p) => ({
    period: p,
    kind: (Number.isInteger(p) && p <= MAX_STL_PERIOD ? 'stl' : 'fourier') as 'stl' | 'fourier',
    values: new Float64Array(n) as Float64Array,
    fourier: undefined as FourierSeason | undefined,
  }));
  const deseas = new Float64Array(x);
  for (let it = 0; it < ITERATIONS; it++) {
    for (let i = 0; i < comps.length; i++) {
      const c = comps[i]!;
      for (let t = 0; t < n; t++) deseas[t]! += c.values[t]!;
      if (c.kind === 'stl') {
        c.values = stl(deseas, c.period, { seasonalWindow: 7 + 4 * (i + 1) }).seasonal;
      } else {
        c.fourier = fitFourier(deseas, c.period);
        if (n >= MIN_CYCLES_FOR_BINS * c.period) c.fourier = withPhaseBins(c.fourier, deseas, centredMovingAverage(deseas, Math.round(c.period)));
        for (let t = 0; t < n; t++) c.values[t] = fourierAt(c.fourier, t);
      }
      for (let t = 0; t < n; t++) deseas[t]! -= c.values[t]!;
    }
  }
  const seasonal = new Float64Array(n);
  for (const c of comps) for (let t = 0; t < n; t++) seasonal[t]! += c.values[t]!;
  const adjusted = new Float64Array(n);
  for (let t = 0; t < n; t++) adjusted[t] = y[t]! === y[t]! ? y[t]! - seasonal[t]! : NaN;
  return { adjusted, seasonal, components: comps.map((c) => (c.fourier ? { period: c.period, kind: c.kind, values: c.values, fourier: c.fourier } : { period: c.period, kind: c.kind, values: c.values })) };
}

/** The seasonal components projected to steps n … n+h−1. */
export function projectSeasonal(d: Decomposition, n: number, h: number): Float64Array {
  const out = new Float64Array(h);
  for (const c of d.components) {
    if (c.kind === 'fourier') {
      for (let i = 0; i < h; i++) out[i]! += fourierAt(c.fourier!, n + i);
    } else {
      const p = c.period;
      for (let i = 0; i < h; i++) out[i]! += c.values[n - p + (i % p)]!;
    }
  }
  return out;
}

/** A non-seasonal model fitted to the seasonally adjusted series, with the seasonal components added back. */
export class DeseasonalisedFit implements FittedModel {
  readonly name: ModelName;
  readonly label: string;
  readonly fitted: Float64Array;
  readonly aicc?: number;

  constructor(
    readonly decomposition: Decomposition,
    readonly inner: FittedModel,
    name: ModelName,
    private readonly n: number,
  ) {
    this.name = name;
    const ps = decomposition.components.map((c) => (c.kind === 'fourier' ? `${c.period}f` : String(c.period))).join(',');
    this.label = `mstl(${ps}) + ${inner.label}`;
    this.fitted = new Float64Array(n);
    for (let t = 0; t < n; t++) this.fitted[t] = inner.fitted[t]! + decomposition.seasonal[t]!;
  }

  predict(h: number, rng: Rng): Bands {
    const b = this.inner.predict(h, rng);
    const s = projectSeasonal(this.decomposition, this.n, h);
    const out = {
      mean: new Float64Array(b.mean),
      lo80: new Float64Array(b.lo80),
      hi80: new Float64Array(b.hi80),
      lo95: new Float64Array(b.lo95),
      hi95: new Float64Array(b.hi95),
    };
    for (let i = 0; i < h; i++) {
      out.mean[i]! += s[i]!;
      out.lo80[i]! += s[i]!;
      out.hi80[i]! += s[i]!;
      out.lo95[i]! += s[i]!;
      out.hi95[i]! += s[i]!;
    }
    return out;
  }
}

/** Decompose, fit `fitInner` to the adjusted series, and wrap. */
export function fitDeseasonalised(
  y: Float64Array,
  periods: readonly number[],
  fitInner: (adjusted: Float64Array) => FittedModel,
  name: ModelName,
): DeseasonalisedFit {
  const d = decompose(y, periods);
  return new DeseasonalisedFit(d, fitInner(d.adjusted), name, y.length);
}
