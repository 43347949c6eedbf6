/** The readable report of `headroom calibrate` (without --json). */
import type { Calibration } from '../validate/calibrate.js';
import { describeDistribution } from '../validate/calibrate.js';

/**
 * Old and new values of the calibrated service side by side, then the re-simulated steps against the measured ones
 * (latencies in ms, errors as signed percentages) and the verdict against the tolerance. `modelPath` and `file` name
 * the model and the validation run in the heading.
 */
export function formatCalibration(c: Calibration, modelPath: string, file: string): string {
  const lines: string[] = [];
  const rows: [string, string, string][] = [
    ['serviceTime', describeDistribution(c.old.serviceTime), describeDistribution(c.new.serviceTime)],
    ['latencyOffset', offset(c.old.latencyOffset), offset(c.new.latencyOffset)],
    ['usl', usl(c.old.usl), usl(c.new.usl)],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(3, ...rows.map((r) => r[1].length));
  lines.push(`calibrate ${modelPath} service ${c.service} (${c.nodes} node${c.nodes > 1 ? 's' : ''}) from ${file}`);
  lines.push(`${''.padEnd(w0)}  ${'old'.padEnd(w1)}  new`);
  for (const r of rows) lines.push(`${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2]}`);
  lines.push(`fitted to the low-load steps at ${c.fittedTo.join(', ')}/s`, '');
  lines.push('re-simulated with the calibrated model, steps below the knee and the knee (ms):');
  lines.push('offered/s  measured p50  predicted p50  error  measured p99  predicted p99  error');
  for (const s of c.check.steps) {
    lines.push(
      `${String(s.offeredRate).padStart(9)}  ${f(s.measured.p50).padStart(12)}  ${f(s.predicted.p50).padStart(13)}  ${pct(s.p50Error).padStart(5)}  ` +
        `${f(s.measured.p99).padStart(12)}  ${f(s.predicted.p99).padStart(13)}  ${pct(s.p99Error).padStart(5)}${s.checked ? '' : '  (the knee: shown, not checked)'}`,
    );
  }
  lines.push(`worst error ${(c.check.worstAbsError * 100).toFixed(1)}% (tolerance ${(c.check.tolerance * 100).toFixed(0)}%): ${c.check.ok ? 'passes' : 'fails'}`);
  return lines.join('\n') + '\n';
}

const f = (s: number) => (Number.isFinite(s) ? (s * 1000).toFixed(2) : '–');
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)}%`;
const offset = (s: number | undefined) => (s === undefined ? '–' : `${(s * 1000).toPrecision(3)} ms`);
const usl = (u: { lambda: number; sigma: number; kappa: number } | undefined) =>
  u ? `lambda ${u.lambda.toPrecision(4)}/s sigma ${u.sigma.toPrecision(3)} kappa ${u.kappa.toPrecision(3)}` : '–';
