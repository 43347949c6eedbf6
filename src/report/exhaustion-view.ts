import type { CapacityPlan, FleetRule, RuleDate as RuleDateOfPlan, RunsOut, ServicePlan, VariantPlan } from '../plan/types.js';

/**
 * The one place the report reads "runs out" from plan.json: every chart, card and sentence asks this adapter. The
 * headline is the plan's `runsOut` (the first of the rules the scenario asks for to fail for the current fleet, and
 * that rule), and `rules` gives the date of each rule (utilisation cap, N+k or zone-loss cover, SLO, saturation).
 */
export interface RuleDate {
  /** e.g. "utilisation cap 70%", "zone-loss cover", "SLO", "saturation". */
  readonly rule: string;
  readonly period: string | undefined;
  readonly dateMs: number | undefined;
}

export interface ExhaustionView {
  /** First period the current fleet breaks a rule the scenario asks for; undefined when it keeps them all. */
  readonly period: string | undefined;
  readonly periodIndex: number | undefined;
  readonly dateMs: number | undefined;
  readonly orderByMs: number | undefined;
  /** The lead time reaches back before the plan starts: order now. */
  readonly overdue: boolean;
  /** A rule already fails in the first period: the fleet is short now. */
  readonly already: boolean;
  /** The service that runs out first (for a variant), or the service itself. */
  readonly service: string | undefined;
  /** The rule that binds, in words ("zone-loss cover", "utilisation cap 70%", "SLO"). */
  readonly binding: string | undefined;
  /** Dates by rule, earliest first, when known. */
  readonly byRule: readonly RuleDate[];
}

const BINDING_WORDS: Record<string, string> = { utilization: 'utilisation cap', latency: 'latency SLO', errors: 'error-rate SLO', memory: 'memory' };

/** The plan's `binding` code in words ("utilization" -> "utilisation cap"). */
export function bindingWords(binding: string, redundancyRule?: string): string {
  const w = BINDING_WORDS[binding] ?? binding;
  return redundancyRule === 'zone-loss' ? `${w}, with a zone lost` : redundancyRule === 'spare' ? `${w}, with spares` : w;
}

/** A fleet rule in words: "utilisation cap 70%", "zone-loss cover", "N+1 cover", "SLO", "saturation". */
export function ruleWords(rule: FleetRule, plan: Pick<CapacityPlan, 'maxUtilization' | 'redundancy'>): string {
  switch (rule) {
    case 'cap':
      return `utilisation cap ${Math.round(plan.maxUtilization * 100)}%`;
    case 'redundancy': {
      const parts = [plan.redundancy.zoneLoss ? 'zone-loss' : '', plan.redundancy.spare > 0 ? `N+${plan.redundancy.spare}` : ''].filter(Boolean);
      return `${parts.join(' and ') || 'redundancy'} cover`;
    }
    case 'slo':
      return 'SLO';
    default:
      return 'saturation';
  }
}

const RULE_ORDER: readonly FleetRule[] = ['cap', 'redundancy', 'slo', 'saturation'];

function view(r: RunsOut, service: string | undefined, rules: readonly RuleDateOfPlan[], plan: Pick<CapacityPlan, 'maxUtilization' | 'redundancy'>): ExhaustionView {
  // Earliest first; rules falling in the same period keep the console's column order (cap, cover, SLO, saturation).
  const byRule: RuleDate[] = rules
    .filter((d) => d.status !== 'not-asked')
    .sort((a, b) => (a.dateMs ?? Infinity) - (b.dateMs ?? Infinity) || RULE_ORDER.indexOf(a.rule) - RULE_ORDER.indexOf(b.rule))
    .map((d) => ({ rule: ruleWords(d.rule, plan), period: d.period, dateMs: d.dateMs }));
  return {
    period: r.period,
    periodIndex: r.periodIndex,
    dateMs: r.dateMs,
    orderByMs: r.orderByMs,
    overdue: r.overdue,
    already: r.already,
    service,
    binding: r.rule === undefined ? undefined : ruleWords(r.rule, plan),
    byRule,
  };
}

/**
 * A service's headline: when the current fleet first breaks a rule the scenario asks for (cap, N+k or zone-loss
 * cover, SLO), which rule binds, the order-by date, and the date of every rule.
 */
export function serviceExhaustion(s: ServicePlan, plan: Pick<CapacityPlan, 'maxUtilization' | 'redundancy'>): ExhaustionView {
  return view(s.runsOut, s.service, s.rules, plan);
}

/** A variant's headline: the earliest of its services', with that service's rule dates. */
export function variantExhaustion(v: VariantPlan, plan: Pick<CapacityPlan, 'maxUtilization' | 'redundancy'>): ExhaustionView {
  const svc = v.services.find((s) => s.service === v.runsOut.service);
  return view(v.runsOut, v.runsOut.service, svc?.rules ?? [], plan);
}

/** One rule of a variant on the order timeline: when its first service breaks it, and which services break it then. */
export interface VariantRuleDate {
  readonly rule: FleetRule;
  /** In words: "utilisation cap 70%", "zone-loss cover", "SLO", "saturation". */
  readonly words: string;
  /** 'already': some service breaks it in the first period; 'date': later; 'beyond': none within the horizon. */
  readonly status: 'already' | 'date' | 'beyond';
  readonly period: string | undefined;
  readonly dateMs: number | undefined;
  /** The services that break it first (in the plan's order), empty when beyond. */
  readonly services: readonly string[];
  /** How many services break the rule within the horizon (at any date). */
  readonly servicesWithin: number;
  /** The rule's date minus the lead time, for the rules the scenario asks for (not saturation). */
  readonly orderByMs: number | undefined;
  readonly overdue: boolean;
}

/**
 * Per variant, the date of each rule the scenario asks for (and saturation) for its earliest service: the order
 * timeline's rows. The order-by date is the plan's own rule (the date minus the lead time; overdue when that is before
 * the plan starts), so it agrees with `runsOut` for the binding rule.
 */
export function variantRuleDates(v: VariantPlan, plan: Pick<CapacityPlan, 'maxUtilization' | 'redundancy' | 'leadTimeDays' | 'periods'>): VariantRuleDate[] {
  const startMs = plan.periods[0]!.startMs;
  const leadMs = plan.leadTimeDays * 86_400_000;
  return RULE_ORDER.flatMap((rule): VariantRuleDate[] => {
    const dated = v.services.flatMap((s) => s.rules.filter((d) => d.rule === rule && d.status !== 'not-asked').map((d) => ({ s: s.service, d })));
    if (dated.length === 0) return [];
    const within = dated.filter((x) => x.d.dateMs !== undefined && x.d.dateMs !== null);
    const words = ruleWords(rule, plan);
    if (within.length === 0) return [{ rule, words, status: 'beyond' as const, period: undefined, dateMs: undefined, services: [], servicesWithin: 0, orderByMs: undefined, overdue: false }];
    const dateMs = Math.min(...within.map((x) => x.d.dateMs!));
    const first = within.filter((x) => x.d.dateMs === dateMs);
    const asked = rule !== 'saturation';
    const orderByMs = asked ? dateMs - leadMs : undefined;
    return [
      {
        rule,
        words,
        status: first[0]!.d.status === 'already' ? ('already' as const) : ('date' as const),
        period: first[0]!.d.period,
        dateMs,
        services: first.map((x) => x.s),
        servicesWithin: within.length,
        orderByMs,
        overdue: orderByMs !== undefined && orderByMs < startMs,
      },
    ];
  });
}

/** The first rule of a variant that is not already broken: what comes next once the shortfalls now are bought. */
export function nextRuleDate(v: VariantPlan, plan: Pick<CapacityPlan, 'maxUtilization' | 'redundancy' | 'leadTimeDays' | 'periods'>): VariantRuleDate | undefined {
  return variantRuleDates(v, plan)
    .filter((r) => r.status === 'date' && r.rule !== 'saturation')
    .sort((a, b) => a.dateMs! - b.dateMs! || RULE_ORDER.indexOf(a.rule) - RULE_ORDER.indexOf(b.rule))[0];
}

/**
 * Services named briefly, for labels and sentences: "all 5 services" (or "both services") when every service of the
 * variant is named, the names up to three ("web, api and db"), else two and a count ("web, api and 2 more").
 */
export function servicesWords(names: readonly string[], total: number): string {
  if (names.length === total && total > 1) return total === 2 ? 'both services' : `all ${total} services`;
  if (names.length <= 3) return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
}
