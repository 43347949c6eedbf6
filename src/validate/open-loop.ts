import type { Pool } from 'undici';
import { lazyRequire } from '../lazy-require.js';

const undici = lazyRequire<typeof import('undici')>('undici');
import { performance } from 'node:perf_hooks';
import { createRng } from '../rng.js';
import { schedule } from './schedule.js';
import { latencyOrigin, startSendClock } from './send-clock.js';
import { busyShareBetween, cpuTotals } from './machine.js';
import { encodeHistogram, newLatencyHistogram, percentileSeconds, recordMs } from './histogram.js';
import type { ArrivalKind, RequestTarget, StepResult } from './types.js';

export interface OpenLoopOptions {
  readonly target: RequestTarget;
  /** Offered rate, requests/s. */
  readonly rate: number;
  /** Measured window, seconds. */
  readonly duration: number;
  /** Warm-up sent at the same rate just before the window and not measured, seconds (default 1). */
  readonly warmup?: number;
  readonly arrivals?: ArrivalKind;
  /** Seed of the Poisson schedule (createRng(seed, 'open-loop', stepIndex)). */
  readonly seed?: number;
  readonly stepIndex?: number;
  /** At most this many requests outstanding; a send due beyond it is skipped and counted as `dropped` (default 1000). */
  readonly maxInFlight?: number;
  /** Per-request timeout from the actual send, seconds (default 5). */
  readonly timeout?: number;
  /** Stop the step when (errors + timeouts + dropped) / resolved passes this after 20 resolved requests (default 0.5). */
  readonly abortErrorRate?: number;
  /** Stop the step when a request has been outstanding (from its intended send) longer than this, seconds (default 10). */
  readonly abortLatency?: number;
  /** Reuse a connection pool across steps; when absent the step opens and closes its own. */
  readonly pool?: Pool;
}

/** A connection pool for the open-loop sender: up to `connections` keep-alive connections, no pipelining. */
export function openLoopPool(origin: string, connections: number): Pool {
  return new (undici().Pool)(origin, { connections, pipelining: 1, keepAliveTimeout: 30_000, connect: { timeout: 5_000 } });
}

/**
 * Send one request for `target` through `pool` and read its body away (at most 1 MiB; the answer's status is what is
 * measured), then call `onEnd` once: with the HTTP status and no failure, or with status 0 and `timeout` when `signal`
 * aborted it (the caller's per-request timer) or `error` for any other failure (refused, reset, bad answer). The one
 * request path of validate's open-model steps and the drill's load.
 */
export function sendRequest(
  pool: Pool,
  path: string,
  target: RequestTarget,
  signal: AbortSignal,
  onEnd: (status: number, failure: 'timeout' | 'error' | null) => void,
): void {
  pool.request({ path, method: target.method as 'GET', headers: target.headers, body: target.body ?? null, signal }).then(
    async (res) => {
      await res.body.dump({ limit: 1 << 20 }).catch(() => undefined);
      onEnd(res.statusCode, null);
    },
    () => onEnd(0, signal.aborted ? 'timeout' : 'error'),
  );
}

/** A 2xx answer: the only one counted as a success. */
export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/**
 * One open-model step: requests are sent on a fixed schedule (evenly spaced, or Poisson conditioned on the step's
 * count, from `createRng`; see schedule.ts) whether or not earlier requests have answered, and each latency is measured from the request's INTENDED
 * send time, so a sender that falls behind charges its lateness to the latency instead of hiding it (coordinated
 * omission; Gil Tene, "How NOT to Measure Latency", 2015; wrk2 and k6's constant-arrival-rate executor do the same).
 *
 * The sends follow send-clock.ts: the loop sleeps until about a millisecond before the next send and sends what is due
 * by then (at most EARLY_SEND_MS early, measured from when it left); when it wakes late it sends every overdue request
 * at once, and their latency includes the lateness.
 * Requests go through an undici Pool with enough connections that the sender itself never queues them (up to
 * `maxInFlight`); the bound and the per-request timeout are counted (`dropped`, `timeouts`), never hidden.
 */
export async function runOpenLoopStep(options: OpenLoopOptions): Promise<StepResult> {
  const { target, rate, duration } = options;
  const warmup = options.warmup ?? 1;
  const arrivals = options.arrivals ?? 'poisson';
  const maxInFlight = options.maxInFlight ?? 1000;
  const timeoutMs = (options.timeout ?? 5) * 1000;
  const abortErrorRate = options.abortErrorRate ?? 0.5;
  const abortLatencyMs = (options.abortLatency ?? 10) * 1000;
  const rng = createRng(options.seed ?? 1, 0x0be7, options.stepIndex ?? 0);
  const pool = options.pool ?? openLoopPool(target.url.origin, maxInFlight);
  const path = target.url.pathname + target.url.search;

  const latency = newLatencyHistogram();
  const lag = newLatencyHistogram();
  let scheduled = 0;
  let succeeded = 0;
  let okInWindow = 0;
  let errors = 0;
  let non2xx = 0;
  let timeouts = 0;
  let dropped = 0;
  let resolved = 0;
  let inFlight = 0;
  let inFlightAtEnd = 0;
  let aborted: string | null = null;
  const outstanding = new Map<number, number>(); // request id -> intended time (ms); insertion order = oldest first
  let nextId = 0;
  const statusCodes: Record<number, number> = {};

  const start = performance.now() + 2;
  const windowStart = start + warmup * 1000;
  let windowEnd = windowStart + duration * 1000;
  // The whole schedule up front: the warm-up's and the window's requests separately, so the window gets exactly
  // rate × duration of them (see schedule.ts).
  const warmTimes = schedule(arrivals, rate * warmup, start, windowStart, rng);
  const windowTimes = schedule(arrivals, rate * duration, windowStart, windowEnd, rng);
  const times = new Float64Array(warmTimes.length + windowTimes.length);
  times.set(warmTimes, 0);
  times.set(windowTimes, warmTimes.length);

  let finishSending!: () => void;
  const sendingDone = new Promise<void>((resolve) => (finishSending = resolve));
  let drained: (() => void) | undefined;

  const settle = (): void => {
    if (inFlight === 0 && drained) drained();
  };

  const fire = (intended: number, now: number): void => {
    const measured = intended >= windowStart;
    if (measured) {
      scheduled++;
      recordMs(lag, Math.max(0, now - intended));
    }
    if (inFlight >= maxInFlight) {
      if (measured) {
        dropped++;
        resolved++;
      }
      return;
    }
    inFlight++;
    const origin = latencyOrigin(intended, now);
    const id = nextId++;
    outstanding.set(id, intended);
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), timeoutMs);
    const done = (ok: boolean, status: number, failed: 'error' | 'timeout' | null): void => {
      clearTimeout(timer);
      const end = performance.now();
      inFlight--;
      outstanding.delete(id);
      if (measured) {
        resolved++;
        if (failed === 'timeout') timeouts++;
        else if (failed === 'error') errors++;
        else if (!ok) {
          errors++;
          non2xx++;
        } else {
          succeeded++;
          recordMs(latency, end - origin);
        }
      }
      if (ok && end >= windowStart && end <= windowEnd) okInWindow++;
      if (measured && status > 0) statusCodes[status] = (statusCodes[status] ?? 0) + 1;
      settle();
    };
    sendRequest(pool, path, target, ac.signal, (status, failure) => done(failure === null && isSuccess(status), status, failure));
  };

  const check = (now: number): void => {
    if (resolved >= 20 && (errors + timeouts + dropped) / resolved > abortErrorRate) {
      aborted = `error rate ${(((errors + timeouts + dropped) / resolved) * 100).toFixed(0)}% passed the cut-off of ${(abortErrorRate * 100).toFixed(0)}%`;
    } else {
      const oldest = outstanding.values().next();
      if (!oldest.done && now - oldest.value > abortLatencyMs) {
        aborted = `a request was outstanding for more than ${abortLatencyMs / 1000} s (latency cut-off)`;
      }
    }
  };

  let lastCheck = start;
  const cpuAtStart = cpuTotals();
  const ownAtStart = process.cpuUsage();
  let sent = 0;
  startSendClock(
    times,
    (intended, now) => {
      if (intended >= windowEnd) return;
      sent++;
      fire(intended, now);
    },
    {
      onTick: (now) => {
        if (now - lastCheck > 100) {
          lastCheck = now;
          check(now);
        }
        if (aborted !== null) windowEnd = Math.max(windowStart, now);
        return aborted !== null;
      },
      onEnd: () => {
        inFlightAtEnd = inFlight;
        finishSending();
      },
    },
  );
  await sendingDone;
  if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
  if (!options.pool) await pool.close();

  const own = process.cpuUsage(ownAtStart);
  const machineBusyShare = busyShareBetween(cpuAtStart, cpuTotals());
  const windowSeconds = Math.max(1e-9, (windowEnd - windowStart) / 1000);
  return {
    offeredRate: rate,
    achievedRate: okInWindow / windowSeconds,
    p50: percentileSeconds(latency, 50),
    p90: percentileSeconds(latency, 90),
    p99: percentileSeconds(latency, 99),
    max: latency.totalCount === 0 ? NaN : latency.maxValue / 1e6,
    mean: latency.totalCount === 0 ? NaN : latency.mean / 1e6,
    errors,
    non2xx,
    timeouts,
    dropped,
    scheduled,
    succeeded,
    inFlightAtEnd,
    duration: windowSeconds,
    warmup,
    arrivals,
    sendLagP50: percentileSeconds(lag, 50),
    sendLagP99: percentileSeconds(lag, 99),
    aborted,
    machineBusyShare,
    generatorCpuMsPerRequest: sent > 0 ? (own.user + own.system) / 1000 / sent : 0,
    statusCodes,
    histogram: encodeHistogram(latency),
  };
}
