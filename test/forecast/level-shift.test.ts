import { describe, expect, it } from 'vitest';
import { createRng, forecast } from '../../src/internal.js';
import { detectLevelShift, widenTowards } from '../../src/forecast/level-shift.js';
import { normalBands } from '../../src/forecast/model.js';
import { DAY, HOUR, series } from './helpers.js';

/**
 * The level-shift rule (level-shift.ts) against series whose truth is known: seeded processes with and without a shift
 * in their last points, run through `forecast` as a user would. A false alarm costs only wider intervals, a miss
 * leaves them too narrow; the rates below are the ones the rule was set for, with room for sampling noise (40 series
 * per case: a rate of 0.05 has a standard error of about 0.035).
 */
type Make = (seed: number, n: number) => Float64Array;

const localLevel: Make = (seed, n) => {
  const r = createRng(seed, 1);
  const y = new Float64Array(n);
  let l = 100;
  for (let i = 0; i < n; i++) {
    const e = 2 * r.nextNormal();
    y[i] = l + e;
    l += 0.3 * e;
  }
  return y;
};

const randomWalk: Make = (seed, n) => {
  const r = createRng(seed, 2);
  const y = new Float64Array(n);
  let x = 1000;
  for (let i = 0; i < n; i++) y[i] = x += r.nextNormal();
  return y;
};

/** Monthly: trend, yearly cycle (amplitude 15%), noise 3%. */
const seasonalMonthly: Make = (seed, n) => {
  const r = createRng(seed, 3);
  return Float64Array.from({ length: n }, (_, i) => 100 * (1 + 0.004 * i) * (1 + 0.15 * Math.sin((2 * Math.PI * i) / 12)) + 3 * r.nextNormal());
};

/** Hourly traffic: daily and weekly cycles, growth, AR(1) noise proportional to the level. */
const hourlyTraffic: Make = (seed, n) => {
  const r = createRng(seed, 4);
  let ar = 0;
  return Float64Array.from({ length: n }, (_, i) => {
    ar = 0.5 * ar + 0.03 * r.nextNormal();
    const shape = (1 + 0.4 * Math.sin((2 * Math.PI * ((i % 24) - 6)) / 24)) * (Math.floor(i / 24) % 7 >= 5 ? 0.85 : 1.06);
    return 500 * (1 + 0.0002 * i) * shape * (1 + ar);
  });
};

/** Exponential growth of 3% a step with multiplicative AR(1) noise. */
const exponential: Make = (seed, n) => {
  const r = createRng(seed, 5);
  let e = 0;
  return Float64Array.from({ length: n }, (_, i) => {
    e = 0.5 * e + 0.03 * r.nextNormal();
    return 50 * Math.exp(0.03 * i + e);
  });
};

function detections(make: Make, n: number, stepMs: number, count: number, shift?: { k: number; by: (y: Float64Array, i: number) => number }): { fired: number; at: number[] } {
  let fired = 0;
  const at: number[] = [];
  for (let s = 0; s < count; s++) {
    const y = make(1000 + s, n);
    if (shift !== undefined) for (let i = n - shift.k; i < n; i++) y[i] = shift.by(y, i);
    const f = forecast(series(y, stepMs), { horizon: 12, model: 'auto', seed: s });
    if (f.levelShift !== undefined) {
      fired++;
      at.push(f.levelShift.pointsBeforeEnd);
    }
  }
  return { fired, at };
}

describe('level shift at the end of the history: no false alarm on ordinary series', () => {
  it('independent normal errors: the scan alone exceeds its threshold rarely, and the whole rule more rarely still', () => {
    // a perfect model: fitted values are the true mean, errors N(0, 1)
    let fired = 0;
    const count = 2000;
    for (let s = 0; s < count; s++) {
      const r = createRng(77, s);
      const y = Float64Array.from({ length: 200 }, () => r.nextNormal());
      if (detectLevelShift(y, new Float64Array(200)) !== undefined) fired++;
    }
    expect(fired / count).toBeLessThan(0.01);
  });

  it.each([
    ['local level', localLevel, 200, DAY],
    ['random walk', randomWalk, 150, DAY],
    ['seasonal monthly with trend', seasonalMonthly, 96, 30 * DAY],
    ['hourly traffic with daily and weekly cycles and growth', hourlyTraffic, 24 * 7 * 5, HOUR],
    ['exponential growth', exponential, 80, 30 * DAY],
  ] as const)('%s: at most 2 of 40 fire', (_name, make, n, step) => {
    expect(detections(make, n, step, 40).fired).toBeLessThanOrEqual(2);
  });
});

describe('level shift at the end of the history: detected, and the intervals reach the earlier level', () => {
  it('a local level that steps up by 8 σ six points before the end: detected at about that point, in most series', () => {
    const d = detections(localLevel, 200, DAY, 40, { k: 6, by: (y, i) => y[i]! + 16 });
    expect(d.fired).toBeGreaterThanOrEqual(32);
    const near = d.at.filter((k) => Math.abs(k - 6) <= 2).length;
    expect(near).toBeGreaterThanOrEqual(0.8 * d.fired);
  });

  it('hourly traffic that drops by a third eight hours before the end: detected in most series', () => {
    const d = detections(hourlyTraffic, 24 * 7 * 5, HOUR, 20, { k: 8, by: (y, i) => (2 / 3) * y[i]! });
    expect(d.fired).toBeGreaterThanOrEqual(16);
  });

  it('the report: direction, start, size, and the 95% interval reaches back to the earlier level; the mean stays the model\'s', () => {
    const y = localLevel(4242, 200);
    for (let i = 194; i < 200; i++) y[i]! += 20;
    const s = series(y, DAY);
    const f = forecast(s, { horizon: 10, model: 'ets', seed: 1 });
    expect(f.levelShift).toBeDefined();
    const ls = f.levelShift!;
    expect(ls.direction).toBe('up');
    expect(ls.pointsBeforeEnd).toBeGreaterThanOrEqual(5);
    expect(ls.pointsBeforeEnd).toBeLessThanOrEqual(7);
    expect(ls.startMs).toBe(s.t[200 - ls.pointsBeforeEnd]);
    expect(ls.widened).toBe(true);
    expect(ls.size).toBeGreaterThan(12);
    expect(ls.size).toBeLessThan(28);
    expect(ls.statistic).toBeGreaterThan(ls.threshold);
    expect(f.warnings.some((w) => w.startsWith(`level shift up detected ${ls.pointsBeforeEnd} points before the end`))).toBe(true);
    // the level before the shift: the mean of the 40 points before it
    const before = y.slice(200 - ls.pointsBeforeEnd - 40, 200 - ls.pointsBeforeEnd).reduce((a, b) => a + b, 0) / 40;
    for (const p of f.points) {
      expect(p.lo95).toBeLessThan(before);
      expect(p.hi95).toBeGreaterThan(p.mean);
      for (const x of [p.mean, p.lo80, p.hi80, p.lo95, p.hi95]) expect(Number.isFinite(x)).toBe(true);
    }
    // the same history without the shift: no report, and narrower bands
    const calm = forecast(series(localLevel(4242, 200), DAY), { horizon: 10, model: 'ets', seed: 1 });
    expect(calm.levelShift).toBeUndefined();
    expect(calm.points[0]!.hi95 - calm.points[0]!.lo95).toBeLessThan(f.points[0]!.hi95 - f.points[0]!.lo95);
  });
});

describe('widenTowards: the union of the model\'s band and the same band moved onto each path', () => {
  it('reaches each path with the band\'s own half-widths, keeps the mean, and never narrows', () => {
    const b = normalBands(Float64Array.from([100, 100, 100]), Float64Array.from([1, 2, 3]));
    const earlier = [90, 100, 104];
    const shifted = [120, 100, 96];
    const w = widenTowards(b, [earlier, shifted]);
    expect([...w.mean]).toEqual([100, 100, 100]);
    for (let i = 0; i < 3; i++) {
      for (const path of [earlier, shifted]) {
        const g = path[i]! - 100;
        expect(w.lo80[i]!).toBeLessThanOrEqual(b.lo80[i]! + g + 1e-12);
        expect(w.hi80[i]!).toBeGreaterThanOrEqual(b.hi80[i]! + g - 1e-12);
        expect(w.lo95[i]!).toBeLessThanOrEqual(b.lo95[i]! + g + 1e-12);
        expect(w.hi95[i]!).toBeGreaterThanOrEqual(b.hi95[i]! + g - 1e-12);
      }
      expect(w.lo80[i]!).toBeLessThanOrEqual(b.lo80[i]!);
      expect(w.hi95[i]!).toBeGreaterThanOrEqual(b.hi95[i]!);
    }
    // step 1: from the band moved 10 down to the band moved 20 up
    expect(w.lo95[0]).toBeCloseTo(b.lo95[0]! - 10, 12);
    expect(w.hi95[0]).toBeCloseTo(b.hi95[0]! + 20, 12);
    // step 2: both paths on the mean, the band unchanged
    expect(w.lo80[1]).toBe(b.lo80[1]);
    expect(w.hi80[1]).toBe(b.hi80[1]);
  });
});
