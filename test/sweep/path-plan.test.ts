import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/rng.js';
import { loadPlanScenario, planCapacity, readPlanHistory, samplePathInto, PathPlanner, memoForecast } from '../../src/internal.js';
import { loadMathjs } from '../../src/model/demand-math.js';
import { forecast } from '../../src/forecast/forecast.js';
import type { ForecastFn } from '../../src/forecast/types.js';
import { prepareDriverSeries, defaultStart, planPeriods, horizonSteps } from '../../src/plan/demand.js';
import { dailyHistory, fixtureDir, MODEL_YAML, scenarioYaml } from '../plan/fixtures.js';

/**
 * The lean path planner of the Monte-Carlo plan mirrors planCapacity: on one demand path, given to planCapacity as a
 * forecast whose every quantile is the path, both give the same cost and exhaustion periods.
 */
describe('PathPlanner', () => {
  it('prices and dates a path exactly as planCapacity does', async () => {
    const fx = fixtureDir();
    fx.write('model.yaml', MODEL_YAML);
    fx.write('data/users.csv', dailyHistory(400, 20_000, 0.4));
    const file = fx.write('plan.yaml', scenarioYaml({ horizon: 12, fleetMm: 14, fleetMmr: 8 }));
    expect(readFileSync(file, 'utf8')).toContain('zoneLoss: true');
    const { scenario, model } = await loadPlanScenario(file, { cwd: fx.dir });
    const history = await readPlanHistory(scenario, { cwd: fx.dir, env: {}, nowMs: 0 });
    const memo = memoForecast(forecast);
    const { plan: base } = await planCapacity({ scenario, model, history }, { forecast: memo });
    const math = await loadMathjs();
    const planner = new PathPlanner(scenario, model, base, (t) => math.compile(t));
    const periods = planPeriods(scenario.startMs ?? defaultStart(history.users!.series.t.at(-1)!, 'month'), 'month', 12);
    const s = prepareDriverSeries(history.users!.series, periods.at(-1)!.endMs).series;
    const fc = memo(s, { horizon: horizonSteps(s, periods.at(-1)!.endMs), model: 'exponential', seed: scenario.seed, seasonalPeriods: [7] });
    let exhausted = 0;
    for (const k of [0, 1, 2, 3]) {
      const path = new Float64Array(fc.points.length);
      samplePathInto(fc.points, createRng(9, k), path);
      const t = Float64Array.from(fc.points, (p) => p.timestampMs);
      const lean = planner.plan(k, new Map([['users', { t, p50: path, sized: path }]]));
      const asForecast: ForecastFn = () => ({ ...fc, points: fc.points.map((p, i) => ({ timestampMs: p.timestampMs, mean: path[i]!, lo80: path[i]!, hi80: path[i]!, lo95: path[i]!, hi95: path[i]! })) });
      const { plan } = await planCapacity({ scenario, model, history }, { forecast: asForecast });
      const v = plan.variants[0]!;
      expect(lean.totalCost).toBeCloseTo(v.totalCost, 6);
      exhausted += lean.exhaustion.filter((e) => e >= 0).length;
      expect(lean.exhaustion).toEqual(v.services.map((x) => x.exhaustion.periodIndex ?? -1));
      expect(lean.serviceCost.map((c) => Math.round(c * 100))).toEqual(v.services.map((x) => Math.round(x.totalCost * 100)));
    }
    // Some paths run a fleet out within the horizon, so the dates are compared, not only "never".
    expect(exhausted).toBeGreaterThan(0);
  });
});
