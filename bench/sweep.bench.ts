/**
 * Sweeps: jobs per second through the Redis queue against the local thread pool, for the same sweep of the example
 * scenario (10 growths x 2 API node types x 3 utilisation caps = 60 plans), and a Monte-Carlo plan of the example with
 * 1,000 demand paths (analytic sizing) on the local pool.
 *
 * Queue: a real redis-server on a free 127.0.0.1 port, two `headroom worker` processes with one thread each (the same
 * two cores the local pool gets). Both sides are warmed first (each thread prepares the spec once: parsing and the
 * forecast of each driver, about 2.5 s), then the sweep is timed from the first job to the last result, local and
 * queue in alternation, best of three each (the machine is shared: alternation gives both the same load, and the best
 * run is the least disturbed). The queue's results are cleared between runs so that
 * each timed run does all the work.
 *
 * Goals: two worker processes reach at least 80% of the local pool's throughput; the Monte-Carlo plan takes under 30 s.
 * Run: npm run bench -- sweep
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem, platform, release, loadavg } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { axisContext, loadPlanScenario, parseAxis, poolRunner, prepareRequest, readPlanHistory, runPlanSweep, type SweepRequest } from '../src/internal.js';
import { openQueueRunner } from '../src/sweep/queue.js';
import { startRedis } from '../test/helpers/redis.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const file = join(ROOT, 'scenarios/example.yaml');

const { scenario, model } = await loadPlanScenario(file, { cwd: ROOT });
const history = await readPlanHistory(scenario, { cwd: ROOT, env: {}, nowMs: Date.now() });
const ctx = axisContext(scenario, model);
const axis = (name: string, v: string) => {
  const r = parseAxis(name, v, ctx);
  if (!r.ok) throw new Error(r.message);
  return r.axis;
};
const base: SweepRequest = {
  scenario,
  scenarioText: readFileSync(file, 'utf8'),
  model,
  history,
  axes: [axis('growth', '-10%..+35%:10'), axis('nodeType.api', 'c6i.2xlarge,c7g.2xlarge'), axis('maxUtilization', '60%..80%:3')],
  grid: true,
  sensitivity: false,
  paths: 0,
  batch: 25,
  confidence: 0.9,
  seed: scenario.seed,
};
const grid = await prepareRequest(base);
const jobs = 60;

// ── local pool (two threads) and queue (two worker processes), timed in alternation so both see the same load ──
const ROUNDS = 3;
const local = poolRunner({ workers: 2 });
const redis = await startRedis();
const children: ChildProcess[] = [];
let localMs = Infinity;
let queueMs = Infinity;
let same = true;
try {
  for (let i = 0; i < 2; i++) {
    children.push(spawn(process.execPath, ['--import', TSX, join(ROOT, 'src/cli/main.ts'), 'worker', '--queue', redis.url, '--concurrency', '1'], { cwd: ROOT, stdio: 'ignore' }));
  }
  const runner = await openQueueRunner(redis.url, { sweepId: grid.sweepId, pollMs: 10 });
  const probe = new Redis(redis.url);
  try {
    // Warm both: every thread prepares the spec (parsing, the forecast of each driver) once.
    const localReport = await runPlanSweep(grid, local);
    await runPlanSweep(grid, runner);
    for (let i = 0; i < ROUNDS; i++) {
      let t = performance.now();
      await runPlanSweep(grid, local);
      localMs = Math.min(localMs, performance.now() - t);
      await probe.del(`headroom:sweeps:${grid.sweepId}:results`);
      t = performance.now();
      const queueReport = await runPlanSweep(grid, runner);
      queueMs = Math.min(queueMs, performance.now() - t);
      same &&= JSON.stringify(queueReport) === JSON.stringify(localReport);
    }
  } finally {
    probe.disconnect();
    await runner.close();
  }
} finally {
  await local.close();
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
  await redis.stop();
}

// ── Monte-Carlo, 1,000 paths, everything included (threads start, prepare and forecast) ──
const t = performance.now();
const mc = await prepareRequest({ ...base, axes: [], grid: false, paths: 1000, batch: 25 });
const mcRunner = poolRunner({ workers: 2 });
const mcReport = await runPlanSweep(mc, mcRunner);
const mcMs = performance.now() - t;
await mcRunner.close();

const cpu = cpus();
const localRate = (jobs / localMs) * 1000;
const queueRate = (jobs / queueMs) * 1000;
console.log(`machine: ${cpu.length} x ${cpu[0]?.model ?? 'unknown cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${platform()} ${release()}, node ${process.version}; load average ${loadavg()[0]!.toFixed(1)}`);
console.log('');
console.log('| run | jobs | wall (s) | jobs/s | ms per job per worker | vs local |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
console.log(`| local pool, 2 threads (best of ${ROUNDS}) | ${jobs} | ${(localMs / 1000).toFixed(2)} | ${localRate.toFixed(1)} | ${((2 * localMs) / jobs).toFixed(1)} | 100% |`);
console.log(`| Redis queue, 2 workers x 1 thread (best of ${ROUNDS}) | ${jobs} | ${(queueMs / 1000).toFixed(2)} | ${queueRate.toFixed(1)} | ${((2 * queueMs) / jobs).toFixed(1)} | ${((queueRate / localRate) * 100).toFixed(0)}% |`);
console.log('');
console.log(`Queue overhead per job (per worker, queue minus local; noise can make it negative): ${((2 * (queueMs - localMs)) / jobs).toFixed(1)} ms; results identical to local: ${same ? 'yes' : 'NO'}.`);
console.log(`Goal: queue >= 80% of the local pool's jobs/s: ${queueRate >= 0.8 * localRate ? 'met' : 'NOT met'}.`);
console.log('');
console.log(`Monte-Carlo plan of scenarios/example.yaml, 1,000 paths in 40 jobs, analytic sizing, 2 threads: ${(mcMs / 1000).toFixed(1)} s (goal < 30 s: ${mcMs < 30_000 ? 'met' : 'NOT met'}); order by ${mcReport.monteCarlo?.earliest.orderByMs ? new Date(mcReport.monteCarlo.earliest.orderByMs).toISOString().slice(0, 10) : 'not needed'} at 90%.`);
