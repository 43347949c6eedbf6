import type { Rng } from '../rng.js';
import type { ArrivalKind } from './types.js';

/**
 * Intended send times (milliseconds, ascending) of `count` requests in [from, to).
 *
 * - `uniform`: evenly spaced, from + (i + 0.5) · (to − from) / count.
 * - `poisson`: a Poisson process CONDITIONED on its count: given N arrivals in an interval, the arrival times of a
 *   homogeneous Poisson process are N independent uniform points, sorted (Ross, "Stochastic Processes", 2nd ed., 1996,
 *   Theorem 2.3.1). Locally the gaps are those of a Poisson stream (nearly exponential, coefficient of variation ≈ 1,
 *   the burstiness queueing theory assumes), while the step offers exactly `count` requests: a short step of a free
 *   Poisson process would send a random count with standard deviation sqrt(count) (±4% for 600), which moves the
 *   offered load around the very point a knee is looked for.
 * @example
 * schedule('uniform', 4, 0, 1000, rng) // => Float64Array [125, 375, 625, 875]
 */
export function schedule(kind: ArrivalKind, count: number, from: number, to: number, rng: Rng): Float64Array {
  const n = Math.max(0, Math.round(count));
  const out = new Float64Array(n);
  const span = to - from;
  if (kind === 'uniform') {
    for (let i = 0; i < n; i++) out[i] = from + ((i + 0.5) * span) / n;
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = from + rng.next() * span;
  return out.sort();
}
