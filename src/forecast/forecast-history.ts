/**
 * A read history forecast end to end, as `headroom forecast` reports it: the forecast, the timestamps of its points,
 * its growth (the model's own rate, and the mean path's) and, when asked, a backtest on the last points held out.
 */
import { HeadroomError } from '../errors.js';
import { futureTimestamps } from '../series/calendar.js';
import type { ReadResult, Series } from '../series/types.js';
import { backtest } from './backtest.js';
import { forecast } from './forecast.js';
import type { BacktestResult, ForecastOptions, ForecastResult } from './types.js';

/** A history's forecast with everything a report of it shows; plain data. */
export interface HistoryForecast {
  /** The history as read, with what the reader repaired. */
  readonly read: ReadResult;
  readonly result: ForecastResult;
  /** Timestamps of the forecast points (epoch ms), at the history's step after its last point. */
  readonly times: Float64Array;
  /** With `backtestHoldout` H: the forecast of the last H points made without them, scored. */
  readonly backtest?: { readonly holdout: number; readonly result: BacktestResult };
}

export interface HistoryForecastOptions {
  /** Also hold out this many last points, forecast them with the same options and score the forecast. */
  readonly backtestHoldout?: number;
  /** Called after each stage: 'forecast' (forecast and timestamps), then 'backtest' when asked. */
  readonly onStageDone?: (stage: 'forecast' | 'backtest') => void;
}

/**
 * Forecast a read history `options.horizon` steps ahead and, with `backtestHoldout`, backtest the same options on the
 * last points. The growth figures are the forecast's own (`result.growth`, the model's rate; `result.pathGrowth`, its
 * mean path's).
 * @throws HeadroomError as `forecast` and `backtest` do; a series too short names the history's source first, so the
 *   user learns which file to extend.
 * @example
 * const read = await readHistory('scenarios/data/web-requests-hourly.csv');
 * forecastHistory(read, { horizon: 168 }).result.points.length // => 168
 */
export function forecastHistory(read: ReadResult, options: ForecastOptions, extra: HistoryForecastOptions = {}): HistoryForecast {
  const { series } = read;
  let result: ForecastResult;
  try {
    result = forecast(series, options);
  } catch (e) {
    throw namingSource(e, series);
  }
  const times = futureTimestamps(series, options.horizon);
  extra.onStageDone?.('forecast');
  if (extra.backtestHoldout === undefined) return { read, result, times };
  const { horizon: _horizon, ...rest } = options;
  let scored: BacktestResult;
  try {
    scored = backtest(series, { ...rest, holdout: extra.backtestHoldout });
  } catch (e) {
    throw namingSource(e, series);
  }
  extra.onStageDone?.('backtest');
  return { read, result, times, backtest: { holdout: extra.backtestHoldout, result: scored } };
}

/** A series too short for the forecasting core names the file it came from. */
function namingSource(e: unknown, series: Series): unknown {
  if (e instanceof HeadroomError && e.code === 'SERIES_TOO_SHORT' && !e.message.startsWith(series.source)) {
    return new HeadroomError(e.code, `${series.source}: ${e.message}`, { exitCode: 2, cause: e });
  }
  return e;
}
