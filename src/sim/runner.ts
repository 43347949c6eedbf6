import { errorFromFailure } from '../task-outcome.js';
import { workerEntry } from '../worker-entry.js';
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { HeadroomError } from '../errors.js';
import { summarize, type SimSummary } from './summary.js';
import type { ReplicaResult, SimSpec } from './types.js';
import { runReplicaTask, type ReplicaOutcome, type ReplicaTask } from './worker.js';

/**
 * The parallel replica runner: R independent replicas of one SimSpec on a piscina pool of worker threads, merged into
 * a SimSummary (means with 95% intervals, see summary.ts).
 *
 * Reproducibility: replica i is `runReplica(spec, i, seed)`, which draws only from createRng(seed, i, ...). Nothing
 * depends on which worker ran it or when it finished: results are sorted by replica index before the merge, so the
 * same seed gives the same numbers (the same JSON) with 1, 2 or 8 workers, or in-process.
 */
export interface SimulateOptions {
  /** Number of independent replicas R (≥ 1). */
  readonly replicas: number;
  /** Seed of the run; replica i uses the stream (seed, i). A non-negative integer. */
  readonly seed: number;
  /** Worker threads; default: the machine's available parallelism, capped at `replicas`. */
  readonly workers?: number | undefined;
  /**
   * Run the replicas one after another on the calling thread instead of a pool (same numbers, no threads). Default:
   * in-process when the pool would have a single worker (it saves the worker's start-up), a pool otherwise;
   * `false` forces a pool even for one worker.
   */
  readonly inProcess?: boolean | undefined;
  /** Called after each replica finishes, with the number done so far and R. */
  readonly onReplicaDone?: ((done: number, total: number) => void) | undefined;
}

/**
 * Simulate `spec` R times and merge the replicas. The latency target for SLO attainment is `spec.run.sloTarget`.
 * @throws HeadroomError INPUT_INVALID for bad options; the replica's own HeadroomError (same code) if one fails.
 * @example
 * const s = await simulate(spec, { replicas: 8, seed: 1, workers: 2 });
 * s.stations.api.meanWait; // => { mean: 0.0203..., ci95: [0.0199..., 0.0207...] } (seconds)
 */
export async function simulate(spec: SimSpec, options: SimulateOptions): Promise<SimSummary> {
  const results = await runReplicas(spec, options);
  return summarize(results, { seed: options.seed, sloTarget: spec.run.sloTarget });
}

/** The per-replica results of `simulate`, sorted by replica index (for callers that merge differently). */
export async function runReplicas(spec: SimSpec, options: SimulateOptions): Promise<ReplicaResult[]> {
  checkOptions(options);
  const workers = Math.min(options.workers ?? availableParallelism(), options.replicas);
  if (options.inProcess ?? workers === 1) return runInProcess(spec, options);
  const pool = createPool(workers);
  try {
    return await runOnPool(pool, spec, options);
  } finally {
    await pool.destroy();
  }
}

/**
 * A pool of worker threads kept open across many simulations (the planner and validation simulate one spec after
 * another; starting workers each time costs about a second under tsx). Same numbers as `simulate`.
 * Close it when done, or the threads keep the process alive until their idle timeout.
 * @example
 * const pool = openSimPool({ workers: 2 });
 * try { for (const spec of specs) summaries.push(await pool.simulate(spec, { replicas: 8, seed: 1 })); }
 * finally { await pool.close(); }
 */
export interface SimPool {
  /** Worker threads of the pool. */
  readonly workers: number;
  simulate(spec: SimSpec, options: Omit<SimulateOptions, 'workers' | 'inProcess'>): Promise<SimSummary>;
  runReplicas(spec: SimSpec, options: Omit<SimulateOptions, 'workers' | 'inProcess'>): Promise<ReplicaResult[]>;
  close(): Promise<void>;
}

/** Open a SimPool of `workers` threads (default: the machine's available parallelism); threads start on first use. */
export function openSimPool(options: { readonly workers?: number | undefined } = {}): SimPool {
  const workers = options.workers ?? availableParallelism();
  if (!Number.isSafeInteger(workers) || workers < 1) {
    throw new HeadroomError('INPUT_INVALID', `openSimPool: options.workers must be a positive integer, got ${String(workers)}`);
  }
  let pool: Piscina | undefined;
  let closed = false;
  const replicas = async (spec: SimSpec, o: Omit<SimulateOptions, 'workers' | 'inProcess'>): Promise<ReplicaResult[]> => {
    if (closed) throw new HeadroomError('INTERNAL', 'openSimPool: the pool is closed');
    checkOptions(o);
    pool ??= createPool(workers);
    return runOnPool(pool, spec, o);
  };
  return {
    workers,
    runReplicas: replicas,
    simulate: async (spec, o) => summarize(await replicas(spec, o), { seed: o.seed, sloTarget: spec.run.sloTarget }),
    close: async () => {
      closed = true;
      await pool?.destroy();
      pool = undefined;
    },
  };
}

function tasksOf(spec: SimSpec, o: { replicas: number; seed: number }): ReplicaTask[] {
  return Array.from({ length: o.replicas }, (_, replicaIndex) => ({ spec, replicaIndex, seed: o.seed }));
}

async function runInProcess(spec: SimSpec, o: SimulateOptions): Promise<ReplicaResult[]> {
  const results: ReplicaResult[] = [];
  for (const task of tasksOf(spec, o)) {
    results.push(unwrap(runReplicaTask(task), task.replicaIndex));
    o.onReplicaDone?.(results.length, o.replicas);
    // Let the event loop breathe between replicas, so a progress bar can draw.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return results;
}

async function runOnPool(pool: Piscina, spec: SimSpec, o: Omit<SimulateOptions, 'workers' | 'inProcess'>): Promise<ReplicaResult[]> {
  let done = 0;
  const results = await Promise.all(
    tasksOf(spec, o).map(async (task) => {
      const outcome = (await pool.run(task)) as ReplicaOutcome;
      o.onReplicaDone?.(++done, o.replicas);
      return unwrap(outcome, task.replicaIndex);
    }),
  );
  // Promise.all keeps the order of the tasks; the sort states the contract (replica index order) explicitly.
  return results.sort((a, b) => a.replicaIndex - b.replicaIndex);
}

function checkOptions(o: Omit<SimulateOptions, 'workers' | 'inProcess'> & { readonly workers?: number | undefined }): void {
  const bad = (field: string, expected: string, got: unknown): HeadroomError =>
    new HeadroomError('INPUT_INVALID', `simulate: options.${field} must be ${expected}, got ${String(got)}`);
  if (!Number.isSafeInteger(o.replicas) || o.replicas < 1) throw bad('replicas', 'a positive integer', o.replicas);
  if (!Number.isSafeInteger(o.seed) || o.seed < 0) throw bad('seed', 'a non-negative integer', o.seed);
  if (o.workers !== undefined && (!Number.isSafeInteger(o.workers) || o.workers < 1)) throw bad('workers', 'a positive integer', o.workers);
}

function unwrap(outcome: ReplicaOutcome, replicaIndex: number): ReplicaResult {
  if (outcome.ok) return outcome.result;
  // Rebuild the real error on this side of the thread boundary (task-outcome.ts).
  return fail(errorFromFailure(outcome, `replica ${replicaIndex}`));
}

function fail(e: HeadroomError): never {
  throw e;
}

/** The pool of worker threads (the entry file and its loader: worker-entry.ts). */
function createPool(workers: number): Piscina {
  return new Piscina({
    ...workerEntry(import.meta.url, 'sim/worker'),
    minThreads: workers,
    maxThreads: workers,
    // One task at a time per worker: a replica is CPU-bound, and a second one would only interleave with it.
    concurrentTasksPerWorker: 1,
    idleTimeout: 1000,
  });
}
