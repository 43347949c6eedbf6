import { gridPoints, type SweepAxis } from '../model/sweep.js';
import type { JobResult, SweepJob } from './job.js';
import type { PointOutcome } from './outcome.js';
import type { PathOutcome } from './path-plan.js';

/** One job per grid point, indices 0.. in grid order (first axis slowest). */
export function gridJobs(axes: readonly SweepAxis[]): SweepJob[] {
  return gridPoints(axes).map((values, index) => ({ kind: 'point', index, values }));
}

/** Monte-Carlo jobs: paths [0, paths) in batches of `batch`, indices from `firstIndex`. */
export function pathJobs(paths: number, batch: number, firstIndex = 0): SweepJob[] {
  const jobs: SweepJob[] = [];
  for (let from = 0, i = firstIndex; from < paths; from += batch, i++) jobs.push({ kind: 'paths', index: i, from, to: Math.min(paths, from + batch) });
  return jobs;
}

/** Point outcomes in job-index order (results arrive in any order). */
export function pointsInOrder(results: Iterable<JobResult>): PointOutcome[] {
  const out: PointOutcome[] = [];
  for (const r of results) if (r.kind === 'point') out.push(r.outcome);
  return out.sort((a, b) => a.index - b.index);
}

/** Path outcomes in path order. */
export function pathsInOrder(results: Iterable<JobResult>): PathOutcome[] {
  const out: PathOutcome[] = [];
  for (const r of results) if (r.kind === 'paths') out.push(...r.paths);
  return out.sort((a, b) => a.path - b.path);
}
