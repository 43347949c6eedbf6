import { failureRate } from './knee.js';
import type { ScenarioReport } from './scenario.js';
import type { ValidationReport } from './validate.js';

const ms = (s: number): string => (Number.isFinite(s) ? (s * 1000).toFixed(1) : s === Infinity ? '∞' : '–');
const pct = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)}%` : '–');

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n');
}

/** The human-readable report of a validation run: steps, knee, saturation, sweep and USL, prediction, verdict. */
export function formatValidation(r: ValidationReport): string {
  const out: string[] = [];
  out.push(`validate ${r.method} ${r.url}  (open model, ${r.arrivals} arrivals; latency from the intended send time, ms)`);
  const pred = r.prediction;
  const head = ['offered/s', 'achieved/s', 'p50', 'p90', 'p99', 'max', 'errors', 'timeouts', 'dropped', 'failed'];
  if (pred) head.push('pred p50', 'pred p99', 'err p50', 'err p99');
  const rows = r.steps.map((s) => {
    const row = [
      String(s.offeredRate),
      s.achievedRate.toFixed(1),
      ms(s.p50),
      ms(s.p90),
      ms(s.p99),
      ms(s.max),
      String(s.errors),
      String(s.timeouts),
      String(s.dropped),
      `${(failureRate(s) * 100).toFixed(1)}%`,
    ];
    if (pred) {
      const c = pred.comparison.steps.find((x) => x.offeredRate === s.offeredRate);
      const shown = c !== undefined && (c.compared || c.atKnee);
      const mark = c?.atKnee ? '*' : '';
      row.push(ms(c?.predicted.p50 ?? NaN), ms(c?.predicted.p99 ?? NaN), shown ? pct(c.p50Error) + mark : '(past knee)', shown ? pct(c.p99Error) + mark : '');
    }
    return row;
  });
  out.push(table(head, rows));
  if (r.skippedRates.length > 0) out.push(`not run (two failing steps in a row, or a step stopped by a cut-off): ${r.skippedRates.join(', ')}/s`);
  out.push('');
  out.push(`knee: ${r.knee.rate === null ? 'none' : `${r.knee.rate}/s`} — next: ${r.knee.reason}`);
  if (r.kneeRuns) {
    const k = r.kneeRuns;
    out.push(`knee over ${k.runs} runs of the ramp: ${k.min === null ? 'none' : k.min === k.max ? `${k.min}/s` : `${k.min}/s to ${k.max}/s`} (${k.knees.map((x) => (x === null ? 'none' : `${x}/s`)).join(', ')})`);
  }
  if (r.repeatedSteps.length > 0) {
    out.push(`measured again (a failing step below a passing one): ${r.repeatedSteps.map((x) => `${x.rate}/s ${x.passed} of ${x.measurements} passed, counted as ${x.verdict}`).join('; ')}`);
  }
  out.push(
    `saturation throughput: ${r.saturationThroughput === null ? '–' : `${r.saturationThroughput.toFixed(1)}/s`}${r.saturationReached ? '' : ' (not reached: a lower bound)'}`,
  );
  if (r.sweep) {
    out.push('');
    out.push('concurrency sweep (closed loop, autocannon; latencies are closed-loop figures, ms):');
    out.push(
      table(
        ['N', 'throughput/s', 'p50', 'p99', 'errors'],
        r.sweep.map((p) => [String(p.concurrency), p.throughput.toFixed(1), ms(p.p50), ms(p.p99), String(p.errors + p.timeouts)]),
      ),
    );
  }
  if (r.usl) {
    const u = r.usl;
    out.push(
      `USL fit: lambda ${u.lambda.toFixed(1)}/s, sigma ${u.sigma.toFixed(4)}, kappa ${u.kappa.toExponential(2)}; ` +
        `peak ${u.peakThroughput === null ? '–' : `${u.peakThroughput.toFixed(1)}/s`} at N* ${u.peakConcurrency === null ? '∞' : u.peakConcurrency.toFixed(1)}; ` +
        `R² ${u.r2.toFixed(3)}, worst relative error ${(u.worstRelativeError * 100).toFixed(1)}%`,
    );
  }
  if (r.generator) out.push(`generator ceiling: ${r.generator.requestsPerSecond.toFixed(0)}/s (autocannon, ${r.generator.connections} connections, trivial endpoint, ${r.generator.cores} cores)`);
  if (pred) {
    const c = pred.comparison;
    out.push('');
    out.push(
      `model ${pred.modelPath} (service ${pred.service}, ${pred.nodes} node${pred.nodes > 1 ? 's' : ''}): capacity ${pred.capacity.toFixed(1)}/s` +
        (c.capacityError === null ? '' : ` (${pct(c.capacityError)} against the measured saturation)`) +
        `; simulator ${pred.replicas} replicas × ${pred.simulatedSeconds} s per step`,
    );
    // An unstable prediction (the model's capacity below a step the service held) makes an error infinite: say ∞.
    const abs = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '∞');
    if (c.overall) out.push(`p50/p99 error over ${c.overall.steps} steps below the knee: mean ${abs(c.overall.meanAbsError)}, worst ${abs(c.overall.worstAbsError)}`);
    if (c.steps.some((x) => x.atKnee)) out.push('* the knee step: shown, not counted (its p99 rests on the slowest few requests of one step at the highest passing load)');
  }
  for (const w of r.warnings) out.push(`warning: ${w}`);
  out.push('');
  out.push(`verdict: ${r.verdict.message}`);
  return out.join('\n') + '\n';
}

/**
 * The human-readable report of a scenario run: each endpoint's report in turn (without a second generator line), then
 * a summary table with one row per endpoint and the overall verdict.
 */
export function formatScenarioValidation(r: ScenarioReport): string {
  const out: string[] = [];
  out.push(`validate ${r.scenario}${r.name ? ` (${r.name})` : ''}: ${r.endpoints.length} endpoint${r.endpoints.length === 1 ? '' : 's'}, one at a time`);
  if (r.generatorCeiling !== null) out.push(`generator ceiling: ${r.generatorCeiling.toFixed(0)}/s (autocannon against a trivial endpoint)`);
  for (const e of r.endpoints) {
    out.push('');
    out.push(`== ${e.name} ==`);
    if (e.report) out.push(formatValidation(e.report).replace(/^generator ceiling: .*\n/m, '').trimEnd());
    else out.push(`failed: ${e.error}`);
  }
  out.push('');
  out.push('summary:');
  const rows = r.endpoints.map((e) => {
    const rep = e.report;
    const c = rep?.prediction?.comparison;
    return [
      e.name,
      e.service ?? '–',
      rep?.knee.rate == null ? '–' : `${rep.knee.rate}/s`,
      c?.predictedKnee.rate == null ? '–' : `${c.predictedKnee.rate}/s`,
      c?.kneeError == null ? '–' : pct(c.kneeError),
      rep?.saturationThroughput == null ? '–' : `${rep.saturationThroughput.toFixed(1)}/s${rep.saturationReached ? '' : '+'}`,
      rep?.prediction ? `${rep.prediction.capacity.toFixed(1)}/s` : '–',
      e.ok ? 'ok' : 'FAILED',
    ];
  });
  out.push(table(['endpoint', 'service', 'knee', 'predicted', 'error', 'saturation', 'capacity', 'verdict'], rows));
  out.push('');
  out.push(`verdict: ${r.verdict.message}`);
  return out.join('\n') + '\n';
}
