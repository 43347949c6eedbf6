/**
 * Never a silent garbage answer: input that would make the forecast NaN, Infinity or a wild extrapolation is refused
 * with one line, or the result says what the user must know. Exact messages, as a user reads them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorOf } from '../helpers/error-of.js';
import { forecast, HeadroomError, parseCsvText, type ModelName, type Series } from '../../src/internal.js';
import { DAY, HOUR, gen, series } from './helpers.js';


const bundled = (file: string, column: string): Series =>
  parseCsvText(readFileSync(new URL(`../../scenarios/data/${file}`, import.meta.url), 'utf8'), file, { column }).series;

describe('history values that are not finite', () => {
  it('an infinite value handed to the library is refused with the point and its time', () => {
    const s = series([1, 2, Infinity, 4, 5, 6]);
    const e = errorOf(() => forecast(s, { horizon: 3 }));
    expect(e.code).toBe('SERIES_INVALID');
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('test.csv: value Infinity at point 3 (2024-01-01T02:00:00.000Z) is not a finite number; every history value must be finite');
  });
});

describe('horizon limits', () => {
  const hourly = series(gen(1680, 3, (i, z) => 100 + 10 * Math.sin((2 * Math.PI * i) / 24) + z()));

  it('a horizon of a million steps on 1,680 is refused in one line (it used to overflow the stack)', () => {
    const e = errorOf(() => forecast(hourly, { horizon: 1_000_000 }));
    expect(e.code).toBe('INPUT_INVALID');
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe("horizon 1000000 is 595 times the history's 1680 steps; more than 10 times is refused unless long horizons are allowed explicitly");
  });

  it('a horizon no array can hold is refused before anything is allocated (it used to fail with "Invalid typed array length")', () => {
    const e = errorOf(() => forecast(hourly, { horizon: 99_999_999_999, allowLongHorizon: true }));
    expect(e.message).toBe('horizon 99999999999 is more than 1,000,000 steps; forecast at a coarser step (aggregate the history) or ask for fewer steps');
  });

  it('past the history length: a warning; allowed explicitly past ten times: the same warning', () => {
    const short = series(gen(200, 4, (i, z) => 100 + 10 * Math.sin((2 * Math.PI * i) / 24) + z()));
    expect(forecast(short, { horizon: 200 }).warnings).toEqual([]);
    const warning = 'the horizon (201 steps) is longer than the history (200 steps): the forecast extrapolates further than the data reaches, read it as a scenario';
    expect(forecast(short, { horizon: 201 }).warnings).toEqual([warning]);
    expect(errorOf(() => forecast(short, { horizon: 2001 })).code).toBe('INPUT_INVALID');
    expect(forecast(short, { horizon: 2001, allowLongHorizon: true }).points).toHaveLength(2001);
  });

  it('a forecast that overflows is refused, not printed as Infinity or NaN', () => {
    // doubling every step from 1e290: 2^119 times that is beyond the largest double
    const s = series(Array.from({ length: 20 }, (_, i) => 1e290 * 2 ** i));
    const e = errorOf(() => forecast(s, { horizon: 100, model: 'exponential', seasonalPeriods: [] }));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/^the forecast of exponential start=\S+ growth=100%\/step is not a finite number from step \d+ on; ask for a shorter horizon or another model$/);
  });
});

describe('growth per month', () => {
  it('rests on at least a month of data: a 5-step forecast of 400 hours cannot tell it, and says why', () => {
    const s = series(gen(400, 5, (i, z) => 1000 - 0.5 * i + 20 * z()));
    const f = forecast(s, { horizon: 5, seasonalPeriods: [] });
    expect(f.growth.perMonth).toBeNaN();
    expect(f.growth.relativePerMonth).toBeNaN();
    expect(f.growth.reason).toBe('the history spans 16.7 days, less than a month: a growth per month cannot be told from it');
    expect(f.pathGrowth.reason).toBe('the history and the forecast together span 16.9 days, less than a month: a growth per month cannot be told');
  });

  it("is the model's own rate: the same at 168 hours and at 8,760 on the checkout history (generated at 50% a year)", () => {
    const s = bundled('example-checkout.csv', 'checkout_rps');
    const a = forecast(s, { horizon: 168 });
    const b = forecast(s, { horizon: 8760 });
    expect(a.growth.basis).toBe('model');
    expect(b.growth.relativePerMonth).toBeCloseTo(a.growth.relativePerMonth, 4);
    expect(Math.abs(100 * a.growth.relativePerMonth - 100 * (1.5 ** (1 / 12) - 1))).toBeLessThan(0.5);
  });

  it('a short horizon on a growing history reads the growth, not +0.0% (users, generated at +35% a year: +2.5% a month)', () => {
    const s = bundled('example-users.csv', 'peak_users');
    for (const h of [14, 21, 28]) {
      const f = forecast(s, { horizon: h });
      const pct = 100 * f.growth.relativePerMonth;
      expect(pct, `h = ${h}: ${f.model}`).toBeGreaterThan(2.0);
      expect(pct, `h = ${h}`).toBeLessThan(3.0);
      if (f.growth.basis === 'history') {
        expect(f.warnings.some((w) => w.includes('carries no trend, but the seasonally adjusted history moves +2.4% a month (t = '))).toBe(true);
      }
    }
  });
});

describe('no forecast holds a number that is not finite', () => {
  const models: Array<ModelName | 'auto'> = ['auto', 'naive', 'snaive', 'linear', 'exponential', 'logistic', 'damped', 'ets', 'theta', 'mstl', 'arima', 'ensemble'];
  const histories: Array<[string, Series]> = [
    ['constant', series(new Array<number>(60).fill(7))],
    ['zeros and a spike', series(Array.from({ length: 60 }, (_, i) => (i === 30 ? 1000 : 0)))],
    ['tiny values', series(gen(80, 6, (i, z) => 1e-300 * (2 + Math.sin(i / 3) + 0.1 * z())))],
    ['huge values', series(gen(80, 7, (i, z) => 1e300 * (2 + Math.sin(i / 3) + 0.1 * z())))],
    ['daily with a gap', series(Array.from({ length: 120 }, (_, i) => (i > 50 && i < 54 ? NaN : 100 + i + 10 * ((i % 7) - 3))), DAY)],
    ['negative and positive', series(gen(96, 8, (i, z) => 5 * Math.sin((2 * Math.PI * i) / 24) + z()), HOUR)],
  ];
  for (const [what, s] of histories) {
    it(what, () => {
      for (const model of models) {
        let f;
        try {
          f = forecast(s, { horizon: 48, model, seed: 1 });
        } catch (e) {
          // a refusal is an answer: one line, exit 2
          expect(e, `${what} ${model}`).toBeInstanceOf(HeadroomError);
          expect((e as HeadroomError).exitCode).toBe(2);
          continue;
        }
        const numbers = f.points.flatMap((p) => [p.timestampMs, p.mean, p.lo80, p.hi80, p.lo95, p.hi95]);
        expect(numbers.every(Number.isFinite), `${what} ${model}: ${f.model}`).toBe(true);
        for (const g of [f.growth, f.pathGrowth]) {
          const finite = Number.isFinite(g.perMonth) && Number.isFinite(g.relativePerMonth);
          expect(finite || g.reason !== undefined, `${what} ${model}: growth NaN without a reason`).toBe(true);
        }
      }
    });
  }
});
