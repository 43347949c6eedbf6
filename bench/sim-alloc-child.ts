/**
 * Child process of bench/sim-memory.bench.ts: what the event loop allocates, per event, measured with V8's sampling
 * heap profiler including objects already collected by minor and major GCs (inspector HeapProfiler.startSampling).
 * Prints one JSON line: bytes per event in total and by function (top 6), for a warmed-up M/M/16 replica.
 * Usage: node --import tsx bench/sim-alloc-child.ts <arrivals>
 */
import { Session } from 'node:inspector';
import { runReplica } from '../src/sim/replica.js';
import type { SimSpec } from '../src/sim/types.js';

const arrivals = Number(process.argv[2] ?? 1_000_000);
const spec: SimSpec = {
  arrivals: [{ kind: 'poisson', rate: 14.4 }],
  stations: [{ name: 'mmc', nodes: 1, workersPerNode: 16, serviceTime: { kind: 'exponential', mean: 1 }, queue: 'per-node', balancer: 'round-robin' }],
  run: { stop: { kind: 'arrivals', arrivals } },
};

interface ProfileNode {
  callFrame: { functionName: string; url: string };
  selfSize: number;
  children: ProfileNode[];
}

runReplica(spec, 0, 1); // optimise the loop first
const session = new Session();
session.connect();
const post = <T>(method: string, params: object = {}): Promise<T> =>
  new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r as T))));
await post('HeapProfiler.enable');
await post('HeapProfiler.startSampling', { samplingInterval: 512, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
const r = runReplica(spec, 0, 2);
const { profile } = await post<{ profile: { head: ProfileNode } }>('HeapProfiler.stopSampling');
session.disconnect();
const byFunction = new Map<string, number>();
const walk = (n: ProfileNode): void => {
  const file = n.callFrame.url.split('/').pop() ?? '';
  const k = `${n.callFrame.functionName || '(anonymous)'} (${file})`;
  byFunction.set(k, (byFunction.get(k) ?? 0) + n.selfSize);
  n.children.forEach(walk);
};
walk(profile.head);
const total = [...byFunction.values()].reduce((a, b) => a + b, 0);
const top = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([f, b]) => [f, b / r.events] as const);
console.log(JSON.stringify({ events: r.events, bytesPerEvent: total / r.events, top }));
