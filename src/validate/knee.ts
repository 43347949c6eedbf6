import type { Criteria, Knee, StepResult } from './types.js';

/** The steps' figures the knee needs; a measured StepResult or a predicted step both fit. */
export type KneeStep = Pick<StepResult, 'offeredRate' | 'achievedRate' | 'p99' | 'errors' | 'timeouts' | 'dropped' | 'scheduled' | 'duration'>;

/**
 * The rate the schedule really sent in the measured window (scheduled / duration). With Poisson arrivals a short
 * window's count is itself random (standard deviation sqrt(rate · T)), so the achieved rate is judged against what
 * was sent, not against the nominal offered rate; with uniform arrivals the two are equal.
 */
export function sentRate(s: Pick<KneeStep, 'offeredRate' | 'scheduled' | 'duration'>): number {
  return s.scheduled > 0 && s.duration > 0 ? s.scheduled / s.duration : s.offeredRate;
}

/** Whether a step kept up: achieved at least `ratio` of the rate sent. */
export function keptUp(s: KneeStep, ratio: number): boolean {
  return s.achievedRate >= ratio * sentRate(s);
}

/** Share of a step's scheduled requests that failed: errors, timeouts and sends skipped at the in-flight bound. */
export function failureRate(s: Pick<KneeStep, 'errors' | 'timeouts' | 'dropped' | 'scheduled'>): number {
  return s.scheduled > 0 ? (s.errors + s.timeouts + s.dropped) / s.scheduled : 0;
}

/** Why a step fails the knee criteria, or null when it passes. */
export function stepFailure(s: KneeStep, c: Criteria): string | null {
  const fr = failureRate(s);
  if (!keptUp(s, c.minAchievedRatio)) {
    return `at ${fmt(s.offeredRate)}/s only ${fmt(s.achievedRate)}/s was achieved (below ${(c.minAchievedRatio * 100).toFixed(0)}% of the ${fmt(sentRate(s))}/s sent)`;
  }
  if (!(s.p99 <= c.sloP99)) return `at ${fmt(s.offeredRate)}/s p99 was ${ms(s.p99)}, above the SLO of ${ms(c.sloP99)}`;
  if (fr > c.maxErrors) return `at ${fmt(s.offeredRate)}/s ${(fr * 100).toFixed(1)}% of requests failed, above the budget of ${(c.maxErrors * 100).toFixed(1)}%`;
  return null;
}

/**
 * The knee: the highest offered rate whose achieved rate is at least `minAchievedRatio` (95%) of the rate sent, whose p99
 * meets the SLO and whose failure rate is within budget, taken over the steps in increasing offered rate and
 * stopping at the first failure (a later step that passes by luck after a failing one does not move the knee up).
 * @example
 * findKnee([{ offeredRate: 100, achievedRate: 100, p99: 0.01, ... }, { offeredRate: 200, achievedRate: 150, ... }], c)
 * // => { rate: 100, reason: 'at 200/s only 150/s was achieved (below 95% of the 200/s sent)' }
 */
export function findKnee(steps: readonly KneeStep[], c: Criteria): Knee {
  const sorted = [...steps].sort((a, b) => a.offeredRate - b.offeredRate);
  let rate: number | null = null;
  for (const s of sorted) {
    const why = stepFailure(s, c);
    if (why !== null) return { rate, reason: rate === null ? `no step passed: ${why}` : why };
    rate = s.offeredRate;
  }
  return { rate, reason: rate === null ? 'no steps ran' : 'every step passed: the knee is at or above the highest step' };
}

/**
 * The saturation throughput: the plateau of achieved rate, taken as the highest rate the server achieved in any step
 * of the run. Past saturation the server completes at its capacity whatever is offered, or less: heavier overload
 * costs the server (and a generator on the same machine) work per outstanding request, so the most overloaded step
 * can fall below a step that only just kept up (200/s offered → 192/s achieved, 230/s → 178/s, measured on a busy
 * machine); capacity is at least what the server sustained. `reached` says some step did not keep up (achieved below
 * `minAchievedRatio` of what was sent); when every step kept up the value is only a lower bound.
 */
export function saturationThroughput(steps: readonly KneeStep[], minAchievedRatio = 0.95): { value: number | null; reached: boolean } {
  if (steps.length === 0) return { value: null, reached: false };
  return { value: Math.max(...steps.map((s) => s.achievedRate)), reached: steps.some((s) => !keptUp(s, minAchievedRatio)) };
}

function fmt(x: number): string {
  return Math.abs(x - Math.round(x)) < 1e-9 ? String(Math.round(x)) : x.toFixed(1);
}

function ms(s: number): string {
  return Number.isFinite(s) ? `${(s * 1000).toFixed(1)} ms` : 'n/a';
}
