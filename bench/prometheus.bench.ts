/**
 * How long the Prometheus integration takes: promtool backfill (large blocks vs promtool's default 2-hour blocks),
 * server start, and readPrometheus range reads of several sizes against a real Prometheus on 127.0.0.1.
 * Prints a markdown table. Needs the Debian `prometheus` package (scripts/install-test-deps.sh).
 *
 *   npm run bench -- prometheus
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readPrometheus } from '../src/series/read-prometheus.js';
import { DAY, HOUR, METRIC, SAMPLES, SYNTHETIC, T0, WEEKS, findProgram, startPrometheus, syntheticOpenMetrics } from '../test/helpers/prometheus.js';

const run = promisify(execFile);
const rows: string[][] = [];
const add = (what: string, size: string, ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1]!;
  rows.push([what, size, median.toFixed(1), sorted[0]!.toFixed(1), String(ms.length)]);
};

async function timeIt(n: number, f: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f();
    out.push(performance.now() - t);
  }
  return out;
}

const om = syntheticOpenMetrics();
const samples = SAMPLES * SYNTHETIC.length;

// promtool alone, both block sizes, into throwaway directories.
const dir = await mkdtemp(join(tmpdir(), 'headroom-bench-prom-'));
try {
  const input = join(dir, 'history.om');
  await writeFile(input, om);
  const promtool = findProgram('promtool');
  let k = 0;
  const backfill = (extra: string[]) => () => run(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', ...extra, input, join(dir, `d${k++}`)]);
  add('promtool backfill, --max-block-duration=2000h', `${samples} samples, ${WEEKS} weeks`, await timeIt(3, backfill(['--max-block-duration=2000h'])));
  add("promtool backfill, promtool's default 2h blocks", `${samples} samples, ${WEEKS} weeks`, await timeIt(1, backfill([])));
} finally {
  await rm(dir, { recursive: true, force: true });
}

const prom = await startPrometheus(om);
try {
  add('test helper: write + backfill', `${samples} samples`, [prom.backfillMs]);
  add('prometheus start until /-/ready', `${WEEKS} weeks in 3 blocks`, [prom.startMs]);
  const end = T0 + WEEKS * 7 * DAY;
  const q = (query: string, stepMs: number, maxPointsPerRequest?: number) => () =>
    readPrometheus(
      { url: prom.url, query, startMs: T0, endMs: end - stepMs, stepMs, ...(maxPointsPerRequest ? { maxPointsPerRequest } : {}) },
      { env: {} },
    );
  const one = `${METRIC}{service="web"}`;
  add('readPrometheus, 1 series, step 1h', '1008 points, 1 request', await timeIt(7, q(one, HOUR)));
  add('readPrometheus, 1 series, step 5m', '12096 points, 2 requests', await timeIt(7, q(one, 300_000)));
  add('readPrometheus, 1 series, step 1m', '60480 points, 6 requests', await timeIt(5, q(one, 60_000)));
  add('readPrometheus, 1 series, step 1h, 100 per request', '1008 points, 11 requests', await timeIt(7, q(one, HOUR, 100)));
  add('readPrometheus, sum of 3 series, step 5m', '3 x 12096 points, 2 requests', await timeIt(5, async () => {
    await readPrometheus({ url: prom.url, query: METRIC, startMs: T0, endMs: end - 300_000, stepMs: 300_000, select: 'sum' }, { env: {} });
  }));
} finally {
  await prom.stop();
}

console.log('| what | size | median ms | min ms | runs |');
console.log('| --- | --- | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
