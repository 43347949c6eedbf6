/** The terminal summary of a capacity plan (`headroom plan` without --json): the shortfalls now first, then a table per variant. */
import type { CapacityPlan, PlanFinding, RuleDate, RunsOut, ServicePlan, ShortNow } from '../plan/types.js';
import { MAX_PLANNED_NODES } from '../plan/limits.js';
import { formatDemand, groupDigits } from '../units.js';

function money(x: number, currency: string): string {
  return `${currency} ${groupDigits(x)}`;
}

function day(ms: number | undefined): string {
  return ms === undefined ? '-' : new Date(ms).toISOString().slice(0, 10);
}

/** The fleet's headroom at the cap over the first period's sized peak: "+23%", "-5%". */
function headroom(h: number): string {
  if (!Number.isFinite(h)) return '-';
  return `${h >= 0 ? '+' : ''}${Math.round(h * 100)}%`;
}

function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>, rightFrom: number, leftAgain = Infinity): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) =>
    '  ' +
    r
      .map((c, i) => (i >= rightFrom && i < leftAgain ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

/** "a", "a and b", "a, b and c". */
function listOf(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

/** What the redundancy rule is called: "zone-loss cover", "N+1 cover", or both. */
function coverName(plan: CapacityPlan): string {
  const parts = [plan.redundancy.zoneLoss ? 'zone-loss' : '', plan.redundancy.spare > 0 ? `N+${plan.redundancy.spare}` : ''].filter(Boolean);
  return `${parts.join(' and ')} cover`;
}

/** A rule's name in the console: "cap 70%", "zone-loss cover", "SLO", "saturation". */
function ruleName(plan: CapacityPlan, rule: RuleDate['rule']): string {
  switch (rule) {
    case 'cap':
      return `cap ${Math.round(plan.maxUtilization * 100)}%`;
    case 'redundancy':
      return coverName(plan);
    case 'slo':
      return 'SLO';
    default:
      return 'saturation';
  }
}

/** A rule's date cell: "already", "2027-03", or "beyond" (not within the horizon). */
function ruleCell(d: RuleDate | undefined): string {
  if (!d || d.status === 'not-asked') return '-';
  return d.status === 'already' ? 'already' : d.status === 'beyond' ? 'beyond' : d.period!;
}

function runsOutCell(plan: CapacityPlan, r: RunsOut): string {
  if (r.rule === undefined) return 'beyond';
  return `${r.already ? 'already' : r.period} (${ruleName(plan, r.rule)})`;
}

function orderByCell(r: RunsOut): string {
  if (r.rule === undefined) return '-';
  return r.overdue ? 'OVERDUE' : day(r.orderByMs);
}

/** One finding in a sentence (for the exit-1 message). */
export function findingText(f: PlanFinding): string {
  if (f.kind === 'unservable') {
    return `${f.variant}/${f.service} at ${f.period} needs ${formatDemand(f.demand)} ${f.unit}; ${groupDigits(f.maxNodes)} nodes serve ${formatDemand(f.maxDemand)} ${f.unit} at the cap`;
  }
  const what = f.rule === 'slo' ? 'breaks an SLO' : f.rule === 'cap' ? 'is over the utilisation cap' : `is short of ${f.cover} cover`;
  return `${f.service} (${f.fleet} node${f.fleet === 1 ? '' : 's'}, ${f.nodesNeeded} needed) ${what} ${f.periodIndex === 0 ? `at the peak of ${f.period}` : `from ${f.period}, within the lead time`}`;
}

/** The shortfalls of the current fleet now, one line per rule, with the count to add: the console's first words. */
export function formatShortNow(plan: CapacityPlan): string {
  const short = plan.findings.flatMap((f) => (f.kind === 'short-now' ? [f] : []));
  const beyond = plan.findings.flatMap((f) => (f.kind === 'unservable' ? [f] : []));
  let out = '';
  if (short.length > 0) {
    const arrive = plan.leadTimeDays > 0 ? `; an order placed today arrives after the ${Number(plan.leadTimeDays.toFixed(1))}-day lead time` : '';
    out += `\nShort now (current fleet, base plan, at the ${plan.periods[0]!.label} peak${arrive}):\n`;
    const groups = new Map<string, ShortNow[]>();
    for (const f of short) groups.set(`${f.rule}/${f.cover ?? ''}`, [...(groups.get(`${f.rule}/${f.cover ?? ''}`) ?? []), f]);
    for (const fs of groups.values()) {
      const f0 = fs[0]!;
      const many = fs.length > 1;
      const what =
        f0.rule === 'slo'
          ? many ? 'break an SLO' : 'breaks an SLO'
          : f0.rule === 'cap'
            ? `${many ? 'are' : 'is'} over the ${Math.round(plan.maxUtilization * 100)}% utilisation cap`
            : `${many ? 'are' : 'is'} short of ${f0.cover} cover`;
      const names = fs.map((f) => (f.periodIndex === 0 ? f.service : `${f.service} (from ${f.period})`));
      const through = [...new Set(fs.map((f) => f.throughPeriod))];
      out +=
        `  ${listOf(names)} ${what} now: add ${listOf(fs.map((f) => String(f.nodesToAdd)))} node${fs.length === 1 && f0.nodesToAdd === 1 ? '' : 's'}` +
        ` (${fs.map((f) => `${f.fleet} -> ${f.nodesNeeded}`).join(', ')})${through.length === 1 ? ` to hold it through ${through[0]}` : ''}\n`;
    }
  }
  if (beyond.length > 0) {
    out += `\nBeyond the node limit (no count up to ${groupDigits(MAX_PLANNED_NODES)} serves the demand):\n`;
    for (const f of beyond) out += `  ${findingText(f)}\n`;
  }
  return out;
}

/** The terminal summary: the shortfalls now, what was planned, then a table per variant, the simulation's verdict and warnings. */
export function formatPlan(plan: CapacityPlan, written: readonly string[]): string {
  const first = plan.periods[0]!;
  const last = plan.periods[plan.periods.length - 1]!;
  const base = plan.variants[0]!;
  const sloText = (s: ServicePlan) =>
    [s.slo.latency ? `p${Number((s.slo.latency.quantile * 100).toPrecision(6))} <= ${Math.round(s.slo.latency.target * 1000)} ms` : '', s.slo.maxErrorRate !== undefined ? `errors <= ${Number((s.slo.maxErrorRate * 100).toPrecision(4))}%` : '']
      .filter(Boolean)
      .join(', ') || 'stable';
  let out = `Capacity plan: ${plan.scenario.name} (${plan.scenario.file})\n`;
  const peak = plan.drivers.some((d) => d.forecastStepMs < 86_400_000) ? 'peak hour' : 'peak day';
  out += `  ${plan.periods.length} ${plan.period}s ${first.label} to ${last.label}, sized for the ${plan.quantileLabel} demand at each ${plan.period}'s ${peak}; model ${plan.model.name} (${plan.model.file})\n`;
  const redundancy = plan.redundancy.zoneLoss || plan.redundancy.spare > 0;
  const rules = [
    `max utilisation ${Math.round(plan.maxUtilization * 100)}%${redundancy ? ` (${Math.round(plan.maxUtilizationDegraded * 100)}% for the survivors of a failure)` : ''}`,
    plan.redundancy.zoneLoss ? `survive the loss of 1 of ${plan.redundancy.zones} zones` : '',
    plan.redundancy.spare > 0 ? `N+${plan.redundancy.spare}` : '',
    `lead time ${Number(plan.leadTimeDays.toFixed(1))} days`,
    plan.committedShare > 0 ? `reservations of up to ${Math.round(plan.committedShare * 100)}% for ${plan.commitmentTermMonths / 12} year${plan.commitmentTermMonths > 12 ? 's' : ''}` : '',
  ].filter(Boolean);
  out += `  ${rules.join('; ')}\n`;
  for (const d of plan.drivers) out += `  forecast ${d.name}${d.dailyPeaks ? ' (daily peaks)' : ''}: ${d.model}\n`;
  out += `  SLOs: ${base.services.map((s) => `${s.service} ${sloText(s)}`).join('; ')}\n`;
  out += formatShortNow(plan);
  const years = [...new Set(plan.variants.flatMap((v) => v.costByYear.map((c) => c.year)))].sort();
  const ruleOrder = (['cap', ...(redundancy ? ['redundancy'] : []), 'slo', 'saturation'] as const).map((r) => r as RuleDate['rule']);
  for (const v of plan.variants) {
    out += `\nVariant ${v.name}: ${v.description}\n`;
    const rows = v.services.map((s) => {
      const p0 = s.periods[0]!;
      const pl = s.periods[s.periods.length - 1]!;
      return [
        s.service,
        s.nodeType,
        `${formatDemand(p0.demandSized)} -> ${formatDemand(pl.demandSized)} ${s.unit}`,
        String(s.fleet),
        headroom(p0.headroom),
        `${p0.nodesWithRedundancy} -> ${pl.nodesWithRedundancy}`,
        ...ruleOrder.map((r) => ruleCell(s.rules.find((d) => d.rule === r))),
        runsOutCell(plan, s.runsOut),
        orderByCell(s.runsOut),
        money(s.totalCost, plan.currency),
      ];
    });
    const head = [
      'service',
      'node type',
      `${plan.quantileLabel} peak demand`,
      'fleet',
      'headroom',
      'nodes',
      ...ruleOrder.map((r) => ruleName(plan, r)),
      'runs out (rule)',
      'order by',
      'cost',
    ];
    out += table(head, rows, 2, 6);
    const r = v.runsOut;
    out +=
      r.rule === undefined
        ? `  runs out: the current fleet keeps every rule beyond ${last.label}\n`
        : `  runs out: ${r.already ? `already in ${r.period}` : r.period} (${r.service}: ${ruleName(plan, r.rule)}); ${r.overdue ? `order now: OVERDUE, the ${Number(plan.leadTimeDays.toFixed(1))}-day lead time reaches back before the plan starts` : `order by ${day(r.orderByMs)}`}\n`;
    const byYear = new Map(v.costByYear.map((c) => [c.year, c.cost]));
    out += `  cost: ${years.map((y) => `${y} ${money(byYear.get(y) ?? 0, plan.currency)}`).join(', ')}; total ${money(v.totalCost, plan.currency)}\n`;
  }
  out += `\n  headroom: what the current fleet serves within the SLO and the ${Math.round(plan.maxUtilization * 100)}% cap over the first ${plan.period}'s peak; dates: the first ${plan.period} the current fleet breaks the rule ("already": ${first.label}, "beyond": not within the horizon)\n`;
  out += plan.simulation.enabled
    ? `\nSimulation (${plan.simulation.runs} runs of ${plan.simulation.replicas} replicas x ${groupDigits(plan.simulation.arrivalsPerReplica)}+ arrivals, longer where a queue needs it to reach steady state), base plan:\n`
    : '\nSimulation: off (--no-sim); counts are analytic.\n';
  if (plan.simulation.enabled) for (const s of base.services) out += `  ${s.service}: ${s.confirmationNote}\n`;
  for (const w of plan.warnings) out += `warning: ${w}\n`;
  if (written.length > 0) out += `\nwrote ${written.join(', ')}\n`;
  return out;
}
