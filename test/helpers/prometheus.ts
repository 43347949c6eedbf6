/**
 * A real Prometheus server for tests: known synthetic history is written as OpenMetrics, turned into TSDB blocks with
 * `promtool tsdb create-blocks-from openmetrics`, and served by `prometheus` on 127.0.0.1 from a temporary data
 * directory, with a config that scrapes nothing. Debian's `prometheus` package installs both programs in /usr/bin
 * (scripts/install-test-deps.sh installs it; its systemd service is never used: every test starts its own process).
 *
 * Two facts about the TSDB that the helper relies on (checked against Prometheus 2.42, Debian bookworm):
 *   - Retention is measured back from the newest block, not from the wall clock: with the default 15d, the
 *     oldest of six weeks of backfilled blocks is deleted at start-up. The helper passes a retention of 100 years,
 *     so history of any age stays queryable.
 *   - promtool cuts 2-hour blocks by default (504 blocks for six weeks, about 10 s to write and slow to open);
 *     its hidden flag --max-block-duration lets it write a few large blocks in a fraction of a second.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { request, createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HeadroomError } from '../../src/errors.js';
import { createRng } from '../../src/rng.js';

const run = promisify(execFile);

/** Where a program is: the Debian location first, then PATH. Throws a message saying how to install it. */
export function findProgram(name: 'prometheus' | 'promtool'): string {
  for (const dir of ['/usr/bin', '/usr/local/bin', ...(process.env.PATH ?? '').split(':')]) {
    const p = join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  throw new Error(`${name} not found: install the Debian package "prometheus" (bash scripts/install-test-deps.sh)`);
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Synthetic history with known parameters.

/** Monday 2026-01-05 00:00 UTC: the first query time of the synthetic history. */
export const T0 = Date.UTC(2026, 0, 5);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const WEEKS = 6;
/** Samples every 5 minutes, offset by 150 s from the query grid (see sampleTime). */
export const SAMPLE_MS = 300_000;
export const SAMPLE_OFFSET_MS = 150_000;
export const SAMPLES = (WEEKS * 7 * DAY) / SAMPLE_MS;
export const METRIC = 'headroom_demand';

export interface SyntheticSeries {
  readonly labels: Readonly<Record<string, string>>;
  /** Base level at T0, growth per day as a fraction of the base, daily amplitude as a fraction of the level. */
  readonly base: number;
  readonly growthPerDay: number;
  readonly dailyAmplitude: number;
  /** Sample indices written as NaN, and sample index ranges [from, to) left out (no sample at all). */
  readonly nanSamples: readonly number[];
  readonly missingSamples: ReadonlyArray<readonly [number, number]>;
}

/**
 * The three series of the test TSDB. api/a has a NaN sample and a 2-hour hole; the others are complete.
 * Query times are on whole minutes; samples are written 150 s before each 5-minute mark, so a query at time t reads
 * the latest sample, 30 to 270 s earlier (inside the 5-minute lookback); when that sample is absent the previous one,
 * 330 s or more back, is out of reach and the point is missing. No query time is ever exactly 5 minutes after a
 * sample, so no expectation depends on whether the lookback window includes its edge.
 */
export const SYNTHETIC: readonly SyntheticSeries[] = [
  {
    labels: { service: 'api', zone: 'a' },
    base: 1000,
    growthPerDay: 0.01,
    dailyAmplitude: 0.3,
    // Sample m is read by the query at T0 + m * 5 min: this one by the query at day 3, 07:00.
    nanSamples: [12 * 24 * 3 + 12 * 7],
    // The samples read from day 10, 03:00 up to (not including) 05:00 are left out: two hourly points are missing.
    missingSamples: [[12 * 24 * 10 + 12 * 3, 12 * 24 * 10 + 12 * 5]],
  },
  { labels: { service: 'api', zone: 'b' }, base: 400, growthPerDay: 0.02, dailyAmplitude: 0.25, nanSamples: [], missingSamples: [] },
  { labels: { service: 'web', zone: 'a' }, base: 250, growthPerDay: 0.005, dailyAmplitude: 0.4, nanSamples: [], missingSamples: [] },
];

/** Time of sample i: T0 - 150 s + i * 5 min. */
export function sampleTime(i: number): number {
  return T0 - SAMPLE_OFFSET_MS + i * SAMPLE_MS;
}

/** Noise-free level of a series at time ms: linear growth times a daily cycle peaking at 15:00 UTC. */
export function level(s: SyntheticSeries, ms: number): number {
  const days = (ms - T0) / DAY;
  const hourOfDay = ((ms - T0) % DAY) / HOUR;
  return s.base * (1 + s.growthPerDay * days) * (1 + s.dailyAmplitude * Math.sin((2 * Math.PI * (hourOfDay - 9)) / 24));
}

/**
 * The values written for series `index`: level plus seeded Gaussian noise (1% of the base), rounded to 3 decimals;
 * NaN where the series has a NaN sample, undefined where it has none.
 */
export function sampleValues(index: number): Array<number | undefined> {
  const s = SYNTHETIC[index]!;
  const rng = createRng(20260105, index);
  const out: Array<number | undefined> = [];
  for (let i = 0; i < SAMPLES; i++) {
    const noise = rng.nextNormal() * 0.01 * s.base;
    const value = Math.round((level(s, sampleTime(i)) + noise) * 1000) / 1000;
    out.push(value);
  }
  for (const i of s.nanSamples) out[i] = NaN;
  for (const [from, to] of s.missingSamples) for (let i = from; i < to; i++) out[i] = undefined;
  return out;
}

/**
 * What a range query at time `ms` returns for series `index`: the sample 150 s earlier, or undefined when there is
 * none. Only defined for times on the 5-minute grid T0 + k * 5 min (and, for the 1-minute test, the minutes after).
 */
export function expectedAt(values: ReadonlyArray<number | undefined>, ms: number): number | undefined {
  // The latest sample at or before ms, then the lookback check: 5 minutes (Prometheus' default).
  const i = Math.floor((ms - sampleTime(0)) / SAMPLE_MS);
  if (i < 0 || i >= values.length) return undefined;
  if (ms - sampleTime(i) >= 300_000) return undefined;
  return values[i];
}

/** The history as OpenMetrics text (timestamps in seconds), ending with `# EOF` as the format requires. */
export function syntheticOpenMetrics(): string {
  const lines: string[] = [`# HELP ${METRIC} Synthetic demand for Headroom's tests.`, `# TYPE ${METRIC} gauge`];
  const all = SYNTHETIC.map((_, i) => sampleValues(i));
  for (let k = 0; k < SYNTHETIC.length; k++) {
    const s = SYNTHETIC[k]!;
    const labels = Object.entries(s.labels)
      .map(([n, v]) => `${n}="${v}"`)
      .join(',');
    const values = all[k]!;
    for (let i = 0; i < SAMPLES; i++) {
      const v = values[i];
      if (v === undefined) continue;
      lines.push(`${METRIC}{${labels}} ${Number.isNaN(v) ? 'NaN' : String(v)} ${sampleTime(i) / 1000}`);
    }
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// The server.

export interface RunningPrometheus {
  readonly url: string;
  readonly dataDir: string;
  /** Milliseconds promtool took to write the blocks, and the server to become ready. */
  readonly backfillMs: number;
  readonly startMs: number;
  /** Stop the server (SIGTERM, then SIGKILL after 5 s) and delete the temporary directory. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Backfill `openMetrics` (when given) into a fresh temporary data directory and start Prometheus on a free port of
 * 127.0.0.1, scraping nothing, or only `scrapeTarget` (host:port on loopback) every 500 ms.
 * The caller must call stop() (in afterAll), whatever happened.
 */
export async function startPrometheus(
  openMetrics: string | undefined,
  options: { scrapeTarget?: string } = {},
): Promise<RunningPrometheus> {
  const prometheus = findProgram('prometheus');
  const promtool = findProgram('promtool');
  const dir = await mkdtemp(join(tmpdir(), 'headroom-prom-'));
  const dataDir = join(dir, 'data');
  let child: ChildProcess | undefined;
  const stop = async () => {
    const c = child;
    child = undefined;
    if (c && c.exitCode === null && c.signalCode === null) {
      const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const config = options.scrapeTarget
      ? // One job scraping a loopback server the test started, twice a second (for real stale markers).
        `global:\n  scrape_interval: 500ms\n  scrape_timeout: 500ms\nscrape_configs:\n  - job_name: headroom-test\n    static_configs:\n      - targets: ['${options.scrapeTarget}']\n`
      : '# Headroom test server: no scrape targets.\nglobal:\n  scrape_interval: 1h\n';
    await writeFile(join(dir, 'prometheus.yml'), config);
    const t0 = performance.now();
    if (openMetrics !== undefined) {
      const input = join(dir, 'history.om');
      await writeFile(input, openMetrics);
      await run(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', '--max-block-duration=2000h', input, dataDir]);
    }
    const backfillMs = performance.now() - t0;
    const t1 = performance.now();
    // The port was free a moment ago; if another process takes it first, Prometheus exits and we try another.
    let url = '';
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      let log = '';
      const c = spawn(
        prometheus,
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${dataDir}`,
          '--storage.tsdb.retention.time=100y',
          `--web.listen-address=127.0.0.1:${port}`,
          '--log.level=warn',
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      child = c;
      c.stderr?.on('data', (b: Buffer) => {
        if (log.length < 20_000) log += b.toString();
      });
      url = `http://127.0.0.1:${port}`;
      try {
        await waitReady(url, c, () => log);
        break;
      } catch (e) {
        if (attempt >= 3 || !/address already in use/.test(log)) throw e;
      }
    }
    const startMs = performance.now() - t1;
    return { url, dataDir, backfillMs, startMs, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Poll /-/ready until it answers 200 (at most 20 s), failing early if the process exits. */
async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${log()}`);
    if ((await status(`${url}/-/ready`)) === 200) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`prometheus at ${url} not ready after 20 s:\n${log()}`);
}

function status(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.setTimeout(1000, () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** GET a URL on loopback and return status and body text (used to record fixtures and compare with PromQL). */
export function getText(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (b: Buffer) => parts.push(b));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

// ---------------------------------------------------------------------------------------------------------------
// A replay server: answers query_range requests with answers recorded from the real server (test/fixtures/prometheus).

export interface RecordedAnswer {
  readonly name: string;
  readonly params: { readonly query: string; readonly start: string; readonly end: string; readonly step: string };
  readonly status: number;
  readonly statusText: string;
  readonly contentType: string;
  readonly body: string;
}

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Record<string, string>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface ReplayServer {
  readonly url: string;
  /** Every request received, in order. */
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

/**
 * An HTTP server on 127.0.0.1 that records each request (path, parameters, headers) and replies with the recorded
 * answer whose parameters match exactly, or with what `respond` returns (it is asked first). A request with no
 * recording gets HTTP 500 "no recording for …", so a reader that asks for anything else fails its test.
 */
export async function startReplayServer(
  recorded: readonly RecordedAnswer[],
  respond?: (req: SeenRequest) => { status: number; contentType?: string; body: string } | 'hang' | undefined,
): Promise<ReplayServer> {
  const seen: SeenRequest[] = [];
  const server = createHttpServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => answer(req, res, Buffer.concat(parts).toString('utf8')));
  });
  // A form POST carries its parameters in the body (the Prometheus API takes both forms).
  const answer = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const params = Object.fromEntries(req.method === 'POST' ? new URLSearchParams(body) : u.searchParams);
    const entry: SeenRequest = { method: req.method ?? '', path: u.pathname, params, headers: req.headers };
    seen.push(entry);
    const special = respond?.(entry);
    if (special === 'hang') return; // never answers; the client's timeout must end it
    if (special) {
      res.writeHead(special.status, { 'content-type': special.contentType ?? 'text/plain; charset=utf-8' });
      res.end(special.body);
      return;
    }
    const p = entry.params;
    const hit = recorded.find(
      (r) => u.pathname.endsWith('/api/v1/query_range') && r.params.query === p.query && r.params.start === p.start && r.params.end === p.end && r.params.step === p.step,
    );
    if (!hit) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`no recording for ${req.method} ${u.pathname}?${new URLSearchParams(params).toString()}`);
      return;
    }
    res.writeHead(hit.status, hit.statusText, { 'content-type': hit.contentType });
    res.end(hit.body);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The HeadroomError a promise rejects with (fails the test when it resolves or throws something else). */
export async function headroomFailure(p: Promise<unknown>): Promise<HeadroomError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof HeadroomError) return e;
    throw e;
  }
  throw new Error('expected a HeadroomError, but the call succeeded');
}
