/**
 * Aggregation that capacity planners need: hourly samples to a daily peak (the maximum or a percentile such as p95),
 * daily values to weekly or monthly totals, means or peaks. Periods are UTC calendar periods: days start at midnight
 * UTC, weeks on Monday (ISO 8601), months on the 1st, with their real lengths (28 to 31 days).
 */
import { HeadroomError } from '../errors.js';
import { MEAN_MONTH_MS } from './step.js';
import type { Series } from './types.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;

export type Period = 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';
/** How the points of one period become one value: `p95`, `p99.9` … are percentiles (R type 7). */
export type Reducer = 'max' | 'min' | 'mean' | 'sum' | `p${number}`;

export interface AggregateOptions {
  readonly period: Period;
  readonly how: Reducer;
  /**
   * Periods at the ends that the series covers only in part (a history starting on a Wednesday has a partial first
   * week): `drop` (default) leaves them out, since a partial sum or peak understates the period; `keep` keeps them.
   */
  readonly partial?: 'drop' | 'keep';
}

const MONTHS: Partial<Record<Period, number>> = { month: 1, quarter: 3, year: 12 };
const FIXED: Partial<Record<Period, number>> = { hour: HOUR, day: DAY, week: WEEK };

/** Start (epoch ms) of the UTC period that holds `ms`. Weeks start on Monday. */
export function periodStart(ms: number, period: Period): number {
  switch (period) {
    case 'hour':
      return Math.floor(ms / HOUR) * HOUR;
    case 'day':
      return Math.floor(ms / DAY) * DAY;
    case 'week': {
      const d = Math.floor(ms / DAY);
      const sinceMonday = (((d + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday
      return (d - sinceMonday) * DAY;
    }
    default: {
      const date = new Date(ms);
      const m = date.getUTCMonth();
      const k = MONTHS[period]!;
      return Date.UTC(date.getUTCFullYear(), m - (m % k), 1);
    }
  }
}

/** Start of the period after the one starting at `start`. */
export function nextPeriodStart(start: number, period: Period): number {
  const fixed = FIXED[period];
  if (fixed !== undefined) return start + fixed;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + MONTHS[period]!, 1);
}

/**
 * The p-th percentile (0 ≤ p ≤ 100) of sorted values by linear interpolation between order statistics: definition 7
 * of Hyndman & Fan (1996), "Sample quantiles in statistical packages", the default of R's `quantile` and of Excel's
 * PERCENTILE.INC. NaN for no values.
 * @example percentileSorted([1, 2, 3, 4], 95) // => 3.85
 */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = ((n - 1) * p) / 100;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  return lo + 1 < n ? a + (h - lo) * (sorted[lo + 1]! - a) : a;
}

function reduce(values: number[], how: Reducer): number {
  if (values.length === 0) return NaN;
  switch (how) {
    case 'max':
      return values.reduce((a, b) => (b > a ? b : a), -Infinity);
    case 'min':
      return values.reduce((a, b) => (b < a ? b : a), Infinity);
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'mean':
      return values.reduce((a, b) => a + b, 0) / values.length;
    default:
      return percentileSorted(values.sort((a, b) => a - b), Number(how.slice(1)));
  }
}

function checkReducer(how: string): void {
  if (how === 'max' || how === 'min' || how === 'mean' || how === 'sum') return;
  const m = /^p(\d+(?:\.\d+)?)$/.exec(how);
  if (m && Number(m[1]) <= 100) return;
  throw new HeadroomError('INPUT_INVALID', `aggregation must be max, min, mean, sum or a percentile such as p95, got ${how}`);
}

/** Words for a step, for messages. */
function stepWords(s: Pick<Series, 'stepMs' | 'stepMonths'>): string {
  if (s.stepMonths !== undefined) return `${s.stepMonths} month${s.stepMonths === 1 ? '' : 's'}`;
  if (s.stepMs % DAY === 0) return `${s.stepMs / DAY} day${s.stepMs === DAY ? '' : 's'}`;
  return `${s.stepMs / 1000} s`;
}

/**
 * Aggregate a regular series to UTC calendar periods. NaN points (unfilled gaps) are skipped; a period with none left
 * is NaN. The result is stamped with the start of each period; monthly, quarterly and yearly results are calendar
 * series (`stepMonths` 1, 3, 12).
 * @example
 * // 48 hourly points from 2024-01-01T00:00Z, value = hour index: daily peaks at 2024-01-01 and 2024-01-02
 * aggregate(hourly, { period: 'day', how: 'max' }).v // => Float64Array [23, 47]
 * @throws HeadroomError INPUT_INVALID when the series' step does not divide the period evenly or is not shorter.
 */
export function aggregate(series: Series, options: AggregateOptions): Series {
  const { period, how } = options;
  checkReducer(how);
  const months = MONTHS[period];
  const fixed = FIXED[period];
  // Points per period: fixed steps must divide a day (or the fixed period); calendar steps must divide the months.
  let perPeriod: (start: number, end: number) => number;
  if (series.stepMonths !== undefined) {
    if (months === undefined || months % series.stepMonths !== 0 || months === series.stepMonths) {
      throw new HeadroomError('INPUT_INVALID', `${series.source}: a series with a step of ${stepWords(series)} cannot be aggregated to ${period}s`);
    }
    const k = months / series.stepMonths;
    perPeriod = () => k;
  } else {
    const unit = fixed ?? DAY;
    if (series.stepMs >= (fixed ?? 28 * DAY) || unit % series.stepMs !== 0) {
      throw new HeadroomError('INPUT_INVALID', `${series.source}: a series with a step of ${stepWords(series)} cannot be aggregated to ${period}s`);
    }
    perPeriod = (start, end) => (end - start) / series.stepMs;
  }

  const t: number[] = [];
  const v: number[] = [];
  const n = series.t.length;
  let i = 0;
  while (i < n) {
    const start = periodStart(series.t[i]!, period);
    const end = nextPeriodStart(start, period);
    const values: number[] = [];
    let points = 0;
    while (i < n && series.t[i]! < end) {
      const x = series.v[i]!;
      if (!Number.isNaN(x)) values.push(x);
      points++;
      i++;
    }
    if (points < perPeriod(start, end) && (options.partial ?? 'drop') === 'drop') continue;
    t.push(start);
    v.push(reduce(values, how));
  }
  const base = { name: series.name, t: Float64Array.from(t), v: Float64Array.from(v), source: series.source };
  return months !== undefined ? { ...base, stepMs: months * MEAN_MONTH_MS, stepMonths: months } : { ...base, stepMs: fixed! };
}

/**
 * Daily peaks of a sub-daily series: the maximum of each UTC day, or a percentile (`p95` ignores the five busiest
 * percent of samples, e.g. a short spike). Partial first and last days are dropped.
 */
export function dailyPeak(series: Series, how: 'max' | `p${number}` = 'max'): Series {
  return aggregate(series, { period: 'day', how });
}
