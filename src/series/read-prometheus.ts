import { HeadroomError } from '../errors.js';
import { addToGrid, chooseSeries, emptyGrid, finish } from './prometheus-join.js';
import { credentialsFrom, httpGet, redact, type HttpAnswer } from './prometheus-http.js';
import { planRange } from './prometheus-range.js';
import { parseQueryRangeBody, type MatrixSeries } from './prometheus-response.js';
import type { PrometheusQuery, PrometheusReadOptions, PrometheusReadResult } from './prometheus-types.js';
import { negativeValuesNote } from './gaps.js';
import { formatStep } from './step.js';
import { formatIso } from './timestamp.js';
import type { Series } from './types.js';

export type { PrometheusQuery, PrometheusReadOptions, PrometheusReadResult, SeriesGap } from './prometheus-types.js';

/** Prometheus' own limit on points per series in one range query (web/api/v1/api.go). */
export const PROMETHEUS_MAX_POINTS = 11000;
/** The most grid points one read may fetch, so a typo in the step cannot start thousands of requests. */
export const MAX_POINTS_PER_READ = 10_000_000;
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Read usage history from Prometheus with range queries (`GET /api/v1/query_range`, or POST for very long queries,
 * https://prometheus.io/docs/prometheus/latest/querying/api/#range-queries) and return it as a regular Series on the
 * grid startMs + k * stepMs.
 *
 * - Ranges longer than `maxPointsPerRequest` points are fetched in consecutive requests that do not overlap, and
 *   joined by grid index, so no boundary point is duplicated.
 * - A result of several series needs `select` (by labels, or 'sum'); otherwise the error lists their label sets.
 * - Times without a sample (never written, or marked stale) and NaN/±Inf samples become NaN gaps, listed in `gaps`;
 *   points without data at either end of the range are cut off (`trimmed`).
 * - Credentials come from the environment variables named in `auth` and appear in no message, output or file;
 *   `series.source` is the URL and the query only.
 *
 * Errors are HeadroomError with exit code 2: bad input (INPUT_INVALID), unreachable server (NETWORK,
 * "prometheus http://127.0.0.1:9/: connection refused"), HTTP errors with their status, PromQL errors with
 * Prometheus' own message, an empty result (SERIES_INVALID) and too few points (SERIES_TOO_SHORT).
 *
 * @example
 * const { series, gaps } = await readPrometheus(
 *   { url: 'http://127.0.0.1:9090', query: 'sum(rate(http_requests_total[5m]))',
 *     startMs: Date.parse('2026-01-05'), endMs: Date.parse('2026-02-16'), stepMs: 3_600_000 },
 *   { env: process.env });
 * // series.t.length === 1009 (six weeks of hours, both ends included), gaps === [] when nothing is missing
 */
export async function readPrometheus(query: PrometheusQuery, options: PrometheusReadOptions): Promise<PrometheusReadResult> {
  const base = checkUrl(query.url);
  checkQuery(query);
  const credentials = credentialsFrom(query.auth, options.env);
  const where = `prometheus ${base.href}`;
  const quoted = `'${query.query}'`;
  const maxPoints = query.maxPointsPerRequest ?? PROMETHEUS_MAX_POINTS;
  const minPoints = query.minPoints ?? 2;
  const timeoutMs = query.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { startMs, endMs, stepMs } = query;

  // Grid points, as planRange counts them; checked before any plan is made.
  const points = Math.floor((endMs - startMs) / stepMs) + 1;
  const rangeText = `${iso(startMs)} to ${iso(endMs)} at step ${formatStep({ stepMs })}`;
  if (points < minPoints) {
    throw new HeadroomError(
      'SERIES_TOO_SHORT',
      `prometheus range: ${rangeText} holds ${plural(points, 'point')}; at least ${minPoints} are needed`,
      { exitCode: 2 },
    );
  }
  if (points > MAX_POINTS_PER_READ) {
    throw new HeadroomError(
      'INPUT_INVALID',
      `prometheus range: ${rangeText} holds ${points} points; one read fetches at most ${MAX_POINTS_PER_READ}`,
      { exitCode: 2, hint: 'use a larger step' },
    );
  }
  const plan = planRange(startMs, endMs, stepMs, maxPoints);

  const endpoint = new URL('api/v1/query_range', base);
  const grid = emptyGrid(startMs, stepMs, plan.points);
  const warnings = new Set<string>();
  let done = 0;
  for (const chunk of plan.chunks) {
    const params = new URLSearchParams({ query: query.query, start: seconds(chunk.startMs), end: seconds(chunk.endMs), step: seconds(stepMs) });
    let answer: HttpAnswer;
    try {
      answer = await httpGet(endpoint, params, credentials.authorization, timeoutMs, where);
    } catch (e) {
      throw scrub(e, credentials.secrets);
    }
    const series = interpret(answer, where, credentials.secrets);
    for (const w of series.warnings) warnings.add(redact(w, credentials.secrets));
    addToGrid(grid, series.series, where);
    options.onProgress?.(++done, plan.chunks.length);
  }

  const chosen = chooseSeries(grid, query.select, where, quoted);
  const out = finish(chosen, startMs, stepMs);
  if (out.withData < minPoints) {
    throw new HeadroomError(
      'SERIES_TOO_SHORT',
      `${where}: query ${quoted} returned ${plural(out.withData, 'point')} with data from ${iso(startMs)} to ${iso(endMs)}; at least ${minPoints} are needed`,
      { exitCode: 2 },
    );
  }
  const names = new Set(chosen.labels.map((l) => l.__name__));
  const onlyName = names.size === 1 ? [...names][0] : undefined;
  const series: Series = {
    name: query.name ?? onlyName ?? 'value',
    t: out.t,
    v: out.v,
    stepMs,
    source: `${base.href} ${query.query}`,
  };
  const notes: string[] = [`read from Prometheus in ${plural(plan.chunks.length, 'request')} of at most ${maxPoints} points`];
  if (chosen.labels.length > 1) notes.push(`summed ${chosen.labels.length} series`);
  const gapPoints = out.missingPoints + out.nanPoints;
  if (gapPoints > 0) {
    const kinds = [
      ...(out.missingPoints > 0 ? [`${out.missingPoints} without a sample`] : []),
      ...(out.nanPoints > 0 ? [`${out.nanPoints} NaN or infinite`] : []),
    ];
    notes.push(
      `${plural(gapPoints, 'point')} without data (${kinds.join(', ')}) in ${plural(out.gaps.length, 'run')}, the first at ${iso(out.gaps[0]!.startMs)}`,
    );
  }
  if (out.leading > 0) notes.push(`cut ${plural(out.leading, 'point')} without data from the start of the range`);
  if (out.trailing > 0) notes.push(`cut ${plural(out.trailing, 'point')} without data from the end of the range`);
  let negatives = 0;
  let firstNegative = -1;
  for (let i = 0; i < out.v.length; i++) {
    if (out.v[i]! < 0) {
      negatives++;
      if (firstNegative < 0) firstNegative = i;
    }
  }
  const negative = negativeValuesNote(negatives, firstNegative >= 0 ? iso(out.t[firstNegative]!) : '');
  if (negative !== undefined) notes.push(negative);
  for (const w of warnings) notes.push(`Prometheus warned: ${w}`);
  return {
    series,
    repairs: { filledGaps: [], duplicatesDropped: grid.duplicates, resampled: false, notes },
    gaps: out.gaps,
    missingPoints: out.missingPoints,
    nanPoints: out.nanPoints,
    trimmed: { leading: out.leading, trailing: out.trailing },
    requests: plan.chunks.length,
    labels: chosen.labels,
    warnings: [...warnings],
  };
}

/** Turn one HTTP answer into series, or throw the error it reports. */
function interpret(answer: HttpAnswer, where: string, secrets: readonly string[]): { series: readonly MatrixSeries[]; warnings: readonly string[] } {
  const body = parseQueryRangeBody(answer.body);
  const status = `HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}`;
  if (body && !body.ok) {
    throw new HeadroomError('INPUT_INVALID', redact(`${where}: query rejected (${status}, ${body.errorType}): ${body.error}`, secrets), {
      exitCode: 2,
    });
  }
  if (answer.status < 200 || answer.status > 299) {
    const text = firstLine(answer.body);
    throw new HeadroomError('NETWORK', redact(`${where}: ${status}${text ? `: ${text}` : ''}`, secrets), { exitCode: 2 });
  }
  if (!body) {
    const text = firstLine(answer.body);
    throw new HeadroomError(
      'NETWORK',
      redact(`${where}: the answer is not a Prometheus range-query result (content-type ${answer.contentType || 'none'})${text ? `: ${text}` : ''}`, secrets),
      { exitCode: 2, hint: 'the URL should be the Prometheus server itself, e.g. http://host:9090' },
    );
  }
  return body;
}

function checkUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new HeadroomError('INPUT_INVALID', `prometheus url: expected an http:// or https:// URL, got ${JSON.stringify(text)}`, { exitCode: 2 });
  }
  if (url.username || url.password) {
    // The URL is not echoed: it holds a secret.
    throw new HeadroomError('INPUT_INVALID', 'prometheus url: credentials in the URL are not accepted; name an environment variable in auth instead', {
      exitCode: 2,
      hint: 'auth: { basicAuthEnv: PROM_AUTH } with PROM_AUTH=user:password, or --bearer-token-env VAR',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HeadroomError('INPUT_INVALID', `prometheus url: expected an http:// or https:// URL, got ${JSON.stringify(text)}`, { exitCode: 2 });
  }
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

function checkQuery(q: PrometheusQuery): void {
  const bad = (field: string, expected: string, got: unknown) =>
    new HeadroomError('INPUT_INVALID', `prometheus ${field}: expected ${expected}, got ${typeof got === 'string' ? JSON.stringify(got) : String(got)}`, {
      exitCode: 2,
    });
  if (typeof q.query !== 'string' || q.query.trim() === '') throw bad('query', 'a PromQL expression', q.query);
  if (!Number.isFinite(q.startMs)) throw bad('start', 'a time in epoch milliseconds', q.startMs);
  if (!Number.isFinite(q.endMs)) throw bad('end', 'a time in epoch milliseconds', q.endMs);
  if (!(Number.isInteger(q.stepMs) && q.stepMs > 0)) throw bad('step', 'a positive whole number of milliseconds', q.stepMs);
  if (q.endMs < q.startMs) {
    throw new HeadroomError('INPUT_INVALID', `prometheus range: end ${iso(q.endMs)} is before start ${iso(q.startMs)}`, { exitCode: 2 });
  }
  const mp = q.maxPointsPerRequest;
  if (mp !== undefined && !(Number.isInteger(mp) && mp >= 1)) throw bad('maxPointsPerRequest', 'a positive whole number', mp);
  const min = q.minPoints;
  if (min !== undefined && !(Number.isInteger(min) && min >= 1)) throw bad('minPoints', 'a positive whole number', min);
  const to = q.timeoutMs;
  if (to !== undefined && !(Number.isFinite(to) && to > 0)) throw bad('timeoutMs', 'a positive number of milliseconds', to);
  if (q.select !== undefined && q.select !== 'sum') {
    const entries = Object.entries(q.select.labels ?? {});
    if (entries.length === 0) {
      throw new HeadroomError('INPUT_INVALID', 'prometheus select.labels: expected at least one label=value pair, got none', { exitCode: 2 });
    }
  }
}

/** A thrown HeadroomError with secrets removed from its message (network errors can quote the server). */
function scrub(e: unknown, secrets: readonly string[]): unknown {
  if (!(e instanceof HeadroomError) || secrets.length === 0) return e;
  const clean = redact(e.message, secrets);
  return clean === e.message ? e : new HeadroomError(e.code, clean, { exitCode: e.exitCode === 0 ? 2 : e.exitCode });
}

/** Unix seconds for a Prometheus parameter, exact to the millisecond. */
function seconds(ms: number): string {
  return String(ms / 1000);
}

function iso(ms: number): string {
  return formatIso(ms);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
