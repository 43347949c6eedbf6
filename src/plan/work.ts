import { MAX_PLANNED_NODES } from './limits.js';
import type { ServiceModel } from '../model/resource-model.js';
import type { VariantSpec } from '../model/plan-scenario.js';
import type { exhaustionOf } from './exhaustion.js';
import type { FleetLimits } from './fleet-rules.js';
import { nodeCapacity, sizeService, type Slo, type SizingService } from './sizing.js';
import type { Confirmation, DemandSeries } from './types.js';

/**
 * The planner's unit of work: one variant × service, with its demand per period, the analytic sizing of every period,
 * the current fleet's limit, and (after simulation) the confirmations. Internal to src/plan. Immutable: each phase
 * (sizing, confirmation) returns new items.
 */
export interface PlanItem {
  readonly variant: VariantSpec;
  readonly name: string;
  readonly service: ServiceModel;
  readonly baseService: ServiceModel;
  readonly sizing: SizingService;
  readonly baseSizing: SizingService;
  readonly demand: DemandSeries;
  readonly slo: Slo;
  readonly sized: readonly SizedPeriod[];
  readonly peakIndex: number;
  /** What the current fleet serves within the SLOs, and the analytic exhaustion. */
  readonly fleetMax: number;
  readonly fleetMaxByMemory: boolean;
  /** What the current fleet serves under each rule (cap, redundancy, SLO, saturation). */
  readonly fleetLimits: FleetLimits;
  readonly exhaustion: ReturnType<typeof exhaustionOf>;
  /** Periods no count up to maxNodes serves, and the most that count serves within the SLOs and the cap. */
  readonly unservable: { readonly periods: readonly number[]; readonly maxNodes: number; readonly maxDemand: number } | undefined;
  readonly confirmations: readonly Confirmation[];
  readonly confirmationNote: string;
}

export interface SizedPeriod {
  readonly nodesSlo: number;
  readonly nodesRequired: number;
  /**
   * What the survivors of a failure (a zone, or k nodes) must reach: the SLOs and the degraded-mode ceiling on every
   * resource. At least nodesSlo.
   */
  readonly nodesSurvive: number;
  /** Fewest nodes below 100% utilisation on every resource (fewer saturate). */
  readonly nodesStable: number;
  readonly binding: string;
  /** Compute alone (SLOs and utilisation cap; SLOs only). */
  readonly computeRequired: number;
  readonly computeSlo: number;
  readonly memory: { readonly need: number; readonly required: number } | undefined;
}


/** Utilisation ceilings a count is sized against: the planned cap, and the ceiling for survivors of a failure. */
export interface Ceilings {
  readonly maxUtilization: number;
  readonly maxUtilizationDegraded: number;
}

/** Smallest whole count with `load / (count × perNode) <= ceiling` (a hair of tolerance for rounding), at least 1. */
function countAt(load: number, perNode: number, ceiling: number): number {
  return Math.max(1, Math.ceil((load / (perNode * ceiling)) * (1 - 1e-12)));
}

/**
 * Size a service at one demand: compute by the queueing formulas, memory by arithmetic, the larger count wins. The
 * survivors' count (nodesSurvive) holds the SLOs and the degraded ceiling on compute and memory.
 */
export function sizeAt(
  sizing: SizingService,
  lambda: number,
  slo: Slo,
  ceilings: Ceilings,
  memPerUnit: number | undefined,
  nodeMemoryGiB: number | undefined,
): SizedPeriod {
  const { maxUtilization, maxUtilizationDegraded } = ceilings;
  const z = sizeService(sizing, lambda, slo, maxUtilization);
  const perNode = nodeCapacity(sizing);
  let nodesRequired = z.nodesRequired;
  let binding: string = z.binding;
  let memory: SizedPeriod['memory'];
  let memoryDegraded = 0;
  let memoryStable = 0;
  if (memPerUnit !== undefined && nodeMemoryGiB !== undefined) {
    const gib = lambda * memPerUnit;
    // All of it must fit (the SLO-side need); the planned cap applies on top.
    const need = countAt(gib, nodeMemoryGiB, 1);
    const required = countAt(gib, nodeMemoryGiB, maxUtilization);
    memory = { need, required };
    memoryDegraded = countAt(gib, nodeMemoryGiB, maxUtilizationDegraded);
    memoryStable = gib > 0 ? Math.floor(gib / nodeMemoryGiB) + 1 : 1;
    if (required > nodesRequired) {
      nodesRequired = required;
      binding = 'memory';
    }
  }
  const nodesSlo = Math.max(z.nodesSlo, memory?.need ?? 0);
  const computeDegraded = lambda > 0 ? countAt(lambda, perNode, maxUtilizationDegraded) : 1;
  const computeStable = lambda > 0 ? Math.floor(lambda / perNode) + 1 : 1;
  return {
    nodesSlo,
    nodesRequired,
    nodesSurvive: Math.max(nodesSlo, computeDegraded, memoryDegraded),
    nodesStable: Math.max(computeStable, memoryStable),
    binding,
    computeRequired: z.nodesRequired,
    computeSlo: z.nodesSlo,
    memory,
  };
}
