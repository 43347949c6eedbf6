/**
 * Arrival processes, checked by counting arrivals (ArrivalSource directly, and through runReplica) against the
 * expected number: ∫λ(t)dt for Poisson-type sources (variance = mean, so ±5σ bounds), exact counts for traces.
 */
import { describe, expect, it } from 'vitest';
import { ArrivalSource } from '../../src/sim/arrivals.js';
import { runReplica } from '../../src/sim/replica.js';
import type { ArrivalSpec } from '../../src/sim/types.js';
import { createRng } from '../../src/rng.js';
import { exp, station } from './helpers.js';

/** Arrival times of a source in [0, horizon). */
function times(spec: ArrivalSpec, horizon: number, seed = 3): number[] {
  const src = new ArrivalSource(spec, createRng(seed), () => 0);
  const out: number[] = [];
  let t = src.next(0);
  while (t < horizon) {
    out.push(t);
    t = src.next(t);
  }
  return out;
}
const countIn = (ts: number[], a: number, b: number): number => ts.filter((t) => t >= a && t < b).length;
/** |observed − expected| within 5 Poisson standard deviations. */
const expectPoissonCount = (observed: number, expected: number): void => {
  expect(Math.abs(observed - expected), `observed ${observed}, expected ${expected}`).toBeLessThan(5 * Math.sqrt(expected));
};

describe('arrival sources', () => {
  it('poisson: count over a horizon and exponential gaps (mean and scv 1)', () => {
    const ts = times({ kind: 'poisson', rate: 50 }, 2000);
    expectPoissonCount(ts.length, 100_000);
    const gaps = ts.slice(1).map((t, i) => t - ts[i]!);
    const m = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const v = gaps.reduce((a, b) => a + (b - m) ** 2, 0) / gaps.length;
    expect(m).toBeCloseTo(1 / 50, 3);
    expect(v / (m * m)).toBeCloseTo(1, 1);
  });

  it('profile, step: counts per segment follow the rate (thinning)', () => {
    const ts = times({ kind: 'profile', interpolation: 'step', points: [{ t: 0, rate: 10 }, { t: 100, rate: 50 }, { t: 200, rate: 0 }] }, 400);
    expectPoissonCount(countIn(ts, 0, 100), 1000);
    expectPoissonCount(countIn(ts, 100, 200), 5000);
    expect(countIn(ts, 200, 400)).toBe(0);
  });

  it('profile, linear and repeating with a period: a daily ramp counted per half period', () => {
    // Rate rises linearly 0 → 40 over [0, 50], then wraps from 40 back to 0 at t = 100: ∫ over [0,50] = 1000, [50,100] = 1000.
    const ts = times({ kind: 'profile', interpolation: 'linear', points: [{ t: 0, rate: 0 }, { t: 50, rate: 40 }], period: 100 }, 1000);
    let first = 0;
    let second = 0;
    for (let k = 0; k < 10; k++) {
      first += countIn(ts, 100 * k, 100 * k + 25); // ∫0^25 0.8t dt = 250 per period
      second += countIn(ts, 100 * k + 25, 100 * k + 50); // 750 per period
    }
    expectPoissonCount(first, 2500);
    expectPoissonCount(second, 7500);
    expectPoissonCount(ts.length, 20_000);
  });

  it('mmpp on/off: long-run rate Σ rᵢ dᵢ / Σ dᵢ, and bursts cluster', () => {
    const ts = times({ kind: 'mmpp', rates: [0, 100], meanDurations: [9, 1] }, 20_000);
    // Long-run mean rate 10/s; the count's variance is inflated by the modulation, so a looser bound (±5%).
    expect(Math.abs(ts.length - 200_000) / 200_000).toBeLessThan(0.05);
    // Burstiness: the index of dispersion of counts in 1 s windows is far above a Poisson process's 1.
    const counts = new Array(20_000).fill(0);
    for (const t of ts) counts[Math.floor(t)]++;
    const m = counts.reduce((a, b) => a + b, 0) / counts.length;
    const v = counts.reduce((a, b) => a + (b - m) ** 2, 0) / counts.length;
    expect(v / m).toBeGreaterThan(20);
  });

  it('spikes: arrivals only inside the windows, at the spike rate', () => {
    const ts = times({ kind: 'spikes', rate: 200, windows: [{ start: 50, duration: 10 }, { start: 10, duration: 5 }] }, 100);
    expect(ts.every((t) => (t >= 10 && t < 15) || (t >= 50 && t < 60))).toBe(true);
    expectPoissonCount(countIn(ts, 10, 15), 1000);
    expectPoissonCount(countIn(ts, 50, 60), 2000);
  });

  it('trace: exact replay, scaled and looped', () => {
    expect(times({ kind: 'trace', times: [0.5, 1, 2.5] }, 100)).toEqual([0.5, 1, 2.5]);
    expect(times({ kind: 'trace', times: [0.5, 1, 2.5], scale: 2 }, 100)).toEqual([1, 2, 5]);
    expect(times({ kind: 'trace', times: [1, 2], loop: true }, 7)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('arrivals through runReplica', () => {
  it('a trace with classes replays exactly, each class with its own service time', () => {
    const r = runReplica(
      {
        arrivals: [{ kind: 'trace', times: [1, 2, 3, 4], classes: ['read', 'write', 'read', 'write'] }],
        classes: [
          { name: 'read', weight: 1 },
          { name: 'write', weight: 1, serviceTime: { api: { kind: 'deterministic', value: 0.5 } } },
        ],
        stations: [station('api', { kind: 'deterministic', value: 0.25 })],
        run: { stop: { kind: 'time', time: 10 } },
      },
      0,
      1,
    );
    const s = r.stations[0]!;
    expect(s.counts).toEqual({ arrived: 4, completed: 4, dropped: 0, timedOut: 0, retries: 0, inFlight: 0, shed: 0 });
    expect(s.meanResponse).toBeCloseTo(0.375, 12); // no queueing: (0.25 + 0.5 + 0.25 + 0.5) / 4
    expect(s.meanWait).toBe(0);
    expect(s.utilization).toBeCloseTo(1.5 / 10, 12);
    expect(r.endTime).toBe(10);
  });

  it('superposed sources with their own class mix', () => {
    const r = runReplica(
      {
        arrivals: [
          { kind: 'poisson', rate: 30, mix: { a: 1 } },
          { kind: 'poisson', rate: 10, mix: { b: 1 } },
        ],
        classes: [
          { name: 'a', weight: 1, serviceTime: { s: { kind: 'deterministic', value: 0.001 } } },
          { name: 'b', weight: 1, serviceTime: { s: { kind: 'deterministic', value: 0.003 } } },
        ],
        stations: [station('s', exp(1), { workersPerNode: 1000 })],
        run: { stop: { kind: 'time', time: 1000 } },
      },
      0,
      9,
    );
    const s = r.stations[0]!;
    expectPoissonCount(s.counts.arrived, 40_000);
    // With 1000 workers nobody waits; the mean service is (30·1 ms + 10·3 ms)/40 = 1.5 ms.
    expect(s.meanResponse).toBeCloseTo(0.0015, 4);
  });
});
