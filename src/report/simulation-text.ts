/** The readable report of `headroom simulate` (without --json). */
import type { SimulationScenario } from '../sim/scenario.js';
import type { SloVerdict } from '../sim/slo-verdict.js';
import type { Estimate, MetricEstimates, SimSummary } from '../sim/summary.js';
import type { SeriesResult } from '../sim/types.js';

const ms = (s: number): string => fmt(s * 1e3);
const pct = (f: number): string => `${(f * 100).toFixed(f > 0.999 && f < 1 ? 3 : 2)}%`;

function fmt(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? '–' : String(x);
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a >= 1e5 || a < 1e-3) return x.toExponential(3);
  if (a >= 100) return x.toFixed(1);
  return x.toPrecision(4);
}

/** "mean ± half" with the half-width to 2 significant digits and the mean to the same decimals. */
function pm(e: Estimate, scale = 1): string {
  if (Number.isNaN(e.mean)) return '–';
  const mean = e.mean * scale;
  const half = ((e.ci95[1] - e.ci95[0]) / 2) * scale;
  if (!(half > 0) || !Number.isFinite(half)) return fmt(mean);
  // Tiny values (drop fractions of a few per million): scientific notation reads better than a row of zeros.
  if (half < 1e-4 && Math.abs(mean) < 1e-3) return `${mean.toExponential(1)} ± ${half.toExponential(1)}`;
  const decimals = Math.min(12, Math.max(0, 1 - Math.floor(Math.log10(half))));
  return `${mean.toFixed(decimals)} ± ${Number(half.toPrecision(2))}`;
}

const ROWS: ReadonlyArray<readonly [string, keyof MetricEstimates, number]> = [
  ['utilization', 'utilization', 1],
  ['mean wait (ms)', 'meanWait', 1e3],
  ['mean response (ms)', 'meanResponse', 1e3],
  ['p50 response (ms)', 'p50Response', 1e3],
  ['p95 response (ms)', 'p95Response', 1e3],
  ['p99 response (ms)', 'p99Response', 1e3],
  ['p99.9 response (ms)', 'p999Response', 1e3],
  ['throughput (/s)', 'throughput', 1],
  ['arrival rate (/s)', 'arrivalRate', 1],
  ['drop fraction', 'dropFraction', 1],
  ['mean queue length', 'meanQueueLength', 1],
  ['mean in system', 'meanInSystem', 1],
];

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/**
 * The terminal report of a simulation: a table of every metric per station and end to end (mean ± 95% CI half-width),
 * the totals, the error shares, the SLO verdict, the per-interval series when there is one, and a banner when the
 * system was unstable.
 */
export function formatSimulation(s: SimulationScenario, summary: SimSummary, slo: SloVerdict | null): string {
  const out: string[] = [];
  const names = Object.keys(summary.stations);
  out.push(
    `${s.file}${s.name ? ` (${s.name})` : ''}: ${summary.replicas} replica(s), seed ${summary.seed}, ` +
      `${fmt(summary.measuredTime.mean)} s measured per replica; mean ± 95% CI half-width`,
  );
  if (summary.intervalNote) out.push(`note: ${summary.intervalNote}`);
  out.push('');
  const header = ['metric', ...names, 'end to end'];
  const rows: string[][] = ROWS.map(([label, key, scale]) => [
    label,
    ...names.map((n) => pm(summary.stations[n]![key], scale)),
    pm(summary.endToEnd[key], scale),
  ]);
  rows.push(['offered utilization', ...names.map((n) => pm(summary.stations[n]!.offeredUtilization)), '']);
  const countKeys = ['arrived', 'completed', 'dropped', 'timedOut', 'retries', 'inFlight'] as const;
  for (const k of countKeys) {
    rows.push([`${k} (total)`, ...names.map((n) => String(summary.stations[n]!.counts[k])), String(summary.endToEnd.counts[k])]);
  }
  out.push(table(header, rows));
  const e = summary.endToEnd;
  out.push('');
  out.push(`errors ${pm(e.errorFraction)}, timeouts ${pm(e.timeoutFraction)}, attempts per request ${pm(e.amplification)}`);
  if (slo) {
    const verdict = slo.met === null ? '' : slo.met ? ` — target ${pct(slo.target!)}: met` : ` — target ${pct(slo.target!)}: NOT MET`;
    const half = (slo.attainment.ci95[1] - slo.attainment.ci95[0]) / 2;
    out.push(`SLO: ${pct(slo.attainment.mean)} ± ${Number((half * 100).toPrecision(2))}% of requests within ${ms(slo.latency)} ms${verdict}`);
  }
  if (summary.series && summary.series.t.length > 0) out.push('', formatSeries(summary.series));
  if (summary.unstable) {
    const u = summary.unstable;
    const bar = '!'.repeat(78);
    out.push(
      '',
      bar,
      `!! UNSTABLE: the offered load exceeds capacity; ${u.replicasStopped > 0 ? `${u.replicasStopped} of ${summary.replicas} replica(s) stopped early.` : `${u.reports.length} of ${summary.replicas} replica(s) ended with a growing backlog.`}`,
      `!! bottleneck: ${u.bottleneck}, offered utilisation ${fmt(u.offeredUtilization)} (≥ 1 cannot keep up)`,
      `!! requests in flight grew by ${fmt(u.queueGrowthPerSecond)}/s; ${u.replicasStopped > 0 ? 'stopped' : 'ended'} at t = ${fmt(u.stoppedAt)} s with ${u.inFlight} in flight`,
      '!! the figures above describe a bounded run, not a steady state: add capacity or reduce the load.',
      bar,
    );
  }
  return `${out.join('\n')}\n`;
}

/** A compact per-interval table: end-to-end rates and latency, utilisation per station, nodes where they change. */
function formatSeries(series: SeriesResult): string {
  const iv = series.interval;
  const minutes = iv >= 60;
  const scaled = series.stations.filter((st) => Math.min(...st.nodes) !== Math.max(...st.nodes));
  const header = [
    `t (${minutes ? 'min' : 's'})`,
    'arrivals/s',
    'failures/s',
    'mean resp (ms)',
    'in flight',
    ...series.stations.map((st) => `${st.name} util`),
    ...scaled.map((st) => `${st.name} nodes`),
  ];
  const e = series.endToEnd;
  const rows = series.t.map((t, k) => [
    String(Number((minutes ? t / 60 : t).toFixed(2))),
    fmt(e.arrivals[k]! / iv),
    fmt(e.failures[k]! / iv),
    fmt(e.meanResponse[k]! * 1e3),
    fmt(e.inFlight[k]!),
    ...series.stations.map((st) => (Number.isNaN(st.utilization[k]!) ? '–' : st.utilization[k]!.toFixed(3))),
    ...scaled.map((st) => st.nodes[k]!.toFixed(1)),
  ]);
  return `per interval of ${fmt(iv)} s (mean over replicas; t is the end of the interval):\n${table(header, rows)}`;
}

/** The one line of a missed SLO target: "SLO not met: 97.52% of requests within 200 ms, target 99.00%". */
export function sloNotMetMessage(slo: SloVerdict): string {
  return `SLO not met: ${pct(slo.attainment.mean)} of requests within ${ms(slo.latency)} ms, target ${pct(slo.target!)}`;
}
