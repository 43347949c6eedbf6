/**
 * Splitting a range query into requests that each stay under the server's points-per-series limit.
 *
 * The grid is t_k = startMs + k * stepMs for k = 0 … points - 1, with points = floor((endMs - startMs) / stepMs) + 1
 * (Prometheus evaluates a range query at exactly these times). Chunk i asks for grid indices
 * [i * maxPoints, min((i + 1) * maxPoints, points) - 1]; consecutive chunks therefore start one step after the previous
 * one ends, and no grid point is requested twice.
 */

export interface RangeChunk {
  /** First grid index this request covers. */
  readonly firstIndex: number;
  /** Grid points it covers. */
  readonly points: number;
  /** Its `start` and `end` parameters, epoch ms (both on the grid). */
  readonly startMs: number;
  readonly endMs: number;
}

export interface RangePlan {
  /** Grid points in the whole range. */
  readonly points: number;
  readonly chunks: readonly RangeChunk[];
}

/**
 * Plan the requests for a range. Inputs are assumed checked (finite, endMs >= startMs, stepMs > 0, maxPoints >= 1).
 * @example planRange(0, 10_000, 1000, 4).chunks.map((c) => [c.startMs, c.endMs]) // => [[0, 3000], [4000, 7000], [8000, 10000]]
 */
export function planRange(startMs: number, endMs: number, stepMs: number, maxPoints: number): RangePlan {
  const points = Math.floor((endMs - startMs) / stepMs) + 1;
  const chunks: RangeChunk[] = [];
  for (let first = 0; first < points; first += maxPoints) {
    const n = Math.min(maxPoints, points - first);
    chunks.push({ firstIndex: first, points: n, startMs: startMs + first * stepMs, endMs: startMs + (first + n - 1) * stepMs });
  }
  return { points, chunks };
}
