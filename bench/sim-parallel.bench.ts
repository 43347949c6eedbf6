/**
 * Replicas across worker threads: 8 replicas of an M/M/4 queue at utilisation 0.9 (5,000,000 arrivals each, long enough that the pool's start-up and each worker's JIT warm-up do not dominate), run
 * in-process (no pool), on a piscina pool of 1 worker and on a pool of 2 workers. Wall time includes starting the pool
 * (under tsx each worker loads the TypeScript sources through tsx's loader). Target: 2 workers give at least
 * 1.8x the throughput of 1 for 8 replicas. Every configuration must give the same numbers (checked: same JSON).
 * Usage: npm run bench -- sim-parallel   (or: node --import tsx bench/sim-parallel.bench.ts [arrivalsPerReplica] [rounds])
 */
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { SimSpec } from '../src/sim/types.js';

// The built runner when there is one (`npm run bench` builds first): its workers load plain JavaScript, as
// `headroom simulate` does; under tsx each worker would first load tsx's loader and transform the sources.
const built = new URL('../dist/sim/runner.js', import.meta.url);
const { simulate } = (existsSync(built) ? await import(built.href) : await import('../src/sim/runner.js')) as typeof import('../src/sim/runner.js');

const arrivals = Number(process.argv[2] ?? 5_000_000);
const rounds = Number(process.argv[3] ?? 2);
const replicas = 8;
const spec: SimSpec = {
  arrivals: [{ kind: 'poisson', rate: 360 }],
  stations: [{ name: 'api', nodes: 1, workersPerNode: 4, serviceTime: { kind: 'exponential', mean: 0.01 }, queue: 'per-node', balancer: 'round-robin' }],
  run: { stop: { kind: 'arrivals', arrivals }, warmup: { kind: 'arrivals', arrivals: Math.floor(arrivals / 20) } },
};

type Config = { label: string; workers: number; inProcess: boolean };
const configs: Config[] = [
  { label: 'in-process (no pool)', workers: 1, inProcess: true },
  { label: '1 worker', workers: 1, inProcess: false },
  { label: '2 workers', workers: 2, inProcess: false },
];

// Warm up: tsx's transform cache and the JIT of the main thread.
await simulate(spec, { replicas: 2, seed: 99, workers: 2 });

const times = new Map<string, number[]>(configs.map((c) => [c.label, []]));
// CPU seconds of the whole process (every thread), user + system: cores actually used = CPU / wall. On a loaded machine
// the wall-clock ratio says little, while CPU per replica shows whether the pool itself adds work.
const cpu = new Map<string, number[]>(configs.map((c) => [c.label, []]));
let events = 0;
let reference: string | undefined;
const load0 = loadavg()[0]!;
for (let r = 0; r < rounds; r++) {
  // Alternate the order each round so a change in the machine's load does not favour one configuration.
  const order = r % 2 === 0 ? configs : [...configs].reverse();
  for (const c of order) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const s = await simulate(spec, { replicas, seed: 1, workers: c.workers, inProcess: c.inProcess });
    times.get(c.label)!.push((performance.now() - t0) / 1000);
    const dc = process.cpuUsage(c0);
    cpu.get(c.label)!.push((dc.user + dc.system) / 1e6);
    const json = JSON.stringify(s);
    reference ??= json;
    if (json !== reference) throw new Error(`${c.label}: numbers differ from the first configuration (did src/ change during the run?)`);
    events = s.events;
  }
}
// The fixed cost of a pool: start 2 workers (under tsx: load the loader and the sources) and run 2 tiny replicas.
const tiny: SimSpec = { ...spec, run: { stop: { kind: 'arrivals', arrivals: 1000 } } };
const startup: number[] = [];
for (let r = 0; r < rounds; r++) {
  const t0 = performance.now();
  await simulate(tiny, { replicas: 2, seed: 1, workers: 2 });
  startup.push((performance.now() - t0) / 1000);
}
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const one = median(times.get('1 worker')!);
console.log(`${replicas} replicas x ${arrivals.toLocaleString('en-US')} arrivals (M/M/4, rho 0.9), ${events.toLocaleString('en-US')} events in all; ` +
  `median of ${rounds} rounds; ${availableParallelism()} cores, load average ${load0.toFixed(2)} -> ${loadavg()[0]!.toFixed(2)}; same JSON in every configuration; ` +
  `runner from ${existsSync(built) ? 'dist/ (built JavaScript)' : 'src/ under tsx'}\n`);
console.log('| configuration | wall s (median) | wall s (all rounds) | replicas/s | events/s | throughput vs 1 worker | CPU s (median) | cores used |');
console.log('| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
for (const c of configs) {
  const ts = times.get(c.label)!;
  const m = median(ts);
  console.log(
    `| ${c.label} | ${m.toFixed(2)} | ${ts.map((t) => t.toFixed(2)).join(', ')} | ${(replicas / m).toFixed(2)} | ${(events / m / 1e6).toFixed(2)} M | ${(one / m).toFixed(2)}x | ${median(cpu.get(c.label)!).toFixed(2)} | ${(median(cpu.get(c.label)!) / m).toFixed(2)} |`,
  );
}
console.log(`| pool start-up: 2 workers, 2 replicas of 1,000 arrivals | ${median(startup).toFixed(2)} | ${startup.map((t) => t.toFixed(2)).join(', ')} | | | | | |`);
