import type { TopLevelSpec } from 'vega-lite';
import type { CapacityPlan, FleetRule, VariantPlan } from '../plan/types.js';
import type { DriverForecast } from './driver-forecast.js';
import { ruleWords, servicesWords, variantRuleDates, type VariantRuleDate } from './exhaustion-view.js';
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

/** Colour and shape of each fleet rule, the same in the timeline and the capacity panels. */
export const RULE_STYLE: Record<FleetRule, { color: string; shape: string }> = {
  cap: { color: '#c77c02', shape: 'square' },
  redundancy: { color: '#a4161a', shape: 'diamond' },
  slo: { color: '#6a3d9a', shape: 'circle' },
  saturation: { color: '#8a8f98', shape: 'cross' },
};

/** A timeline label: "short now: all 5 services", "2027-03: web and api · order by 2027-01-15", "beyond 2028-11". */
export function ruleLabel(r: VariantRuleDate, services: number, last: string): string {
  if (r.status === 'beyond') return `holds beyond ${last}`;
  const who = servicesWords(r.services, services);
  if (r.status === 'already') return `short now: ${who}`;
  const order = r.orderByMs === undefined ? '' : r.overdue ? ' · order now' : ` · order by ${day(r.orderByMs)}`;
  return `${r.period}: ${who}${order}`;
}

/**
 * The decision timeline: per variant (a row of panels), one line per rule the scenario asks for (and saturation): a
 * bar from the plan's start to the first period one of its services breaks the rule, a mark there, and a label with
 * the services and the order-by date. A rule broken already is a mark at the first period ("short now"); a rule kept
 * to the end is a bar over the whole horizon. One line per rule, so labels of equal dates never overlap; a label in
 * the right half reads leftwards from its mark so it stays inside the chart.
 */
export function timelineSpec(plan: CapacityPlan): TopLevelSpec {
  const first = plan.periods[0]!.startMs;
  const end = plan.periods[plan.periods.length - 1]!.endMs;
  const last = plan.periods[plan.periods.length - 1]!.label;
  const mid = first + (end - first) / 2;
  const rows: Array<Record<string, unknown>> = [];
  for (const v of plan.variants) {
    for (const r of variantRuleDates(v, plan)) {
      const t = r.dateMs ?? end;
      rows.push({ variant: v.name, rule: r.words, key: r.rule, t0: first, t, mark: r.status !== 'beyond', side: t > mid ? 'left' : 'right', label: ruleLabel(r, v.services.length, last) });
    }
  }
  const used = (['cap', 'redundancy', 'slo', 'saturation'] as const).filter((k) => rows.some((r) => r.key === k));
  const words = used.map((k) => rows.find((r) => r.key === k)!.rule as string);
  const color = { field: 'rule', type: 'nominal' as const, scale: { domain: words, range: used.map((k) => RULE_STYLE[k].color) }, legend: { title: null, orient: 'top' as const, symbolOpacity: 1 } };
  const shape = { field: 'rule', type: 'nominal' as const, scale: { domain: words, range: used.map((k) => RULE_STYLE[k].shape) }, legend: null };
  const x = { field: 't', type: 'temporal' as const, title: `${plan.period} (UTC): when the current fleet first breaks the rule`, scale: { type: 'utc' as const, domain: [first, end] }, axis: { format: '%Y-%m', labelAngle: 0, tickCount: 8 } };
  const y = { field: 'rule', type: 'nominal' as const, title: null, sort: words, scale: { domain: words }, axis: { labelFontSize: 11 } };
  return {
    data: { values: rows },
    facet: { row: { field: 'variant', type: 'nominal', title: null, sort: plan.variants.map((v) => v.name), header: { labelAngle: 0, labelOrient: 'top', labelAnchor: 'start', labelAlign: 'left', labelFontSize: 12, labelFontWeight: 600, labelPadding: 2 } } },
    spacing: 16,
    spec: {
      width: WIDTH - 150,
      height: { step: 19 },
      layer: [
        { mark: { type: 'bar', height: 9, opacity: 0.28 }, encoding: { x: { ...x, field: 't0' }, x2: { field: 't' }, y, color } },
        { transform: [{ filter: 'datum.mark' }], mark: { type: 'point', filled: true, size: 90, opacity: 1 }, encoding: { x, y, color, shape } },
        { transform: [{ filter: "datum.side === 'right'" }], mark: { type: 'text', align: 'left', dx: 9, fontSize: 11, color: '#1d2433' }, encoding: { x, y, text: { field: 'label' } } },
        { transform: [{ filter: "datum.side === 'left'" }], mark: { type: 'text', align: 'right', dx: -9, fontSize: 11, color: '#1d2433' }, encoding: { x, y, text: { field: 'label' } } },
      ],
    },
  } as TopLevelSpec;
}

const FLEET = 'current fleet';

/** What the current fleet's date of a rule means, for the capacity panels' legend. */
export function ruleEvent(rule: FleetRule, plan: Pick<CapacityPlan, 'maxUtilization' | 'redundancy'>): string {
  switch (rule) {
    case 'cap':
      return `fleet over the ${Math.round(plan.maxUtilization * 100)}% cap`;
    case 'redundancy':
      return `fleet loses ${ruleWords(rule, plan)}`;
    case 'slo':
      return 'fleet breaks the SLO';
    default:
      return 'fleet saturated';
  }
}

/**
 * Capacity per service, one small panel each: nodes to run (with redundancy) per period for every variant, the current
 * fleet, and the date the base plan's current fleet breaks each rule (a rule broken already is drawn at the start). One Vega view for all services (a facet), so the page
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
    for (const d of s.rules) {
      if (d.dateMs === undefined || d.dateMs === null || d.status === 'not-asked') continue;
      rows.push({ service: s.service, kind: 'date', rule: d.rule, series: `${ruleEvent(d.rule, plan)} (${base.name})`, t: d.dateMs });
      // A rule broken already also shades the first period, so it reads as more than a line on the axis.
      if (d.status === 'already') rows.push({ service: s.service, kind: 'already', series: `${ruleEvent(d.rule, plan)} (${base.name})`, t: plan.periods[0]!.startMs, t2: plan.periods[0]!.endMs });
    }
  }
  const rules = (['cap', 'redundancy', 'slo', 'saturation'] as const).filter((k) => rows.some((r) => r.rule === k));
  const domain = [...variants, FLEET, ...rules.map((k) => `${ruleEvent(k, plan)} (${base.name})`)];
  const range = [...variants.map((_, i) => PALETTE[i % PALETTE.length]!), '#1d2433', ...rules.map((k) => RULE_STYLE[k].color)];
  const color = { field: 'series', type: 'nominal' as const, scale: { domain, range }, legend: { title: null, orient: 'top' as const, columns: 3 } };
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
        { transform: [{ filter: "datum.kind === 'already'" }], mark: { type: 'rect', opacity: 0.18 }, encoding: { x: UTC_X(`${plan.period} (UTC)`), x2: { field: 't2' }, color } },
        // One layer per rule, a pixel or two apart, so rules that break in the same period stay visible side by side.
        ...rules.map((k, i) => ({
          transform: [{ filter: `datum.kind === 'date' && datum.rule === '${k}'` }],
          mark: { type: 'rule', strokeWidth: 1.6, strokeDash: [3, 2], xOffset: (i - (rules.length - 1) / 2) * 2.5 },
          encoding: { x: UTC_X(`${plan.period} (UTC)`), color },
        })),
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
