import { describe, expect, it } from 'vitest';
import { addUtcMonths, defaultMaxGap, fillShortGaps, formatStep, futureTimestamps, inferStep, MEAN_MONTH_MS } from '../../src/internal.js';

const H = 3_600_000;
const D = 86_400_000;

describe('inferStep', () => {
  it('takes the median spacing, so a gap does not change an hourly step', () => {
    expect(inferStep([0, H, 2 * H, 5 * H, 6 * H])).toEqual({ stepMs: H });
  });
  it('snaps jittered 5-minute scrapes (median 299 s) to 5 minutes', () => {
    expect(inferStep([3, 298, 601, 904, 1197, 1502].map((s) => s * 1000))).toEqual({ stepMs: 300_000 });
  });
  it('keeps an uncommon spacing (90 s) as it is', () => {
    expect(inferStep([0, 90_000, 180_000, 270_000])).toEqual({ stepMs: 90_000 });
  });
  it('recognises calendar months, quarters and years', () => {
    const months = [0, 1, 2, 3].map((m) => Date.UTC(2024, m, 1));
    expect(inferStep(months)).toEqual({ stepMs: MEAN_MONTH_MS, stepMonths: 1 });
    expect(inferStep([0, 3, 6, 9].map((m) => Date.UTC(2023, m, 1)))).toEqual({ stepMs: 3 * MEAN_MONTH_MS, stepMonths: 3 });
    expect(inferStep([2020, 2021, 2022].map((y) => Date.UTC(y, 0, 1)))).toEqual({ stepMs: 12 * MEAN_MONTH_MS, stepMonths: 12 });
    expect(inferStep([0, 7, 14].map((d) => d * D))).toEqual({ stepMs: 7 * D });
  });
  it('formats steps for people', () => {
    expect([{ stepMs: H }, { stepMs: 300_000 }, { stepMs: D }, { stepMs: 7 * D }, { stepMs: 90_000 }, { stepMs: 1, stepMonths: 3 }].map(formatStep)).toEqual([
      '1h', '5min', '1 day', '1 week', '90s', 'quarter',
    ]);
  });
});

describe('fillShortGaps', () => {
  it('fills interior runs linearly and leaves the ends and long runs alone', () => {
    const v = Float64Array.of(NaN, 1, NaN, NaN, 4, NaN, NaN, NaN, NaN, 9, 10, NaN);
    const r = fillShortGaps(v, 3);
    expect(r).toEqual({ filled: [{ start: 2, points: 2 }], tooLong: [{ start: 5, points: 4 }] });
    expect(Array.from(v.slice(1, 5))).toEqual([1, 2, 3, 4]);
    expect(Number.isNaN(v[0]!) && Number.isNaN(v[11]!) && Number.isNaN(v[6]!)).toBe(true);
  });
  it('defaults to max(3, 2% of the points)', () => {
    expect([10, 100, 199, 200, 1000, 1680].map(defaultMaxGap)).toEqual([3, 3, 3, 4, 20, 33]);
  });
});

describe('calendar stepping', () => {
  it('keeps month ends at month ends and clamps other days', () => {
    expect(new Date(addUtcMonths(Date.UTC(2024, 0, 31), 1)).toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(new Date(addUtcMonths(Date.UTC(2023, 10, 30), 1)).toISOString()).toBe('2023-12-31T00:00:00.000Z');
    expect(new Date(addUtcMonths(Date.UTC(2024, 0, 30, 6), 1)).toISOString()).toBe('2024-02-29T06:00:00.000Z');
    expect(new Date(addUtcMonths(Date.UTC(2024, 0, 15, 12, 30), 13)).toISOString()).toBe('2025-02-15T12:30:00.000Z');
    expect(new Date(addUtcMonths(Date.UTC(2024, 2, 31), -1)).toISOString()).toBe('2024-02-29T00:00:00.000Z');
  });
  it('gives the timestamps after the last point for fixed and calendar steps', () => {
    expect(Array.from(futureTimestamps({ t: Float64Array.of(0, H), stepMs: H }, 3))).toEqual([2 * H, 3 * H, 4 * H]);
    const monthly = { t: Float64Array.of(Date.UTC(2023, 11, 31), Date.UTC(2024, 0, 31)), stepMs: MEAN_MONTH_MS, stepMonths: 1 };
    expect(Array.from(futureTimestamps(monthly, 2))).toEqual([Date.UTC(2024, 1, 29), Date.UTC(2024, 2, 31)]);
  });
});
