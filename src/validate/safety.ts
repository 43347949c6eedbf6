import { inputError } from '../errors.js';
import { isLoopbackHost } from './ceiling.js';

/**
 * Safety of a validation run, so that it cannot flatten a real service:
 * - a target that is not this machine needs an explicit `--allow-remote`;
 * - the whole run is bounded in time and in total requests, checked BEFORE anything is sent;
 * - each step stops early when its error rate or the age of an outstanding request passes a cut-off (open-loop.ts),
 *   and the run stops stepping up once two steps in a row have failed the knee criteria (steps.ts).
 */
export interface SafetyLimits {
  /** Upper bound of the whole run, seconds (default 600). */
  readonly maxDuration: number;
  /** Upper bound of requests sent over the whole run (default 1 000 000). */
  readonly maxRequests: number;
  /** A step stops when this share of its resolved requests failed (default 0.5). */
  readonly abortErrorRate: number;
  /** A step stops when a request has been outstanding this long, seconds (default 10). */
  readonly abortLatency: number;
}

export const DEFAULT_LIMITS: SafetyLimits = { maxDuration: 600, maxRequests: 1_000_000, abortErrorRate: 0.5, abortLatency: 10 };

/** Refuse a non-loopback target unless the user said `--allow-remote`. */
export function checkRemote(url: URL, allowRemote: boolean, where = '--url'): void {
  if (!allowRemote && !isLoopbackHost(url.hostname)) {
    throw inputError(
      where,
      `${url.host} is not this machine; load-testing a remote service needs --allow-remote (make sure you may load it)`,
    );
  }
}

/** A planned phase: requests it will send at most, and its length in seconds. */
export interface PlannedPhase {
  readonly requests: number;
  readonly seconds: number;
}

/**
 * Check the plan against the limits before anything is sent. The length comes first: a step length far beyond any
 * budget (`--step-seconds 1e300`) is what to fix, not the request count that follows from it.
 */
export function checkBudget(phases: readonly PlannedPhase[], limits: SafetyLimits): { requests: number; seconds: number } {
  const requests = Math.ceil(phases.reduce((a, p) => a + p.requests, 0));
  const seconds = phases.reduce((a, p) => a + p.seconds, 0);
  if (seconds > limits.maxDuration) {
    throw inputError(
      '--step-seconds',
      `the planned run takes about ${amount(Math.ceil(seconds))} s, above --max-duration ${amount(limits.maxDuration)} s; use fewer or shorter steps, or raise --max-duration`,
    );
  }
  if (requests > limits.maxRequests) {
    throw inputError(
      '--rates',
      `the planned run sends about ${amount(requests)} requests, above --max-requests ${amount(limits.maxRequests)}; lower the rates or --step-seconds, or raise --max-requests`,
    );
  }
  return { requests, seconds };
}

/** A count or a length as a person reads it: digits grouped by thousands, or a power of ten past a trillion. */
function amount(x: number): string {
  if (x < 1e12) return x.toLocaleString('en-US', { maximumFractionDigits: 1 });
  const [mantissa, exponent] = x.toExponential(1).split('e+');
  return `${mantissa}×10^${exponent}`;
}
