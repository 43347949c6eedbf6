import { nodesForZoneLoss, redundancyNeed, type RedundancyRule } from './redundancy.js';
import type { FleetRule, PlanFinding, PlanPeriod, ServicePeriod, ServicePlan, ShortNow, Unservable, VariantPlan } from './types.js';
import type { PlanItem } from './work.js';

/**
 * What the plan finds, for the console's first lines and the CI check:
 * - short-now: a service of the base plan whose current fleet breaks a rule (SLO, cap, redundancy) in the first
 *   period, or before an order placed today arrives (its date minus the lead time is before the plan starts), with
 *   the count to add. A fleet of 0 is a service not deployed yet: planning it is not a shortfall.
 * - unservable: a variant's service with a period no count up to the node limit serves (the first such period).
 */
export function planFindings(
  variants: readonly VariantPlan[],
  items: readonly PlanItem[],
  periods: readonly PlanPeriod[],
  rule: RedundancyRule,
  leadTimeMs: number,
): readonly PlanFinding[] {
  const base = variants[0];
  const first = periods[0];
  if (!base || !first) return [];
  // The last period an order placed today cannot reach: the one that starts before the lead time is over.
  let window = 0;
  while (window + 1 < periods.length && periods[window + 1]!.startMs < first.startMs + leadTimeMs) window++;
  const shortNow: ShortNow[] = [];
  for (const rn of ['slo', 'cap', 'redundancy'] as const) {
    for (const s of base.services) {
      const f = shortNowOf(s, rn, periods, window, rule, base.name);
      if (f) shortNow.push(f);
    }
  }
  const unservable: Unservable[] = items.flatMap((item) => {
    const u = item.unservable;
    if (!u) return [];
    const i = u.periods[0]!;
    return [
      {
        kind: 'unservable' as const,
        variant: item.variant.name,
        service: item.name,
        periodIndex: i,
        period: periods[i]!.label,
        demand: item.demand.sized[i]!,
        unit: item.demand.unit,
        maxNodes: u.maxNodes,
        maxDemand: u.maxDemand,
      },
    ];
  });
  return [...unservable, ...shortNow];
}

/** The nodes rule `rn` needs in one period. */
function needOf(p: ServicePeriod, rn: FleetRule, rule: RedundancyRule): number {
  if (rn === 'slo') return p.nodesSlo;
  if (rn === 'cap') return p.nodesRequired;
  return redundancyNeed(p.nodesRequired, p.nodesSurvive, rule);
}

function shortNowOf(s: ServicePlan, rn: 'slo' | 'cap' | 'redundancy', periods: readonly PlanPeriod[], window: number, rule: RedundancyRule, variant: string): ShortNow | undefined {
  if (s.fleet < 1) return undefined;
  const date = s.rules.find((r) => r.rule === rn);
  if (!date?.asked || date.periodIndex === undefined || date.periodIndex > window) return undefined;
  const from = date.periodIndex;
  let need = 0;
  for (let j = from; j <= window; j++) need = Math.max(need, needOf(s.periods[j]!, rn, rule));
  const p = s.periods[from]!;
  let cover: ShortNow['cover'];
  if (rn === 'redundancy') {
    const spareShort = rule.spare > 0 && s.fleet - rule.spare < Math.max(p.nodesRequired, p.nodesSurvive);
    const zoneShort = rule.zones !== undefined && rule.zones >= 2 && s.fleet < nodesForZoneLoss(p.nodesSurvive, rule.zones);
    cover = spareShort && zoneShort ? 'zone-loss and spare' : spareShort ? 'spare' : 'zone-loss';
  }
  return {
    kind: 'short-now',
    rule: rn,
    cover,
    variant,
    service: s.service,
    periodIndex: from,
    period: periods[from]!.label,
    throughPeriod: periods[Math.max(from, window)]!.label,
    fleet: s.fleet,
    nodesNeeded: need,
    // The rule is broken by the demand limit; at the edge of rounding the count may already match: add at least one.
    nodesToAdd: Math.max(1, need - s.fleet),
  };
}
