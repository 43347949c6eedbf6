import { errorFromFailure } from '../task-outcome.js';
import { workerEntry } from '../worker-entry.js';
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { JobResult, SweepJob } from './job.js';
import { runThreadTask, type ThreadOutcome, type ThreadTask } from './thread.js';

/** Something that runs sweep jobs of one spec: the local pool, the calling thread, or a queue's workers. */
export interface JobRunner {
  /** Run `jobs`, calling `onResult` as each finishes (any order); rejects with the first job's error. */
  run(specText: string, specHash: string, jobs: readonly SweepJob[], onResult: (r: JobResult) => void): Promise<void>;
  close(): Promise<void>;
}


/** Jobs on the calling thread, one after another (tests, and one-core machines). */
export function inProcessRunner(): JobRunner {
  return {
    async run(specText, specHash, jobs, onResult) {
      for (const job of jobs) {
        const o = await runThreadTask({ specText, specHash, job });
        if (!o.ok) throw errorFromFailure(o, `job ${job.index}`);
        onResult(o.result);
        await new Promise<void>((r) => setImmediate(r));
      }
    },
    close: async () => {},
  };
}

/**
 * Jobs on a piscina pool of `workers` threads (default: the machine's cores). Each thread prepares the spec once (the
 * forecast is the slow part: about 2.5 s for the example) and then runs jobs; the pool is kept across `run` calls.
 * The worker file is thread.ts under tsx or vitest (started with tsx's loader) and thread.js after the build, as in
 * sim/runner.ts.
 */
export function poolRunner(options: { readonly workers?: number | undefined } = {}): JobRunner {
  const workers = options.workers ?? availableParallelism();
  let pool: Piscina | undefined;
  return {
    async run(specText, specHash, jobs, onResult) {
      pool ??= createPool(workers);
      const p = pool;
      await Promise.all(
        jobs.map(async (job) => {
          const task: ThreadTask = { specText, specHash, job };
          const o = (await p.run(task)) as ThreadOutcome;
          if (!o.ok) throw errorFromFailure(o, `job ${job.index}`);
          onResult(o.result);
        }),
      );
    },
    close: async () => {
      await pool?.destroy();
      pool = undefined;
    },
  };
}

/** A pool of sweep threads taking one task at a time each: what a queue worker runs its jobs on. */
export interface ThreadPool {
  run(task: ThreadTask): Promise<ThreadOutcome>;
  close(): Promise<void>;
}

export function openThreadPool(workers: number): ThreadPool {
  const pool = createPool(workers);
  return { run: async (task) => (await pool.run(task)) as ThreadOutcome, close: () => pool.destroy() };
}

function createPool(workers: number): Piscina {
  return new Piscina({
    ...workerEntry(import.meta.url, 'sweep/thread'),
    minThreads: workers,
    maxThreads: workers,
    concurrentTasksPerWorker: 1,
    // Threads hold the prepared spec (its forecast takes seconds): an idle thread is kept until the pool is closed,
    // not ended after a second as piscina's default would, which would make the next job prepare everything again.
    idleTimeout: 2 ** 31 - 1,
  });
}
