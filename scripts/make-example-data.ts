/**
 * Generates the bundled example history deterministically from a seed:
 *   scenarios/data/web-requests-hourly.csv — 10 weeks of hourly request rates (requests per second) of a web service.
 *
 * The structure is known, so the forecast can be judged against it:
 *   rate(t) = level · 1.04^(months since start) · daily(hour of day, UTC) · weekly(day of week) · exp(e_t)
 * level 850/s; 4% growth per month (a month is 30.436875 days); daily shape 1 + 0.38·cos(2π(h−15)/24) +
 * 0.08·cos(4π(h−15)/24), peaking at 15:00 UTC in the afternoon with a trough near 03:00 at 0.70; weekdays 1.0
 * (Friday 0.96), Saturday 0.72, Sunday 0.68; noise e_t = 0.6·e_{t−1} + 0.035·z_t with z_t standard normal from
 * createRng(seed). Two hours of scrapes are missing in week 6 (a realistic gap the reader fills and reports).
 *
 * Run: npx tsx scripts/make-example-data.ts
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { createRng } from '../src/rng.js';
import { writeFileAtomic } from '../src/write-atomic.js';
import { formatIso } from '../src/series/timestamp.js';

const HOUR = 3_600_000;
const MONTH = (365.2425 * 86_400_000) / 12;
const WEEKDAY = [0.68, 1.0, 1.0, 1.0, 1.0, 0.96, 0.72]; // Sunday … Saturday (Date.getUTCDay order)

export interface WebRequestsOptions {
  /** First timestamp, epoch ms (default 2025-09-01T00:00:00Z, a Monday). */
  readonly startMs?: number;
  /** Number of hourly points (default 10 weeks = 1680). */
  readonly points?: number;
  readonly seed?: number;
  /** Level at the start, requests per second. */
  readonly level?: number;
  /** Growth per month as a fraction. */
  readonly growthPerMonth?: number;
  /** Indices of points to leave out (missing scrapes). */
  readonly missing?: readonly number[];
}

/** The hourly request rates of the model above: timestamps (epoch ms) and values rounded to 0.1 req/s. */
export function webRequestsHourly(options: WebRequestsOptions = {}): { t: number[]; v: number[] } {
  const start = options.startMs ?? Date.UTC(2025, 8, 1);
  const n = options.points ?? 10 * 7 * 24;
  const level = options.level ?? 850;
  const growth = options.growthPerMonth ?? 0.04;
  const skip = new Set(options.missing ?? []);
  const rng = createRng(options.seed ?? 20250901, 1);
  const t: number[] = [];
  const v: number[] = [];
  let e = 0;
  for (let i = 0; i < n; i++) {
    const ms = start + i * HOUR;
    const d = new Date(ms);
    const h = d.getUTCHours();
    const daily = 1 + 0.38 * Math.cos((2 * Math.PI * (h - 15)) / 24) + 0.08 * Math.cos((4 * Math.PI * (h - 15)) / 24);
    const weekly = WEEKDAY[d.getUTCDay()]!;
    e = 0.6 * e + 0.035 * rng.nextNormal();
    const rate = level * Math.pow(1 + growth, (ms - start) / MONTH) * daily * weekly * Math.exp(e);
    if (skip.has(i)) continue;
    t.push(ms);
    v.push(Math.round(rate * 10) / 10);
  }
  return { t, v };
}

/** CSV text with a `timestamp,requests_per_s` header. */
export function webRequestsCsv(options: WebRequestsOptions = {}): string {
  const { t, v } = webRequestsHourly(options);
  const lines = ['timestamp,requests_per_s'];
  for (let i = 0; i < t.length; i++) lines.push(`${formatIso(t[i]!)},${v[i]!.toFixed(1)}`);
  return `${lines.join('\n')}\n`;
}

/** The missing scrapes of the bundled file: 2025-10-09 10:00 and 11:00 UTC (week 6). */
export const EXAMPLE_MISSING = [38 * 24 + 10, 38 * 24 + 11];

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const out = join(root, 'scenarios/data/web-requests-hourly.csv');
  await writeFileAtomic(out, webRequestsCsv({ missing: EXAMPLE_MISSING }));
  console.log(`wrote ${out}`);
}
