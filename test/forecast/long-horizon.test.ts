import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng, forecast, forecastGrowth, parseCsvText, type Series } from '../../src/internal.js';
import { trendTest } from '../../src/forecast/drift.js';
import { isLongHorizon } from '../../src/forecast/long-horizon.js';
import { DAY, HOUR, START, gen } from './helpers.js';

const YEAR = 365.25 * DAY;
const WEEKLY = [0.8, 1, 1, 1, 1, 1, 0.86]; // Sunday … Saturday

/**
 * A history with known growth g a year and its noiseless growth path: the series is path · yearly · exp(AR(1)) with
 * path = level · (1+g)^years · daily/weekly shape, AR(1) noise e_t = 0.5 e_{t−1} + 0.03 z_t (as the bundled example
 * data). The growth truth is `forecastGrowth` of the path (history and horizon), the same measure applied to the
 * forecast, with the same seasonal period; the yearly cycle is seasonality, not growth, and is left out of it.
 */
function history(kind: 'daily' | 'hourly', g: number, seed: number, n: number, h: number): { s: Series; path: Float64Array } {
  const r = createRng(seed, kind === 'daily' ? 0x44 : 0x48, n);
  const step = kind === 'daily' ? DAY : HOUR;
  const phase = r.next() * 365.25;
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  const path = new Float64Array(n + h);
  let e = 0;
  for (let i = 0; i < n + h; i++) {
    const ms = START + i * step;
    const d = new Date(ms);
    e = 0.5 * e + 0.03 * r.nextNormal();
    const shape = kind === 'daily' ? WEEKLY[d.getUTCDay()]! : (1 + 0.55 * Math.cos((2 * Math.PI * (d.getUTCHours() - 19)) / 24)) * WEEKLY[d.getUTCDay()]!;
    path[i] = (kind === 'daily' ? 1000 : 25) * Math.pow(1 + g, (i * step) / YEAR) * shape;
    if (i < n) {
      t[i] = ms;
      const yearly = kind === 'daily' ? 1 + 0.1 * Math.sin((2 * Math.PI * (i - phase)) / 365.25) : 1;
      v[i] = path[i]! * yearly * Math.exp(e);
    }
  }
  return { s: { name: kind, t, v, stepMs: step, source: `${kind}.csv` }, path };
}

/** Growth per month, in percent, that `auto`'s forecast implies, and the truth, by the same measure. */
function growthOf(s: Series, path: Float64Array, h: number): { got: number; truth: number; model: string } {
  const f = forecast(s, { horizon: h });
  const p = f.seasonalPeriods.length > 0 ? Math.max(...f.seasonalPeriods) : 0;
  const n = s.v.length;
  return {
    got: 100 * forecastGrowth(s, f.points.map((x) => x.mean), p).relativePerMonth,
    truth: 100 * forecastGrowth({ ...s, v: path.subarray(0, n) }, path.subarray(n), p).relativePerMonth,
    model: f.model,
  };
}

describe('trend test (Newey–West slope)', () => {
  it('finds a slope of 0.01 per step in AR(1) noise within two standard errors, with t far beyond 2.58', () => {
    let e = 0;
    const y = gen(800, 5, (i, z) => 0.01 * i + (e = 0.5 * e + 0.2 * z()));
    const t = trendTest(y);
    expect(Math.abs(t.slope - 0.01)).toBeLessThan(2 * t.se);
    expect(t.t).toBeGreaterThan(20);
  });

  it('takes flat AR(1) noise for a slope about as often as a 1% test should: at most 4 of 100 seeds with |t| > 2.58', () => {
    // measured size 0.8% (ρ = 0.5, 800 points, 1,000 seeds); at a true 1%, more than 4 of 100 has probability 0.003
    let rejected = 0;
    for (let seed = 1; seed <= 100; seed++) {
      let e = 0;
      if (Math.abs(trendTest(gen(800, 100 + seed, (_i, z) => (e = 0.5 * e + 0.2 * z()))).t) > 2.58) rejected++;
    }
    expect(rejected).toBeLessThanOrEqual(4);
  });

  it('skips missing points', () => {
    const y = gen(200, 6, (i, z) => 3 + 0.5 * i + 0.1 * z());
    y[50] = NaN;
    y[51] = NaN;
    expect(trendTest(y).slope).toBeCloseTo(0.5, 2);
  });
});

describe('long horizons', () => {
  it('are three cycles of the shortest period or more (24 steps without one); M4 horizons are short', () => {
    expect(isLongHorizon(14, [7, 365.25])).toBe(false);
    expect(isLongHorizon(18, [12])).toBe(false);
    expect(isLongHorizon(8, [4])).toBe(false);
    expect(isLongHorizon(48, [24, 168])).toBe(false);
    expect(isLongHorizon(18, [])).toBe(false);
    expect(isLongHorizon(180, [7])).toBe(true);
    expect(isLongHorizon(720, [24, 168])).toBe(true);
    expect(isLongHorizon(36, [12])).toBe(true);
    expect(isLongHorizon(24, [])).toBe(true);
  });
});

/*
 * Tolerances, in percentage points of growth per month, from the noise (measured errors in bench/forecast-growth):
 * - daily, 1,278 days (the yearly cycle detected and taken out): the slope of the seasonally adjusted log series has
 *   a Newey–West standard error of about 0.01 points a month, so what is left is the model (the level at the end of
 *   the history, on which the compounding is applied, wanders with the AR(1) noise, sd 3.5%) and the seasonal estimate
 *   of a yearly cycle seen three times: measured errors up to 0.3 points over 12 histories; tolerance 0.4.
 * - daily, 762 days (a yearly cycle of ±10% seen only twice, not detected): a rising or falling half-wave shifts the
 *   least-squares slope by up to 0.1·3/(2π) a year over two cycles, about 0.4 points a month; tolerance 0.5.
 * - hourly, 12 weeks: the line of the trend + AR(1) model (MSTL's model there, on y or, as the growth form, on log y)
 *   has a standard error of about 0.17 points a month (AR(1) noise, 2,016 points): measured errors up to 0.44 over 12
 *   histories; tolerance 0.6, 3.5 standard errors.
 */
describe('auto at a long horizon recovers the growth the history was generated with', () => {
  it.each([0.2, 0.35, 0.6])('daily, 1,278 days with weekly and yearly cycles, growth %d a year: within 0.4 points a month at 180 days', (g) => {
    for (const seed of [1, 2]) {
      const { s, path } = history('daily', g, seed, 1278, 180);
      const r = growthOf(s, path, 180);
      expect(Math.abs(r.got - r.truth), `${r.model}: ${r.got} vs ${r.truth}`).toBeLessThan(0.4);
    }
  });

  it.each([0.2, 0.35])('daily, 762 days (yearly cycle seen twice), growth %d a year: within 0.5 points a month at 180 days', (g) => {
    for (const seed of [1, 2, 3]) {
      const { s, path } = history('daily', g, seed, 762, 180);
      const r = growthOf(s, path, 180);
      expect(Math.abs(r.got - r.truth), `${r.model}: ${r.got} vs ${r.truth}`).toBeLessThan(0.5);
    }
  });

  it.each([0.2, 0.35, 0.6])('hourly, 12 weeks with daily and weekly cycles, growth %d a year: within 0.6 points a month at 720 hours', (g) => {
    for (const seed of [1, 2]) {
      const { s, path } = history('hourly', g, seed, 24 * 7 * 12, 720);
      const r = growthOf(s, path, 720);
      expect(Math.abs(r.got - r.truth), `${r.model}: ${r.got} vs ${r.truth}`).toBeLessThan(0.6);
    }
  });

  it('without growth the forecast stays flat: within 0.15 points a month (daily) and 0.6 (hourly, the trend + AR(1) slope noise)', () => {
    for (const seed of [1, 2, 3]) {
      const d = history('daily', 0, seed, 1278, 180);
      const rd = growthOf(d.s, d.path, 180);
      expect(Math.abs(rd.got), rd.model).toBeLessThan(0.15);
      // weekly cycle only (no yearly cycle to mistake for a slope), 762 days
      const w = gen(762, 300 + seed, (i, z) => 1000 * WEEKLY[new Date(START + i * DAY).getUTCDay()]! * Math.exp(0.035 * z()));
      const sw: Series = { name: 'flat', t: Float64Array.from({ length: 762 }, (_, i) => START + i * DAY), v: w, stepMs: DAY, source: 'flat.csv' };
      const fw = forecast(sw, { horizon: 180 });
      expect(Math.abs(100 * forecastGrowth(sw, fw.points.map((x) => x.mean), 7).relativePerMonth), fw.model).toBeLessThan(0.15);
      const hr = history('hourly', 0, seed, 24 * 7 * 12, 720);
      const rh = growthOf(hr.s, hr.path, 720);
      expect(Math.abs(rh.got), rh.model).toBeLessThan(0.6);
    }
  });

  it('a short horizon keeps the model AICc and the short windows chose (the growth form only at 180 days)', () => {
    const { s } = history('daily', 0.35, 1, 762, 14);
    expect(forecast(s, { horizon: 14 }).model).toMatch(/^log ets\(A,N,A\) /);
    expect(forecast(s, { horizon: 180 }).model).toMatch(/^log mstl\(7\) \+ trend\+ar1/);
  });
});

describe('the bundled example histories (scripts/make-plan-example-data.ts)', () => {
  const read = (file: string, column: string): Series => {
    const text = readFileSync(new URL(`../../scenarios/data/${file}`, import.meta.url), 'utf8');
    return parseCsvText(text, file, { column }).series;
  };
  // the generator's growth path for the users history: 180 000 · 1.35^years · weekly factor, from 2024-10-24
  const usersPath = (s: Series, h: number): { history: Float64Array; future: Float64Array } => {
    const t0 = Date.UTC(2024, 9, 24);
    const at = (ms: number): number => 180_000 * Math.pow(1.35, (ms - t0) / YEAR) * WEEKLY[new Date(ms).getUTCDay()]!;
    const n = s.t.length;
    return { history: Float64Array.from(s.t, at), future: Float64Array.from({ length: h }, (_, i) => at(s.t[n - 1]! + (i + 1) * DAY)) };
  };
  it.each([180, 730])('users (762 days, generated with 35 per cent a year): the growth at %d days within 0.5 points a month of the truth', (h) => {
    const s = read('example-users.csv', 'peak_users');
    const f = forecast(s, { horizon: h });
    const p = Math.max(...f.seasonalPeriods);
    const g = 100 * forecastGrowth(s, f.points.map((x) => x.mean), p).relativePerMonth;
    const truth = usersPath(s, h);
    const want = 100 * forecastGrowth({ ...s, v: truth.history }, truth.future, p).relativePerMonth;
    expect(Math.abs(g - want), `${f.model}: ${g} vs ${want}`).toBeLessThan(0.5);
  });
  it('checkout (50% a year, hourly): +3.4% a month at 720 hours, within 0.5 points', () => {
    const s = read('example-checkout.csv', 'checkout_rps');
    const f = forecast(s, { horizon: 720 });
    const g = 100 * forecastGrowth(s, f.points.map((x) => x.mean), Math.max(...f.seasonalPeriods)).relativePerMonth;
    expect(Math.abs(g - 100 * (Math.pow(1.5, 1 / 12) - 1)), f.model).toBeLessThan(0.5);
    // the headline figure, the model's own rate, says the same and does not move with the horizon
    expect(f.growth.basis).toBe('model');
    expect(Math.abs(100 * f.growth.relativePerMonth - 100 * (Math.pow(1.5, 1 / 12) - 1))).toBeLessThan(0.5);
    expect(forecast(s, { horizon: 2000 }).growth.relativePerMonth).toBeCloseTo(f.growth.relativePerMonth, 3);
  });
});
