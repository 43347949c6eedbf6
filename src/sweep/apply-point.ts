import type { PlanScenario, VariantSpec } from '../model/plan-scenario.js';
import type { ResourceModel } from '../model/resource-model.js';
import { formatAxisValue, type SweepAxis, type SweepPoint } from '../model/sweep.js';
import { serviceForVariant } from '../plan/service-variant.js';

/** The name of the plan variant that carries a grid point's demand and price changes. */
export const POINT_VARIANT = 'sweep-point';

/** The inputs of one grid point's plan. */
export interface PointInputs {
  readonly scenario: PlanScenario;
  readonly model: ResourceModel;
  /** True when the point is carried by a variant (read `plan.variants[1]`); false: the base plan is the point. */
  readonly viaVariant: boolean;
}

/**
 * The scenario and model of one grid point. Each axis lands where the plan already has the concept:
 * - demand and price (growth, launch, price) and future node types (nodeType) go into one plan variant, the plan's
 *   what-if machinery (plan/variants.ts): the forecast is shared, and the current fleet stays on today's node type;
 * - what the service *is* (serviceTimeScale, workersPerNode) changes the resource model itself, so the current fleet
 *   is judged with it too: a slower service runs out sooner, not only costs more;
 * - rules of the plan (maxUtilization, sloLatency, quantile, leadTime) and demand ratios (demand.NAME, the derived
 *   expression times the factor) change the scenario.
 * Later axes win where two touch the same thing (`serviceTimeScale` then `serviceTimeScale.api`).
 */
export function applyPoint(scenario: PlanScenario, model: ResourceModel, axes: readonly SweepAxis[], point: SweepPoint): PointInputs {
  const planned = Object.keys(scenario.services);
  const services: Record<string, { nodeType: string | undefined; serviceTimeScale: number; workersPerNode: number | undefined }> = {};
  const modelServices: Record<string, { serviceTimeScale: number; workersPerNode: number | undefined }> = {};
  let growth = 0;
  let price: VariantSpec['price'];
  const launches: Array<VariantSpec['launches'][number]> = [];
  let s: PlanScenario = scenario;
  const described: string[] = [];
  axes.forEach((axis, i) => {
    const v = point[i]!;
    described.push(`${axis.name}=${formatAxisValue(axis, v)}`);
    const targets = axis.target === undefined ? planned : [axis.target];
    switch (axis.field) {
      case 'growth':
        growth = v as number;
        break;
      case 'launch':
        // From the beginning of time: the whole horizon, as a level shift of the forecast.
        launches.push({ atMs: Number.MIN_SAFE_INTEGER, multiplier: v as number, drivers: axis.target === undefined ? undefined : [axis.target] });
        break;
      case 'price':
        price = { multiplier: v as number, fromMs: undefined };
        break;
      case 'nodeType':
        for (const t of targets) services[t] = { ...(services[t] ?? { serviceTimeScale: 1, workersPerNode: undefined }), nodeType: v as string };
        break;
      case 'serviceTimeScale':
        for (const t of targets) modelServices[t] = { ...(modelServices[t] ?? { workersPerNode: undefined }), serviceTimeScale: v as number };
        break;
      case 'workersPerNode':
        for (const t of targets) modelServices[t] = { ...(modelServices[t] ?? { serviceTimeScale: 1 }), workersPerNode: v as number };
        break;
      case 'maxUtilization':
        s = { ...s, maxUtilization: v as number };
        break;
      case 'quantile':
        s = { ...s, quantile: v as number };
        break;
      case 'leadTime':
        s = { ...s, leadTime: v as number };
        break;
      case 'sloLatency': {
        const next = { ...s.services };
        for (const t of targets) {
          const svc = next[t]!;
          if (svc.slo.latency) next[t] = { ...svc, slo: { ...svc.slo, latency: { ...svc.slo.latency, target: v as number } } };
        }
        s = { ...s, services: next };
        break;
      }
      case 'demand':
        s = { ...s, demand: s.demand.map((d) => (d.name === axis.target ? { name: d.name, expression: `(${d.expression}) * ${String(v)}` } : d)) };
        break;
    }
  });
  let m = model;
  if (Object.keys(modelServices).length > 0) {
    m = {
      ...model,
      services: model.services.map((svc) => {
        const o = modelServices[svc.name];
        if (!o) return svc;
        const asVariant: VariantSpec = { name: POINT_VARIANT, description: undefined, growth: 0, launches: [], price: undefined, services: { [svc.name]: { nodeType: undefined, ...o } } };
        return serviceForVariant(svc, asVariant);
      }),
    };
  }
  const viaVariant = growth !== 0 || launches.length > 0 || price !== undefined || Object.keys(services).length > 0;
  const variant: VariantSpec = { name: POINT_VARIANT, description: described.join(', ') || 'the scenario as it is', growth, launches, price, services };
  return { scenario: { ...s, variants: viaVariant ? [variant] : [] }, model: m, viaVariant };
}
