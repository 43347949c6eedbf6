import { describe, expect, it } from 'vitest';
import { createRng, formatIso, regularize, type RawRows } from '../../src/internal.js';

const STEP = 60_000;
const T0 = Date.UTC(2024, 5, 1);
const f = (ms: number): number => 50 + 0.002 * ((ms - T0) / 1000); // a straight line: 0.002 per second

function rows(t: number[], v: number[]): RawRows {
  return { t, v, line: t.map((_, i) => i + 2), text: t.map(formatIso), kind: 'datetime-zoned' };
}

describe('regularize against known answers (seeded properties)', () => {
  it('linear interpolation recovers a straight line exactly across every short gap', () => {
    for (let trial = 0; trial < 20; trial++) {
      const rng = createRng(99, trial);
      const n = 200 + rng.nextInt(300);
      const t: number[] = [];
      const v: number[] = [];
      let kept = true;
      for (let k = 0; k < n; k++) {
        // drop runs of 1–3 steps now and then (a kept point after each), never the first or the last point
        if (kept && k > 0 && k < n - 4 && rng.next() < 0.05) {
          k += rng.nextInt(3);
          kept = false;
          continue;
        }
        kept = true;
        t.push(T0 + k * STEP);
        v.push(f(T0 + k * STEP));
      }
      // up to 11% of the points are dropped: more than the default limit fills, so the longest gap is given
      const { series, repairs } = regularize(rows(t, v), { name: 'x', source: 'p.csv', maxGapPoints: 3 });
      expect(series.stepMs).toBe(STEP);
      expect(series.t.length).toBe(n);
      expect(repairs.resampled).toBe(false);
      expect(repairs.filledGaps.reduce((a, g) => a + g.points, 0)).toBe(n - t.length);
      for (let k = 0; k < n; k++) expect(series.v[k]).toBeCloseTo(f(T0 + k * STEP), 9);
    }
  });

  it('jitter under half a step is snapped to the grid: each value lands on its nearest grid point', () => {
    for (let trial = 0; trial < 20; trial++) {
      const rng = createRng(7, trial);
      const n = 100;
      const t: number[] = [];
      const v: number[] = [];
      for (let k = 0; k < n; k++) {
        const ms = T0 + k * STEP + Math.round((rng.next() - 0.5) * 0.8 * STEP); // within ±24 s
        t.push(ms);
        v.push(f(ms));
      }
      const { series, repairs } = regularize(rows(t, v), { name: 'x', source: 'p.csv' });
      expect(repairs.resampled).toBe(true);
      expect(series.stepMs).toBe(STEP);
      expect(series.t[0]).toBe(T0);
      // the value kept is the sample's own, taken at most 24 s from the grid point: |f(sample) − f(grid)| ≤ 0.048
      for (let k = 0; k < n; k++) {
        expect(series.t[k]).toBe(T0 + k * STEP);
        expect(series.v[k]).toBe(v[k]);
        expect(Math.abs(series.v[k]! - f(T0 + k * STEP))).toBeLessThanOrEqual(0.002 * 24 + 1e-9);
      }
    }
  });

  it('a regular grid that is not aligned to whole steps (hourly at :30) is kept as it is', () => {
    const t = [0, 1, 2, 3].map((k) => T0 + 30 * 60_000 + k * 3_600_000);
    const { series, repairs } = regularize(rows(t, [1, 2, 3, 4]), { name: 'x', source: 'p.csv' });
    expect(repairs.resampled).toBe(false);
    expect(Array.from(series.t)).toEqual(t);
  });

  it('values missing at the ends are dropped and reported', () => {
    const t = [0, 1, 2, 3, 4, 5].map((k) => T0 + k * STEP);
    const { series, repairs } = regularize(rows(t, [NaN, 1, 2, 3, NaN, NaN]), { name: 'x', source: 'p.csv' });
    expect(Array.from(series.v)).toEqual([1, 2, 3]);
    expect(series.t[0]).toBe(T0 + STEP);
    expect(repairs.notes).toEqual(['3 rows without a value at the start or end dropped']);
  });
});
