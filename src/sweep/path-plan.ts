import type { EvalFunction } from 'mathjs';
import type { PlanScenario } from '../model/plan-scenario.js';
import type { ResourceModel } from '../model/resource-model.js';
import { periodCost } from '../plan/cost.js';
import { compileExpression, evaluateExpression, periodPeaks, type CompiledExpression, type StepDemand } from '../plan/demand.js';
import { exhaustionOf } from '../plan/exhaustion.js';
import { applyRedundancy, type RedundancyRule } from '../plan/redundancy.js';
import { nodeTypeOf, sizingServiceOf } from '../plan/service-variant.js';
import type { SizingService, Slo } from '../plan/sizing.js';
import type { CapacityPlan, DemandSeries, PlanPeriod } from '../plan/types.js';
import { sizeAt } from '../plan/work.js';

/** One Monte-Carlo path's plan: cost and, per service, the exhaustion period (-1: not within the horizon). */
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
 * it equal to planCapacity on a path. One addition: node counts are memoised per service in a MonotoneSizing.
 */
export class PathPlanner {
  private readonly derived: CompiledExpression[];
  private readonly serviceExpr: CompiledExpression[];
  private readonly services: ServiceCosting[];
  private readonly starts: number[];

  constructor(
    private readonly scenario: PlanScenario,
    model: ResourceModel,
    base: CapacityPlan,
    compile: (text: string) => EvalFunction,
  ) {
    this.derived = scenario.demand.map((d) => compileExpression(d.name, d.expression, compile));
    this.serviceExpr = Object.entries(scenario.services).map(([name, s]) => compileExpression(name, s.demand, compile));
    const zones = scenario.redundancy.zoneLoss ? model.zones.length : undefined;
    const rule: RedundancyRule = { spare: scenario.redundancy.spare, zones };
    this.services = Object.entries(scenario.services).map(([name, spec]) => {
      const service = model.services.find((s) => s.name === name)!;
      const nodeType = nodeTypeOf(model, service.nodeType);
      const planned = base.variants[0]!.services.find((s) => s.service === name)!;
      return {
        name,
        unit: spec.unit,
        sizing: new MonotoneSizing(sizingServiceOf(service), spec.slo, scenario.maxUtilization, service.memoryGiBPerUnit, nodeType.memoryGiB),
        price: { hourly: nodeType.hourlyPrice, committedHourly: nodeType.committedHourlyPrice },
        fleetMax: planned.fleetMaxDemand,
        rule,
      };
    });
    this.periods = base.periods;
    this.starts = base.periods.map((p) => p.startMs);
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
      let cost = 0;
      for (let i = 0; i < periods.length; i++) {
        const z = svc.sizing.at(demand.sized[i]!);
        const red = applyRedundancy(z.nodesRequired, z.nodesSlo, svc.rule);
        cost += periodCost(red.nodes, periods[i]!.hours, svc.price, scenario.commitment.share).cost;
      }
      const ex = exhaustionOf(this.starts, demand.sized, svc.fleetMax, scenario.leadTime * 1000);
      exhaustion.push(ex.periodIndex ?? -1);
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
  readonly fleetMax: number;
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
  private readonly counts: Array<{ nodesRequired: number; nodesSlo: number }> = [];

  constructor(
    private readonly sizing: SizingService,
    private readonly slo: Slo,
    private readonly maxUtilization: number,
    private readonly memPerUnit: number | undefined,
    private readonly nodeMemoryGiB: number | undefined,
  ) {}

  at(demand: number): { nodesRequired: number; nodesSlo: number } {
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
      if (a.nodesRequired === b.nodesRequired && a.nodesSlo === b.nodesSlo) return a;
    }
    const z = sizeAt(this.sizing, demand, this.slo, this.maxUtilization, this.memPerUnit, this.nodeMemoryGiB);
    const c = { nodesRequired: z.nodesRequired, nodesSlo: z.nodesSlo };
    d.splice(lo, 0, demand);
    this.counts.splice(lo, 0, c);
    return c;
  }
}
