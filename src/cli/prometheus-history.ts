/**
 * History from Prometheus on the command line: the flags `--prometheus URL --query PROMQL --start T [--end T]
 * [--step 1h] [--select label=value,…|--sum] [--bearer-token-env VAR|--basic-auth-env VAR] [--save history.csv]`,
 * checked here and handed to the library's readPrometheus. Argument handling only; the reading is series/.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { HeadroomError, inputError } from '../errors.js';
import { parseLabelSelection } from '../series/prometheus-labels.js';
import type { PrometheusSourceSpec } from '../model/plan-scenario.js';
import { parseStep, parseTimeSpec } from '../series/prometheus-time.js';
import type { ReadResult } from '../series/types.js';
import type { CliContext } from './context.js';
import { optionalPositiveInteger } from './flags.js';

/** The flags as commander hands them over. */
export interface PrometheusFlags {
  readonly prometheus?: string;
  readonly query?: string;
  readonly start?: string;
  readonly end?: string;
  readonly step?: string;
  readonly select?: string;
  readonly sum?: boolean;
  readonly bearerTokenEnv?: string;
  readonly basicAuthEnv?: string;
  readonly save?: string;
  readonly json?: boolean;
  /** A file's column: refused with --prometheus, where --select picks a series. */
  readonly column?: string;
  /** The file readers' --max-gap, applied to Prometheus history the same way. */
  readonly maxGap?: string;
}

const FLAG_NAMES: ReadonlyArray<[keyof PrometheusFlags, string]> = [
  ['query', '--query'],
  ['start', '--start'],
  ['end', '--end'],
  ['step', '--step'],
  ['select', '--select'],
  ['sum', '--sum'],
  ['bearerTokenEnv', '--bearer-token-env'],
  ['basicAuthEnv', '--basic-auth-env'],
];

/** Add the Prometheus flags to a command that reads history. */
export function addPrometheusOptions(cmd: Command): Command {
  return cmd
    .option('--prometheus <URL>', 'read the history from this Prometheus server (query_range) instead of a file')
    .option('--query <PROMQL>', 'with --prometheus: the PromQL expression, e.g. \'sum(rate(http_requests_total[5m]))\'')
    .option('--start <T>', 'with --prometheus: first time: 2026-01-05, 2026-01-05T00:00:00Z, Unix seconds, or -8w (relative to now)')
    .option('--end <T>', 'with --prometheus: last time, same forms (default: now)')
    .option('--step <D>', 'with --prometheus: resolution step, e.g. 1h or 5m (default: 1h)')
    .option('--select <label=value,...>', 'with --prometheus: keep the one series with these labels')
    .option('--sum', 'with --prometheus: add up all series of the result (as PromQL sum())')
    .option('--bearer-token-env <VAR>', 'with --prometheus: send the bearer token held in environment variable VAR')
    .option('--basic-auth-env <VAR>', 'with --prometheus: send basic auth from VAR, which holds user:password')
    .option('--save <history.csv>', 'with --prometheus: also write the fetched history as CSV (rerun offline with that file)');
}

/** True when any Prometheus flag was given, so the command must read from Prometheus (or explain why not). */
export function usesPrometheus(flags: PrometheusFlags): boolean {
  return flags.prometheus !== undefined || flags.save !== undefined || FLAG_NAMES.some(([k]) => flags[k] !== undefined);
}

/**
 * Check the flags and turn them into a Prometheus source; throws one line (exit 2) naming the flag.
 * `history` is the positional file argument, which must be absent.
 */
export function prometheusSpecFromFlags(history: string | undefined, flags: PrometheusFlags): PrometheusSourceSpec {
  if (flags.prometheus === undefined) {
    const used = FLAG_NAMES.filter(([k]) => flags[k] !== undefined).map(([, f]) => f);
    if (used.length > 0) throw inputError('', `${used.join(', ')} ${used.length === 1 ? 'needs' : 'need'} --prometheus URL`);
    throw inputError('', '--save writes history fetched with --prometheus; a history file is already saved');
  }
  if (history !== undefined) throw inputError('', `give a history file or --prometheus, not both (got ${history} and --prometheus ${flags.prometheus})`);
  if (flags.column !== undefined) throw inputError('', '--column picks a column of a history file; with --prometheus, pick a series with --select or --sum');
  if (flags.query === undefined || flags.query.trim() === '') {
    throw inputError('', "--prometheus needs --query PROMQL, e.g. --query 'sum(rate(http_requests_total[5m]))'");
  }
  if (flags.start === undefined) throw inputError('', '--prometheus needs --start, e.g. --start -8w or --start 2026-01-05');
  const timeForms = 'a time such as 2026-01-05, 2026-01-05T00:00:00Z, 1767571200, -8w or now';
  if (parseTimeSpec(flags.start, 0) === undefined) throw inputError('', `--start must be ${timeForms}, got ${flags.start}`);
  if (flags.end !== undefined && parseTimeSpec(flags.end, 0) === undefined) throw inputError('', `--end must be ${timeForms}, got ${flags.end}`);
  const step = flags.step ?? '1h';
  if (parseStep(step) === undefined) throw inputError('', `--step must be a duration such as 1h, 5m or 30s, got ${step}`);
  if (flags.select !== undefined && flags.sum) throw inputError('', 'give --select or --sum, not both');
  let select: PrometheusSourceSpec['select'];
  if (flags.sum) select = 'sum';
  else if (flags.select !== undefined) {
    const labels = parseLabelSelection(flags.select);
    if (!labels) throw inputError('', `--select must be label=value pairs separated by commas (service=api,zone=a), got ${flags.select}`);
    select = { labels };
  }
  if (flags.bearerTokenEnv !== undefined && flags.basicAuthEnv !== undefined) {
    throw inputError('', 'give --bearer-token-env or --basic-auth-env, not both');
  }
  const auth =
    flags.bearerTokenEnv !== undefined
      ? { bearerTokenEnv: flags.bearerTokenEnv }
      : flags.basicAuthEnv !== undefined
        ? { basicAuthEnv: flags.basicAuthEnv }
        : undefined;
  return {
    url: flags.prometheus,
    query: flags.query,
    start: flags.start,
    step,
    ...(flags.end !== undefined ? { end: flags.end } : {}),
    ...(select !== undefined ? { select } : {}),
    ...(auth !== undefined ? { auth } : {}),
  };
}

/**
 * Read the history from Prometheus as the flags say, write it as CSV when `--save` asks (atomically, exactly as
 * fetched: gaps are empty cells), then apply the file readers' gap policy (short gaps filled by interpolation, up to
 * --max-gap; a longer one is an error), so that a rerun from the saved file gives the same series and forecast.
 * The saved file holds timestamps and values only: no URL, no credentials.
 */
export async function loadPrometheusHistory(history: string | undefined, flags: PrometheusFlags, ctx: CliContext): Promise<ReadResult> {
  const spec = prometheusSpecFromFlags(history, flags);
  const maxGapPoints = optionalPositiveInteger('--max-gap', flags.maxGap);
  const [{ readPrometheus }, { prometheusQueryFromSpec }, { repairPrometheusGaps }] = await Promise.all([
    import('../series/read-prometheus.js'),
    import('../series/prometheus-source.js'),
    import('../series/prometheus-repair.js'),
  ]);
  const query = prometheusQueryFromSpec(spec, ctx.now().getTime(), '--prometheus');
  // No bar of its own: the forecast command draws one over its stages, reading included.
  let read = await readPrometheus(query, { env: ctx.env });
  if (flags.save !== undefined) {
    const { writeSeriesCsv } = await import('../series/write-csv.js');
    await writeSeriesCsv(resolve(ctx.cwd, flags.save), read.series);
    read = { ...read, repairs: { ...read.repairs, notes: [...(read.repairs.notes ?? []), `saved the fetched history to ${flags.save}`] } };
  }
  try {
    return repairPrometheusGaps(read, maxGapPoints !== undefined ? { maxGapPoints } : {});
  } catch (e) {
    // Say how to get past a long gap, on the same line (as for history files).
    if (e instanceof HeadroomError && e.code === 'SERIES_GAP' && maxGapPoints === undefined) {
      throw new HeadroomError(e.code, `${e.message} (--max-gap N fills longer ones)`, { exitCode: 2, cause: e });
    }
    throw e;
  }
}
