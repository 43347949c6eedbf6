/**
 * A series as CSV: a header `timestamp,<name>` and one row per point with the timestamp in ISO 8601 (UTC) and the
 * value in the shortest text that reads back to the same double. NaN (an unfilled gap) becomes an empty cell, which
 * the readers take as a missing value. `readHistory` reads the file back to an equal series.
 */
import { writeFileAtomic } from '../write-atomic.js';
import { formatIso } from './timestamp.js';
import type { Series } from './types.js';

/**
 * CSV text for a series.
 * @example formatSeriesCsv({ name: 'rps', t: Float64Array.of(0), v: Float64Array.of(1.5), stepMs: 1000, source: '' })
 * // => 'timestamp,rps\n1970-01-01T00:00:00Z,1.5\n'
 */
export function formatSeriesCsv(series: Pick<Series, 'name' | 't' | 'v'>, options: { valueHeader?: string } = {}): string {
  const header = options.valueHeader ?? (series.name === '' ? 'value' : series.name);
  const parts: string[] = [`timestamp,${quote(header)}\n`];
  const n = series.t.length;
  for (let i = 0; i < n; i++) {
    const v = series.v[i]!;
    parts.push(`${formatIso(series.t[i]!)},${Number.isNaN(v) ? '' : String(v)}\n`);
  }
  return parts.join('');
}

/** Write a series as CSV to `path`, atomically (a temporary file renamed over the target). */
export async function writeSeriesCsv(path: string, series: Pick<Series, 'name' | 't' | 'v'>, options: { valueHeader?: string } = {}): Promise<void> {
  await writeFileAtomic(path, formatSeriesCsv(series, options));
}

/** RFC 4180 quoting for a header cell that holds a comma, a quote or a line break. */
function quote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
