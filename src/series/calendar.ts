/**
 * Stepping a series through time, fixed steps and calendar months alike (UTC). A monthly series anchored on the 31st
 * or on the last day of a month stays on the last day (Jan 31, Feb 29, Mar 31); one anchored on the 15th stays on
 * the 15th.
 */
import type { Series } from './types.js';
import { daysInMonth } from './timestamp.js';

/** Months since January 1970 for an epoch-ms instant (UTC). */
export function monthIndex(ms: number): number {
  const d = new Date(ms);
  return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
}

/**
 * The instant `months` calendar months after `anchorMs` (UTC), keeping the anchor's time of day and day of month,
 * clamped to the month's length; an anchor on the last day of its month stays on the last day.
 * @example formatIso(addUtcMonths(Date.UTC(2024, 0, 31), 1)) // => '2024-02-29T00:00:00Z'
 */
export function addUtcMonths(anchorMs: number, months: number): number {
  const d = new Date(anchorMs);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  const lastDay = day === daysInMonth(y, m);
  const target = m + months;
  const ty = y + Math.floor(target / 12);
  const tm = ((target % 12) + 12) % 12;
  const dim = daysInMonth(ty, tm);
  const tday = lastDay ? dim : Math.min(day, dim);
  const timeOfDay = anchorMs - Date.UTC(y, m, day);
  return Date.UTC(ty, tm, tday) + timeOfDay;
}

/**
 * The timestamp `k` steps after the series' first point (k may exceed the series' length): t0 + k·stepMs for fixed
 * steps, t0 plus k·stepMonths calendar months for calendar steps.
 */
export function timestampAt(series: Pick<Series, 't' | 'stepMs' | 'stepMonths'>, k: number): number {
  const t0 = series.t[0];
  if (t0 === undefined) throw new RangeError('timestampAt needs a series with at least one point');
  return series.stepMonths === undefined ? t0 + k * series.stepMs : addUtcMonths(t0, k * series.stepMonths);
}

/**
 * The `n` timestamps (epoch ms) that follow the series' last point at its step: what a forecast of horizon `n` is
 * stamped with.
 * @example futureTimestamps({ t: Float64Array.of(0, 3.6e6), stepMs: 3.6e6 }, 2) // => Float64Array [7.2e6, 1.08e7]
 */
export function futureTimestamps(series: Pick<Series, 't' | 'stepMs' | 'stepMonths'>, n: number): Float64Array {
  const len = series.t.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = timestampAt(series, len + i);
  return out;
}
