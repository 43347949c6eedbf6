/**
 * Generates the history bundled with scenarios/example.yaml, deterministically from a seed:
 *   scenarios/data/example-users.csv     — 25 months of daily peak concurrent users
 *   scenarios/data/example-checkout.csv  — 25 months of hourly checkout requests per second
 *
 * The structure is known, so the plan's forecast can be judged against it:
 *   users(d)    = 180 000 · 1.35^(years since start) · (1 + 0.10·sin(2π(doy − 250)/365.25)) · weekly(dow) · exp(e_d)
 *   checkout(h) = 25 · 1.5^(years) · (1 + 0.55·cos(2π(hour − 19)/24)) · weekly(dow) · (1 + 0.4·[late November]) · exp(e_h)
 * with weekly factors Mon–Fri 1.0, Sat 0.86, Sun 0.80 (users) and AR(1) noise e_t = 0.5·e_{t−1} + 0.03·z_t, z from
 * createRng(seed, stream). Late November carries a Black-Friday lift on checkout. History runs from 2024-10-24 to
 * 2026-11-24 UTC, so a plan made now starts in December 2026.
 *
 * Run: npx tsx scripts/make-plan-example-data.ts
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../src/rng.js';
import { writeFilesAtomic } from '../src/write-atomic.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const YEAR = 365.25 * DAY;
const START = Date.UTC(2024, 9, 24);
const DAYS = 762;
const USERS_WEEKLY = [0.8, 1, 1, 1, 1, 1, 0.86]; // Sunday … Saturday

function dayOfYear(ms: number): number {
  const d = new Date(ms);
  return (ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY;
}

/** Daily peak concurrent users. */
export function exampleUsers(seed = 2024): { t: number[]; v: number[] } {
  const rng = createRng(seed, 1);
  const t: number[] = [];
  const v: number[] = [];
  let e = 0;
  for (let i = 0; i < DAYS; i++) {
    const ms = START + i * DAY;
    e = 0.5 * e + 0.03 * rng.nextNormal();
    const years = (ms - START) / YEAR;
    const season = 1 + 0.1 * Math.sin((2 * Math.PI * (dayOfYear(ms) - 250)) / 365.25);
    t.push(ms);
    v.push(Math.round(180_000 * Math.pow(1.35, years) * season * USERS_WEEKLY[new Date(ms).getUTCDay()]! * Math.exp(e)));
  }
  return { t, v };
}

/** Hourly checkout requests per second. */
export function exampleCheckout(seed = 2024): { t: number[]; v: number[] } {
  const rng = createRng(seed, 2);
  const t: number[] = [];
  const v: number[] = [];
  let e = 0;
  for (let i = 0; i < DAYS * 24; i++) {
    const ms = START + i * HOUR;
    const d = new Date(ms);
    e = 0.5 * e + 0.03 * rng.nextNormal();
    const years = (ms - START) / YEAR;
    const daily = 1 + 0.55 * Math.cos((2 * Math.PI * (d.getUTCHours() - 19)) / 24);
    const weekly = USERS_WEEKLY[d.getUTCDay()]!;
    const blackFriday = d.getUTCMonth() === 10 && d.getUTCDate() >= 24 ? 1.4 : 1;
    t.push(ms);
    v.push(Math.round(25 * Math.pow(1.5, years) * daily * weekly * blackFriday * Math.exp(e) * 100) / 100);
  }
  return { t, v };
}

function csv(column: string, s: { t: number[]; v: number[] }, dateOnly: boolean): string {
  const lines = [`timestamp,${column}`];
  for (let i = 0; i < s.t.length; i++) {
    const iso = new Date(s.t[i]!).toISOString();
    lines.push(`${dateOnly ? iso.slice(0, 10) : iso.replace('.000Z', 'Z')},${s.v[i]}`);
  }
  return lines.join('\n') + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'scenarios', 'data');
  await writeFilesAtomic([
    { path: join(dir, 'example-users.csv'), data: csv('peak_users', exampleUsers(), true) },
    { path: join(dir, 'example-checkout.csv'), data: csv('checkout_rps', exampleCheckout(), false) },
  ]);
  console.log(`wrote ${dir}/example-users.csv and example-checkout.csv`);
}
