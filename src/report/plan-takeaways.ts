import type { CapacityPlan, ShortNow } from '../plan/types.js';
import { nextRuleDate, servicesWords, variantExhaustion, variantRuleDates, type VariantRuleDate } from './exhaustion-view.js';
import { day, int, money, num, pct, signedPct } from './format.js';

/**
 * The sentence above each chart of the plan page: what to take away, computed from plan.json's own values (dates,
 * costs), never recomputed. Each returns plain text; the page escapes it.
 */

/**
 * Above the capacity chart, the base plan's rules in the order they break: "In the base plan zone-loss cover is short
 * now (all 5 services; add 16 nodes), utilisation cap 70% from 2027-03 (web, api and 2 more), SLO from 2028-01 (api)
 * and saturation from 2028-04 (db and cache)." The nodes to add are plan.json's findings. When no rule breaks: the
 * fleets last the horizon.
 */
export function capacityTakeaway(plan: CapacityPlan): string {
  const base = plan.variants[0]!;
  const last = plan.periods[plan.periods.length - 1]!.label;
  const rules = variantRuleDates(base, plan)
    .filter((r) => r.status !== 'beyond')
    .sort((a, b) => a.dateMs! - b.dateMs!);
  if (!rules.some((r) => r.rule !== 'saturation')) return `In the ${base.name} plan every current fleet lasts beyond ${last}.`;
  const n = base.services.length;
  const adds = plan.findings.flatMap((f) => (f.kind === 'short-now' && f.variant === base.name ? [f] : []));
  const parts = rules.map((r, i) => {
    const who = ruleWho(r, n);
    if (r.status === 'already') {
      const add = adds.filter((f) => f.periodIndex === 0 && f.rule === r.rule).reduce((a, f) => a + f.nodesToAdd, 0);
      return `${r.words} ${i === 0 ? 'is ' : ''}short now (${who}${add > 0 ? `; add ${int(add)} node${add === 1 ? '' : 's'}` : ''})`;
    }
    return `${i === 0 ? `${r.words} breaks` : r.words} from ${r.period} (${who})`;
  });
  return `In the ${base.name} plan ${listOf(parts)}.`;
}

/** "a", "a and b", "a, b and c". */
export function listOf(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

/**
 * The shortfalls now of plan.json's findings, one sentence per rule: "web, api and db are short of zone-loss cover
 * now: add 3, 6 and 2 nodes (12 → 15, 26 → 32, 4 → 6) to hold it through 2027-01." A service short from a later
 * period within the lead time says so ("db (from 2027-01)"). Services that no count up to the limit serves come last.
 */
export function shortNowSentences(plan: CapacityPlan): string[] {
  const short = plan.findings.flatMap((f) => (f.kind === 'short-now' ? [f] : []));
  const groups = new Map<string, ShortNow[]>();
  for (const f of short) groups.set(`${f.rule}/${f.cover ?? ''}`, [...(groups.get(`${f.rule}/${f.cover ?? ''}`) ?? []), f]);
  const out = [...groups.values()].map((fs) => {
    const f0 = fs[0]!;
    const many = fs.length > 1;
    const what =
      f0.rule === 'slo'
        ? `break${many ? '' : 's'} an SLO`
        : f0.rule === 'cap'
          ? `${many ? 'are' : 'is'} over the ${pct(plan.maxUtilization)} utilisation cap`
          : `${many ? 'are' : 'is'} short of ${f0.cover ?? 'redundancy'} cover`;
    const names = fs.map((f) => (f.periodIndex === 0 ? f.service : `${f.service} (from ${f.period})`));
    const adds = fs.map((f) => int(f.nodesToAdd));
    const through = [...new Set(fs.map((f) => f.throughPeriod))];
    const plural = fs.length > 1 || f0.nodesToAdd !== 1;
    return `${listOf(names)} ${what} now: add ${listOf(adds)} node${plural ? 's' : ''} (${fs.map((f) => `${int(f.fleet)} → ${int(f.nodesNeeded)}`).join(', ')})${through.length === 1 ? ` to hold it through ${through[0]}` : ''}.`;
  });
  for (const f of plan.findings) {
    if (f.kind !== 'unservable') continue;
    out.push(`${f.service} (${f.variant}) cannot be served in ${f.period}: it needs ${num(f.demand)} ${f.unit}, and ${int(f.maxNodes)} nodes serve ${num(f.maxDemand)} ${f.unit} within the SLOs and the cap.`);
  }
  return out;
}

/** "api", "web and api", "web, api and 2 more", "all 5 services": who breaks a rule first. */
function ruleWho(r: VariantRuleDate, total: number): string {
  return servicesWords(r.services, total);
}

/**
 * Above the order timeline. With shortfalls now: "Short of zone-loss cover now in every variant (all 5 services in the
 * base plan). Next in the base plan: utilisation cap 70% in 2027-03 (web, api and 2 more; order by 2027-01-15), as
 * early as 2027-01 under fast-growth (utilisation cap 70%, web; order now)." Otherwise the order-by dates of the base
 * plan and of the variant that needs the earliest order.
 */
export function timelineTakeaway(plan: CapacityPlan): string {
  const already = plan.variants.map((v) => ({ v, rules: variantRuleDates(v, plan).filter((r) => r.status === 'already' && r.rule !== 'saturation') }));
  if (already.some((a) => a.rules.length > 0)) {
    const parts: string[] = [];
    const byRule = new Map<string, string[]>();
    for (const a of already) for (const r of a.rules) byRule.set(r.words, [...(byRule.get(r.words) ?? []), a.v.name]);
    for (const [words, variants] of byRule) {
      const inWhich = variants.length === plan.variants.length ? (plan.variants.length === 1 ? `in the ${variants[0]} plan` : 'in every variant') : `in ${listOf(variants)}`;
      const base = already[0]!.rules.find((r) => r.words === words);
      const n = plan.variants[0]!.services.length;
      const count = base ? (base.services.length === n ? servicesWords(base.services, n) : `${base.services.length} of ${n} services`) : '';
      parts.push(`Short of ${words} now ${inWhich}${base ? ` (${count}${plan.variants.length > 1 ? ` in the ${plan.variants[0]!.name} plan` : ''})` : ''}`);
    }
    const base = plan.variants[0]!;
    const bn = nextRuleDate(base, plan);
    const next = plan.variants
      .map((v) => ({ v, r: nextRuleDate(v, plan) }))
      .filter((x): x is { v: typeof base; r: VariantRuleDate } => x.r !== undefined)
      .sort((a, b) => a.r.dateMs! - b.r.dateMs!)[0];
    const orderText = (r: VariantRuleDate) => (r.overdue ? 'order now' : `order by ${day(r.orderByMs)}`);
    let then = '';
    if (bn) {
      then = `. Next in the ${base.name} plan: ${bn.words} in ${bn.period} (${ruleWho(bn, base.services.length)}; ${orderText(bn)})`;
      if (next && next.v !== base && next.r.dateMs! < bn.dateMs!) then += `, as early as ${next.r.period} under ${next.v.name} (${next.r.words}, ${ruleWho(next.r, next.v.services.length)}; ${orderText(next.r)})`;
    } else if (next) {
      then = `. Next: ${next.r.words} in ${next.r.period} under ${next.v.name} (${ruleWho(next.r, next.v.services.length)}; ${orderText(next.r)})`;
    } else {
      then = `; no other rule breaks before ${plan.periods[plan.periods.length - 1]!.label}`;
    }
    return `${parts.join('; ')}${then}.`;
  }
  return orderByTakeaway(plan);
}

/** "Order by 2027-05-17 if fast-growth comes (api, 2027-07); by 2027-11-17 in the base plan (api, 2028-01)." */
function orderByTakeaway(plan: CapacityPlan): string {
  const base = plan.variants[0]!;
  const b = variantExhaustion(base, plan);
  const last = plan.periods[plan.periods.length - 1]!.label;
  const baseText = b.orderByMs === undefined ? `nothing to order before ${last} in the ${base.name} plan` : `order by ${day(b.orderByMs)}${b.overdue ? ' (overdue)' : ''} in the ${base.name} plan (${b.service} runs out ${b.period}, ${b.binding})`;
  const earliest = plan.variants
    .slice(1)
    .map((v) => ({ v, e: variantExhaustion(v, plan) }))
    .filter((x) => x.e.orderByMs !== undefined && (b.orderByMs === undefined || x.e.orderByMs < b.orderByMs))
    .sort((a, c) => a.e.orderByMs! - c.e.orderByMs!)[0];
  const text = earliest ? `Order by ${day(earliest.e.orderByMs)}${earliest.e.overdue ? ' (overdue)' : ''} if ${earliest.v.name} comes true (${earliest.e.service} runs out ${earliest.e.period}, ${earliest.e.binding}); ${baseText}` : `${baseText.charAt(0).toUpperCase()}${baseText.slice(1)}`;
  return `${text}.`;
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
