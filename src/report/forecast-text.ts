/**
 * The readable report of a history's forecast (`headroom forecast` without --json): a summary of the history, its
 * repairs, the model, fit, growth and backtest, then an aligned table of points or of the peak of each calendar period.
 */
import type { Growth } from '../series/growth.js';
import type { HistoryForecast } from '../forecast/forecast-history.js';
import { periodStart, type Period } from '../series/aggregate.js';
import { formatStep } from '../series/step.js';
import { formatIso } from '../series/timestamp.js';
import type { ReadResult } from '../series/types.js';

/** What the reader repaired, in one line for people. */
export function describeRepairs(read: ReadResult): string {
  const { repairs, series } = read;
  const parts: string[] = [];
  const gaps = repairs.filledGaps;
  if (gaps.length > 0) {
    // Each filled gap, up to five; the JSON output lists all of them.
    const each = gaps.slice(0, 5).map((g) => `${g.points} point${g.points === 1 ? '' : 's'} from ${formatIso(g.startMs)}`);
    const more = gaps.length > 5 ? `, and ${gaps.length - 5} more (--json lists all)` : '';
    parts.push(`filled ${gaps.length} gap${gaps.length === 1 ? '' : 's'} by linear interpolation (${each.join(', ')}${more})`);
  }
  if (repairs.duplicatesDropped > 0) {
    parts.push(`dropped ${repairs.duplicatesDropped} exact duplicate row${repairs.duplicatesDropped === 1 ? '' : 's'}`);
  }
  if (repairs.resampled) parts.push(`resampled irregular timestamps onto the ${formatStep(series)} step`);
  for (const n of repairs.notes ?? []) parts.push(n);
  return parts.length === 0 ? 'none' : parts.join('; ');
}

const DAY_MS = 86_400_000;
const GROUPS: ReadonlyArray<{ period: Period; ms: number }> = [
  { period: 'hour', ms: 3_600_000 },
  { period: 'day', ms: DAY_MS },
  { period: 'week', ms: 7 * DAY_MS },
  { period: 'month', ms: 30.4 * DAY_MS },
  { period: 'quarter', ms: 91 * DAY_MS },
  { period: 'year', ms: 365 * DAY_MS },
];
/** Every point is printed up to this many (a screen a planner can read) … */
const MAX_ROWS = 48;
/** … or up to this many when grouping would leave fewer than MIN_GROUPS rows (72 hours are better than 3 peaks). */
const MAX_ROWS_UNGROUPED = 120;
const MIN_GROUPS = 5;

/**
 * Rows to print: every point for short horizons or with --all; otherwise the peak (highest mean) of each hour, day,
 * week, month … — the smallest calendar period longer than the step that gives at most 40 rows, since capacity is
 * sized for the peak.
 */
function chooseRows(o: HistoryForecast, all: boolean): { rows: number[]; period?: Period } {
  const h = o.result.points.length;
  const every = Array.from({ length: h }, (_, i) => i);
  if (all || h <= MAX_ROWS) return { rows: every };
  const step = o.read.series.stepMs;
  for (const g of GROUPS) {
    if (g.ms <= step * 1.5) continue;
    const best = new Map<number, number>();
    for (let i = 0; i < h; i++) {
      const key = periodStart(o.times[i]!, g.period);
      const j = best.get(key);
      if (j === undefined || o.result.points[i]!.mean > o.result.points[j]!.mean) best.set(key, i);
    }
    if (best.size > 40) continue;
    if (best.size < MIN_GROUPS && h <= MAX_ROWS_UNGROUPED) break;
    return { rows: [...best.values()].sort((a, b) => a - b), period: g.period };
  }
  return { rows: every };
}

/** Decimals that show about four significant digits of a typical value. */
function decimalsFor(values: readonly number[]): number {
  const a = values.map((x) => Math.abs(x)).filter((x) => x > 0 && Number.isFinite(x)).sort((x, y) => x - y);
  const typical = a[a.length >> 1];
  if (typical === undefined) return 2;
  return Math.min(6, Math.max(0, 3 - Math.floor(Math.log10(typical))));
}

function signed(x: number, d: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return `${x >= 0 ? '+' : ''}${x.toFixed(d)}`;
}

/** "+1,234.5 per month (+3.2% per month), <basis>", or why a growth per month cannot be told. */
function growthText(g: Growth, decimals: number, basis: string): string {
  if (!Number.isFinite(g.perMonth) || !Number.isFinite(g.relativePerMonth)) return `cannot be told: ${g.reason ?? 'the forecast gives no finite growth'}`;
  return `${signed(g.perMonth, decimals)} per month (${signed(g.relativePerMonth * 100, 1)}% per month), ${basis}`;
}

/** The readable report: a summary of history, model, fit and growth, then an aligned table. */
export function forecastText(o: HistoryForecast, options: { all: boolean }): string {
  const { series } = o.read;
  const r = o.result;
  const n = series.t.length;
  const h = r.points.length;
  const d = decimalsFor(r.points.map((p) => p.mean));
  const dateOnly = series.stepMs >= DAY_MS && series.t.every((t) => t % DAY_MS === 0);
  const ts = (ms: number): string => (dateOnly ? formatIso(ms).slice(0, 10) : formatIso(ms));
  const step = formatStep(series);
  const q = r.quality;
  const lines: string[] = [];
  lines.push(`Forecast of ${series.name} from ${series.source}`);
  const label = (k: string, v: string): void => void lines.push(`  ${k.padEnd(9)}${v}`);
  label('history', `${n} points at ${step}, ${ts(series.t[0]!)} to ${ts(series.t[n - 1]!)}`);
  label('repairs', describeRepairs(o.read));
  label('model', r.model);
  const fit = [`RMSE ${Number.isFinite(q.rmse) ? q.rmse.toFixed(d) : 'n/a'}`, `MASE ${Number.isFinite(q.mase) ? q.mase.toFixed(2) : 'n/a'}`];
  label('fit', `${fit.join(', ')} (one step ahead, in sample)`);
  // the span the path's growth was read over, joined to the history's last steps when the forecast is shorter
  const window = r.pathGrowth.windowSteps ?? h;
  const windowSpan = formatStep({ stepMs: window * series.stepMs, ...(series.stepMonths !== undefined ? { stepMonths: window * series.stepMonths } : {}) });
  const pathBasis = window > h ? `the last ${windowSpan} of history and forecast joined` : `the forecast's mean path over its last ${windowSpan}`;
  label('growth', growthText(r.growth, d, r.growth.basis === 'model' ? "the model's own rate" : r.growth.basis === 'history' ? "the history's trend (the model carries none)" : pathBasis));
  if (r.growth.basis !== 'path' && Number.isFinite(r.pathGrowth.relativePerMonth) && Math.abs(r.pathGrowth.relativePerMonth - r.growth.relativePerMonth) >= 0.0005) {
    label('', `${growthText(r.pathGrowth, d, pathBasis)}`);
  }
  if (o.backtest !== undefined) {
    const b = o.backtest.result;
    label(
      'backtest',
      `last ${o.backtest.holdout} points held out: MASE ${b.mase.toFixed(2)}, sMAPE ${b.smape.toFixed(1)}%, ` +
        `coverage ${(b.coverage80 * 100).toFixed(0)}% of 80% and ${(b.coverage95 * 100).toFixed(0)}% of 95% intervals (${b.model})`,
    );
  }
  label('horizon', `${h} step${h === 1 ? '' : 's'} of ${step}, ${ts(o.times[0]!)} to ${ts(o.times[h - 1]!)}`);
  for (const w of r.warnings) label('warning', w);
  lines.push('');

  const { rows, period } = chooseRows(o, options.all);
  if (period !== undefined) {
    lines.push(`Peak of each ${period} (the step with the highest mean; ${rows.length} of ${h} points; --all prints every point, --json all as JSON):`);
  }
  const cells = rows.map((i) => {
    const p = r.points[i]!;
    return [ts(o.times[i]!), p.mean.toFixed(d), p.lo80.toFixed(d), p.hi80.toFixed(d), p.lo95.toFixed(d), p.hi95.toFixed(d)] as const;
  });
  const w = (k: 0 | 1 | 2 | 3 | 4 | 5, title: string): number => Math.max(title.length, ...cells.map((c) => c[k].length));
  const wt = w(0, 'timestamp');
  const wm = w(1, 'mean');
  const wn = Math.max(w(2, ''), w(3, ''), w(4, ''), w(5, ''));
  const span = 2 * wn + 4;
  lines.push(`  ${'timestamp'.padEnd(wt)}  ${'mean'.padStart(wm)}  ${'80% interval'.padEnd(span)}  ${'95% interval'}`);
  for (const c of cells) {
    lines.push(
      `  ${c[0].padEnd(wt)}  ${c[1].padStart(wm)}  [${c[2].padStart(wn)}, ${c[3].padStart(wn)}]  [${c[4].padStart(wn)}, ${c[5].padStart(wn)}]`,
    );
  }
  return `${lines.join('\n')}\n`;
}
