/**
 * The fast loop (Simulation.runFast, for one station visited once, one Poisson source, one class, no client, failures,
 * autoscaling or series) is a hand-inlined copy of the general loop: for every model it accepts it must give exactly the
 * results of the general loop (`runReplica(..., 'general')`), down to the last bit of every figure and histogram count.
 * Explored over seeded random models covering what the fast loop still handles itself: per-node and shared queues,
 * several nodes under each balancer, finite capacities, shedding by queue length and by time in queue, exponential,
 * USL and non-exponential service, warm-up by arrivals and by time, stop by arrivals and by time, overload.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runReplica } from '../../src/sim/replica.js';
import { Simulation } from '../../src/sim/simulation.js';
import type { Distribution, SimSpec } from '../../src/sim/types.js';
import { createRng, type Rng } from '../../src/rng.js';

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.nextInt(xs.length)] as T;

function randomSimpleSpec(seed: number): SimSpec {
  const rng = createRng(seed, 4242);
  const nodes = rng.next() < 0.5 ? 1 : 1 + rng.nextInt(4);
  const c = 1 + rng.nextInt(8);
  const mean = 0.05 + 0.1 * rng.next();
  const usl = rng.next() < 0.15;
  const serviceTime = pick<Distribution>(rng, [
    { kind: 'exponential', mean },
    { kind: 'exponential', mean },
    { kind: 'lognormal', mean, cv: 1.5 },
    { kind: 'deterministic', value: mean },
  ]);
  const load = 0.5 + 0.6 * rng.next(); // offered load relative to capacity: some runs overloaded
  const stopByTime = rng.next() < 0.3;
  const warmup = pick(rng, ['none', 'arrivals', 'time'] as const);
  return {
    arrivals: [{ kind: 'poisson', rate: (load * nodes * c) / mean }],
    stations: [
      {
        name: 'api',
        nodes,
        workersPerNode: c,
        ...(usl ? { usl: { lambda: 1 / mean, sigma: 0.05, kappa: 0.001 } } : { serviceTime }),
        queue: rng.next() < 0.3 ? 'shared' : 'per-node',
        queueCapacity: rng.next() < 0.4 ? rng.nextInt(6) : undefined,
        balancer: pick(rng, ['round-robin', 'random', 'least-outstanding', 'power-of-two'] as const),
        shedding: rng.next() < 0.25 ? { queueAbove: 2 + rng.nextInt(5), maxQueueTime: rng.next() < 0.5 ? 2 * mean : undefined } : undefined,
      },
    ],
    run: {
      stop: stopByTime ? { kind: 'time', time: 200 * mean } : { kind: 'arrivals', arrivals: 3000 + rng.nextInt(3000) },
      ...(warmup === 'arrivals' ? { warmup: { kind: 'arrivals', arrivals: 500 } } : warmup === 'time' ? { warmup: { kind: 'time', time: 20 * mean } } : {}),
      sloTarget: 2 * mean,
      maxInFlight: 2000,
    },
  };
}

describe('fast loop', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('gives bit-identical results to the general loop on 60 random simple models (and is the loop they run)', () => {
    const fast = vi.spyOn(Simulation.prototype as unknown as { runFast(until: number): void }, 'runFast');
    for (let seed = 1; seed <= 60; seed++) {
      const spec = randomSimpleSpec(seed);
      const calls = fast.mock.calls.length;
      const a = runReplica(spec, seed % 3, seed);
      expect(fast.mock.calls.length, `seed ${seed}: fast loop used`).toBe(calls + 1);
      const b = runReplica(spec, seed % 3, seed, 'general');
      expect(fast.mock.calls.length, `seed ${seed}: general loop used`).toBe(calls + 1);
      expect(a.events, `seed ${seed}`).toBeGreaterThan(0);
      expect(a, `seed ${seed}: ${JSON.stringify(spec)}`).toStrictEqual(b);
    }
  });

  it('is not used when the model needs the general loop (two stations, a client, a series, two classes)', () => {
    const fast = vi.spyOn(Simulation.prototype as unknown as { runFast(until: number): void }, 'runFast');
    const base = randomSimpleSpec(1);
    const st = base.stations[0]!;
    const variants: SimSpec[] = [
      { ...base, stations: [st, { ...st, name: 'db' }], routing: { kind: 'path', stations: ['api', 'db'] } },
      { ...base, client: { timeout: 1 } },
      { ...base, run: { ...base.run, seriesInterval: 1 } },
      { ...base, classes: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }] },
    ];
    for (const spec of variants) runReplica(spec, 0, 1);
    expect(fast).not.toHaveBeenCalled();
  });
});
