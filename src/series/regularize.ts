/**
 * From rows as a file holds them to a regular Series: check the order, drop exact duplicates, infer the step, put
 * irregular samples onto the step, fill short gaps, and refuse what cannot be repaired with a one-line error naming
 * the file, the line and the problem.
 */
import { HeadroomError } from '../errors.js';
import { addUtcMonths, monthIndex } from './calendar.js';
import { defaultMaxGap, filledShareNote, fillShortGaps, negativeValuesNote } from './gaps.js';
import { formatStep, inferStep, type Step } from './step.js';
import { formatIso, type TimestampKind } from './timestamp.js';
import type { ReadResult, Series } from './types.js';

/** Rows read from a file, in file order; values are NaN where the file had no value. */
export interface RawRows {
  /** Epoch ms per row. */
  readonly t: readonly number[];
  readonly v: readonly number[];
  /** 1-based line in the file per row, for messages. */
  readonly line: readonly number[];
  /** The timestamp as written, for messages. */
  readonly text: readonly string[];
  readonly kind: TimestampKind;
}

export interface RegularizeOptions {
  /** Series name (column or metric). */
  readonly name: string;
  /** File name or URL as the user gave it; prefixes every message. */
  readonly source: string;
  /** Fewest points accepted after repair (default 3: the step needs a few spacings). */
  readonly minPoints?: number;
  /** Longest run of missing steps that is filled (default max(3, 2% of the points)). */
  readonly maxGapPoints?: number;
  /** What to do with longer gaps: refuse (default) or keep them as NaN for a model that can skip them. */
  readonly longGaps?: 'error' | 'keep';
}

/**
 * Turn rows into a regular series (see the module comment). Exact duplicate rows (same timestamp, same value) are
 * dropped and counted. Irregular timestamps are snapped to the nearest point of a grid at the inferred step (aligned
 * to whole steps in UTC, or to the first timestamp when the data already sits on a grid) and samples that share a
 * grid point are averaged. Missing steps inside the series are filled by linear interpolation when the run is short.
 * Missing values at the very start or end are dropped.
 * @throws HeadroomError SERIES_INVALID (unsorted, conflicting duplicates), SERIES_GAP, SERIES_TOO_SHORT.
 */
export function regularize(input: RawRows, options: RegularizeOptions): ReadResult {
  const { source } = options;
  const minPoints = options.minPoints ?? 3;
  const n0 = input.t.length;
  const notes: string[] = [];
  if (input.kind === 'datetime-local') notes.push('timestamps without a time zone were read as UTC');
  // A file sorted newest first throughout (many exports are) is unambiguous: read it in reverse.
  const rows = isDescending(input.t) ? reversed(input) : input;
  if (rows !== input) notes.push('rows were newest first and were read in reverse');

  // Order and duplicates.
  const t: number[] = [];
  const v: number[] = [];
  const line: number[] = [];
  let duplicatesDropped = 0;
  for (let i = 0; i < n0; i++) {
    const ti = rows.t[i]!;
    const vi = rows.v[i]!;
    const last = t.length - 1;
    if (last >= 0) {
      const tp = t[last]!;
      if (ti < tp) {
        throw new HeadroomError(
          'SERIES_INVALID',
          `${source}:${rows.line[i]}: timestamp ${show(rows, i)} is earlier than the previous row's ${show(rows, i - 1)}`,
        );
      }
      if (ti === tp) {
        const vp = v[last]!;
        if (vi === vp || Number.isNaN(vi)) {
          duplicatesDropped++;
          continue;
        }
        if (Number.isNaN(vp)) {
          v[last] = vi;
          duplicatesDropped++;
          continue;
        }
        throw new HeadroomError(
          'SERIES_INVALID',
          `${source}:${rows.line[i]}: timestamp ${show(rows, i)} appears twice with different values: ` +
            `${vp} on line ${line[last]}, ${vi} here`,
        );
      }
    }
    t.push(ti);
    v.push(vi);
    line.push(rows.line[i]!);
  }

  // Missing values at the ends cannot be interpolated; drop them.
  let lo = 0;
  let hi = t.length;
  while (lo < hi && Number.isNaN(v[lo]!)) lo++;
  while (hi > lo && Number.isNaN(v[hi - 1]!)) hi--;
  const dropped = t.length - (hi - lo);
  if (dropped > 0 && hi > lo) notes.push(`${dropped} row${dropped === 1 ? '' : 's'} without a value at the start or end dropped`);

  const count = hi - lo;
  if (count < minPoints) {
    throw new HeadroomError(
      'SERIES_TOO_SHORT',
      `${source}: ${count} data point${count === 1 ? '' : 's'}; at least ${minPoints} are needed`,
    );
  }
  const ts = t.slice(lo, hi);
  const vs = v.slice(lo, hi);
  const ls = line.slice(lo, hi);
  const step = inferStep(ts);

  // Grid positions.
  const pos = new Int32Array(count);
  let resampled = false;
  let gridAt: (k: number) => number;
  if (step.stepMonths !== undefined) {
    const k = step.stepMonths;
    const t0 = ts[0]!;
    const m0 = monthIndex(t0);
    for (let i = 0; i < count; i++) {
      const p = Math.round((monthIndex(ts[i]!) - m0) / k);
      pos[i] = p;
      if (addUtcMonths(t0, p * k) !== ts[i]) resampled = true;
    }
    gridAt = (p) => addUtcMonths(t0, p * k);
  } else {
    const s = step.stepMs;
    const t0 = ts[0]!;
    let anchor = t0;
    for (let i = 0; i < count; i++) {
      if ((ts[i]! - t0) % s !== 0) {
        resampled = true;
        break;
      }
    }
    if (resampled) {
      const unit = 86_400_000 % s === 0 ? s : 86_400_000;
      anchor = Math.round(t0 / unit) * unit;
    }
    for (let i = 0; i < count; i++) pos[i] = Math.round((ts[i]! - anchor) / s);
    // Rounding may put the first sample before the anchor's first grid point; shift so positions start at 0.
    const shift = pos[0]!;
    if (shift !== 0) for (let i = 0; i < count; i++) pos[i] = pos[i]! - shift;
    const a = anchor + shift * s;
    gridAt = (p) => a + p * s;
  }

  const len = pos[count - 1]! + 1;
  const sum = new Float64Array(len);
  const cnt = new Int32Array(len);
  const gridLine = new Int32Array(len);
  for (let i = 0; i < count; i++) {
    const p = pos[i]!;
    if (gridLine[p] === 0) gridLine[p] = ls[i]!;
    const x = vs[i]!;
    if (Number.isNaN(x)) continue;
    sum[p] = sum[p]! + x;
    cnt[p] = cnt[p]! + 1;
  }
  const values = new Float64Array(len);
  const times = new Float64Array(len);
  for (let p = 0; p < len; p++) {
    values[p] = cnt[p]! > 0 ? sum[p]! / cnt[p]! : NaN;
    times[p] = gridAt(p);
  }

  const maxGap = options.maxGapPoints ?? defaultMaxGap(len);
  const { filled, tooLong } = fillShortGaps(values, maxGap);
  if (tooLong.length > 0 && (options.longGaps ?? 'error') === 'error') {
    const g = tooLong[0]!;
    const after = g.start + g.points;
    let lineAfter = 0;
    for (let p = after; p < len && lineAfter === 0; p++) lineAfter = gridLine[p]!;
    throw new HeadroomError(
      'SERIES_GAP',
      `${source}:${lineAfter}: ${g.points} missing steps of ${formatStep(step)} between ${formatIso(times[g.start - 1]!)} ` +
        `and ${formatIso(times[after]!)}; at most ${maxGap} can be filled by interpolation`,
    );
  }
  if (tooLong.length > 0) {
    const missing = tooLong.reduce((a, g) => a + g.points, 0);
    notes.push(`${tooLong.length} gap${tooLong.length === 1 ? '' : 's'} longer than ${maxGap} steps left unfilled (${missing} points)`);
  }

  const share = filledShareNote(
    filled.reduce((a, g) => a + g.points, 0),
    len,
    source,
    options.maxGapPoints !== undefined,
  );
  if (share !== undefined) notes.push(share);
  let negatives = 0;
  let firstNegative = -1;
  for (let i = 0; i < rows.v.length; i++) {
    if (rows.v[i]! < 0) {
      negatives++;
      if (firstNegative < 0) firstNegative = i;
    }
  }
  const negative = negativeValuesNote(negatives, `${source}:${rows.line[firstNegative] ?? 0}`);
  if (negative !== undefined) notes.push(negative);

  const series: Series = withStep({ name: options.name, t: times, v: values, stepMs: step.stepMs, source }, step);
  return {
    series,
    repairs: {
      filledGaps: filled.map((g) => ({ startMs: times[g.start]!, points: g.points })),
      duplicatesDropped,
      resampled,
      notes,
    },
  };
}

/** True when the timestamps never increase and the last is earlier than the first. */
function isDescending(t: readonly number[]): boolean {
  const n = t.length;
  if (n < 2 || !(t[n - 1]! < t[0]!)) return false;
  for (let i = 1; i < n; i++) if (t[i]! > t[i - 1]!) return false;
  return true;
}

function reversed(r: RawRows): RawRows {
  return { t: [...r.t].reverse(), v: [...r.v].reverse(), line: [...r.line].reverse(), text: [...r.text].reverse(), kind: r.kind };
}

function withStep(s: Omit<Series, 'stepMonths'>, step: Step): Series {
  return step.stepMonths === undefined ? s : { ...s, stepMonths: step.stepMonths };
}

function show(rows: RawRows, i: number): string {
  const text = rows.text[i]!;
  return rows.kind === 'epoch-seconds' || rows.kind === 'epoch-milliseconds' ? `${text} (${formatIso(rows.t[i]!)})` : text;
}
