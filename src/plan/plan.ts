import type { EvalFunction } from 'mathjs';
import type { ResourceModel } from '../model/resource-model.js';
import type { PlanScenario, VariantSpec } from '../model/plan-scenario.js';
import { HeadroomError } from '../errors.js';
import { forecast as defaultForecast } from '../forecast/forecast.js';
import type { ForecastFn, ForecastResult } from '../forecast/types.js';
import type { ReadResult } from '../series/types.js';
import { periodCost } from './cost.js';
import {
  compileExpression,
  defaultStart,
  evaluateExpression,
  horizonSteps,
  periodPeaks,
  planPeriods,
  prepareDriverSeries,
  stepDemand,
  type StepDemand,
} from './demand.js';
import { quantileLabel } from './demand-quantile.js';
import { loadMathjs } from '../model/demand-math.js';
import { exhaustionOf, maxDemandWithinSlo } from './exhaustion.js';
import { applyRedundancy, survivorsOfZoneLoss } from './redundancy.js';
import { serviceForVariant, sizingServiceOf, nodeTypeOf } from './service-variant.js';
import { evaluateService, nodeCapacity, UnreachableSlo } from './sizing.js';
import type {
  CapacityPlan,
  DemandSeries,
  DriverAssumption,
  Exhaustion,
  PlanPeriod,
  ResourcePeriod,
  ServicePeriod,
  ServicePlan,
  VariantPlan,
} from './types.js';
import { BASE_VARIANT, describeVariant, priceFactor, variantFactor } from './variants.js';
import { confirmItems, CONFIRMATION_RULE, type Confirmer } from './confirmation.js';
import { sizeAt, type PlanItem, type SizedPeriod } from './work.js';

export { CONFIRMATION_RULE, arrivalsFor, MIN_ARRIVALS_PER_NODE, MAX_STRETCHED_ARRIVALS, RELAXATION_TIMES } from './confirmation.js';
export type { Confirmer, ConfirmRequest, ConfirmResult } from './confirmation.js';

export interface PlanInputs {
  readonly scenario: PlanScenario;
  readonly model: ResourceModel;
  /** History per driver name, as read by the series readers. */
  readonly history: Readonly<Record<string, ReadResult>>;
}

export interface PlanOptions {
  /** Simulation confirmation; absent = analytic only (`--no-sim`). */
  readonly confirm?: Confirmer | undefined;
  readonly forecast?: ForecastFn | undefined;
  /** Seed override (default: the scenario's). */
  readonly seed?: number | undefined;
  /** Replicas and arrivals per replica override (default: the scenario's `simulation`). */
  readonly replicas?: number | undefined;
  readonly arrivals?: number | undefined;
  /** Progress: (done, total, what). */
  readonly onProgress?: ((done: number, total: number, label: string) => void) | undefined;
  /** A monotonic clock in ms for the timing split (default: none, timings 0). */
  readonly clock?: (() => number) | undefined;
}

export interface PlanTimings {
  readonly forecastMs: number;
  readonly analyticMs: number;
  readonly simulationMs: number;
  readonly simulations: number;
  readonly cacheHits: number;
}

interface Prepared {
  readonly drivers: ReadonlyMap<string, StepDemand>;
  readonly assumptions: DriverAssumption[];
  readonly periods: PlanPeriod[];
}

function forecastDrivers(inputs: PlanInputs, forecastFn: ForecastFn, seed: number): Prepared {
  const { scenario } = inputs;
  let lastMs = -Infinity;
  for (const name of Object.keys(scenario.drivers)) {
    const read = inputs.history[name];
    if (!read) throw new HeadroomError('INPUT_INVALID', `${scenario.file} drivers.${name}: no history was read for this driver`);
    lastMs = Math.max(lastMs, read.series.t[read.series.t.length - 1]!);
  }
  const startMs = scenario.startMs ?? defaultStart(lastMs, scenario.period);
  const periods = planPeriods(startMs, scenario.period, scenario.horizon);
  const endMs = periods[periods.length - 1]!.endMs;
  if (periods[0]!.endMs <= lastMs) {
    const what = scenario.period === 'month' ? 'a month' : 'a quarter';
    throw new HeadroomError(
      'INPUT_INVALID',
      `${scenario.file} start: expected ${what} that ends after the history does (last point ${new Date(lastMs).toISOString().slice(0, 10)}), got ${periods[0]!.label}`,
    );
  }
  const prepared = new Map<string, { series: ReturnType<typeof prepareDriverSeries>; read: ReadResult }>();
  for (const name of Object.keys(scenario.drivers)) {
    const read = inputs.history[name]!;
    prepared.set(name, { series: prepareDriverSeries(read.series, endMs), read });
  }
  const drivers = new Map<string, StepDemand>();
  const assumptions: DriverAssumption[] = [];
  for (const [name, { series: p, read }] of prepared) {
    const spec = scenario.drivers[name]!;
    const s = p.series;
    let fc: ForecastResult;
    try {
      fc = forecastFn(s, {
        horizon: horizonSteps(s, endMs),
        model: spec.model as ForecastResult['modelName'] | 'auto',
        seed,
        ...(spec.seasonality !== undefined ? { seasonalPeriods: spec.seasonality } : {}),
      });
    } catch (e) {
      if (e instanceof HeadroomError) throw new HeadroomError(e.code, `${scenario.file} drivers.${name}: ${e.message}`, { exitCode: e.exitCode === 0 ? 2 : e.exitCode });
      throw e;
    }
    drivers.set(name, stepDemand(fc, scenario.quantile));
    const r = read.repairs;
    const repairs = [
      ...(r.filledGaps.length ? [`${r.filledGaps.reduce((a, g) => a + g.points, 0)} missing points filled by interpolation`] : []),
      ...(r.duplicatesDropped ? [`${r.duplicatesDropped} duplicate rows dropped`] : []),
      ...(r.resampled ? ['irregular timestamps resampled onto the step'] : []),
      ...(r.notes ?? []),
    ];
    assumptions.push({
      name,
      unit: spec.unit,
      source: spec.historyAsWritten ?? read.series.source,
      historyPoints: read.series.t.length,
      historyStartMs: read.series.t[0]!,
      historyEndMs: read.series.t[read.series.t.length - 1]!,
      forecastStepMs: s.stepMs,
      dailyPeaks: p.dailyPeaks,
      model: fc.model,
      seasonalPeriods: fc.seasonalPeriods,
      rmse: fc.quality.rmse,
      mase: fc.quality.mase,
      repairs,
    });
  }
  return { drivers, assumptions, periods };
}

/** Demand of every name (drivers, derived, services) for one variant. */
function variantDemand(
  inputs: PlanInputs,
  prepared: Prepared,
  variant: VariantSpec,
  compile: (text: string) => EvalFunction,
): { all: Map<string, DemandSeries>; services: Map<string, DemandSeries> } {
  const { scenario } = inputs;
  const start = prepared.periods[0]!.startMs;
  const all = new Map<string, DemandSeries>();
  for (const [name, d] of prepared.drivers) {
    all.set(name, periodPeaks(name, scenario.drivers[name]!.unit, d, prepared.periods, variantFactor(variant, name, start)));
  }
  for (const { name, expression } of scenario.demand) {
    all.set(name, evaluateExpression(compileExpression(name, expression, compile), '', all, prepared.periods, `${scenario.file} demand.${name}`));
  }
  const services = new Map<string, DemandSeries>();
  for (const [name, svc] of Object.entries(scenario.services)) {
    services.set(name, evaluateExpression(compileExpression(name, svc.demand, compile), svc.unit, all, prepared.periods, `${scenario.file} services.${name}.demand`));
  }
  return { all, services };
}

/**
 * Plan capacity: forecast every driver once, then for every variant, service and period size the service at the
 * period's sized peak demand (analytic), apply redundancy, price it, find when the current fleet runs out, and — when a
 * confirmer is given — confirm the binding counts by simulation (see CONFIRMATION_RULE).
 *
 * Pure apart from the injected confirmer: the same inputs and seed give the same plan.
 * @throws HeadroomError for history too short to forecast, expressions that give negative or non-numeric demand.
 */
export async function planCapacity(inputs: PlanInputs, options: PlanOptions = {}): Promise<{ plan: CapacityPlan; timings: PlanTimings }> {
  const { scenario, model } = inputs;
  const clock = options.clock ?? (() => 0);
  const seed = options.seed ?? scenario.seed;
  const replicas = options.replicas ?? scenario.simulation.replicas;
  const arrivals = options.arrivals ?? scenario.simulation.arrivals;
  const math = await loadMathjs();
  const compile = (text: string): EvalFunction => math.compile(text);
  const t0 = clock();
  const prepared = forecastDrivers(inputs, options.forecast ?? defaultForecast, seed);
  const t1 = clock();
  const { periods } = prepared;
  const variants = [BASE_VARIANT, ...scenario.variants];
  const zones = scenario.redundancy.zoneLoss ? model.zones.length : undefined;
  const rule = { spare: scenario.redundancy.spare, zones };
  const warnings: string[] = [];
  const serviceNames = Object.keys(scenario.services);
  const totalWork = variants.length * serviceNames.length;
  let done = 0;
  let simMs = 0;
  let simulations = 0;
  let cacheHits = 0;
  const variantPlans: VariantPlan[] = [];

  // Phase 1 (analytic, synchronous): demand and sizing of every variant × service × period.
  const items: PlanItem[] = [];
  const demandByVariant = new Map<string, DemandSeries[]>();
  for (const variant of variants) {
    const { all, services: serviceDemand } = variantDemand(inputs, prepared, variant, compile);
    demandByVariant.set(variant.name, [...all.values(), ...[...serviceDemand.values()].filter((d) => !all.has(d.name))]);
    for (const name of serviceNames) {
      const spec = scenario.services[name]!;
      const baseService = model.services.find((s) => s.name === name)!;
      const service = serviceForVariant(baseService, variant);
      const sizing = sizingServiceOf(service);
      const nodeType = nodeTypeOf(model, service.nodeType);
      const demand = serviceDemand.get(name)!;
      const memPerUnit = service.memoryGiBPerUnit;
      if (memPerUnit !== undefined && nodeType.memoryGiB === undefined) {
        throw new HeadroomError(
          'CONFIG_INVALID',
          `${scenario.modelFile} nodeTypes[${model.nodeTypes.indexOf(nodeType)}].memoryGiB: missing; expected the memory of a ${nodeType.name} node, since service ${name} has memoryGiBPerUnit`,
        );
      }
      let sized: SizedPeriod[];
      try {
        sized = demand.sized.map((l) => sizeAt(sizing, l, spec.slo, scenario.maxUtilization, memPerUnit, nodeType.memoryGiB));
      } catch (e) {
        if (e instanceof UnreachableSlo) {
          throw new HeadroomError('INPUT_INVALID', `${scenario.file} services.${name}.slo: ${e.message}${variant === BASE_VARIANT ? '' : ` (variant ${variant.name})`}; loosen the SLO or make requests cheaper`);
        }
        throw e;
      }
      const peakIndex = demand.sized.reduce((best, v, i, a) => (v > a[best]! ? i : best), 0);
      // Fleet headroom and exhaustion: the current fleet runs the model's service as it is today.
      const baseSizing = variant === BASE_VARIANT ? sizing : sizingServiceOf(baseService);
      let fleetMax = maxDemandWithinSlo(baseSizing, spec.fleet, spec.slo, nodeCapacity(baseSizing));
      let fleetMaxByMemory = false;
      if (baseService.memoryGiBPerUnit !== undefined) {
        const baseType = nodeTypeOf(model, baseService.nodeType);
        const byMemory = (spec.fleet * (baseType.memoryGiB ?? Infinity)) / baseService.memoryGiBPerUnit;
        if (byMemory < fleetMax) {
          fleetMax = byMemory;
          fleetMaxByMemory = true;
        }
      }
      const exhaustion = exhaustionOf(
        periods.map((p) => p.startMs),
        demand.sized,
        fleetMax,
        scenario.leadTime * 1000,
      );
      items.push({
        variant,
        name,
        service,
        baseService,
        sizing,
        baseSizing,
        demand,
        slo: spec.slo,
        sized,
        peakIndex,
        fleetMax,
        fleetMaxByMemory,
        exhaustion,
        confirmations: [],
        confirmationNote: 'not confirmed by simulation (--no-sim)',
      });
    }
  }
  const t2a = clock();

  // Phase 2 (simulation): confirm every item's binding period, all items at once (the confirmer queues the replicas).
  if (options.confirm) {
    const counts = await confirmItems(items, {
      confirm: options.confirm,
      scenario,
      model,
      periods,
      rule,
      replicas,
      arrivals,
      seed,
      warnings,
      onProgress: options.onProgress,
    });
    simulations = counts.simulations;
    cacheHits = counts.cacheHits;
  }
  const t2b = clock();
  simMs = t2b - t2a;

  // Phase 3: redundancy, fleet headroom, exhaustion and cost.
  for (const variant of variants) {
    const servicePlans: ServicePlan[] = [];
    for (const item of items.filter((x) => x.variant === variant)) {
      const { name, service, sizing, demand, slo, sized } = item;
      const spec = scenario.services[name]!;
      const nodeType = nodeTypeOf(model, service.nodeType);
      const memPerUnit = service.memoryGiBPerUnit;
      const fleet = spec.fleet;
      const fleetMax = item.fleetMax;
      const ex = item.exhaustion;
      const exhaustion: Exhaustion = { ...ex, period: ex.periodIndex === undefined ? undefined : periods[ex.periodIndex]!.label };
      const servicePeriods: ServicePeriod[] = periods.map((per, i) => {
        const z = sized[i]!;
        const lambda = demand.sized[i]!;
        const red = applyRedundancy(z.nodesRequired, z.nodesSlo, rule);
        const ev = evaluateService(sizing, lambda, red.nodes, slo);
        const pf = priceFactor(variant, per.startMs);
        const price = {
          hourly: nodeType.hourlyPrice * pf,
          committedHourly: nodeType.committedHourlyPrice === undefined ? undefined : nodeType.committedHourlyPrice * pf,
        };
        const c = periodCost(red.nodes, per.hours, price, scenario.commitment.share);
        const memoryBinding = z.binding === 'memory';
        const resources: ResourcePeriod[] = [
          {
            resource: 'compute',
            unit: spec.unit,
            demandP50: demand.p50[i]!,
            demandSized: lambda,
            nodesRequired: z.computeRequired,
            nodesWithRedundancy: applyRedundancy(z.computeRequired, z.computeSlo, rule).nodes,
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
            nodesWithRedundancy: applyRedundancy(z.memory.required, z.memory.need, rule).nodes,
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
          binding: z.binding,
          nodesWithRedundancy: red.nodes,
          redundancyRule: red.rule,
          zoneLossSurvivors: zones !== undefined ? survivorsOfZoneLoss(red.nodes, zones) : undefined,
          utilization: ev.utilization,
          latency: ev.latency,
          errorRate: ev.errorRate,
          fleetMeetsSlo: lambda <= fleetMax,
          headroom: lambda > 0 ? fleetMax / lambda - 1 : Infinity,
          committedNodes: c.committedNodes,
          onDemandNodes: c.onDemandNodes,
          cost: c.cost,
          resources,
        };
      });
      servicePlans.push({
        service: name,
        nodeType: nodeType.name,
        unit: spec.unit,
        demandExpression: spec.demand,
        hourlyPrice: nodeType.hourlyPrice,
        committedHourlyPrice: nodeType.committedHourlyPrice,
        fleet,
        fleetMaxDemand: fleetMax,
        slo: { latency: slo.latency, maxErrorRate: slo.maxErrorRate },
        exhaustion,
        redundancyShortfall: shortfall(servicePeriods, fleet, periods),
        periods: servicePeriods,
        costByYear: byYear(periods, servicePeriods.map((p) => p.cost)),
        totalCost: servicePeriods.reduce((a, p) => a + p.cost, 0),
        confirmations: item.confirmations,
        confirmationNote: item.confirmationNote,
      });
      if (!options.confirm) {
        done++;
        options.onProgress?.(done, totalWork, `${variant.name}/${name}`);
      }
    }
    const costByPeriod = periods.map((_, i) => servicePlans.reduce((a, s) => a + s.periods[i]!.cost, 0));
    let first: ServicePlan | undefined;
    for (const s of servicePlans) {
      if (s.exhaustion.periodIndex !== undefined && (first === undefined || s.exhaustion.periodIndex < first.exhaustion.periodIndex!)) first = s;
    }
    variantPlans.push({
      name: variant.name,
      description: describeVariant(variant),
      demand: demandByVariant.get(variant.name)!,
      services: servicePlans,
      exhaustion: first
        ? { ...first.exhaustion, service: first.service }
        : { periodIndex: undefined, period: undefined, dateMs: undefined, orderByMs: undefined, overdue: false, service: undefined },
      costByPeriod,
      costByYear: byYear(periods, costByPeriod),
      totalCost: costByPeriod.reduce((a, b) => a + b, 0),
    });
  }
  const t2 = clock();

  const plan: CapacityPlan = {
    format: 'headroom-plan/1',
    scenario: { name: scenario.name, file: scenario.file, description: scenario.description, seed },
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
    redundancy: { spare: scenario.redundancy.spare, zoneLoss: scenario.redundancy.zoneLoss, zones: model.zones.length },
    leadTimeDays: scenario.leadTime / 86400,
    committedShare: scenario.commitment.share,
    drivers: prepared.assumptions,
    derived: scenario.demand,
    variants: variantPlans,
    simulation: {
      enabled: options.confirm !== undefined,
      rule: CONFIRMATION_RULE,
      runs: simulations,
      replicas,
      arrivalsPerReplica: arrivals,
    },
    method: METHOD,
    warnings,
  };
  return { plan, timings: { forecastMs: t1 - t0, analyticMs: t2 - t1 - simMs, simulationMs: simMs, simulations, cacheHits } };
}

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

/** How the plan's numbers are derived; copied into plan.json and the Assumptions sheet. */
export const METHOD: readonly string[] = [
  'History finer than a day is reduced to daily peaks when the plan reaches more than about two months past it (shorter plans forecast the sub-daily series with its daily and weekly cycles); each driver is forecast once to the end of the horizon.',
  "A period's demand is its peak step (day, or hour for short plans): the largest median (the forecast mean) and the largest sized quantile over the period.",
  'Quantiles other than the forecast bounds come from a normal fitted by least squares to the 80% and 95% bounds on the same side of the median.',
  'Derived demand is evaluated per period on the peaks (exact for a function increasing in one driver; conservative when peaks of several drivers do not coincide).',
  'Sizing: Erlang C with the Allen-Cunneen correction for general service times; the response-time percentile from the exponential conditional wait convolved with the service time (exact for M/M/c); drops from M/M/c/K; USL services as load-dependent birth-death queues (exponential wait, per-concurrency exponential service).',
  'The reported count is the smallest meeting the SLOs and the planned utilisation cap; with zone-loss redundancy the survivors of losing the largest zone must meet the SLO.',
  'Cost: nodes with redundancy x hours in the period x price per node-hour; the committed share (whole nodes, rounded down) at the committed price.',
  'Exhaustion: the first period whose sized peak exceeds what the current fleet serves within the SLOs; order-by = its start minus the lead time.',
];
