import type { CapacityPlan, VariantPlan } from '../plan/types.js';

/**
 * What a sweep keeps of one grid point's plan: total cost, cost per calendar year, and per service the peak node count
 * and the exhaustion and order-by dates. Plain JSON (dates as epoch ms, `null` for "not within the horizon"), so a
 * point computed on a remote worker compares equal, field for field, to one computed locally.
 */
export interface PointOutcome {
  readonly index: number;
  /** The axis values of the point (null: the scenario's own value, in sensitivity runs). */
  readonly values: ReadonlyArray<number | string | null>;
  readonly totalCost: number;
  readonly costByYear: ReadonlyArray<{ readonly year: number; readonly cost: number }>;
  /** Earliest exhaustion over the services. */
  readonly exhaustionMs: number | null;
  readonly exhaustionService: string | null;
  readonly services: readonly ServiceOutcome[];
}

export interface ServiceOutcome {
  readonly service: string;
  readonly nodeType: string;
  readonly peakNodes: number;
  readonly totalCost: number;
  readonly exhaustionMs: number | null;
  readonly orderByMs: number | null;
  readonly overdue: boolean;
  /**
   * SLO attainment by simulation of the planned count at the service's binding period (the `sized` confirmation):
   * whether it met the SLO, the SLO's latency quantile in ms (null: the run never settled) and the error rate; null
   * when not simulated.
   */
  readonly simulated: { readonly passed: boolean; readonly latencyMs: number | null; readonly errorRate: number } | null;
}

/** The outcome of the variant of `plan` that carries the point. */
export function outcomeOf(index: number, values: ReadonlyArray<number | string | null>, plan: CapacityPlan, viaVariant: boolean): PointOutcome {
  const v: VariantPlan = viaVariant ? plan.variants[1]! : plan.variants[0]!;
  return {
    index,
    values: [...values],
    totalCost: v.totalCost,
    costByYear: v.costByYear.map((y) => ({ year: y.year, cost: y.cost })),
    exhaustionMs: v.exhaustion.dateMs ?? null,
    exhaustionService: v.exhaustion.service ?? null,
    services: v.services.map((s) => ({
      service: s.service,
      nodeType: s.nodeType,
      peakNodes: s.periods.reduce((a, p) => Math.max(a, p.nodesWithRedundancy), 0),
      totalCost: s.totalCost,
      exhaustionMs: s.exhaustion.dateMs ?? null,
      orderByMs: s.exhaustion.orderByMs ?? null,
      overdue: s.exhaustion.overdue,
      simulated: simulatedOf(s.confirmations),
    })),
  };
}

function simulatedOf(confirmations: CapacityPlan['variants'][number]['services'][number]['confirmations']): ServiceOutcome['simulated'] {
  const c = confirmations.find((x) => x.case === 'sized');
  if (!c) return null;
  // A run that never settled has an infinite latency: null (it failed), never Infinity in a table.
  return { passed: c.passed, latencyMs: Number.isFinite(c.latency.mean) ? c.latency.mean * 1000 : null, errorRate: c.errorRate.mean };
}
