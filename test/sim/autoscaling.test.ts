import { describe, expect, it } from 'vitest';
import { runReplica } from '../../src/sim/replica.js';
import type { SimSpec } from '../../src/sim/types.js';
import { exp, expectConservation, station } from './helpers.js';

/**
 * One node of capacity 10/s under 25/s: the autoscaler (target 0.7, every 5 s, nodes ready 20 s after the decision,
 * 30 s cooldown) decides at t = 5 (u = 1 → ceil(1/0.7) = 2 nodes), the node serves from t = 25; next decision at
 * t = 35 (u = 1 on 2 nodes → 3), ready at 55; from 65 on, 3 nodes run at u ≈ 0.83 → ceil(3·0.83/0.7) = 4 or more.
 */
const spec: SimSpec = {
  arrivals: [{ kind: 'poisson', rate: 25 }],
  stations: [
    station('api', exp(0.1), {
      balancer: 'least-outstanding',
      autoscaling: { targetUtilization: 0.7, interval: 5, scaleUpDelay: 20, cooldown: 30, minNodes: 1, maxNodes: 6 },
    }),
  ],
  run: { stop: { kind: 'time', time: 400 }, seriesInterval: 1, maxInFlight: 1_000_000 },
};

describe('autoscaling', () => {
  it('adds nodes only after the scale-up delay, one decision per cooldown, and ends with enough capacity', () => {
    const r = runReplica(spec, 0, 4);
    const nodes = r.series!.stations[0]!.nodes.map((x) => Number(x.toFixed(9)));
    const t = r.series!.t;
    const at = (time: number): number => nodes[t.indexOf(time)]!;
    for (let s = 1; s <= 25; s++) expect(at(s), `t=${s}`).toBe(1);
    for (let s = 26; s <= 55; s++) expect(at(s), `t=${s}`).toBe(2);
    expect(at(56)).toBe(3);
    // Capacity after scaling exceeds the load: the station ends with ≥ 3 nodes and well below saturation.
    const end = r.stations[0]!.nodesAtEnd;
    expect(end).toBeGreaterThanOrEqual(3);
    expect(end).toBeLessThanOrEqual(6);
    const lastUtil = r.series!.stations[0]!.utilization.slice(-50);
    expect(lastUtil.reduce((a, b) => a + b, 0) / lastUtil.length).toBeLessThan(0.9);
    // Node counts change only at decision time + delay: decisions happen at multiples of 5 s.
    for (let i = 1; i < nodes.length; i++) {
      if (nodes[i] !== nodes[i - 1]) expect((t[i - 1]! - 20) % 5, `change in (${t[i - 1]}, ${t[i]}]`).toBe(0);
    }
    expectConservation(r);
  });

  it('scales down to minNodes when the load goes away', () => {
    const r = runReplica(
      {
        ...spec,
        arrivals: [{ kind: 'profile', interpolation: 'step', points: [{ t: 0, rate: 25 }, { t: 200, rate: 1 }] }],
        run: { stop: { kind: 'time', time: 600 }, seriesInterval: 10 },
      },
      0,
      4,
    );
    const nodes = r.series!.stations[0]!.nodes;
    expect(Math.max(...nodes)).toBeGreaterThanOrEqual(3);
    expect(r.stations[0]!.nodesAtEnd).toBe(1);
    expectConservation(r);
  });
});
