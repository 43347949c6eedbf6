/**
 * `headroom forecast <history> --horizon N …`: read a usage history, forecast it, print a table or JSON.
 * Argument handling and printing only: reading is series/, forecasting forecast/forecastHistory, the report report/.
 * All three are imported inside the action, so that `headroom --version`, `--help` and other commands do not pay for
 * loading them.
 */
import type { Command } from 'commander';
import { HeadroomError, inputError } from '../errors.js';
import type { HistoryForecast } from '../forecast/forecast-history.js';
import type { ForecastEvent, ForecastOptions, MaskedRange, ModelName } from '../forecast/types.js';
import type { ReadResult } from '../series/types.js';
// Small and free of dependencies: flag parsing stays synchronous without slowing start-up.
import { parseTimestamp } from '../series/timestamp.js';
import type { CliContext } from './context.js';
import { flagError, nonNegativeIntegerFlag, optionalPositiveInteger, positiveIntegerFlag, positiveNumberFlag } from './flags.js';

/**
 * The longest forecast `--horizon` takes, in steps: 100 000 steps (11 years of hours) take about 1 s and 250 MB (the
 * simulated paths hold every step); 100 million ran out of heap and crashed the process.
 */
export const MAX_FORECAST_STEPS = 100_000;
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
  readonly allowLongHorizon?: boolean;
  readonly all?: boolean;
}

export const MODEL_CHOICES: readonly (ModelName | 'auto')[] = [
  'auto', 'linear', 'exponential', 'logistic', 'damped', 'ets', 'theta', 'mstl', 'naive', 'snaive', 'arima', 'ensemble',
];

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerForecast(program: Command, ctx: CliContext): void {
  const forecastCommand = program.command('forecast');
  forecastCommand
    .description('Forecast demand from a usage history (CSV, JSON or Prometheus) with 80% and 95% prediction intervals')
    .argument('[history...]', 'CSV (timestamp column + numeric columns) or JSON ([{"timestamp", "value"}, …]) history file; several are forecast one after another in one process, with the same options')
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
    .option('--allow-long-horizon', 'forecast further than 10 times the history\'s length (past 1x it warns; 1,000,000 steps at most)')
    .option('--json', 'print JSON: {"model", "points": [{timestamp, mean, lo80, hi80, lo95, hi95}], …}, one line per history file')
    .addHelpText(
      'after',
      `
Examples:
  $ headroom forecast scenarios/data/web-requests-hourly.csv --horizon 168
  $ headroom forecast history.csv --column cpu --horizon 30 --season 7 --model ets --json
  $ headroom forecast history.csv --horizon 720 --event launch@2025-12-01:x1.3 --mask 2025-10-03..2025-10-05
  $ headroom forecast services/*.csv --horizon 168 --json > forecasts.jsonl    # one JSON line per file
  $ headroom forecast --prometheus http://127.0.0.1:9091 --query 'web_requests_per_second{job="web"}' --start -8w --step 1h --horizon 168 --save history.csv

History: a header row, a timestamp column (ISO 8601 with or without zone, a date, or epoch seconds/milliseconds;
no zone means UTC) and numeric columns. The step is inferred; short gaps are filled and reported.`,
    )
    .action(async (histories: string[], flags: ForecastFlags) => {
      await runForecast(histories, flags, ctx);
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
  const horizon = positiveIntegerFlag('--horizon', flags.horizon);
  if (horizon > MAX_FORECAST_STEPS) flagError('--horizon', `at most ${MAX_FORECAST_STEPS} steps`, flags.horizon);
  const model = flags.model ?? 'auto';
  if (!(MODEL_CHOICES as readonly string[]).includes(model)) flagError('--model', `one of ${MODEL_CHOICES.join(', ')}`, model);
  const options: { -readonly [K in keyof ForecastOptions]: ForecastOptions[K] } = { horizon, model: model as ModelName | 'auto' };
  if (flags.season !== undefined) options.seasonalPeriods = parseSeason(flags.season);
  if (flags.ceiling !== undefined) options.ceiling = positiveNumberFlag('--ceiling', flags.ceiling);
  if (flags.event.length > 0) options.events = flags.event.map(parseEvent);
  if (flags.mask.length > 0) options.masked = flags.mask.map(parseMask);
  if (flags.seed !== undefined) options.seed = nonNegativeIntegerFlag('--seed', flags.seed);
  if (flags.allowLongHorizon === true) options.allowLongHorizon = true;
  const args: ForecastArgs = { options, json: flags.json === true, all: flags.all === true };
  return flags.backtest === undefined ? args : { ...args, backtest: positiveIntegerFlag('--backtest', flags.backtest) };
}

/**
 * `24,168` → [24, 168]; `none` → [] (no seasonality). A period is a number of steps of at least 2 (one step is no
 * cycle); `0`, `-1` and `abc` are refused like any other bad value, so a typo never silently turns seasonality off.
 */
function parseSeason(text: string): number[] {
  const s = text.trim().toLowerCase();
  if (s === 'none') return [];
  const out: number[] = [];
  for (const p of s.split(',').map((x) => x.trim())) {
    const x = Number(p);
    if (p === '' || !Number.isFinite(x) || x < 2) {
      flagError('--season', 'periods of at least 2 steps separated by commas (24,168 or 365.25), or none', text);
    }
    out.push(x);
  }
  return out;
}

/**
 * Bounds of an event's size: a multiplier up to 1000 (beyond any launch a forecast can speak for) and a shift up to
 * 1e12 in the history's unit. Larger ones overflowed the simulated paths to Infinity (`x1e308` printed Infinity as the
 * forecast, exit 0).
 */
const MAX_EVENT_MULTIPLIER = 1000;
const MAX_EVENT_SHIFT = 1e12;

const EVENT = /^([^@]+)@(.+):(x|\*|\+|-)(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)$/;

function parseEvent(text: string): ForecastEvent {
  const m = EVENT.exec(text.trim());
  if (!m) {
    flagError('--event', 'NAME@DATE:xMULT or NAME@DATE:+SHIFT (launch@2025-12-01:x1.3, migration@2025-12-01..2026-01-01:-200)', text);
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
    if (value > MAX_EVENT_MULTIPLIER) throw inputError('', `--event ${text}: expected a multiplier of at most ${MAX_EVENT_MULTIPLIER}, got ${num}`);
    ev.multiplier = value;
  } else {
    if (!(value <= MAX_EVENT_SHIFT)) throw inputError('', `--event ${text}: expected a shift of at most ${MAX_EVENT_SHIFT.toExponential()}, got ${num}`);
    ev.shift = op === '-' ? -value : value;
  }
  if (untilMs !== undefined) ev.untilMs = untilMs;
  return ev;
}

function parseMask(text: string): MaskedRange {
  const parts = text.split('..');
  if (parts.length !== 2 || parts[0]!.trim() === '' || parts[1]!.trim() === '') {
    flagError('--mask', 'FROM..TO (2025-10-03..2025-10-05 or 2025-10-03T10:00Z..2025-10-03T14:00Z)', text);
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
  const maxGap = optionalPositiveInteger('--max-gap', flags.maxGap);
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

/**
 * Forecast each history (or the Prometheus query when none is given) with the same options, and print the forecasts
 * in the order given: text blocks separated by a blank line, or one JSON document per line. Several histories in one
 * call share one process start and the compiled forecaster: a script forecasting hundreds of series pays the start-up
 * once (`npm run bench -- cli` measures both). Every history is read before any is forecast, and every forecast is
 * made before anything is printed, so a bad file or a history too short to forecast stops the call with its one-line
 * error (exit 2) and prints nothing else.
 */
async function runForecast(histories: readonly string[], flags: ForecastFlags, ctx: CliContext): Promise<void> {
  const args = parseForecastFlags(flags);
  const sources: ReadonlyArray<string | undefined> = histories.length > 0 ? histories : [undefined];
  // A bar on a terminal only (cli-progress is loaded only then): read, fit and forecast, backtest, per history.
  const progress = ctx.isTTY && !args.json ? (await import('./progress.js')).progressFor(ctx) : undefined;
  const stages = args.backtest === undefined ? 2 : 3;
  progress?.start(stages * sources.length, 'forecast');
  let done = 0;
  const stageDone = (): void => progress?.update(++done);
  // The forecaster and the renderer load while the history is read. Loaded after the fit, a module waited 10–20 ms
  // (2 cores) for its file reads, on threads that the compiler's background jobs kept busy.
  const forecaster = import('../forecast/forecast-history.js');
  const render: Promise<(forecast: HistoryForecast) => string> = args.json
    ? import('../report/forecast-json.js').then((m) => (f) => `${JSON.stringify(m.forecastJson(f))}\n`)
    : import('../report/forecast-text.js').then((m) => (f) => m.forecastText(f, { all: args.all }));
  const forecasts: HistoryForecast[] = [];
  try {
    const reads: ReadResult[] = [];
    for (const source of sources) {
      reads.push(await loadHistory(source, flags, ctx));
      stageDone();
    }
    const { forecastHistory } = await forecaster;
    for (const read of reads) {
      forecasts.push(
        forecastHistory(read, args.options, {
          ...(args.backtest !== undefined ? { backtestHoldout: args.backtest } : {}),
          onStageDone: stageDone,
        }),
      );
    }
  } finally {
    progress?.stop();
  }
  const text = await render;
  ctx.stdout.write(forecasts.map(text).join(args.json ? '' : '\n'));
}
