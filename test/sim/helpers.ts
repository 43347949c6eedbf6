import { expect } from 'vitest';
import { runReplica } from '../../src/sim/replica.js';
import type { Distribution, ReplicaResult, SimSpec, StationSpec } from '../../src/sim/types.js';
import { ci95 } from './queueing-theory.js';

/** A station with defaults for the tests: one node, per-node queue, round-robin. */
export function station(name: string, serviceTime: Distribution, extra: Partial<StationSpec> = {}): StationSpec {
  return { name, nodes: 1, workersPerNode: 1, serviceTime, queue: 'per-node', balancer: 'round-robin', ...extra };
}

export const exp = (mean: number): Distribution => ({ kind: 'exponential', mean });

/** Run replicas 0..R−1 of `spec` with `seed`. */
export function replicas(spec: SimSpec, R: number, seed = 2024): ReplicaResult[] {
  return Array.from({ length: R }, (_, i) => runReplica(spec, i, seed));
}

/**
 * The acceptance bar: the mean over replicas is within `tol` (2%) of the analytic value, and the analytic value is inside
 * the replicas' 95% confidence interval.
 */
export function expectAnalytic(values: readonly number[], truth: number, label: string, tol = 0.02): void {
  const { mean, lo, hi } = ci95(values);
  const detail = `${label}: mean ${mean.toPrecision(6)} CI [${lo.toPrecision(6)}, ${hi.toPrecision(6)}] vs analytic ${truth.toPrecision(6)}`;
  expect(Math.abs(mean - truth) / truth, detail).toBeLessThanOrEqual(tol);
  expect(truth >= lo && truth <= hi, detail).toBe(true);
}

/** Share of recorded waits that were zero (bucket 0 of the wait histogram holds values below 2^-30 s). */
export function zeroWaitShare(r: ReplicaResult, i = 0): number {
  const h = r.stations[i]!.waitHistogram;
  return h.indices[0] === 0 ? h.counts[0]! / h.count : 0;
}

/** Conservation, per station and end to end: arrived = completed + dropped + timed out + in flight. */
export function expectConservation(r: ReplicaResult, label = ''): void {
  for (const s of r.stations) {
    const c = s.counts;
    expect(c.completed + c.dropped + c.timedOut + c.inFlight, `${label} station ${s.name} ${JSON.stringify(c)}`).toBe(c.arrived);
  }
  const e = r.endToEnd.counts;
  expect(e.completed + e.dropped + e.timedOut + e.inFlight, `${label} end to end ${JSON.stringify(e)}`).toBe(e.arrived);
}
