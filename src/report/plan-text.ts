/** The terminal summary of a capacity plan (`headroom plan` without --json). */
import type { CapacityPlan } from '../plan/types.js';

function group(x: number): string {
  const s = Math.round(x).toString();
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function money(x: number, currency: string): string {
  return `${currency} ${group(x)}`;
}

function day(ms: number | undefined): string {
  return ms === undefined ? '-' : new Date(ms).toISOString().slice(0, 10);
}

function demand(x: number): string {
  if (x >= 1000) return group(x);
  return x >= 10 ? x.toFixed(1) : x.toPrecision(3);
}

/** The fleet's headroom over the first period's sized peak: "+23%", "-5%". */
function headroom(h: number): string {
  if (!Number.isFinite(h)) return '-';
  return `${h >= 0 ? '+' : ''}${Math.round(h * 100)}%`;
}

function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>, rightFrom: number): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) =>
    '  ' +
    r
      .map((c, i) => (i >= rightFrom ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

/** The terminal summary: what was planned, then a table per variant, the simulation's verdict and warnings. */
export function formatPlan(plan: CapacityPlan, written: readonly string[]): string {
  const first = plan.periods[0]!;
  const last = plan.periods[plan.periods.length - 1]!;
  const base = plan.variants[0]!;
  const sloText = (s: (typeof base.services)[number]) =>
    [s.slo.latency ? `p${Number((s.slo.latency.quantile * 100).toPrecision(6))} <= ${Math.round(s.slo.latency.target * 1000)} ms` : '', s.slo.maxErrorRate !== undefined ? `errors <= ${Number((s.slo.maxErrorRate * 100).toPrecision(4))}%` : '']
      .filter(Boolean)
      .join(', ');
  let out = `Capacity plan: ${plan.scenario.name} (${plan.scenario.file})\n`;
  const peak = plan.drivers.some((d) => d.forecastStepMs < 86_400_000) ? 'peak hour' : 'peak day';
  out += `  ${plan.periods.length} ${plan.period}s ${first.label} to ${last.label}, sized for the ${plan.quantileLabel} demand at each ${plan.period}'s ${peak}; model ${plan.model.name} (${plan.model.file})\n`;
  const rules = [
    `max utilisation ${Math.round(plan.maxUtilization * 100)}%`,
    plan.redundancy.zoneLoss ? `survive the loss of 1 of ${plan.redundancy.zones} zones` : '',
    plan.redundancy.spare > 0 ? `N+${plan.redundancy.spare}` : '',
    `lead time ${Number(plan.leadTimeDays.toFixed(1))} days`,
    plan.committedShare > 0 ? `${Math.round(plan.committedShare * 100)}% committed` : '',
  ].filter(Boolean);
  out += `  ${rules.join('; ')}\n`;
  for (const d of plan.drivers) out += `  forecast ${d.name}${d.dailyPeaks ? ' (daily peaks)' : ''}: ${d.model}\n`;
  const years = [...new Set(plan.variants.flatMap((v) => v.costByYear.map((c) => c.year)))].sort();
  for (const v of plan.variants) {
    out += `\nVariant ${v.name}: ${v.description}\n`;
    const rows = v.services.map((s) => {
      const p0 = s.periods[0]!;
      const pl = s.periods[s.periods.length - 1]!;
      return [
        s.service,
        s.nodeType,
        sloText(s),
        `${demand(p0.demandSized)} -> ${demand(pl.demandSized)} ${s.unit}`,
        String(s.fleet),
        headroom(p0.headroom),
        `${p0.nodesWithRedundancy} -> ${pl.nodesWithRedundancy}`,
        s.exhaustion.period ?? 'beyond',
        s.exhaustion.period === undefined ? '-' : `${day(s.exhaustion.orderByMs)}${s.exhaustion.overdue ? ' (overdue)' : ''}`,
        money(s.totalCost, plan.currency),
      ];
    });
    out += table(['service', 'node type', 'SLO', `${plan.quantileLabel} peak demand`, 'fleet', 'headroom', 'nodes', 'runs out', 'order by', 'cost'], rows, 4);
    const ex = v.exhaustion;
    out += ex.period
      ? `  exhaustion: ${ex.period} (${ex.service}); order by ${day(ex.orderByMs)}${ex.overdue ? ' - OVERDUE: the lead time reaches back before the plan starts' : ''}\n`
      : `  exhaustion: the current fleet lasts beyond ${last.label}\n`;
    const byYear = new Map(v.costByYear.map((c) => [c.year, c.cost]));
    out += `  cost: ${years.map((y) => `${y} ${money(byYear.get(y) ?? 0, plan.currency)}`).join(', ')}; total ${money(v.totalCost, plan.currency)}\n`;
  }
  out += plan.simulation.enabled
    ? `\nSimulation (${plan.simulation.runs} runs of ${plan.simulation.replicas} replicas x ${group(plan.simulation.arrivalsPerReplica)}+ arrivals, longer where a queue needs it to reach steady state), base plan:\n`
    : '\nSimulation: off (--no-sim); counts are analytic.\n';
  if (plan.simulation.enabled) for (const s of base.services) out += `  ${s.service}: ${s.confirmationNote}\n`;
  for (const w of plan.warnings) out += `warning: ${w}\n`;
  if (written.length > 0) out += `\nwrote ${written.join(', ')}\n`;
  return out;
}
