import type { PlanFinding, PlanPeriod, VariantPlan } from './types.js';

/**
 * What the plan finds about the current fleet today: each service of the base plan whose current fleet already
 * breaks an SLO at the first period's sized peak. A fleet of 0 is a service not deployed yet: planning it is not a
 * shortfall. The CLI exits 1 on these (a check the plan failed); the plan itself is complete either way.
 */
export function currentFleetFindings(variants: readonly VariantPlan[], periods: readonly PlanPeriod[]): readonly PlanFinding[] {
  const base = variants[0];
  const first = periods[0];
  if (!base || !first) return [];
  return base.services
    .filter((s) => s.fleet > 0 && s.periods[0] !== undefined && !s.periods[0].fleetMeetsSlo)
    .map((s) => ({
      kind: 'short-now' as const,
      rule: 'slo' as const,
      variant: base.name,
      service: s.service,
      periodIndex: 0,
      period: first.label,
      fleet: s.fleet,
      nodesNeeded: s.periods[0]!.nodesSlo,
    }));
}
