import type { EvalFunction } from 'mathjs';
import type { ResourceModel } from '../model/resource-model.js';
import type { PlanScenario, VariantSpec } from '../model/plan-scenario.js';
import { HeadroomError } from '../errors.js';
import { variantDemand, type ForecastDrivers } from './drivers.js';
import { exhaustionOf } from './exhaustion.js';
import { nodeTypeOf, serviceForVariant, sizingServiceOf } from './service-variant.js';
import { fleetLimitsOf } from './fleet-rules.js';
import { redundancyRuleOf } from './redundancy.js';
import { nodeCapacity, UnreachableSlo } from './sizing.js';
import type { DemandSeries } from './types.js';
import { BASE_VARIANT } from './variants.js';
import { MAX_PLANNED_NODES } from './limits.js';
import { sizeAt, type PlanItem, type SizedPeriod } from './work.js';

/** The sizing phase's result: one item per variant × service (variant-major), and each variant's demand series. */
export interface SizedItems {
  readonly items: readonly PlanItem[];
  /** Per variant name: drivers, derived names, then services whose name is not already there. */
  readonly demandByVariant: ReadonlyMap<string, readonly DemandSeries[]>;
}

/**
 * Phase "sizing" (analytic, synchronous): for every variant, service and period, the smallest count that meets the
 * SLOs and the utilisation cap (compute by the queueing formulas, memory by arithmetic), and what the current fleet
 * serves within the SLOs with the period it first falls short (the analytic exhaustion).
 * @throws HeadroomError when a service's SLO is out of reach at any count, or a memory-sized service runs on a node
 *   type without memoryGiB.
 */
export function sizeItems(
  scenario: PlanScenario,
  model: ResourceModel,
  forecast: ForecastDrivers,
  compile: (text: string) => EvalFunction,
  /** Progress: called once per variant × service × period sized. */
  onItem?: (done: number, total: number, label: string) => void,
): SizedItems {
  const variants = [BASE_VARIANT, ...scenario.variants];
  const serviceNames = Object.keys(scenario.services);
  // Progress counts periods: a long plan moves the bar within each service, not only between them.
  const total = variants.length * serviceNames.length * forecast.periods.length;
  let done = 0;
  const onPeriod = (label: string): void => {
    done++;
    onItem?.(done, total, label);
  };
  const items: PlanItem[] = [];
  const demandByVariant = new Map<string, readonly DemandSeries[]>();
  for (const variant of variants) {
    const { all, services } = variantDemand(scenario, forecast, variant, compile);
    demandByVariant.set(variant.name, [...all.values(), ...[...services.values()].filter((d) => !all.has(d.name))]);
    for (const name of serviceNames) {
      items.push(sizeItem(scenario, model, forecast, variant, name, services.get(name)!, () => onPeriod(`${variant.name}/${name}`)));
    }
  }
  return { items, demandByVariant };
}

/** One variant × service: its sizing per period and the current fleet's limit. */
function sizeItem(
  scenario: PlanScenario,
  model: ResourceModel,
  forecast: ForecastDrivers,
  variant: VariantSpec,
  name: string,
  demand: DemandSeries,
  onPeriod: () => void,
): PlanItem {
  const spec = scenario.services[name]!;
  const baseService = model.services.find((s) => s.name === name)!;
  const service = serviceForVariant(baseService, variant);
  const sizing = sizingServiceOf(service);
  const nodeType = nodeTypeOf(model, service.nodeType);
  const memPerUnit = service.memoryGiBPerUnit;
  if (memPerUnit !== undefined && nodeType.memoryGiB === undefined) {
    throw new HeadroomError(
      'CONFIG_INVALID',
      `${scenario.modelFile} nodeTypes[${model.nodeTypes.indexOf(nodeType)}].memoryGiB: missing; expected the memory of a ${nodeType.name} node, since service ${name} has memoryGiBPerUnit`,
    );
  }
  const ceilings = { maxUtilization: scenario.maxUtilization, maxUtilizationDegraded: scenario.maxUtilizationDegraded };
  const memory = memPerUnit !== undefined && nodeType.memoryGiB !== undefined ? { gibPerUnit: memPerUnit, nodeGiB: nodeType.memoryGiB } : undefined;
  // Beyond what the node limit serves at the cap (or when the SLO needs more nodes than the searches allow) a period is
  // a finding, not a count. The bound is arithmetic: queueing formulas at that many servers would be slow.
  const atLimit = Math.min(
    MAX_PLANNED_NODES * nodeCapacity(sizing) * scenario.maxUtilization,
    memory === undefined ? Infinity : (MAX_PLANNED_NODES * memory.nodeGiB * scenario.maxUtilization) / memory.gibPerUnit,
  );
  const unservable: number[] = [];
  const sizePeriod = (l: number, i: number): SizedPeriod => {
    try {
      if (l <= atLimit) return sizeAt(sizing, l, spec.slo, ceilings, memPerUnit, nodeType.memoryGiB);
    } catch (e) {
      if (e instanceof UnreachableSlo) {
        throw new HeadroomError('INPUT_INVALID', `${scenario.file} services.${name}.slo: ${e.message}${variant === BASE_VARIANT ? '' : ` (variant ${variant.name})`}; loosen the SLO or make requests cheaper`);
      }
      // smallestPassing's RangeError: no count within its search limit meets the SLO.
      if (!(e instanceof RangeError)) throw e;
    }
    unservable.push(i);
    return beyondLimit(memory !== undefined);
  };
  const sized = demand.sized.map((l, i) => {
    const z = sizePeriod(l, i);
    onPeriod();
    return z;
  });
  const peakIndex = demand.sized.reduce((best, v, i, a) => (v > a[best]! ? i : best), 0);
  // The current fleet runs the model's service as it is today, on today's node type.
  const baseSizing = variant === BASE_VARIANT ? sizing : sizingServiceOf(baseService);
  const baseType = nodeTypeOf(model, baseService.nodeType);
  const baseMemory =
    baseService.memoryGiBPerUnit !== undefined && baseType.memoryGiB !== undefined ? { gibPerUnit: baseService.memoryGiBPerUnit, nodeGiB: baseType.memoryGiB } : undefined;
  const fleetLimits = fleetLimitsOf(baseSizing, spec.fleet, spec.slo, baseMemory, ceilings, redundancyRuleOf(scenario, model));
  const fleetMax = fleetLimits.slo;
  const fleetMaxByMemory = fleetLimits.sloByMemory;
  const exhaustion = exhaustionOf(
    forecast.periods.map((p) => p.startMs),
    demand.sized,
    fleetMax,
    scenario.leadTime * 1000,
  );
  return {
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
    fleetLimits,
    exhaustion,
    unservable: unservable.length > 0 ? { periods: unservable, maxNodes: MAX_PLANNED_NODES, maxDemand: atLimit } : undefined,
    confirmations: [],
    confirmationNote: 'not confirmed by simulation (--no-sim)',
  };
}

/** The sizing of a period no count up to MAX_PLANNED_NODES serves: the limit, marked (the plan states it as a finding). */
function beyondLimit(withMemory: boolean): SizedPeriod {
  const n = MAX_PLANNED_NODES;
  return {
    nodesSlo: n,
    nodesRequired: n,
    nodesSurvive: n,
    nodesStable: n,
    binding: `beyond ${n.toLocaleString('en-US')} nodes`,
    computeRequired: n,
    computeSlo: n,
    memory: withMemory ? { need: n, required: n } : undefined,
  };
}
