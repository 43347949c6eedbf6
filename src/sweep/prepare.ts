import { resourceModelSchema } from '../config/model.js';
import { parseYamlText } from '../config/load.js';
import { parsePlanScenarioText } from '../config/plan-scenario.js';
import { HeadroomError } from '../errors.js';
import { forecastWithPaths, type ErrorPathSampler } from '../forecast/forecast.js';
import type { ForecastFn, ForecastOptions, ForecastResult } from '../forecast/types.js';
import type { PlanScenario } from '../model/plan-scenario.js';
import type { ResourceModel } from '../model/resource-model.js';
import { parseAxis, type AxisContext, type SweepAxis } from '../model/sweep.js';
import type { Series, ReadResult } from '../series/types.js';
import { decodeSpec, specDir, specHistory, type SweepSpec } from './spec.js';

/** A spec checked and turned into planner inputs, with a forecast cache shared by every job of the sweep. */
export interface PreparedSweep {
  readonly spec: SweepSpec;
  readonly scenario: PlanScenario;
  readonly model: ResourceModel;
  readonly history: Readonly<Record<string, ReadResult>>;
  readonly axes: readonly SweepAxis[];
  /** `forecast` memoised per series and options: each driver is forecast once per sweep, not once per point. */
  readonly forecast: ForecastFn;
}

/**
 * Check a spec as untrusted input — its JSON shape (spec.ts), the model and scenario texts with the same schemas as
 * the files (file:line messages), every axis against the scenario — and prepare it. `options.forecast` replaces the
 * forecaster (tests give a forecast with a known predictive distribution).
 * @throws HeadroomError (CONFIG_INVALID or INPUT_INVALID, exit 2) naming the first problem.
 */
export async function prepareSweep(specText: string, options: { readonly forecast?: ForecastFn | undefined } = {}): Promise<PreparedSweep> {
  const spec = decodeSpec(specText);
  const model = parseYamlText(spec.model.text, spec.model.file, resourceModelSchema);
  const scenario = await parsePlanScenarioText(spec.scenario.text, spec.scenario.file, specDir(spec), model, spec.model.file);
  const history = specHistory(spec);
  for (const name of Object.keys(scenario.drivers)) {
    if (!history[name]) throw new HeadroomError('INPUT_INVALID', `sweep spec history: no series for driver ${name}`);
  }
  const ctx = axisContext(scenario, model);
  const axes = spec.axes.map((a) => {
    const r = parseAxis(a.name, a.values, ctx);
    if (!r.ok) throw new HeadroomError('INPUT_INVALID', `sweep spec axes.${a.name}: expected ${r.message}, got ${r.found}`);
    return r.axis;
  });
  return { spec, scenario, model, history, axes, forecast: memoForecast(options.forecast) };
}

/** What axes may name in a scenario and its model. */
export function axisContext(scenario: PlanScenario, model: ResourceModel): AxisContext {
  return {
    services: Object.keys(scenario.services),
    drivers: Object.keys(scenario.drivers),
    derived: scenario.demand.map((d) => d.name),
    nodeTypes: model.nodeTypes.map((t) => t.name),
    latencyServices: Object.entries(scenario.services)
      .filter(([, s]) => s.slo.latency !== undefined)
      .map(([k]) => k),
  };
}

/**
 * `forecast` with a cache keyed by the series (source, name, length, last time) and the options. With the default
 * forecaster, the model's error-path sampler of each result is kept too (pathSamplerOf).
 */
export function memoForecast(fn?: ForecastFn): ForecastFn {
  const cache = new Map<string, ForecastResult>();
  return (series: Series, options: ForecastOptions) => {
    const key = JSON.stringify([series.source, series.name, series.t.length, series.t[series.t.length - 1], series.stepMs, options]);
    let r = cache.get(key);
    if (r === undefined) {
      if (fn) r = fn(series, options);
      else {
        const f = forecastWithPaths(series, options);
        r = f.result;
        if (f.samplePaths) samplers.set(r, f.samplePaths);
      }
      cache.set(key, r);
    }
    return r;
  };
}

const samplers = new WeakMap<ForecastResult, ErrorPathSampler>();

/** The error-path sampler of a forecast made by memoForecast's default forecaster, when its model has one. */
export function pathSamplerOf(result: ForecastResult): ErrorPathSampler | undefined {
  return samplers.get(result);
}
