import type { FailOnRule } from '../model/plan-scenario.js';
import type { FleetRule, RuleDate, RunsOut } from './fleet-rules.js';
import type { Reservation } from './reservations.js';

export type { FleetRule, RuleDate, RunsOut } from './fleet-rules.js';
export type { Reservation } from './reservations.js';

/**
 * The capacity plan: what `headroom plan` computes and exports (plan.json is this object; plan.csv and plan.xlsx are
 * views of it). Times are epoch milliseconds (UTC) in fields ending `Ms`, seconds otherwise; money in the model's
 * currency; utilisation and rates as fractions.
 */

/** One planning period (a calendar month or quarter). */
export interface PlanPeriod {
  readonly index: number;
  /** "2026-01" for a month, "2026-Q1" for a quarter. */
  readonly label: string;
  readonly startMs: number;
  /** Exclusive. */
  readonly endMs: number;
  readonly hours: number;
}

/** How one demand driver was read and forecast: for the Assumptions sheet. */
export interface DriverAssumption {
  readonly name: string;
  readonly unit: string;
  readonly source: string;
  readonly historyPoints: number;
  readonly historyStartMs: number;
  readonly historyEndMs: number;
  /** Step of the series that was forecast, ms (a day when sub-daily history was reduced to daily peaks). */
  readonly forecastStepMs: number;
  /** True when sub-daily history was reduced to daily peaks before forecasting. */
  readonly dailyPeaks: boolean;
  /** The forecast model chosen, with its parameters. */
  readonly model: string;
  readonly seasonalPeriods: readonly number[];
  readonly rmse: number;
  readonly mase: number;
  /** What the reader repaired (gaps filled, duplicates dropped), in words. */
  readonly repairs: readonly string[];
}

/** Demand of one name (driver, derived, or a service's load) over the periods of one variant. */
export interface DemandSeries {
  readonly name: string;
  readonly unit: string;
  /** The peak of the median forecast in each period. */
  readonly p50: readonly number[];
  /** The peak of the sized quantile in each period. */
  readonly sized: readonly number[];
  /** When in each period the sized peak falls, epoch ms (for drivers; derived names take the first driver's). */
  readonly peakMs: readonly number[];
}

/** A simulation that confirmed (or contradicted) an analytic count. */
export interface Confirmation {
  readonly periodIndex: number;
  /**
   * Which case: the sized count, one fewer, the survivors of a zone loss; or the current fleet at the exhaustion
   * period (expected to fail) and at the busiest period before it (expected to pass).
   */
  readonly case: 'sized' | 'one-fewer' | 'zone-loss' | 'fleet-at-exhaustion' | 'fleet-before-exhaustion';
  readonly demand: number;
  /** Nodes simulated (for zone-loss: nodes provisioned; survivors = nodes minus the lost zone). */
  readonly nodes: number;
  /** Nodes serving during the run. */
  readonly nodesUp: number;
  /** Whether the case met the SLO (and, for counts, the utilisation cap). */
  readonly passed: boolean;
  /** Whether this is what the analytic plan predicted (a fleet case at exhaustion is expected to fail). */
  readonly asExpected: boolean;
  /** The SLO's latency quantile, seconds: pooled over replicas, with the 95% interval of the per-replica values. */
  readonly latency: { readonly mean: number; readonly ci95: readonly [number, number] };
  readonly errorRate: { readonly mean: number; readonly ci95: readonly [number, number] };
  readonly utilization: { readonly mean: number; readonly ci95: readonly [number, number] };
  /** True when the interval straddles a target: more replicas would be needed to be sure. */
  readonly marginal: boolean;
  readonly replicas: number;
  readonly arrivalsPerReplica: number;
}

/** One resource of a service in one period (compute always; memory when the model gives memoryGiBPerUnit). */
export interface ResourcePeriod {
  readonly resource: 'compute' | 'memory';
  readonly unit: string;
  readonly demandP50: number;
  readonly demandSized: number;
  /** Nodes this resource alone needs (its SLO side and the cap). */
  readonly nodesRequired: number;
  /** Nodes the plan runs in the period (all resources and redundancy): the count `utilization` is measured on. */
  readonly nodesWithRedundancy: number;
  /** Utilisation of this resource on the nodes planned (nodesWithRedundancy). */
  readonly utilization: number;
  /** Cost of the period is put on the binding resource's row (others 0), so the column adds up. */
  readonly cost: number;
}

export interface ServicePeriod {
  readonly periodIndex: number;
  readonly demandP50: number;
  readonly demandSized: number;
  readonly peakMs: number;
  /** Smallest count meeting the SLOs alone. */
  readonly nodesSlo: number;
  /** Smallest count meeting the SLOs and the utilisation cap (all resources). */
  readonly nodesRequired: number;
  /** What the survivors of a zone loss or of k lost nodes must reach: the SLOs and the degraded-mode ceiling. */
  readonly nodesSurvive: number;
  readonly binding: string;
  /** With N+k and zone-loss rules: the count to run and pay for. */
  readonly nodesWithRedundancy: number;
  readonly redundancyRule: 'none' | 'spare' | 'zone-loss';
  /** Nodes left after losing the largest zone. */
  readonly zoneLossSurvivors: number | undefined;
  /** Analytic figures at nodesWithRedundancy. */
  readonly utilization: number;
  readonly latency: number;
  readonly errorRate: number;
  /** What sets nodesWithRedundancy: 'zone-loss' or 'spare' when redundancy adds nodes, else `binding`. */
  readonly countSetBy: string;
  /** Current fleet against this period's sized peak. */
  readonly fleetMeetsSlo: boolean;
  /**
   * Headroom at the cap: what the current fleet serves within the SLOs and the utilisation cap over this period's
   * sized peak, minus 1 (0.2 = 20% to spare, negative = over the cap). Infinity when the demand is 0.
   */
  readonly headroom: number;
  /** The asked rules the current fleet breaks in this period (cap, redundancy, slo). */
  readonly fleetShortOf: readonly FleetRule[];
  /** Nodes to add to the current fleet to run the planned count (0 when the fleet is enough). */
  readonly nodesToBuy: number;
  /** Prices per node-hour in the period (with the variant's price factor); committed undefined when not offered. */
  readonly hourlyPrice: number;
  readonly committedHourlyPrice: number | undefined;
  /** Reserved nodes in force (paid at the committed rate) and the rest on demand. */
  readonly committedNodes: number;
  readonly onDemandNodes: number;
  readonly cost: number;
  readonly resources: readonly ResourcePeriod[];
}

export interface Exhaustion {
  readonly periodIndex: number | undefined;
  readonly period: string | undefined;
  readonly dateMs: number | undefined;
  readonly orderByMs: number | undefined;
  readonly overdue: boolean;
}

export interface ServicePlan {
  readonly service: string;
  readonly nodeType: string;
  readonly unit: string;
  readonly demandExpression: string;
  readonly hourlyPrice: number;
  readonly committedHourlyPrice: number | undefined;
  readonly fleet: number;
  /** Largest demand the current fleet serves within the SLOs. */
  readonly fleetMaxDemand: number;
  /** Largest demand the current fleet serves within the SLOs and the utilisation cap. */
  readonly fleetMaxDemandAtCap: number;
  /** When the current fleet first breaks each rule (slo, cap, redundancy, saturation). */
  readonly rules: readonly RuleDate[];
  /** The headline: the first of the asked rules to break, and the order-by date. */
  readonly runsOut: RunsOut;
  /** Reservations (committed nodes for a term) recommended for the planned counts. */
  readonly reservations: readonly Reservation[];
  readonly slo: { readonly latency: { readonly quantile: number; readonly target: number } | undefined; readonly maxErrorRate: number | undefined };
  readonly exhaustion: Exhaustion;
  /**
   * The first period whose planned count (with redundancy) is above the current fleet: from then on the fleet may still
   * meet the SLO but no longer survives a zone loss or keeps its spares. Undefined within the horizon.
   */
  readonly redundancyShortfall: { readonly periodIndex: number; readonly period: string } | undefined;
  readonly periods: readonly ServicePeriod[];
  /** Cost per calendar year of the periods' starts, and in total. */
  readonly costByYear: ReadonlyArray<{ readonly year: number; readonly cost: number }>;
  readonly totalCost: number;
  readonly confirmations: readonly Confirmation[];
  /** One sentence on what the simulation found at the binding period, or why it did not run. */
  readonly confirmationNote: string;
}

export interface VariantPlan {
  readonly name: string;
  readonly description: string;
  readonly demand: readonly DemandSeries[];
  readonly services: readonly ServicePlan[];
  /** Earliest exhaustion (SLO rule) over the services. */
  readonly exhaustion: Exhaustion & { readonly service: string | undefined };
  /** Earliest headline over the services: the first asked rule to break. */
  readonly runsOut: RunsOut & { readonly service: string | undefined };
  readonly costByPeriod: readonly number[];
  readonly costByYear: ReadonlyArray<{ readonly year: number; readonly cost: number }>;
  readonly totalCost: number;
}

/** A capacity plan as plan.json holds it. Format 2 dates each rule for the current fleet (`rules`, `runsOut`, `findings`). */
export interface CapacityPlan {
  readonly format: 'headroom-plan/2';
  readonly scenario: { readonly name: string; readonly file: string; readonly description: string | undefined; readonly seed: number };
  readonly model: {
    readonly name: string;
    readonly file: string;
    readonly zones: readonly string[];
    /** Every node type of the model with its prices per node-hour (variants may move services onto any of them). */
    readonly nodeTypes: ReadonlyArray<{
      readonly name: string;
      readonly vcpus: number | undefined;
      readonly memoryGiB: number | undefined;
      readonly hourlyPrice: number;
      readonly committedHourlyPrice: number | undefined;
    }>;
  };
  readonly currency: string;
  readonly period: 'month' | 'quarter';
  readonly periods: readonly PlanPeriod[];
  /** The demand quantile sized for, e.g. 0.95, and its label "p95". */
  readonly quantile: number;
  readonly quantileLabel: string;
  readonly maxUtilization: number;
  /** The ceiling zone-loss and N+k survivors must stay under. */
  readonly maxUtilizationDegraded: number;
  readonly redundancy: { readonly spare: number; readonly zoneLoss: boolean; readonly zones: number };
  readonly leadTimeDays: number;
  /** The most of the planned count reserved at each term's start. */
  readonly committedShare: number;
  readonly commitmentTermMonths: number;
  /** The rules whose shortfall now fails the check (exit 1). */
  readonly failOn: readonly FailOnRule[];
  readonly drivers: readonly DriverAssumption[];
  readonly derived: ReadonlyArray<{ readonly name: string; readonly expression: string }>;
  readonly variants: readonly VariantPlan[];
  readonly simulation: {
    readonly enabled: boolean;
    readonly rule: string;
    readonly runs: number;
    readonly replicas: number;
    readonly arrivalsPerReplica: number;
  };
  /** How the numbers were derived, one sentence each (quantiles, peaks, approximations). */
  readonly method: readonly string[];
  readonly warnings: readonly string[];
  /** What the plan finds about the current fleet: the shortfalls a CI check fails on. */
  readonly findings: readonly PlanFinding[];
}

/** A finding of the plan: a shortfall of the current fleet now, or a demand no count up to the limit serves. */
export type PlanFinding = ShortNow | Unservable;

/**
 * The current fleet of a service in the base plan is short of a rule now: the rule breaks in the first period, or
 * before an order placed today arrives (within the lead time). `nodesNeeded` is the most the rule needs from then
 * through the last period that starts within the lead time; add `nodesToAdd` nodes to the fleet.
 */
export interface ShortNow {
  readonly kind: 'short-now';
  readonly rule: FailOnRule;
  /** For the redundancy rule: which cover ('zone-loss', 'spare' or both). */
  readonly cover: 'zone-loss' | 'spare' | 'zone-loss and spare' | undefined;
  readonly variant: string;
  readonly service: string;
  readonly periodIndex: number;
  readonly period: string;
  /** Last period the count covers (the last one starting within the lead time). */
  readonly throughPeriod: string;
  readonly fleet: number;
  readonly nodesNeeded: number;
  readonly nodesToAdd: number;
}

/** No count up to `maxNodes` serves the sized demand of a period within the SLOs and the cap. */
export interface Unservable {
  readonly kind: 'unservable';
  readonly variant: string;
  readonly service: string;
  readonly periodIndex: number;
  readonly period: string;
  readonly demand: number;
  readonly unit: string;
  readonly maxNodes: number;
  /** What maxNodes nodes serve within the SLOs and the cap. */
  readonly maxDemand: number;
}
