import type { Balancer, QueueDiscipline, UslParams } from '../model/resource-model.js';
import { mgcWait } from '../queueing/mgc.js';
import { mmck } from '../queueing/mmck.js';
import { responsePercentile, responseTail } from '../queueing/latency.js';
import type { ServiceShape } from '../queueing/service-shape.js';
import { uslNode, uslResponsePercentile, uslResponseTail } from '../queueing/usl-node.js';

/**
 * Analytic sizing: the smallest node count that meets the SLOs and the maximum planned utilisation at a demand.
 *
 * Topology. A `shared` queue, or a balancer that sends work to the least busy node (`least-outstanding`,
 * `power-of-two`), is taken as one pooled M/G/(n·c) queue; `per-node` queues behind `round-robin` or `random` as n
 * independent G/G/c queues each offered λ/n. Random splitting of a Poisson stream is Poisson (ca² = 1, exact);
 * round-robin sends every n-th arrival to a node, so its inter-arrival times are Erlang-n with ca² = 1/n, which goes into
 * the Allen–Cunneen factor (ca² + cs²)/2. Pooling is optimistic for power-of-two, which is why the plan confirms by
 * simulation. USL services are n independent load-dependent nodes (usl.ts).
 */

/** What a service needs to be sized, after variant overrides. */
export interface SizingService {
  readonly name: string;
  /** c: requests in service at once per node. */
  readonly workersPerNode: number;
  /** Service time (serviceTime or request classes); absent for USL-only services. */
  readonly shape: ServiceShape | undefined;
  readonly usl: UslParams | undefined;
  readonly queue: QueueDiscipline;
  readonly balancer: Balancer;
  /** Waiting room (per node, or for the service when the queue is shared); absent = unbounded. */
  readonly queueCapacity: number | undefined;
  /** Client timeout in seconds: a request slower than this counts as an error. */
  readonly timeout: number | undefined;
}

/** Service level objectives, fractions and seconds. */
export interface Slo {
  /** The `quantile` (e.g. 0.99) of the response time must stay at or under `target` seconds. */
  readonly latency: { readonly quantile: number; readonly target: number } | undefined;
  /** Largest fraction of requests dropped (full queue) or timed out. */
  readonly maxErrorRate: number | undefined;
}

export interface Evaluation {
  readonly nodes: number;
  /** Demand, requests/s. */
  readonly lambda: number;
  /** Busy fraction of the capacity (per worker, or of the USL peak). */
  readonly utilization: number;
  /** Response-time quantile named by the SLO (p99 when the SLO has none), seconds; Infinity when unstable. */
  readonly latency: number;
  /** Fraction of requests dropped or timed out. */
  readonly errorRate: number;
  readonly stable: boolean;
  readonly meetsSlo: boolean;
}

/** The response-time quantile reported when the SLO names none. */
export const DEFAULT_LATENCY_QUANTILE = 0.99;

/** True when the nodes of a service act as one pool (shared queue, or a balancer that picks the least busy node). */
export function pooled(s: Pick<SizingService, 'queue' | 'balancer'>): boolean {
  return s.queue === 'shared' || s.balancer === 'least-outstanding' || s.balancer === 'power-of-two';
}

/**
 * Evaluate a service at `lambda` requests/s on `nodes` nodes against `slo`. With `withLatency` false the latency
 * percentile is not computed (NaN) and the latency SLO is checked by one evaluation of the tail at the target,
 * P(R > target) <= 1 − q, which is what the node-count searches need.
 */
export function evaluateService(s: SizingService, lambda: number, nodes: number, slo: Slo, withLatency = true): Evaluation {
  const q = slo.latency?.quantile ?? DEFAULT_LATENCY_QUANTILE;
  let utilization: number;
  let latency: number;
  let errorRate = 0;
  let stable: boolean;
  let latencyOk: boolean;
  if (nodes < 1) return { nodes, lambda, utilization: Infinity, latency: Infinity, errorRate: 1, stable: false, meetsSlo: lambda <= 0 };
  if (s.shape) {
    const pool = pooled(s);
    const servers = pool ? nodes * s.workersPerNode : s.workersPerNode;
    const rate = pool ? lambda : lambda / nodes;
    const offered = rate * s.shape.mean;
    const arrivalScv = !pool && s.balancer === 'round-robin' ? 1 / nodes : 1;
    const wait = mgcWait(servers, rate, s.shape.mean, s.shape.scv, arrivalScv);
    utilization = offered / servers;
    if (s.queueCapacity !== undefined) {
      // Waiting room: per node, so n·K when per-node queues are pooled by a least-busy balancer; K when shared.
      const room = pool && s.queue !== 'shared' ? s.queueCapacity * nodes : s.queueCapacity;
      const k = mmck(servers, servers + room, offered);
      errorRate = k.blocking;
      utilization = k.utilization;
    }
    stable = wait.rho < 1 || s.queueCapacity !== undefined;
    // With a bounded queue past saturation the unbounded wait formula has no meaning: the latency is that of a full queue.
    latency = wait.rho < 1 ? (withLatency ? responsePercentile(wait, s.shape, q) : NaN) : Infinity;
    latencyOk = slo.latency === undefined ? wait.rho < 1 : wait.rho < 1 && responseTail(wait, s.shape, slo.latency.target) <= 1 - q;
    if (s.timeout !== undefined) errorRate += (1 - errorRate) * (wait.rho < 1 ? responseTail(wait, s.shape, s.timeout) : 1);
  } else if (s.usl) {
    const r = uslNode(s.usl, s.workersPerNode, lambda / nodes, s.queueCapacity);
    utilization = r.utilization;
    stable = r.stable;
    const perNode = lambda / nodes;
    latency = r.stable ? (withLatency ? uslResponsePercentile(s.usl, s.workersPerNode, perNode, s.queueCapacity, q) : NaN) : Infinity;
    latencyOk =
      slo.latency === undefined ? r.stable : r.stable && uslResponseTail(s.usl, s.workersPerNode, perNode, s.queueCapacity, slo.latency.target) <= 1 - q;
    errorRate = r.dropRate;
    if (s.timeout !== undefined) errorRate += (1 - errorRate) * (r.stable ? uslResponseTail(s.usl, s.workersPerNode, perNode, s.queueCapacity, s.timeout) : 1);
  } else {
    throw new RangeError(`service ${s.name} has neither a service time nor a USL curve`);
  }
  const errorsOk = slo.maxErrorRate === undefined ? true : errorRate <= slo.maxErrorRate;
  const meetsSlo = lambda <= 0 || (latencyOk && errorsOk && (stable || s.queueCapacity !== undefined));
  return { nodes, lambda, utilization, latency, errorRate, stable, meetsSlo };
}

/**
 * The service with so many nodes that no request waits: latency is the service time's own quantile (for USL, the
 * response at concurrency 1), errors only the client timeout cutting off slow service. The best any count can do.
 */
export function noQueueing(s: SizingService, slo: Slo): Evaluation {
  const q = slo.latency?.quantile ?? DEFAULT_LATENCY_QUANTILE;
  let latency: number;
  let errorRate = 0;
  if (s.shape) {
    const idle = { pWait: 0, theta: Infinity, meanWait: 0, rho: 0 };
    latency = responsePercentile(idle, s.shape, q);
    if (s.timeout !== undefined) errorRate = responseTail(idle, s.shape, s.timeout);
  } else if (s.usl) {
    // Alone on a node a request is served at X(1) = λ_USL: exponential.
    const mean = 1 / s.usl.lambda;
    latency = mean * Math.log(1 / (1 - q));
    if (s.timeout !== undefined) errorRate = Math.exp(-s.timeout / mean);
  } else {
    throw new RangeError(`service ${s.name} has neither a service time nor a USL curve`);
  }
  const meetsSlo = (slo.latency === undefined || latency <= slo.latency.target) && (slo.maxErrorRate === undefined || errorRate <= slo.maxErrorRate);
  return { nodes: Infinity, lambda: 0, utilization: 0, latency, errorRate, stable: true, meetsSlo };
}

/** Capacity of one node in requests/s at 100% utilisation. */
export function nodeCapacity(s: SizingService): number {
  if (s.shape) return s.workersPerNode / s.shape.mean;
  if (s.usl) {
    let best = 0;
    for (let k = 1; k <= s.workersPerNode; k++) {
      const x = (s.usl.lambda * k) / (1 + s.usl.sigma * (k - 1) + s.usl.kappa * k * (k - 1));
      if (x > best) best = x;
    }
    return best;
  }
  return 0;
}

/** Smallest n >= `from` for which `ok(n)` holds, assuming ok is monotone in n (doubling, then bisection). */
export function smallestPassing(from: number, ok: (n: number) => boolean, limit = 1_000_000): number {
  let lo = Math.max(1, from);
  if (ok(lo)) return lo;
  let hi = lo * 2;
  while (!ok(hi)) {
    lo = hi;
    hi *= 2;
    if (hi > limit) throw new RangeError(`no node count up to ${limit} meets the SLO`);
  }
  // ok(hi), !ok(lo)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** No node count meets the SLO: the service time alone (or the timeout) breaks it. */
export class UnreachableSlo extends Error {
  constructor(
    readonly service: string,
    readonly best: Evaluation,
  ) {
    super(`service ${service} cannot meet its SLO at any node count: with no queueing at all the latency quantile is ${(best.latency * 1000).toFixed(1)} ms and the error rate ${(best.errorRate * 100).toFixed(3)}%`);
    this.name = 'UnreachableSlo';
  }
}

export type Binding = 'latency' | 'errors' | 'utilization' | 'minimum';

export interface Sizing {
  /** Smallest count that meets the SLOs alone. */
  readonly nodesSlo: number;
  /** Smallest count that keeps utilisation at or under the planned maximum. */
  readonly nodesUtilization: number;
  /** max(nodesSlo, nodesUtilization, 1). */
  readonly nodesRequired: number;
  /** Which constraint set nodesRequired. */
  readonly binding: Binding;
  /** The service evaluated at nodesRequired. */
  readonly atRequired: Evaluation;
}

/**
 * Size a service for `lambda` requests/s: the smallest node count that meets `slo` and keeps utilisation at or below
 * `maxUtilization` (a fraction). Each constraint is monotone in the node count, so the count is found by search.
 */
export function sizeService(s: SizingService, lambda: number, slo: Slo, maxUtilization: number): Sizing {
  const cap = nodeCapacity(s);
  const stableFrom = lambda > 0 ? Math.floor(lambda / cap) + 1 : 1;
  const nodesUtilization = Math.max(1, Math.ceil((lambda / (cap * maxUtilization)) * (1 - 1e-12)));
  if (lambda > 0) {
    // With unlimited nodes nothing waits: if even that misses the SLO, no node count will meet it.
    const best = noQueueing(s, slo);
    if (!best.meetsSlo) throw new UnreachableSlo(s.name, best);
  }
  const nodesSlo = lambda > 0 ? smallestPassing(s.queueCapacity === undefined ? stableFrom : 1, (n) => evaluateService(s, lambda, n, slo, false).meetsSlo) : 1;
  const nodesRequired = Math.max(1, nodesSlo, nodesUtilization);
  let binding: Binding = 'minimum';
  if (nodesRequired === 1) binding = 'minimum';
  else if (nodesRequired === nodesUtilization && nodesUtilization > nodesSlo) binding = 'utilization';
  else if (nodesRequired === nodesSlo && lambda > 0) {
    const below = evaluateService(s, lambda, nodesSlo - 1, slo, false);
    const latencyFails = slo.latency !== undefined && !below.meetsSlo && (slo.maxErrorRate === undefined || below.errorRate <= slo.maxErrorRate);
    binding = latencyFails || slo.maxErrorRate === undefined ? 'latency' : 'errors';
  }
  return { nodesSlo, nodesUtilization, nodesRequired, binding, atRequired: evaluateService(s, lambda, nodesRequired, slo) };
}
