/**
 * The sampling step of a history: the median spacing of its timestamps, snapped to a common step (5 min, 1 h, 1 day,
 * a calendar month …) when it is within 10% of one. The median is robust to a few gaps and a few extra samples.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Mean length of a Gregorian month in ms: 365.2425 days / 12. */
export const MEAN_MONTH_MS = (365.2425 * DAY) / 12;

/** Fixed steps that sampled data commonly uses, in ms. */
export const COMMON_STEPS_MS: readonly number[] = [
  SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 20 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 20 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 4 * HOUR, 6 * HOUR, 8 * HOUR, 12 * HOUR,
  DAY, 7 * DAY,
];

/** Calendar steps in months, with the range of spacings (in days) that count as each. */
const CALENDAR_STEPS: ReadonlyArray<{ months: number; minDays: number; maxDays: number }> = [
  { months: 1, minDays: 27.5, maxDays: 31.5 },
  { months: 3, minDays: 88, maxDays: 93 },
  { months: 6, minDays: 179, maxDays: 186 },
  { months: 12, minDays: 363, maxDays: 368 },
];

export interface Step {
  /** Step in ms; for calendar steps, the mean length (months × MEAN_MONTH_MS). */
  readonly stepMs: number;
  /** Set when the step is a whole number of calendar months (1 monthly, 3 quarterly, 12 yearly). */
  readonly stepMonths?: number;
}

/**
 * Infer the step from strictly increasing timestamps (epoch ms): the median of the positive spacings, snapped to a
 * calendar step (27.5–31.5 days is a month, 88–93 days a quarter, 179–186 half a year, 363–368 a year) or to the
 * nearest common fixed step within 10%; otherwise the median itself, rounded to whole ms (whole seconds above 1 s).
 * Needs at least two timestamps.
 * @example inferStep(new Float64Array([0, 3_590_000, 7_200_000, 10_810_000])) // => { stepMs: 3_600_000 }
 */
export function inferStep(t: ArrayLike<number>): Step {
  const n = t.length;
  if (n < 2) throw new RangeError(`inferStep needs at least 2 timestamps, got ${n}`);
  const d = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) d[i - 1] = t[i]! - t[i - 1]!;
  d.sort();
  const mid = d.length >> 1;
  const median = d.length % 2 === 1 ? d[mid]! : (d[mid - 1]! + d[mid]!) / 2;
  if (!(median > 0)) throw new RangeError('inferStep needs strictly increasing timestamps');
  const days = median / DAY;
  for (const c of CALENDAR_STEPS) {
    if (days >= c.minDays && days <= c.maxDays) return { stepMs: c.months * MEAN_MONTH_MS, stepMonths: c.months };
  }
  let best = 0;
  let bestErr = Infinity;
  for (const s of COMMON_STEPS_MS) {
    const err = Math.abs(median - s) / s;
    if (err < bestErr) {
      bestErr = err;
      best = s;
    }
  }
  if (bestErr <= 0.1) return { stepMs: best };
  return { stepMs: median >= SECOND ? Math.round(median / SECOND) * SECOND : Math.max(1, Math.round(median)) };
}

/**
 * A step for people: "1h", "5min", "1 day", "1 month", "quarter".
 * @example formatStep({ stepMs: 300000 }) // => '5min'
 */
export function formatStep(step: Step): string {
  if (step.stepMonths !== undefined) {
    if (step.stepMonths === 1) return '1 month';
    if (step.stepMonths === 3) return 'quarter';
    if (step.stepMonths === 12) return '1 year';
    return `${step.stepMonths} months`;
  }
  const ms = step.stepMs;
  if (ms % (7 * DAY) === 0) return ms === 7 * DAY ? '1 week' : `${ms / (7 * DAY)} weeks`;
  if (ms % DAY === 0) return ms === DAY ? '1 day' : `${ms / DAY} days`;
  if (ms % HOUR === 0) return `${ms / HOUR}h`;
  if (ms % MINUTE === 0) return `${ms / MINUTE}min`;
  if (ms % SECOND === 0) return `${ms / SECOND}s`;
  return `${ms}ms`;
}
