import type { UslParams } from '../model/resource-model.js';
import { uslThroughput } from '../model/usl.js';

/**
 * A node described by a USL curve, serving an open Poisson stream of `lambda` requests/s with at most `workers`
 * requests in service (the rest wait; at most `queueCapacity` waiting when bounded). Modelled as a load-dependent
 * birth–death queue whose completion rate with k requests present is X(min(k, workers)) — the flow-equivalent server
 * of Chandy, Herzog & Woo (1975), see Lazowska et al., Quantitative System Performance, 1984, ch. 8 — solved exactly
 * for its stationary distribution. Mean response time by Little's law; percentiles from uslResponseTail below.
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

/**
 * Tail of the response time at a USL node, P(R > t), for the load-dependent queue above. An arrival that finds j < c
 * requests in service starts at once and is served at rate μ_{j+1} = X(j+1)/(j+1) (the simulator's model: an
 * exponential service time of mean k/X(k) with k busy workers); one that finds j >= c waits for j − c + 1 departures at
 * rate X(c) each, then is served at rate μ_c. With the geometric tail of the stationary distribution (ratio r = λ/X(c))
 * the number of departures waited for is geometric, so the wait is exponential with rate X(c) − λ, exactly as in M/M/c
 * (Kleinrock 1975, §3.5), and R is that wait plus an exponential service. A bounded queue keeps the unbounded wait
 * law (drops are rare where an SLO holds) with the waiting probability of the bounded chain. 1 when λ >= X(c).
 */
export function uslResponseTail(p: UslParams, workers: number, lambda: number, queueCapacity: number | undefined, t: number): number {
  const c = workers;
  const xc = uslThroughput(p, c);
  if (lambda <= 0) return Math.exp(-t * uslThroughput(p, 1));
  const r = lambda / xc;
  if (r >= 1) return 1;
  const pis: number[] = [1];
  let pj = 1;
  for (let j = 1; j < c; j++) {
    pj *= lambda / uslThroughput(p, j);
    pis.push(pj);
  }
  const pc = (pj * lambda) / xc;
  const waitMass = queueCapacity === undefined ? pc / (1 - r) : (pc * (1 - Math.pow(r, queueCapacity))) / (1 - r);
  let norm = waitMass;
  for (const x of pis) norm += x;
  let tail = 0;
  for (let j = 0; j < c; j++) tail += (pis[j]! / norm) * Math.exp((-t * uslThroughput(p, j + 1)) / (j + 1));
  const theta = xc - lambda;
  const mu = xc / c;
  const both = Math.abs(mu - theta) < 1e-12 * mu ? Math.exp(-mu * t) * (1 + mu * t) : (mu * Math.exp(-theta * t) - theta * Math.exp(-mu * t)) / (mu - theta);
  return tail + (waitMass / norm) * both;
}

/** The q-quantile of the USL node's response time, seconds (bisection on uslResponseTail); Infinity when λ >= X(c). */
export function uslResponsePercentile(p: UslParams, workers: number, lambda: number, queueCapacity: number | undefined, q: number): number {
  const target = 1 - q;
  if (uslResponseTail(p, workers, lambda, queueCapacity, 1e9) > target) return Infinity;
  let hi = workers / uslThroughput(p, workers);
  while (uslResponseTail(p, workers, lambda, queueCapacity, hi) > target) hi *= 2;
  let lo = 0;
  for (let i = 0; i < 60 && hi - lo > 1e-6 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (uslResponseTail(p, workers, lambda, queueCapacity, mid) > target) lo = mid;
    else hi = mid;
  }
  return hi;
}
