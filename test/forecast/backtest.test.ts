import { describe, expect, it } from 'vitest';
import { backtest, coverage, mase, smape } from '../../src/internal.js';
import { DAY, gen, series } from './helpers.js';

describe('accuracy measures against hand-computed values', () => {
  it('MASE: mean absolute error over the in-sample seasonal-naive mean absolute error', () => {
    // in-sample 1,3,2,4,3,5: |3-1|,|2-3|,|4-2|,|3-4|,|5-3| → mean 8/5 = 1.6; errors |6-5|,|4-6| → mean 1.5
    expect(mase([6, 4], [5, 6], [1, 3, 2, 4, 3, 5], 1)).toBeCloseTo(1.5 / 1.6, 12);
    // m = 2: |2-1|,|4-3|,|3-2|,|5-4| → mean 1
    expect(mase([6, 4], [5, 6], [1, 3, 2, 4, 3, 5], 2)).toBeCloseTo(1.5, 12);
    expect(mase([1], [1], [2, 2, 2], 1)).toBeNaN(); // constant history: no scale
  });

  it('sMAPE as in M4: 200/h Σ |y−ŷ|/(|y|+|ŷ|), in percent', () => {
    expect(smape([100, 200], [110, 180])).toBeCloseTo(100 * (10 / 210 + 20 / 380), 12);
    expect(smape([0], [0])).toBe(0);
  });

  it('coverage counts bounds as inside and skips missing actuals', () => {
    expect(coverage([1, 2, 3, NaN], [1, 0, 4, 0], [1, 1, 5, 9])).toBeCloseTo(1 / 3, 12);
  });
});

describe('backtest()', () => {
  it('naive on a tiny series: MASE, sMAPE and coverage by hand', () => {
    // training 1..8 (steps of 1, so the naive σ is exactly 1 and the MASE scale is 1); held out 9, 10
    const s = series([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], DAY);
    const r = backtest(s, { holdout: 2, model: 'naive' });
    // forecasts 8, 8: errors 1 and 2
    expect(r.points.map((p) => p.mean)).toEqual([8, 8]);
    expect(r.points.map((p) => p.actual)).toEqual([9, 10]);
    expect(r.mase).toBeCloseTo(1.5, 12);
    expect(r.smape).toBeCloseTo(100 * (1 / 17 + 2 / 18), 12);
    // 80%: 8 ± 1.2816 holds 9; 8 ± 1.2816·√2 = [6.19, 9.81] misses 10.  95%: 8 ± 1.96 and 8 ± 2.77 hold both
    expect(r.coverage80).toBe(0.5);
    expect(r.coverage95).toBe(1);
    expect(r.model).toBe('naive');
  });

  it('seasonal naive with period 4: repeats the last cycle, MASE scaled by the lag-4 differences', () => {
    const y = [10, 20, 30, 40, 12, 22, 32, 42, 14, 24, 32, 44];
    const r = backtest(series(y), { holdout: 4, model: 'snaive', seasonalPeriods: [4] });
    expect(r.points.map((p) => p.mean)).toEqual([12, 22, 32, 42]);
    // errors 2, 2, 0, 2 → 1.5; scale: lag-4 differences of the training part are all 2
    expect(r.mase).toBeCloseTo(1.5 / 2, 12);
  });

  it('auto on a seasonal series with noise sd 1 is near the best possible MASE and beats seasonal naive', () => {
    // the best forecast errs by the noise alone: MAE 0.80 over a scale of E|z_t − z_{t−24}| = 1.13, so MASE ≈ 0.71
    const y = gen(24 * 7 * 3, 31, (i, z) => 100 + 10 * Math.sin((2 * Math.PI * i) / 24) + z());
    const r = backtest(series(y), { holdout: 24, seasonalPeriods: [24] });
    const sn = backtest(series(y), { holdout: 24, model: 'snaive', seasonalPeriods: [24] });
    expect(r.points).toHaveLength(24);
    expect(r.mase).toBeLessThan(0.9);
    expect(r.mase).toBeLessThan(sn.mase);
  });
});
