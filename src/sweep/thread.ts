import type { ErrorCode } from '../errors.js';
import { runJob } from './execute.js';
import type { JobResult, SweepJob } from './job.js';
import { prepareSweep, type PreparedSweep } from './prepare.js';

/**
 * The piscina worker entry of a sweep: runs one job against the spec it is given, preparing (checking, forecasting)
 * each spec once per thread — keyed by its hash — and reusing it for every later job. Never throws across the thread
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
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string; readonly stack: string | undefined };

let prepared: { hash: string; sweep: Promise<PreparedSweep> } | undefined;

/** Run one sweep job and report its result or its error as plain data. */
export async function runThreadTask(task: ThreadTask): Promise<ThreadOutcome> {
  try {
    if (prepared?.hash !== task.specHash) prepared = { hash: task.specHash, sweep: prepareSweep(task.specText) };
    return { ok: true, result: await runJob(await prepared.sweep, task.job) };
  } catch (e) {
    const err = e as { code?: unknown; message?: unknown; stack?: unknown; name?: unknown };
    const isHeadroom = err !== null && typeof err === 'object' && err.name === 'HeadroomError' && typeof err.code === 'string';
    return {
      ok: false,
      code: isHeadroom ? (err.code as ErrorCode) : 'INTERNAL',
      message: typeof err?.message === 'string' ? err.message : String(e),
      stack: typeof err?.stack === 'string' ? err.stack : undefined,
    };
  }
}

export default runThreadTask;
