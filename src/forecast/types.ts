import type { Growth } from '../series/growth.js';
import type { Series } from '../series/types.js';

/**
 * The contract between the forecasting core and its users (CLI, planner, validation). Models work on plain value
 * arrays indexed by step; timestamps are attached by `forecast()` at the edge of this folder.
 */
export type ModelName =
  | 'naive'
  | 'snaive'
  | 'linear'
  | 'exponential'
  | 'logistic'
  | 'damped'
  | 'ets'
  | 'theta'
  | 'mstl'
  /** Restricted seasonal ARIMA chosen by AICc (arima-auto.ts); MSTL-adjusted for periods above 12. */
  | 'arima'
  /** The median combination of ETS, Theta and MSTL-ETS (ensemble.ts). */
  | 'ensemble';

/** Prediction-interval coverage levels in percent. */
export const DEFAULT_LEVELS = [80, 95] as const;

/** A known future event: from `atMs` on, demand is shifted (`shift`, in the series' unit) or scaled (`multiplier`). */
export interface ForecastEvent {
  readonly name: string;
  readonly atMs: number;
  readonly multiplier?: number;
  readonly shift?: number;
  /** Optional end of the event (exclusive); open-ended when absent. */
  readonly untilMs?: number;
}

/** A past stretch to keep out of fitting (an outage, an anomaly): [fromMs, toMs). */
export interface MaskedRange {
  readonly fromMs: number;
  readonly toMs: number;
}

export interface ForecastOptions {
  /** Steps ahead, at the series' step. */
  readonly horizon: number;
  /** Seasonal periods counted in steps, possibly non-integer (24, 168, 365.25). Absent: detect. Empty: none. */
  readonly seasonalPeriods?: readonly number[];
  readonly model?: ModelName | 'auto';
  /** For `logistic`: a known ceiling (capacity of the market, users on earth). Absent: fitted. */
  readonly ceiling?: number;
  readonly events?: readonly ForecastEvent[];
  readonly masked?: readonly MaskedRange[];
  /** Seed for any simulated future paths; intervals must reproduce for a seed. */
  readonly seed?: number;
  /**
   * Allow a horizon of more than ten times the history's length (forecast.ts `HARD_HISTORY_MULTIPLE`), refused
   * otherwise: that far out the forecast is a guess.
   */
  readonly allowLongHorizon?: boolean;
}

/** A level shift detected in the last points of a history: where it starts, its direction, the test that found it. */
export interface LevelShiftReport {
  /** Points from the first point of the shift to the end of the history, inclusive (1: the last point alone). */
  readonly pointsBeforeEnd: number;
  /** Timestamp of the first point of the shift (epoch ms). */
  readonly startMs: number;
  readonly direction: 'up' | 'down';
  /**
   * Size of the shift in the series' unit: the mean of the points since it less what the model refitted to the
   * history before it forecast for them. Absent when that history is too short to refit the model.
   */
  readonly size?: number;
  /** The CUSUM statistic of the one-step errors since the shift and the critical value it passed. */
  readonly statistic: number;
  readonly threshold: number;
  /** Whether the intervals were widened towards the earlier level. */
  readonly widened: boolean;
}

/** One forecast step. Interval bounds are for central 80% and 95% prediction intervals. */
export interface ForecastPoint {
  readonly timestampMs: number;
  readonly mean: number;
  readonly lo80: number;
  readonly hi80: number;
  readonly lo95: number;
  readonly hi95: number;
}

export interface ForecastResult {
  /** Chosen model and its parameters as text, e.g. "ets(A,Ad,A) alpha=0.31 beta=0.02 phi=0.95 gamma=0.1 m=24". */
  readonly model: string;
  readonly modelName: ModelName;
  readonly seasonalPeriods: readonly number[];
  readonly points: readonly ForecastPoint[];
  /**
   * Growth per month: the model's own rate (its trend at the end of the history; series/growth.ts `modelGrowth`),
   * or, for a model without a single rate (logistic, the ensemble), the path's (`pathGrowth`); for a level-only model
   * on a history with a significant trend, the history's trend (basis `history`, with a warning). NaN with a reason
   * when it cannot be told (less than a month of history).
   */
  readonly growth: Growth & { readonly basis: 'model' | 'history' | 'path' };
  /** Growth per month read off the mean path over its last month or more (series/growth.ts `forecastGrowth`). */
  readonly pathGrowth: Growth;
  /**
   * A level shift at the end of the history (level-shift.ts), absent when none was detected. The forecast cannot tell
   * whether it lasts: the point forecast is the model's, and the intervals are widened towards the earlier level
   * (`widened`; not when the history before the shift is too short to refit the model). Also stated in `warnings`.
   */
  readonly levelShift?: LevelShiftReport;
  /** What the user should know before trusting the numbers (a horizon past the history's length), one sentence each. */
  readonly warnings: readonly string[];
  /** In-sample one-step-ahead fitted values, aligned with the input (NaN where not defined). */
  readonly fitted: Float64Array;
  /** Fit quality on the history. */
  readonly quality: {
    /** Root mean squared one-step error. */
    readonly rmse: number;
    /** In-sample MASE against the seasonal naive one-step forecast. */
    readonly mase: number;
    /** Information criterion the model was chosen by, when it was. */
    readonly aicc?: number;
  };
}

/**
 * The forecasting entry point, implemented in `forecast.ts`:
 *   forecast(series: Series, options: ForecastOptions): ForecastResult
 * It throws HeadroomError('SERIES_TOO_SHORT', …) when the series has fewer points than the model needs.
 */
export type ForecastFn = (series: Series, options: ForecastOptions) => ForecastResult;

/** Options of `backtest()`: hold out the last `holdout` points, forecast them from the rest with `forecast()`. */
export interface BacktestOptions extends Omit<ForecastOptions, 'horizon'> {
  /** Points held out at the end of the history (the forecast horizon of the test). */
  readonly holdout: number;
  /**
   * Period of the seasonal naive that scales MASE. Default: the shortest of `seasonalPeriods` when given, otherwise
   * the shortest natural cycle of the step (24 hourly, 48 half-hourly, 7 daily, 12 monthly, 4 quarterly; see
   * `candidatePeriods`), rounded, and 1 when the training part holds fewer than two such cycles or the step has none.
   */
  readonly maseSeasonality?: number;
}

/** A held-out point: the forecast made without it, and what really happened. */
export interface BacktestPoint extends ForecastPoint {
  readonly actual: number;
}

/** Accuracy of a forecast of the held-out points (metrics.ts gives the definitions, M4's). */
export interface BacktestResult {
  /** Mean absolute scaled error against the in-sample seasonal naive (m = shortest seasonal period, 1 if none). */
  readonly mase: number;
  /** Symmetric MAPE in percent (M4). */
  readonly smape: number;
  /** Fraction of held-out points inside the 80% and the 95% intervals. */
  readonly coverage80: number;
  readonly coverage95: number;
  /** The model chosen on the training part, as text. */
  readonly model: string;
  /** A level shift detected at the end of the training part (ForecastResult `levelShift`). */
  readonly levelShift?: LevelShiftReport;
  readonly points: readonly BacktestPoint[];
}
