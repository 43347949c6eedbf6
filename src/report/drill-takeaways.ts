import type { DrillReport, TimelineRow } from '../drill/report.js';
import type { Comparison } from '../drill/verdict.js';
import { faultWindow, latencyWords, measuredLatency, peakLatency, phaseLatency, predictedLatency, type Latency } from './drill-view.js';
import { int, num, pct } from './format.js';
import { listOf } from './plan-takeaways.js';

/**
 * The sentences of the drill page: the verdict in words for someone who will not read the charts (did the SLO hold,
 * did the model predict it, was the fault undone, did the drill run to its end), and the sentence above each chart.
 * All from drill.json's own figures and timeline; plain text, the page escapes it.
 */

/** "p99 under 3 s, at most 1% of requests failed". */
export function sloWords(r: DrillReport): string {
  const h = r.drill.hypothesis;
  return `p99 under ${latencyWords({ kind: 'value', seconds: h.sloP99 })}, at most ${pct(h.maxErrors, h.maxErrors < 0.01 ? 1 : 0)} of requests failed`;
}

/**
 * The verdict in one line for someone who reads nothing else: "the SLO held through the fault, as the model
 * predicted; the fault was rolled back." or what went wrong, worst first (a failed rollback, an early stop).
 */
export function verdictHeadline(r: DrillReport): string {
  const v = r.verdict;
  const parts: string[] = [];
  if (v.rollback.ran && !v.rollback.ok) parts.push('THE ROLLBACK FAILED, the fault may still be in force');
  if (v.aborted !== null) parts.push('the drill stopped early');
  const slo = !v.hypothesisHeld ? 'the SLO broke' : v.phases.length === 3 ? 'the SLO held through the fault' : 'the SLO held before the fault';
  const prediction = predictionState(r);
  parts.push(`${slo}${prediction === 'held' ? ', as the model predicted' : prediction === 'off' ? ', and the prediction was off' : ` (the prediction ${prediction === 'not judged' ? 'could not be judged' : 'held where it could be judged'})`}`);
  if (v.rollback.ran && v.rollback.ok) parts.push('the fault was rolled back');
  if (!v.rollback.ran) parts.push('no fault was applied');
  return `${parts.join('; ')}.`;
}

/**
 * The prediction's state: held, off, not judged (no figure could be: the fault has no equivalent in the model, or
 * the drill stopped early), or held where judged (some figures could not be).
 */
export function predictionState(r: DrillReport): 'held' | 'off' | 'not judged' | 'held where judged' {
  const v = r.verdict;
  if (!v.predictionHeld) return 'off';
  const cs = [v.peakP99, v.errorShare, v.recoverySeconds];
  if (cs.every((c) => c.ok === null)) return 'not judged';
  return cs.some((c) => c.ok === null) ? 'held where judged' : 'held';
}

/** Did the SLO hold: "The SLO (...) held before, during and after the fault." or where it broke, with the figures. */
export function hypothesisSentence(r: DrillReport): string {
  const v = r.verdict;
  const complete = v.phases.length === 3;
  if (v.hypothesisHeld) {
    return complete
      ? `The SLO (${sloWords(r)}) held before, during and after the fault.`
      : `The SLO (${sloWords(r)}) held before the fault; the drill stopped early, so the fault and the recovery were not judged.`;
  }
  const broken = v.phases.filter((p) => !p.measured.held);
  const figures = broken.map((p) => `${p.name}: p99 ${latencyWords(phaseLatency(p.measured.p99, p.measured.errorShare))}, ${pct(p.measured.errorShare, 1)} failed`);
  return `The SLO (${sloWords(r)}) broke ${listOf(broken.map((p) => p.name))} the fault (${figures.join('; ')}).`;
}

function comparisonWords(what: string, c: Comparison, m: string, p: string): string {
  if (m === p && c.ok !== false) return `${what} ${m}, measured and predicted${c.ok === null ? ' (not judged)' : ''}`;
  const verdict = c.ok === null ? 'not judged' : c.ok ? `within ${c.tolerance}` : `OFF, more than ${c.tolerance}`;
  return `${what} ${m} measured against ${p} predicted (${verdict})`;
}

/** The three judged figures in words, measured against predicted, each with its tolerance and result. */
export function figureSentences(r: DrillReport): { peak: string; failed: string; recovery: string } {
  const v = r.verdict;
  const rec = (x: number | null) => (x === null ? 'no recovery within the drill' : `${int(x)} s`);
  return {
    peak: comparisonWords('peak p99', v.peakP99, latencyWords(peakLatency(r, 'measured')), latencyWords(peakLatency(r, 'predicted'))),
    failed: comparisonWords('failed share', v.errorShare, pct(v.errorShare.measured, 1), pct(v.errorShare.predicted, 1)),
    recovery: comparisonWords('time to recover after the rollback', v.recoverySeconds, rec(v.recoverySeconds.measured), rec(v.recoverySeconds.predicted)),
  };
}

/** Did the prediction hold: "The model predicted it: ..." or what it missed. */
export function predictionSentence(r: DrillReport): string {
  const v = r.verdict;
  const f = figureSentences(r);
  const phasesOff = v.phases.filter((p) => !p.asPredicted).map((p) => `the SLO ${p.measured.held ? 'held' : 'broke'} ${p.name} the fault, against a prediction that it would ${p.predicted.held ? 'hold' : 'break'}`);
  const notJudged = [v.peakP99, v.errorShare, v.recoverySeconds].find((c) => c.ok === null)?.note ?? null;
  const head = v.predictionHeld ? (notJudged !== null ? `The prediction held where it was judged (${notJudged})` : 'The model predicted this') : 'The prediction was off';
  return `${head}: ${[f.peak, f.failed, f.recovery, ...phasesOff].join('; ')}.`;
}

/** Was the fault undone: applied and rolled back at which second, and whether the rollback succeeded. */
export function rollbackSentence(r: DrillReport): string {
  const v = r.verdict;
  const w = faultWindow(r);
  if (!v.rollback.ran) return 'No fault action was applied, so there was nothing to roll back.';
  if (v.rollback.ok) return `The fault was rolled back${w !== null ? ` (applied at ${num(w.from)} s, rolled back at ${num(w.to)} s)` : ''} and the rollback succeeded.`;
  return `THE ROLLBACK FAILED${w !== null ? ` (applied at ${num(w.from)} s, rollback tried at ${num(w.to)} s)` : ''}: the fault may still be in force; see the fault actions below.`;
}

/** Did the drill run to its end. */
export function runSentence(r: DrillReport): string {
  return r.verdict.aborted === null ? `The drill ran its full ${num(r.drill.duration)} s.` : `The drill stopped early: ${r.verdict.aborted}.`;
}

const inFault = (r: DrillReport) => (row: TimelineRow) => row.t >= Math.floor(r.drill.fault.at) && row.t < r.drill.fault.at + r.drill.fault.for;
const afterFault = (r: DrillReport) => (row: TimelineRow) => row.t >= r.drill.fault.at + r.drill.fault.for;
const mean = (xs: readonly number[]): number => (xs.length === 0 ? NaN : xs.reduce((a, x) => a + x, 0) / xs.length);
const sum = (xs: readonly number[]): number => xs.reduce((a, x) => a + x, 0);

/** The first second and the count of seconds with no successful request from the fault's start, or null. */
function unboundedRun(rows: readonly TimelineRow[], of: (row: TimelineRow) => Latency): { first: number; count: number } | null {
  const stuck = rows.filter((row) => of(row).kind === 'unbounded');
  return stuck.length === 0 ? null : { first: stuck[0]!.t, count: stuck.length };
}

/**
 * Above the p99 chart: from the baseline to the peak, measured and predicted, then the recovery; or, when no request
 * succeeded for some seconds, from when and for how long, measured and predicted.
 */
export function p99Takeaway(r: DrillReport): string {
  const v = r.verdict;
  const before = v.phases[0]!;
  const base = latencyWords(phaseLatency(before.measured.p99, before.measured.errorShare));
  const from = r.timeline.filter((row) => row.t >= Math.floor(r.drill.fault.at));
  const mStuck = unboundedRun(from, (row) => measuredLatency(row.measured, 'p99'));
  const pStuck = unboundedRun(from, (row) => predictedLatency(row.predicted, 'p99'));
  let out: string;
  if (mStuck !== null) {
    const finiteMax = Math.max(0, ...from.map((row) => measuredLatency(row.measured, 'p99')).map((l) => (l.kind === 'value' ? l.seconds : 0)));
    const seconds = (s: { first: number; count: number }) => `${s.count} second${s.count === 1 ? '' : 's'} from ${s.first} s`;
    const baseSeconds = before.measured.p99 ?? Infinity;
    const rose = finiteMax > baseSeconds ? `p99 rose from ${base} before the fault to ${latencyWords({ kind: 'value', seconds: finiteMax })}` : `p99 was ${base} before the fault`;
    out = `${rose}; then no request succeeded in ${seconds(mStuck)}`;
    out += pStuck === null ? ' (predicted: every second had some success)' : pStuck.first === mStuck.first && pStuck.count === mStuck.count ? ' (predicted: the same seconds)' : ` (predicted: in ${seconds(pStuck)})`;
  } else {
    const peak = peakLatency(r, 'predicted');
    const ci = v.peakP99.predictedCi;
    const band = ci !== null && ci[0] !== null && ci[1] !== null && ci[0] !== ci[1] ? `, 95% band ${latencyWords({ kind: 'value', seconds: ci[0] })} to ${latencyWords({ kind: 'value', seconds: ci[1] })}` : '';
    out = `p99 rose from ${base} before the fault to a peak of ${latencyWords(peakLatency(r, 'measured'))} (predicted ${latencyWords(peak)}${band})`;
    if (pStuck !== null) out += `; the model predicted no success at all in ${pStuck.count} second${pStuck.count === 1 ? '' : 's'} from ${pStuck.first} s`;
  }
  const rec = v.recoverySeconds;
  if (v.aborted !== null) out += '; the drill stopped before the recovery could be seen';
  else if (rec.measured !== null) out += `, and was back to normal ${int(rec.measured)} s after the rollback (predicted ${rec.predicted === null ? 'no recovery within the drill' : `${int(rec.predicted)} s`})`;
  else out += `, and had not recovered by the drill's end (${rec.predicted === null ? 'as predicted' : `predicted: back ${int(rec.predicted)} s after the rollback`})`;
  return `${out}.`;
}

/** Above the rate chart: what the service answered during the fault and after it, against what was sent and predicted. */
export function rateTakeaway(r: DrillReport): string {
  const fault = r.timeline.filter(inFault(r)).filter((row) => row.measured !== null);
  const after = r.timeline.filter(afterFault(r)).filter((row) => row.measured !== null);
  if (fault.length === 0) return 'The drill stopped before the fault: no second of it was measured.';
  const sent = mean(fault.map((row) => row.measured!.offered));
  const got = mean(fault.map((row) => row.measured!.achieved));
  const pred = mean(fault.map((row) => row.predicted.achieved));
  let out = `During the fault the service answered ${num(got)} requests/s of the ${num(sent)}/s sent (predicted ${num(pred)}/s)`;
  if (after.length > 0) {
    const aSent = mean(after.map((row) => row.measured!.offered));
    const aMax = Math.max(...after.map((row) => row.measured!.achieved));
    const pMax = Math.max(...after.map((row) => row.predicted.achieved));
    const aMean = mean(after.map((row) => row.measured!.achieved));
    if (aMax === 0) out += `; after the rollback no request succeeded at all (predicted ${num(mean(after.map((row) => row.predicted.achieved)))}/s)`;
    else if (aMean < 0.5 * aSent) out += `; after the rollback it still answered only ${num(aMean)}/s on average (predicted ${num(mean(after.map((row) => row.predicted.achieved)))}/s)`;
    else if (aMax > 1.1 * aSent) out += `; after the rollback it caught up at up to ${num(aMax)}/s (predicted ${num(pMax)}/s), then followed the ${num(aSent)}/s sent`;
    else out += `; after the rollback it answered ${num(aMean)}/s (predicted ${num(mean(after.map((row) => row.predicted.achieved)))}/s)`;
  }
  return `${out}.`;
}

/** Above the failures chart: failed requests, timeouts and retries from the fault on, measured and predicted. */
export function failuresTakeaway(r: DrillReport): string {
  const from = r.timeline.filter((row) => row.t >= Math.floor(r.drill.fault.at));
  const m = from.filter((row) => row.measured !== null).map((row) => row.measured!);
  const failed = sum(m.map((x) => x.errors));
  const timedOut = sum(m.map((x) => x.timeouts));
  const retries = sum(m.map((x) => x.retries));
  const pFailed = sum(from.map((row) => row.predicted.errors));
  const pRetries = sum(from.map((row) => row.predicted.retries));
  const parts: string[] = [];
  parts.push(
    failed === 0
      ? `From the fault on no request failed for good (predicted ${int(pFailed)})`
      : `From the fault on ${int(failed)} requests failed for good${timedOut > 0 ? `, ${timedOut === failed ? 'all' : int(timedOut)} of them by timeout` : ''} (predicted ${int(pFailed)})`,
  );
  if (r.drill.client.retries === null) parts.push('the client does not retry');
  else {
    const last = m.at(-1);
    parts.push(`the clients sent ${int(retries)} retries (predicted ${int(pRetries)})${last !== undefined && last.retries > 0 && r.verdict.aborted === null ? `, still ${int(last.retries)} in the drill's last second: a retry storm that outlasted the fault` : ''}`);
  }
  return `${parts.join('; ')}.`;
}

/** Above the backlog chart: its peak and what was left at the end, measured and predicted. */
export function backlogTakeaway(r: DrillReport): string {
  const rows = r.timeline.filter((row) => row.measured !== null);
  if (rows.length === 0) return 'Nothing was measured.';
  const peakRow = rows.reduce((a, row) => (row.measured!.inFlight > a.measured!.inFlight ? row : a));
  const pPeakRow = r.timeline.reduce((a, row) => (row.predicted.inFlight > a.predicted.inFlight ? row : a));
  const last = rows.at(-1)!;
  return `The backlog peaked at ${int(peakRow.measured!.inFlight)} requests in flight at ${peakRow.t} s (predicted ${int(pPeakRow.predicted.inFlight)} at ${pPeakRow.t} s) and was ${int(last.measured!.inFlight)} at ${last.t === r.drill.duration - 1 ? "the drill's end" : `${last.t} s, the last second measured`} (predicted ${int(last.predicted.inFlight)}).`;
}
