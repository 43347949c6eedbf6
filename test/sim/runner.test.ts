import { describe, expect, it } from 'vitest';
import { HeadroomError, openSimPool, runReplicas, simulate } from '../../src/internal.js';
import type { SimSpec } from '../../src/sim/types.js';

// A small M/M/2 at utilisation 0.8 followed by an M/M/1 at 0.5: quick, but with enough randomness that any
// difference in which stream a replica draws from would show in every digit.
const spec: SimSpec = {
  arrivals: [{ kind: 'poisson', rate: 160 }],
  stations: [
    { name: 'api', nodes: 1, workersPerNode: 2, serviceTime: { kind: 'exponential', mean: 0.01 }, queue: 'per-node', balancer: 'round-robin' },
    { name: 'db', nodes: 1, workersPerNode: 1, serviceTime: { kind: 'lognormal', mean: 0.003, cv: 2 }, queue: 'per-node', balancer: 'round-robin' },
  ],
  run: { stop: { kind: 'arrivals', arrivals: 10_000 }, warmup: { kind: 'arrivals', arrivals: 1_000 }, sloTarget: 0.05 },
};

describe('parallel replica runner (real piscina pool)', () => {
  it('gives the same JSON in-process and with 1, 2 and 8 worker threads', async () => {
    const opts = { replicas: 8, seed: 3 };
    const reference = JSON.stringify(await simulate(spec, { ...opts, inProcess: true }));
    // workers: 1 with inProcess: false forces a pool of one thread (by default one worker runs in-process).
    for (const workers of [1, 2, 8]) {
      const progress: number[] = [];
      const s = await simulate(spec, { ...opts, workers, inProcess: false, onReplicaDone: (done, total) => progress.push(done * 100 + total) });
      expect(JSON.stringify(s)).toBe(reference);
      expect(progress).toEqual([108, 208, 308, 408, 508, 608, 708, 808]);
    }
    const parsed = JSON.parse(reference) as { replicas: number; seed: number; stations: Record<string, unknown> };
    expect(parsed.replicas).toBe(8);
    expect(parsed.seed).toBe(3);
    expect(Object.keys(parsed.stations)).toEqual(['api', 'db']);
  });

  it('seeds replica i from (seed, i) only: replicas differ from each other, and a run of 3 is the first 3 of a run of 5', async () => {
    const five = await runReplicas(spec, { replicas: 5, seed: 11, workers: 2 });
    const three = await runReplicas(spec, { replicas: 3, seed: 11, inProcess: true });
    expect(five.map((r) => r.replicaIndex)).toEqual([0, 1, 2, 3, 4]);
    expect(JSON.stringify(three)).toBe(JSON.stringify(five.slice(0, 3)));
    expect(new Set(five.map((r) => r.stations[0]!.meanWait)).size).toBe(5);
    const other = await runReplicas(spec, { replicas: 1, seed: 12, inProcess: true });
    expect(other[0]!.stations[0]!.meanWait).not.toBe(five[0]!.stations[0]!.meanWait);
  });

  it('keeps one pool open across simulations with the same numbers as a one-shot run', async () => {
    const pool = openSimPool({ workers: 2 });
    const other: SimSpec = { ...spec, arrivals: [{ kind: 'poisson', rate: 120 }] };
    try {
      for (const s of [spec, other, spec]) {
        const pooled = await pool.simulate(s, { replicas: 3, seed: 9 });
        expect(JSON.stringify(pooled)).toBe(JSON.stringify(await simulate(s, { replicas: 3, seed: 9, inProcess: true })));
      }
      expect(pool.workers).toBe(2);
    } finally {
      await pool.close();
    }
    await expect(pool.simulate(spec, { replicas: 1, seed: 1 })).rejects.toThrow('openSimPool: the pool is closed');
    expect(() => openSimPool({ workers: 0 })).toThrow('openSimPool: options.workers must be a positive integer, got 0');
  });

  it('rethrows a replica error as a HeadroomError with its code on the calling thread', async () => {
    const bad: SimSpec = { ...spec, stations: [{ ...spec.stations[0]!, nodes: 0 }, spec.stations[1]!] };
    const err = await simulate(bad, { replicas: 2, seed: 1, workers: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HeadroomError);
    expect((err as HeadroomError).code).toBe('CONFIG_INVALID');
    expect((err as HeadroomError).exitCode).toBe(2);
    expect((err as HeadroomError).message).toMatch(/stations\[0\]\.nodes: expected a positive integer, got 0/);
  });

  it('rejects bad options with a message naming the option', async () => {
    await expect(simulate(spec, { replicas: 0, seed: 1 })).rejects.toThrow('simulate: options.replicas must be a positive integer, got 0');
    await expect(simulate(spec, { replicas: 2, seed: -1 })).rejects.toThrow('simulate: options.seed must be a non-negative integer, got -1');
    await expect(simulate(spec, { replicas: 2, seed: 1, workers: 1.5 })).rejects.toThrow('simulate: options.workers must be a positive integer, got 1.5');
  });
});
