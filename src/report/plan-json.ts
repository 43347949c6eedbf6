import type { CapacityPlan } from '../plan/types.js';

/**
 * plan.json: the whole CapacityPlan, indented, with a trailing newline. Times are epoch milliseconds (fields ending in
 * `Ms`); an infinite headroom (no demand) is written as null, as JSON has no Infinity.
 */
export function planJson(plan: CapacityPlan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
