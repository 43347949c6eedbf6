import { describe, expect, it } from 'vitest';
import { aggregate, dailyPeak, HeadroomError, percentileSorted, type Series } from '../../src/internal.js';

const H = 3_600_000;
const D = 86_400_000;

function series(t0: number, stepMs: number, values: number[], stepMonths?: number): Series {
  const t = Float64Array.from(values, (_, i) => t0 + i * stepMs);
  const base = { name: 'x', t, v: Float64Array.from(values), stepMs, source: 'test.csv' };
  return stepMonths === undefined ? base : { ...base, stepMonths };
}

describe('aggregate', () => {
  // 54 hourly points from 2024-01-01T00Z with value = hour index: two whole days and six hours of a third
  const hourly = series(Date.UTC(2024, 0, 1), H, Array.from({ length: 54 }, (_, i) => i));

  it('daily peak: the maximum of each UTC day, the partial last day dropped or kept', () => {
    const peak = dailyPeak(hourly);
    expect(Array.from(peak.t)).toEqual([Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2)]);
    expect(Array.from(peak.v)).toEqual([23, 47]);
    expect(peak.stepMs).toBe(D);
    expect(Array.from(aggregate(hourly, { period: 'day', how: 'max', partial: 'keep' }).v)).toEqual([23, 47, 53]);
  });

  it('daily p95 by R type 7: 0..23 gives 21 + 0.85 = 21.85', () => {
    const p95 = dailyPeak(hourly, 'p95');
    expect(p95.v[0]).toBeCloseTo(21.85, 12);
    expect(p95.v[1]).toBeCloseTo(45.85, 12);
    expect(percentileSorted([1, 2, 3, 4], 95)).toBeCloseTo(3.85, 12);
    expect(percentileSorted([7], 50)).toBe(7);
  });

  it('daily to monthly sums follow the calendar: 31, 29 (leap February), 31 days', () => {
    const ones = series(Date.UTC(2024, 0, 1), D, new Array<number>(91).fill(1));
    const monthly = aggregate(ones, { period: 'month', how: 'sum' });
    expect(Array.from(monthly.t)).toEqual([Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1)]);
    expect(Array.from(monthly.v)).toEqual([31, 29, 31]);
    expect(monthly.stepMonths).toBe(1);
  });

  it('weekly means start on Monday; the partial first week (Wed to Sun) is dropped unless kept', () => {
    // daily from Wednesday 2024-01-03 to Sunday 2024-01-21, value = day of month
    const daily = series(Date.UTC(2024, 0, 3), D, Array.from({ length: 19 }, (_, i) => 3 + i));
    const weekly = aggregate(daily, { period: 'week', how: 'mean' });
    expect(Array.from(weekly.t)).toEqual([Date.UTC(2024, 0, 8), Date.UTC(2024, 0, 15)]);
    expect(Array.from(weekly.v)).toEqual([11, 18]);
    expect(Array.from(aggregate(daily, { period: 'week', how: 'mean', partial: 'keep' }).v)).toEqual([5, 11, 18]);
    expect(Array.from(aggregate(daily, { period: 'week', how: 'min' }).v)).toEqual([8, 15]);
  });

  it('monthly to quarterly sums a calendar series', () => {
    const monthly = series(Date.UTC(2024, 0, 1), 1, Array.from({ length: 12 }, (_, i) => i + 1), 1);
    const t = Float64Array.from({ length: 12 }, (_, i) => Date.UTC(2024, i, 1));
    const q = aggregate({ ...monthly, t }, { period: 'quarter', how: 'sum' });
    expect(Array.from(q.v)).toEqual([6, 15, 24, 33]);
    expect(Array.from(q.t)).toEqual([0, 3, 6, 9].map((m) => Date.UTC(2024, m, 1)));
    expect(q.stepMonths).toBe(3);
  });

  it('skips NaN points within a period', () => {
    const s = series(Date.UTC(2024, 0, 1), 12 * H, [1, NaN, 3, 4]);
    expect(Array.from(aggregate(s, { period: 'day', how: 'sum' }).v)).toEqual([1, 7]);
  });

  it('rejects a period not longer than the step and an unknown reducer', () => {
    const daily = series(Date.UTC(2024, 0, 1), D, [1, 2, 3]);
    expect(() => aggregate(daily, { period: 'hour', how: 'max' })).toThrow(
      new HeadroomError('INPUT_INVALID', 'test.csv: a series with a step of 1 day cannot be aggregated to hours'),
    );
    expect(() => aggregate(hourly, { period: 'day', how: 'p101' })).toThrow(
      'aggregation must be max, min, mean, sum or a percentile such as p95, got p101',
    );
  });
});
