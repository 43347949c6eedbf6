import type { ResourceModel } from '../model/resource-model.js';
import type { PlanScenario } from '../model/plan-scenario.js';

/**
 * Redundancy rules: N+k spare nodes, and surviving the loss of one of Z zones at peak.
 *
 * Nodes are spread evenly over the zones (node i in zone i mod Z), so the largest zone holds ⌈n/Z⌉ of n nodes and
 * losing it leaves n − ⌈n/Z⌉. The survivors must still meet the SLO and stay under the degraded-mode ceiling
 * (maxUtilizationDegraded, above the planned cap: an outage is the moment to run hotter, but not at the edge of
 * saturation, where bursts break the SLO), so the zone rule asks for the smallest n with n − ⌈n/Z⌉ >= the survivors'
 * count. N+k asks for k spares on top of the larger of the planned count and the survivors' count.
 */
export interface RedundancyRule {
  /** k of N+k: spare nodes on top of what the demand needs. */
  readonly spare: number;
  /** Z: survive the loss of any one of this many zones; undefined or < 2 = no zone rule. */
  readonly zones: number | undefined;
}

/** Nodes left when the largest of `zones` zones is lost from `nodes` spread evenly. @example survivorsOfZoneLoss(6, 3) // => 4 */
export function survivorsOfZoneLoss(nodes: number, zones: number): number {
  return nodes - Math.ceil(nodes / zones);
}

/** Smallest n whose survivors of a zone loss number at least `needed`. @example nodesForZoneLoss(4, 3) // => 6 */
export function nodesForZoneLoss(needed: number, zones: number): number {
  // n − ⌈n/Z⌉ >= needed ⇔ ⌊n (Z−1)/Z⌋ >= needed; start from the real-valued bound and step up.
  let n = Math.max(needed, Math.ceil((needed * zones) / (zones - 1)) - 1);
  while (survivorsOfZoneLoss(n, zones) < needed) n++;
  return n;
}

export interface RedundantCount {
  /** Nodes to run: the largest of nodesRequired + spare and the zone rule. */
  readonly nodes: number;
  /** Which rule set the count: 'none', 'spare' or 'zone-loss'. */
  readonly rule: 'none' | 'spare' | 'zone-loss';
  /** Nodes left after losing the largest zone (undefined without a zone rule). */
  readonly survivors: number | undefined;
}

/**
 * @param nodesRequired nodes for the SLOs and the utilisation cap
 * @param nodesSurvive nodes the survivors of a failure must reach (the SLOs and the degraded-mode ceiling)
 * @example applyRedundancy(10, 8, { spare: 0, zones: 3 }) // => { nodes: 12, rule: 'zone-loss', survivors: 8 }
 */
export function applyRedundancy(nodesRequired: number, nodesSurvive: number, rule: RedundancyRule): RedundantCount {
  const withSpare = Math.max(nodesRequired, nodesSurvive) + rule.spare;
  if (rule.zones === undefined || rule.zones < 2) return { nodes: withSpare, rule: rule.spare > 0 ? 'spare' : 'none', survivors: undefined };
  const zone = nodesForZoneLoss(nodesSurvive, rule.zones);
  const nodes = Math.max(withSpare, zone);
  const which = zone > withSpare ? 'zone-loss' : rule.spare > 0 ? 'spare' : 'none';
  return { nodes, rule: which, survivors: survivorsOfZoneLoss(nodes, rule.zones) };
}

/** True when the scenario asks for any redundancy (spares or zone loss). */
export function asksRedundancy(rule: RedundancyRule): boolean {
  return rule.spare > 0 || (rule.zones !== undefined && rule.zones >= 2);
}

/**
 * The count the redundancy rules alone need (not the utilisation cap on all nodes): with k nodes lost the rest hold
 * the planned count and the survivors' count; with the largest zone lost its survivors hold the survivors' count.
 * 0 when the scenario asks for no redundancy.
 * @example redundancyNeed(10, 8, { spare: 0, zones: 3 }) // => 12 (8 survivors of 12 over 3 zones)
 */
export function redundancyNeed(nodesRequired: number, nodesSurvive: number, rule: RedundancyRule): number {
  const spare = rule.spare > 0 ? Math.max(nodesRequired, nodesSurvive) + rule.spare : 0;
  const zone = rule.zones !== undefined && rule.zones >= 2 ? nodesForZoneLoss(nodesSurvive, rule.zones) : 0;
  return Math.max(spare, zone);
}

/** The redundancy rule a scenario asks for, with the model's zone count when zone loss is on. */
export function redundancyRuleOf(scenario: Pick<PlanScenario, 'redundancy'>, model: Pick<ResourceModel, 'zones'>): RedundancyRule {
  return { spare: scenario.redundancy.spare, zones: scenario.redundancy.zoneLoss ? model.zones.length : undefined };
}
