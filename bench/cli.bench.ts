/**
 * The CLI as a user runs it: whole-process times of the compiled CLI (dist/, built first by `npm run build`).
 *   - start-up: `node dist/cli/main.js --version`, median of 20 runs
 *   - `forecast --help` (commands registered, nothing heavy loaded: readers and models are imported lazily)
 *   - `forecast --model auto` on the bundled example history (1,680 hourly points, horizon 168)
 *   - `forecast --model auto` on a 10,000-point hourly series of the same generator (horizon 168)
 * and, in-process, readHistory on the 10,000-point CSV (parse, step, gaps). Prints a markdown table.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { webRequestsCsv } from '../scripts/make-example-data.js';
import { readHistory } from '../src/series/read-history.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, encoding: 'utf8' });
if (build.status !== 0) console.log(`note: npm run build exited ${build.status} (type errors elsewhere); dist/ was still emitted`);

const dir = mkdtempSync(join(tmpdir(), 'headroom-cli-bench-'));
const big = join(dir, 'hourly-10000.csv');
writeFileSync(big, webRequestsCsv({ points: 10_000, seed: 11 }));

function stats(xs: number[]): { median: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return { median: s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2, min: s[0]!, max: s[s.length - 1]! };
}

function timeProcess(args: string[], runs: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['dist/cli/main.js', ...args], { cwd: ROOT, encoding: 'utf8' });
    const t1 = performance.now();
    if (r.status !== 0) throw new Error(`headroom ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    out.push(t1 - t0);
  }
  return out;
}

const rows: Array<[string, number, number[]]> = [];
const add = (name: string, xs: number[]): void => void rows.push([name, xs.length, xs]);
try {
  add('node dist/cli/main.js --version', timeProcess(['--version'], 20));
  add('node dist/cli/main.js forecast --help', timeProcess(['forecast', '--help'], 10));
  add('forecast --model auto, example (1,680 h points), horizon 168', timeProcess(['forecast', 'scenarios/data/web-requests-hourly.csv', '--horizon', '168', '--model', 'auto', '--json'], 10));
  add('forecast --model auto, 10,000 hourly points, horizon 168', timeProcess(['forecast', big, '--horizon', '168', '--model', 'auto', '--json'], 5));
  const reads: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    await readHistory(big);
    reads.push(performance.now() - t0);
  }
  add('in-process readHistory, 10,000-point CSV', reads.slice(3)); // first runs warm the JIT
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log('| measurement | runs | median ms | min ms | max ms |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, runs, xs] of rows) {
  const s = stats(xs);
  console.log(`| ${name} | ${runs} | ${s.median.toFixed(1)} | ${s.min.toFixed(1)} | ${s.max.toFixed(1)} |`);
}
