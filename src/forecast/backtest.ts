import { inputError } from '../errors.js';
import type { Series } from '../series/types.js';
import { forecast } from './forecast.js';
import { candidatePeriods } from './seasonality.js';
import { coverage, mase, smape } from './metrics.js';
import type { BacktestOptions, BacktestPoint, BacktestResult } from './types.js';

/**
 * Hold out the last `holdout` points, forecast them from the rest with the same options, and score the forecast
 * against what happened: MASE (scaled by the training part's seasonal-naive MAE, m = the shortest seasonal period
 * rounded, as M4 scales by the data's frequency), sMAPE and the coverage of the 80% and 95% intervals.
 *
 * @throws HeadroomError INPUT_INVALID for a holdout outside 1 … n−1; SERIES_TOO_SHORT when what is left is too short
 *   for the model.
 */
export function backtest(series: Series, options: BacktestOptions): BacktestResult {
  const n = series.v.length;
  const h = options.holdout;
  if (!Number.isInteger(h) || h < 1 || h >= n) {
    throw inputError(series.source, `backtest holdout must be a whole number of steps from 1 to ${n - 1}, got ${h}`);
  }
  const { holdout: _holdout, maseSeasonality, ...rest } = options;
  const train: Series = { ...series, t: series.t.subarray(0, n - h), v: series.v.subarray(0, n - h) };
  const f = forecast(train, { ...rest, horizon: h });
  const actual = series.v.subarray(n - h);
  const mean = new Float64Array(h);
  const lo80 = new Float64Array(h);
  const hi80 = new Float64Array(h);
  const lo95 = new Float64Array(h);
  const hi95 = new Float64Array(h);
  const points: BacktestPoint[] = [];
  for (let i = 0; i < h; i++) {
    const p = f.points[i]!;
    mean[i] = p.mean;
    lo80[i] = p.lo80;
    hi80[i] = p.hi80;
    lo95[i] = p.lo95;
    hi95[i] = p.hi95;
    points.push({ ...p, actual: actual[i]! });
  }
  const m = maseSeasonality ?? defaultMaseSeasonality(series.stepMs, options.seasonalPeriods, n - h);
  return {
    mase: mase(actual, mean, train.v, m),
    smape: smape(actual, mean),
    coverage80: coverage(actual, lo80, hi80),
    coverage95: coverage(actual, lo95, hi95),
    model: f.model,
    ...(f.levelShift !== undefined ? { levelShift: f.levelShift } : {}),
    points,
  };
}

/**
 * The seasonal-naive period MASE is scaled by: fixed by the data's frequency rather than by what detection found, so
 * that the yardstick does not move with the model (M4 scales by the frequency of each series).
 */
export function defaultMaseSeasonality(stepMs: number, periods: readonly number[] | undefined, trainLength: number): number {
  const cands = periods !== undefined && periods.length > 0 ? [...periods] : candidatePeriods(stepMs);
  const m = cands.length > 0 ? Math.round(Math.min(...cands)) : 1;
  return m >= 2 && trainLength >= 2 * m ? m : 1;
}
