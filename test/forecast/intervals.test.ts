import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng, forecast, parseCsvText, type ModelName } from '../../src/internal.js';
import { calibrationFrom, factorAt, factorsFrom, NARROWEST, NARROWEST95 } from '../../src/forecast/intervals.js';
import { normalBands, type Bands } from '../../src/forecast/model.js';
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

describe('recalibration by lead time (intervals.ts)', () => {
  // held-out windows whose errors are N(0, 1) and whose bands claim an sd of `claimed`: the right 80% stretch is 1/claimed
  const heldOut = (claimed: number, windows: number, leads: number, seed: number): Array<{ actual: Float64Array; bands: Bands }> =>
    Array.from({ length: windows }, (_, w) => {
      const r = createRng(seed, w);
      const actual = Float64Array.from({ length: leads }, () => r.nextNormal());
      const mean = new Float64Array(leads);
      const sd = new Float64Array(leads).fill(claimed);
      return { actual, bands: normalBands(mean, sd) };
    });

  it('bands of the right width: factors near 1, from both sides', () => {
    const logs: number[] = [];
    for (let seed = 1; seed <= 40; seed++) logs.push(...calibrationFrom(heldOut(1, 5, 24, seed)).factor80.map(Math.log));
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(logs.some((x) => x > 0.05)).toBe(true);
    expect(logs.some((x) => x < -0.05)).toBe(true);
  });

  it('random-walk errors (one window\'s errors move together) with bands of the right width: factors near 1 on average', () => {
    const logs: number[] = [];
    for (let seed = 1; seed <= 100; seed++) {
      const held = Array.from({ length: 5 }, (_, w) => {
        const r = createRng(300 + seed, w);
        let c = 0;
        const actual = Float64Array.from({ length: 24 }, () => (c += r.nextNormal()));
        const sd = Float64Array.from({ length: 24 }, (_, i) => Math.sqrt(i + 1));
        return { actual, bands: normalBands(new Float64Array(24), sd) };
      });
      logs.push(...calibrationFrom(held).factor80.map(Math.log));
    }
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    expect(Math.abs(mean)).toBeLessThan(0.08);
  });

  it('bands twice too narrow are widened and bands twice too wide narrowed, both shrunk towards 1 by the prior', () => {
    const narrow = calibrationFrom(heldOut(0.5, 20, 48, 7));
    const wide = calibrationFrom(heldOut(2, 20, 48, 7));
    let logNarrow = 0;
    let logWide = 0;
    for (let i = 0; i < narrow.factor80.length; i++) {
      // the first buckets rest on 24–48 points and are shrunk hardest; none crosses 1 the wrong way
      expect(narrow.factor80[i]!).toBeGreaterThan(1.1);
      expect(narrow.factor80[i]!).toBeLessThan(2.5);
      expect(wide.factor80[i]!).toBeLessThan(0.8);
      expect(wide.factor80[i]!).toBeGreaterThanOrEqual(NARROWEST);
      // the 95% half-width is never narrower than the model's own
      expect(wide.factor95[i]!).toBeGreaterThanOrEqual(NARROWEST95);
      logNarrow += Math.log(narrow.factor80[i]!);
      logWide += Math.log(wide.factor80[i]!);
    }
    const k = narrow.factor80.length;
    expect(Math.exp(logNarrow / k)).toBeGreaterThan(1.4);
    expect(Math.exp(logNarrow / k)).toBeLessThan(2.1);
    expect(Math.exp(logWide / k)).toBeGreaterThan(0.5);
    expect(Math.exp(logWide / k)).toBeLessThan(0.75);
  });

  const typical = (f: readonly number[]): number => Math.exp(f.reduce((a, x) => a + Math.log(x), 0) / f.length);
  // five windows of 24 N(0, 1) errors under bands of the right width; the third one shifted by `shift` from lead 9 on
  const shiftedWindows = (seed: number, shift: number): Array<{ actual: Float64Array; bands: Bands }> =>
    heldOut(1, 5, 24, seed).map((w, j) => (j === 2 ? { ...w, actual: w.actual.map((a, i) => (i >= 8 ? a + shift : a)) } : w));

  it('a one-off shift inside one calibration window does not stretch the bands (it stretched the 95% ones 2.6–3x)', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const calm = calibrationFrom(shiftedWindows(800 + seed, 0));
      const kept = calibrationFrom(shiftedWindows(800 + seed, 8));
      const pooled = factorsFrom(shiftedWindows(800 + seed, 8));
      expect(typical(pooled.factor95)).toBeGreaterThan(2);
      expect(typical(kept.factor80) / typical(calm.factor80)).toBeLessThan(1.15);
      expect(typical(kept.factor95) / typical(calm.factor95)).toBeLessThan(1.15);
    }
  });

  it('the one-window rule leaves windows of a model that is right alone, independent or random-walk errors', () => {
    for (const walk of [false, true]) {
      let left = 0;
      for (let seed = 1; seed <= 100; seed++) {
        const held = Array.from({ length: 5 }, (_, w) => {
          const r = createRng(700 + seed, w);
          let c = 0;
          const actual = Float64Array.from({ length: 24 }, () => (walk ? (c += r.nextNormal()) : r.nextNormal()));
          const sd = Float64Array.from({ length: 24 }, (_, i) => (walk ? Math.sqrt(i + 1) : 1));
          return { actual, bands: normalBands(new Float64Array(24), sd) };
        });
        if (JSON.stringify(calibrationFrom(held)) !== JSON.stringify(factorsFrom(held))) left++;
      }
      expect(left).toBe(0);
    }
  });

  it('the factor depends on the lead, changes smoothly with it, and past the last lead calibrated a widening is held, a narrowing fades to 1', () => {
    for (const claimed of [0.5, 1, 2]) {
      const c = calibrationFrom(heldOut(claimed, 5, 48, 3));
      expect(c.leads.length).toBeGreaterThan(1);
      const at = (lead: number): number => factorAt(c.leads, c.factor80, lead);
      for (let lead = 1; lead < 500; lead++) expect(Math.abs(Math.log(at(lead + 1) / at(lead)))).toBeLessThan(0.1);
      expect(at(1000)).toBe(at(10_000));
      const last = c.factor80[c.factor80.length - 1]!;
      if (last >= 1) expect(at(1000)).toBe(last);
      else expect(at(1000)).toBe(1);
    }
    // bands twice too wide: narrowed at the calibrated leads
    const wide = calibrationFrom(heldOut(2, 5, 48, 3));
    expect(factorAt(wide.leads, wide.factor80, 10)).toBeLessThan(0.8);
  });
});

describe("a target step's interval does not depend on the horizon asked for", () => {
  it('the bundled users history: day 6 is the same at 60, 120 and 180 days, and the 80% width never jumps', () => {
    const text = readFileSync(new URL('../../scenarios/data/example-users.csv', import.meta.url), 'utf8');
    const s = parseCsvText(text, 'users.csv').series;
    const byH = [60, 120, 180].map((h) => forecast(s, { horizon: h }));
    for (const f of byH) {
      expect(f.model).toBe(byH[0]!.model);
      expect(f.points[5]).toEqual(byH[0]!.points[5]);
    }
    // neighbouring days' relative 80% widths differ by the weekly level and the first steps' growth, never 2.8x
    const p = byH[2]!.points;
    for (let i = 1; i < p.length; i++) {
      const a = (p[i - 1]!.hi80 - p[i - 1]!.lo80) / p[i - 1]!.mean;
      const b = (p[i]!.hi80 - p[i]!.lo80) / p[i]!.mean;
      expect(Math.max(a / b, b / a), `day ${i + 1}`).toBeLessThan(1.3);
    }
  });
});
