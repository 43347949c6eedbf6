import type { DrillReport, TimelineRow } from './report.js';
import type { Comparison } from './verdict.js';

/** Milliseconds; "none" for a latency with no answer at all (Infinity), "-" where there is nothing. */
const ms = (s: number | null | undefined): string => (s === Infinity ? 'none' : s === null || s === undefined || !Number.isFinite(s) ? '-' : (s * 1000).toFixed(0));
const msUnit = (s: number): string => (s === Infinity ? 'no answer' : `${ms(s)} ms`);
const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '-');
const num = (x: number, digits = 0): string => (Number.isFinite(x) ? x.toFixed(digits) : '-');
const cell = (x: number | null | undefined, digits = 6): string => (x === null || x === undefined || !Number.isFinite(x) ? '' : String(Number(x.toFixed(digits))));

export const TIMELINE_CSV_COLUMNS = [
  't',
  'phase',
  'offered',
  'achieved',
  'p50_s',
  'p99_s',
  'errors',
  'timeouts',
  'retries',
  'in_flight',
  'predicted_offered',
  'predicted_achieved',
  'predicted_p50_s',
  'predicted_p99_s',
  'predicted_p99_lo_s',
  'predicted_p99_hi_s',
  'predicted_errors',
  'predicted_timeouts',
  'predicted_retries',
  'predicted_in_flight',
] as const;

/** The per-second timeline as CSV, one row per second, measured then predicted; an empty cell where there is no value. */
export function timelineCsv(rows: readonly TimelineRow[]): string {
  const lines = [TIMELINE_CSV_COLUMNS.join(',')];
  for (const r of rows) {
    const m = r.measured;
    const p = r.predicted;
    lines.push(
      [
        String(r.t),
        r.phase,
        cell(m?.offered),
        cell(m?.achieved),
        cell(m?.p50),
        cell(m?.p99),
        cell(m?.errors),
        cell(m?.timeouts),
        cell(m?.retries),
        cell(m?.inFlight),
        cell(p.offered, 2),
        cell(p.achieved, 2),
        cell(p.p50),
        cell(p.p99),
        cell(p.p99Ci95[0]),
        cell(p.p99Ci95[1]),
        cell(p.errors, 2),
        cell(p.timeouts, 2),
        cell(p.retries, 2),
        cell(p.inFlight, 2),
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

function comparisonLine(name: string, c: Comparison, unit: (x: number) => string): string {
  const mark = c.ok === null ? 'not judged' : c.ok ? 'ok' : 'OFF';
  const show = (x: number | null): string => (x === null ? 'none' : x === Infinity ? 'no answer' : unit(x));
  const m = show(c.measured);
  const p = show(c.predicted);
  const ci = c.predictedCi && !Number.isNaN(c.predictedCi[0]) ? ` [${show(c.predictedCi[0])}, ${show(c.predictedCi[1])}]` : '';
  return `  ${name.padEnd(22)} measured ${m.padStart(9)}   predicted ${p.padStart(9)}${ci}   tolerance ${c.tolerance}: ${mark}${c.note ? ` (${c.note})` : ''}`;
}

/** The drill for people: the timeline (every second, measured | predicted) and the verdict. */
export function formatDrill(r: DrillReport): string {
  const d = r.drill;
  const out: string[] = [];
  out.push(`drill ${d.name ?? d.file}: ${d.method} ${d.target} at ${d.ratePerSec}/s (${d.arrivals}) for ${d.duration} s`);
  out.push(`  model ${d.model}, service ${d.services.join(' -> ')}, ${d.nodes} node${d.nodes === 1 ? '' : 's'} x ${d.workersPerNode} workers`);
  out.push(`  fault at ${d.fault.at} s for ${d.fault.for} s: ${d.fault.actions.join('; ')}`);
  if (d.client.timeout !== null || d.client.retries !== null) {
    const rt = d.client.retries;
    out.push(`  client: timeout ${d.client.timeout ?? 'none'} s${rt ? `, ${rt.max} retries (backoff ${rt.backoff} s up to ${rt.maxBackoff} s, ${rt.jitter} jitter)` : ''}`);
  }
  const c = r.prediction.calibration;
  if (c) out.push(`  predicted with the service time measured during the baseline: ${(c.measuredSeconds * 1000).toFixed(2)} ms per task (${c.tasks} tasks; the model says ${(c.modelSeconds * 1000).toFixed(2)} ms)`);
  for (const rec of r.recovered) out.push(`  rolled back first what an earlier drill left (${rec.file}): ${rec.ok ? 'ok' : 'FAILED'}`);
  out.push('');
  out.push('                 measured                                                   | predicted');
  out.push('   t  phase      offered  achieved   p50 ms   p99 ms  err  tmo  rty  infl |  achieved   p50 ms   p99 ms [95% CI]     err   rty  infl');
  for (const row of r.timeline) {
    const m = row.measured;
    const p = row.predicted;
    const left = m
      ? `${num(m.offered).padStart(7)}  ${num(m.achieved).padStart(8)}  ${ms(m.p50).padStart(7)}  ${ms(m.p99).padStart(7)}  ${num(m.errors).padStart(3)}  ${num(m.timeouts).padStart(3)}  ${num(m.retries).padStart(3)}  ${num(m.inFlight).padStart(4)}`
      : '      -         -        -        -    -    -    -     -';
    const ci = `[${ms(p.p99Ci95[0])}, ${ms(p.p99Ci95[1])}]`;
    out.push(
      `${String(row.t).padStart(4)}  ${row.phase.padEnd(9)}${left} | ${num(p.achieved).padStart(8)}  ${ms(p.p50).padStart(7)}  ${ms(p.p99).padStart(7)} ${ci.padEnd(14)} ${num(p.errors).padStart(5)} ${num(p.retries).padStart(5)} ${num(p.inFlight).padStart(5)}`,
    );
  }
  out.push('');
  const cpu = r.cpuPerRequest;
  if (Number.isFinite(cpu.generatorMs)) {
    out.push(`  CPU per request: generator ${cpu.generatorMs.toFixed(2)} ms${cpu.targetMs !== null ? `, serve-demo ${cpu.targetMs.toFixed(2)} ms` : ''} (both on this machine's cores)`);
  }
  for (const a of r.applied) out.push(`  applied    ${a.what}: ${a.ok ? 'ok' : `FAILED (${a.error ?? ''})`}${a.output && !a.what.startsWith('POST') ? ` — ${a.output.split('\n')[0]}` : ''} at t=${a.startedAt.toFixed(1)} s`);
  for (const a of r.rolledBack) out.push(`  rolled back ${a.what}: ${a.ok ? 'ok' : `FAILED (${a.error ?? ''})`} at t=${a.startedAt.toFixed(1)} s`);
  const v = r.verdict;
  if (r.warnings.length > 0) {
    out.push('');
    out.push('warnings:');
    for (const w of r.warnings) out.push(`  ${w}`);
  }
  out.push('');
  out.push('verdict:');
  for (const p of v.phases) {
    out.push(
      `  SLO ${p.name.padEnd(6)} the fault  measured p99 ${msUnit(p.measured.p99).padStart(9)}, errors ${pct(p.measured.errorShare).padStart(6)}: ${p.measured.held ? 'held' : 'BROKEN'}   predicted p99 ${msUnit(p.predicted.p99).padStart(9)}, errors ${pct(p.predicted.errorShare).padStart(6)}: ${p.predicted.held ? 'held' : 'broken'}${p.asPredicted ? '' : '  (NOT as predicted)'}`,
    );
  }
  out.push(comparisonLine('peak p99', v.peakP99, (x) => `${ms(x)} ms`));
  out.push(comparisonLine('failed share', v.errorShare, pct));
  out.push(comparisonLine('time to recover', v.recoverySeconds, (x) => `${x} s`));
  out.push(`  peak backlog           measured ${num(v.peakInFlight.measured).padStart(9)}   predicted ${num(v.peakInFlight.predicted).padStart(9)}   (requests in flight)`);
  out.push(`  rollback: ${v.rollback.ran ? (v.rollback.ok ? 'ran and succeeded' : 'FAILED') : 'nothing to roll back (no fault applied)'}`);
  out.push(`${v.ok ? 'PASS' : 'FAIL'}: ${v.message}`);
  return out.join('\n') + '\n';
}
