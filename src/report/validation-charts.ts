import type { TopLevelSpec } from 'vega-lite';
import type { ValidationReport } from '../validate/validate.js';
import { PALETTE } from './chart.js';
import { round } from './format.js';

/**
 * The Vega-Lite specifications of the validation page, from validation.json. JSON has no Infinity: a prediction above
 * capacity is saved as null and is left out of the lines (the table says "-").
 */

const WIDTH = 900;
const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);
const RATE_X = { field: 'rate', type: 'quantitative' as const, title: 'Offered rate (requests/s)', scale: { zero: true } };

/** Offered against achieved throughput, measured and predicted, with the y = x line, the knee and the saturation. */
export function throughputSpec(r: ValidationReport): TopLevelSpec {
  const rows: Array<Record<string, unknown>> = [];
  for (const s of r.steps) rows.push({ rate: s.offeredRate, achieved: round(s.achievedRate), series: 'measured' });
  for (const p of r.prediction?.steps ?? []) if (finite(p.achievedRate)) rows.push({ rate: p.offeredRate, achieved: round(p.achievedRate), series: 'predicted (simulator)' });
  const maxRate = Math.max(...r.steps.map((s) => s.offeredRate), 1);
  const ideal = [{ rate: 0, achieved: 0, series: 'achieved = offered' }, { rate: maxRate, achieved: maxRate, series: 'achieved = offered' }];
  const domain = ['measured', 'predicted (simulator)', 'achieved = offered'];
  const color = { field: 'series', type: 'nominal' as const, scale: { domain, range: [PALETTE[0], PALETTE[1], '#9aa3b2'] }, legend: { title: null, orient: 'top' as const } };
  const layers: unknown[] = [
    { data: { values: ideal }, mark: { type: 'line', strokeDash: [4, 4], strokeWidth: 1 }, encoding: { x: RATE_X, y: { field: 'achieved', type: 'quantitative' }, color } },
    { data: { values: rows }, mark: { type: 'line', point: { size: 40, filled: true } }, encoding: { x: RATE_X, y: { field: 'achieved', type: 'quantitative', title: 'Achieved throughput (2xx responses/s)' }, color, strokeDash: { field: 'series', type: 'nominal', scale: { domain, range: [[1, 0], [6, 3], [4, 4]] }, legend: null } } },
  ];
  layers.push(...markers(r));
  return { width: WIDTH, height: 280, layer: layers } as TopLevelSpec;
}

/** Vertical rule at the measured knee and horizontal rule at the saturation throughput, labelled. */
function markers(r: ValidationReport): unknown[] {
  const out: unknown[] = [];
  if (finite(r.knee.rate)) {
    out.push({ data: { values: [{ rate: r.knee.rate, label: `knee ${round(r.knee.rate, 3)}/s` }] }, mark: { type: 'rule', color: '#1b6e3a', strokeWidth: 1.5 }, encoding: { x: { field: 'rate', type: 'quantitative' } } });
    out.push({ data: { values: [{ rate: r.knee.rate, label: `knee ${round(r.knee.rate, 3)}/s` }] }, mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#1b6e3a', fontWeight: 600 }, encoding: { x: { field: 'rate', type: 'quantitative' }, y: { value: 12 }, text: { field: 'label' } } });
  }
  return out;
}

/** p50 and p99 against the offered rate, measured and predicted (log scale), with the SLO line and the knee. */
export function latencySpec(r: ValidationReport): TopLevelSpec {
  const rows: Array<Record<string, unknown>> = [];
  for (const s of r.steps) {
    rows.push({ rate: s.offeredRate, ms: round(s.p50 * 1000), series: 'measured p50' });
    rows.push({ rate: s.offeredRate, ms: round(s.p99 * 1000), series: 'measured p99' });
  }
  for (const p of r.prediction?.steps ?? []) {
    if (finite(p.p50)) rows.push({ rate: p.offeredRate, ms: round(p.p50 * 1000), series: 'predicted p50' });
    if (finite(p.p99)) rows.push({ rate: p.offeredRate, ms: round(p.p99 * 1000), series: 'predicted p99' });
  }
  const domain = ['measured p50', 'measured p99', 'predicted p50', 'predicted p99', 'p99 SLO'];
  const range = [PALETTE[0], PALETTE[3], PALETTE[0], PALETTE[3], '#1d2433'];
  const color = { field: 'series', type: 'nominal' as const, scale: { domain, range }, legend: { title: null, orient: 'top' as const } };
  const dash = { field: 'series', type: 'nominal' as const, scale: { domain, range: [[1, 0], [1, 0], [6, 3], [6, 3], [4, 4]] }, legend: null };
  const slo = r.criteria.sloP99 * 1000;
  const all = [...rows.map((x) => x.ms as number), slo].filter((x) => x > 0);
  const values = logTicks(Math.min(...all), Math.max(...all));
  return {
    width: WIDTH,
    height: 300,
    layer: [
      { data: { values: rows }, mark: { type: 'line', point: { size: 36, filled: true } }, encoding: { x: RATE_X, y: { field: 'ms', type: 'quantitative', title: 'Latency (ms, log scale)', scale: { type: 'log' }, axis: { values } }, color, strokeDash: dash } },
      { data: { values: [{ ms: slo, series: 'p99 SLO' }] }, mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { y: { field: 'ms', type: 'quantitative' }, color, strokeDash: dash } },
      ...markers(r),
    ],
  } as TopLevelSpec;
}

/** Ticks 1, 2, 5 per decade covering [lo, hi]: a log axis with a readable grid. */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** e).toPrecision(3));
      if (v >= lo / 2 && v <= hi * 2) out.push(v);
    }
  }
  return out;
}

/** The USL curve X(N) = λN / (1 + σ(N−1) + κN(N−1)) (Gunther 2007) at `n`, requests/s. */
export function uslAt(lambda: number, sigma: number, kappa: number, n: number): number {
  return (lambda * n) / (1 + sigma * (n - 1) + kappa * n * (n - 1));
}

/** The closed-loop sweep: measured throughput per concurrency and the fitted USL curve with its peak. */
export function sweepSpec(r: ValidationReport): TopLevelSpec {
  const sweep = r.sweep ?? [];
  const rows: Array<Record<string, unknown>> = sweep.map((p) => ({ n: p.concurrency, x: round(p.throughput), series: 'measured' }));
  const usl = r.usl;
  const maxN = Math.max(...sweep.map((p) => p.concurrency), usl?.peakConcurrency ?? 0, 1);
  if (usl) {
    const steps = 80;
    for (let i = 0; i <= steps; i++) {
      const n = (maxN * 1.25 * i) / steps;
      rows.push({ n: round(n), x: round(uslAt(usl.lambda, usl.sigma, usl.kappa, n)), series: 'USL fit' });
    }
  }
  const hasPeak = usl !== null && finite(usl.peakConcurrency) && finite(usl.peakThroughput);
  const hasCeiling = usl !== null && !hasPeak && finite(usl.peakThroughput);
  const domain = ['measured', 'USL fit', ...(hasPeak ? ['USL peak'] : []), ...(hasCeiling ? ['USL ceiling λ/σ'] : [])];
  const color = { field: 'series', type: 'nominal' as const, scale: { domain, range: [PALETTE[0], PALETTE[1], PALETTE[3]] }, legend: { title: null, orient: 'top' as const } };
  const x = { field: 'n', type: 'quantitative' as const, title: 'Concurrency (requests in flight)', scale: { domainMin: 0 } };
  const layers: unknown[] = [
    { data: { values: rows }, transform: [{ filter: "datum.series === 'USL fit'" }], mark: { type: 'line' }, encoding: { x, y: { field: 'x', type: 'quantitative', title: 'Throughput (responses/s)' }, color } },
    { data: { values: rows }, transform: [{ filter: "datum.series === 'measured'" }], mark: { type: 'point', filled: true, size: 70, opacity: 1 }, encoding: { x, y: { field: 'x', type: 'quantitative' }, color } },
  ];
  if (hasPeak) {
    const peak = [{ n: round(usl.peakConcurrency!), x: round(usl.peakThroughput!), series: 'USL peak', label: `peak ${round(usl.peakThroughput!, 3)}/s at N = ${round(usl.peakConcurrency!, 2)}` }];
    layers.push({ data: { values: peak }, mark: { type: 'point', shape: 'diamond', filled: true, size: 120 }, encoding: { x, y: { field: 'x', type: 'quantitative' }, color } });
    layers.push({ data: { values: peak }, mark: { type: 'text', dy: -12, fontWeight: 600, color: PALETTE[3] }, encoding: { x, y: { field: 'x', type: 'quantitative' }, text: { field: 'label' } } });
  }
  if (hasCeiling) {
    layers.push({ data: { values: [{ x: round(usl.peakThroughput!), series: 'USL ceiling λ/σ' }] }, mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { y: { field: 'x', type: 'quantitative' }, color } });
  }
  return { width: WIDTH, height: 260, layer: layers } as TopLevelSpec;
}
