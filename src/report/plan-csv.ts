import { stringify } from 'csv-stringify/sync';
import type { CapacityPlan } from '../plan/types.js';

/**
 * The columns of plan.csv, in order. Every header names its unit: `_in_unit` is the row's `unit` column (req/s,
 * GiB), `_fraction` a fraction (0.7 = 70%), `_in_currency` the `currency` column, `_nodes` a node count.
 */
export const PLAN_CSV_COLUMNS = [
  'period',
  'variant',
  'service',
  'resource',
  'unit',
  'demand_p50_in_unit',
  'demand_sized_in_unit',
  'fleet_nodes',
  'resource_needs_nodes',
  'planned_nodes',
  'nodes_to_buy',
  'utilization_fraction',
  'headroom_at_cap_fraction',
  'count_set_by',
  'fleet_short_of',
  'runs_out_period',
  'runs_out_rule',
  'order_by_date',
  'reserved_nodes',
  'on_demand_nodes',
  'hourly_price_in_currency_per_node_hour',
  'committed_price_in_currency_per_node_hour',
  'cost_in_currency',
  'currency',
] as const;

/** Rounding of the written numbers: demand to 3 decimals, fractions to 4, prices to 6, cost to cents. */
export const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** A finite number rounded, or an empty cell (a headroom over zero demand has no value). */
const cell = (x: number | undefined, digits: number): number | string => (x === undefined || !Number.isFinite(x) ? '' : round(x, digits));

function day(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString().slice(0, 10);
}

/**
 * plan.csv: tidy, one row per period × variant × service × resource (compute, and memory when the model gives
 * memoryGiBPerUnit), with exactly the columns of PLAN_CSV_COLUMNS. `planned_nodes` is the count the plan runs in the
 * period (all resources, redundancy) and `utilization_fraction` this resource's utilisation on that count;
 * `resource_needs_nodes` what this resource alone needs at the cap. A period's cost sits on the row of the resource
 * that set the node count (0 on the other), so summing the cost column gives the plan's total. `runs_out_*` and
 * `order_by_date` repeat the service's headline (first rule the current fleet breaks) on every row.
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
            r.unit,
            round(r.demandP50, 3),
            round(r.demandSized, 3),
            s.fleet,
            r.nodesRequired,
            r.nodesWithRedundancy,
            sp.nodesToBuy,
            round(r.utilization, 4),
            cell(sp.headroom, 4),
            sp.countSetBy,
            sp.fleetShortOf.join(' '),
            s.runsOut.period ?? 'beyond',
            s.runsOut.rule ?? '',
            day(s.runsOut.orderByMs),
            sp.committedNodes,
            sp.onDemandNodes,
            cell(sp.hourlyPrice, 6),
            cell(sp.committedHourlyPrice, 6),
            round(r.cost, 2),
            plan.currency,
          ]);
        }
      }
    }
  }
  return stringify(rows, { header: true, columns: [...PLAN_CSV_COLUMNS] });
}
