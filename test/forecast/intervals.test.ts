import { describe, expect, it } from 'vitest';
import { createRng, forecast, type ModelName } from '../../src/internal.js';
import { series } from './helpers.js';

/**
 * Interval calibration against processes whose predictive distribution is known: generate many series of a known
 * state-space process, forecast the next h steps of each, and count how often the realised future falls inside the
 * 80% and 95% intervals. With 200 series × 12 steps the standard error of a pooled coverage is about 0.01–0.02
 * (steps of one series are correlated), so the bands below (±0.05 around 0.80, −0.04/+0.03 around 0.95) can fail.
 */
function coverageOf(
  make: (r: ReturnType<typeof createRng>, n: number) => Float64Array,
  model: ModelName | 'auto',
  opts: { count: number; n: number; h: number; seasonalPeriods?: number[]; seed: number },
): { c80: number; c95: number } {
  let in80 = 0;
  let in95 = 0;
  let total = 0;
  for (let k = 0; k < opts.count; k++) {
    const r = createRng(opts.seed, k);
    const all = make(r, opts.n + opts.h);
    const s = series(all.subarray(0, opts.n));
    const f = forecast(s, { horizon: opts.h, model, seasonalPeriods: opts.seasonalPeriods ?? [], seed: k });
    for (let i = 0; i < opts.h; i++) {
      const a = all[opts.n + i]!;
      const p = f.points[i]!;
      if (a >= p.lo80 && a <= p.hi80) in80++;
      if (a >= p.lo95 && a <= p.hi95) in95++;
      total++;
    }
  }
  return { c80: in80 / total, c95: in95 / total };
}

/** A random walk around 1000 (never near 0, so clamping plays no part). */
const randomWalk = (r: ReturnType<typeof createRng>, n: number): Float64Array => {
  const y = new Float64Array(n);
  let x = 1000;
  for (let i = 0; i < n; i++) {
    x += r.nextNormal();
    y[i] = x;
  }
  return y;
};

/** ETS(A,N,N) with α = 0.3, σ = 2: a local level. */
const localLevel = (r: ReturnType<typeof createRng>, n: number): Float64Array => {
  const y = new Float64Array(n);
  let l = 500;
  for (let i = 0; i < n; i++) {
    const e = 2 * r.nextNormal();
    y[i] = l + e;
    l += 0.3 * e;
  }
  return y;
};

/** ETS(A,N,A) with α = 0.2, γ = 0.1, m = 12, seasonal amplitude 20, σ = 3. */
const seasonalLevel = (r: ReturnType<typeof createRng>, n: number): Float64Array => {
  const y = new Float64Array(n);
  const s = Float64Array.from({ length: 12 }, (_, j) => 20 * Math.sin((2 * Math.PI * j) / 12));
  let l = 300;
  for (let i = 0; i < n; i++) {
    const e = 3 * r.nextNormal();
    const j = i % 12;
    y[i] = l + s[j]! + e;
    l += 0.2 * e;
    s[j]! += 0.1 * e;
  }
  return y;
};

describe('prediction intervals cover what they claim on simulated processes', () => {
  it('random walk, ETS: 80% and 95% intervals', () => {
    const c = coverageOf(randomWalk, 'ets', { count: 200, n: 100, h: 12, seed: 101 });
    expect(c.c80).toBeGreaterThan(0.75);
    expect(c.c80).toBeLessThan(0.85);
    expect(c.c95).toBeGreaterThan(0.91);
    expect(c.c95).toBeLessThan(0.98);
  });

  it('local level (ETS(A,N,N), alpha 0.3), ETS: 80% and 95% intervals', () => {
    const c = coverageOf(localLevel, 'ets', { count: 200, n: 100, h: 12, seed: 102 });
    expect(c.c80).toBeGreaterThan(0.75);
    expect(c.c80).toBeLessThan(0.85);
    expect(c.c95).toBeGreaterThan(0.91);
    expect(c.c95).toBeLessThan(0.98);
  });

  it('seasonal local level (ETS(A,N,A), m 12), ETS with season 12: 80% and 95% intervals', () => {
    const c = coverageOf(seasonalLevel, 'ets', { count: 200, n: 120, h: 12, seasonalPeriods: [12], seed: 103 });
    expect(c.c80).toBeGreaterThan(0.75);
    expect(c.c80).toBeLessThan(0.85);
    expect(c.c95).toBeGreaterThan(0.91);
    expect(c.c95).toBeLessThan(0.98);
  });

  it('random walk, auto (selected model with recalibrated intervals): 80% and 95% intervals', () => {
    const c = coverageOf(randomWalk, 'auto', { count: 200, n: 100, h: 12, seed: 104 });
    expect(c.c80).toBeGreaterThan(0.75);
    expect(c.c80).toBeLessThan(0.87);
    expect(c.c95).toBeGreaterThan(0.91);
    expect(c.c95).toBeLessThan(0.985);
  });
});

/**
 * Hourly traffic with daily and weekly cycles, growth and AR(1) noise proportional to the level (φ 0.5, σ 4%), six
 * weeks of history: the MSTL path (decomposition + adjusted model + seasonal-estimate variance + level scaling +
 * recalibration) that `auto` takes for sub-daily data.
 */
const hourlyTraffic = (r: ReturnType<typeof createRng>, n: number): Float64Array => {
  const y = new Float64Array(n);
  const level = 300 + 500 * r.next();
  let ar = 0;
  for (let i = 0; i < n; i++) {
    ar = 0.5 * ar + 0.04 * r.nextNormal();
    const shape = (1 + 0.4 * Math.sin((2 * Math.PI * (i - 6)) / 24)) * (Math.floor(i / 24) % 7 >= 5 ? 0.8 : 1.08);
    y[i] = level * (1 + 0.0001 * i) * shape * (1 + ar);
  }
  return y;
};

describe('prediction intervals of the multi-seasonal path', () => {
  it('hourly traffic with daily and weekly cycles, auto: 80% and 95% intervals over the next two days', () => {
    const c = coverageOf(hourlyTraffic, 'auto', { count: 40, n: 24 * 7 * 6, h: 48, seasonalPeriods: [24, 168], seed: 107 });
    expect(c.c80).toBeGreaterThan(0.75);
    expect(c.c80).toBeLessThan(0.87);
    expect(c.c95).toBeGreaterThan(0.91);
    expect(c.c95).toBeLessThan(0.985);
  });
});
