import type { Slo, SizingService } from './sizing.js';
import { evaluateService } from './sizing.js';

/**
 * Headroom of the current fleet and the date it runs out.
 *
 * The SLOs are monotone in demand at a fixed node count, so a fleet has one number that says everything: the largest
 * demand it serves within the SLOs (`maxDemandWithinSlo`, found by bisection). A period's headroom is that number over
 * the period's sized peak demand, minus one; the exhaustion period is the first whose sized peak exceeds it; the
 * order-by date is the start of that period minus the procurement lead time.
 */
export function maxDemandWithinSlo(s: SizingService, nodes: number, slo: Slo, capacityPerNode: number): number {
  if (nodes < 1) return 0;
  let lo = 0;
  let hi = nodes * capacityPerNode * (s.queueCapacity === undefined ? 1 : 4);
  if (evaluateService(s, hi, nodes, slo, false).meetsSlo) return hi;
  for (let i = 0; i < 60 && hi - lo > 1e-7 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (evaluateService(s, mid, nodes, slo, false).meetsSlo) lo = mid;
    else hi = mid;
  }
  return lo;
}

export interface Exhaustion {
  /** Index of the first period whose sized peak breaks an SLO on the current fleet; undefined within the horizon. */
  readonly periodIndex: number | undefined;
  /** Start of that period, epoch ms. */
  readonly dateMs: number | undefined;
  /** dateMs minus the lead time, epoch ms. */
  readonly orderByMs: number | undefined;
  /** True when the order-by date is before the plan's first period starts: too late to order in time. */
  readonly overdue: boolean;
}

/**
 * @param periodStartsMs start of each period, epoch ms
 * @param sizedDemand the sized peak demand of each period
 * @param maxDemand what the current fleet serves within the SLOs
 * @param leadTimeMs procurement lead time
 */
export function exhaustionOf(periodStartsMs: readonly number[], sizedDemand: readonly number[], maxDemand: number, leadTimeMs: number): Exhaustion {
  const i = sizedDemand.findIndex((d) => d > maxDemand);
  if (i < 0) return { periodIndex: undefined, dateMs: undefined, orderByMs: undefined, overdue: false };
  const dateMs = periodStartsMs[i]!;
  const orderByMs = dateMs - leadTimeMs;
  return { periodIndex: i, dateMs, orderByMs, overdue: orderByMs < periodStartsMs[0]! };
}
