/**
 * How the report writes numbers, dates and money: fixed English formats (not the reader's locale), so the same JSON
 * gives the same page on every machine, and never NaN or Infinity ("-" instead).
 */

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** UTC calendar day of epoch ms: "2027-11-17"; "-" when undefined. */
export function day(ms: number | undefined | null): string {
  return ms === undefined || ms === null || !Number.isFinite(ms) ? '-' : new Date(ms).toISOString().slice(0, 10);
}

/** Whole number with thousands separators: 357,390. */
export function int(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '-' : grouped.format(Math.round(x));
}

/** Money rounded to the unit: "USD 357,390". */
export function money(x: number, currency: string): string {
  return Number.isFinite(x) ? `${currency} ${grouped.format(Math.round(x))}` : '-';
}

/** Three significant digits below 1,000, grouped above: 0.0123, 12.3, 4,520. */
export function num(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  if (Math.abs(x) >= 1000) return int(x);
  if (x === 0) return '0';
  return String(Number(x.toPrecision(3)));
}

/** Fraction as a percentage: 0.7 -> "70%"; `digits` decimals. */
export function pct(x: number | null | undefined, digits = 0): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '-' : `${(x * 100).toFixed(digits)}%`;
}

/** Seconds as milliseconds: 0.1366 -> "136.6 ms" (one decimal below 1 s... and above). */
export function ms(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '-';
  const m = seconds * 1000;
  return `${m >= 100 ? m.toFixed(0) : m >= 1 ? m.toFixed(1) : m.toPrecision(2)} ms`;
}

/** Signed relative change: 0.123 -> "+12%". */
export function signedPct(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  return `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(0)}%`;
}

/** A number rounded to `sig` significant digits for chart data (keeps the page small). */
export function round(x: number, sig = 4): number {
  return Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(sig)) : x;
}
