import { HeadroomError } from '../errors.js';
import { formatLabels, type MatrixSeries } from './prometheus-response.js';
import type { PrometheusQuery, SeriesGap } from './prometheus-types.js';
import { formatIso } from './timestamp.js';

/**
 * Joining the answers of several range requests onto one regular grid, and choosing (or adding up) series.
 * Pure: no I/O. Every sample is placed by its grid index k = (t - startMs) / stepMs, so chunks join without
 * duplicating their boundary point whatever the server sends.
 */

/** One series on the full grid: `v[k]` is its sample at t_k, `present[k]` 1 when it had one (NaN samples included). */
export interface GridSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly v: Float64Array;
  readonly present: Uint8Array;
}

export interface Grid {
  readonly startMs: number;
  readonly stepMs: number;
  readonly points: number;
  readonly series: Map<string, GridSeries>;
  /** Samples seen twice for one grid point and series (the second is dropped). */
  duplicates: number;
}

export function emptyGrid(startMs: number, stepMs: number, points: number): Grid {
  return { startMs, stepMs, points, series: new Map(), duplicates: 0 };
}

/**
 * Add one request's series to the grid. `where` prefixes error messages ("prometheus http://…/").
 * Throws when a sample lies off the requested grid, which a Prometheus server never does.
 */
export function addToGrid(grid: Grid, answer: readonly MatrixSeries[], where: string): void {
  for (const s of answer) {
    const key = formatLabels(s.labels);
    let g = grid.series.get(key);
    if (!g) {
      g = { labels: s.labels, v: new Float64Array(grid.points).fill(NaN), present: new Uint8Array(grid.points) };
      grid.series.set(key, g);
    }
    for (let i = 0; i < s.t.length; i++) {
      const offset = s.t[i]! - grid.startMs;
      const k = offset / grid.stepMs;
      if (!Number.isInteger(k) || k < 0 || k >= grid.points) {
        throw new HeadroomError(
          'SERIES_INVALID',
          `${where}: the answer holds a sample at ${formatIso(s.t[i]!)}, which is not on the requested grid`,
        );
      }
      if (g.present[k]) {
        grid.duplicates++;
        continue;
      }
      g.present[k] = 1;
      g.v[k] = s.v[i]!;
    }
  }
}

/** The values chosen from the grid: one series, or the sum of several; `present` as in GridSeries. */
export interface Chosen {
  readonly labels: ReadonlyArray<Readonly<Record<string, string>>>;
  readonly v: Float64Array;
  readonly present: Uint8Array;
}

/**
 * Pick what the query asked for. Errors (exit 2): no series at all, several without `select`, or a label selection
 * that matches none or several (each lists the label sets found).
 */
export function chooseSeries(grid: Grid, select: PrometheusQuery['select'], where: string, queryText: string): Chosen {
  const all = [...grid.series.values()];
  const list = (xs: readonly GridSeries[]) => xs.map((s) => formatLabels(s.labels)).join('; ');
  if (all.length === 0) {
    throw new HeadroomError('SERIES_INVALID', `${where}: query ${queryText} returned no series in the requested range`, {
      exitCode: 2,
      hint: 'check the metric name, the label matchers and that the range holds data',
    });
  }
  if (select === 'sum') return sumSeries(all, grid.points);
  if (select === undefined) {
    if (all.length === 1) return { labels: [all[0]!.labels], v: all[0]!.v, present: all[0]!.present };
    throw new HeadroomError(
      'INPUT_INVALID',
      `${where}: query ${queryText} returned ${all.length} series; choose one by its labels or sum them: ${list(all)}`,
      { exitCode: 2, hint: 'pick one with --select label=value (select: { labels: { … } } in a scenario), add them up with --sum (select: sum), or aggregate in PromQL' },
    );
  }
  const wanted = Object.entries(select.labels);
  const matching = all.filter((s) => wanted.every(([k, val]) => s.labels[k] === val));
  const wantedText = formatLabels(select.labels);
  if (matching.length === 1) return { labels: [matching[0]!.labels], v: matching[0]!.v, present: matching[0]!.present };
  if (matching.length === 0) {
    throw new HeadroomError('INPUT_INVALID', `${where}: no series of query ${queryText} has labels ${wantedText}; it returned: ${list(all)}`, {
      exitCode: 2,
    });
  }
  throw new HeadroomError(
    'INPUT_INVALID',
    `${where}: ${matching.length} series of query ${queryText} have labels ${wantedText}; add labels to choose one or sum them: ${list(matching)}`,
    { exitCode: 2 },
  );
}

/**
 * Add series point by point with PromQL `sum()` semantics (https://prometheus.io/docs/prometheus/latest/querying/operators/#aggregation-operators):
 * a series without a sample at t_k is left out, a point is absent only when every series lacks it, NaN propagates.
 */
function sumSeries(all: readonly GridSeries[], points: number): Chosen {
  const v = new Float64Array(points);
  const present = new Uint8Array(points);
  for (const s of all) {
    for (let k = 0; k < points; k++) {
      if (!s.present[k]) continue;
      v[k] = present[k] ? v[k]! + s.v[k]! : s.v[k]!;
      present[k] = 1;
    }
  }
  for (let k = 0; k < points; k++) if (!present[k]) v[k] = NaN;
  return { labels: all.map((s) => s.labels), v, present };
}

export interface Finished {
  readonly firstIndex: number;
  readonly t: Float64Array;
  readonly v: Float64Array;
  readonly gaps: readonly SeriesGap[];
  readonly missingPoints: number;
  readonly nanPoints: number;
  readonly leading: number;
  readonly trailing: number;
  readonly withData: number;
}

/**
 * Cut the points without data at both ends, turn every non-finite value into NaN, and list the gaps that remain inside.
 * Returns withData = 0 (and empty arrays) when no point has a finite value.
 */
export function finish(chosen: Chosen, startMs: number, stepMs: number): Finished {
  const n = chosen.v.length;
  const ok = (k: number) => chosen.present[k] === 1 && Number.isFinite(chosen.v[k]!);
  let first = 0;
  while (first < n && !ok(first)) first++;
  let last = n - 1;
  while (last >= first && !ok(last)) last--;
  const len = last - first + 1;
  const t = new Float64Array(Math.max(len, 0));
  const v = new Float64Array(Math.max(len, 0));
  const gaps: SeriesGap[] = [];
  let missing = 0;
  let nan = 0;
  let withData = 0;
  let gapStart = -1;
  for (let i = 0; i < len; i++) {
    const k = first + i;
    t[i] = startMs + k * stepMs;
    if (ok(k)) {
      v[i] = chosen.v[k]!;
      withData++;
      if (gapStart >= 0) {
        gaps.push({ startMs: t[gapStart]!, points: i - gapStart });
        gapStart = -1;
      }
    } else {
      v[i] = NaN;
      if (chosen.present[k]) nan++;
      else missing++;
      if (gapStart < 0) gapStart = i;
    }
  }
  return { firstIndex: first, t, v, gaps, missingPoints: missing, nanPoints: nan, leading: first, trailing: n - 1 - last, withData };
}
