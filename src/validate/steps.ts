import { openLoopPool, runOpenLoopStep } from './open-loop.js';
import { keptUp, stepFailure } from './knee.js';
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
  /** At most this many out-of-order steps are measured again (default 3; 0 turns the re-measuring off). */
  readonly maxRepeatedSteps?: number | undefined;
  readonly onRepeat?: ((rate: number, why: string) => void) | undefined;
}

/** A step measured again because it failed while a higher rate passed. */
export interface StepRepeat {
  readonly rate: number;
  /** Why the first measurement failed. */
  readonly firstFailure: string;
  /** Measurements of the step in all (the first included): 2 or 3. */
  readonly measurements: number;
  /** Of those, how many passed. */
  readonly passed: number;
  /** The majority: the step's verdict for the knee. */
  readonly verdict: 'passed' | 'failed';
}

export interface StepsOutcome {
  readonly steps: StepResult[];
  /** Rates not run because two steps in a row had already failed (safety). */
  readonly skipped: number[];
  /** Rates run past the given ones (extend), and why stepping up stopped short of saturation, if it did. */
  readonly extended: number[];
  readonly extendStopped: string | null;
  /** Steps measured again because their verdict was out of order with a higher rate's. */
  readonly repeats: StepRepeat[];
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
  /** One open-model step at `rate`; `stepIndex` picks its random stream. */
  const runStep = (rate: number, stepIndex: number): Promise<StepResult> =>
    runOpenLoopStep({
      target: o.target,
      rate,
      duration: o.stepSeconds ?? defaultStepSeconds(rate),
      warmup: o.warmup,
      arrivals: o.arrivals,
      seed: o.seed,
      stepIndex,
      maxInFlight: o.maxInFlight,
      timeout: o.timeout,
      abortErrorRate: o.limits.abortErrorRate,
      abortLatency: o.limits.abortLatency,
      pool,
    });
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
      const step = await runStep(rate, i);
      steps.push(step);
      o.onStepDone?.(step, i, total);
      // Only saturated steps count towards stopping: a step that missed the SLO at low load (a noisy machine) does
      // not threaten the service, one whose achieved rate fell behind the offered rate does.
      failedInRow = keptUp(step, o.criteria.minAchievedRatio) ? 0 : failedInRow + 1;
    }
    // A repeated step keeps the index (and so the random stream) of the step it measures again.
    const measure = (rate: number): Promise<StepResult> =>
      runStep(rate, rates.indexOf(rate) >= 0 ? rates.indexOf(rate) : steps.findIndex((x) => x.offeredRate === rate));
    const repeats = await remeasureOutOfOrder(steps, o.criteria, o.maxRepeatedSteps ?? 3, measure, o.onRepeat);
    return { steps, skipped, extended, extendStopped, repeats };
  } finally {
    await pool.close();
  }
}

/**
 * One disturbed step must not decide the knee. The knee is the last passing rate before the first failing one, so a
 * step that failed by accident (a neighbour took the cores for a few seconds) ends the search early: on a shared
 * machine a run measured p99 172 ms at 120/s, then 64 ms at 180/s, and reported a knee of 60/s where another run of
 * the same command found 180/s. When the verdicts are not monotone in the rate (a step fails while a higher rate
 * passes), the lowest such step is measured again, up to twice, and the majority of its measurements decides: the
 * measurement agreeing with the majority replaces the step in `steps`. At most `maxSteps` steps are repeated, and a
 * step stopped by a safety cut-off is never repeated. Returns what was repeated and why.
 */
export async function remeasureOutOfOrder(
  steps: StepResult[],
  criteria: Criteria,
  maxSteps: number,
  measure: (rate: number) => Promise<StepResult>,
  onRepeat?: (rate: number, why: string) => void,
): Promise<StepRepeat[]> {
  const repeats: StepRepeat[] = [];
  const done = new Set<number>();
  while (repeats.length < maxSteps) {
    const order = steps.map((s, i) => ({ s, i })).sort((a, b) => a.s.offeredRate - b.s.offeredRate);
    const target = order.find(
      ({ s }, k) =>
        !done.has(s.offeredRate) && s.aborted === null && stepFailure(s, criteria) !== null && order.slice(k + 1).some((h) => stepFailure(h.s, criteria) === null),
    );
    if (!target) break;
    const first = target.s;
    const why = stepFailure(first, criteria)!;
    done.add(first.offeredRate);
    onRepeat?.(first.offeredRate, why);
    const results: StepResult[] = [first];
    // Majority of up to three: stop as soon as two agree.
    while (results.length < 3) {
      const r = await measure(first.offeredRate);
      results.push(r);
      const pass = results.filter((x) => stepFailure(x, criteria) === null).length;
      if (pass >= 2 || results.length - pass >= 2 || r.aborted !== null) break;
    }
    const passedCount = results.filter((x) => stepFailure(x, criteria) === null).length;
    const verdict = passedCount * 2 > results.length ? 'passed' : 'failed';
    // The step stands for its majority: the last measurement that agrees with it.
    const kept = [...results].reverse().find((x) => (stepFailure(x, criteria) === null) === (verdict === 'passed'))!;
    steps[target.i] = kept;
    repeats.push({ rate: first.offeredRate, firstFailure: why, measurements: results.length, passed: passedCount, verdict });
  }
  return repeats;
}
