import type { StepRecord } from '../drill/actions.js';
import type { DrillReport, TimelineRow } from '../drill/report.js';
import type { Comparison } from '../drill/verdict.js';
import { VERSION } from '../version.js';
import { renderChart } from './chart.js';
import { backlogSpec, failuresSpec, p99Spec, rateSpec } from './drill-charts.js';
import { backlogTakeaway, failuresTakeaway, hypothesisSentence, predictionState, verdictHeadline, p99Takeaway, predictionSentence, rateTakeaway, rollbackSentence, runSentence, sloWords } from './drill-takeaways.js';
import { faultWindow, latencyWords, measuredLatency, peakLatency, phaseLatency, predictedBand, predictedLatency, type Latency } from './drill-view.js';
import { int, num, pct } from './format.js';
import { esc, figure, list, page, table, type Cell } from './html.js';

/**
 * The drill page from drill.json: the verdict in words and four cards (the SLO, the prediction, the rollback, the
 * run), then the two timelines overlaid second by second with the fault's window shaded (p99 with the prediction's
 * 95% band, achieved against offered rate, failures and retries, the backlog), the judged figures with their
 * tolerances, the fault actions with their statuses, and the hypothesis and set-up. Pure: nothing is measured or
 * simulated again; the same drill.json gives the same bytes.
 */
export async function renderDrillReport(r: DrillReport): Promise<string> {
  const d = r.drill;
  const title = `Failure drill: ${d.name ?? d.file}`;
  const started = r.startedAt.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
  const sub = `${d.method} ${d.target} at ${num(d.ratePerSec)} requests/s (${d.arrivals}) for ${num(d.duration)} s · fault at ${num(d.fault.at)} s for ${num(d.fault.for)} s: ${d.fault.actions.join('; ')} · started ${started}`;
  const body = `<header class="page"><h1>${esc(title)}</h1><p class="sub">${esc(sub)}</p>
<p class="sub">${esc(`model ${d.model}, service ${d.services.join(' → ')}, ${d.nodes} node${d.nodes === 1 ? '' : 's'} × ${d.workersPerNode} workers · ${r.prediction.replicas} simulator replicas, seed ${r.prediction.seed}`)}</p></header>
${summary(r)}
${await charts(r)}
${verdictSection(r)}
${faultSection(r)}
${setupSection(r)}`;
  return page(title, body, `headroom ${esc(VERSION)} · rendered from drill.json of ${esc(d.file)}`);
}

const yes = (ok: boolean, good: string, bad: string): string => `<span class="${ok ? 'ok' : 'fail'}">${esc(ok ? good : bad)}</span>`;

function card(title: string, ok: boolean | null, big: string, rows: ReadonlyArray<readonly [string, string]>): string {
  return `<div class="card"><h3>${esc(title)}</h3><div class="big ${ok === null ? 'muted' : ok ? 'ok' : 'fail'}">${esc(big)}</div>
${rows.map(([k, v]) => `<div class="row"><span>${esc(k)}</span><span>${v}</span></div>`).join('')}</div>`;
}

function summary(r: DrillReport): string {
  const v = r.verdict;
  const headline = `${v.ok ? 'Passed' : 'Failed'}: ${verdictHeadline(r)}`;
  const lines = [hypothesisSentence(r), predictionSentence(r), rollbackSentence(r), runSentence(r)];
  const phaseRows = v.phases.map((p) => [p.name, `${esc(latencyWords(phaseLatency(p.measured.p99, p.measured.errorShare)))}, ${esc(pct(p.measured.errorShare, 1))} ${yes(p.measured.held, 'held', 'broken')}`] as const);
  const judged = (c: Comparison, m: string, p: string) => `${esc(`${m} / ${p}`)} ${c.ok === null ? '<span class="muted">not judged</span>' : yes(c.ok, 'ok', 'off')}`;
  const rec = (x: number | null) => (x === null ? 'none' : `${int(x)} s`);
  const w = faultWindow(r);
  const steps = [...r.applied, ...r.rolledBack];
  const prediction = predictionState(r);
  const sent = r.timeline.reduce((a, row) => a + (row.measured?.offered ?? 0), 0);
  const cards = [
    card('SLO (the hypothesis)', v.hypothesisHeld, v.hypothesisHeld ? 'held' : 'broken', [['SLO', esc(sloWords(r))], ...phaseRows]),
    card('Prediction', prediction === 'not judged' ? null : v.predictionHeld, prediction === 'held' ? 'as predicted' : prediction, [
      ['measured / predicted', ''],
      ['peak p99', judged(v.peakP99, latencyWords(peakLatency(r, 'measured')), latencyWords(peakLatency(r, 'predicted')))],
      ['failed', judged(v.errorShare, pct(v.errorShare.measured, 1), pct(v.errorShare.predicted, 1))],
      ['recovery', judged(v.recoverySeconds, rec(v.recoverySeconds.measured), rec(v.recoverySeconds.predicted))],
    ]),
    card('Rollback', v.rollback.ok, !v.rollback.ran ? 'nothing applied' : v.rollback.ok ? 'ran and succeeded' : 'FAILED', [
      ['fault applied at', esc(w === null ? '-' : `${num(w.from)} s`)],
      [v.rollback.ok ? 'rolled back at' : 'rollback tried at', esc(w === null || r.rolledBack.length === 0 ? '-' : `${num(w.to)} s`)],
      ['steps ok', esc(`${steps.filter((s) => s.ok).length} of ${steps.length}`)],
    ]),
    card('Run', v.aborted === null, v.aborted === null ? 'ran to its end' : 'stopped early', [
      ['duration', esc(`${num(r.drill.duration)} s`)],
      ['requests sent', esc(int(sent))],
      ...(v.aborted !== null ? [['why', esc(v.aborted)] as const] : []),
      ['load average before', esc(num(r.machine.loadAverage))],
    ]),
  ];
  const warnings = r.warnings.length > 0 ? `<div class="warnings"><h3>Warnings</h3>${list(r.warnings)}</div>` : '';
  return `<section id="summary"><h2>Verdict</h2>
<p class="headline ${v.ok ? 'ok' : 'fail'}">${esc(headline)}</p>
${list(lines, 'verdict')}
<p class="note">${esc(`headroom drill exited ${v.exitCode}: 0 when the SLO held, the prediction held and the rollback succeeded, 1 otherwise.`)}</p>
${warnings}
<div class="cards">${cards.join('\n')}</div></section>`;
}

const lat = (l: Latency): Cell => ({ html: esc(latencyWords(l)), num: true });
const n0 = (x: number | null | undefined): Cell => ({ html: esc(x === null || x === undefined ? '-' : num(x)), num: true });

/** Whether any second, measured or predicted, had no successful request. */
function anyUnbounded(r: DrillReport): boolean {
  return r.timeline.some((row) => measuredLatency(row.measured, 'p99').kind === 'unbounded' || predictedLatency(row.predicted, 'p99').kind === 'unbounded');
}

async function charts(r: DrillReport): Promise<string> {
  const rows = r.timeline;
  const t = (row: TimelineRow): Cell[] => [{ html: esc(String(row.t)), num: true }, row.phase];
  const fault = 'The shaded band is the fault as it ran, from the first action applied to the rollback; each point is one second, drawn at its middle.';

  const pTitle = 'p99 latency per second: measured against predicted (ms)';
  const pRows = rows.map((row) => {
    const [lo, hi] = predictedBand(row.predicted);
    return [...t(row), lat(measuredLatency(row.measured, 'p50')), lat(measuredLatency(row.measured, 'p99')), lat(predictedLatency(row.predicted, 'p50')), lat(predictedLatency(row.predicted, 'p99')), { html: esc(lo.kind === 'none' ? '-' : latencyWords(lo) === latencyWords(hi) ? latencyWords(lo) : `${latencyWords(lo)} to ${latencyWords(hi)}`), num: true }] as Cell[];
  });
  const f1 = figure({
    id: 'p99',
    title: pTitle,
    takeaway: p99Takeaway(r),
    svg: await renderChart(p99Spec(r), pTitle),
    data: table(['t (s)', 'phase', 'p50', 'p99', 'predicted p50', 'predicted p99', 'predicted p99, 95% band'], pRows),
    note: `${fault} Latency runs from a request's intended send to its success, retries included (open model: no coordinated omission). Predicted: the median over ${r.prediction.replicas} simulator replicas, with its 95% band (distribution-free, from the replicas' order statistics). ${anyUnbounded(r) ? '▲ along the top: a second in which no request succeeded (filled: measured; open: predicted), where latency has no value to draw. ' : ''}Recovered: p99 back under the dotted "normal" line (${pct(r.drill.hypothesis.recoveryMargin)} above the baseline's worst second, the first left out), with the failed share within the SLO, for 3 s in a row.`,
  });

  const rTitle = 'Achieved against offered rate per second (requests/s)';
  const rRows = rows.map((row) => [...t(row), n0(row.measured?.offered), n0(row.measured?.achieved), n0(row.predicted.offered), n0(row.predicted.achieved)] as Cell[]);
  const f2 = figure({ id: 'rate', title: rTitle, takeaway: rateTakeaway(r), svg: await renderChart(rateSpec(r), rTitle), data: table(['t (s)', 'phase', 'offered', 'achieved (2xx)', 'predicted offered', 'predicted achieved'], rRows), note: `${fault} Achieved: requests that succeeded in the second; predicted: the mean over the replicas.` });

  const eTitle = 'Failed requests, timeouts and retries per second';
  const eRows = rows.map((row) => [...t(row), n0(row.measured?.errors), n0(row.measured?.timeouts), n0(row.measured?.retries), n0(row.predicted.errors), n0(row.predicted.timeouts), n0(row.predicted.retries)] as Cell[]);
  const c = r.drill.client;
  const clientWords = `The client: ${c.timeout === null ? 'no timeout' : `each attempt times out after ${latencyWords({ kind: 'value', seconds: c.timeout })}`}${c.retries ? `, up to ${c.retries.max} retries (backoff ${latencyWords({ kind: 'value', seconds: c.retries.backoff })} doubling up to ${latencyWords({ kind: 'value', seconds: c.retries.maxBackoff })}, ${c.retries.jitter} jitter)` : ', no retries'}.`;
  const f3 = figure({ id: 'failures', title: eTitle, takeaway: failuresTakeaway(r), svg: await renderChart(failuresSpec(r), eTitle), data: table(['t (s)', 'phase', 'failed', 'timed out', 'retries', 'predicted failed', 'predicted timed out', 'predicted retries'], eRows), note: `${fault} Failed for good: the request's last attempt failed (error answer, connection error, timeout) with no retry left; timed out is a part of it. ${clientWords}` });

  const bTitle = 'Backlog: requests in flight at the end of each second';
  const bRows = rows.map((row) => [...t(row), n0(row.measured?.inFlight), n0(row.predicted.inFlight), lat(row.measured === null ? { kind: 'none' } : { kind: 'value', seconds: row.measured.oldestInFlight })] as Cell[]);
  const f4 = figure({ id: 'backlog', title: bTitle, takeaway: backlogTakeaway(r), svg: await renderChart(backlogSpec(r), bTitle), data: table(['t (s)', 'phase', 'in flight', 'predicted in flight', 'oldest in flight'], bRows), note: `${fault} In flight: client requests waiting for an answer or for a retry. Not judged; it shows the queue the fault built and how it drained.` });
  return `<section id="timelines"><h2>The drill second by second, measured and predicted</h2>${f1}${f2}${f3}${f4}</section>`;
}

function verdictSection(r: DrillReport): string {
  const v = r.verdict;
  const held = (c: Comparison): Cell => ({ html: c.ok === null ? `<span class="muted">not judged</span>` : yes(c.ok, 'yes', 'NO'), num: false });
  const note = (c: Comparison): Cell => ({ html: esc(c.note ?? ''), wrap: true });
  const ci = v.peakP99.predictedCi;
  const active = peakLatency(r, 'predicted').kind !== 'none';
  const band = (x: number | null): Latency => (typeof x === 'number' ? { kind: 'value', seconds: x } : active ? { kind: 'unbounded' } : { kind: 'none' });
  const peakBand = ci !== null && active && ci[0] !== ci[1] ? ` (95% band ${latencyWords(band(ci[0]))} to ${latencyWords(band(ci[1]))})` : '';
  const rec = (x: number | null) => (x === null ? 'not within the drill' : `${int(x)} s`);
  const rows: Cell[][] = [
    ['Peak p99, from the fault on', lat(peakLatency(r, 'measured')), { html: esc(`${latencyWords(peakLatency(r, 'predicted'))}${peakBand}`), num: true }, v.peakP99.tolerance, held(v.peakP99), note(v.peakP99)],
    ['Failed share, from the fault on', { html: esc(pct(v.errorShare.measured, 1)), num: true }, { html: esc(pct(v.errorShare.predicted, 1)), num: true }, v.errorShare.tolerance, held(v.errorShare), note(v.errorShare)],
    ['Time to recover after the rollback', { html: esc(rec(v.recoverySeconds.measured)), num: true }, { html: esc(rec(v.recoverySeconds.predicted)), num: true }, v.recoverySeconds.tolerance, held(v.recoverySeconds), note(v.recoverySeconds)],
    ['Peak backlog (requests in flight)', n0(v.peakInFlight.measured), n0(v.peakInFlight.predicted), '-', { html: '<span class="muted">information</span>' }, ''],
  ];
  const phaseRows = v.phases.map((p) => [
    `${p.name} the fault`,
    { html: esc(`${num(p.from)} to ${num(p.to)} s`), num: true },
    lat(phaseLatency(p.measured.p99, p.measured.errorShare)),
    { html: esc(pct(p.measured.errorShare, 1)), num: true },
    { html: yes(p.measured.held, 'held', 'broken') },
    lat(phaseLatency(p.predicted.p99, p.predicted.errorShare)),
    { html: esc(pct(p.predicted.errorShare, 1)), num: true },
    p.predicted.held ? 'held' : 'broken',
    { html: yes(p.asPredicted, 'yes', 'NO') },
  ] as Cell[]);
  return `<section id="verdict"><h2>The figures judged</h2>
<p class="muted">${esc('The prediction holds when each figure is within its tolerance and the SLO held (or broke) in each phase as predicted.')}</p>
${table(['figure', 'measured', 'predicted', 'tolerance', 'within?', 'note'], rows)}
<h3>The SLO in each phase (${esc(sloWords(r))})</h3>
${table(['phase', 'seconds', 'p99', 'failed', 'SLO', 'predicted p99', 'predicted failed', 'predicted SLO', 'as predicted?'], phaseRows)}
<p class="note">${esc("A phase's p99 is over every request that succeeded in it; \"no answer\" when none did while some failed.")}</p></section>`;
}

function stepRow(kind: string, s: StepRecord): Cell[] {
  const exit = s.signal !== null ? `signal ${s.signal}` : s.status === null ? '-' : String(s.status);
  const out = s.error ?? s.output.split('\n')[0] ?? '';
  return [
    kind,
    { html: esc(`${s.startedAt.toFixed(1)} s`), num: true },
    { html: esc(s.what), wrap: true },
    { html: yes(s.ok, 'ok', 'FAILED') },
    { html: esc(`${exit}${s.timedOut ? ' (timed out)' : ''}`), num: true },
    { html: esc(`${(s.seconds * 1000).toFixed(0)} ms`), num: true },
    { html: esc(out.length > 200 ? `${out.slice(0, 200)}…` : out), wrap: true },
  ];
}

/** Where the undo was kept: for a failed rollback, the state file that stays and the command that retries it. */
function stateNote(r: DrillReport): string {
  if (r.stateFile === null) return '';
  const text =
    r.verdict.rollback.ran && !r.verdict.rollback.ok
      ? `The state file ${r.stateFile} stays: once the cause is fixed, headroom drill --rollback ${r.stateFile} undoes the fault (and no new drill starts on top of it).`
      : `While the fault was applied its undo was kept in ${r.stateFile}, so that a drill killed outright is rolled back by the next run.`;
  return `<p class="note">${esc(text)}</p>`;
}

function faultSection(r: DrillReport): string {
  const rows = [...r.applied.map((s) => stepRow('apply', s)), ...r.rolledBack.map((s) => stepRow('rollback', s))];
  const recovered = r.recovered.map((x) => `Before this drill, rolled back what an earlier one left (${x.file}): ${x.ok ? 'ok' : 'FAILED'}`);
  return `<section id="fault"><h2>The fault and its rollback</h2>
<p class="takeaway ${r.verdict.rollback.ok ? 'ok' : 'fail'}">${esc(rollbackSentence(r))}</p>
${list([...r.drill.fault.actions.map((a) => `Planned: ${a}`), ...recovered])}
${rows.length > 0 ? table(['step', 'at', 'what ran', 'result', 'exit or HTTP status', 'took', 'output or error'], rows) : '<p class="muted">No fault action ran.</p>'}
${stateNote(r)}</section>`;
}

function setupSection(r: DrillReport): string {
  const d = r.drill;
  const h = d.hypothesis;
  const cal = r.prediction.calibration;
  const cpu = r.cpuPerRequest;
  const items = [
    `Hypothesis: ${sloWords(r)}, before, during and after the fault`,
    `Tolerance of the prediction: peak p99 ±${pct(h.p99Tolerance)}, failed share ±${num(h.errorTolerance * 100)} points, recovery ±${num(h.recoveryTolerance)} s; recovered = p99 within ${pct(h.recoveryMargin)} of the baseline's worst second for 3 s`,
    `Abort: failed share over ${pct(d.abort.errors)} or p99 over ${latencyWords({ kind: 'value', seconds: d.abort.p99 })} for ${num(d.abort.for)} s: roll back at once and stop the load`,
    `Load: ${num(d.ratePerSec)} requests/s, ${d.arrivals} arrivals (open model), ${d.method} ${d.target}`,
    `Phases: baseline 0 to ${num(d.baseline)} s, fault ${num(d.fault.at)} to ${num(d.fault.at + d.fault.for)} s, recovery to ${num(d.duration)} s`,
    `Model ${d.model}, service ${d.services.join(' → ')}, ${d.nodes} node${d.nodes === 1 ? '' : 's'} × ${d.workersPerNode} workers; ${r.prediction.replicas} replicas, seed ${r.prediction.seed}`,
    ...(cal !== null ? [`Predicted with the service time measured during the baseline: ${num(cal.measuredSeconds * 1000)} ms per task (${int(cal.tasks)} tasks; the model says ${num(cal.modelSeconds * 1000)} ms)`] : []),
    ...(r.prediction.faultNotPredicted !== null ? [`Not predicted: ${r.prediction.faultNotPredicted} (the predicted timeline is the model without the fault)`] : []),
    `Machine before the load: ${r.machine.cores} cores, load average ${num(r.machine.loadAverage)}, ${pct(r.machine.busyOthers)} kept busy by other work`,
    ...(Number.isFinite(cpu.generatorMs) ? [`CPU per request: the load generator ${num(cpu.generatorMs)} ms${cpu.targetMs !== null ? `, serve-demo ${num(cpu.targetMs)} ms` : ''} (on this machine's cores)`] : []),
  ];
  return `<section id="setup"><h2>Hypothesis and set-up</h2>${list(items, 'assumptions')}</section>`;
}
