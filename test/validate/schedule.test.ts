import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/rng.js';
import { schedule } from '../../src/validate/schedule.js';

describe('schedule: intended send times of a step', () => {
  it('uniform: evenly spaced, centred in their slots', () => {
    expect([...schedule('uniform', 4, 0, 1000, createRng(1))]).toEqual([125, 375, 625, 875]);
    expect(schedule('uniform', 0, 0, 1000, createRng(1)).length).toBe(0);
  });

  it('poisson: exactly the count, sorted, inside the window, reproducible for a seed', () => {
    const a = schedule('poisson', 5000, 100, 10_100, createRng(9, 1));
    const b = schedule('poisson', 5000, 100, 10_100, createRng(9, 1));
    expect(a.length).toBe(5000);
    expect([...a]).toEqual([...b]);
    for (let i = 1; i < a.length; i++) expect(a[i]!).toBeGreaterThanOrEqual(a[i - 1]!);
    expect(a[0]!).toBeGreaterThanOrEqual(100);
    expect(a[a.length - 1]!).toBeLessThan(10_100);
  });

  it('poisson: the gaps are those of a Poisson stream (exponential: mean 1/rate, coefficient of variation 1, P(gap > mean) = e^-1)', () => {
    // 5000 arrivals in 10 s: 500/s, mean gap 2 ms. Uniform order statistics have spacings ~ Exp(n / T) (Ross 1996, Thm 2.3.1).
    const t = schedule('poisson', 5000, 0, 10_000, createRng(4, 2));
    const gaps = Array.from({ length: t.length - 1 }, (_, i) => t[i + 1]! - t[i]!);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
    expect(mean).toBeCloseTo(2, 1);
    expect(sd / mean).toBeGreaterThan(0.95);
    expect(sd / mean).toBeLessThan(1.05);
    const over = gaps.filter((g) => g > mean).length / gaps.length;
    expect(Math.abs(over - Math.exp(-1))).toBeLessThan(0.02);
  });
});
