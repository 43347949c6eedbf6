/**
 * Balancers over per-node queues. Two of them have exact answers: a random split of a Poisson stream gives each of N
 * nodes a Poisson(λ/N) stream (an M/M/1 each), and round-robin gives each node Erlang(N, λ) inter-arrival times
 * (an E_N/M/1, solved as GI/M/1). The queue-aware ones (least-outstanding, power-of-two) have no closed form; they
 * must do better than the blind ones, least-outstanding best.
 */
import { describe, expect, it } from 'vitest';
import type { Balancer, SimSpec } from '../../src/sim/types.js';
import { exp, expectAnalytic, expectConservation, replicas, station } from './helpers.js';
import { giM1, mm1 } from './queueing-theory.js';

const lambda = 3.2;
const N = 4;
const spec = (balancer: Balancer): SimSpec => ({
  arrivals: [{ kind: 'poisson', rate: lambda }],
  stations: [station('api', exp(1), { nodes: N, balancer })],
  run: { stop: { kind: 'arrivals', arrivals: 400_000 }, warmup: { kind: 'arrivals', arrivals: 20_000 } },
});

/** Replicas per balancer, computed once and shared by the tests (each test still runs alone). */
const cache = new Map<Balancer, ReturnType<typeof replicas>>();
const runs = (b: Balancer, R = 3): ReturnType<typeof replicas> => {
  const hit = cache.get(b);
  if (hit && hit.length >= R) return hit;
  const rs = replicas(spec(b), R);
  cache.set(b, rs);
  return rs;
};

describe('balancers', () => {
  it('random: each node is an M/M/1 at λ/N', () => {
    const rs = runs('random');
    expectAnalytic(rs.map((r) => r.stations[0]!.meanResponse), mm1(lambda / N, 1).W, 'W random', 0.03);
    for (const r of rs) expectConservation(r);
  });

  it('round-robin: each node is an E_N/M/1 (GI/M/1 with Erlang inter-arrivals)', () => {
    const rs = runs('round-robin');
    const t = giM1((s) => Math.pow(lambda / (lambda + s), N), 1);
    expectAnalytic(rs.map((r) => r.stations[0]!.meanResponse), t.W, 'W round-robin', 0.03);
    expectAnalytic(rs.map((r) => r.stations[0]!.meanWait), t.Wq, 'Wq round-robin', 0.03);
  });

  it('queue-aware balancers beat the blind ones: least-outstanding < power-of-two < random', () => {
    const w = (b: Balancer): number => runs(b, 1)[0]!.stations[0]!.meanResponse;
    const lo = w('least-outstanding');
    const p2 = w('power-of-two');
    expect(lo).toBeLessThan(p2);
    expect(p2).toBeLessThan(w('random'));
    expect(lo).toBeLessThan(w('round-robin'));
    // With 4 nodes × 1 worker, no balancer can beat one shared queue (M/M/4), the lower bound.
    const shared = replicas({ ...spec('round-robin'), stations: [station('api', exp(1), { nodes: N, queue: 'shared' })] }, 1)[0]!.stations[0]!.meanResponse;
    expect(shared).toBeLessThan(lo);
  });
});
