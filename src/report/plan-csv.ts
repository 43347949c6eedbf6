import { stringify } from 'csv-stringify/sync';
import type { CapacityPlan } from '../plan/types.js';

/** The columns of plan.csv, in order. */
export const PLAN_CSV_COLUMNS = [
  'period',
  'variant',
  'service',
  'resource',
  'demand_p50',
  'demand_sized',
  'unit',
  'nodes_required',
  'nodes_with_redundancy',
  'utilization',
  'cost',
  'currency',
] as const;

/** Rounding of the written numbers: demand to 3 decimals, utilisation to 4, cost to cents. */
export const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/**
 * plan.csv: tidy, one row per period × variant × service × resource (compute, and memory when the model gives
 * memoryGiBPerUnit), with exactly the columns of PLAN_CSV_COLUMNS. A period's cost sits on the row of the resource that
 * set the node count (0 on the other), so summing the cost column gives the plan's total. `period` is the period label
 * (2026-01 or 2026-Q1); utilisation is a fraction.
 */
export function planCsv(plan: CapacityPlan): string {
  const rows: Array<Array<string | number>> = [];
  for (const v of plan.variants) {
    for (const per of plan.periods) {
      for (const s of v.services) {
        const sp = s.periods[per.index]!;
        for (const r of sp.resources) {
          rows.push([
            per.label,
            v.name,
            s.service,
            r.resource,
            round(r.demandP50, 3),
            round(r.demandSized, 3),
            r.unit,
            r.nodesRequired,
            r.nodesWithRedundancy,
            round(r.utilization, 4),
            round(r.cost, 2),
            plan.currency,
          ]);
        }
      }
    }
  }
  return stringify(rows, { header: true, columns: [...PLAN_CSV_COLUMNS] });
}
