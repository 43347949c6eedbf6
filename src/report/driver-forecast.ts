import { backtest } from '../forecast/backtest.js';
import type { ForecastFn, ForecastOptions } from '../forecast/types.js';
import type { Series } from '../series/types.js';
import type { CapacityPlan } from '../plan/types.js';
import { round } from './format.js';

/**
 * forecast.json: what the demand charts draw and plan.json does not keep: each driver's history as it was forecast
 * (daily peaks when sub-daily history was reduced) and the forecast's mean with its 80% and 95% bounds at every step.
 * Captured from the forecasts the plan itself made (the plan's forecast function is wrapped, nothing is forecast
 * again), so the fan chart shows exactly the forecast the plan was sized from. Values keep 4 significant digits.
 */
/**
 * How the driver's forecast method did on its own history: the same model choice and options, fitted without the last
 * `holdout` steps and scored on them (M4's MASE and sMAPE, and the share of held-out points inside the 80% and 95%
 * intervals; see src/forecast/backtest.ts).
 */
export interface DriverBacktest {
  readonly holdout: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly model: string;
  readonly mase: number;
  readonly smape: number;
  readonly coverage80: number;
  readonly coverage95: number;
}

export interface DriverForecast {
  readonly name: string;
  readonly series: string;
  readonly stepMs: number;
  readonly history: { readonly t: readonly number[]; readonly v: ReadonlyArray<number | null> };
  readonly forecast: {
    readonly t: readonly number[];
    readonly mean: readonly number[];
    readonly lo80: readonly number[];
    readonly hi80: readonly number[];
    readonly lo95: readonly number[];
    readonly hi95: readonly number[];
  };
  /** Absent when the history is too short to hold out a quarter of it (fewer than 8 steps left to fit). */
  readonly backtest?: DriverBacktest | undefined;
}

export interface PlanForecasts {
  readonly format: 'headroom-forecast/1';
  readonly drivers: readonly DriverForecast[];
}

/**
 * The holdout of a driver's backtest: a quarter of the history, at most the plan's horizon, so the model is scored on
 * a stretch as long as it can be without starving the fit.
 */
export function backtestHoldout(historySteps: number, horizonSteps: number): number {
  return Math.min(horizonSteps, Math.floor(historySteps / 4));
}

/** Backtest one driver the way it was forecast (same model, seasonality and seed); undefined when too short. */
export function backtestDriver(series: Series, options: ForecastOptions): DriverBacktest | undefined {
  const n = series.v.length;
  const holdout = backtestHoldout(n, options.horizon);
  if (holdout < 1 || n - holdout < 8) return undefined;
  const { horizon: _horizon, ...rest } = options;
  const r = backtest(series, { ...rest, holdout });
  return {
    holdout,
    fromMs: series.t[n - holdout]!,
    toMs: series.t[n - 1]!,
    model: r.model,
    mase: r.mase,
    smape: r.smape,
    coverage80: r.coverage80,
    coverage95: r.coverage95,
  };
}

/**
 * Wrap a forecast function so that every forecast it makes is kept. The plan forecasts its drivers once each, in the
 * order of plan.drivers; `forecasts(plan)` names them after the plan's drivers, and with `backtest: true` also scores
 * each driver's method on its own history (one more forecast per driver).
 */
export function captureForecasts(inner: ForecastFn): { forecast: ForecastFn; forecasts: (plan: CapacityPlan, options?: { backtest?: boolean }) => PlanForecasts } {
  const kept: Array<Omit<DriverForecast, 'name' | 'backtest'>> = [];
  const inputs: Array<{ series: Series; options: ForecastOptions }> = [];
  const forecast: ForecastFn = (series, options) => {
    const result = inner(series, options);
    inputs.push({ series, options });
    const pts = result.points;
    kept.push({
      series: series.name,
      stepMs: series.stepMs,
      history: { t: Array.from(series.t), v: Array.from(series.v, (x) => (Number.isFinite(x) ? round(x) : null)) },
      forecast: {
        t: pts.map((p) => p.timestampMs),
        mean: pts.map((p) => round(p.mean)),
        lo80: pts.map((p) => round(p.lo80)),
        hi80: pts.map((p) => round(p.hi80)),
        lo95: pts.map((p) => round(p.lo95)),
        hi95: pts.map((p) => round(p.hi95)),
      },
    });
    return result;
  };
  return {
    forecast,
    forecasts: (plan, options = {}) => ({
      format: 'headroom-forecast/1',
      drivers: plan.drivers.flatMap((d, i) =>
        kept[i] ? [{ name: d.name, ...kept[i]!, ...(options.backtest ? { backtest: backtestDriver(inputs[i]!.series, inputs[i]!.options) } : {}) }] : [],
      ),
    }),
  };
}

/** forecast.json's text: compact (one line), as it is data for the report, not for reading. */
export function forecastsJson(f: PlanForecasts): string {
  return `${JSON.stringify(f)}\n`;
}
