import { HeadroomError } from '../errors.js';

/**
 * Gaps in a regular series: runs of NaN between known values. Short interior runs are filled by linear interpolation
 * between the known neighbours (the value a straight line through them takes at each missing step); longer runs are
 * reported so the caller can refuse them or keep them as NaN.
 */

export interface GapRun {
  /** Index of the first missing point. */
  readonly start: number;
  /** Number of consecutive missing points. */
  readonly points: number;
}

/**
 * The default longest gap that is filled: max(3, 2% of the series' points), so a few lost scrapes are repaired but an
 * outage of days in a few weeks of history is not invented.
 */
export function defaultMaxGap(points: number): number {
  return Math.max(3, Math.floor(0.02 * points));
}

/**
 * The largest share of a history's points that interpolation may invent under the default gap limit: 10%. The
 * default longest gap grows with the history (2% of its points), so a fine step over a long range lets long holes
 * through one by one: a Prometheus read at a 1 s step whose 55-minute holes were each within the limit came back 92%
 * interpolated. A longest gap the caller names is taken as their decision, and only reported.
 */
export const MAX_FILLED_SHARE = 0.1;
/** A short history may always have this many points filled, as the default longest gap (3 points) lets through. */
const MIN_FILLED_ALWAYS = 3;

/**
 * Check the share of invented points after filling and describe it. Returns the note that says how much was filled
 * (undefined when nothing was); throws SERIES_GAP (exit 2) when the default limit filled more than MAX_FILLED_SHARE.
 */
export function filledShareNote(filledPoints: number, totalPoints: number, source: string, explicitLimit: boolean): string | undefined {
  if (filledPoints === 0 || totalPoints === 0) return undefined;
  const share = filledPoints / totalPoints;
  const pct = `${(share * 100).toFixed(share < 0.01 ? 2 : 1)}%`;
  if (!explicitLimit && share > MAX_FILLED_SHARE && filledPoints > MIN_FILLED_ALWAYS) {
    throw new HeadroomError(
      'SERIES_GAP',
      `${source}: ${filledPoints} of ${totalPoints} points (${pct}) would be invented by interpolation; at most ${MAX_FILLED_SHARE * 100}% are filled unless the longest gap to fill is given explicitly`,
      { exitCode: 2 },
    );
  }
  return `${filledPoints} of ${totalPoints} points (${pct}) are interpolated, not measured`;
}

/**
 * Values below zero in a history, as a note: request rates, counts, bytes and utilisation cannot be negative, so a
 * negative value is usually an export or counter-reset artefact, and it also lifts the clamp at zero that forecast
 * bounds get for a non-negative history. Undefined when there is none. `where` names the first one (file:line).
 */
export function negativeValuesNote(count: number, where: string): string | undefined {
  if (count === 0) return undefined;
  return `${count} value${count === 1 ? ' is' : 's are'} negative (the first at ${where}): a rate, count or utilisation cannot be negative; check the source`;
}

/**
 * Fill, in place, every interior run of NaN of at most `maxPoints` points by linear interpolation; runs at the ends
 * are left alone (there is nothing to interpolate towards). Returns the runs filled and the runs left because they
 * were longer than `maxPoints`.
 * @example
 * const v = Float64Array.of(1, NaN, NaN, 4);
 * fillShortGaps(v, 3); // v => [1, 2, 3, 4], returns { filled: [{ start: 1, points: 2 }], tooLong: [] }
 */
export function fillShortGaps(v: Float64Array, maxPoints: number): { filled: GapRun[]; tooLong: GapRun[] } {
  const filled: GapRun[] = [];
  const tooLong: GapRun[] = [];
  const n = v.length;
  let i = 0;
  while (i < n && Number.isNaN(v[i]!)) i++;
  while (i < n) {
    if (!Number.isNaN(v[i]!)) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && Number.isNaN(v[i]!)) i++;
    if (i === n) break; // trailing run: nothing after it
    const points = i - start;
    if (points > maxPoints) {
      tooLong.push({ start, points });
      continue;
    }
    const a = v[start - 1]!;
    const b = v[i]!;
    for (let k = 1; k <= points; k++) v[start + k - 1] = a + ((b - a) * k) / (points + 1);
    filled.push({ start, points });
  }
  return { filled, tooLong };
}
