import { HeadroomError } from '../errors.js';
import { autoEts, fitEts } from './ets.js';
import { fitExponential } from './exponential.js';
import { fitLinear } from './linear.js';
import type { FittedModel } from './model.js';
import { fitNaive, fitSeasonalNaive } from './naive.js';
import { fitTheta } from './theta.js';
import type { ModelName } from './types.js';

/** What a model needs from the caller besides the values. */
export interface FitContext {
  /** Seasonal periods in steps (possibly non-integer), shortest first. */
  readonly periods: readonly number[];
  /** A known ceiling for the logistic model. */
  readonly ceiling?: number;
}

export interface ModelEntry {
  /** Fewest observed points the model can be fitted to with these periods. */
  minPoints(periods: readonly number[]): number;
  fit(y: Float64Array, ctx: FitContext): FittedModel;
}

/** Largest seasonal state kept inside ETS; longer or non-integer periods go through a decomposition instead. */
export const MAX_NATIVE_PERIOD = 400;

/** The single integer period a natively seasonal model (ETS, Theta) can carry, if the periods allow it. */
export function nativePeriod(periods: readonly number[]): number | undefined {
  if (periods.length !== 1) return undefined;
  const p = periods[0]!;
  return Number.isInteger(p) && p >= 2 && p <= MAX_NATIVE_PERIOD ? p : undefined;
}

function longest(periods: readonly number[]): number {
  let m = 0;
  for (const p of periods) m = Math.max(m, p);
  return m;
}

/** An explicit name → model map (no registration by import side effect). */
export const MODELS: Record<ModelName, ModelEntry> = {
  naive: { minPoints: () => 2, fit: (y) => fitNaive(y) },
  snaive: {
    minPoints: (p) => (p.length > 0 ? Math.ceil(longest(p)) + 1 : 2),
    fit: (y, c) => (c.periods.length > 0 ? fitSeasonalNaive(y, longest(c.periods)) : fitNaive(y)),
  },
  linear: { minPoints: () => 3, fit: (y) => fitLinear(y) },
  exponential: { minPoints: () => 3, fit: (y) => fitExponential(y) },
  logistic: { minPoints: () => 6, fit: () => notYet('logistic') },
  damped: { minPoints: () => 5, fit: (y) => fitEts(y, { trend: 'Ad', season: 'N' }) },
  ets: {
    minPoints: (p) => (p.length > 0 ? Math.ceil(2 * longest(p)) : 4),
    fit: (y, c) => autoEts(y, nativePeriod(c.periods)),
  },
  theta: {
    minPoints: (p) => (p.length > 0 ? Math.ceil(2 * longest(p)) : 4),
    fit: (y, c) => fitTheta(y, nativePeriod(c.periods)),
  },
  mstl: {
    minPoints: (p) => (p.length > 0 ? Math.ceil(2 * longest(p)) : 4),
    fit: () => notYet('mstl'),
  },
};

/** Models still being written in this folder (logistic, mstl): an honest error, not a stand-in model. */
function notYet(name: string): never {
  throw new HeadroomError('INTERNAL', `model ${name} is not implemented yet`);
}
