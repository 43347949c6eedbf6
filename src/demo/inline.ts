import { performance } from 'node:perf_hooks';
import type { DemoTask } from './thread-pool.js';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * serve-demo's one-worker executor: the work runs on the main thread itself, between HTTP requests, so the process is
 * the simplest server there is (one thread, requests served one at a time in the order the event loop reads them:
 * M/G/1 with the HTTP handling inside the service time). It is also the cheapest: no hand-off to another thread and
 * back, which on a shared machine costs two thread wake-ups per request. `cpu` busy-loops `ms` of wall-clock time;
 * `lock` blocks the thread (Atomics.wait, precise, no CPU) for `ms` — with one worker the lock is never contended.
 */
export class InlineExecutor {
  readonly size = 1;

  run(task: DemoTask): Promise<void> {
    if (task.op === 'cpu') {
      const end = performance.now() + task.ms;
      while (performance.now() < end) {
        // spin: this is the CPU the endpoint costs
      }
    } else {
      const end = performance.now() + task.ms;
      let left = task.ms;
      while (left > 0) {
        Atomics.wait(sleeper, 0, 0, left);
        left = end - performance.now();
      }
    }
    return Promise.resolve();
  }

  async close(): Promise<void> {}
}
