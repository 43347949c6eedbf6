import type { ServiceModel } from '../config/model.js';
import type { VariantSpec } from '../config/plan-scenario.js';
import type { exhaustionOf } from './exhaustion.js';
import { sizeService, type Slo, type SizingService } from './sizing.js';
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
  readonly exhaustion: ReturnType<typeof exhaustionOf>;
  readonly confirmations: readonly Confirmation[];
  readonly confirmationNote: string;
}

export interface SizedPeriod {
  readonly nodesSlo: number;
  readonly nodesRequired: number;
  readonly binding: string;
  /** Compute alone (SLOs and utilisation cap; SLOs only). */
  readonly computeRequired: number;
  readonly computeSlo: number;
  readonly memory: { readonly need: number; readonly required: number } | undefined;
}

/** Size a service at one demand: compute by the queueing formulas, memory by arithmetic, the larger count wins. */
export function sizeAt(sizing: SizingService, lambda: number, slo: Slo, maxUtilization: number, memPerUnit: number | undefined, nodeMemoryGiB: number | undefined): SizedPeriod {
  const z = sizeService(sizing, lambda, slo, maxUtilization);
  let nodesRequired = z.nodesRequired;
  let binding: string = z.binding;
  let memory: SizedPeriod['memory'];
  if (memPerUnit !== undefined && nodeMemoryGiB !== undefined) {
    const gib = lambda * memPerUnit;
    // All of it must fit (the SLO-side need); the planned cap applies on top.
    const need = Math.max(1, Math.ceil((gib / nodeMemoryGiB) * (1 - 1e-12)));
    const required = Math.max(1, Math.ceil((gib / (nodeMemoryGiB * maxUtilization)) * (1 - 1e-12)));
    memory = { need, required };
    if (required > nodesRequired) {
      nodesRequired = required;
      binding = 'memory';
    }
  }
  return {
    nodesSlo: Math.max(z.nodesSlo, memory?.need ?? 0),
    nodesRequired,
    binding,
    computeRequired: z.nodesRequired,
    computeSlo: z.nodesSlo,
    memory,
  };
}

