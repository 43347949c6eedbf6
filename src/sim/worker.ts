import { taskFailure, type TaskFailure } from '../task-outcome.js';
import { runReplica } from './replica.js';
import type { ReplicaResult, SimSpec } from './types.js';

/**
 * The piscina worker entry: runs one replica. No I/O and no console here; the runner owns both.
 *
 * Errors do not cross the thread boundary intact (structured clone turns a HeadroomError into a plain Error and drops
 * its `code`; checked on Node 20 with piscina 5), so this entry never throws: it returns `{ ok: false, code, message }`
 * and `runner.ts` throws the real HeadroomError again.
 *
 * The result is plain data (numbers, plain arrays: see ReplicaResult); it holds no typed arrays, so there is nothing to
 * `move()` and structured clone copies it.
 */
export interface ReplicaTask {
  readonly spec: SimSpec;
  readonly replicaIndex: number;
  readonly seed: number;
}

export type ReplicaOutcome =
  | { readonly ok: true; readonly result: ReplicaResult }
  | TaskFailure;

/** Run one replica and report its result or its error as plain data. */
export function runReplicaTask(task: ReplicaTask): ReplicaOutcome {
  try {
    return { ok: true, result: runReplica(task.spec, task.replicaIndex, task.seed) };
  } catch (e) {
    return taskFailure(e);
  }
}

export default runReplicaTask;
