/**
 * Units at the edge: parse durations ("250ms", "30s", "2h", a plain number of seconds), rates ("1200/s", "50/min")
 * and percentages ("1%", 0.01). Inside Headroom times are seconds and rates are per second unless a name says otherwise.
 */

const DURATION_UNITS: Record<string, number> = {
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  min: 60,
  h: 3600,
  d: 86400,
  w: 604800,
};

/**
 * Seconds from a duration: a number (seconds) or a string with a unit.
 * Returns undefined when the text is not a duration, so the caller can name the field in its error.
 * @example parseDuration('250ms') // => 0.25
 */
export function parseDuration(x: unknown): number | undefined {
  if (typeof x === 'number') return Number.isFinite(x) ? x : undefined;
  if (typeof x !== 'string') return undefined;
  const m = /^\s*(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)\s*(us|µs|ms|s|min|m|h|d|w)?\s*$/i.exec(x);
  if (!m) return undefined;
  const unit = (m[2] ?? 's').toLowerCase();
  const scale = DURATION_UNITS[unit];
  return scale === undefined ? undefined : Number(m[1]) * scale;
}

const RATE_UNITS: Record<string, number> = { s: 1, sec: 1, m: 1 / 60, min: 1 / 60, h: 1 / 3600, d: 1 / 86400 };

/**
 * Requests per second from a rate: a number (per second) or "N/s", "N/min", "N/h", "N/d".
 * @example parseRate('120/min') // => 2
 */
export function parseRate(x: unknown): number | undefined {
  if (typeof x === 'number') return Number.isFinite(x) ? x : undefined;
  if (typeof x !== 'string') return undefined;
  const m = /^\s*(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)\s*(?:\/\s*(s|sec|min|m|h|d))?\s*$/i.exec(x);
  if (!m) return undefined;
  const scale = RATE_UNITS[(m[2] ?? 's').toLowerCase()];
  return scale === undefined ? undefined : Number(m[1]) * scale;
}

/**
 * A fraction from "1%" or a number in [0, 1].
 * @example parseFraction('2.5%') // => 0.025
 */
export function parseFraction(x: unknown): number | undefined {
  if (typeof x === 'number') return Number.isFinite(x) ? x : undefined;
  if (typeof x !== 'string') return undefined;
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*(%)?\s*$/.exec(x);
  if (!m) return undefined;
  return m[2] ? Number(m[1]) / 100 : Number(m[1]);
}

/** Format seconds for people: 0.0123 -> "12.3 ms". */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return String(s);
  const a = Math.abs(s);
  if (a === 0) return '0 s';
  if (a < 1e-3) return `${(s * 1e6).toPrecision(3)} µs`;
  if (a < 1) return `${(s * 1e3).toPrecision(3)} ms`;
  if (a < 120) return `${s.toPrecision(3)} s`;
  if (a < 7200) return `${(s / 60).toPrecision(3)} min`;
  return `${(s / 3600).toPrecision(3)} h`;
}

/** A number rounded to whole units, its digits grouped by thousands: 19744.6 -> "19,745". */
export function groupDigits(x: number): string {
  const s = Math.round(x).toString();
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * A demand (a rate) as a plan writes it, in its table and in its notes alike: grouped whole units from 1,000 (19,745),
 * else 948.4 or 3.25; e-notation from 1e15; "-" when it is not a finite number.
 */
export function formatDemand(x: number): string {
  if (!Number.isFinite(x)) return '-';
  if (x >= 1e15) return x.toExponential(3);
  if (x >= 1000) return groupDigits(x);
  return x >= 10 ? x.toFixed(1) : x.toPrecision(3);
}
