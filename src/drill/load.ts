import { performance } from 'node:perf_hooks';
import type { ClientPolicy } from '../model/resource-model.js';
import { createRng } from '../rng.js';
import { newLatencyHistogram, percentileSeconds, recordMs } from '../validate/histogram.js';
import { isSuccess, openLoopPool, sendRequest } from '../validate/open-loop.js';
import { drillSchedule } from './schedule.js';
import type { RequestTarget } from '../validate/types.js';
import { latencyOrigin, startSendClock } from '../validate/send-clock.js';

/** What the generator measured in one second [t, t + 1) of the drill (counts are client requests unless named). */
export interface MeasuredSecond {
  readonly t: number;
  /** New client requests scheduled in the second. */
  readonly offered: number;
  /** Client requests that succeeded (2xx) in the second. */
  readonly achieved: number;
  /**
   * Response time of those, from the first attempt's intended send to the success (retries included), seconds; NaN
   * when nothing happened, Infinity when nothing succeeded while requests failed or waited.
   */
  readonly p50: number;
  readonly p99: number;
  /** Client requests that failed for good in the second (retries exhausted): error answers, connection errors, timeouts, sends over the in-flight bound. */
  readonly errors: number;
  /** Of `errors`: those whose last attempt timed out. */
  readonly timeouts: number;
  /** Retry attempts sent in the second. */
  readonly retries: number;
  /** Client requests in flight (waiting for an answer or for a retry) at the end of the second. */
  readonly inFlight: number;
  /** Age of the oldest request in flight at the end of the second, seconds (0 when none). */
  readonly oldestInFlight: number;
}

export interface DrillLoadOptions {
  readonly target: RequestTarget;
  readonly ratePerSec: number;
  /** Seconds of load. */
  readonly duration: number;
  readonly arrivals: 'poisson' | 'uniform';
  readonly seed: number;
  readonly client: ClientPolicy;
  /** Requests outstanding at most; a send beyond it fails at once (default 5000). */
  readonly maxInFlight?: number;
  /** After the load, how long to wait for the last answers, seconds (default: the client timeout, else 5). */
  readonly drainSeconds?: number;
  /** Called once per completed second, in order. */
  readonly onSecond?: (second: MeasuredSecond) => void;
}

/** A span of the drill measured as a whole: the p99 of every request that succeeded in it, and the failed share. */
export interface MeasuredPhase {
  readonly from: number;
  readonly to: number;
  readonly p99: number;
  readonly errorShare: number;
  /** Client requests resolved in it (succeeded or failed for good). */
  readonly resolved: number;
}

export interface MeasuredLoad {
  readonly seconds: readonly MeasuredSecond[];
  /** Attempts sent (first attempts and retries), and the generator process's CPU time while it sent them, ms. */
  readonly attempts: number;
  readonly generatorCpuMs: number;
  /** The seconds [from, to) merged (their latency histograms added). */
  phase(from: number, to: number): MeasuredPhase;
}

export interface DrillLoad {
  /** performance.now() of the drill's time 0 (the first scheduled send is at or after it). */
  readonly t0: number;
  /** Stop sending at once (the abort or an interrupt); requests in flight are left to answer or time out. */
  stop(): void;
  /** The measured seconds [0, duration) once the load has stopped and drained (seconds after a stop are cut off). */
  readonly done: Promise<MeasuredLoad>;
}

/**
 * Steady open-model load for a drill, second by second. New requests follow the drill's schedule (drillSchedule: `validate`'s
 * Poisson conditioned on its count, or evenly spaced), sent with the same timer loop as open-loop.ts, and a
 * client that behaves as the simulator's does (sim ClientSpec): each attempt times out `timeout` seconds after it
 * was due, a failed or timed-out attempt is retried up to `retries.max` times after a backoff
 * b = min(maxBackoff, backoff × 2^(r−1)) with no, full (U·b) or equal (b/2 + U·b/2) jitter (Brooker, "Exponential
 * Backoff And Jitter", AWS Architecture Blog, 2015). Latency is counted from the first attempt's INTENDED send, so a
 * late sender is charged to the latency (coordinated omission, as in open-loop.ts). Answers are binned by the second
 * in which the request resolved, the simulator's per-second figures likewise.
 */
export function startDrillLoad(options: DrillLoadOptions): DrillLoad {
  const { target, ratePerSec, duration } = options;
  const D = Math.ceil(duration);
  const maxInFlight = options.maxInFlight ?? 5000;
  const timeoutMs = options.client.timeout !== undefined ? options.client.timeout * 1000 : Infinity;
  const retries = options.client.retries;
  const drainMs = (options.drainSeconds ?? (Number.isFinite(timeoutMs) ? timeoutMs / 1000 : 5)) * 1000;
  const jitterRng = createRng(options.seed, 0xd211, 1);
  const pool = openLoopPool(target.url.origin, maxInFlight);
  const path = target.url.pathname + target.url.search;

  const offered = new Array<number>(D).fill(0);
  const achieved = new Array<number>(D).fill(0);
  const errors = new Array<number>(D).fill(0);
  const timeouts = new Array<number>(D).fill(0);
  const retried = new Array<number>(D).fill(0);
  const hist = Array.from({ length: D }, () => newLatencyHistogram());
  const inFlightAt: number[] = [];
  const oldestAt: number[] = [];
  // Client requests not yet resolved: id -> intended time of the first attempt (ms); insertion order = oldest first.
  const live = new Map<number, number>();
  let attemptsInFlight = 0;
  let attemptsSent = 0;
  const cpuAtStart = process.cpuUsage();
  let nextId = 0;

  const t0 = performance.now() + 5;
  const bin = (now: number): number => Math.floor((now - t0) / 1000);
  const times = drillSchedule(options.arrivals, ratePerSec, duration, options.seed).map((x) => t0 + x * 1000);
  let stopped = false;
  let stopAt = Infinity;
  const timers = new Set<NodeJS.Timeout>();

  let resolveDone!: (s: MeasuredLoad) => void;
  const done = new Promise<MeasuredLoad>((r) => (resolveDone = r));
  const phase = (from: number, to: number): MeasuredPhase => {
    const h = newLatencyHistogram();
    let ok = 0;
    let failedCount = 0;
    for (let k = Math.max(0, Math.floor(from)); k < Math.min(D, Math.ceil(to)); k++) {
      h.add(hist[k]!);
      ok += achieved[k]!;
      failedCount += errors[k]!;
    }
    const resolved = ok + failedCount;
    // Nothing succeeded though requests failed: the phase's latency is unbounded.
    const p99 = ok === 0 && failedCount > 0 ? Infinity : percentileSeconds(h, 99);
    return { from, to, p99, errorShare: resolved === 0 ? NaN : failedCount / resolved, resolved };
  };

  const resolveRequest = (id: number, now: number, outcome: 'ok' | 'error' | 'timeout'): void => {
    const born = live.get(id);
    if (born === undefined) return;
    live.delete(id);
    const k = bin(now);
    if (k < 0 || k >= D || now > stopAt) return;
    if (outcome === 'ok') {
      achieved[k]!++;
      recordMs(hist[k]!, now - born);
    } else {
      errors[k]!++;
      if (outcome === 'timeout') timeouts[k]!++;
    }
  };

  /** Attempt `attempt` (1-based) of request `id`, due at `due` (ms). */
  const attemptRequest = (id: number, attempt: number, due: number): void => {
    if (attemptsInFlight >= maxInFlight) return void failed(id, attempt, 'error');
    attemptsInFlight++;
    attemptsSent++;
    const ac = new AbortController();
    const wait = Math.max(0, due + timeoutMs - performance.now());
    const timer = Number.isFinite(timeoutMs) ? setTimeout(() => ac.abort(), wait) : undefined;
    const finish = (ok: boolean, timedOut: boolean): void => {
      if (timer) clearTimeout(timer);
      attemptsInFlight--;
      if (ok) resolveRequest(id, performance.now(), 'ok');
      else failed(id, attempt, timedOut ? 'timeout' : 'error');
      maybeFinish();
    };
    sendRequest(pool, path, target, ac.signal, (status, failure) => finish(failure === null && isSuccess(status), failure === 'timeout'));
  };

  const failed = (id: number, attempt: number, why: 'error' | 'timeout'): void => {
    const now = performance.now();
    if (retries !== undefined && attempt <= retries.max && !stopped) {
      const b = Math.min(retries.maxBackoff, retries.backoff * Math.pow(2, attempt - 1)) * 1000;
      const delay = retries.jitter === 'none' ? b : retries.jitter === 'full' ? jitterRng.next() * b : b / 2 + (jitterRng.next() * b) / 2;
      const t = setTimeout(() => {
        timers.delete(t);
        const at = performance.now();
        const k = bin(at);
        if (k >= 0 && k < D && at <= stopAt) retried[k]!++;
        attemptRequest(id, attempt + 1, at);
      }, delay);
      timers.add(t);
      return;
    }
    resolveRequest(id, now, why);
  };

  // One sample of the backlog at the end of each second, and the caller's per-second hook.
  let sampled = 0;
  const sample = (now: number): void => {
    while (sampled < D && now >= t0 + (sampled + 1) * 1000) {
      inFlightAt.push(live.size);
      const oldest = live.values().next();
      oldestAt.push(oldest.done ? 0 : Math.max(0, (t0 + (sampled + 1) * 1000 - oldest.value) / 1000));
      const s = secondOf(sampled);
      sampled++;
      options.onSecond?.(s);
    }
  };
  // A second in which nothing succeeded while requests failed or waited has an unbounded latency: Infinity.
  const stuck = (k: number): boolean => achieved[k] === 0 && (errors[k]! > 0 || (inFlightAt[k] ?? live.size) > 0);
  const secondOf = (k: number): MeasuredSecond => ({
    t: k,
    offered: offered[k]!,
    achieved: achieved[k]!,
    p50: stuck(k) ? Infinity : percentileSeconds(hist[k]!, 50),
    p99: stuck(k) ? Infinity : percentileSeconds(hist[k]!, 99),
    errors: errors[k]!,
    timeouts: timeouts[k]!,
    retries: retried[k]!,
    inFlight: inFlightAt[k] ?? live.size,
    oldestInFlight: oldestAt[k] ?? 0,
  });

  let finished = false;
  let drainTimer: NodeJS.Timeout | undefined;
  const maybeFinish = (): void => {
    if (finished || !sendingDone) return;
    const now = performance.now();
    if (now < t0 + duration * 1000 && !stopped) return;
    if (live.size > 0 && now < drainDeadline) return;
    finished = true;
    clearInterval(secondTimer);
    if (drainTimer) clearTimeout(drainTimer);
    for (const t of timers) clearTimeout(t);
    sample(Math.min(now, t0 + D * 1000));
    const last = stopped ? Math.min(D, Math.max(0, Math.ceil((stopAt - t0) / 1000))) : D;
    void pool.destroy().catch(() => undefined);
    const cpu = process.cpuUsage(cpuAtStart);
    resolveDone({ seconds: Array.from({ length: last }, (_, k) => secondOf(k)), phase, attempts: attemptsSent, generatorCpuMs: (cpu.user + cpu.system) / 1000 });
  };

  let sendingDone = false;
  let drainDeadline = Infinity;
  const endSending = (): void => {
    if (sendingDone) return;
    sendingDone = true;
    drainDeadline = performance.now() + drainMs;
    drainTimer = setTimeout(() => {
      drainDeadline = 0;
      maybeFinish();
    }, Math.max(drainMs, t0 + duration * 1000 - performance.now()) + 1);
    maybeFinish();
  };

  // Seconds are sampled on time even while no request is due (a rate below 1/s, or after the last send).
  const secondTimer = setInterval(() => sample(performance.now()), 100);
  const clock = startSendClock(
    times,
    (due, now) => {
      const id = nextId++;
      // an early send (send-clock.ts) is measured from when it left, and so is its timeout
      const origin = latencyOrigin(due, now);
      live.set(id, origin);
      const k = bin(due);
      if (k >= 0 && k < D) offered[k]!++;
      attemptRequest(id, 1, origin);
    },
    {
      onTick: (now) => {
        sample(now);
        return stopped;
      },
      onEnd: () => endSending(),
    },
  );

  return {
    t0,
    stop: () => {
      if (stopped) return;
      stopped = true;
      stopAt = performance.now();
      clock.stop();
      // Requests still in flight are cut from the timeline: they were sent under a drill that no longer runs.
      endSending();
      drainDeadline = 0;
      maybeFinish();
    },
    done,
  };
}
