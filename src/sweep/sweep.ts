import type { PlanScenario } from '../model/plan-scenario.js';
import type { ResourceModel } from '../model/resource-model.js';
import type { SweepAxis } from '../model/sweep.js';
import { defaultStart, planPeriods } from '../plan/demand.js';
import type { PlanPeriod } from '../plan/types.js';
import type { ReadResult } from '../series/types.js';
import { gridJobs, pathJobs, pathsInOrder, pointsInOrder } from './grid.js';
import type { JobResult, SweepJob } from './job.js';
import type { JobRunner } from './local-pool.js';
import { summarizePaths } from './monte-carlo.js';
import type { SweepReport } from './report.js';
import { interactionJobs, sensitivityJobs, tornado } from './sensitivity.js';
import { buildSpec, encodeSpec } from './spec.js';

export interface SweepRequest {
  readonly scenario: PlanScenario;
  readonly scenarioText: string;
  readonly model: ResourceModel;
  readonly history: Readonly<Record<string, ReadResult>>;
  readonly axes: readonly SweepAxis[];
  /** Run the full grid of the axes. */
  readonly grid: boolean;
  /** Run the one-at-a-time sensitivity of the axes and the interaction of the top two. */
  readonly sensitivity: boolean;
  /** Monte-Carlo paths (0: none), paths per job, and the order-by confidence. */
  readonly paths: number;
  readonly batch: number;
  readonly confidence: number;
  readonly seed: number;
  /** Confirm each grid point by simulation and report SLO attainment (slower; default false). */
  readonly simulate?: boolean | undefined;
}

/** A sweep ready to run: its spec (text and hash), its id, and the plan periods. */
export interface PreparedRequest {
  readonly request: SweepRequest;
  readonly specText: string;
  readonly specHash: string;
  /** The first 16 hex digits of the spec's hash: the same command on the same inputs gives the same id. */
  readonly sweepId: string;
  readonly periods: readonly PlanPeriod[];
}

export async function prepareRequest(request: SweepRequest): Promise<PreparedRequest> {
  const spec = await buildSpec(request.scenario, request.history, request.axes, {
    seed: request.seed,
    paths: request.paths,
    batch: request.batch,
    confidence: request.confidence,
    scenarioText: request.scenarioText,
    simulate: request.simulate === true,
  });
  const { text, hash } = encodeSpec(spec);
  const s = request.scenario;
  let lastMs = -Infinity;
  for (const name of Object.keys(s.drivers)) lastMs = Math.max(lastMs, request.history[name]!.series.t.at(-1)!);
  const periods = planPeriods(s.startMs ?? defaultStart(lastMs, s.period), s.period, s.horizon);
  // Grid, sensitivity and paths share one job namespace: the mode goes into the id, so each has its own results.
  const mode = `${request.grid ? 'g' : ''}${request.sensitivity ? 's' : ''}${request.paths > 0 ? 'm' : ''}`;
  return { request, specText: text, specHash: hash, sweepId: `${hash.slice(0, 16)}${mode}`, periods };
}

/** What a failed sweep had finished: every job result so far, in index order. */
export interface PartialSweep {
  readonly sweepId: string;
  readonly done: number;
  readonly total: number;
  readonly results: readonly JobResult[];
}

/**
 * Run a sweep on `runner`: the grid, the sensitivity (one-at-a-time, then the top two's interaction grid) and the
 * Monte-Carlo paths that were asked for, gathered in index order. `onProgress(done, total)` counts jobs; when a job
 * fails for good, `onFailure` gets what was done before the error is passed on.
 */
export async function runSweep(
  p: PreparedRequest,
  runner: JobRunner,
  onProgress?: (done: number, total: number) => void,
  onFailure?: (partial: PartialSweep) => Promise<void>,
): Promise<Omit<SweepReport, 'currency'>> {
  const r = p.request;
  const jobs: SweepJob[] = [];
  if (r.grid) jobs.push(...gridJobs(r.axes));
  const sensFirst = jobs.length;
  const sens = r.sensitivity ? sensitivityJobs(r.axes).map((j) => ({ ...j, index: j.index + sensFirst })) : [];
  jobs.push(...sens);
  const pathFirst = jobs.length;
  if (r.paths > 0) jobs.push(...pathJobs(r.paths, r.batch, pathFirst));
  // The interaction grid's size is known once the tornado has ranked the inputs; the total grows then.
  let total = jobs.length;
  let done = 0;
  const results = new Map<number, JobResult>();
  const take = (x: JobResult): void => {
    if (!results.has(x.index)) {
      results.set(x.index, x);
      onProgress?.(++done, total);
    }
  };
  const runAll = async (list: readonly SweepJob[]): Promise<void> => {
    try {
      await runner.run(p.specText, p.specHash, list, take);
    } catch (e) {
      await onFailure?.({ sweepId: p.sweepId, done, total, results: [...results.values()].sort((a, b) => a.index - b.index) });
      throw e;
    }
  };
  await runAll(jobs);
  const all = [...results.values()];
  const points = pointsInOrder(all.filter((x) => x.index < sensFirst));
  let sensitivity: SweepReport['sensitivity'];
  if (r.sensitivity) {
    const outcomes = pointsInOrder(all.filter((x) => x.index >= sensFirst && x.index < pathFirst)).map((o) => ({ ...o, index: o.index - sensFirst }));
    const horizonEndMs = p.periods.at(-1)!.endMs;
    const rows = tornado(r.axes, outcomes, horizonEndMs);
    let interaction: NonNullable<SweepReport['sensitivity']>['interaction'];
    if (rows.length >= 2) {
      const top: [string, string] = [rows[0]!.axis, rows[1]!.axis];
      const first = jobs.length;
      const more = interactionJobs(r.axes, top, first);
      total = jobs.length + more.length;
      await runAll(more);
      const got = pointsInOrder([...results.values()].filter((x) => x.index >= first)).map((o) => ({ ...o, index: o.index - first }));
      interaction = { axes: top, points: got };
    }
    sensitivity = { base: outcomes[0]!, tornado: rows, interaction };
  }
  const monteCarlo =
    r.paths > 0
      ? summarizePaths(pathsInOrder(all), Object.keys(r.scenario.services), p.periods, r.scenario.leadTime * 1000, r.confidence)
      : undefined;
  return {
    format: 'headroom-sweep/1',
    sweepId: p.sweepId,
    scenario: r.scenario.file,
    seed: r.seed,
    axes: r.axes.map((a) => ({ name: a.name, values: [...a.values] })),
    points,
    ...(sensitivity ? { sensitivity } : {}),
    ...(monteCarlo ? { monteCarlo } : {}),
  };
}
