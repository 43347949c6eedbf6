import type { ResourceModel } from '../model/resource-model.js';
import type { PlanScenario, VariantSpec } from '../model/plan-scenario.js';
import { reservedPeriodCost } from './cost.js';
import { quantileLabel } from './demand-quantile.js';
import type { ForecastDrivers } from './drivers.js';
import { planFindings } from './findings.js';
import { ruleDates, runsOutOf, type RunsOut } from './fleet-rules.js';
import { applyRedundancy, redundancyRuleOf, survivorsOfZoneLoss, type RedundancyRule } from './redundancy.js';
import { planReservations, reservedByPeriod } from './reservations.js';
import { nodeTypeOf } from './service-variant.js';
import { evaluateService } from './sizing.js';
import type { CapacityPlan, DemandSeries, Exhaustion, PlanPeriod, ResourcePeriod, ServicePeriod, ServicePlan, VariantPlan } from './types.js';
import { describeVariant, priceFactor } from './variants.js';
import type { PlanItem } from './work.js';

/** What the plan says about how it was run (seed, simulation settings), beyond the scenario and the items. */
export interface AssemblySettings {
  readonly seed: number;
  readonly replicas: number;
  readonly arrivals: number;
  readonly simulated: boolean;
  readonly simulations: number;
  readonly confirmationRule: string;
  readonly method: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * Phase "assembly": the CapacityPlan from the (confirmed) items. Per item and period: redundancy on top of the
 * sized count, the analytic figures at that count, the current fleet's headroom and cost; per variant the earliest
 * exhaustion and the totals; and the findings about the current fleet today.
 */
export function assemblePlan(
  scenario: PlanScenario,
  model: ResourceModel,
  forecast: ForecastDrivers,
  items: readonly PlanItem[],
  demandByVariant: ReadonlyMap<string, readonly DemandSeries[]>,
  settings: AssemblySettings,
): CapacityPlan {
  const { periods } = forecast;
  const rule = redundancyRuleOf(scenario, model);
  const variants = [...new Set(items.map((x) => x.variant))];
  const variantPlans = variants.map((variant) =>
    variantPlanOf(
      variant,
      demandByVariant.get(variant.name)!,
      items.filter((x) => x.variant === variant).map((item) => servicePlanOf(scenario, model, periods, rule, item)),
      periods,
    ),
  );
  return {
    format: 'headroom-plan/2',
    scenario: { name: scenario.name, file: scenario.file, description: scenario.description, seed: settings.seed },
    model: {
      name: model.name,
      file: scenario.modelFile,
      zones: model.zones,
      nodeTypes: model.nodeTypes.map((t) => ({
        name: t.name,
        vcpus: t.vcpus,
        memoryGiB: t.memoryGiB,
        hourlyPrice: t.hourlyPrice,
        committedHourlyPrice: t.committedHourlyPrice,
      })),
    },
    currency: model.currency,
    period: scenario.period,
    periods,
    quantile: scenario.quantile,
    quantileLabel: quantileLabel(scenario.quantile),
    maxUtilization: scenario.maxUtilization,
    maxUtilizationDegraded: scenario.maxUtilizationDegraded,
    redundancy: { spare: scenario.redundancy.spare, zoneLoss: scenario.redundancy.zoneLoss, zones: model.zones.length },
    leadTimeDays: scenario.leadTime / 86400,
    committedShare: scenario.commitment.share,
    commitmentTermMonths: scenario.commitment.termMonths,
    failOn: scenario.failOn,
    drivers: forecast.assumptions,
    derived: scenario.demand,
    variants: variantPlans,
    simulation: {
      enabled: settings.simulated,
      rule: settings.confirmationRule,
      runs: settings.simulations,
      replicas: settings.replicas,
      arrivalsPerReplica: settings.arrivals,
    },
    method: settings.method,
    warnings: settings.warnings,
    findings: planFindings(variantPlans, items, periods, rule, scenario.leadTime * 1000),
  };
}

/** One service of one variant: every period sized with redundancy, priced, and held against the current fleet. */
function servicePlanOf(scenario: PlanScenario, model: ResourceModel, periods: readonly PlanPeriod[], rule: RedundancyRule, item: PlanItem): ServicePlan {
  const { name, service, sizing, demand, slo, sized, variant } = item;
  const spec = scenario.services[name]!;
  const fleet = spec.fleet;
  const nodeType = nodeTypeOf(model, service.nodeType);
  const memPerUnit = service.memoryGiBPerUnit;
  const limits = item.fleetLimits;
  const ex = item.exhaustion;
  const exhaustion: Exhaustion = { ...ex, period: ex.periodIndex === undefined ? undefined : periods[ex.periodIndex]!.label };
  const rules = ruleDates(limits, demand.sized, periods);
  const counts = sized.map((z) => applyRedundancy(z.nodesRequired, z.nodesSurvive, rule));
  const prices = periods.map((per) => {
    const pf = priceFactor(variant, per.startMs);
    return { hourly: nodeType.hourlyPrice * pf, committedHourly: nodeType.committedHourlyPrice === undefined ? undefined : nodeType.committedHourlyPrice * pf };
  });
  const termPeriods = scenario.period === 'month' ? scenario.commitment.termMonths : scenario.commitment.termMonths / 3;
  const reservations = planReservations(
    periods.map((per, i) => ({ hours: per.hours, startMs: per.startMs, label: per.label, planned: counts[i]!.nodes, ...prices[i]! })),
    scenario.commitment.share,
    scenario.commitment.termMonths,
    termPeriods,
  );
  const reserved = reservedByPeriod(reservations, periods.length, termPeriods);
  const servicePeriods: ServicePeriod[] = periods.map((per, i) => {
    const z = sized[i]!;
    const lambda = demand.sized[i]!;
    const red = counts[i]!;
    const ev = evaluateService(sizing, lambda, red.nodes, slo);
    const c = reservedPeriodCost(red.nodes, reserved[i]!, per.hours, prices[i]!);
    const memoryBinding = z.binding === 'memory';
    const resources: ResourcePeriod[] = [
      {
        resource: 'compute',
        unit: spec.unit,
        demandP50: demand.p50[i]!,
        demandSized: lambda,
        nodesRequired: z.computeRequired,
        nodesWithRedundancy: red.nodes,
        utilization: ev.utilization,
        cost: memoryBinding ? 0 : c.cost,
      },
    ];
    if (z.memory && memPerUnit !== undefined) {
      resources.push({
        resource: 'memory',
        unit: 'GiB',
        demandP50: demand.p50[i]! * memPerUnit,
        demandSized: lambda * memPerUnit,
        nodesRequired: z.memory.required,
        nodesWithRedundancy: red.nodes,
        utilization: (lambda * memPerUnit) / (red.nodes * nodeType.memoryGiB!),
        cost: memoryBinding ? c.cost : 0,
      });
    }
    return {
      periodIndex: i,
      demandP50: demand.p50[i]!,
      demandSized: lambda,
      peakMs: demand.peakMs[i]!,
      nodesSlo: z.nodesSlo,
      nodesRequired: z.nodesRequired,
      nodesSurvive: z.nodesSurvive,
      binding: z.binding,
      nodesWithRedundancy: red.nodes,
      redundancyRule: red.rule,
      zoneLossSurvivors: rule.zones !== undefined ? survivorsOfZoneLoss(red.nodes, rule.zones) : undefined,
      utilization: ev.utilization,
      latency: ev.latency,
      errorRate: ev.errorRate,
      countSetBy: red.rule === 'none' ? z.binding : red.rule,
      fleetMeetsSlo: lambda <= limits.slo,
      headroom: lambda > 0 ? limits.cap / lambda - 1 : Infinity,
      fleetShortOf: rules.filter((r) => r.asked && r.periodIndex !== undefined && r.periodIndex <= i && lambda > r.maxDemand!).map((r) => r.rule),
      nodesToBuy: Math.max(0, red.nodes - fleet),
      hourlyPrice: prices[i]!.hourly,
      committedHourlyPrice: prices[i]!.committedHourly,
      committedNodes: c.committedNodes,
      onDemandNodes: c.onDemandNodes,
      cost: c.cost,
      resources,
    };
  });
  return {
    service: name,
    nodeType: nodeType.name,
    unit: spec.unit,
    demandExpression: spec.demand,
    hourlyPrice: nodeType.hourlyPrice,
    committedHourlyPrice: nodeType.committedHourlyPrice,
    fleet,
    fleetMaxDemand: limits.slo,
    fleetMaxDemandAtCap: limits.cap,
    rules,
    runsOut: runsOutOf(rules, periods, scenario.leadTime * 1000),
    reservations,
    slo: { latency: slo.latency, maxErrorRate: slo.maxErrorRate },
    exhaustion,
    redundancyShortfall: shortfall(servicePeriods, fleet, periods),
    periods: servicePeriods,
    costByYear: byYear(periods, servicePeriods.map((p) => p.cost)),
    totalCost: servicePeriods.reduce((a, p) => a + p.cost, 0),
    confirmations: item.confirmations,
    confirmationNote: item.confirmationNote,
  };
}

/** A variant: its services, the earliest exhaustion over them, and the cost per period, year and in total. */
function variantPlanOf(variant: VariantSpec, demand: readonly DemandSeries[], services: readonly ServicePlan[], periods: readonly PlanPeriod[]): VariantPlan {
  const costByPeriod = periods.map((_, i) => services.reduce((a, s) => a + s.periods[i]!.cost, 0));
  let first: ServicePlan | undefined;
  for (const s of services) {
    if (s.exhaustion.periodIndex !== undefined && (first === undefined || s.exhaustion.periodIndex < first.exhaustion.periodIndex!)) first = s;
  }
  let out: ServicePlan | undefined;
  for (const s of services) {
    if (s.runsOut.periodIndex !== undefined && (out === undefined || s.runsOut.periodIndex < out.runsOut.periodIndex!)) out = s;
  }
  return {
    name: variant.name,
    description: describeVariant(variant),
    demand,
    services,
    exhaustion: first
      ? { ...first.exhaustion, service: first.service }
      : { periodIndex: undefined, period: undefined, dateMs: undefined, orderByMs: undefined, overdue: false, service: undefined },
    runsOut: out ? { ...out.runsOut, service: out.service } : { ...NEVER_RUNS_OUT, service: undefined },
    costByPeriod,
    costByYear: byYear(periods, costByPeriod),
    totalCost: costByPeriod.reduce((a, b) => a + b, 0),
  };
}

const NEVER_RUNS_OUT: RunsOut = { rule: undefined, periodIndex: undefined, period: undefined, dateMs: undefined, orderByMs: undefined, overdue: false, already: false };

/** The first period whose count with redundancy exceeds the fleet. */
function shortfall(sp: readonly ServicePeriod[], fleet: number, periods: readonly PlanPeriod[]): { periodIndex: number; period: string } | undefined {
  const i = sp.findIndex((p) => p.nodesWithRedundancy > fleet);
  return i < 0 ? undefined : { periodIndex: i, period: periods[i]!.label };
}

/** Sum `costs` (one per period) by the calendar year each period starts in. */
function byYear(periods: readonly PlanPeriod[], costs: readonly number[]): Array<{ year: number; cost: number }> {
  const years = new Map<number, number>();
  periods.forEach((p, i) => {
    const y = new Date(p.startMs).getUTCFullYear();
    years.set(y, (years.get(y) ?? 0) + costs[i]!);
  });
  return [...years].map(([year, cost]) => ({ year, cost }));
}
