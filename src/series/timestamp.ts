/**
 * Timestamps in history files: ISO 8601 date-times (with or without a zone), dates, and epoch seconds or
 * milliseconds. Everything becomes epoch milliseconds in UTC. Parsing is by hand, not `Date.parse`, because
 * `Date.parse` reads a date-time without a zone as local time but a date alone as UTC (ECMA-262 §21.4.3.2), and the
 * result would depend on the machine's time zone.
 */

/** How a timestamp was written; every row of one file must use the same kind. */
export type TimestampKind = 'datetime-zoned' | 'datetime-local' | 'date' | 'epoch-seconds' | 'epoch-milliseconds';

/** Words for the kinds, used in error messages. */
export const KIND_WORDS: Readonly<Record<TimestampKind, string>> = {
  'datetime-zoned': 'an ISO 8601 date-time with a time zone',
  'datetime-local': 'an ISO 8601 date-time without a time zone',
  date: 'a date without a time',
  'epoch-seconds': 'epoch seconds',
  'epoch-milliseconds': 'epoch milliseconds',
};

export type ParsedTimestamp =
  | { readonly ok: true; readonly ms: number; readonly kind: TimestampKind }
  | { readonly ok: false; readonly problem: string };

// YYYY-MM-DD, then optionally T or space, hh:mm[:ss[.fraction]], then optionally Z or ±hh[:]mm or ±hh.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Epoch seconds accepted without doubt: 1973-03-03 up to 2286-11-20. */
export const EPOCH_SECONDS_RANGE = [1e8, 1e10] as const;
/** Epoch milliseconds accepted without doubt: the same dates in milliseconds. */
export const EPOCH_MILLISECONDS_RANGE = [1e11, 1e13] as const;

/**
 * Parse one timestamp (text from a CSV cell, or a string or number from JSON) into epoch milliseconds (UTC).
 * A date-time without a zone and a date are read as UTC. Epoch numbers are seconds when in [1e8, 1e10) and
 * milliseconds when in [1e11, 1e13); other numbers are ambiguous and rejected with both readings in the problem.
 * @example parseTimestamp('2024-01-03T01:00:00+01:00') // => { ok: true, ms: 1704240000000, kind: 'datetime-zoned' }
 * @example parseTimestamp(1704240000) // => { ok: true, ms: 1704240000000, kind: 'epoch-seconds' }
 */
export function parseTimestamp(x: string | number): ParsedTimestamp {
  if (typeof x === 'number') return parseEpoch(x, String(x));
  const s = x.trim();
  if (s === '') return { ok: false, problem: 'timestamp is empty' };
  if (NUMBER.test(s)) return parseEpoch(Number(s), s);
  const m = ISO.exec(s);
  if (!m) return { ok: false, problem: `timestamp "${s}" is not ISO 8601 (2024-01-03T01:00:00Z), a date or epoch seconds/milliseconds` };
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month - 1)) {
    return { ok: false, problem: `timestamp "${s}" is not a valid date` };
  }
  if (m[4] === undefined) return { ok: true, ms: Date.UTC(year, month - 1, day), kind: 'date' };
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`);
  if (hour > 24 || minute > 59 || second > 59 || (hour === 24 && (minute > 0 || second > 0 || fraction > 0))) {
    return { ok: false, problem: `timestamp "${s}" is not a valid time of day` };
  }
  let ms = Date.UTC(year, month - 1, day, hour, minute, second) + Math.round(fraction * 1000);
  const zone = m[8];
  if (zone === undefined) return { ok: true, ms, kind: 'datetime-local' };
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const zh = Number(digits.slice(0, 2));
    const zm = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (zh > 23 || zm > 59) return { ok: false, problem: `timestamp "${s}" has an invalid time zone offset ${zone}` };
    ms -= sign * (zh * 60 + zm) * 60_000;
  }
  return { ok: true, ms, kind: 'datetime-zoned' };
}

function parseEpoch(x: number, text: string): ParsedTimestamp {
  if (!Number.isFinite(x)) return { ok: false, problem: `timestamp ${text} is not a finite number` };
  const a = Math.abs(x);
  if (a >= EPOCH_SECONDS_RANGE[0] && a < EPOCH_SECONDS_RANGE[1]) return { ok: true, ms: Math.round(x * 1000), kind: 'epoch-seconds' };
  if (a >= EPOCH_MILLISECONDS_RANGE[0] && a < EPOCH_MILLISECONDS_RANGE[1]) return { ok: true, ms: Math.round(x), kind: 'epoch-milliseconds' };
  return {
    ok: false,
    problem:
      `timestamp ${text} is ambiguous: as epoch seconds it is ${isoOrRange(x * 1000)}, as epoch milliseconds ${isoOrRange(x)}; ` +
      'write ISO 8601 (2024-01-03T01:00:00Z) or epoch seconds/milliseconds between 1973 and 2286',
  };
}

function isoOrRange(ms: number): string {
  return Math.abs(ms) <= 8.64e15 ? formatIso(ms) : 'out of range';
}

/** Days in a month of the proleptic Gregorian calendar; `month0` counts from 0 (January). */
export function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

/**
 * ISO 8601 text for epoch milliseconds in UTC, without milliseconds when they are zero.
 * @example formatIso(1704243600000) // => '2024-01-03T01:00:00Z'
 */
export function formatIso(ms: number): string {
  const s = new Date(ms).toISOString();
  return s.endsWith('.000Z') ? `${s.slice(0, -5)}Z` : s;
}
