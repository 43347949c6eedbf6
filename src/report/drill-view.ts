import type { DrillReport, TimelineRow } from '../drill/report.js';

/**
 * drill.json read for the page. JSON has no Infinity and no NaN: the drill saves both as null, so a null latency is
 * either "nothing succeeded while requests failed or waited" (unbounded: the drill's Infinity) or "nothing happened"
 * (the drill's NaN). The counts beside it tell which, by the rule the drill itself used to write it (src/drill/load.ts:
 * Infinity when no request succeeded in the second and some failed or were still in flight; src/drill/predict.ts: the
 * median over replicas is NaN only when every replica saw nothing at all). The page then draws an unbounded second as
 * one, never as a number.
 */

/** A latency as the page shows it: seconds, unbounded (no request succeeded), or nothing to show. */
export type Latency = { readonly kind: 'value'; readonly seconds: number } | { readonly kind: 'unbounded' } | { readonly kind: 'none' };

const NONE: Latency = { kind: 'none' };
const UNBOUNDED: Latency = { kind: 'unbounded' };

/** A saved latency (null, or Infinity when the report was not through JSON) with whether anything happened beside it. */
function latencyOf(x: number | null | undefined, active: boolean): Latency {
  if (typeof x === 'number' && Number.isFinite(x)) return { kind: 'value', seconds: x };
  if (x === Infinity) return UNBOUNDED;
  return active ? UNBOUNDED : NONE;
}

/**
 * A measured second's p50 or p99. Null with no success and some failure or backlog is unbounded (load.ts's rule).
 * @example measuredLatency({ offered: 117, achieved: 0, p50: null, p99: null, errors: 3, timeouts: 3, retries: 312, inFlight: 443, oldestInFlight: 3.6 }, 'p99') // => { kind: 'unbounded' }
 */
export function measuredLatency(m: TimelineRow['measured'] | null, which: 'p50' | 'p99'): Latency {
  if (m === null) return NONE;
  return latencyOf(m[which] as number | null, m.achieved === 0 && (m.errors > 0 || m.inFlight > 0));
}

/** A predicted second's p50 or p99 (the median over replicas): null with any activity predicted in it is unbounded. */
export function predictedLatency(p: TimelineRow['predicted'], which: 'p50' | 'p99'): Latency {
  return latencyOf(p[which] as number | null, p.offered > 0 || p.achieved > 0 || p.errors > 0 || p.inFlight > 0);
}

/** The 95% interval of a predicted p99; a null bound beside a median that exists is unbounded (predict.ts: NaN bounds only with a NaN median). */
export function predictedBand(p: TimelineRow['predicted']): readonly [Latency, Latency] {
  const active = predictedLatency(p, 'p99').kind !== 'none';
  return [latencyOf(p.p99Ci95[0] as number | null, active), latencyOf(p.p99Ci95[1] as number | null, active)];
}

/** A phase's p99 from the verdict: unbounded when null while requests failed in it (load.ts's phase rule). */
export function phaseLatency(p99: number | null, errorShare: number | null): Latency {
  return latencyOf(p99, typeof errorShare === 'number' && errorShare > 0);
}

/**
 * The peak p99 from the fault's start, measured or predicted, from the verdict's figure: null there is unbounded when
 * a second of the timeline from the fault's start on is (the drill's maximum is then Infinity), else nothing.
 */
export function peakLatency(r: DrillReport, side: 'measured' | 'predicted'): Latency {
  const x = (side === 'measured' ? r.verdict.peakP99.measured : r.verdict.peakP99.predicted) as number | null;
  const from = Math.floor(r.drill.fault.at);
  const rows = r.timeline.filter((row) => row.t >= from);
  const any = rows.some((row) => (side === 'measured' ? measuredLatency(row.measured, 'p99') : predictedLatency(row.predicted, 'p99')).kind === 'unbounded');
  return latencyOf(x, any);
}

/**
 * A latency in words for people: "45 ms", "1.81 s", "no answer" (unbounded), "-" (nothing).
 * @example latencyWords({ kind: 'value', seconds: 1.8094 }) // => '1.81 s'
 */
export function latencyWords(l: Latency): string {
  if (l.kind === 'none') return '-';
  if (l.kind === 'unbounded') return 'no answer';
  const s = l.seconds;
  if (s === 0) return '0 ms';
  if (s >= 1) return `${Number(s.toPrecision(3))} s`;
  const ms = s * 1000;
  return `${ms >= 10 ? ms.toFixed(0) : ms.toPrecision(2)} ms`;
}

/** A span of the drill's time, seconds from its start: [from, to). */
export interface Span {
  readonly name: 'baseline' | 'steady' | 'fault' | 'recovery';
  readonly from: number;
  readonly to: number;
}

/**
 * The drill's phases as they ran: baseline, steady (when the fault starts after the baseline), the fault from its
 * first action to its rollback (as planned when no action was applied), recovery to the end; empty ones left out.
 * The fault's real window differs from the plan when an abort or an interrupt rolled it back early.
 */
export function phaseSpans(r: DrillReport): Span[] {
  const d = r.drill;
  const w = faultWindow(r) ?? { from: d.fault.at, to: d.fault.at + d.fault.for };
  const spans: Span[] = [
    { name: 'baseline', from: 0, to: Math.min(d.baseline, w.from) },
    { name: 'steady', from: d.baseline, to: d.fault.at > d.baseline ? w.from : d.baseline },
    { name: 'fault', from: w.from, to: w.to },
    { name: 'recovery', from: w.to, to: d.duration },
  ];
  return spans.filter((s) => s.to > s.from);
}

/**
 * When the fault was really in force: from the first action applied to the rollback's start (to the drill's end when
 * no rollback ran), seconds from the drill's start; null when no action was applied.
 */
export function faultWindow(r: DrillReport): { readonly from: number; readonly to: number } | null {
  if (r.applied.length === 0) return null;
  const from = Math.min(...r.applied.map((a) => a.startedAt));
  const to = r.rolledBack.length > 0 ? Math.min(...r.rolledBack.map((a) => a.startedAt)) : r.drill.duration;
  return { from, to: Math.max(from, to) };
}
