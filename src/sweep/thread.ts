import { taskFailure, type TaskFailure } from '../task-outcome.js';
import { runJob } from './execute.js';
import type { JobResult, SweepJob } from './job.js';
import { prepareSweep, type PreparedSweep } from './prepare.js';

/**
 * The piscina worker entry of a sweep: runs one job against the spec it is given, preparing (checking, forecasting)
 * each spec once per thread — keyed by its hash, the last few kept — and reusing it for every later job. A spec that
 * fails to prepare stays failed for its hash (the same text fails the same way). Never throws across the thread
 * boundary (structured clone drops a HeadroomError's code): it returns `{ ok: false, code, message }` instead.
 */
export interface ThreadTask {
  readonly specHash: string;
  /** The spec text; only read when this thread has not prepared `specHash` yet. */
  readonly specText: string;
  readonly job: SweepJob;
}

export type ThreadOutcome =
  | { readonly ok: true; readonly result: JobResult }
  | TaskFailure;

/** Specs prepared on this thread, most recently used last; a queue worker may serve a few sweeps at once. */
const prepared = new Map<string, Promise<PreparedSweep>>();
const KEEP_PREPARED = 4;

/** Run one sweep job and report its result or its error as plain data. */
export async function runThreadTask(task: ThreadTask): Promise<ThreadOutcome> {
  try {
    let sweep = prepared.get(task.specHash);
    if (sweep === undefined) {
      sweep = prepareSweep(task.specText);
      if (prepared.size >= KEEP_PREPARED) prepared.delete(prepared.keys().next().value!);
    } else prepared.delete(task.specHash);
    prepared.set(task.specHash, sweep);
    return { ok: true, result: await runJob(await sweep, task.job) };
  } catch (e) {
    return taskFailure(e);
  }
}

export default runThreadTask;
