import { createRng } from '../rng.js';
import { loadMathjs } from '../model/demand-math.js';
import { samplePathInto } from '../forecast/sample-paths.js';
import type { ForecastResult } from '../forecast/types.js';
import { defaultStart, horizonSteps, planPeriods, prepareDriverSeries, type StepDemand } from '../plan/demand.js';
import { planCapacity } from '../plan/plan.js';
import { simulationConfirmer } from '../plan/confirm.js';
import type { CapacityPlan } from '../plan/types.js';
import { applyPoint } from './apply-point.js';
import type { JobResult, SweepJob } from './job.js';
import { outcomeOf } from './outcome.js';
import { PathPlanner, type PathOutcome } from './path-plan.js';
import { pathSamplerOf, type PreparedSweep } from './prepare.js';

/** Stream of the Monte-Carlo draws: createRng(seed, MC_STREAM, path, driver). */
const MC_STREAM = 0x4d43; // "MC"

/**
 * Run one job of a prepared sweep. A point is a full `planCapacity` (analytic; confirmed by simulation when the spec
 * says so) of the point's scenario
 * with the sweep's shared forecast; a path batch samples each driver's path from its forecast and its model's own error
 * dependence where the model gives one (sample-paths.ts) and
 * plans it with the base plan's sizing (path-plan.ts). Deterministic: the result depends only on the spec and the job.
 */
export async function runJob(p: PreparedSweep, job: SweepJob): Promise<JobResult> {
  if (job.kind === 'point') {
    const axes = p.axes.filter((_, i) => job.values[i] !== null);
    const values = job.values.filter((v): v is number | string => v !== null);
    const inputs = applyPoint(p.scenario, p.model, axes, values);
    // Simulation runs on this thread: the job already has a thread of its own (local pool or queue worker).
    const confirmer = p.spec.simulate ? simulationConfirmer({ inProcess: true }) : undefined;
    let plan: CapacityPlan;
    try {
      plan = (await planCapacity({ scenario: inputs.scenario, model: inputs.model, history: p.history }, { forecast: p.forecast, seed: p.spec.seed, confirm: confirmer?.confirm })).plan;
    } finally {
      await confirmer?.close();
    }
    return { kind: 'point', index: job.index, outcome: outcomeOf(job.index, job.values, plan, inputs.viaVariant) };
  }
  const mc = await monteCarloState(p);
  const paths: PathOutcome[] = [];
  for (let k = job.from; k < job.to; k++) paths.push(mc.planPath(k));
  return { kind: 'paths', index: job.index, paths };
}

/** The base plan of a prepared sweep (no axes applied), computed once. */
export async function basePlan(p: PreparedSweep): Promise<CapacityPlan> {
  return (await monteCarloState(p)).base;
}

interface MonteCarloState {
  readonly base: CapacityPlan;
  planPath(k: number): PathOutcome;
}

const states = new WeakMap<PreparedSweep, Promise<MonteCarloState>>();

function monteCarloState(p: PreparedSweep): Promise<MonteCarloState> {
  let s = states.get(p);
  if (!s) {
    s = buildState(p);
    states.set(p, s);
  }
  return s;
}

async function buildState(p: PreparedSweep): Promise<MonteCarloState> {
  const scenario = { ...p.scenario, variants: [] };
  const { plan: base } = await planCapacity({ scenario, model: p.model, history: p.history }, { forecast: p.forecast, seed: p.spec.seed });
  const math = await loadMathjs();
  const planner = new PathPlanner(scenario, p.model, base, (t) => math.compile(t));
  // The forecasts planCapacity made (the memo returns the same objects): the same series and options it used.
  let lastMs = -Infinity;
  for (const name of Object.keys(scenario.drivers)) lastMs = Math.max(lastMs, p.history[name]!.series.t.at(-1)!);
  const periods = planPeriods(scenario.startMs ?? defaultStart(lastMs, scenario.period), scenario.period, scenario.horizon);
  const endMs = periods.at(-1)!.endMs;
  const drivers = Object.entries(scenario.drivers).map(([name, spec]) => {
    const s = prepareDriverSeries(p.history[name]!.series, endMs).series;
    const fc: ForecastResult = p.forecast(s, {
      horizon: horizonSteps(s, endMs),
      model: spec.model as ForecastResult['modelName'] | 'auto',
      seed: p.spec.seed,
      ...(spec.seasonality !== undefined ? { seasonalPeriods: spec.seasonality } : {}),
    });
    const t = Float64Array.from(fc.points, (q) => q.timestampMs);
    return { name, points: fc.points, t, latent: pathSamplerOf(fc) };
  });
  const seed = p.spec.seed;
  return {
    base,
    planPath(k: number): PathOutcome {
      const demand = new Map<string, StepDemand>();
      drivers.forEach((d, j) => {
        const path = new Float64Array(d.points.length);
        const rng = createRng(seed, MC_STREAM, k, j);
        // The model's own error path when it has one (one path from this path's stream), else the random walk.
        samplePathInto(d.points, rng, path, d.latent?.(1, rng));
        demand.set(d.name, { t: d.t, p50: path, sized: path });
      });
      return planner.plan(k, demand);
    },
  };
}
