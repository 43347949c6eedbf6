/**
 * Property: in every run, per station and end to end, arrived = completed + dropped + timed out + in flight, where
 * "in flight" is counted from the request pools at the end (not derived from the other counters). Explored over
 * randomly generated models (seeded) that mix everything: several stations, shared and per-node queues, finite
 * capacities, every balancer, probabilistic routing, timeouts, retries, shedding, node and zone failures, random
 * failures, degraded nodes and autoscaling, stopped by time or by arrivals.
 */
import { describe, expect, it } from 'vitest';
import { runReplica } from '../../src/sim/replica.js';
import type { Distribution, FailureSpec, SimSpec, StationSpec } from '../../src/sim/types.js';
import { createRng, type Rng } from '../../src/rng.js';
import { expectConservation } from './helpers.js';

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.nextInt(xs.length)] as T;

function randomDistribution(rng: Rng, mean: number): Distribution {
  return pick<Distribution>(rng, [
    { kind: 'exponential', mean },
    { kind: 'deterministic', value: mean },
    { kind: 'lognormal', mean, cv: 1.5 },
    { kind: 'gamma', mean, cv: 0.7 },
    { kind: 'erlang', mean, k: 3 },
    { kind: 'pareto', mean, alpha: 2.2 },
    { kind: 'uniform', min: 0, max: 2 * mean },
    { kind: 'empirical', samples: [mean / 2, mean, 1.5 * mean] },
  ]);
}

function randomSpec(seed: number): SimSpec {
  const rng = createRng(seed, 777);
  const ns = 1 + rng.nextInt(3);
  const stations: StationSpec[] = [];
  for (let i = 0; i < ns; i++) {
    const nodes = 1 + rng.nextInt(4);
    const c = 1 + rng.nextInt(3);
    stations.push({
      name: `s${i}`,
      nodes,
      workersPerNode: c,
      serviceTime: randomDistribution(rng, 0.05 + 0.1 * rng.next()),
      queue: rng.next() < 0.3 ? 'shared' : 'per-node',
      queueCapacity: rng.next() < 0.5 ? rng.nextInt(6) : undefined,
      balancer: pick(rng, ['round-robin', 'random', 'least-outstanding', 'power-of-two'] as const),
      shedding: rng.next() < 0.2 ? { queueAbove: 3 + rng.nextInt(5), maxQueueTime: rng.next() < 0.5 ? 0.2 : undefined } : undefined,
      zones: ['a', 'b'],
      autoscaling:
        rng.next() < 0.3
          ? { targetUtilization: 0.6, interval: 1, scaleUpDelay: 2 * rng.next(), cooldown: 3, minNodes: 1, maxNodes: nodes + 3 }
          : undefined,
    });
  }
  const failures: FailureSpec[] = [];
  if (rng.next() < 0.5) failures.push({ kind: 'node-down', station: 's0', node: 0, at: 5 * rng.next(), duration: 5 * rng.next() + 0.1 });
  if (rng.next() < 0.4) failures.push({ kind: 'zone-down', zone: 'b', at: 10 * rng.next(), duration: 5 });
  if (rng.next() < 0.4) failures.push({ kind: 'random', station: pick(rng, stations).name, mtbf: 5, mttr: 1 });
  if (rng.next() < 0.4) failures.push({ kind: 'degraded', station: 's0', node: 0, at: 2, duration: 10, slowdown: 3 });
  const network = ns > 1 && rng.next() < 0.5;
  const load = 0.5 + rng.next(); // total offered load relative to the first station's capacity: some runs overloaded
  const cap0 = (stations[0]!.nodes * stations[0]!.workersPerNode) / 0.1;
  return {
    arrivals: [{ kind: 'poisson', rate: load * cap0 }, ...(rng.next() < 0.3 ? [{ kind: 'mmpp' as const, rates: [0, cap0], meanDurations: [3, 1] }] : [])],
    classes:
      rng.next() < 0.5
        ? [
            { name: 'x', weight: 2 },
            {
              name: 'y',
              weight: 1,
              serviceTime: { s0: { kind: 'exponential', mean: 0.02 } },
              routing: rng.next() < 0.5 ? { kind: 'path', stations: [stations[ns - 1]!.name, 's0'] } : undefined,
            },
          ]
        : undefined,
    stations,
    routing: network
      ? { kind: 'network', entry: [{ station: 's0', p: 1 }], next: { s0: [{ station: 's1', p: 0.6 }], s1: [{ station: 's0', p: 0.2 }] } }
      : undefined,
    client:
      rng.next() < 0.6
        ? {
            timeout: rng.next() < 0.7 ? 0.2 + rng.next() : undefined,
            retries: rng.next() < 0.7 ? { max: rng.nextInt(4), backoff: 0.05, maxBackoff: 1, jitter: pick(rng, ['none', 'full', 'equal'] as const) } : undefined,
          }
        : undefined,
    failures,
    run: {
      stop: rng.next() < 0.5 ? { kind: 'time', time: 20 } : { kind: 'arrivals', arrivals: 1500 },
      warmup: rng.next() < 0.5 ? { kind: 'time', time: 2 } : { kind: 'arrivals', arrivals: 100 },
      sloTarget: 0.3,
      seriesInterval: rng.next() < 0.3 ? 1 : undefined,
      maxInFlight: 3000,
    },
  };
}

describe('conservation of requests', () => {
  it('holds per station and end to end over 80 random models with retries, timeouts, failures and scaling', () => {
    let sawDrops = 0;
    let sawTimeouts = 0;
    let sawRetries = 0;
    let sawInFlight = 0;
    for (let seed = 1; seed <= 80; seed++) {
      const spec = randomSpec(seed);
      const r = runReplica(spec, seed % 3, seed);
      expectConservation(r, `seed ${seed}`);
      const e = r.endToEnd.counts;
      if (spec.run.stop.kind === 'arrivals' && r.unstable === null) expect(e.arrived).toBe(spec.run.stop.arrivals);
      for (const s of r.stations) {
        expect(s.counts.shed).toBeLessThanOrEqual(s.counts.dropped);
        expect(s.utilization).toBeGreaterThanOrEqual(0);
      }
      sawDrops += e.dropped > 0 ? 1 : 0;
      sawTimeouts += e.timedOut > 0 ? 1 : 0;
      sawRetries += e.retries > 0 ? 1 : 0;
      sawInFlight += e.inFlight > 0 ? 1 : 0;
    }
    // The generator reaches every outcome, so the property was tested where it can break.
    expect(sawDrops).toBeGreaterThan(10);
    expect(sawTimeouts).toBeGreaterThan(10);
    expect(sawRetries).toBeGreaterThan(10);
    expect(sawInFlight).toBeGreaterThan(10);
  });
});
