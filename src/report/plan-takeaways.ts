import type { CapacityPlan } from '../plan/types.js';
import { serviceExhaustion, variantExhaustion } from './exhaustion-view.js';
import { day, money, num, signedPct } from './format.js';

/**
 * The sentence above each chart of the plan page: what to take away, computed from plan.json's own values (dates,
 * costs), never recomputed. Each returns plain text; the page escapes it.
 */

/** "api runs out first, in 2028-01; order by 2027-11-17 (binds: utilisation cap 70%)." (or "web is short now, in 2026-12 ...") for the base plan, and the earliest variant. */
export function capacityTakeaway(plan: CapacityPlan): string {
  const base = plan.variants[0]!;
  const e = variantExhaustion(base, plan);
  const last = plan.periods[plan.periods.length - 1]!.label;
  let out =
    e.period === undefined
      ? `In the ${base.name} plan every current fleet lasts beyond ${last}.`
      : e.already
        ? `${e.service} is short now, in ${e.period}${e.binding ? ` (binds: ${e.binding})` : ''}: order now, the lead time reaches back before the plan starts.`
        : `${e.service} runs out first, in ${e.period}; order by ${day(e.orderByMs)}${e.overdue ? ' (overdue: the lead time reaches back before the plan starts)' : ''}${e.binding ? ` (binds: ${e.binding})` : ''}.`;
  const earlier = plan.variants
    .slice(1)
    .map((v) => ({ v, e: variantExhaustion(v, plan) }))
    .filter((x) => x.e.dateMs !== undefined && (e.dateMs === undefined || x.e.dateMs < e.dateMs))
    .sort((a, b) => a.e.dateMs! - b.e.dateMs!)[0];
  if (earlier) out += ` Under ${earlier.v.name}, ${earlier.e.service} runs out in ${earlier.e.period}; order by ${day(earlier.e.orderByMs)}.`;
  return out;
}

/** "Order by 2027-05-17 if fast-growth comes (api, 2027-07); by 2027-11-17 in the base plan (api, 2028-01)." */
export function timelineTakeaway(plan: CapacityPlan): string {
  const base = plan.variants[0]!;
  const b = variantExhaustion(base, plan);
  const last = plan.periods[plan.periods.length - 1]!.label;
  const baseText = b.orderByMs === undefined ? `nothing to order before ${last} in the ${base.name} plan` : `order by ${day(b.orderByMs)} in the ${base.name} plan (${b.service} runs out ${b.period})`;
  const earliest = plan.variants
    .slice(1)
    .map((v) => ({ v, e: variantExhaustion(v, plan) }))
    .filter((x) => x.e.orderByMs !== undefined && (b.orderByMs === undefined || x.e.orderByMs < b.orderByMs))
    .sort((a, c) => a.e.orderByMs! - c.e.orderByMs!)[0];
  const text = earliest ? `Order by ${day(earliest.e.orderByMs)} if ${earliest.v.name} comes true (${earliest.e.service} runs out ${earliest.e.period}); ${baseText}` : `${baseText.charAt(0).toUpperCase()}${baseText.slice(1)}`;
  const overdue = plan.variants.filter((v) => variantExhaustion(v, plan).overdue).map((v) => v.name);
  return `${text}${overdue.length ? `; overdue already in ${overdue.join(', ')}` : ''}.`;
}

/** "Over 24 months base costs USD 357,390; fast-growth costs the most, USD 478,561 (+34%); graviton the least, USD 310,854 (−13%)." */
export function cumulativeTakeaway(plan: CapacityPlan): string {
  const base = plan.variants[0]!;
  const n = plan.periods.length;
  let out = `Over ${n} ${plan.period}s the ${base.name} plan costs ${money(base.totalCost, plan.currency)}`;
  const others = plan.variants.slice(1);
  if (others.length === 0) return `${out}.`;
  const hi = others.reduce((a, b) => (b.totalCost > a.totalCost ? b : a));
  const lo = others.reduce((a, b) => (b.totalCost < a.totalCost ? b : a));
  const rel = (x: number) => signedPct(base.totalCost > 0 ? x / base.totalCost - 1 : NaN);
  out += `; ${hi.name} costs the most, ${money(hi.totalCost, plan.currency)} (${rel(hi.totalCost)})`;
  if (lo !== hi) out += `, ${lo.name} the least, ${money(lo.totalCost, plan.currency)} (${rel(lo.totalCost)})`;
  return `${out}.`;
}

/** "In the base plan api costs the most: USD 160,000 of USD 357,390 (45%); the monthly bill grows from USD 9,000 in 2026-12 to USD 18,000 in 2028-11." */
export function costStackTakeaway(plan: CapacityPlan): string {
  const base = plan.variants[0]!;
  const top = [...base.services].sort((a, b) => b.totalCost - a.totalCost)[0];
  const first = base.costByPeriod[0] ?? 0;
  const last = base.costByPeriod[base.costByPeriod.length - 1] ?? 0;
  const p0 = plan.periods[0]!.label;
  const pl = plan.periods[plan.periods.length - 1]!.label;
  const share = top && base.totalCost > 0 ? ` (${Math.round((top.totalCost / base.totalCost) * 100)}%)` : '';
  return `In the ${base.name} plan ${top ? `${top.service} costs the most: ${money(top.totalCost, plan.currency)} of ${money(base.totalCost, plan.currency)}${share}; ` : ''}the ${plan.period}ly bill goes from ${money(first, plan.currency)} in ${p0} to ${money(last, plan.currency)} in ${pl}.`;
}

/** "users: the forecast mean peak goes from 52,300 in 2026-12 to 119,000 in 2028-11 (+128%); the p95 peak sized for reaches 131,000." */
export function demandTakeaway(plan: CapacityPlan, driver: string): string {
  const d = plan.variants[0]!.demand.find((x) => x.name === driver);
  if (!d || d.p50.length === 0) return `${driver}: no forecast in the plan.`;
  const a = d.p50[0]!;
  const b = d.p50[d.p50.length - 1]!;
  const rel = a > 0 ? ` (${signedPct(b / a - 1)})` : '';
  const unit = plan.drivers.find((x) => x.name === driver)?.unit ?? d.unit;
  const top = Math.max(...d.sized);
  const others = plan.variants
    .slice(1)
    .map((v) => ({ v, top: Math.max(...(v.demand.find((x) => x.name === driver)?.sized ?? [top])) }))
    .filter((x) => Math.abs(x.top - top) > 1e-9 * top)
    .map((x) => `${num(x.top)} under ${x.v.name}`);
  return `${driver}: the median peak goes from ${num(a)} ${unit} in ${plan.periods[0]!.label} to ${num(b)} ${unit} in ${plan.periods[plan.periods.length - 1]!.label}${rel}; the ${plan.quantileLabel} peak sized for reaches ${num(top)} ${unit}${others.length ? ` (${others.join(', ')})` : ''}.`;
}

/** "The simulation confirms 14 of 14 cases as the analytic plan predicted." plus the cases it did not. */
export function simulationTakeaway(plan: CapacityPlan): string {
  const base = plan.variants[0]!;
  const all = base.services.flatMap((s) => s.confirmations.map((c) => ({ s: s.service, c })));
  const off = all.filter((x) => !x.c.asExpected);
  const marginal = all.filter((x) => x.c.marginal).length;
  let out = `In the ${base.name} plan the simulation agrees with the analytic count in ${all.length - off.length} of ${all.length} cases`;
  if (off.length > 0) out += `; not in ${off.map((x) => `${x.s} (${x.c.case} at ${plan.periods[x.c.periodIndex]?.label ?? '?'})`).join(', ')}`;
  if (marginal > 0) out += `; ${marginal} ${marginal === 1 ? 'is' : 'are'} marginal (the interval straddles a target)`;
  return `${out}.`;
}

/** Per service of the base plan: when it runs out and the order-by date, for the capacity chart's table. */
export function serviceDates(plan: CapacityPlan): Array<{ service: string; period: string; orderBy: string; binding: string }> {
  return plan.variants[0]!.services.map((s) => {
    const e = serviceExhaustion(s, plan);
    return { service: s.service, period: e.period ?? 'beyond horizon', orderBy: day(e.orderByMs), binding: e.binding ?? '-' };
  });
}
