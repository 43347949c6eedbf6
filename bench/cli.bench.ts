/**
 * The CLI as a user runs it: whole-process times of the installed command (package.json `bin`: dist/bin/headroom.js,
 * which runs the CLI bundle from its code cache; built first by `npm run build`), each as a ratio to a bare `node -e 0`
 * measured in the same run. The cases alternate within each repetition (node, --version,
 * --help, ..., node, --version, ...), so a burst of load from elsewhere on the machine lands on every case alike; the
 * table gives the median of the repetitions and the ratio of medians (the target applies to it), and the ratio of the
 * fastest runs, which is what the code costs when nothing else competes for the cores.
 *   - `--version` and `--help`: start-up only; target at most 1.5x a bare node
 *   - `forecast --help`: the biggest command's options, without loading its models
 *   - `forecast` of a 1,000-point hourly series (generated, seed 11), horizon 168: target at most 3x a bare node
 *   - the same forecast through `dist/cli/main.js`, the CLI as tsc builds it (one ES module per file): what the bundle
 *     and its code cache save
 *   - 10 histories of 1,000 hourly points forecast in one call (the start-up paid once; the per-history time follows
 *     the table)
 *   - `forecast --model auto` on a 10,000-point hourly series (horizon 168), and in-process readHistory of it
 * Prints a markdown table and the machine. `npm run bench -- cli` runs it alone.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { webRequestsCsv } from '../scripts/make-example-data.js';
import { readHistory } from '../src/series/read-history.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPETITIONS = Number(process.env.CLI_BENCH_REPS ?? 15);
if (process.env.CLI_BENCH_NO_BUILD === undefined) {
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) console.log(`note: npm run build exited ${build.status} (type errors elsewhere); dist/ was still emitted`);
}

const dir = mkdtempSync(join(tmpdir(), 'headroom-cli-bench-'));
const hourly1k = join(dir, 'hourly-1000.csv');
const hourly10k = join(dir, 'hourly-10000.csv');
writeFileSync(hourly1k, webRequestsCsv({ points: 1_000, seed: 11 }));
writeFileSync(hourly10k, webRequestsCsv({ points: 10_000, seed: 11 }));
/** Ten histories of 1,000 hourly points (seeds 11–20), forecast in one call: what a script forecasting many series pays per series. */
const BATCH = Array.from({ length: 10 }, (_, i) => join(dir, `hourly-1000-${11 + i}.csv`));
BATCH.forEach((file, i) => writeFileSync(file, webRequestsCsv({ points: 1_000, seed: 11 + i })));

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  /** Largest ratio to a bare node that we aim for, if any. */
  readonly target?: number;
  /** Run in every k-th repetition only (slow cases). */
  readonly every?: number;
}

const BARE = 'node -e 0';
/** The installed command: package.json `bin` (the bundled CLI). */
const BIN = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: { headroom: string } }).bin.headroom;
const cases: readonly Case[] = [
  { name: BARE, args: ['-e', '0'] },
  { name: 'headroom --version', args: [BIN, '--version'], target: 1.5 },
  { name: 'headroom --help', args: [BIN, '--help'], target: 1.5 },
  { name: 'headroom forecast --help', args: [BIN, 'forecast', '--help'] },
  { name: 'headroom simulate --help', args: [BIN, 'simulate', '--help'] },
  { name: 'forecast, 1,000 hourly points, horizon 168', args: [BIN, 'forecast', hourly1k, '--horizon', '168'], target: 3 },
  { name: 'the same forecast, unbundled (dist/cli/main.js)', args: ['dist/cli/main.js', 'forecast', hourly1k, '--horizon', '168'] },
  { name: 'forecast of 10 such histories in one call', args: [BIN, 'forecast', ...BATCH, '--horizon', '168'], every: 3 },
  {
    name: 'forecast --model auto --json, 10,000 hourly points, horizon 168',
    args: [BIN, 'forecast', hourly10k, '--horizon', '168', '--model', 'auto', '--json'],
    every: 3,
  },
];

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function timeOnce(args: readonly string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...args], { cwd: ROOT, encoding: 'utf8' });
  const t1 = performance.now();
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return t1 - t0;
}

const times = new Map<string, number[]>(cases.map((c) => [c.name, []]));
let reads: number[] = [];
try {
  for (const c of cases) timeOnce(c.args); // one warm-up of each: the file cache, not the measurement
  for (let rep = 0; rep < REPETITIONS; rep++) {
    for (const c of cases) if (rep % (c.every ?? 1) === 0) times.get(c.name)!.push(timeOnce(c.args));
  }
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    await readHistory(hourly10k);
    reads.push(performance.now() - t0);
  }
  reads = reads.slice(3); // the first runs warm the JIT
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const cpu = cpus();
console.log(
  `machine: ${cpu.length} x ${cpu[0]?.model ?? 'unknown cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
    `${platform()} ${release()}, node ${process.version}; ${REPETITIONS} alternating repetitions`,
);
const bare = median(times.get(BARE)!);
const bareMin = Math.min(...times.get(BARE)!);
console.log('| measurement | runs | median ms | min ms | max ms | x bare node (medians) | x bare node (mins) | target |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const c of cases) {
  const xs = times.get(c.name)!;
  const m = median(xs);
  const ratio = m / bare;
  const verdict = c.target === undefined ? '' : `<= ${c.target}x ${ratio <= c.target ? 'met' : 'MISSED'}`;
  console.log(
    `| ${c.name} | ${xs.length} | ${m.toFixed(1)} | ${Math.min(...xs).toFixed(1)} | ${Math.max(...xs).toFixed(1)} | ${ratio.toFixed(2)} | ${(Math.min(...xs) / bareMin).toFixed(2)} | ${verdict} |`,
  );
}
const batch = median(times.get('forecast of 10 such histories in one call')!);
const single = median(times.get('forecast, 1,000 hourly points, horizon 168')!);
console.log(`| one of 10 histories forecast in one call | | ${(batch / BATCH.length).toFixed(1)} | | | ${(batch / BATCH.length / bare).toFixed(2)} | | (${(single / (batch / BATCH.length)).toFixed(1)}x faster than a call each) |`);
console.log(
  `| in-process readHistory, 10,000-point CSV | ${reads.length} | ${median(reads).toFixed(1)} | ${Math.min(...reads).toFixed(1)} | ${Math.max(...reads).toFixed(1)} | | | |`,
);
