import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { Queue, QueueEvents, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { checkFailed, HeadroomError } from '../errors.js';
import type { JobResult, SweepJob } from './job.js';
import { decodeJob } from './job.js';
import { openThreadPool, type JobRunner, type ThreadPool } from './local-pool.js';
import { decodeSpec, SWEEP_PROTOCOL, type SweepSpec } from './spec.js';

/**
 * Sweeps on a Redis-backed BullMQ queue: the submitter enqueues one job per grid point or path batch; any number of
 * `headroom worker` processes, on any machines, take jobs and run them on their local thread pool.
 *
 * Redis layout (all under the `headroom` prefix): the BullMQ queue `sweep`; `headroom:protocol` = the protocol
 * version every client checks first (a queue of another version is refused, not misread); per sweep id,
 * `headroom:sweeps:<id>:spec` = the spec text (jobs carry only its hash and their indices, so a job is a few hundred
 * bytes) and `headroom:sweeps:<id>:results` = a list of results, appended by the workers. A restarted submitter reads
 * that list first and enqueues only what is missing; BullMQ's job ids (`<sweep id>-<job index>`) make a job added
 * twice a no-op while it is still queued or running.
 *
 * Faults: a worker killed mid-job stops renewing its locks; after `stallTimeoutMs` another worker's stalled-job check
 * puts its jobs back and they run again (a job stalled more than STALLS_ALLOWED times fails). A job that throws is
 * tried ATTEMPTS times in all, one second apart; bad input (a spec or job that does not validate) fails at once.
 * Either way the last error goes into the results list and the submitter reports it.
 */
export const QUEUE_NAME = 'sweep';
export const QUEUE_PREFIX = 'headroom';
export const ATTEMPTS = 3;
export const STALLS_ALLOWED = 2;
/** Jobs a worker holds beyond its threads (see startQueueWorker). */
export const PREFETCH = 1;
const PROTOCOL_KEY = `${QUEUE_PREFIX}:protocol`;
/** Spec and results are kept a week after the last write, so a rerun of the same sweep reads them back. */
const KEEP_SECONDS = 7 * 86_400;

const specKey = (id: string): string => `${QUEUE_PREFIX}:sweeps:${id}:spec`;
const resultsKey = (id: string): string => `${QUEUE_PREFIX}:sweeps:${id}:results`;

/** What a job carries: the protocol, the sweep, the spec's hash, and the job itself. */
interface QueueJobData {
  readonly protocol: string;
  readonly sweepId: string;
  readonly specHash: string;
  readonly job: SweepJob;
}

/** An entry of the results list. */
type ResultEntry = { readonly index: number; readonly ok: true; readonly result: JobResult } | { readonly index: number; readonly ok: false; readonly message: string };

/**
 * Parse `redis://HOST:PORT[/DB]` (or rediss://, with an optional user:password@).
 * @throws HeadroomError INPUT_INVALID (exit 2) for anything else.
 */
export function parseQueueUrl(text: string): { url: string; host: string; port: number; db: number } {
  let u: URL | undefined;
  try {
    u = new URL(text);
  } catch {
    u = undefined;
  }
  const db = u && u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!u || (u.protocol !== 'redis:' && u.protocol !== 'rediss:') || u.hostname === '' || !Number.isInteger(db) || db < 0 || u.search !== '' || u.hash !== '') {
    throw new HeadroomError('INPUT_INVALID', `--queue: expected a Redis URL such as redis://HOST:PORT, got ${text}`);
  }
  return { url: text, host: u.hostname, port: u.port === '' ? 6379 : Number(u.port), db };
}

/** A connection for BullMQ (blocking commands need maxRetriesPerRequest: null). */
function connect(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

/**
 * Reach Redis once, with a short timeout and no retries, and check (or claim) the queue's protocol version, so that a
 * wrong host, a closed port or a queue of another Headroom fails with one line at once instead of retrying forever.
 * @throws HeadroomError NETWORK or INPUT_INVALID (exit 2).
 */
export async function checkQueue(text: string): Promise<void> {
  const { url } = parseQueueUrl(text);
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  // ioredis reports the cause (ECONNREFUSED, ENOTFOUND) as an 'error' event and rejects with "Connection is closed".
  let cause: Error | undefined;
  probe.on('error', (e: Error) => {
    cause ??= e;
  });
  try {
    try {
      await probe.connect();
      await probe.ping();
    } catch (e) {
      throw new HeadroomError('NETWORK', `--queue ${text}: cannot reach Redis (${(cause ?? (e as Error)).message.split('\n')[0]})`, { exitCode: 2 });
    }
    await probe.set(PROTOCOL_KEY, SWEEP_PROTOCOL, 'NX');
    const found = await probe.get(PROTOCOL_KEY);
    if (found !== SWEEP_PROTOCOL) {
      throw new HeadroomError('INPUT_INVALID', `--queue ${text}: the queue there speaks ${String(found)}; this headroom speaks ${SWEEP_PROTOCOL}`);
    }
  } finally {
    probe.disconnect();
  }
}

/**
 * The submitter's side: a JobRunner that puts the jobs on the queue and gathers their results as workers finish them.
 * `pollMs` is how often the results list is read (default 50 ms).
 */
export async function openQueueRunner(text: string, options: { sweepId: string; log?: (line: string) => void; pollMs?: number }): Promise<JobRunner> {
  await checkQueue(text);
  const { url } = parseQueueUrl(text);
  // BullMQ does not close connections it was given: each is closed here, in close().
  const connections = [connect(url), connect(url), connect(url)] as const;
  const [redis, queueConnection, eventsConnection] = connections;
  const queue = new Queue(QUEUE_NAME, { connection: queueConnection, prefix: QUEUE_PREFIX });
  const events = new QueueEvents(QUEUE_NAME, { connection: eventsConnection, prefix: QUEUE_PREFIX });
  const pollMs = options.pollMs ?? 50;
  const id = options.sweepId;
  // Failures BullMQ decides without a worker's help (a job stalled too often): job id → reason.
  const lost = new Map<string, string>();
  events.on('failed', ({ jobId, failedReason }) => {
    if (jobId.startsWith(`${id}-`)) lost.set(jobId, failedReason);
  });
  await events.waitUntilReady();
  let offset = 0;
  return {
    async run(specText, specHash, jobs, onResult) {
      await redis.set(specKey(id), specText, 'EX', KEEP_SECONDS);
      const wanted = new Map(jobs.map((j) => [j.index, j]));
      const done = new Set<number>();
      const failures = new Map<number, string>();
      const take = (entries: string[]): void => {
        for (const text of entries) {
          const e = JSON.parse(text) as ResultEntry;
          if (!wanted.has(e.index) || done.has(e.index)) continue;
          if (e.ok) {
            done.add(e.index);
            failures.delete(e.index);
            onResult(e.result);
          } else failures.set(e.index, e.message);
        }
      };
      // Results already there (a restarted submitter): take them, enqueue the rest.
      const before = await redis.lrange(resultsKey(id), 0, -1);
      offset = before.length;
      take(before);
      const resumed = done.size;
      if (resumed > 0) options.log?.(`sweep ${id}: ${resumed} of ${jobs.length} jobs already done, resuming\n`);
      for (const index of failures.keys()) {
        // A failure from an earlier run is tried again in this one.
        await queue.remove(`${id}-${index}`).catch(() => 0);
        failures.delete(index);
      }
      const todo = jobs.filter((j) => !done.has(j.index));
      for (let i = 0; i < todo.length; i += 500) {
        await queue.addBulk(
          todo.slice(i, i + 500).map((job) => ({
            name: job.kind,
            data: { protocol: SWEEP_PROTOCOL, sweepId: id, specHash, job } satisfies QueueJobData,
            opts: { jobId: `${id}-${job.index}`, attempts: ATTEMPTS, backoff: { type: 'fixed', delay: 1000 }, removeOnComplete: true, removeOnFail: { age: KEEP_SECONDS } },
          })),
        );
      }
      while (done.size + failures.size < wanted.size) {
        const more = await redis.lrange(resultsKey(id), offset, -1);
        offset += more.length;
        take(more);
        for (const [jobId, reason] of [...lost]) {
          // A 'failed' event also comes for an attempt that will be retried: only the failed state is final.
          lost.delete(jobId);
          const index = Number(jobId.slice(id.length + 1));
          if (wanted.has(index) && !done.has(index) && !failures.has(index) && (await queue.getJobState(jobId)) === 'failed') failures.set(index, reason);
        }
        if (done.size + failures.size < wanted.size) await new Promise((r) => setTimeout(r, pollMs));
      }
      if (failures.size > 0) {
        const list = [...failures].sort((a, b) => a[0] - b[0]);
        throw checkFailed(
          `sweep ${id}: ${list.length} of ${wanted.size} jobs failed after ${ATTEMPTS} attempts:\n${list.map(([i, m]) => `  job ${i}: ${m}`).join('\n')}`,
        );
      }
    },
    async close() {
      await events.close();
      await queue.close();
      for (const c of connections) c.disconnect();
    },
  };
}

export interface QueueWorkerOptions {
  /** Jobs run at once, each on its own thread (default 1). */
  readonly concurrency?: number | undefined;
  /** How long a dead worker's job waits before it is retried elsewhere, ms (BullMQ's lock duration; default 30 000). */
  readonly stallTimeoutMs?: number | undefined;
  readonly log?: ((line: string) => void) | undefined;
}

/** A running queue worker. */
export interface QueueWorker {
  /** Jobs finished (successfully or not) so far. */
  readonly processed: () => number;
  close(): Promise<void>;
}

/**
 * The worker's side: take jobs from the queue and run them on a local pool of `concurrency` threads. Jobs are
 * untrusted: the spec is fetched by the sweep id the job names and must hash to the hash it carries; it is then
 * checked with the scenario and model schemas (in the thread), and the job against the spec, before anything runs.
 */
export async function startQueueWorker(text: string, options: QueueWorkerOptions = {}): Promise<QueueWorker> {
  await checkQueue(text);
  const { url } = parseQueueUrl(text);
  const concurrency = options.concurrency ?? 1;
  const stall = options.stallTimeoutMs ?? 30_000;
  const redis = connect(url);
  const workerConnection = connect(url);
  const pool: ThreadPool = openThreadPool(concurrency);
  const specs = new Map<string, { text: string; spec: SweepSpec }>();
  let processed = 0;

  const specFor = async (data: QueueJobData): Promise<{ text: string; spec: SweepSpec }> => {
    const cached = specs.get(data.specHash);
    if (cached) return cached;
    const text = await redis.get(specKey(data.sweepId));
    if (text === null) throw new UnrecoverableError(`sweep ${data.sweepId}: no spec in Redis (expired or never written)`);
    if (createHash('sha256').update(text).digest('hex') !== data.specHash) throw new UnrecoverableError(`sweep ${data.sweepId}: the spec does not match the job's hash`);
    let spec: SweepSpec;
    try {
      spec = decodeSpec(text);
    } catch (e) {
      throw new UnrecoverableError((e as Error).message);
    }
    const entry = { text, spec };
    if (specs.size > 8) specs.clear();
    specs.set(data.specHash, entry);
    return entry;
  };

  const report = async (data: QueueJobData, entry: ResultEntry): Promise<void> => {
    await redis.multi().rpush(resultsKey(data.sweepId), JSON.stringify(entry)).expire(resultsKey(data.sweepId), KEEP_SECONDS).exec();
  };

  const processor = async (job: Job): Promise<string> => {
    const data = checkEnvelope(job.data);
    const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    let sweepJob: SweepJob | undefined;
    try {
      const { text, spec } = await specFor(data);
      try {
        sweepJob = decodeJob(data.job, spec);
      } catch (e) {
        throw new UnrecoverableError((e as Error).message);
      }
      const o = await pool.run({ specHash: data.specHash, specText: text, job: sweepJob });
      if (!o.ok) {
        // Bad input does not get better by retrying; an internal error might (a thread that ran out of memory).
        if (o.code === 'INTERNAL') throw new Error(o.message);
        throw new UnrecoverableError(o.message);
      }
      await report(data, { index: sweepJob.index, ok: true, result: o.result });
      processed++;
      return 'done';
    } catch (e) {
      const unrecoverable = e instanceof UnrecoverableError;
      if (unrecoverable || final) {
        const index = sweepJob?.index ?? (typeof data.job === 'object' && data.job !== null && Number.isInteger((data.job as { index?: unknown }).index) ? (data.job as { index: number }).index : -1);
        await report(data, { index, ok: false, message: (e as Error).message }).catch(() => undefined);
        processed++;
      }
      throw e;
    }
  };

  const worker = new Worker(QUEUE_NAME, processor, {
    connection: workerConnection,
    prefix: QUEUE_PREFIX,
    // One job more than threads: the next job is fetched and waiting in the pool's queue while the threads are busy,
    // so no thread idles through the Redis round trips between jobs.
    concurrency: concurrency + PREFETCH,
    // stored on each job it takes (BullMQ's processedBy): which machine and process ran or holds a job
    name: workerName(),
    lockDuration: stall,
    stalledInterval: stall,
    maxStalledCount: STALLS_ALLOWED,
    removeOnComplete: { count: 0 },
  });
  worker.on('error', (e) => options.log?.(`worker: ${e.message}\n`));
  await worker.waitUntilReady();
  return {
    processed: () => processed,
    async close() {
      await worker.close();
      await pool.close();
      redis.disconnect();
      workerConnection.disconnect();
    },
  };
}

/** The name a worker process gives BullMQ, which stores it on each job the worker takes: `host:pid`. */
export function workerName(host = hostname(), pid = process.pid): string {
  return `${host}:${pid}`;
}

/** The envelope of a job from the queue, checked before its spec is looked up. */
function checkEnvelope(raw: unknown): QueueJobData {
  const d = raw as Partial<QueueJobData> | null;
  if (d === null || typeof d !== 'object') throw new UnrecoverableError('sweep job: expected an object');
  if (d.protocol !== SWEEP_PROTOCOL) throw new UnrecoverableError(`sweep job: protocol ${String(d.protocol)}; this worker speaks ${SWEEP_PROTOCOL}`);
  if (typeof d.sweepId !== 'string' || !/^[0-9a-f]{16}[gsm]{0,3}$/.test(d.sweepId)) throw new UnrecoverableError('sweep job sweepId: expected a sweep id');
  if (typeof d.specHash !== 'string' || !/^[0-9a-f]{64}$/.test(d.specHash)) throw new UnrecoverableError('sweep job specHash: expected a SHA-256 in hex');
  return d as QueueJobData;
}
