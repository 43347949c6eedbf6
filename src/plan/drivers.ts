import { HORIZON_LIMIT_FACTOR, HORIZON_WARN_FACTOR } from './limits.js';
import type { EvalFunction } from 'mathjs';
import type { PlanScenario, VariantSpec } from '../model/plan-scenario.js';
import { HeadroomError } from '../errors.js';
import type { ForecastFn, ForecastResult } from '../forecast/types.js';
import type { ReadResult } from '../series/types.js';
import {
  compileExpression,
  defaultStart,
  evaluateExpression,
  horizonSteps,
  periodPeaks,
  planPeriods,
  prepareDriverSeries,
  stepDemand,
  type StepDemand,
} from './demand.js';
import type { DemandSeries, DriverAssumption, PlanPeriod } from './types.js';
import { variantFactor } from './variants.js';

/** The drivers phase's result: every driver forecast once to the end of the horizon, and the plan's periods. */
export interface ForecastDrivers {
  readonly drivers: ReadonlyMap<string, StepDemand>;
  readonly assumptions: readonly DriverAssumption[];
  readonly periods: readonly PlanPeriod[];
  /** Sentences for the plan's warnings (a horizon far beyond the history). */
  readonly warnings: readonly string[];
}


/**
 * How far the plan reaches past each driver's history, against the history's length: a warning beyond
 * HORIZON_WARN_FACTOR times, an error (exit 2) beyond HORIZON_LIMIT_FACTOR times unless `allowLong`. A forecast that
 * far out is an extrapolation of the trend, not a measurement.
 */
export function horizonWarnings(
  scenario: Pick<PlanScenario, 'file' | 'horizon' | 'period'>,
  history: Readonly<Record<string, ReadResult>>,
  endMs: number,
  allowLong: boolean,
): string[] {
  const warnings: string[] = [];
  const days = (ms: number): number => Math.round(ms / 86_400_000);
  for (const [name, read] of Object.entries(history)) {
    const t = read.series.t;
    const lengthMs = t[t.length - 1]! - t[0]!;
    const reachMs = endMs - t[t.length - 1]!;
    if (!(lengthMs > 0)) continue;
    const factor = reachMs / lengthMs;
    const what = `the plan reaches ${days(reachMs)} days past the ${days(lengthMs)} days of history of driver ${name} (${factor.toFixed(1)}x)`;
    if (factor > HORIZON_LIMIT_FACTOR && !allowLong) {
      throw new HeadroomError(
        'INPUT_INVALID',
        `${scenario.file} horizon: expected a plan reaching at most ${HORIZON_LIMIT_FACTOR}x the history, got ${scenario.horizon} ${scenario.period}s: ${what}; shorten the horizon or pass --allow-long-horizon`,
      );
    }
    if (factor > HORIZON_WARN_FACTOR) warnings.push(`${what}: beyond ${HORIZON_WARN_FACTOR}x the forecast is an extrapolation of the trend; treat late dates and counts as rough`);
  }
  return warnings;
}

/**
 * Phase "drivers": lay out the plan's periods (from the scenario's start, else the first whole period after the
 * history) and forecast every driver once to the end of the last period, at the scenario's quantile.
 * @throws HeadroomError when a driver has no history, the start is not after the history, the plan reaches past the
 *   history by more than HORIZON_LIMIT_FACTOR times its length (unless allowed), or a forecast fails (the message names
 *   the scenario file and the driver).
 */
export function forecastDrivers(
  scenario: PlanScenario,
  history: Readonly<Record<string, ReadResult>>,
  forecastFn: ForecastFn,
  seed: number,
  allowLongHorizon = false,
): ForecastDrivers {
  let lastMs = -Infinity;
  for (const name of Object.keys(scenario.drivers)) {
    const read = history[name];
    if (!read) throw new HeadroomError('INPUT_INVALID', `${scenario.file} drivers.${name}: no history was read for this driver`);
    lastMs = Math.max(lastMs, read.series.t[read.series.t.length - 1]!);
  }
  const startMs = scenario.startMs ?? defaultStart(lastMs, scenario.period);
  const periods = planPeriods(startMs, scenario.period, scenario.horizon);
  const endMs = periods[periods.length - 1]!.endMs;
  if (periods[0]!.endMs <= lastMs) {
    const what = scenario.period === 'month' ? 'a month' : 'a quarter';
    throw new HeadroomError(
      'INPUT_INVALID',
      `${scenario.file} start: expected ${what} that ends after the history does (last point ${new Date(lastMs).toISOString().slice(0, 10)}), got ${periods[0]!.label}`,
    );
  }
  const warnings = horizonWarnings(scenario, history, endMs, allowLongHorizon);
  const prepared = Object.keys(scenario.drivers).map((name) => {
    const read = history[name]!;
    return { name, read, prepared: prepareDriverSeries(read.series, endMs) };
  });
  const drivers = new Map<string, StepDemand>();
  const assumptions: DriverAssumption[] = [];
  for (const { name, read, prepared: p } of prepared) {
    const spec = scenario.drivers[name]!;
    const fc = forecastDriver(scenario, name, p.series, endMs, forecastFn, seed, allowLongHorizon);
    drivers.set(name, stepDemand(fc, scenario.quantile));
    assumptions.push(assumptionOf(name, spec.unit, spec.historyAsWritten ?? read.series.source, read, p, fc));
  }
  return { drivers, assumptions, periods, warnings };
}

function forecastDriver(
  scenario: PlanScenario,
  name: string,
  series: ReturnType<typeof prepareDriverSeries>['series'],
  endMs: number,
  forecastFn: ForecastFn,
  seed: number,
  allowLongHorizon: boolean,
): ForecastResult {
  const spec = scenario.drivers[name]!;
  try {
    return forecastFn(series, {
      horizon: horizonSteps(series, endMs),
      model: spec.model as ForecastResult['modelName'] | 'auto',
      seed,
      ...(spec.seasonality !== undefined ? { seasonalPeriods: spec.seasonality } : {}),
      // The plan checks its own horizon against the history (a warning, or a refusal without the allowance).
      ...(allowLongHorizon ? { allowLongHorizon: true } : {}),
    });
  } catch (e) {
    if (e instanceof HeadroomError) throw new HeadroomError(e.code, `${scenario.file} drivers.${name}: ${e.message}`, { exitCode: e.exitCode === 0 ? 2 : e.exitCode });
    throw e;
  }
}

/** How one driver was read and forecast, for the Assumptions sheet. */
function assumptionOf(
  name: string,
  unit: string,
  source: string,
  read: ReadResult,
  p: ReturnType<typeof prepareDriverSeries>,
  fc: ForecastResult,
): DriverAssumption {
  const r = read.repairs;
  const repairs = [
    ...(r.filledGaps.length ? [`${r.filledGaps.reduce((a, g) => a + g.points, 0)} missing points filled by interpolation`] : []),
    ...(r.duplicatesDropped ? [`${r.duplicatesDropped} duplicate rows dropped`] : []),
    ...(r.resampled ? ['irregular timestamps resampled onto the step'] : []),
    ...(r.notes ?? []),
  ];
  return {
    name,
    unit,
    source,
    historyPoints: read.series.t.length,
    historyStartMs: read.series.t[0]!,
    historyEndMs: read.series.t[read.series.t.length - 1]!,
    forecastStepMs: p.series.stepMs,
    dailyPeaks: p.dailyPeaks,
    model: fc.model,
    seasonalPeriods: fc.seasonalPeriods,
    rmse: fc.quality.rmse,
    mase: fc.quality.mase,
    repairs,
  };
}

/** Demand of every name for one variant: `all` holds drivers and derived names, `services` each service's load. */
export interface VariantDemand {
  readonly all: ReadonlyMap<string, DemandSeries>;
  readonly services: ReadonlyMap<string, DemandSeries>;
}

/**
 * Demand of every name (drivers, derived, services) for one variant: each driver's peak per period times the
 * variant's factor, then the derived expressions in order, then each service's expression.
 */
export function variantDemand(
  scenario: PlanScenario,
  forecast: ForecastDrivers,
  variant: VariantSpec,
  compile: (text: string) => EvalFunction,
): VariantDemand {
  const { periods } = forecast;
  const start = periods[0]!.startMs;
  const all = new Map<string, DemandSeries>();
  for (const [name, d] of forecast.drivers) {
    all.set(name, periodPeaks(name, scenario.drivers[name]!.unit, d, periods, variantFactor(variant, name, start)));
  }
  for (const { name, expression } of scenario.demand) {
    all.set(name, evaluateExpression(compileExpression(name, expression, compile), '', all, periods, `${scenario.file} demand.${name}`));
  }
  const services = new Map<string, DemandSeries>();
  for (const [name, svc] of Object.entries(scenario.services)) {
    services.set(name, evaluateExpression(compileExpression(name, svc.demand, compile), svc.unit, all, periods, `${scenario.file} services.${name}.demand`));
  }
  return { all, services };
}
