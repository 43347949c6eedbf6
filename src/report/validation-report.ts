import type { Calibration } from '../validate/calibrate.js';
import { describeDistribution } from '../validate/calibrate.js';
import type { ScenarioReport } from '../validate/scenario.js';
import type { ValidationReport } from '../validate/validate.js';
import { VERSION } from '../version.js';
import { renderChart } from './chart.js';
import { int, ms, num, pct, signedPct } from './format.js';
import { esc, figure, list, page, table, type Cell } from './html.js';
import { latencySpec, sweepSpec, throughputSpec } from './validation-charts.js';
import { latencyTakeaway, sweepTakeaway, throughputTakeaway } from './validation-takeaways.js';

/**
 * The validation page from validation.json (one endpoint) or validation-scenario.json (every endpoint of a scenario):
 * the verdict first, then offered against achieved throughput, latency against offered rate (measured and predicted,
 * the SLO, the knee), the concurrency sweep with its USL fit, the generator's ceiling and the warnings, and the
 * calibration when one is given. Pure: nothing is measured or simulated again.
 */
export async function renderValidationReport(r: ValidationReport, calibrations: readonly Calibration[] = []): Promise<string> {
  const title = `Validation: ${r.method} ${r.url}`;
  const body = `<header class="page"><h1>${esc(title)}</h1><p class="sub">${esc(subtitle(r))}</p></header>
${await endpointSections(r, 'v')}
${calibrationSection(calibrations)}`;
  return page(title, body, `headroom ${esc(VERSION)} · rendered from validation.json`);
}

/** The scenario page: the verdict per endpoint, then each endpoint's sections. */
export async function renderScenarioReport(s: ScenarioReport, calibrations: readonly Calibration[] = []): Promise<string> {
  const title = `Validation: ${s.name ?? s.scenario}`;
  const rows = s.endpoints.map((e) => [e.name, e.url, e.service ?? '-', { html: e.ok ? '<span class="ok">ok</span>' : '<span class="fail">failed</span>' }, { html: esc(e.error ?? e.report?.verdict.message ?? '-'), wrap: true }] as Cell[]);
  const parts: string[] = [];
  for (const [i, e] of s.endpoints.entries()) {
    parts.push(`<h2 id="endpoint-${i}">Endpoint ${esc(e.name)}</h2>`);
    parts.push(e.report ? await endpointSections(e.report, `e${i}`, 3) : `<p class="fail">${esc(e.error ?? 'not run')}</p>`);
  }
  const body = `<header class="page"><h1>${esc(title)}</h1><p class="sub">${esc(`${s.scenario}${s.modelPath ? ` · model ${s.modelPath}` : ''}${s.generatorCeiling !== null ? ` · generator ceiling ${int(s.generatorCeiling)} requests/s` : ''}`)}</p></header>
<section id="summary"><h2>Summary</h2><p class="takeaway ${s.verdict.ok ? 'ok' : 'fail'}">${esc(s.verdict.message)}</p>${table(['endpoint', 'URL', 'service', 'result', 'verdict'], rows)}</section>
${parts.join('\n')}
${calibrationSection(calibrations)}`;
  return page(title, body, `headroom ${esc(VERSION)} · rendered from validation-scenario.json`);
}

function subtitle(r: ValidationReport): string {
  return `${r.steps.length} open-model steps (${r.arrivals} arrivals) · p99 SLO ${ms(r.criteria.sloP99)} · error budget ${pct(r.criteria.maxErrors, 1)}${r.prediction ? ` · model ${r.prediction.modelPath}, service ${r.prediction.service}, ${r.prediction.nodes} node${r.prediction.nodes === 1 ? '' : 's'}` : ''}`;
}

async function endpointSections(r: ValidationReport, id: string, level: 2 | 3 = 2): Promise<string> {
  const h = `h${level}`;
  const verdict = `<p class="takeaway ${r.verdict.ok ? 'ok' : 'fail'}">${esc(r.verdict.message)}</p>`;
  const facts = [
    `Knee: ${r.knee.rate === null ? 'none' : `${num(r.knee.rate)} requests/s`} (${r.knee.reason})`,
    `Saturation throughput: ${r.saturationThroughput === null ? '-' : `${num(r.saturationThroughput)} responses/s${r.saturationReached ? '' : ' (a lower bound: no step saturated)'}`}`,
    `Generator ceiling: ${r.generatorCeiling === null ? 'not measured' : `${int(r.generatorCeiling)} requests/s${r.generator ? ` (${r.generator.connections} connections, ${r.generator.cores} cores)` : ''}${r.generatorCeiling !== null && r.steps.length > 0 ? `, ${num(r.generatorCeiling / Math.max(...r.steps.map((s) => s.offeredRate)))}× the highest offered rate` : ''}`}`,
    `Machine before the load: ${r.machine.cores} cores, load average ${num(r.machine.loadAverage)}, ${pct(r.machine.busyOthers)} kept busy by other work`,
    ...(r.prediction ? [`Model capacity: ${num(r.prediction.capacity)} requests/s (${r.prediction.replicas} simulator replicas × ${num(r.prediction.simulatedSeconds)} s per step, seed ${r.prediction.seed})`] : []),
    ...(r.skippedRates.length ? [`Rates not run (safety limits): ${r.skippedRates.join(', ')}/s`] : []),
    ...(r.extendedRates.length ? [`Rates added past the plan (still keeping up): ${r.extendedRates.join(', ')}/s`] : []),
  ];
  const warnings = r.warnings.length > 0 ? `<div class="warnings"><h3>Warnings</h3>${list(r.warnings)}</div>` : '';

  const tTitle = 'Offered against achieved throughput (requests/s)';
  const pred = new Map((r.prediction?.steps ?? []).map((p) => [p.offeredRate, p]));
  const tRows = r.steps.map((s) => [
    { html: esc(num(s.offeredRate)), num: true },
    { html: esc(num(s.achievedRate)), num: true },
    { html: esc(num(pred.get(s.offeredRate)?.achievedRate)), num: true },
    { html: esc(int(s.scheduled)), num: true },
    { html: esc(int(s.errors + s.timeouts + s.dropped)), num: true },
    s.aborted ?? '-',
  ] as Cell[]);
  const f1 = figure({ id: `${id}-throughput`, title: tTitle, takeaway: throughputTakeaway(r), svg: await renderChart(throughputSpec(r), tTitle), data: table(['offered/s', 'achieved/s', 'predicted/s', 'scheduled', 'failed', 'aborted'], tRows) });

  const lTitle = 'Latency against offered rate: p50 and p99, measured and predicted (ms)';
  const cmp = new Map((r.prediction?.comparison.steps ?? []).map((c) => [c.offeredRate, c]));
  const lRows = r.steps.map((s) => {
    const p = pred.get(s.offeredRate);
    const c = cmp.get(s.offeredRate);
    return [
      { html: esc(num(s.offeredRate)), num: true },
      { html: esc(ms(s.p50)), num: true },
      { html: esc(ms(s.p99)), num: true },
      { html: esc(ms(p?.p50)), num: true },
      { html: esc(ms(p?.p99)), num: true },
      { html: esc(c ? signedPct(c.p99Error) : '-'), num: true },
      s.p99 <= r.criteria.sloP99 ? 'within' : 'over',
    ] as Cell[];
  });
  const f2 = figure({
    id: `${id}-latency`,
    title: lTitle,
    takeaway: latencyTakeaway(r),
    svg: await renderChart(latencySpec(r), lTitle),
    data: table(['offered/s', 'p50', 'p99', 'predicted p50', 'predicted p99', 'p99 error', 'SLO'], lRows),
    note: 'Latency is measured from the intended send time (open model, no coordinated omission). Predicted: the simulator at the rate each step really sent; above capacity the prediction is unbounded and not drawn.',
  });

  let f3 = '';
  if (r.sweep && r.sweep.length > 0) {
    const sTitle = 'Closed-loop concurrency sweep and the USL fit (responses/s)';
    const sRows = r.sweep.map((p) => [{ html: esc(int(p.concurrency)), num: true }, { html: esc(num(p.throughput)), num: true }, { html: esc(ms(p.p50)), num: true }, { html: esc(ms(p.p99)), num: true }, { html: esc(int(p.errors + p.timeouts)), num: true }] as Cell[]);
    f3 = figure({
      id: `${id}-sweep`,
      title: sTitle,
      takeaway: sweepTakeaway(r),
      svg: await renderChart(sweepSpec(r), sTitle),
      data: table(['concurrency', 'throughput/s', 'p50', 'p99', 'failed'], sRows),
      note: 'Universal Scalability Law, X(N) = λN / (1 + σ(N−1) + κN(N−1)) (Gunther 2007), fitted to the measured points. Closed-loop latencies are not corrected for coordinated omission.',
    });
  }
  return `<section id="${esc(id)}-summary"><${h}>Result</${h}>${verdict}${list(facts)}${warnings}</section>
<section id="${esc(id)}-charts">${f1}${f2}${f3}</section>`;
}

function calibrationSection(cs: readonly Calibration[]): string {
  if (cs.length === 0) return '';
  const rows = cs.map((c) => [
    c.service,
    { html: esc(int(c.nodes)), num: true },
    describeDistribution(c.old.serviceTime),
    describeDistribution(c.new.serviceTime),
    c.fittedTo.map((x) => `${num(x)}/s`).join(', '),
    { html: esc(`${Math.round(c.check.worstAbsError * 100)}%`), num: true },
    { html: c.check.ok ? '<span class="ok">within tolerance</span>' : '<span class="fail">outside tolerance</span>' },
  ] as Cell[]);
  return `<section id="calibration"><h2>Calibration</h2>${table(['service', 'nodes', 'service time before', 'service time after', 'fitted to', 'worst error', 'check'], rows)}</section>`;
}
