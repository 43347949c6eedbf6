/**
 * Distributed sweeps against a real redis-server (Debian's `redis-server` package, installed by
 * scripts/install-test-deps.sh) on a free 127.0.0.1 port: two `headroom worker` processes, one SIGKILLed in the middle,
 * and a submitter killed and restarted in the middle. In both cases the result must equal the local run exactly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessRunner, loadPlanScenario, parseAxis, prepareRequest, readPlanHistory, runPlanSweep, axisContext, type PreparedRequest } from '../../src/internal.js';
import { openQueueRunner, workerName } from '../../src/sweep/queue.js';
import { dailyHistory, fixtureDir, MODEL_YAML, scenarioYaml } from '../plan/fixtures.js';
import { startRedis, type RunningRedis } from '../helpers/redis.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

let redis: RunningRedis;
const children: ChildProcess[] = [];

function headroom(args: string[], cwd = ROOT): ChildProcess {
  const child = spawn(process.execPath, ['--import', TSX, join(ROOT, 'src/cli/main.ts'), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return child;
}

function startWorker(): ChildProcess {
  return headroom(['worker', '--queue', redis.url, '--stall-timeout', '2s']);
}

/** A small sweep of the test fixture: 3 growths x 2 node types x 3 utilisation caps = 18 plans, and 60 paths in 6 jobs. */
async function request(name: string, vary: Record<string, string>): Promise<{ prepared: PreparedRequest; file: string; dir: string }> {
  const fx = fixtureDir();
  fx.write('model.yaml', MODEL_YAML);
  fx.write('data/users.csv', dailyHistory(400, 20_000, 0.4));
  const file = fx.write(`${name}.yaml`, scenarioYaml({ horizon: 12 }));
  const { scenario, model } = await loadPlanScenario(file, { cwd: fx.dir });
  const history = await readPlanHistory(scenario, { cwd: fx.dir, env: {}, nowMs: 0 });
  const ctx = axisContext(scenario, model);
  const axes = Object.entries(vary).map(([k, v]) => {
    const r = parseAxis(k, v, ctx);
    if (!r.ok) throw new Error(r.message);
    return r.axis;
  });
  const prepared = await prepareRequest({ scenario, scenarioText: readFileSync(file, 'utf8'), model, history, axes, grid: true, sensitivity: false, paths: 60, batch: 10, confidence: 0.9, seed: 5 });
  return { prepared, file, dir: fx.dir };
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await redis?.stop();
});

describe('sweep on a Redis queue', () => {
  it('gives the local result exactly when one of two workers is SIGKILLed mid-run', async () => {
    const { prepared } = await request('kill-worker', { growth: '-10%..+30%:3', 'nodeType.mm': 'small,big', maxUtilization: '60%..80%:3' });
    const local = await runPlanSweep(prepared, inProcessRunner());
    const a = startWorker();
    let b: ChildProcess | undefined;
    const runner = await openQueueRunner(redis.url, { sweepId: prepared.sweepId, pollMs: 20 });
    // BullMQ's own record that the killed worker's job was taken back (its lock expired) and run again.
    const eventsConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const events = new QueueEvents('sweep', { connection: eventsConnection, prefix: 'headroom' });
    const stalled: string[] = [];
    events.on('stalled', ({ jobId }) => stalled.push(jobId));
    await events.waitUntilReady();
    let killedAt = -1;
    let results = 0;
    const probe = new Redis(redis.url);
    const queueConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue('sweep', { connection: queueConnection, prefix: 'headroom' });
    // a job worker a holds now (BullMQ stores the worker's name, host:pid, on each job it takes)
    const aHoldsJob = async (): Promise<boolean> => (await queue.getJobs(['active'])).some((j) => j.processedBy === workerName(undefined, a.pid));
    try {
      const running = runPlanSweep(prepared, runner, (done) => {
        results = done;
      });
      // Worker b starts only once a holds a job, so that a is sure to be working (not still starting) when it is killed.
      await waitFor('worker a to take a job', async () => (await probe.llen('headroom:sweep:active')) >= 1);
      b = startWorker();
      // Kill worker a after a few results, while it holds a job (killed between two jobs, nothing would stall): a job
      // takes far longer than the step from this check to the kill.
      await waitFor('a few results, and worker a holding a job', async () => results >= 4 && (await aHoldsJob()), 60_000);
      killedAt = results;
      a.kill('SIGKILL');
      const remote = await running;
      // BullMQ takes the killed worker's job back once its lock expires (--stall-timeout 2s), at worker b's next check:
      // after the sweep has ended when a had reported that job's result and died before marking it done
      await waitFor("BullMQ to take back the killed worker's job", () => stalled.length >= 1, 30_000);
      expect(killedAt).toBeGreaterThanOrEqual(4);
      expect(a.signalCode ?? 'SIGKILL').toBe('SIGKILL');
      expect(remote).toEqual(local);
      expect(stalled.length).toBeGreaterThanOrEqual(1);
      expect(stalled.every((id) => id.startsWith(`${prepared.sweepId}-`))).toBe(true);
    } finally {
      probe.disconnect();
      await queue.close();
      queueConnection.disconnect();
      await runner.close();
      await events.close();
      eventsConnection.disconnect();
      b?.kill('SIGTERM');
    }
  }, 180_000);

  it('reports a job that fails validation on the worker, once, with its error', async () => {
    const { prepared } = await request('bad-job', { growth: '0,10%' });
    const worker = startWorker();
    const runner = await openQueueRunner(redis.url, { sweepId: prepared.sweepId, pollMs: 20 });
    try {
      await expect(runner.run(prepared.specText, prepared.specHash, [{ kind: 'point', index: 0, values: [0.5] }], () => {})).rejects.toThrow(
        `sweep ${prepared.sweepId}: 1 of 1 jobs failed after 3 attempts:\n  job 0: sweep job values[0]: expected one of the values of axis growth, got 0.5`,
      );
    } finally {
      await runner.close();
      worker.kill('SIGTERM');
    }
  }, 180_000);

  it('refuses a queue of another protocol version with one line', async () => {
    const probe = new Redis(redis.url);
    try {
      await probe.set('headroom:protocol', 'headroom-sweep/0');
      await expect(openQueueRunner(redis.url, { sweepId: '0123456789abcdefg' })).rejects.toThrow(
        `--queue ${redis.url}: the queue there speaks headroom-sweep/0; this headroom speaks headroom-sweep/1`,
      );
    } finally {
      await probe.set('headroom:protocol', 'headroom-sweep/1');
      probe.disconnect();
    }
  });

  it('picks up the done results when the submitter is restarted mid-run', async () => {
    const { prepared, file, dir } = await request('restart', { growth: '-10%..+30%:5', 'nodeType.mm': 'small,big' });
    const local = await runPlanSweep(prepared, inProcessRunner());
    let worker = startWorker();
    // The first submitter: the CLI, killed once some results are in.
    // Run from the scenario's directory, as the in-process request named it: same spec, same sweep id.
    const first = headroom(['sweep', basename(file), '--vary', 'growth=-10%..+30%:5', '--vary', 'nodeType.mm=small,big', '--paths', '60', '--batch', '10', '--seed', '5', '--queue', redis.url, '--json'], dir);
    const probe = new Redis(redis.url);
    const key = `headroom:sweeps:${prepared.sweepId}:results`;
    try {
      await waitFor('some results', async () => (await probe.llen(key)) >= 3);
      // The worker goes down with the submitter: left running, it would finish every queued job before the restart
      // and leave nothing to resume. A fresh worker takes the rest (and, after the stall timeout, the killed job).
      first.kill('SIGKILL');
      worker.kill('SIGKILL');
      await Promise.all([new Promise((r) => first.once('exit', r)), new Promise((r) => worker.once('exit', r))]);
      const doneBefore = await probe.llen(key);
      worker = startWorker();
      expect(doneBefore).toBeLessThan(10 + 6);
      const lines: string[] = [];
      const runner = await openQueueRunner(redis.url, { sweepId: prepared.sweepId, pollMs: 20, log: (s) => lines.push(s) });
      try {
        const remote = await runPlanSweep(prepared, runner);
        expect(remote).toEqual(local);
      } finally {
        await runner.close();
      }
      expect(doneBefore).toBeGreaterThanOrEqual(3);
      expect(lines.join('')).toMatch(new RegExp(`^sweep ${prepared.sweepId}: \\d+ of 16 jobs already done, resuming\\n$`));
    } finally {
      probe.disconnect();
      worker.kill('SIGTERM');
    }
  }, 180_000);
});
