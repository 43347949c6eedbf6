/**
 * Client behaviour: timeouts (the client gives up, the server still does the work), retries with backoff (which
 * amplify the load at the station: a retry storm), and load shedding.
 */
import { describe, expect, it } from 'vitest';
import { runReplica } from '../../src/sim/replica.js';
import type { SimSpec } from '../../src/sim/types.js';
import { exp, expectAnalytic, expectConservation, replicas, station } from './helpers.js';
import { mm1, mmck } from './queueing-theory.js';

describe('timeouts', () => {
  it('without retries the queue is unchanged and P(timeout) = P(response > τ) = e^{−(μ−λ)τ} (M/M/1)', () => {
    const lambda = 0.7;
    const tau = 5;
    const rs = replicas(
      {
        arrivals: [{ kind: 'poisson', rate: lambda }],
        stations: [station('api', exp(1))],
        client: { timeout: tau },
        run: { stop: { kind: 'arrivals', arrivals: 400_000 }, warmup: { kind: 'arrivals', arrivals: 20_000 } },
      },
      3,
    );
    expectAnalytic(rs.map((r) => r.endToEnd.timeoutFraction), Math.exp(-(1 - lambda) * tau), 'timeout fraction', 0.03);
    // The server still serves everyone: the station is the plain M/M/1.
    expectAnalytic(rs.map((r) => r.stations[0]!.meanResponse), mm1(lambda, 1).W, 'station W', 0.03);
    for (const r of rs) {
      const s = r.stations[0]!.counts;
      expect(s.timedOut).toBeGreaterThan(0); // work finished for clients that had left
      expect(r.endToEnd.counts.timedOut).toBeGreaterThanOrEqual(s.timedOut);
      expect(r.endToEnd.p99Response).toBeLessThanOrEqual(tau);
      expectConservation(r);
    }
  });
});

describe('retries', () => {
  const storm = (max: number): SimSpec => ({
    arrivals: [{ kind: 'poisson', rate: 8 }],
    stations: [station('api', exp(0.1))],
    client: { timeout: 0.3, retries: { max, backoff: 0.05, maxBackoff: 1, jitter: 'full' } },
    run: { stop: { kind: 'time', time: 2000 }, warmup: { kind: 'time', time: 100 }, maxInFlight: 5000 },
  });

  it('timeouts with retries amplify the load at the station: a retry storm', () => {
    const calm = runReplica(storm(0), 0, 5);
    const stormy = runReplica(storm(3), 0, 5);
    // Without retries the station sees the external rate.
    expect(calm.stations[0]!.arrivalRate / calm.endToEnd.arrivalRate).toBeCloseTo(1, 2);
    expect(calm.endToEnd.amplification).toBeCloseTo(1, 2);
    // With retries it sees more (each timed-out attempt comes back), the servers waste work on abandoned attempts,
    // and the system tips over: the run stops at the in-flight bound and says so.
    expect(stormy.stations[0]!.arrivalRate).toBeGreaterThan(1.2 * stormy.endToEnd.arrivalRate);
    expect(stormy.endToEnd.amplification).toBeGreaterThan(1.2);
    expect(stormy.stations[0]!.counts.retries).toBeGreaterThan(0);
    expect(stormy.stations[0]!.counts.timedOut).toBeGreaterThan(stormy.stations[0]!.counts.completed / 10);
    expect(stormy.stations[0]!.utilization).toBeGreaterThan(calm.stations[0]!.utilization);
    expect(stormy.unstable).not.toBeNull();
    expect(stormy.unstable!.bottleneck).toBe('api');
    expect(calm.unstable).toBeNull();
    expectConservation(calm);
    expectConservation(stormy);
  });

  it('a dropped attempt is retried after its backoff (no jitter: exactly backoff × 2^(r−1))', () => {
    // One server, no queue, deterministic service 1 s. Arrivals at 0.1 and 0.2: the second is dropped at 0.2, retried
    // at 0.2 + 0.5 (dropped again: the first still runs until 1.1), then at 0.7 + 1.0 = 1.7, served until 2.7.
    const r = runReplica(
      {
        arrivals: [{ kind: 'trace', times: [0.1, 0.2] }],
        stations: [station('api', { kind: 'deterministic', value: 1 }, { queueCapacity: 0 })],
        client: { retries: { max: 3, backoff: 0.5, maxBackoff: 10, jitter: 'none' } },
        run: { stop: { kind: 'time', time: 10 } },
      },
      0,
      1,
    );
    expect(r.stations[0]!.counts).toEqual({ arrived: 4, completed: 2, dropped: 2, timedOut: 0, retries: 2, inFlight: 0, shed: 0 });
    expect(r.endToEnd.counts).toEqual({ arrived: 2, completed: 2, dropped: 0, timedOut: 0, retries: 2, inFlight: 0, shed: 0 });
    expect(r.endToEnd.responseHistogram.max).toBeCloseTo(2.5, 12); // 0.2 → 2.7
    expect(r.endToEnd.responseHistogram.min).toBeCloseTo(1, 12);
  });
});

describe('load shedding', () => {
  it('shedding when 3 or more wait turns an M/M/1 into an M/M/1/4', () => {
    const rs = replicas(
      {
        arrivals: [{ kind: 'poisson', rate: 0.9 }],
        stations: [station('api', exp(1), { shedding: { queueAbove: 3 } })],
        run: { stop: { kind: 'arrivals', arrivals: 300_000 }, warmup: { kind: 'arrivals', arrivals: 10_000 } },
      },
      3,
    );
    const t = mmck(0.9, 1, 1, 4);
    expectAnalytic(rs.map((r) => r.stations[0]!.dropFraction), t.block, 'shed fraction', 0.03);
    for (const r of rs) expect(r.stations[0]!.counts.shed).toBe(r.stations[0]!.counts.dropped);
  });

  it('maxQueueTime sheds requests that waited too long when a worker takes them', () => {
    const r = runReplica(
      {
        arrivals: [{ kind: 'poisson', rate: 0.95 }],
        stations: [station('api', exp(1), { shedding: { maxQueueTime: 2 } })],
        run: { stop: { kind: 'arrivals', arrivals: 100_000 } },
      },
      0,
      3,
    );
    const s = r.stations[0]!;
    expect(s.counts.shed).toBeGreaterThan(0);
    expect(s.waitHistogram.max).toBeLessThanOrEqual(2);
    expectConservation(r);
  });
});

describe('metastable failure', () => {
  it('a 20 s spike tips a half-loaded server with retries into a storm that outlives it; without retries it recovers', () => {
    // M/M/1 at ρ = 0.5 (λ = 5/s, μ = 10/s), 1 s client timeout: P(response > 1 s) = e^{−5} ≈ 0.7%, so retries are
    // rare. A spike of +15/s for 20 s builds a backlog; its requests time out, their retries (×4 with 3 retries) keep
    // the offered load above capacity after the spike ends, every request waits behind abandoned work and times out.
    const spec = (retries: number): SimSpec => ({
      arrivals: [{ kind: 'poisson', rate: 5 }, { kind: 'spikes', rate: 15, windows: [{ start: 300, duration: 20 }] }],
      stations: [station('api', exp(0.1))],
      client: { timeout: 1, retries: { max: retries, backoff: 0.1, maxBackoff: 1, jitter: 'full' } },
      run: { stop: { kind: 'time', time: 1200 }, seriesInterval: 100, maxInFlight: 20_000 },
    });
    const calm = runReplica(spec(0), 0, 3).series!;
    const storm = runReplica(spec(3), 0, 3).series!;
    const after = (xs: readonly number[]): number[] => xs.slice(4); // intervals ending at 500 s and later
    // Before the spike both runs serve the same traffic at about half utilisation.
    for (const s of [calm, storm]) {
      for (const u of s.stations[0]!.utilization.slice(0, 3)) expect(u).toBeLessThan(0.6);
      for (const ok of s.endToEnd.completions.slice(0, 3)) expect(ok / 100).toBeGreaterThan(4.5);
    }
    // Without retries the server is back to normal right after the spike.
    for (const u of after(calm.stations[0]!.utilization)) expect(u).toBeLessThan(0.7);
    for (const ok of after(calm.endToEnd.completions)) expect(ok / 100).toBeGreaterThan(4.5);
    // With retries it never comes back: saturated, about four attempts per request, almost no request succeeds.
    for (const u of after(storm.stations[0]!.utilization)) expect(u).toBeGreaterThan(0.99);
    for (const a of after(storm.stations[0]!.arrivals)) expect(a / 100).toBeGreaterThan(3 * 5);
    for (const ok of after(storm.endToEnd.completions)) expect(ok / 100).toBeLessThan(0.5);
  });
});
