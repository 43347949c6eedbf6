import { describe, expect, it } from 'vitest';
import { bucketLower, bucketOf, bucketUpper, encodedMean, encodedQuantile, LogHistogram, mergeEncoded } from '../../src/sim/histogram.js';
import { createRng } from '../../src/rng.js';

/** The exact q-quantile of sorted values with the same rank rule: the ceil(q n)-th smallest. */
const exactQuantile = (sorted: number[], q: number): number => sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;

describe('LogHistogram', () => {
  it('puts each value in a bucket whose bounds contain it, of relative width ≤ 2^-7', () => {
    const rng = createRng(1);
    for (let i = 0; i < 5000; i++) {
      const v = Math.exp((rng.next() - 0.5) * 40); // 2e-9 .. 5e8 s
      const b = bucketOf(v);
      expect(bucketLower(b)).toBeLessThanOrEqual(v);
      expect(bucketUpper(b)).toBeGreaterThan(v);
      expect((bucketUpper(b) - bucketLower(b)) / bucketLower(b)).toBeLessThanOrEqual(1 / 128 + 1e-12);
    }
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(-1)).toBe(0);
    expect(bucketOf(1e-12)).toBe(0);
    expect(bucketOf(1e12)).toBe(bucketOf(1e15)); // clamped into the last bucket
  });

  it('quantiles are within 0.4% of the exact sample quantiles; mean, min, max exact', () => {
    const rng = createRng(2);
    const h = new LogHistogram();
    const xs: number[] = [];
    for (let i = 0; i < 50000; i++) {
      const v = -0.2 * Math.log(rng.nextOpen()) + Math.exp(3 * rng.nextNormal() - 6);
      xs.push(v);
      h.record(v);
    }
    xs.sort((a, b) => a - b);
    const e = h.encode();
    for (const q of [0.001, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999, 1]) {
      const exact = exactQuantile(xs, q);
      expect(Math.abs(encodedQuantile(e, q) - exact) / exact, `q=${q}`).toBeLessThanOrEqual(0.004);
    }
    expect(encodedMean(e)).toBeCloseTo(xs.reduce((a, b) => a + b, 0) / xs.length, 12);
    expect(e.min).toBe(xs[0]);
    expect(e.max).toBe(xs.at(-1));
    expect(e.count).toBe(50000);
  });

  it('merging encoded histograms equals recording everything in one', () => {
    const rng = createRng(3);
    const all = new LogHistogram();
    const parts = [new LogHistogram(), new LogHistogram(), new LogHistogram()];
    for (let i = 0; i < 30000; i++) {
      const v = rng.next() * (i % 3 === 0 ? 10 : 0.01);
      all.record(v);
      parts[i % 3]!.record(v);
    }
    const merged = mergeEncoded(parts.map((p) => p.encode()));
    const whole = all.encode();
    expect(merged.indices).toEqual(whole.indices);
    expect(merged.counts).toEqual(whole.counts);
    expect(merged.count).toBe(whole.count);
    expect(merged.min).toBe(whole.min);
    expect(merged.max).toBe(whole.max);
    expect(merged.sum).toBeCloseTo(whole.sum, 9);
    // Plain data: survives JSON.
    expect(JSON.parse(JSON.stringify(merged))).toEqual(merged);
  });

  it('recordZero is record(0) and recordNext is record(next): same buckets, count, sum, min and max, in any order', () => {
    const rng = createRng(4);
    const a = new LogHistogram();
    const b = new LogHistogram();
    a.recordZero(); // first, so min and max start from 0
    b.record(0);
    for (let i = 0; i < 2000; i++) {
      const v = rng.next() < 0.4 ? 0 : -Math.log(rng.nextOpen());
      if (v === 0) a.recordZero();
      else {
        a.next = v;
        a.recordNext();
      }
      b.record(v);
    }
    expect(a.encode()).toStrictEqual(b.encode());
    expect(a.encode().counts[0]).toBeGreaterThan(700);
    const only = new LogHistogram();
    only.recordZero();
    expect(only.encode()).toStrictEqual({ ...new LogHistogram().encode(), indices: [0], counts: [1], count: 1, sum: 0, min: 0, max: 0 });
  });

  it('an empty histogram has NaN quantiles and mean', () => {
    const e = new LogHistogram().encode();
    expect(encodedQuantile(e, 0.5)).toBeNaN();
    expect(encodedMean(e)).toBeNaN();
    expect(e.indices).toEqual([]);
  });
});
