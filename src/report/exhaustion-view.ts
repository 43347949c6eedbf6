import type { Exhaustion, PlanPeriod, ServicePlan, VariantPlan } from '../plan/types.js';

/**
 * The one place the report reads exhaustion from plan.json. Every chart, card and sentence asks this adapter, so when
 * plan.json gains per-rule dates (utilisation cap, redundancy, SLO, saturation) and the rule that binds, only this file
 * learns to read them.
 *
 * Today a service's binding rule is what bound its count at the exhaustion period (`ServicePeriod.binding`, with the
 * zone-loss rule when that set the count), and the one per-rule date besides the SLO's is the redundancy shortfall.
 */
export interface RuleDate {
  /** e.g. "SLO", "redundancy" (later also "utilisation cap", "saturation"). */
  readonly rule: string;
  readonly period: string | undefined;
  readonly dateMs: number | undefined;
}

export interface ExhaustionView {
  /** First period the current fleet no longer serves within the SLOs; undefined when it lasts the horizon. */
  readonly period: string | undefined;
  readonly periodIndex: number | undefined;
  readonly dateMs: number | undefined;
  readonly orderByMs: number | undefined;
  /** The lead time reaches back before the plan starts: order now. */
  readonly overdue: boolean;
  /** The service that runs out first (for a variant), or the service itself. */
  readonly service: string | undefined;
  /** What binds at that date, in words ("utilisation cap", "memory", "latency SLO", with "zone loss" when it applies). */
  readonly binding: string | undefined;
  /** Dates by rule, earliest first, when known. */
  readonly byRule: readonly RuleDate[];
}

/** Fields that later versions of plan.json may add to an exhaustion; read when present. */
interface FutureExhaustionFields {
  readonly binding?: string;
  readonly rules?: ReadonlyArray<{ readonly rule: string; readonly period?: string; readonly dateMs?: number }>;
}

const BINDING_WORDS: Record<string, string> = { utilization: 'utilisation cap', latency: 'latency SLO', errors: 'error-rate SLO', memory: 'memory' };

/** The plan's `binding` code in words ("utilization" -> "utilisation cap"). */
export function bindingWords(binding: string, redundancyRule?: string): string {
  const w = BINDING_WORDS[binding] ?? binding;
  return redundancyRule === 'zone-loss' ? `${w}, with a zone lost` : redundancyRule === 'spare' ? `${w}, with spares` : w;
}

function view(e: Exhaustion, service: string | undefined, binding: string | undefined, extraRules: readonly RuleDate[]): ExhaustionView {
  const future = e as Exhaustion & FutureExhaustionFields;
  const rules: RuleDate[] = [
    ...(future.rules ?? []).map((r) => ({ rule: r.rule, period: r.period, dateMs: r.dateMs })),
    ...(future.rules ? [] : [{ rule: 'SLO', period: e.period, dateMs: e.dateMs }, ...extraRules]),
  ];
  rules.sort((a, b) => (a.dateMs ?? Infinity) - (b.dateMs ?? Infinity));
  return {
    period: e.period,
    periodIndex: e.periodIndex,
    dateMs: e.dateMs,
    orderByMs: e.orderByMs,
    overdue: e.overdue,
    service,
    binding: future.binding ?? binding,
    byRule: rules,
  };
}

/** A service's exhaustion: the period, the order-by date, what binds there, and the redundancy shortfall's date. */
export function serviceExhaustion(s: ServicePlan, periods: readonly PlanPeriod[]): ExhaustionView {
  const at = s.exhaustion.periodIndex === undefined ? undefined : s.periods[s.exhaustion.periodIndex];
  const short = s.redundancyShortfall;
  const shortRule: RuleDate[] = short ? [{ rule: 'redundancy', period: short.period, dateMs: periods[short.periodIndex]?.startMs }] : [];
  return view(s.exhaustion, s.service, at ? bindingWords(at.binding, at.redundancyRule) : undefined, shortRule);
}

/** A variant's exhaustion: the earliest of its services'. */
export function variantExhaustion(v: VariantPlan, periods: readonly PlanPeriod[]): ExhaustionView {
  const svc = v.services.find((s) => s.service === v.exhaustion.service);
  const inner = svc ? serviceExhaustion(svc, periods) : undefined;
  return view(v.exhaustion, v.exhaustion.service, inner?.binding, inner ? inner.byRule.filter((r) => r.rule !== 'SLO') : []);
}
