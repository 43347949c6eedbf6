/**
 * Failures against closed forms: with a random balancer each of two nodes sees a Poisson half of the traffic, so a
 * per-node M/M/1 with queue capacity 4 is an M/M/1/5 per node; with one zone down for the whole run the survivor takes
 * all of it (M/M/1/5 at twice the load): throughput is capped at half the fleet's capacity and drops appear exactly as
 * M/M/1/K blocking says.
 */
import { describe, expect, it } from 'vitest';
import type { SimSpec } from '../../src/sim/types.js';
import { exp, expectAnalytic, expectConservation, replicas, station } from './helpers.js';
import { mm1, mmc, mmck } from './queueing-theory.js';

const base: SimSpec = {
  arrivals: [{ kind: 'poisson', rate: 1.6 }],
  stations: [station('api', exp(1), { nodes: 2, balancer: 'random', queueCapacity: 4, zones: ['a', 'b'] })],
  run: { stop: { kind: 'arrivals', arrivals: 300_000 }, warmup: { kind: 'arrivals', arrivals: 10_000 } },
};

describe('failures', () => {
  it('one of two zones down: throughput and drops move from M/M/1/5 at λ/2 per node to M/M/1/5 at λ', () => {
    const healthy = replicas(base, 3);
    const down = replicas({ ...base, failures: [{ kind: 'zone-down', zone: 'b', at: 0, duration: 1e9 }] }, 3);
    const h = mmck(0.8, 1, 1, 5);
    const d = mmck(1.6, 1, 1, 5);
    expectAnalytic(healthy.map((r) => r.stations[0]!.throughput), 2 * h.throughput, 'healthy throughput', 0.03);
    expectAnalytic(healthy.map((r) => r.stations[0]!.dropFraction), h.block, 'healthy drop fraction', 0.05);
    expectAnalytic(down.map((r) => r.stations[0]!.throughput), d.throughput, 'zone-down throughput', 0.03);
    expectAnalytic(down.map((r) => r.stations[0]!.dropFraction), d.block, 'zone-down drop fraction', 0.03);
    expectAnalytic(down.map((r) => r.stations[0]!.meanResponse), d.W, 'zone-down W', 0.03);
    for (const r of down) {
      expect(r.stations[0]!.meanNodes).toBe(1);
      expect(r.stations[0]!.nodesAtEnd).toBe(1);
      expectConservation(r);
    }
  });

  it('a zone down at peak for a window: drops and latency rise inside the window only (series)', () => {
    const r = replicas(
      {
        ...base,
        failures: [{ kind: 'zone-down', zone: 'a', at: 10_000, duration: 10_000 }],
        run: { stop: { kind: 'time', time: 30_000 }, seriesInterval: 10_000 },
      },
      1,
    )[0]!;
    const s = r.series!.stations[0]!;
    expect(r.series!.t).toEqual([10_000, 20_000, 30_000]);
    expect(s.nodes.map((x) => Number(x.toFixed(9)))).toEqual([2, 1, 2]); // time-averaged nodes up per interval
    const dropRate = s.drops.map((x, i) => x / s.arrivals[i]!);
    // M/M/1/5 blocking at λ/2 per node outside the window, at λ on the survivor inside it (0.089 → 0.399).
    const h = mmck(0.8, 1, 1, 5).block;
    const d = mmck(1.6, 1, 1, 5).block;
    expect(Math.abs(dropRate[0]! - h) / h).toBeLessThan(0.1);
    expect(Math.abs(dropRate[1]! - d) / d).toBeLessThan(0.05);
    expect(Math.abs(dropRate[2]! - h) / h).toBeLessThan(0.1);
    const wh = mmck(0.8, 1, 1, 5).W;
    const wd = mmck(1.6, 1, 1, 5).W;
    expect(Math.abs(s.meanResponse[0]! - wh) / wh).toBeLessThan(0.05);
    expect(Math.abs(s.meanResponse[1]! - wd) / wd).toBeLessThan(0.05);
    expect(s.meanResponse[1]!).toBeGreaterThan(s.meanResponse[0]!);
    // Requests held by the failed node are lost: they count as dropped, and conservation still holds.
    expectConservation(r);
  });

  it('a shared queue over 4 nodes × 2 workers with one zone down is an M/M/4 (Erlang C), and all of it serves after repair', () => {
    const shared = (failure: SimSpec['failures']): SimSpec => ({
      arrivals: [{ kind: 'poisson', rate: 3 }],
      stations: [station('api', exp(1), { nodes: 4, workersPerNode: 2, queue: 'shared', zones: ['a', 'b'] })],
      failures: failure,
      run: { stop: { kind: 'arrivals', arrivals: 200_000 }, warmup: { kind: 'arrivals', arrivals: 10_000 } },
    });
    const rs = replicas(shared([{ kind: 'zone-down', zone: 'b', at: 0, duration: 1e9 }]), 3);
    expectAnalytic(rs.map((r) => r.stations[0]!.meanWait), mmc(3, 1, 4).Wq, 'Wq with zone b down', 0.04);
    // Down for the first 10 000 s only, then the whole fleet is back: the measured window after 20 000 s is an M/M/8.
    const back = replicas({ ...shared([{ kind: 'zone-down', zone: 'b', at: 0, duration: 10_000 }]), run: { stop: { kind: 'time', time: 80_000 }, warmup: { kind: 'time', time: 20_000 } } }, 3);
    expectAnalytic(back.map((r) => r.stations[0]!.meanWait), mmc(3, 1, 8).Wq, 'Wq after repair', 0.06);
    for (const r of [...rs, ...back]) expectConservation(r);
  });

  it('random failures: time-averaged nodes up = N · MTBF / (MTBF + MTTR)', () => {
    const r = replicas(
      {
        arrivals: [{ kind: 'poisson', rate: 1 }],
        stations: [station('api', exp(0.1), { nodes: 10 })],
        failures: [{ kind: 'random', station: 'api', mtbf: 90, mttr: 10 }],
        run: { stop: { kind: 'time', time: 200_000 } },
      },
      1,
    )[0]!;
    expect(Math.abs(r.stations[0]!.meanNodes - 9) / 9).toBeLessThan(0.01);
  });

  it('a degraded node (slowdown 2) is an M/M/1 at half the service rate', () => {
    const rs = replicas(
      {
        arrivals: [{ kind: 'poisson', rate: 0.3 }],
        stations: [station('api', exp(1))],
        failures: [{ kind: 'degraded', station: 'api', node: 0, at: 0, duration: 1e9, slowdown: 2 }],
        run: { stop: { kind: 'arrivals', arrivals: 300_000 }, warmup: { kind: 'arrivals', arrivals: 10_000 } },
      },
      3,
    );
    expectAnalytic(rs.map((r) => r.stations[0]!.meanResponse), mm1(0.3, 0.5).W, 'W', 0.03);
  });
});
