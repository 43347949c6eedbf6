import { describe, expect, it } from 'vitest';
import { createRng } from '../src/internal.js';

describe('createRng', () => {
  it('reproduces a stream for the same seed path and differs across paths', () => {
    const a = createRng(42, 3);
    const b = createRng(42, 3);
    const c = createRng(42, 4);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });

  it('gives uniform doubles in [0,1) with the mean and variance of U(0,1)', () => {
    const r = createRng(7);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      s += u;
      s2 += u * u;
      if (u < min) min = u;
      if (u > max) max = u;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    // standard error of the mean is sqrt(1/12/n) ~ 0.00065; 5 sigma bounds
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.0033);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
  });

  it('passes a chi-square test on 10 equal bins', () => {
    const r = createRng(2026, 1, 2);
    const bins = new Array<number>(10).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) bins[r.nextInt(10)]! += 1;
    const chi2 = bins.reduce((acc, o) => acc + (o - n / 10) ** 2 / (n / 10), 0);
    // 99.9th percentile of chi-square with 9 degrees of freedom is 27.88
    expect(chi2).toBeLessThan(27.88);
  });

  it('draws standard normals with mean 0 and variance 1', () => {
    const r = createRng(11);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const z = r.nextNormal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.012);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.02);
  });

  it('split(i) equals a stream created with the extended path', () => {
    expect(createRng(5).split(9).next()).toBe(createRng(5, 9).next());
  });

  it('rejects a non-finite seed', () => {
    expect(() => createRng(Number.NaN)).toThrow('random seed path must hold finite numbers, got NaN');
  });
});
