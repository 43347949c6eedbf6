import { HeadroomError } from '../errors.js';
import { defaultMaxGap, filledShareNote, fillShortGaps } from './gaps.js';
import type { PrometheusReadResult } from './prometheus-types.js';
import { formatStep } from './step.js';
import { formatIso } from './timestamp.js';

/**
 * Apply the history readers' gap policy (series/gaps.ts, as for CSV and JSON files) to what readPrometheus fetched:
 * interior gaps of at most `maxGapPoints` points (default max(3, 2% of the points)) are filled by linear
 * interpolation and listed in `repairs.filledGaps`; a longer gap is an error (SERIES_GAP, exit 2) unless
 * `longGaps: 'keep'`, which leaves it as NaN with a note. A forecast from the result then equals the forecast from the
 * same history saved as CSV (`--save`) and read back with the same `maxGapPoints`.
 *
 * `readPrometheus` itself returns the gaps unfilled; this is the step that turns them into the repaired history the
 * forecasting commands use. Pure: returns a new result, the input is not changed.
 */
export function repairPrometheusGaps(
  read: PrometheusReadResult,
  options: { maxGapPoints?: number; longGaps?: 'error' | 'keep' } = {},
): PrometheusReadResult {
  const { series } = read;
  if (read.gaps.length === 0) return read;
  const v = new Float64Array(series.v);
  const maxGap = options.maxGapPoints ?? defaultMaxGap(v.length);
  const { filled, tooLong } = fillShortGaps(v, maxGap);
  const first = tooLong[0];
  if (first && (options.longGaps ?? 'error') === 'error') {
    const after = first.start + first.points;
    throw new HeadroomError(
      'SERIES_GAP',
      `${series.source}: ${first.points} missing steps of ${formatStep(series)} between ${formatIso(series.t[first.start - 1]!)} ` +
        `and ${formatIso(series.t[after]!)}; at most ${maxGap} can be filled by interpolation`,
      { exitCode: 2 },
    );
  }
  const notes = [...(read.repairs.notes ?? [])];
  if (tooLong.length > 0) {
    const missing = tooLong.reduce((a, g) => a + g.points, 0);
    notes.push(`${tooLong.length} gap${tooLong.length === 1 ? '' : 's'} longer than ${maxGap} steps left unfilled (${missing} points)`);
  }
  const share = filledShareNote(
    filled.reduce((a, g) => a + g.points, 0),
    v.length,
    series.source,
    options.maxGapPoints !== undefined,
  );
  if (share !== undefined) notes.push(share);
  return {
    ...read,
    series: { ...series, v },
    repairs: {
      ...read.repairs,
      filledGaps: [...read.repairs.filledGaps, ...filled.map((g) => ({ startMs: series.t[g.start]!, points: g.points }))],
      notes,
    },
  };
}
