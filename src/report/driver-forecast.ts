import type { ForecastFn } from '../forecast/types.js';
import type { CapacityPlan } from '../plan/types.js';
import { round } from './format.js';

/**
 * forecast.json: what the demand charts draw and plan.json does not keep: each driver's history as it was forecast
 * (daily peaks when sub-daily history was reduced) and the forecast's mean with its 80% and 95% bounds at every step.
 * Captured from the forecasts the plan itself made (the plan's forecast function is wrapped, nothing is forecast
 * again), so the fan chart shows exactly the forecast the plan was sized from. Values keep 4 significant digits.
 */
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
}

export interface PlanForecasts {
  readonly format: 'headroom-forecast/1';
  readonly drivers: readonly DriverForecast[];
}

/**
 * Wrap a forecast function so that every forecast it makes is kept. The plan forecasts its drivers once each, in the
 * order of plan.drivers; `forecasts(plan)` names them after the plan's drivers.
 */
export function captureForecasts(inner: ForecastFn): { forecast: ForecastFn; forecasts: (plan: CapacityPlan) => PlanForecasts } {
  const kept: Array<Omit<DriverForecast, 'name'>> = [];
  const forecast: ForecastFn = (series, options) => {
    const result = inner(series, options);
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
    forecasts: (plan) => ({
      format: 'headroom-forecast/1',
      drivers: plan.drivers.flatMap((d, i) => (kept[i] ? [{ name: d.name, ...kept[i]! }] : [])),
    }),
  };
}

/** forecast.json's text: compact (one line), as it is data for the report, not for reading. */
export function forecastsJson(f: PlanForecasts): string {
  return `${JSON.stringify(f)}\n`;
}
