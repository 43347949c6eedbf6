import type { TopLevelSpec } from 'vega-lite';
import type { DrillReport } from '../drill/report.js';
import { recoveryThreshold } from '../drill/verdict.js';
import { PALETTE } from './chart.js';
import { faultWindow, measuredLatency, phaseSpans, predictedBand, predictedLatency, type Latency } from './drill-view.js';
import { round } from './format.js';
import { logTicks } from './validation-charts.js';

/**
 * The Vega-Lite specifications of the drill page, from drill.json: the per-second timelines, measured and predicted,
 * over the drill's time, with the fault's window shaded and the phases named above the plot. Second t of the
 * timeline covers [t, t + 1) and is drawn at its middle, t + 0.5, so the shading (the fault's real start and
 * rollback) lines up with the seconds it touched. A second in which no request succeeded has no latency: it breaks
 * the line and is marked by a triangle along the top edge, never drawn as a number.
 */

const WIDTH = 900;
const MEASURED_COLOR = PALETTE[0]!;
const PREDICTED_COLOR = PALETTE[1]!;
const FAULT_COLOR = '#e15759';
const MUTED = '#5b6475';
/** Pixels from the plot's top of the unbounded markers: measured on the first row, predicted on the second. */
const MARKER_ROW = { measured: 7, predicted: 21 } as const;

type Row = Record<string, unknown>;

/** A legend of lines: each entry a short stroke in the series' colour and dash, fully opaque. */
const LINE_LEGEND = { title: null, orient: 'top' as const, offset: 20, labelLimit: 420, symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 2.5, symbolSize: 300 };

const xOf = (t: number): number => t + 0.5;
const xEnc = (d: DrillReport['drill']) => ({ field: 'x', type: 'quantitative' as const, title: 'Seconds since the drill started', scale: { domain: [0, d.duration], nice: false, zero: true } });

/** The fault's label for the plot: "fault: 2 workers down" for serve-demo's fault control, "fault" for a command. */
export function faultLabel(d: DrillReport['drill']): string {
  const demo = d.fault.actions.filter((a) => a.startsWith('serve-demo: ')).map((a) => a.slice('serve-demo: '.length));
  return demo.length === d.fault.actions.length && demo.length > 0 ? `fault: ${demo.join(', ')}` : 'fault';
}

/** The shaded fault window (as it really ran) and the phase names above the plot, shared by every chart. */
function timeLayers(r: DrillReport): unknown[] {
  const d = r.drill;
  const x = xEnc(d);
  const out: unknown[] = [];
  const w = faultWindow(r);
  if (w !== null) out.push({ data: { values: [{ x: w.from, x2: w.to }] }, mark: { type: 'rect', color: FAULT_COLOR, opacity: 0.1 }, encoding: { x, x2: { field: 'x2' } } });
  const labels = phaseSpans(r).map((s) => ({ x: (s.from + s.to) / 2, label: s.name === 'fault' ? `${faultLabel(d)}${w === null ? ' (not applied)' : ''}` : s.name, fault: s.name === 'fault' }));
  out.push({
    data: { values: labels },
    mark: { type: 'text', baseline: 'bottom', dy: -4, fontSize: 11, fontWeight: 600 },
    encoding: { x, y: { value: 0 }, text: { field: 'label' }, color: { condition: { test: 'datum.fault', value: '#a4161a' }, value: MUTED } },
  });
  // The boundaries between phases, so "baseline" and "recovery" read as spans.
  const bounds = phaseSpans(r).slice(1).map((s) => ({ x: s.from }));
  out.push({ data: { values: bounds }, mark: { type: 'rule', color: '#9aa3b2', strokeDash: [2, 3], strokeWidth: 1 }, encoding: { x } });
  return out;
}

/** A line that breaks where a second has no value (Vega-Lite's "break-paths" handling of null). */
const brokenLine = (extra: Row = {}) => ({ type: 'line', invalid: 'break-paths-show-domains', ...extra });

const P99_DOMAIN = ['measured p99', 'predicted p99 (median, with its 95% band)', 'p99 SLO'];
const P99_RANGE = [MEASURED_COLOR, PREDICTED_COLOR, '#1d2433'];

/**
 * Per-second p99 latency, measured and predicted (the median over the simulator's replicas, with its 95% band), log
 * scale, with the SLO line, the fault window and the recovery point; unbounded seconds as triangles along the top.
 */
export function p99Spec(r: DrillReport): TopLevelSpec {
  const d = r.drill;
  const lines: Row[] = [];
  const band: Row[] = [];
  const stuck: Row[] = [];
  const finite: number[] = [d.hypothesis.sloP99 * 1000];
  const push = (t: number, l: Latency, series: string, side: 'measured' | 'predicted') => {
    if (l.kind === 'value') {
      lines.push({ x: xOf(t), ms: round(l.seconds * 1000), series });
      finite.push(l.seconds * 1000);
    } else {
      lines.push({ x: xOf(t), ms: null, series });
      if (l.kind === 'unbounded') stuck.push({ x: xOf(t), side });
    }
  };
  for (const row of r.timeline) {
    push(row.t, measuredLatency(row.measured, 'p99'), P99_DOMAIN[0]!, 'measured');
    push(row.t, predictedLatency(row.predicted, 'p99'), P99_DOMAIN[1]!, 'predicted');
    const [lo, hi] = predictedBand(row.predicted);
    if (lo.kind === 'value') finite.push(lo.seconds * 1000);
    if (hi.kind === 'value') finite.push(hi.seconds * 1000);
  }
  const lo = Math.min(...finite.filter((v) => v > 0)) / 1.3;
  // Room above the highest value for the phase names and the rows of unbounded markers.
  const top = Math.max(...finite) * (stuck.length > 0 ? 3 : 1.8);
  for (const row of r.timeline) {
    const [a, b] = predictedBand(row.predicted);
    if (a.kind === 'none') continue;
    const loMs = a.kind === 'value' ? a.seconds * 1000 : top;
    const hiMs = b.kind === 'value' ? b.seconds * 1000 : top;
    band.push({ x: xOf(row.t), lo: round(Math.max(loMs, lo)), hi: round(Math.min(hiMs, top)) });
  }
  const color = { field: 'series', type: 'nominal' as const, scale: { domain: P99_DOMAIN, range: P99_RANGE }, legend: LINE_LEGEND };
  const dash = { field: 'series', type: 'nominal' as const, scale: { domain: P99_DOMAIN, range: [[1, 0], [6, 3], [4, 4]] }, legend: LINE_LEGEND };
  const x = xEnc(d);
  const y = { field: 'ms', type: 'quantitative' as const, title: 'p99 latency per second (ms, log scale)', scale: { type: 'log' as const, domain: [lo, top], nice: false }, axis: { values: logTicks(lo, top).filter((v) => v >= lo && v <= top) } };
  const layers: unknown[] = [
    ...timeLayers(r),
    { data: { values: band }, mark: { type: 'area', opacity: 0.25, color: PREDICTED_COLOR }, encoding: { x, y: { field: 'lo', type: 'quantitative', scale: y.scale }, y2: { field: 'hi' } } },
    { data: { values: [{ ms: d.hypothesis.sloP99 * 1000, series: P99_DOMAIN[2] }] }, mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { y, color, strokeDash: dash } },
    { data: { values: lines }, mark: brokenLine({ point: { size: 22, filled: true } }), encoding: { x, y, color, strokeDash: dash } },
  ];
  if (stuck.length > 0) {
    for (const side of ['measured', 'predicted'] as const) {
      const values = stuck.filter((s) => s.side === side);
      if (values.length === 0) continue;
      const c = side === 'measured' ? MEASURED_COLOR : PREDICTED_COLOR;
      layers.push({ data: { values }, mark: { type: 'point', shape: 'triangle-up', size: 55, filled: side === 'measured', color: c, strokeWidth: 1.5, opacity: 1 }, encoding: { x, y: { value: MARKER_ROW[side] } } });
    }
    const first = Math.min(...stuck.map((s) => s.x as number));
    layers.push({
      data: { values: [{ x: first - 0.5, label: 'no request succeeded ▸' }] },
      mark: { type: 'text', align: 'right', baseline: 'middle', dx: -4, fontSize: 11, fontWeight: 600, color: '#a4161a' },
      encoding: { x, y: { value: (MARKER_ROW.measured + MARKER_ROW.predicted) / 2 }, text: { field: 'label' } },
    });
  }
  const rec = r.verdict.recoverySeconds;
  const end = d.fault.at + d.fault.for;
  // What "back to normal" means, measured: the drill's own threshold (verdict.ts), drawn over the recovery phase.
  const mP99s = r.timeline.map((row) => {
    const l = measuredLatency(row.measured, 'p99');
    return l.kind === 'value' ? l.seconds : l.kind === 'unbounded' ? Infinity : NaN;
  });
  const normal = recoveryThreshold(mP99s, d.baseline, d.hypothesis.recoveryMargin) * 1000;
  if (Number.isFinite(normal) && normal > lo && end < d.duration) {
    layers.push({
      data: { values: [{ x: end, x2: d.duration, ms: round(normal) }] },
      mark: { type: 'rule', color: '#1b6e3a', strokeDash: [2, 2], strokeWidth: 1.25 },
      encoding: { x, x2: { field: 'x2' }, y: { field: 'ms', type: 'quantitative' } },
    });
    layers.push({
      data: { values: [{ x: d.duration, ms: round(normal), label: `normal: under ${round(normal, 2)} ms` }] },
      mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -3, fontSize: 10, color: '#1b6e3a' },
      encoding: { x, y: { field: 'ms', type: 'quantitative' }, text: { field: 'label' } },
    });
  }
  const recAt = (rec.measured ?? rec.predicted) as number | null;
  if (recAt !== null) {
    // Solid: the measured recovery; dashed: the predicted one (the same place when they agree).
    if (rec.measured !== null) layers.push({ data: { values: [{ x: end + rec.measured }] }, mark: { type: 'rule', strokeWidth: 1.5, color: '#1b6e3a' }, encoding: { x } });
    if (rec.predicted !== null) layers.push({ data: { values: [{ x: end + rec.predicted }] }, mark: { type: 'rule', strokeWidth: 1.5, color: '#1b6e3a', strokeDash: [5, 3] }, encoding: { x } });
    const words = `recovered ${rec.measured ?? '-'} s after the rollback (predicted ${rec.predicted ?? 'no recovery'}${rec.predicted !== null ? ' s' : ''})`;
    layers.push({
      data: { values: [{ x: end + recAt, label: words }] },
      mark: { type: 'text', align: 'left', baseline: 'middle', dx: 5, fontSize: 11, fontWeight: 600, color: '#1b6e3a' },
      encoding: { x, y: { value: 42 }, text: { field: 'label' } },
    });
  }
  return { width: WIDTH, height: 300, layer: layers } as TopLevelSpec;
}

/** Offered and achieved rate per second: what was sent, what succeeded (measured), what the model said would succeed. */
export function rateSpec(r: DrillReport): TopLevelSpec {
  const domain = ['offered (sent)', 'achieved, measured', 'achieved, predicted'];
  const rows: Row[] = [];
  for (const row of r.timeline) {
    const m = row.measured;
    rows.push({ x: xOf(row.t), rate: m === null ? null : m.offered, series: domain[0] });
    rows.push({ x: xOf(row.t), rate: m === null ? null : m.achieved, series: domain[1] });
    rows.push({ x: xOf(row.t), rate: round(row.predicted.achieved), series: domain[2] });
  }
  return countSpec(r, rows, 'rate', 'Requests per second', domain, ['#9aa3b2', MEASURED_COLOR, PREDICTED_COLOR], [[1, 0], [1, 0], [6, 3]], 240);
}

/** Client requests in flight at each second's end (the backlog), measured and predicted. */
export function backlogSpec(r: DrillReport): TopLevelSpec {
  const domain = ['in flight, measured', 'in flight, predicted'];
  const rows: Row[] = [];
  for (const row of r.timeline) {
    rows.push({ x: xOf(row.t), n: row.measured === null ? null : row.measured.inFlight, series: domain[0] });
    rows.push({ x: xOf(row.t), n: round(row.predicted.inFlight), series: domain[1] });
  }
  return countSpec(r, rows, 'n', 'Requests in flight (backlog)', domain, [MEASURED_COLOR, PREDICTED_COLOR], [[1, 0], [6, 3]], 200);
}

function countSpec(r: DrillReport, rows: Row[], field: string, title: string, domain: string[], range: string[], dashes: number[][], height: number): TopLevelSpec {
  const x = xEnc(r.drill);
  const color = { field: 'series', type: 'nominal' as const, scale: { domain, range }, legend: LINE_LEGEND };
  const strokeDash = { field: 'series', type: 'nominal' as const, scale: { domain, range: dashes }, legend: LINE_LEGEND };
  return {
    width: WIDTH,
    height,
    layer: [...timeLayers(r), { data: { values: rows }, mark: brokenLine(), encoding: { x, y: { field, type: 'quantitative', title, scale: { zero: true } }, color, strokeDash } }],
  } as TopLevelSpec;
}

/** Failed requests, timeouts and retries per second: the kind by colour, measured solid and predicted dashed. */
export function failuresSpec(r: DrillReport): TopLevelSpec {
  const kinds = ['failed for good', 'of which timed out', 'retries sent'];
  const sources = ['measured', 'predicted'];
  const rows: Row[] = [];
  for (const row of r.timeline) {
    const m = row.measured;
    const p = row.predicted;
    const x = xOf(row.t);
    rows.push({ x, n: m?.errors ?? null, kind: kinds[0], source: 'measured' }, { x, n: m?.timeouts ?? null, kind: kinds[1], source: 'measured' }, { x, n: m?.retries ?? null, kind: kinds[2], source: 'measured' });
    rows.push({ x, n: round(p.errors), kind: kinds[0], source: 'predicted' }, { x, n: round(p.timeouts), kind: kinds[1], source: 'predicted' }, { x, n: round(p.retries), kind: kinds[2], source: 'predicted' });
  }
  const xe = xEnc(r.drill);
  const color = { field: 'kind', type: 'nominal' as const, scale: { domain: kinds, range: [FAULT_COLOR, PALETTE[6]!, PALETTE[5]!] }, legend: LINE_LEGEND };
  const strokeDash = { field: 'source', type: 'nominal' as const, scale: { domain: sources, range: [[1, 0], [6, 3]] }, legend: LINE_LEGEND };
  // Timeouts are a part of the failures, often all of them: the failures wide underneath, the timeouts thin on top,
  // so that both lines show where they coincide.
  // A drill without a single failure or retry still gets a readable axis (0 to 1), not one collapsed on 0.
  const most = Math.max(0, ...rows.map((x) => (typeof x.n === 'number' ? x.n : 0)));
  const y = { field: 'n', type: 'quantitative' as const, title: 'Requests per second', scale: most > 0 ? { zero: true } : { domain: [0, 1] } };
  const layer = (kind: string, width: number) => ({
    data: { values: rows },
    transform: [{ filter: `datum.kind === '${kind}'` }],
    mark: brokenLine({ strokeWidth: width }),
    encoding: { x: xe, y, color, strokeDash, detail: { field: 'source' } },
  });
  return {
    width: WIDTH,
    height: 220,
    layer: [...timeLayers(r), layer(kinds[0]!, 4.5), layer(kinds[1]!, 1.75), layer(kinds[2]!, 2)],
  } as TopLevelSpec;
}
