/**
 * `headroom forecast <history> --horizon N …`: read a usage history, forecast it, print a table or JSON.
 * Argument handling and printing only; reading is series/, forecasting is forecast/. Both are imported lazily inside
 * the action so that `headroom --version` and other commands do not pay for loading them.
 */
import type { Command } from 'commander';
import { HeadroomError, inputError } from '../errors.js';
import type { BacktestResult, ForecastEvent, ForecastOptions, ForecastResult, MaskedRange, ModelName } from '../forecast/types.js';
import type { ReadResult, Series } from '../series/types.js';
// Small and free of dependencies: flag parsing stays synchronous without slowing start-up.
import { formatIso, parseTimestamp } from '../series/timestamp.js';
import { formatStep } from '../series/step.js';
import { periodStart, type Period } from '../series/aggregate.js';
import type { Growth } from '../series/growth.js';
import type { CliContext } from './context.js';
import { addPrometheusOptions, loadPrometheusHistory, usesPrometheus, type PrometheusFlags } from './prometheus-history.js';

/** Flags as commander hands them over: raw strings, checked here so every bad value gets one exact line. */
export interface ForecastFlags {
  readonly horizon?: string;
  readonly season?: string;
  readonly model?: string;
  readonly column?: string;
  readonly ceiling?: string;
  readonly event: string[];
  readonly mask: string[];
  readonly backtest?: string;
  readonly seed?: string;
  readonly json?: boolean;
  readonly all?: boolean;
}

export const MODEL_CHOICES: readonly (ModelName | 'auto')[] = [
  'auto', 'linear', 'exponential', 'logistic', 'damped', 'ets', 'theta', 'mstl', 'naive', 'snaive', 'ensemble',
];

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerForecast(program: Command, ctx: CliContext): void {
  const forecastCommand = program.command('forecast');
  forecastCommand
    .description('Forecast demand from a usage history (CSV, JSON or Prometheus) with 80% and 95% prediction intervals')
    .argument('[history]', 'CSV (timestamp column + numeric columns) or JSON ([{"timestamp", "value"}, …]) history file')
    .option('--horizon <N>', 'steps to forecast, at the history\'s step (required)')
    .option('--season <M[,M2...]>', 'seasonal periods in steps, may be non-integer (24,168 or 365.25); "none" for no seasonality; default: detect')
    .option('--model <name>', `model: ${MODEL_CHOICES.join('|')}`, 'auto')
    .option('--column <name>', 'value column of a CSV with several numeric columns')
    .option('--max-gap <N>', 'fill gaps of up to N missing steps by linear interpolation (default: max(3, 2% of the points))')
    .option('--ceiling <X>', 'known saturation level for --model logistic (default: fitted)')
    .option('--event <NAME@DATE[..UNTIL]:xMULT|+SHIFT>', 'known future (or past) event: scale or shift demand from DATE (repeatable)', collect, [])
    .option('--mask <FROM..TO>', 'keep an anomaly [FROM, TO) of the history out of fitting (repeatable)', collect, [])
    .option('--backtest <H>', 'also hold out the last H points, forecast them, and report MASE, sMAPE and interval coverage')
    .option('--seed <S>', 'seed for simulated future paths (intervals reproduce for a seed)', '0')
    .option('--all', 'print every forecast point, not one row per day/week/month')
    .option('--json', 'print JSON: {"model", "points": [{timestamp, mean, lo80, hi80, lo95, hi95}], …}')
    .addHelpText(
      'after',
      `
Examples:
  $ headroom forecast scenarios/data/web-requests-hourly.csv --horizon 168
  $ headroom forecast history.csv --column cpu --horizon 30 --season 7 --model ets --json
  $ headroom forecast history.csv --horizon 720 --event launch@2025-12-01:x1.3 --mask 2025-10-03..2025-10-05
  $ headroom forecast --prometheus http://127.0.0.1:9091 --query 'web_requests_per_second{job="web"}' --start -8w --step 1h --horizon 168 --save history.csv

History: a header row, a timestamp column (ISO 8601 with or without zone, a date, or epoch seconds/milliseconds;
no zone means UTC) and numeric columns. The step is inferred; short gaps are filled and reported.`,
    )
    .action(async (history: string | undefined, flags: ForecastFlags) => {
      await runForecast(history, flags, ctx);
    });
  addPrometheusOptions(forecastCommand);
}

/** The parsed command line. */
export interface ForecastArgs {
  readonly options: ForecastOptions;
  readonly backtest?: number;
  readonly json: boolean;
  readonly all: boolean;
}

/**
 * Check every flag and turn it into forecast options; throws a one-line HeadroomError (exit 2) for the first bad
 * value, naming the flag, what it expects and what it got.
 */
export function parseForecastFlags(flags: ForecastFlags): ForecastArgs {
  if (flags.horizon === undefined) throw inputError('', '--horizon is required: the number of steps to forecast, e.g. --horizon 168');
  const horizon = positiveInteger('--horizon', flags.horizon);
  const model = flags.model ?? 'auto';
  if (!(MODEL_CHOICES as readonly string[]).includes(model)) {
    throw inputError('', `--model must be one of ${MODEL_CHOICES.join(', ')}, got ${model}`);
  }
  const options: { -readonly [K in keyof ForecastOptions]: ForecastOptions[K] } = { horizon, model: model as ModelName | 'auto' };
  if (flags.season !== undefined) options.seasonalPeriods = parseSeason(flags.season);
  if (flags.ceiling !== undefined) {
    const c = Number(flags.ceiling);
    if (flags.ceiling.trim() === '' || !Number.isFinite(c) || c <= 0) throw inputError('', `--ceiling must be a positive number, got ${flags.ceiling}`);
    options.ceiling = c;
  }
  if (flags.event.length > 0) options.events = flags.event.map(parseEvent);
  if (flags.mask.length > 0) options.masked = flags.mask.map(parseMask);
  if (flags.seed !== undefined) {
    if (!/^\d+$/.test(flags.seed.trim()) || !Number.isSafeInteger(Number(flags.seed))) {
      throw inputError('', `--seed must be a non-negative integer, got ${flags.seed}`);
    }
    options.seed = Number(flags.seed);
  }
  const args: ForecastArgs = { options, json: flags.json === true, all: flags.all === true };
  return flags.backtest === undefined ? args : { ...args, backtest: positiveInteger('--backtest', flags.backtest) };
}

function positiveInteger(flag: string, text: string): number {
  const s = text.trim();
  if (!/^\+?\d+$/.test(s) || Number(s) < 1 || !Number.isSafeInteger(Number(s))) {
    throw inputError('', `${flag} must be a positive integer, got ${text}`);
  }
  return Number(s);
}

/** `24,168` → [24, 168]; `none` or `0` → [] (no seasonality). */
function parseSeason(text: string): number[] {
  const s = text.trim().toLowerCase();
  if (s === 'none' || s === '0') return [];
  const parts = s.split(',').map((p) => p.trim());
  const out: number[] = [];
  for (const p of parts) {
    const x = Number(p);
    if (p === '' || !Number.isFinite(x) || x < 2) {
      throw inputError('', `--season must be periods in steps of at least 2 separated by commas (24,168 or 365.25), or none; got ${text}`);
    }
    out.push(x);
  }
  return out;
}

const EVENT = /^([^@]+)@(.+):(x|\*|\+|-)(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)$/;

function parseEvent(text: string): ForecastEvent {
  const m = EVENT.exec(text.trim());
  if (!m) {
    throw inputError('', `--event must look like NAME@DATE:xMULT or NAME@DATE:+SHIFT (launch@2025-12-01:x1.3, migration@2025-12-01..2026-01-01:-200), got ${text}`);
  }
  const [, name, when, op, num] = m as unknown as [string, string, string, string, string];
  const [from, until] = when.split('..') as [string, string | undefined];
  const atMs = timeSync('--event', from, text);
  const untilMs = until === undefined ? undefined : timeSync('--event', until, text);
  if (untilMs !== undefined && untilMs <= atMs) throw inputError('', `--event ${text}: the end must be after the start`);
  const value = Number(num);
  const ev: { -readonly [K in keyof ForecastEvent]: ForecastEvent[K] } = { name: name.trim(), atMs };
  if (op === 'x' || op === '*') {
    if (!(value > 0)) throw inputError('', `--event ${text}: the multiplier must be positive`);
    ev.multiplier = value;
  } else ev.shift = op === '-' ? -value : value;
  if (untilMs !== undefined) ev.untilMs = untilMs;
  return ev;
}

function parseMask(text: string): MaskedRange {
  const parts = text.split('..');
  if (parts.length !== 2 || parts[0]!.trim() === '' || parts[1]!.trim() === '') {
    throw inputError('', `--mask must look like FROM..TO (2025-10-03..2025-10-05 or 2025-10-03T10:00Z..2025-10-03T14:00Z), got ${text}`);
  }
  const fromMs = timeSync('--mask', parts[0]!, text);
  const toMs = timeSync('--mask', parts[1]!, text);
  if (toMs <= fromMs) throw inputError('', `--mask ${text}: the end must be after the start`);
  return { fromMs, toMs };
}

function timeSync(flag: string, text: string, whole: string): number {
  const p = parseTimestamp(text.trim());
  if (!p.ok) throw inputError('', `${flag} ${whole}: ${p.problem}`);
  return p.ms;
}

/** Where the history comes from; the Prometheus reader adds its flags here. */
export interface HistoryFlags extends PrometheusFlags {
  readonly column?: string;
  readonly maxGap?: string;
}

/**
 * Load the history the command forecasts. One function, so that other sources (Prometheus) plug in here.
 * @throws HeadroomError for a missing argument or a file that cannot be read or repaired.
 */
export async function loadHistory(history: string | undefined, flags: HistoryFlags, ctx: CliContext): Promise<ReadResult> {
  if (usesPrometheus(flags)) return loadPrometheusHistory(history, flags, ctx);
  if (history === undefined) {
    throw inputError('', 'a history file is required, e.g. headroom forecast history.csv --horizon 24');
  }
  const maxGap = flags.maxGap === undefined ? undefined : positiveInteger('--max-gap', flags.maxGap);
  const { readHistory } = await import('../series/read-history.js');
  try {
    return await readHistory(history, {
      cwd: ctx.cwd,
      ...(flags.column !== undefined ? { column: flags.column } : {}),
      ...(maxGap !== undefined ? { maxGapPoints: maxGap } : {}),
    });
  } catch (e) {
    // Say how to get past a long gap, on the same line.
    if (e instanceof HeadroomError && e.code === 'SERIES_GAP' && maxGap === undefined) {
      throw new HeadroomError(e.code, `${e.message} (--max-gap N fills longer ones)`, { exitCode: 2, cause: e });
    }
    throw e;
  }
}

async function runForecast(history: string | undefined, flags: ForecastFlags, ctx: CliContext): Promise<void> {
  const args = parseForecastFlags(flags);
  // A bar on a terminal only (cli-progress is loaded only then): read, fit and forecast, backtest.
  const progress = ctx.isTTY && !args.json ? (await import('./progress.js')).progressFor(ctx) : undefined;
  const stages = args.backtest === undefined ? 2 : 3;
  progress?.start(stages, 'forecast');
  try {
    await forecastStages(history, flags, args, ctx, (done) => progress?.update(done));
  } finally {
    progress?.stop();
  }
}

async function forecastStages(
  history: string | undefined,
  flags: ForecastFlags,
  args: ForecastArgs,
  ctx: CliContext,
  stageDone: (done: number) => void,
): Promise<void> {
  const read = await loadHistory(history, flags, ctx);
  stageDone(1);
  const [{ forecast }, { futureTimestamps }, { forecastGrowth }] = await Promise.all([
    import('../forecast/forecast.js'),
    import('../series/calendar.js'),
    import('../series/growth.js'),
  ]);
  const { series } = read;
  let result: ForecastResult;
  try {
    result = forecast(series, args.options);
  } catch (e) {
    throw withSource(e, series);
  }
  const times = futureTimestamps(series, args.options.horizon);
  const growth = forecastGrowth(
    series,
    result.points.map((p) => p.mean),
    result.seasonalPeriods.length > 0 ? Math.max(...result.seasonalPeriods) : 0,
  );
  stageDone(2);
  let bt: { holdout: number; result: BacktestResult } | undefined;
  if (args.backtest !== undefined) {
    const { backtest } = await import('../forecast/backtest.js');
    const { horizon: _h, ...rest } = args.options;
    try {
      bt = { holdout: args.backtest, result: backtest(series, { ...rest, holdout: args.backtest }) };
    } catch (e) {
      throw withSource(e, series);
    }
    stageDone(3);
  }
  const out: ForecastOutput = bt === undefined ? { read, result, times, growth } : { read, result, times, growth, backtest: bt };
  if (args.json) ctx.stdout.write(`${JSON.stringify(forecastJson(out))}\n`);
  else ctx.stdout.write(forecastText(out, { all: args.all }));
}

/** Errors about the series from the forecasting core name the file they concern. */
function withSource(e: unknown, series: Series): unknown {
  if (e instanceof HeadroomError && e.code === 'SERIES_TOO_SHORT' && !e.message.startsWith(series.source)) {
    return new HeadroomError(e.code, `${series.source}: ${e.message}`, { exitCode: 2, cause: e });
  }
  return e;
}

/** Everything the printers need. */
export interface ForecastOutput {
  readonly read: ReadResult;
  readonly result: ForecastResult;
  /** Timestamps of the forecast points (epoch ms), at the history's step after its last point. */
  readonly times: Float64Array;
  readonly growth: Growth;
  /** With --backtest H: the forecast of the last H points made without them, scored. */
  readonly backtest?: { readonly holdout: number; readonly result: BacktestResult };
}

/** The `--json` document: `model` and `points` first (the contract), then details. */
export function forecastJson(o: ForecastOutput): Record<string, unknown> {
  const { series, repairs } = o.read;
  const r = o.result;
  return {
    model: r.model,
    points: r.points.map((p, i) => ({
      timestamp: formatIso(o.times[i]!),
      mean: p.mean,
      lo80: p.lo80,
      hi80: p.hi80,
      lo95: p.lo95,
      hi95: p.hi95,
    })),
    modelName: r.modelName,
    seasonalPeriods: r.seasonalPeriods,
    quality: r.quality,
    growthPerMonth: { absolute: o.growth.perMonth, relative: o.growth.relativePerMonth },
    history: {
      source: series.source,
      column: series.name,
      points: series.t.length,
      step: formatStep(series),
      stepMs: series.stepMs,
      first: formatIso(series.t[0]!),
      last: formatIso(series.t[series.t.length - 1]!),
    },
    repairs: {
      filledGaps: repairs.filledGaps.map((g) => ({ start: formatIso(g.startMs), points: g.points })),
      duplicatesDropped: repairs.duplicatesDropped,
      resampled: repairs.resampled,
      notes: repairs.notes ?? [],
    },
    ...(o.backtest === undefined
      ? {}
      : {
          backtest: {
            holdout: o.backtest.holdout,
            model: o.backtest.result.model,
            mase: o.backtest.result.mase,
            smape: o.backtest.result.smape,
            coverage80: o.backtest.result.coverage80,
            coverage95: o.backtest.result.coverage95,
          },
        }),
  };
}

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
function chooseRows(o: ForecastOutput, all: boolean): { rows: number[]; period?: Period } {
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

/** The readable report: a summary of history, model, fit and growth, then an aligned table. */
export function forecastText(o: ForecastOutput, options: { all: boolean }): string {
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
  const pct = o.growth.relativePerMonth * 100;
  label('growth', `${signed(o.growth.perMonth, d)} per month (${signed(pct, 1)}% per month), from the forecast's mean path`);
  if (o.backtest !== undefined) {
    const b = o.backtest.result;
    label(
      'backtest',
      `last ${o.backtest.holdout} points held out: MASE ${b.mase.toFixed(2)}, sMAPE ${b.smape.toFixed(1)}%, ` +
        `coverage ${(b.coverage80 * 100).toFixed(0)}% of 80% and ${(b.coverage95 * 100).toFixed(0)}% of 95% intervals (${b.model})`,
    );
  }
  label('horizon', `${h} step${h === 1 ? '' : 's'} of ${step}, ${ts(o.times[0]!)} to ${ts(o.times[h - 1]!)}`);
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
