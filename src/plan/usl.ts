import type { UslParams } from '../config/model.js';

/**
 * Universal Scalability Law (N. J. Gunther, Guerrilla Capacity Planning, Springer 2007, ch. 4):
 * throughput of one node at concurrency N is X(N) = λN / (1 + σ(N − 1) + κN(N − 1)).
 * @example uslThroughput({ lambda: 100, sigma: 0, kappa: 0 }, 4) // => 400
 */
export function uslThroughput(p: UslParams, n: number): number {
  return (p.lambda * n) / (1 + p.sigma * (n - 1) + p.kappa * n * (n - 1));
}

/** Concurrency of peak throughput N* = √((1 − σ)/κ) (Gunther 2007, eq. 4.33); Infinity when κ = 0. */
export function uslPeakConcurrency(p: UslParams): number {
  return p.kappa > 0 ? Math.sqrt((1 - p.sigma) / p.kappa) : Infinity;
}

/**
 * A node described by a USL curve, serving an open Poisson stream of `lambda` requests/s with at most `workers`
 * requests in service (the rest wait; at most `queueCapacity` waiting when bounded). Modelled as a load-dependent
 * birth–death queue whose completion rate with k requests present is X(min(k, workers)) — the flow-equivalent server
 * of Chandy, Herzog & Woo (1975), see Lazowska et al., Quantitative System Performance, 1984, ch. 8 — solved exactly
 * for its stationary distribution. Response time by Little's law; its percentile is approximated as exponential with
 * that mean (exact for M/M/1), which the simulation confirms.
 */
export interface UslNodeResult {
  /** Fraction of the node's best throughput in use: λ(1 − drop) / max_{k ≤ workers} X(k). */
  readonly utilization: number;
  /** Mean response time, seconds (Infinity when unstable). */
  readonly meanResponse: number;
  /** Probability an arrival is dropped (bounded queue only). */
  readonly dropRate: number;
  readonly stable: boolean;
}

export function uslNode(p: UslParams, workers: number, lambda: number, queueCapacity: number | undefined): UslNodeResult {
  let best = 0;
  for (let k = 1; k <= workers; k++) best = Math.max(best, uslThroughput(p, k));
  const top = uslThroughput(p, workers);
  if (lambda <= 0) return { utilization: 0, meanResponse: 1 / p.lambda, dropRate: 0, stable: true };
  const bounded = queueCapacity !== undefined;
  if (!bounded && lambda >= top) return { utilization: lambda / best, meanResponse: Infinity, dropRate: 0, stable: false };
  // Unnormalised probabilities p_k, p_0 = 1, up to `workers`; then a geometric tail (ratio r = λ / X(workers)).
  let pk = 1;
  let sum = 1;
  let weighted = 0;
  for (let k = 1; k <= workers; k++) {
    pk *= lambda / uslThroughput(p, k);
    sum += pk;
    weighted += k * pk;
  }
  const r = lambda / top;
  let drop = 0;
  if (bounded) {
    const q = queueCapacity;
    for (let j = 1; j <= q; j++) {
      pk *= r;
      sum += pk;
      weighted += (workers + j) * pk;
    }
    drop = pk / sum;
  } else {
    // Σ_{j≥1} r^j = r/(1−r); Σ_{j≥1} (w + j) r^j = w r/(1−r) + r/(1−r)².
    const pw = pk;
    sum += (pw * r) / (1 - r);
    weighted += pw * ((workers * r) / (1 - r) + r / ((1 - r) * (1 - r)));
  }
  const L = weighted / sum;
  const served = lambda * (1 - drop);
  return { utilization: served / best, meanResponse: L / served, dropRate: drop, stable: true };
}
