import { createRng } from '../rng.js';
import type { FittedModel } from './model.js';
import { MODELS, nativePeriod, type FitContext } from './registry.js';
import type { ForecastOptions, ModelName } from './types.js';

export interface Choice {
  readonly fit: FittedModel;
  /** Validation mean absolute error per candidate tried, in the order tried. */
  readonly scores: ReadonlyArray<{ readonly model: ModelName; readonly mae: number }>;
}

/** Candidate families for `auto`, given the usable seasonal periods. */
export function candidates(periods: readonly number[]): ModelName[] {
  if (periods.length === 0) return ['ets', 'theta'];
  if (nativePeriod(periods) !== undefined) return ['ets', 'theta', 'mstl', 'snaive'];
  return ['mstl', 'theta', 'snaive'];
}

/**
 * `auto`: keep the periods with at least two cycles of history, fit each candidate family on the history minus its
 * last V = min(h, n/4) points, score it by the mean absolute error of its forecast of those V points (one rolling
 * origin), and refit the winner on the whole history.
 */
export function chooseModel(y: Float64Array, allPeriods: readonly number[], h: number, options: ForecastOptions): Choice {
  const n = y.length;
  const periods = allPeriods.filter((p) => 2 * p <= n);
  const ctx: FitContext = { periods, ...(options.ceiling !== undefined ? { ceiling: options.ceiling } : {}) };
  const names = candidates(periods);
  const v = Math.max(1, Math.min(h, Math.floor(n / 4)));
  const train = y.subarray(0, n - v);
  const rng = createRng(options.seed ?? 0, 0x53454c);
  const scores: Array<{ model: ModelName; mae: number }> = [];
  let best: ModelName | undefined;
  let bestMae = Infinity;
  for (const name of names) {
    const entry = MODELS[name];
    if (countObserved(train) < entry.minPoints(periods)) continue;
    const f = entry.fit(train, ctx);
    const b = f.predict(v, rng);
    let ae = 0;
    let k = 0;
    for (let i = 0; i < v; i++) {
      const e = y[n - v + i]! - b.mean[i]!;
      if (e === e) {
        ae += Math.abs(e);
        k++;
      }
    }
    const mae = k > 0 ? ae / k : Infinity;
    scores.push({ model: name, mae });
    if (mae < bestMae || best === undefined) {
      bestMae = mae;
      best = name;
    }
  }
  const chosen = best ?? (periods.length === 0 ? 'naive' : 'snaive');
  return { fit: MODELS[chosen].fit(y, ctx), scores };
}

function countObserved(y: Float64Array): number {
  let k = 0;
  for (let i = 0; i < y.length; i++) if (y[i]! === y[i]!) k++;
  return k;
}
