import type { TopLevelSpec } from 'vega-lite';
import type { CapacityPlan, VariantPlan } from '../plan/types.js';
import type { DriverForecast } from './driver-forecast.js';
import { serviceExhaustion, variantExhaustion } from './exhaustion-view.js';
import { day, round } from './format.js';
import { PALETTE } from './chart.js';

/**
 * The Vega-Lite specifications of the plan page, built from plan.json (and forecast.json for the demand fan). Pure:
 * data in, spec out; rendering is `renderChart`'s job. Times are UTC epoch ms on temporal axes.
 */

const WIDTH = 900;
const UTC_X = (title: string, field = 't') => ({ field, type: 'temporal' as const, title, scale: { type: 'utc' as const }, axis: { format: '%Y-%m', labelAngle: 0, tickCount: 8 } });

/** How many services are drawn in their own colour in a stacked chart; the rest are summed as "other". */
export const MAX_STACKED = 9;

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/**
 * The bucket the fan chart draws one point per: a week when the series spans more than half a year (a daily series
 * with a weekly cycle would otherwise fill the chart with a saw-tooth), a day for a shorter sub-daily series, else
 * every step.
 */
export function fanBucketMs(f: DriverForecast): number {
  const t0 = f.history.t[0] ?? 0;
  const t1 = f.forecast.t[f.forecast.t.length - 1] ?? t0;
  if (t1 - t0 > 183 * DAY_MS) return WEEK_MS;
  return f.stepMs < DAY_MS ? DAY_MS : 0;
}

/**
 * One row per bucket: the row whose `key` is largest (its other fields with it), so a forecast keeps the bounds of
 * its peak step. Buckets start on Monday 00:00 UTC for weeks (1970-01-05 was a Monday). `bucketMs` 0 keeps every row.
 */
export function peaksOf<R extends { t: number }>(rows: readonly R[], bucketMs: number, key: (r: R) => number): R[] {
  if (bucketMs === 0) return [...rows];
  const origin = bucketMs === WEEK_MS ? 4 * DAY_MS : 0;
  const out = new Map<number, R>();
  for (const r of rows) {
    const b = Math.floor((r.t - origin) / bucketMs);
    const cur = out.get(b);
    if (cur === undefined || key(r) > key(cur)) out.set(b, r);
  }
  return [...out.values()];
}

/** The fan chart of one driver: history, forecast mean, 80% and 95% bands, and the plan's sized peak per period. */
export function demandFanSpec(plan: CapacityPlan, f: DriverForecast, unit: string): TopLevelSpec {
  const q = plan.quantileLabel;
  const base = plan.variants[0]!;
  const d = base.demand.find((x) => x.name === f.name);
  const bucketMs = fanBucketMs(f);
  const hist = peaksOf(
    f.history.t.map((t, i) => ({ t, v: f.history.v[i] ?? null })).filter((r): r is { t: number; v: number } => r.v !== null),
    bucketMs,
    (r) => r.v,
  );
  const fc = peaksOf(
    f.forecast.t.map((t, i) => ({ t, mean: f.forecast.mean[i]!, lo80: f.forecast.lo80[i]!, hi80: f.forecast.hi80[i]!, lo95: f.forecast.lo95[i]!, hi95: f.forecast.hi95[i]! })),
    bucketMs,
    (r) => r.mean,
  );
  const peaks = d ? plan.periods.map((p, i) => ({ t: d.peakMs[i] ?? p.startMs, v: round(d.sized[i]!) })) : [];
  const per = bucketMs === WEEK_MS ? 'weekly peak' : bucketMs === DAY_MS ? 'daily peak' : '';
  const series = [per ? `history (${per})` : 'history', per ? `forecast mean (${per})` : 'forecast mean', '80% interval', '95% interval', `${q} peak of the ${plan.period} (sized)`];
  const range = ['#5b6475', PALETTE[0], '#9fb8d6', '#cbdaeb', PALETTE[3]];
  // Variants that change this driver (growth, a launch) show their own sized peaks: a launch shows as its step.
  const variantRows: Array<{ t: number; v: number; series: string }> = [];
  plan.variants.slice(1).forEach((v, i) => {
    const vd = v.demand.find((x) => x.name === f.name);
    if (!vd || !d || vd.sized.every((x, k) => Math.abs(x - d.sized[k]!) <= 1e-9 * Math.max(1, Math.abs(x)))) return;
    const name = `${v.name} (${q} peak)`;
    series.push(name);
    range.push(PALETTE[(i + 1) % PALETTE.length]!);
    plan.periods.forEach((p, k) => variantRows.push({ t: vd.peakMs[k] ?? p.startMs, v: round(vd.sized[k]!), series: name }));
  });
  const color = { scale: { domain: series, range }, legend: { title: null, columns: 4 } };
  return {
    width: WIDTH,
    height: 260,
    layer: [
      { data: { values: fc }, mark: { type: 'area', opacity: 0.9 }, encoding: { x: UTC_X('Date (UTC)'), y: { field: 'lo95', type: 'quantitative', title: `${f.name} (${unit})` }, y2: { field: 'hi95' }, color: { datum: '95% interval', ...color } } },
      { data: { values: fc }, mark: { type: 'area', opacity: 0.9 }, encoding: { x: UTC_X('Date (UTC)'), y: { field: 'lo80', type: 'quantitative' }, y2: { field: 'hi80' }, color: { datum: '80% interval', ...color } } },
      { data: { values: hist }, mark: { type: 'line', strokeWidth: 1 }, encoding: { x: UTC_X('Date (UTC)'), y: { field: 'v', type: 'quantitative' }, color: { datum: series[0], ...color } } },
      { data: { values: fc }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x: UTC_X('Date (UTC)'), y: { field: 'mean', type: 'quantitative' }, color: { datum: series[1], ...color } } },
      { data: { values: variantRows }, mark: { type: 'line', strokeWidth: 1.2, strokeDash: [4, 3], interpolate: 'step-after' }, encoding: { x: UTC_X('Date (UTC)'), y: { field: 'v', type: 'quantitative' }, color: { field: 'series', type: 'nominal', ...color } } },
      { data: { values: peaks }, mark: { type: 'point', filled: true, size: 28 }, encoding: { x: UTC_X('Date (UTC)'), y: { field: 'v', type: 'quantitative' }, color: { datum: series[4], ...color } } },
    ],
  } as TopLevelSpec;
}

/** Without forecast.json: the per-period peaks plan.json keeps, median and sized quantile, with the band between. */
export function demandPeaksSpec(plan: CapacityPlan, name: string, unit: string): TopLevelSpec {
  const q = plan.quantileLabel;
  const d = plan.variants[0]!.demand.find((x) => x.name === name)!;
  const rows = plan.periods.map((p, i) => ({ t: p.startMs, p50: round(d.p50[i]!), sized: round(d.sized[i]!) }));
  const series = [`median peak of the ${plan.period}`, `${q} peak (sized)`, `median to ${q}`];
  const color = { scale: { domain: series, range: [PALETTE[0], PALETTE[3], '#d3e0ee'] }, legend: { title: null } };
  return {
    width: WIDTH,
    height: 240,
    data: { values: rows },
    layer: [
      { mark: { type: 'area' }, encoding: { x: UTC_X(`${plan.period} (UTC)`), y: { field: 'p50', type: 'quantitative', title: `${name} (${unit})` }, y2: { field: 'sized' }, color: { datum: series[2], ...color } } },
      { mark: { type: 'line', point: true }, encoding: { x: UTC_X(`${plan.period} (UTC)`), y: { field: 'p50', type: 'quantitative' }, color: { datum: series[0], ...color } } },
      { mark: { type: 'line', point: true }, encoding: { x: UTC_X(`${plan.period} (UTC)`), y: { field: 'sized', type: 'quantitative' }, color: { datum: series[1], ...color } } },
    ],
  } as TopLevelSpec;
}

/**
 * The decision timeline: per variant, when its first service runs out and the date to order by, on the plan's time
 * axis, with the plan's start marked. One row per variant whatever the number of services.
 */
export function timelineSpec(plan: CapacityPlan): TopLevelSpec {
  const rows: Array<Record<string, unknown>> = [];
  for (const v of plan.variants) {
    const e = variantExhaustion(v, plan);
    if (e.dateMs === undefined) continue;
    rows.push({ variant: v.name, t: e.dateMs, what: 'runs out', label: `${e.service} runs out ${e.period}` });
    if (e.orderByMs !== undefined) rows.push({ variant: v.name, t: Math.max(e.orderByMs, plan.periods[0]!.startMs), what: e.overdue ? 'order now (overdue)' : 'order by', label: `order by ${day(e.orderByMs)}` });
  }
  const first = plan.periods[0]!.startMs;
  const end = plan.periods[plan.periods.length - 1]!.endMs;
  const kinds = [
    { what: 'order by', shape: 'triangle-right', color: '#c77c02' },
    { what: 'order now (overdue)', shape: 'triangle-right', color: '#a4161a' },
    { what: 'runs out', shape: 'circle', color: '#a4161a' },
  ].filter((k) => rows.some((r) => r.what === k.what));
  const shape = { field: 'what', type: 'nominal' as const, scale: { domain: kinds.map((k) => k.what), range: kinds.map((k) => k.shape) }, legend: null };
  const color = { field: 'what', type: 'nominal' as const, scale: { domain: kinds.map((k) => k.what), range: kinds.map((k) => k.color) }, legend: { title: null, orient: 'top' as const } };
  const x = { field: 't', type: 'temporal' as const, title: `${plan.period} (UTC)`, scale: { type: 'utc' as const, domain: [first, end] }, axis: { format: '%Y-%m', labelAngle: 0, tickCount: 8 } };
  const y = { field: 'variant', type: 'nominal' as const, title: null, sort: plan.variants.map((v) => v.name), scale: { domain: plan.variants.map((v) => v.name) } };
  return {
    width: WIDTH - 120,
    height: { step: 30 },
    layer: [
      { data: { values: rows }, mark: { type: 'rule', strokeWidth: 3, opacity: 0.35, color: '#c77c02' }, transform: [{ aggregate: [{ op: 'min', field: 't', as: 't' }, { op: 'max', field: 't', as: 't2' }], groupby: ['variant'] }], encoding: { x, x2: { field: 't2' }, y } },
      { data: { values: rows }, mark: { type: 'point', filled: true, size: 140, opacity: 1 }, encoding: { x, y, shape, color } },
      // The order-by date reads leftwards from its marker, the run-out rightwards from its own, so they never overlap.
      { data: { values: rows }, transform: [{ filter: "datum.what !== 'runs out'" }], mark: { type: 'text', align: 'right', dx: -10, fontSize: 11, color: '#3b4252' }, encoding: { x, y, text: { field: 'label' } } },
      { data: { values: rows }, transform: [{ filter: "datum.what === 'runs out'" }], mark: { type: 'text', align: 'left', dx: 10, fontSize: 11, color: '#3b4252' }, encoding: { x, y, text: { field: 'label' } } },
    ],
  } as TopLevelSpec;
}

const FLEET = 'current fleet';
const RUNS_OUT = 'fleet runs out (base)';
const ORDER_BY = 'order by (base)';

/**
 * Capacity per service, one small panel each: nodes to run (with redundancy) per period for every variant, the current
 * fleet, and the base plan's exhaustion and order-by dates. One Vega view for all services (a facet), so the page
 * costs the same few views whether the plan has 5 services or 50.
 */
export function capacitySpec(plan: CapacityPlan): TopLevelSpec {
  const variants = plan.variants.map((v) => v.name);
  const base = plan.variants[0]!;
  const rows: Array<Record<string, unknown>> = [];
  for (const v of plan.variants) {
    for (const s of v.services) {
      s.periods.forEach((p, i) => rows.push({ service: s.service, kind: 'nodes', base: v === base, series: v.name, t: plan.periods[i]!.startMs, nodes: p.nodesWithRedundancy }));
    }
  }
  for (const s of base.services) {
    rows.push({ service: s.service, kind: 'fleet', series: FLEET, t: plan.periods[0]!.startMs, nodes: s.fleet });
    rows.push({ service: s.service, kind: 'fleet', series: FLEET, t: plan.periods[plan.periods.length - 1]!.startMs, nodes: s.fleet });
    const e = serviceExhaustion(s, plan);
    if (e.dateMs !== undefined) rows.push({ service: s.service, kind: 'date', series: RUNS_OUT, t: e.dateMs });
    if (e.orderByMs !== undefined && e.orderByMs >= plan.periods[0]!.startMs) rows.push({ service: s.service, kind: 'date', series: ORDER_BY, t: e.orderByMs });
  }
  const domain = [...variants, FLEET, RUNS_OUT, ORDER_BY];
  const range = [...variants.map((_, i) => PALETTE[i % PALETTE.length]!), '#1d2433', '#a4161a', '#c77c02'];
  const color = { field: 'series', type: 'nominal' as const, scale: { domain, range }, legend: { title: null, orient: 'top' as const } };
  const n = base.services.length;
  const columns = n <= 2 ? n : n <= 6 ? 2 : 3;
  const panelWidth = Math.floor((WIDTH - 40 * (columns - 1)) / columns);
  return {
    data: { values: rows },
    columns,
    facet: { field: 'service', type: 'nominal', title: null, sort: base.services.map((s) => s.service), header: { labelAnchor: 'start', labelFontSize: 12 } },
    spec: {
      width: panelWidth,
      height: n > 12 ? 120 : 170,
      layer: [
        // The base plan is drawn last and thicker, so a variant that coincides with it does not hide it.
        { transform: [{ filter: "datum.kind === 'nodes' && !datum.base" }], mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.6 }, encoding: { x: UTC_X(`${plan.period} (UTC)`), y: { field: 'nodes', type: 'quantitative', title: 'Nodes' }, color } },
        { transform: [{ filter: "datum.kind === 'nodes' && datum.base" }], mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2.6 }, encoding: { x: UTC_X(`${plan.period} (UTC)`), y: { field: 'nodes', type: 'quantitative' }, color } },
        { transform: [{ filter: "datum.kind === 'fleet'" }], mark: { type: 'line', strokeDash: [5, 3], strokeWidth: 1.5 }, encoding: { x: UTC_X(`${plan.period} (UTC)`), y: { field: 'nodes', type: 'quantitative' }, color } },
        { transform: [{ filter: "datum.kind === 'date'" }], mark: { type: 'rule', strokeWidth: 1.5, strokeDash: [2, 2] }, encoding: { x: UTC_X(`${plan.period} (UTC)`), color } },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
}

/** The services of a stacked cost chart: the most expensive MAX_STACKED in their own colour, the rest as "other". */
export function costGroups(v: VariantPlan): Map<string, string> {
  const sorted = [...v.services].sort((a, b) => b.totalCost - a.totalCost);
  const rest = sorted.length - MAX_STACKED;
  const other = `other (${rest} services)`;
  return new Map(sorted.map((s, i) => [s.service, rest > 1 && i >= MAX_STACKED ? other : s.service]));
}

/** Cost per period stacked by service, one panel per variant, same y scale so the variants compare by height. */
export function costStackSpec(plan: CapacityPlan): TopLevelSpec {
  const groups = costGroups(plan.variants[0]!);
  // Summed here per (variant, group, period): 50 services make 10 stacked rows per bar, not 50.
  const sums = new Map<string, { variant: string; service: string; t: number; cost: number }>();
  for (const v of plan.variants) {
    for (const s of v.services) {
      const g = groups.get(s.service) ?? s.service;
      s.periods.forEach((p, i) => {
        const key = `${v.name}\u0000${g}\u0000${i}`;
        const row = sums.get(key) ?? sums.set(key, { variant: v.name, service: g, t: plan.periods[i]!.startMs, cost: 0 }).get(key)!;
        row.cost += p.cost;
      });
    }
  }
  const rows = [...sums.values()].map((r) => ({ ...r, cost: round(r.cost, 6) }));
  const order = [...new Set(groups.values())];
  const columns = plan.variants.length === 1 ? 1 : 2;
  return {
    data: { values: rows },
    columns,
    facet: { field: 'variant', type: 'nominal', title: null, sort: plan.variants.map((v) => v.name), header: { labelAnchor: 'start' } },
    spec: {
      width: Math.floor((WIDTH - 40 * (columns - 1)) / columns),
      height: 170,
      mark: { type: 'bar' },
      encoding: {
        x: { field: 't', type: 'temporal', timeUnit: 'utcyearmonth', title: `${plan.period} (UTC)`, axis: { format: '%Y-%m', labelAngle: 0, tickCount: 5 } },
        y: { field: 'cost', type: 'quantitative', stack: 'zero', title: `Cost per ${plan.period} (${plan.currency})` },
        color: { field: 'service', type: 'nominal', scale: { domain: order }, legend: { title: 'Service', orient: 'top' } },
      },
    },
  } as TopLevelSpec;
}

/** Cumulative cost per variant over the horizon. */
export function costCumulativeSpec(plan: CapacityPlan): TopLevelSpec {
  const rows: Array<Record<string, unknown>> = [];
  for (const v of plan.variants) {
    let sum = 0;
    v.costByPeriod.forEach((c, i) => {
      sum += c;
      rows.push({ variant: v.name, t: plan.periods[i]!.endMs, cost: round(sum, 7) });
    });
  }
  return {
    width: WIDTH,
    height: 260,
    data: { values: rows },
    mark: { type: 'line', point: { size: 20 } },
    encoding: {
      x: UTC_X(`End of ${plan.period} (UTC)`),
      y: { field: 'cost', type: 'quantitative', title: `Cumulative cost (${plan.currency})` },
      color: { field: 'variant', type: 'nominal', scale: { domain: plan.variants.map((v) => v.name), range: plan.variants.map((_, i) => PALETTE[i % PALETTE.length]!) }, legend: { title: 'Variant', orient: 'top' } },
    },
  } as TopLevelSpec;
}

/** The cases of a confirmation, in words, in the order they are drawn. */
export const CASE_LABEL: Record<string, string> = {
  sized: 'planned count',
  'one-fewer': 'one node fewer',
  'zone-loss': 'a zone lost',
  'fleet-before-exhaustion': 'fleet before run-out',
  'fleet-at-exhaustion': 'fleet at run-out',
};

/** Simulated latency at the SLO's quantile for each confirmed case, with the replicas' 95% interval, against the SLO. */
export function simulationSpec(plan: CapacityPlan): TopLevelSpec {
  const base = plan.variants[0]!;
  const rows: Array<Record<string, unknown>> = [];
  for (const s of base.services) {
    for (const c of s.confirmations) {
      const q = s.slo.latency ? `p${Number((s.slo.latency.quantile * 100).toPrecision(4))}` : 'p99';
      rows.push({
        service: s.service,
        label: `${CASE_LABEL[c.case] ?? c.case}: ${c.nodesUp} nodes, ${plan.periods[c.periodIndex]?.label ?? ''}`,
        case: CASE_LABEL[c.case] ?? c.case,
        ms: round(c.latency.mean * 1000),
        lo: round(c.latency.ci95[0] * 1000),
        hi: round(c.latency.ci95[1] * 1000),
        result: c.passed ? 'meets SLO and cap' : 'fails (SLO or cap)',
        q,
        slo: s.slo.latency ? s.slo.latency.target * 1000 : null,
      });
    }
  }
  const n = base.services.length;
  const columns = n > 12 ? 2 : 1;
  const result = { field: 'result', type: 'nominal' as const, scale: { domain: ['meets SLO and cap', 'fails (SLO or cap)'], range: ['#1b6e3a', '#a4161a'] }, legend: { title: 'Simulated', orient: 'top' as const } };
  return {
    data: { values: rows },
    columns,
    facet: { field: 'service', type: 'nominal', title: null, sort: base.services.map((s) => s.service), header: { labelAnchor: 'start' } },
    spec: {
      width: columns === 1 ? 520 : 190,
      height: { step: 18 },
      layer: [
        { mark: { type: 'rule', strokeWidth: 2 }, encoding: { y: { field: 'label', type: 'nominal', title: null, sort: null, axis: { labelLimit: 400 } }, x: { field: 'lo', type: 'quantitative', title: 'Simulated latency at the SLO quantile (ms)' }, x2: { field: 'hi' }, color: result } },
        { mark: { type: 'point', filled: true, size: 50 }, encoding: { y: { field: 'label', type: 'nominal', sort: null }, x: { field: 'ms', type: 'quantitative' }, color: result } },
        { transform: [{ filter: 'datum.slo != null' }], mark: { type: 'rule', strokeDash: [4, 3], color: '#1d2433' }, encoding: { x: { field: 'slo', type: 'quantitative', aggregate: 'max' } } },
      ],
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  } as TopLevelSpec;
}
