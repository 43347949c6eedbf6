import type { DemandEvaluator } from '../model/demand-expression.js';
import type { PlanScenario } from '../model/plan-scenario.js';
import type { ResourceModel } from '../model/resource-model.js';
import { reservedPeriodCost } from '../plan/cost.js';
import { compileExpression, evaluateExpression, periodPeaks, type CompiledExpression, type StepDemand } from '../plan/demand.js';
import { fleetLimitsOf, ruleDates, runsOutOf, type FleetLimits } from '../plan/fleet-rules.js';
import { applyRedundancy, redundancyRuleOf, type RedundancyRule } from '../plan/redundancy.js';
import { planReservations, reservedByPeriod } from '../plan/reservations.js';
import { nodeTypeOf, sizingServiceOf } from '../plan/service-variant.js';
import type { SizingService, Slo } from '../plan/sizing.js';
import type { CapacityPlan, DemandSeries, PlanPeriod } from '../plan/types.js';
import { sizeAt, type Ceilings } from '../plan/work.js';

/**
 * One Monte-Carlo path's plan: cost and, per service, the period the current fleet runs out by the plan's own rules
 * (the first of cap, N+k or zone-loss cover and SLO to fail; -1: not within the horizon).
 */
export interface PathOutcome {
  readonly path: number;
  readonly totalCost: number;
  /** Per service, in the scenario's order. */
  readonly exhaustion: readonly number[];
  readonly serviceCost: readonly number[];
}

/**
 * The base plan's sizing, dating and costing of one demand path, without the rest of `planCapacity` (assumptions,
 * report fields, variants), since a Monte-Carlo plan runs it a thousand times. It mirrors planCapacity's phases 1 and 3
 * step for step for the base variant and no simulation — the same functions (periodPeaks, evaluateExpression, sizeAt,
 * applyRedundancy, periodCost, exhaustionOf), and the current fleet's limit taken from the base plan — and a test holds
 * it equal to planCapacity on a path. The current fleet's limits per rule (fleetLimitsOf) depend only on the fleet,
 * so they are computed once; "runs out" is dated from them as planCapacity dates it (ruleDates, runsOutOf). One
 * addition: node counts are memoised per service in a MonotoneSizing.
 */
export class PathPlanner {
  private readonly derived: CompiledExpression[];
  private readonly serviceExpr: CompiledExpression[];
  private readonly services: ServiceCosting[];

  constructor(
    private readonly scenario: PlanScenario,
    model: ResourceModel,
    base: CapacityPlan,
    compile: (text: string) => DemandEvaluator,
  ) {
    this.derived = scenario.demand.map((d) => compileExpression(d.name, d.expression, compile));
    this.serviceExpr = Object.entries(scenario.services).map(([name, s]) => compileExpression(name, s.demand, compile));
    const rule: RedundancyRule = redundancyRuleOf(scenario, model);
    const ceilings: Ceilings = { maxUtilization: scenario.maxUtilization, maxUtilizationDegraded: scenario.maxUtilizationDegraded };
    this.services = Object.entries(scenario.services).map(([name, spec]) => {
      const service = model.services.find((s) => s.name === name)!;
      const nodeType = nodeTypeOf(model, service.nodeType);
      const sizing = sizingServiceOf(service);
      const memory = service.memoryGiBPerUnit !== undefined && nodeType.memoryGiB !== undefined ? { gibPerUnit: service.memoryGiBPerUnit, nodeGiB: nodeType.memoryGiB } : undefined;
      return {
        name,
        unit: spec.unit,
        sizing: new MonotoneSizing(sizing, spec.slo, ceilings, service.memoryGiBPerUnit, nodeType.memoryGiB),
        price: { hourly: nodeType.hourlyPrice, committedHourly: nodeType.committedHourlyPrice },
        fleetLimits: fleetLimitsOf(sizing, spec.fleet, spec.slo, memory, ceilings, rule),
        rule,
      };
    });
    this.periods = base.periods;
  }

  private readonly periods: readonly PlanPeriod[];

  /** Plan one path: `drivers` maps each driver to its step demand (median = sized = the path). */
  plan(path: number, drivers: ReadonlyMap<string, StepDemand>): PathOutcome {
    const { scenario, periods } = this;
    const all = new Map<string, DemandSeries>();
    for (const [name, d] of drivers) all.set(name, periodPeaks(name, scenario.drivers[name]!.unit, d, periods, one));
    for (const e of this.derived) all.set(e.name, evaluateExpression(e, '', all, periods, `${scenario.file} demand.${e.name}`));
    let totalCost = 0;
    const exhaustion: number[] = [];
    const serviceCost: number[] = [];
    this.services.forEach((svc, k) => {
      const demand = evaluateExpression(this.serviceExpr[k]!, svc.unit, all, periods, `${scenario.file} services.${svc.name}.demand`);
      const counts = demand.sized.map((d) => {
        const z = svc.sizing.at(d);
        return applyRedundancy(z.nodesRequired, z.nodesSurvive, svc.rule).nodes;
      });
      // Reservations bought for this path's counts, as planCapacity buys them for the forecast's.
      const termPeriods = scenario.period === 'month' ? scenario.commitment.termMonths : scenario.commitment.termMonths / 3;
      const reservations = planReservations(
        periods.map((per, i) => ({ hours: per.hours, startMs: per.startMs, label: per.label, planned: counts[i]!, ...svc.price })),
        scenario.commitment.share,
        scenario.commitment.termMonths,
        termPeriods,
      );
      const reserved = reservedByPeriod(reservations, periods.length, termPeriods);
      let cost = 0;
      for (let i = 0; i < periods.length; i++) cost += reservedPeriodCost(counts[i]!, reserved[i]!, periods[i]!.hours, svc.price).cost;
      const runsOut = runsOutOf(ruleDates(svc.fleetLimits, demand.sized, periods), periods, scenario.leadTime * 1000);
      exhaustion.push(runsOut.periodIndex ?? -1);
      serviceCost.push(cost);
      totalCost += cost;
    });
    return { path, totalCost, exhaustion, serviceCost };
  }
}

const one = (): number => 1;

interface ServiceCosting {
  readonly name: string;
  readonly unit: string;
  readonly sizing: MonotoneSizing;
  readonly price: { hourly: number; committedHourly: number | undefined };
  /** What the current fleet serves under each rule (cap, cover, SLO, saturation). */
  readonly fleetLimits: FleetLimits;
  readonly rule: RedundancyRule;
}

/**
 * Node counts of one service as a function of demand, memoised: the counts (for the SLOs alone, and with the
 * utilisation cap and memory) never fall as demand rises (the SLOs are monotone in demand, plan/exhaustion.ts), so when
 * two demands already sized give the same counts, every demand between them has those counts too. Exact, and after a
 * few hundred paths nearly every lookup is a binary search.
 */
export class MonotoneSizing {
  private readonly demands: number[] = [];
  private readonly counts: Array<{ nodesRequired: number; nodesSlo: number; nodesSurvive: number }> = [];

  constructor(
    private readonly sizing: SizingService,
    private readonly slo: Slo,
    private readonly ceilings: Ceilings,
    private readonly memPerUnit: number | undefined,
    private readonly nodeMemoryGiB: number | undefined,
  ) {}

  at(demand: number): { nodesRequired: number; nodesSlo: number; nodesSurvive: number } {
    const d = this.demands;
    let lo = 0;
    let hi = d.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (d[mid]! < demand) lo = mid + 1;
      else hi = mid;
    }
    if (lo < d.length && d[lo] === demand) return this.counts[lo]!;
    if (lo > 0 && lo < d.length) {
      const a = this.counts[lo - 1]!;
      const b = this.counts[lo]!;
      if (a.nodesRequired === b.nodesRequired && a.nodesSlo === b.nodesSlo && a.nodesSurvive === b.nodesSurvive) return a;
    }
    const z = sizeAt(this.sizing, demand, this.slo, this.ceilings, this.memPerUnit, this.nodeMemoryGiB);
    const c = { nodesRequired: z.nodesRequired, nodesSlo: z.nodesSlo, nodesSurvive: z.nodesSurvive };
    d.splice(lo, 0, demand);
    this.counts.splice(lo, 0, c);
    return c;
  }
}
