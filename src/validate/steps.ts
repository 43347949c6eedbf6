import { openLoopPool, runOpenLoopStep } from './open-loop.js';
import { keptUp } from './knee.js';
import type { ArrivalKind, Criteria, RequestTarget, StepResult } from './types.js';
import type { SafetyLimits } from './safety.js';

/**
 * Default measured length of an open-model step at `rate`: 1600 requests (8 s at 200/s), clamped to [3 s, 30 s]. That
 * many puts 16 samples above the p99, and it is the length at which a free Poisson count would be within 2.5% (one
 * standard deviation, 1/sqrt(1600)) of its mean; the schedule fixes the count anyway (schedule.ts).
 */
export function defaultStepSeconds(rate: number): number {
  return Math.min(30, Math.max(3, 1600 / rate));
}

export interface StepsOptions {
  readonly target: RequestTarget;
  /** Offered rates, requests/s; run in increasing order. */
  readonly rates: readonly number[];
  /** Fixed measured length per step, seconds; absent = defaultStepSeconds(rate). */
  readonly stepSeconds?: number | undefined;
  readonly warmup: number;
  readonly arrivals: ArrivalKind;
  readonly seed: number;
  readonly maxInFlight: number;
  readonly timeout: number;
  readonly criteria: Criteria;
  readonly limits: SafetyLimits;
  /** Called before and after each step (for a progress line). */
  readonly onStepStart?: ((rate: number, index: number, total: number) => void) | undefined;
  readonly onStepDone?: ((step: StepResult, index: number, total: number) => void) | undefined;
  /**
   * Keep stepping up past the given rates, by `factor` each time (at most `maxSteps` more), while the service still
   * keeps up: rates derived from a model or a sweep can fall short of a service's real capacity, and without a
   * saturated step the saturation throughput is only a lower bound. `fits(rate, seconds)` says whether the next step
   * stays within the run's budget and the generator's reach (null) or why not (the outcome's `extendStopped`).
   */
  readonly extend?:
    | { readonly factor: number; readonly maxSteps: number; readonly fits: (rate: number, seconds: number) => string | null }
    | undefined;
}

export interface StepsOutcome {
  readonly steps: StepResult[];
  /** Rates not run because two steps in a row had already failed (safety). */
  readonly skipped: number[];
  /** Rates run past the given ones (extend), and why stepping up stopped short of saturation, if it did. */
  readonly extended: number[];
  readonly extendStopped: string | null;
}

/**
 * Run the open-model steps at increasing rates through one connection pool. Stops stepping up after two consecutive
 * saturated steps (achieved below 95% of offered: the service is past its knee, more load only builds backlog), or after a step was
 * aborted by a cut-off. The first step with every request failing ends the run as well (there is nothing to measure).
 */
export async function runSteps(o: StepsOptions): Promise<StepsOutcome> {
  const rates = [...o.rates].sort((a, b) => a - b);
  const pool = openLoopPool(o.target.url.origin, o.maxInFlight);
  const steps: StepResult[] = [];
  const skipped: number[] = [];
  const extended: number[] = [];
  let extendStopped: string | null = null;
  let failedInRow = 0;
  const stopped = () => failedInRow >= 2 || steps.some((s) => s.aborted !== null) || (steps.length > 0 && steps.every((s) => s.succeeded === 0));
  try {
    for (let i = 0; ; i++) {
      let rate = rates[i];
      if (rate === undefined) {
        // Past the given rates: step up while the service keeps up (see `extend`).
        const x = o.extend;
        const last = steps[steps.length - 1];
        // Nothing to extend, or the last step already fell behind (saturation found) or was stopped.
        if (!x || !last || failedInRow > 0 || stopped()) break;
        if (extended.length >= x.maxSteps) {
          extendStopped = `still keeping up after ${x.maxSteps} steps past the planned rates`;
          break;
        }
        const next = Math.round(last.offeredRate * x.factor);
        const why = x.fits(next, o.stepSeconds ?? defaultStepSeconds(next));
        if (why !== null) {
          extendStopped = why;
          break;
        }
        rate = next;
        extended.push(rate);
      } else if (stopped()) {
        skipped.push(rate);
        continue;
      }
      const total = Math.max(rates.length, i + 1);
      o.onStepStart?.(rate, i, total);
      const step = await runOpenLoopStep({
        target: o.target,
        rate,
        duration: o.stepSeconds ?? defaultStepSeconds(rate),
        warmup: o.warmup,
        arrivals: o.arrivals,
        seed: o.seed,
        stepIndex: i,
        maxInFlight: o.maxInFlight,
        timeout: o.timeout,
        abortErrorRate: o.limits.abortErrorRate,
        abortLatency: o.limits.abortLatency,
        pool,
      });
      steps.push(step);
      o.onStepDone?.(step, i, total);
      // Only saturated steps count towards stopping: a step that missed the SLO at low load (a noisy machine) does
      // not threaten the service, one whose achieved rate fell behind the offered rate does.
      failedInRow = keptUp(step, o.criteria.minAchievedRatio) ? 0 : failedInRow + 1;
    }
  } finally {
    await pool.close();
  }
  return { steps, skipped, extended, extendStopped };
}
