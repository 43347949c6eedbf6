/**
 * Redundancy rules: N+k spare nodes, and surviving the loss of one of Z zones at peak.
 *
 * Nodes are spread evenly over the zones (node i in zone i mod Z), so the largest zone holds ⌈n/Z⌉ of n nodes and
 * losing it leaves n − ⌈n/Z⌉. The survivors must still meet the SLO (not the planned utilisation cap: a zone outage is
 * the moment to run hot), so the zone rule asks for the smallest n with n − ⌈n/Z⌉ >= nodes the SLO needs.
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
 * @param nodesSlo nodes for the SLOs alone (what zone-loss survivors must reach)
 */
export function applyRedundancy(nodesRequired: number, nodesSlo: number, rule: RedundancyRule): RedundantCount {
  const withSpare = nodesRequired + rule.spare;
  if (rule.zones === undefined || rule.zones < 2) return { nodes: withSpare, rule: rule.spare > 0 ? 'spare' : 'none', survivors: undefined };
  const zone = nodesForZoneLoss(nodesSlo, rule.zones);
  const nodes = Math.max(withSpare, zone);
  const which = zone > withSpare ? 'zone-loss' : rule.spare > 0 ? 'spare' : 'none';
  return { nodes, rule: which, survivors: survivorsOfZoneLoss(nodes, rule.zones) };
}
