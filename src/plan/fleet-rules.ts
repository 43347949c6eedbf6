import { maxDemandWithinSlo } from './exhaustion.js';
import { asksRedundancy, survivorsOfZoneLoss, type RedundancyRule } from './redundancy.js';
import { nodeCapacity, type Slo, type SizingService } from './sizing.js';
import type { PlanPeriod } from './types.js';
import type { Ceilings } from './work.js';

/**
 * The rules the current fleet is held to, each as a date.
 *
 * - `cap`: the fleet serves the sized peak within the SLOs and the planned utilisation cap (maxUtilization);
 * - `redundancy`: after losing k nodes (N+k) the rest still meet the SLOs, the cap and the degraded ceiling, and after
 *   losing the largest zone the survivors meet the SLOs and the degraded ceiling (maxUtilizationDegraded);
 * - `slo`: the fleet meets the SLOs (and the data fits in memory);
 * - `saturation`: the fleet is at or above 100% utilisation of a resource (a fact, not a rule the scenario asks for).
 *
 * At a fixed node count each rule holds up to a demand and fails beyond it (the SLOs and utilisation are monotone in
 * demand), so each rule is one number, the largest demand the fleet serves under it (FleetLimits), and its date is
 * the start of the first period whose sized peak is above that number.
 */
export type FleetRule = 'cap' | 'redundancy' | 'slo' | 'saturation';

/** The rules in the order a tie is named: the most severe first. Saturation comes last: it is never asked for. */
export const FLEET_RULES: readonly FleetRule[] = ['slo', 'cap', 'redundancy', 'saturation'];

/** Largest demand the current fleet serves under each rule (in the service's unit); redundancy undefined when not asked. */
export interface FleetLimits {
  readonly saturation: number;
  readonly slo: number;
  readonly cap: number;
  readonly redundancy: number | undefined;
  /** True when memory, not compute, sets the SLO limit (the data no longer fits). */
  readonly sloByMemory: boolean;
}

/** Memory of a service on its node type: GiB per unit of demand and per node; undefined when not modelled. */
export interface MemoryShape {
  readonly gibPerUnit: number;
  readonly nodeGiB: number;
}

/**
 * What `nodes` nodes of a service serve under each rule.
 * @example with 4 nodes of 100 req/s, cap 70%, degraded 85%, 3 zones, an SLO that holds to saturation:
 *   cap 280, saturation 400, redundancy 2 survivors × 100 × 0.85 = 170
 */
export function fleetLimitsOf(s: SizingService, nodes: number, slo: Slo, memory: MemoryShape | undefined, ceilings: Ceilings, rule: RedundancyRule): FleetLimits {
  const perNode = nodeCapacity(s);
  const memoryAt = (n: number, ceiling: number): number => (memory === undefined ? Infinity : (n * memory.nodeGiB * ceiling) / memory.gibPerUnit);
  const sloBySlo = (n: number): number => maxDemandWithinSlo(s, n, slo, perNode);
  const sloAt = (n: number): number => Math.min(sloBySlo(n), memoryAt(n, 1));
  const capAt = (n: number): number => Math.min(sloAt(n), n * perNode * ceilings.maxUtilization, memoryAt(n, ceilings.maxUtilization));
  const degradedAt = (n: number): number => Math.min(sloAt(n), n * perNode * ceilings.maxUtilizationDegraded, memoryAt(n, ceilings.maxUtilizationDegraded));
  let redundancy: number | undefined;
  if (asksRedundancy(rule)) {
    redundancy = Infinity;
    if (rule.spare > 0) {
      const rest = Math.max(0, nodes - rule.spare);
      redundancy = Math.min(redundancy, capAt(rest), degradedAt(rest));
    }
    if (rule.zones !== undefined && rule.zones >= 2) redundancy = Math.min(redundancy, degradedAt(survivorsOfZoneLoss(nodes, rule.zones)));
  }
  const bySlo = sloBySlo(nodes);
  const byMemory = memoryAt(nodes, 1);
  return {
    saturation: Math.min(nodes * perNode, byMemory),
    slo: Math.min(bySlo, byMemory),
    cap: capAt(nodes),
    redundancy,
    sloByMemory: byMemory < bySlo,
  };
}

/** When one rule first fails for the current fleet. */
export interface RuleDate {
  readonly rule: FleetRule;
  /** Whether the scenario asks for the rule (cap and SLO always; redundancy when it sets spares or zone loss). */
  readonly asked: boolean;
  /** 'already': in the first period; 'date': a later period; 'beyond': not within the horizon; 'not-asked'. */
  readonly status: 'already' | 'date' | 'beyond' | 'not-asked';
  readonly periodIndex: number | undefined;
  readonly period: string | undefined;
  /** Start of that period, epoch ms. */
  readonly dateMs: number | undefined;
  /** Largest demand the fleet serves under the rule (undefined when not asked). */
  readonly maxDemand: number | undefined;
}

/** The headline: the first of the asked rules to fail, and when to order. */
export interface RunsOut {
  /** The rule that binds (fails first); undefined when none fails within the horizon. */
  readonly rule: FleetRule | undefined;
  readonly periodIndex: number | undefined;
  readonly period: string | undefined;
  readonly dateMs: number | undefined;
  /** dateMs minus the procurement lead time. */
  readonly orderByMs: number | undefined;
  /** True when the order-by date is before the plan's first period: too late to order in time. */
  readonly overdue: boolean;
  /** True when a rule already fails in the first period. */
  readonly already: boolean;
}

/** The date of each rule (in FLEET_RULES order) for a sized peak demand per period. */
export function ruleDates(limits: FleetLimits, sizedDemand: readonly number[], periods: readonly PlanPeriod[]): readonly RuleDate[] {
  return FLEET_RULES.map((rule) => {
    const limit = limits[rule];
    if (limit === undefined) return { rule, asked: false, status: 'not-asked', periodIndex: undefined, period: undefined, dateMs: undefined, maxDemand: undefined };
    // Saturation is reached at 100%; every other rule holds up to and including its limit.
    const i = sizedDemand.findIndex((d) => (rule === 'saturation' ? d > 0 && d >= limit : d > limit));
    const asked = rule !== 'saturation';
    if (i < 0) return { rule, asked, status: 'beyond', periodIndex: undefined, period: undefined, dateMs: undefined, maxDemand: limit };
    return { rule, asked, status: i === 0 ? 'already' : 'date', periodIndex: i, period: periods[i]!.label, dateMs: periods[i]!.startMs, maxDemand: limit };
  });
}

/** The first asked rule to fail (ties: the order of FLEET_RULES), with the order-by date `leadTimeMs` before it. */
export function runsOutOf(dates: readonly RuleDate[], periods: readonly PlanPeriod[], leadTimeMs: number): RunsOut {
  let first: RuleDate | undefined;
  for (const d of dates) if (d.asked && d.periodIndex !== undefined && (first === undefined || d.periodIndex < first.periodIndex!)) first = d;
  if (!first) return { rule: undefined, periodIndex: undefined, period: undefined, dateMs: undefined, orderByMs: undefined, overdue: false, already: false };
  const orderByMs = first.dateMs! - leadTimeMs;
  return {
    rule: first.rule,
    periodIndex: first.periodIndex,
    period: first.period,
    dateMs: first.dateMs,
    orderByMs,
    overdue: orderByMs < periods[0]!.startMs,
    already: first.periodIndex === 0,
  };
}
