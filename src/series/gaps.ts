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
