import { describe, expect, it } from 'vitest';
import { createRng, decompose, guerreroLambda, MODELS, stl } from '../../src/internal.js';
import { HOUR } from './helpers.js';

describe("Guerrero's Box–Cox λ", () => {
  // 40 cycles of 24 points whose level climbs from 10 to 1,000; within a cycle the noise has sd ∝ level^(1−λ), the
  // power the transform with that λ makes constant
  const withPower = (lambda: number, seed: number): Float64Array => {
    const r = createRng(seed);
    const p = 24;
    const y = new Float64Array(40 * p);
    for (let c = 0; c < 40; c++) {
      const level = 10 * Math.pow(100, c / 39);
      const sd = 0.1 * Math.pow(level, 1 - lambda) * Math.pow(10, lambda);
      for (let i = 0; i < p; i++) y[c * p + i] = level + sd * r.nextNormal();
    }
    return y;
  };

  it.each([
    [0, 1],
    [0.5, 2],
    [1, 3],
  ])('recovers λ = %s from noise with sd ∝ level^(1−λ)', (lambda, seed) => {
    expect(Math.abs(guerreroLambda(withPower(lambda, seed), 24)! - lambda)).toBeLessThan(0.2);
  });

  it('is undefined for a series with a value at or below zero, or fewer than four cycles', () => {
    const y = withPower(0, 4);
    y[100] = 0;
    expect(guerreroLambda(y, 24)).toBeUndefined();
    expect(guerreroLambda(withPower(0, 5).subarray(0, 3 * 24), 24)).toBeUndefined();
  });
});

describe('robust STL', () => {
  it('leaves an injected spike in the remainder instead of the seasonal component', () => {
    const r = createRng(7);
    const p = 12;
    const n = 12 * p;
    const truth = (i: number): number => 10 * Math.sin((2 * Math.PI * i) / p);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = 100 + truth(i) + 0.5 * r.nextNormal();
    const at = 6 * p + 3;
    y[at]! += 60;
    const plain = stl(y, p, { seasonalWindow: 7 });
    const robust = stl(y, p, { seasonalWindow: 7, robust: 5 });
    // the spike's phase in the cycles next to it: the plain seasonal is pulled up by several units, the robust one not
    const err = (s: Float64Array): number => Math.max(...[at - p, at, at + p].map((i) => Math.abs(s[i]! - truth(i))));
    expect(err(plain.seasonal)).toBeGreaterThan(3);
    expect(err(robust.seasonal)).toBeLessThan(1);
    expect(robust.remainder[at]!).toBeGreaterThan(55);
  });

  it('without robustness passes is the plain decomposition', () => {
    const y = Float64Array.from({ length: 96 }, (_, i) => 5 + Math.sin(i / 2) + (i % 12));
    expect(stl(y, 12, { robust: 0 }).seasonal).toEqual(stl(y, 12).seasonal);
  });
});

describe('trend + AR(1) judged at the horizon', () => {
  // a line for 450 steps, then a level that stops rising, with AR(1) deviations (φ = 0.9): by one-step fit the
  // trend + AR(1) model wins, and 168 steps ahead it decays onto the whole-history line, which the level has left
  const n = 600;
  const h = 168;
  const r = createRng(11);
  const level = (i: number): number => 100 + 0.05 * Math.min(i, 450);
  const y = new Float64Array(n + h);
  let ar = 0;
  for (let i = 0; i < n + h; i++) {
    ar = 0.9 * ar + 0.5 * r.nextNormal();
    y[i] = level(i) + ar;
  }
  const history = y.subarray(0, n);
  const future = Float64Array.from({ length: h }, (_, i) => level(n + i));
  const rng = createRng(1);
  const mae = (f: Float64Array): number => f.reduce((a, x, i) => a + Math.abs(x - future[i]!), 0) / h;

  it('keeps the AR(1) line only when it forecast the last h points at least as well', () => {
    const byFit = MODELS.mstl.fit(history, { periods: [], stepMs: HOUR });
    const byHorizon = MODELS.mstl.fit(history, { periods: [], stepMs: HOUR, horizon: h });
    expect(byFit.label).toMatch(/^trend\+ar1/);
    expect(byHorizon.label).toMatch(/^ets/);
    expect(mae(byHorizon.predict(h, rng).mean)).toBeLessThan(0.5 * mae(byFit.predict(h, rng).mean));
  });

  it('keeps it on a series that stays on its line', () => {
    const r2 = createRng(12);
    let e = 0;
    const straight = Float64Array.from({ length: n }, (_, i) => {
      e = 0.9 * e + 0.5 * r2.nextNormal();
      return 100 + 0.05 * i + e;
    });
    expect(MODELS.mstl.fit(straight, { periods: [], stepMs: HOUR, horizon: h }).label).toMatch(/^trend\+ar1/);
  });
});

describe('trend + AR(1) with a recent line', () => {
  it('fits the line to the recent half when the slope changed and that forecast the last h points better', () => {
    // slope 0.05 a step for 250 steps, then 0.1: the whole-history slope is between, the recent half's is 0.1
    const n = 600;
    const h = 168;
    const r = createRng(12);
    const level = (i: number): number => 100 + 0.05 * Math.min(i, 250) + 0.1 * Math.max(0, i - 250);
    let ar = 0;
    const y = Float64Array.from({ length: n }, (_, i) => {
      ar = 0.9 * ar + 0.5 * r.nextNormal();
      return level(i) + ar;
    });
    const whole = MODELS.mstl.fit(y, { periods: [], stepMs: HOUR });
    const recent = MODELS.mstl.fit(y, { periods: [], stepMs: HOUR, horizon: h });
    expect(whole.trend!.perStep).toBeLessThan(0.09);
    expect(recent.trend!.perStep).toBeGreaterThan(0.095);
    expect(recent.trend!.perStep).toBeLessThan(0.115);
    // one-step fitted values still cover the whole history
    expect(recent.fitted.every((x) => Number.isFinite(x))).toBe(true);
    const mae = (f: Float64Array): number => f.reduce((a, x, i) => a + Math.abs(x - level(n + i)), 0) / h;
    const rng = createRng(1);
    expect(mae(recent.predict(h, rng).mean)).toBeLessThan(0.5 * mae(whole.predict(h, rng).mean));
  });
});

describe('MSTL scale for daily data', () => {
  // two years of daily data, weekly cycle, noise proportional to a level that triples: Guerrero's λ is near 0
  const n = 730;
  const r = createRng(21);
  const y = Float64Array.from({ length: n }, (_, i) => 100 * Math.exp((1.1 * i) / n) * (1 + 0.3 * Math.sin((2 * Math.PI * i) / 7)) * Math.exp(0.1 * r.nextNormal()));

  it('fits log y when the noise grows with the level, and forecasts on the original scale', () => {
    const fit = MODELS.mstl.fit(y, { periods: [7], stepMs: 24 * HOUR });
    expect(fit.label).toMatch(/^log mstl\(7\)/);
    const b = fit.predict(14, createRng(1));
    const last = y.subarray(n - 28).reduce((a, x) => a + x, 0) / 28;
    const next = b.mean.reduce((a, x) => a + x, 0) / 14;
    expect(next / last).toBeGreaterThan(0.9);
    expect(next / last).toBeLessThan(1.2);
  });

  it('stays on y for noise that does not grow with the level, for sub-daily steps and for values ≤ 0', () => {
    const flat = Float64Array.from(y, (_, i) => 100 + 30 * Math.sin((2 * Math.PI * i) / 7) + 5 * Math.sin(i * 1.7) + i / 10);
    expect(MODELS.mstl.fit(flat, { periods: [7], stepMs: 24 * HOUR }).label).toMatch(/^mstl/);
    expect(MODELS.mstl.fit(y, { periods: [7], stepMs: HOUR }).label).toMatch(/^mstl/);
    const withZero = y.slice();
    withZero[10] = 0;
    expect(MODELS.mstl.fit(withZero, { periods: [7], stepMs: 24 * HOUR }).label).toMatch(/^mstl/);
  });
});

describe('a change of the daily amplitude in the last cycles', () => {
  // hourly traffic, five weeks: daily sine, weekend lower, AR(1) noise; the daily swing steps up by `step` two days
  // before the end and stays there
  const n = 24 * 7 * 5;
  const traffic = (seed: number, step: number): Float64Array => {
    const r = createRng(seed);
    let ar = 0;
    return Float64Array.from({ length: n }, (_, i) => {
      ar = 0.6 * ar + 0.03 * r.nextNormal();
      const swing = 0.3 * (i >= n - 48 ? step : 1);
      return 500 * (1 + swing * Math.sin((2 * Math.PI * i) / 24)) * (Math.floor(i / 24) % 7 >= 5 ? 0.8 : 1.08) * (1 + ar);
    });
  };
  const periods = [24, 168];
  const amplitudeChange = (f: object): number => (f as { amplitudeChange?: number }).amplitudeChange ?? NaN;

  it('scales the projected daily cycle towards the new swing', () => {
    const y = traffic(31, 1.5);
    const fit = MODELS.mstl.fit(y, { periods, stepMs: HOUR, horizon: 48 });
    expect(amplitudeChange(fit)).toBeGreaterThan(0.05);
    // the next day is a weekday (day 35 of a series starting on a weekday): true swing 500 · 1.08 · 0.45 · 2
    const trueRange = 500 * 1.08 * 0.45 * 2;
    const f = fit.predict(24, createRng(1)).mean;
    const range = Math.max(...f) - Math.min(...f);
    const last = decompose(y, periods).components[0]!.values.subarray(n - 24);
    const decomposed = Math.max(...last) - Math.min(...last);
    expect(Math.abs(range - trueRange)).toBeLessThan(0.8 * Math.abs(decomposed - trueRange));
  });

  it('leaves the decomposition as it is without a change, and after a burst in the last hours', () => {
    for (let seed = 40; seed < 50; seed++) {
      const y = traffic(seed, 1);
      expect(amplitudeChange(MODELS.mstl.fit(y, { periods, stepMs: HOUR, horizon: 48 }))).toBe(0);
      const burst = Float64Array.from(y, (v, i) => (i >= n - 3 ? 4 * v : v));
      expect(amplitudeChange(MODELS.mstl.fit(burst, { periods, stepMs: HOUR, horizon: 48 }))).toBe(0);
    }
  });
});
