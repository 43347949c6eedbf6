import { formatAxisValue, type SweepAxis } from '../model/sweep.js';
import type { MonteCarloSummary } from './monte-carlo.js';
import type { PointOutcome } from './outcome.js';
import type { TornadoRow } from './sensitivity.js';

/** Everything a sweep computed, as written to sweep.json. */
export interface SweepReport {
  readonly format: 'headroom-sweep/1';
  readonly sweepId: string;
  readonly scenario: string;
  readonly seed: number;
  readonly currency: string;
  readonly axes: ReadonlyArray<{ readonly name: string; readonly values: ReadonlyArray<number | string> }>;
  readonly points: readonly PointOutcome[];
  readonly sensitivity?: { readonly base: PointOutcome; readonly tornado: readonly TornadoRow[]; readonly interaction: { readonly axes: readonly [string, string]; readonly points: readonly PointOutcome[] } | undefined } | undefined;
  readonly monteCarlo?: MonteCarloSummary | undefined;
}

const day = (ms: number | null): string => (ms === null ? 'after horizon' : new Date(ms).toISOString().slice(0, 10));
const money = (x: number): string => Math.round(x).toLocaleString('en-US');

function valueText(axes: readonly SweepAxis[], i: number, v: number | string | null): string {
  return v === null ? 'as scenario' : formatAxisValue(axes[i]!, v);
}

/** The outcome table as CSV: one row per point, axis values as written, dates as YYYY-MM-DD (empty: not within the horizon). */
export function pointsCsv(axes: readonly SweepAxis[], points: readonly PointOutcome[]): string {
  const services = points[0]?.services.map((s) => s.service) ?? [];
  const simulated = points.some((p) => p.services.some((s) => s.simulated !== null));
  const years = points[0]?.costByYear.map((y) => y.year) ?? [];
  const header = [
    'point',
    ...axes.map((a) => a.name),
    'total_cost',
    ...years.map((y) => `cost_${y}`),
    'earliest_exhaustion',
    'earliest_service',
    ...services.flatMap((s) => [`${s}_node_type`, `${s}_peak_nodes`, `${s}_exhaustion`, `${s}_order_by`, ...(simulated ? [`${s}_slo_met_sim`, `${s}_latency_ms_sim`] : [])]),
  ];
  const d = (ms: number | null): string => (ms === null ? '' : new Date(ms).toISOString().slice(0, 10));
  const rows = points.map((p) => [
    String(p.index),
    ...p.values.map((v, i) => valueText(axes, i, v)),
    p.totalCost.toFixed(2),
    ...p.costByYear.map((y) => y.cost.toFixed(2)),
    d(p.exhaustionMs),
    p.exhaustionService ?? '',
    ...p.services.flatMap((s) => [
      s.nodeType,
      String(s.peakNodes),
      d(s.exhaustionMs),
      d(s.orderByMs),
      ...(simulated ? [s.simulated === null ? '' : String(s.simulated.passed), s.simulated?.latencyMs == null ? '' : s.simulated.latencyMs.toFixed(2)] : []),
    ]),
  ]);
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The outcome table for a terminal: a row per point, the earliest exhaustion and its service. */
export function formatPoints(axes: readonly SweepAxis[], points: readonly PointOutcome[], currency: string): string {
  const simulated = points.some((p) => p.services.some((s) => s.simulated !== null));
  const header = [...axes.map((a) => a.name), `total cost (${currency})`, 'peak nodes', 'earliest exhaustion', 'order by', ...(simulated ? ['SLO met (sim)'] : [])];
  const rows = points.map((p) => {
    const first = p.services.find((s) => s.service === p.exhaustionService);
    const sims = p.services.filter((s) => s.simulated !== null);
    return [
      ...p.values.map((v, i) => valueText(axes, i, v)),
      money(p.totalCost),
      String(p.services.reduce((a, s) => a + s.peakNodes, 0)),
      p.exhaustionMs === null ? 'after horizon' : `${day(p.exhaustionMs)} (${p.exhaustionService})`,
      first ? `${day(first.orderByMs)}${first.overdue ? ' (overdue)' : ''}` : '-',
      ...(simulated ? [`${sims.filter((s) => s.simulated!.passed).length}/${sims.length} services`] : []),
    ];
  });
  return table(header, rows);
}

/** The tornado table. */
export function formatTornado(rows: readonly TornadoRow[], axes: readonly SweepAxis[], currency: string): string {
  const byName = new Map(axes.map((a) => [a.name, a]));
  return table(
    ['input', 'low', 'high', `cost at low (${currency})`, 'cost at high', 'cost swing', 'exhaustion low', 'exhaustion high', 'date swing (days)'],
    rows.map((r) => {
      const a = byName.get(r.axis)!;
      return [r.axis, formatAxisValue(a, r.low), formatAxisValue(a, r.high), money(r.costLow), money(r.costHigh), money(r.costSwing), day(r.exhaustionLowMs), day(r.exhaustionHighMs), String(Math.round(r.exhaustionSwingDays))];
    }),
  );
}

/** The Monte-Carlo summary: P10/P50/P90 of each service's exhaustion date and cost, and the order-by date. */
export function formatMonteCarlo(s: MonteCarloSummary, currency: string): string {
  const pct = `${Math.round(s.confidence * 1000) / 10}%`;
  const rows = s.services.map((r) => [
    r.service,
    `${Math.round(r.exhaustedShare * 1000) / 10}%`,
    day(r.exhaustion.p10),
    day(r.exhaustion.p50),
    day(r.exhaustion.p90),
    r.orderByMs === null ? 'not needed' : day(r.orderByMs),
    `${money(r.cost.p10)} / ${money(r.cost.p50)} / ${money(r.cost.p90)}`,
  ]);
  rows.push([
    'earliest',
    `${Math.round(s.earliest.exhaustedShare * 1000) / 10}%`,
    day(s.earliest.exhaustion.p10),
    day(s.earliest.exhaustion.p50),
    day(s.earliest.exhaustion.p90),
    s.earliest.orderByMs === null ? 'not needed' : day(s.earliest.orderByMs),
    `${money(s.cost.p10)} / ${money(s.cost.p50)} / ${money(s.cost.p90)}`,
  ]);
  const head = `Monte-Carlo plan: ${s.paths} demand paths; order-by dates for ${pct} confidence\n`;
  const tail =
    s.earliest.orderByMs === null
      ? `No service runs out within the horizon with ${pct} probability.\n`
      : `Order by ${day(s.earliest.orderByMs)} to have the nodes in time with ${pct} probability.\n`;
  return head + table(['service', 'runs out', 'exhaustion P10', 'P50', 'P90', `order by (${pct})`, `cost P10 / P50 / P90 (${currency})`], rows) + tail;
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

/** The terminal summary of a sweep: the grid, the tornado and the top two's interaction, the Monte-Carlo dates. */
export function formatSweep(report: SweepReport, axes: readonly SweepAxis[], written: readonly string[]): string {
  let out = `Sweep ${report.sweepId} of ${report.scenario} (seed ${report.seed})\n\n`;
  if (report.points.length > 0) out += `Grid: ${report.points.length} plans\n${formatPoints(axes, report.points, report.currency)}\n`;
  if (report.sensitivity) {
    out += `Sensitivity: each input alone at its low and high value (base: total cost ${Math.round(report.sensitivity.base.totalCost).toLocaleString('en-US')} ${report.currency})\n`;
    out += formatTornado(report.sensitivity.tornado, axes, report.currency) + '\n';
    const inter = report.sensitivity.interaction;
    if (inter) {
      const sub = inter.axes.map((n) => axes.find((a) => a.name === n)!);
      const pts = inter.points.map((p) => ({ ...p, values: inter.axes.map((n) => p.values[axes.findIndex((a) => a.name === n)]!) }));
      out += `Interaction of the top two (${inter.axes.join(' x ')})\n${formatPoints(sub, pts, report.currency)}\n`;
    }
  }
  if (report.monteCarlo) out += formatMonteCarlo(report.monteCarlo, report.currency) + '\n';
  if (written.length > 0) out += `Wrote ${written.join(', ')}\n`;
  return out;
}
