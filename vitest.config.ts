import { defineConfig } from 'vitest/config';

/**
 * Two groups of test files. The load tests drive real HTTP servers on 127.0.0.1 and judge latency and throughput, so
 * they run after everything else, one file at a time: on a 2-core machine a simulator test in the next fork would take
 * the core that the server or the load generator needs, and the measured knee would be the neighbour's, not the
 * server's. The queue integration test joins them: it kills and restarts worker processes on a stall timeout, which a
 * neighbour's load can stretch past its bounds. No test asserts on wall time.
 */
const LOAD_TESTS = ['test/validate/**/*.test.ts', 'test/demo/**/*.test.ts', 'test/drill/**/*.test.ts', 'test/sweep/queue.integration.test.ts'];

export default defineConfig({
  test: {
    // Worker-thread and real-server tests need time on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: LOAD_TESTS, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'load', include: LOAD_TESTS, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
