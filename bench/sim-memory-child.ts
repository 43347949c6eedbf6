/**
 * Child process of bench/sim-memory.bench.ts: runs one replica of a named model with the given number of arrivals and
 * prints one JSON line with its peak resident set size (getrusage ru_maxrss via process.resourceUsage()) and heap use.
 * Usage: node --import tsx bench/sim-memory-child.ts <mmc|tiers> <arrivals>
 */
import { runReplica } from '../src/sim/replica.js';
import type { SimSpec } from '../src/sim/types.js';

const model = process.argv[2] ?? 'mmc';
const arrivals = Number(process.argv[3] ?? 1_000_000);

const specs: Record<string, SimSpec> = {
  // The events benchmark's model: M/M/16 at utilisation 0.9.
  mmc: {
    arrivals: [{ kind: 'poisson', rate: 14.4 }],
    stations: [{ name: 'mmc', nodes: 1, workersPerNode: 16, serviceTime: { kind: 'exponential', mean: 1 }, queue: 'per-node', balancer: 'round-robin' }],
    run: { stop: { kind: 'arrivals', arrivals }, warmup: { kind: 'arrivals', arrivals: Math.floor(arrivals / 100) }, sloTarget: 1 },
  },
  // Three tiers with classes, timeouts, retries, random failures and a series: every pool and queue in use.
  tiers: {
    arrivals: [{ kind: 'poisson', rate: 300 }],
    classes: [{ name: 'read', weight: 4 }, { name: 'write', weight: 1, serviceTime: { db: { kind: 'lognormal', mean: 0.004, cv: 1.5 } } }],
    stations: [
      { name: 'web', nodes: 4, workersPerNode: 8, serviceTime: { kind: 'gamma', mean: 0.05, cv: 0.7 }, queue: 'per-node', balancer: 'least-outstanding', queueCapacity: 100 },
      { name: 'api', nodes: 3, workersPerNode: 4, serviceTime: { kind: 'lognormal', mean: 0.02, cv: 1.2 }, queue: 'shared', balancer: 'round-robin' },
      { name: 'db', nodes: 1, workersPerNode: 2, serviceTime: { kind: 'exponential', mean: 0.002 }, queue: 'per-node', balancer: 'round-robin' },
    ],
    client: { timeout: 0.5, retries: { max: 2, backoff: 0.05, maxBackoff: 1, jitter: 'full' } },
    failures: [{ kind: 'random', station: 'web', mtbf: 3600, mttr: 120 }],
    run: { stop: { kind: 'arrivals', arrivals }, warmup: { kind: 'arrivals', arrivals: Math.floor(arrivals / 100) }, sloTarget: 0.2, seriesInterval: 3600 },
  },
};

const spec = specs[model];
if (spec === undefined) throw new Error(`unknown model ${model}: mmc or tiers`);
const t0 = performance.now();
const r = runReplica(spec, 0, 1);
const seconds = (performance.now() - t0) / 1000;
const mem = process.memoryUsage();
console.log(
  JSON.stringify({
    model,
    arrivals,
    events: r.events,
    seconds,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    heapUsedMiB: mem.heapUsed / 2 ** 20,
    arrayBuffersMiB: mem.arrayBuffers / 2 ** 20,
    meanResponse: r.endToEnd.meanResponse,
  }),
);
