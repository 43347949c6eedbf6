/**
 * Claim: memory stays flat in the number of arrivals; 10^8 arrivals in one replica under 300 MB peak RSS.
 * Each run is a child process (bench/sim-memory-child.ts) that reports its own peak RSS (ru_maxrss), so runs do not
 * share a heap. Runs 1%, 10% and 100% of the count for the M/M/16 model, and the 1% and 10% runs of a three-tier model
 * with timeouts, retries and failures.
 * The child runs with --trace-gc: scavenges (young generation) count what is boxed per event, from V8's heap numbers
 * for doubles that cross non-inlined calls; mark-compacts (old generation) are rare (a handful per 10^8 arrivals) and
 * the heap stays near 10 MB: nothing the loop allocates survives. A last table gives the bytes allocated per event by
 * function (bench/sim-alloc-child.ts): on the simple-model fast loop (src/sim/simulation.ts) below 2 B once V8 has
 * compiled it (no double crosses a call there), more on the general loop; no objects, closures, strings or arrays
 * are created per event.
 * Run: `npm run bench -- sim-memory` (10^8 arrivals: minutes) or `npx tsx bench/sim-memory.bench.ts 1000000` (quick).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const total = Number(process.argv[2] ?? 100_000_000);

interface Row {
  model: string;
  arrivals: number;
  events: number;
  seconds: number;
  maxRssMiB: number;
  heapUsedMiB: number;
  arrayBuffersMiB: number;
  scavenges: number;
  markCompacts: number;
}

function child(model: string, arrivals: number): Row {
  const r = spawnSync(process.execPath, ['--trace-gc', '--import', 'tsx', join(here, 'sim-memory-child.ts'), model, String(arrivals)], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  const scavenges = lines.filter((l) => l.includes('Scavenge')).length;
  const markCompacts = lines.filter((l) => l.includes('Mark-Compact')).length;
  return { ...(JSON.parse(lines.filter((l) => l.startsWith('{')).at(-1) as string) as Row), scavenges, markCompacts };
}

const runs: [string, number][] = [
  ['mmc', total / 100],
  ['mmc', total / 10],
  ['mmc', total],
  ['tiers', total / 100],
  ['tiers', total / 10],
];
console.log(`peak RSS per replica run (child process, ru_maxrss); limit 300 MB at 10^8 arrivals`);
console.log('');
console.log('| model | arrivals | events | seconds | peak RSS (MiB) | heap used at end (MiB) | array buffers (MiB) | scavenges | mark-compacts |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
let worst = 0;
for (const [model, n] of runs) {
  const row = child(model, Math.round(n));
  worst = Math.max(worst, row.maxRssMiB);
  console.log(
    `| ${row.model} | ${row.arrivals.toLocaleString('en-US')} | ${row.events.toLocaleString('en-US')} | ${row.seconds.toFixed(1)} | ${row.maxRssMiB.toFixed(1)} | ${row.heapUsedMiB.toFixed(1)} | ${row.arrayBuffersMiB.toFixed(2)} | ${row.scavenges} | ${row.markCompacts} |`,
  );
}

// What the loop allocates per event (sampling heap profiler, collected objects included).
const alloc = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'sim-alloc-child.ts'), String(Math.min(total, 1_000_000))], { encoding: 'utf8' });
if (alloc.status !== 0) throw new Error(`allocation child failed (${alloc.status}): ${alloc.stderr}`);
const a = JSON.parse(alloc.stdout.trim().split('\n').at(-1) as string) as { events: number; bytesPerEvent: number; top: [string, number][] };
console.log('');
console.log(`allocation per event, M/M/16, ${a.events.toLocaleString('en-US')} events (V8 sampling heap profiler, collected objects included):`);
console.log('');
console.log('| function | bytes per event |');
console.log('| --- | ---: |');
for (const [f, b] of a.top) console.log(`| ${f} | ${b.toFixed(1)} |`);
console.log(`| total | ${a.bytesPerEvent.toFixed(1)} |`);

console.log('');
console.log(`largest peak RSS: ${worst.toFixed(1)} MiB (${(worst * 1.048576).toFixed(1)} MB) — ${worst * 1.048576 < 300 ? 'under' : 'OVER'} 300 MB`);
