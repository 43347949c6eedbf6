import { describe, expect, it } from 'vitest';
import { HeadroomError } from '../../src/errors.js';
import { runReplica } from '../../src/sim/replica.js';
import type { SimSpec } from '../../src/sim/types.js';
import { exp, station } from './helpers.js';
import { mmc } from './queueing-theory.js';

const mixed: SimSpec = {
  arrivals: [{ kind: 'poisson', rate: 40 }, { kind: 'mmpp', rates: [0, 30], meanDurations: [5, 1] }],
  classes: [{ name: 'read', weight: 3 }, { name: 'write', weight: 1, serviceTime: { db: { kind: 'lognormal', mean: 0.02, cv: 1 } } }],
  stations: [
    station('web', { kind: 'gamma', mean: 0.02, cv: 0.8 }, { nodes: 3, balancer: 'power-of-two', zones: ['a', 'b'] }),
    station('db', exp(0.01), { workersPerNode: 4, queueCapacity: 20 }),
  ],
  client: { timeout: 0.5, retries: { max: 2, backoff: 0.05, maxBackoff: 1, jitter: 'full' } },
  failures: [{ kind: 'zone-down', zone: 'b', at: 30, duration: 20 }, { kind: 'random', station: 'db', mtbf: 40, mttr: 3 }],
  run: { stop: { kind: 'time', time: 120 }, warmup: { kind: 'time', time: 10 }, sloTarget: 0.1, seriesInterval: 10 },
};

describe('runReplica', () => {
  it('is deterministic: the same (spec, replica, seed) gives bit-identical results', () => {
    const a = runReplica(mixed, 3, 99);
    const b = runReplica(mixed, 3, 99);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(b).toEqual(a);
    // Another replica index or seed is another random stream.
    expect(runReplica(mixed, 4, 99).endToEnd.counts.arrived).not.toBe(a.endToEnd.counts.arrived);
    expect(runReplica(mixed, 3, 100).endToEnd.counts.arrived).not.toBe(a.endToEnd.counts.arrived);
  });

  it('returns plain data that survives structured clone and JSON', () => {
    const r = runReplica(mixed, 0, 1);
    expect(structuredClone(r)).toEqual(r);
    const json = JSON.parse(JSON.stringify(r));
    expect(json.stations.map((s: { name: string }) => s.name)).toEqual(['web', 'db']);
    for (const k of ['utilization', 'meanWait', 'meanResponse', 'p50Response', 'p95Response', 'p99Response', 'throughput', 'dropFraction', 'meanQueueLength']) {
      expect(typeof json.stations[0][k], k).toBe('number');
      expect(typeof json.endToEnd[k], k).toBe('number');
    }
    expect(r.series!.t).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]);
    expect(r.endToEnd.sloAttainment).toBeGreaterThan(0);
    expect(r.endToEnd.sloAttainment).toBeLessThanOrEqual(1);
    expect(r.warmupEnd).toBe(10);
    expect(r.measuredTime).toBe(110);
  });

  it('stops early on an unstable system and reports the queue growth and the offered utilisation', () => {
    // M/M/1 with λ = 12, μ = 10: the backlog grows at λ − μ = 2 per second; offered utilisation 1.2.
    const r = runReplica(
      { arrivals: [{ kind: 'poisson', rate: 12 }], stations: [station('api', exp(0.1))], run: { stop: { kind: 'time', time: 1e6 }, maxInFlight: 4000 } },
      0,
      7,
    );
    expect(r.unstable).not.toBeNull();
    const u = r.unstable!;
    expect(u.bottleneck).toBe('api');
    expect(u.inFlight).toBe(4000);
    expect(r.endTime).toBe(u.stoppedAt);
    expect(r.endTime).toBeLessThan(1e6);
    expect(Math.abs(u.queueGrowthPerSecond - 2) / 2).toBeLessThan(0.2);
    expect(Math.abs(u.utilizationEstimate - 1.2) / 1.2).toBeLessThan(0.03);
  });

  it('rejects an inconsistent spec with one error naming every bad field', () => {
    const bad = {
      arrivals: [{ kind: 'poisson', rate: -1 }],
      stations: [station('api', exp(0.1), { nodes: 0 }), station('api', exp(0.1))],
      routing: { kind: 'path', stations: ['api', 'db'] },
      failures: [{ kind: 'zone-down', zone: 'x', at: 0, duration: 1 }],
      run: { stop: { kind: 'time', time: 10 }, warmup: { kind: 'time', time: 20 } },
    } as SimSpec;
    let err: unknown;
    try {
      runReplica(bad, 0, 1);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HeadroomError);
    expect((err as HeadroomError).code).toBe('CONFIG_INVALID');
    expect((err as HeadroomError).exitCode).toBe(2);
    expect((err as HeadroomError).message).toBe(
      'invalid simulation spec: stations[0].nodes: expected a positive integer, got 0; ' +
        'stations[1].name: expected a station name not used before, got "api"; ' +
        'arrivals[0].rate: expected a non-negative rate, got -1; ' +
        'routing.stations[1]: expected a station (api), got "db"; ' +
        'failures[0].zone: expected a zone, but no station has zones, got "x"; ' +
        'run.warmup.time: expected a warm-up shorter than run.duration (10 s), got "20 s"',
    );
  });
});

describe('runReplica edge cases', () => {
  it('a run stopped by arrivals ends when a short trace runs dry, even with periodic events pending', () => {
    const r = runReplica(
      {
        arrivals: [{ kind: 'trace', times: [1, 2, 3] }],
        stations: [station('api', { kind: 'deterministic', value: 0.5 }, { autoscaling: { targetUtilization: 0.5, interval: 1, scaleUpDelay: 0, cooldown: 0, minNodes: 1, maxNodes: 2 } })],
        failures: [{ kind: 'random', station: 'api', mtbf: 1000, mttr: 1 }],
        run: { stop: { kind: 'arrivals', arrivals: 10 }, seriesInterval: 1 },
      },
      0,
      1,
    );
    expect(r.endToEnd.counts).toEqual({ arrived: 3, completed: 3, dropped: 0, timedOut: 0, retries: 0, inFlight: 0, shed: 0 });
    expect(r.endTime).toBe(4); // the first periodic event after the last departure at 3.5
  });

  it('USL with σ = κ = 0 is linear scaling: a node of c workers is an M/M/c (Erlang C)', () => {
    // X(k) = λ₁k, so each of k busy workers serves at λ₁: exponential service with mean 1/λ₁.
    const lambda = 3.2;
    const rs = [0, 1].map((i) =>
      runReplica(
        {
          arrivals: [{ kind: 'poisson', rate: lambda }],
          stations: [{ name: 'q', nodes: 1, workersPerNode: 4, usl: { lambda: 1, sigma: 0, kappa: 0 }, queue: 'per-node', balancer: 'round-robin' }],
          run: { stop: { kind: 'arrivals', arrivals: 300_000 }, warmup: { kind: 'arrivals', arrivals: 10_000 } },
        },
        i,
        5,
      ),
    );
    const wq = mmc(lambda, 1, 4).Wq;
    const mean = (rs[0]!.stations[0]!.meanWait + rs[1]!.stations[0]!.meanWait) / 2;
    expect(Math.abs(mean - wq) / wq).toBeLessThan(0.05);
  });

  it('USL contention (σ > 0) slows service as more workers are busy', () => {
    const spec = (sigma: number): SimSpec => ({
      arrivals: [{ kind: 'poisson', rate: 2 }],
      stations: [{ name: 'q', nodes: 1, workersPerNode: 4, usl: { lambda: 1, sigma, kappa: 0.01 }, queue: 'per-node', balancer: 'round-robin' }],
      run: { stop: { kind: 'arrivals', arrivals: 50_000 } },
    });
    const a = runReplica(spec(0), 0, 5).stations[0]!;
    const b = runReplica(spec(0.2), 0, 5).stations[0]!;
    expect(b.meanResponse).toBeGreaterThan(a.meanResponse * 1.1);
    expect(b.utilization).toBeGreaterThan(a.utilization);
  });
});
