import { describe, expect, it } from 'vitest';
import { errorOf } from '../helpers/error-of.js';
import { backtest, forecast, type ForecastOptions, type Series } from '../../src/internal.js';
import { series } from './helpers.js';


const five = series([1, 2, 3, 4, 5]);
const ramp = (n: number): Series => series(Array.from({ length: n }, (_, i) => 10 + i));

describe('forecast errors: codes, exit codes and exact messages', () => {
  const cases: Array<[string, Series, ForecastOptions, string, string]> = [
    ['ETS with a season longer than half the history', five, { horizon: 3, model: 'ets', seasonalPeriods: [24] }, 'SERIES_TOO_SHORT', 'history has 5 points; model ets with season 24 needs at least 48'],
    ['MSTL with two seasons', ramp(100), { horizon: 3, model: 'mstl', seasonalPeriods: [24, 168] }, 'SERIES_TOO_SHORT', 'history has 100 points; model mstl with seasons 24,168 needs at least 336'],
    ['linear with two points', series([1, 2]), { horizon: 3, model: 'linear' }, 'SERIES_TOO_SHORT', 'history has 2 points; model linear needs at least 3'],
    ['auto with an explicit season', ramp(30), { horizon: 3, seasonalPeriods: [24] }, 'SERIES_TOO_SHORT', 'history has 30 points; model auto with season 24 needs at least 48'],
    ['auto with two points', series([1, 2]), { horizon: 1 }, 'SERIES_TOO_SHORT', 'history has 2 points; model auto needs at least 3'],
    ['a history that is mostly gaps', series([1, NaN, NaN, NaN, 2, NaN]), { horizon: 1, model: 'damped', seasonalPeriods: [] }, 'SERIES_TOO_SHORT', 'history has 2 points; model damped needs at least 5'],
    ['horizon 0', ramp(20), { horizon: 0 }, 'INPUT_INVALID', 'horizon must be a positive whole number of steps, got 0'],
    ['fractional horizon', ramp(20), { horizon: 2.5 }, 'INPUT_INVALID', 'horizon must be a positive whole number of steps, got 2.5'],
    ['unknown model', ramp(20), { horizon: 2, model: 'prophet' as 'ets' }, 'INPUT_INVALID', 'unknown model "prophet"; expected auto, naive, snaive, linear, exponential, logistic, damped, ets, theta, mstl, arima, ensemble'],
    ['period below 2', ramp(20), { horizon: 2, seasonalPeriods: [1] }, 'INPUT_INVALID', 'seasonal period must be a number of steps of at least 2, got 1'],
    ['zero multiplier', ramp(20), { horizon: 2, events: [{ name: 'launch', atMs: 0, multiplier: 0 }] }, 'INPUT_INVALID', 'event "launch": multiplier must be a positive number, got 0'],
    ['exponential on non-positive values', series([3, 0, 2, -1, 5, 6]), { horizon: 2, model: 'exponential', seasonalPeriods: [] }, 'INPUT_INVALID', 'test.csv: model exponential needs positive values; the history has 2 values at or below 0'],
    ['negative ceiling', ramp(20), { horizon: 2, model: 'logistic', ceiling: -5, seasonalPeriods: [] }, 'INPUT_INVALID', 'ceiling must be a positive number, got -5'],
  ];
  for (const [what, s, opts, code, message] of cases) {
    it(what, () => {
      const e = errorOf(() => forecast(s, opts));
      expect(e.code).toBe(code);
      expect(e.exitCode).toBe(2);
      expect(e.message).toBe(message);
    });
  }

  it('a series with a bad step', () => {
    const e = errorOf(() => forecast({ ...ramp(10), stepMs: 0 }, { horizon: 1 }));
    expect(e.code).toBe('SERIES_INVALID');
    expect(e.message).toBe('test.csv: series step must be a positive number of milliseconds, got 0');
  });
});

describe('backtest errors', () => {
  it('holdout outside 1 … n−1', () => {
    for (const h of [0, 10, 1.5]) {
      const e = errorOf(() => backtest(ramp(10), { holdout: h }));
      expect(e.code).toBe('INPUT_INVALID');
      expect(e.exitCode).toBe(2);
      expect(e.message).toBe(`test.csv: backtest holdout must be a whole number of steps from 1 to 9, got ${h}`);
    }
  });

  it('what is left after the holdout is too short for the model', () => {
    const e = errorOf(() => backtest(ramp(50), { holdout: 10, model: 'ets', seasonalPeriods: [24] }));
    expect(e.code).toBe('SERIES_TOO_SHORT');
    expect(e.message).toBe('history has 40 points; model ets with season 24 needs at least 48');
  });
});
