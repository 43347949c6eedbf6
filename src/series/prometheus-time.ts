import { parseDuration } from '../units.js';

/**
 * Times and steps for a Prometheus source as people write them in YAML and on the command line.
 *
 * A time is one of:
 *   - ISO 8601 / RFC 3339: "2026-01-05" (midnight UTC), "2026-01-05T12:00:00Z", "2026-01-05T12:00:00+01:00"
 *     (a time of day needs a zone, so the result does not depend on the machine's time zone);
 *   - a number: Unix seconds, as Prometheus itself accepts them;
 *   - relative to now: "now", "-8w", "now-8w", "now-36h" (units of parseDuration: ms, s, m, h, d, w).
 */

const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;
const RELATIVE = /^(?:now)?\s*-\s*(.+)$/;

/**
 * Epoch milliseconds from a time as described above, or undefined when the text is none of those forms.
 * `relative` says whether the result depends on `nowMs`.
 * @example parseTimeSpec('2026-01-05', 0) // => { ms: 1767571200000, relative: false }
 * @example parseTimeSpec('-1h', 7_200_000) // => { ms: 3_600_000, relative: true }
 */
export function parseTimeSpec(x: unknown, nowMs: number): { ms: number; relative: boolean } | undefined {
  if (x instanceof Date) return Number.isFinite(x.getTime()) ? { ms: x.getTime(), relative: false } : undefined;
  if (typeof x === 'number') return Number.isFinite(x) ? { ms: Math.round(x * 1000), relative: false } : undefined;
  if (typeof x !== 'string') return undefined;
  const s = x.trim();
  if (s === 'now') return { ms: nowMs, relative: true };
  if (/^\d+(?:\.\d+)?$/.test(s)) return { ms: Math.round(Number(s) * 1000), relative: false };
  if (ISO.test(s)) {
    const ms = Date.parse(s.replace(' ', 'T'));
    return Number.isFinite(ms) ? { ms, relative: false } : undefined;
  }
  const m = RELATIVE.exec(s);
  if (m) {
    const seconds = parseDuration(m[1]);
    if (seconds === undefined || seconds < 0) return undefined;
    return { ms: nowMs - Math.round(seconds * 1000), relative: true };
  }
  return undefined;
}

/**
 * A step in whole milliseconds from "1h", "5m", "30s" or a number of seconds; undefined when not a positive duration
 * of at least 1 ms.
 * @example parseStep('1h') // => 3600000
 */
export function parseStep(x: unknown): number | undefined {
  const seconds = parseDuration(x);
  if (seconds === undefined || !(seconds > 0)) return undefined;
  const ms = Math.round(seconds * 1000);
  return ms >= 1 ? ms : undefined;
}

/**
 * Resolve start and end against `nowMs`. Relative times are rounded down to a multiple of the step (counted from the
 * Unix epoch), so that runs a few minutes apart ask for the same grid and hourly data lands on the hour.
 */
export function resolveRange(
  start: unknown,
  end: unknown,
  stepMs: number,
  nowMs: number,
): { startMs: number; endMs: number } | { error: 'start' | 'end' } {
  const s = parseTimeSpec(start, nowMs);
  if (!s) return { error: 'start' };
  const e = parseTimeSpec(end ?? 'now', nowMs);
  if (!e) return { error: 'end' };
  const align = (t: { ms: number; relative: boolean }) => (t.relative ? Math.floor(t.ms / stepMs) * stepMs : t.ms);
  return { startMs: align(s), endMs: align(e) };
}
