/**
 * readPrometheus against a real Prometheus (Debian's `prometheus` package) on 127.0.0.1, serving six weeks of synthetic
 * history with known parameters that promtool backfilled into a temporary data directory. The truth each value is
 * checked against is the generator in test/helpers/prometheus.ts, not the reader.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryContext } from '../../src/cli/context.js';
import { run } from '../../src/cli/main.js';
import { forecast } from '../../src/forecast/forecast.js';
import { readPrometheus, type PrometheusQuery } from '../../src/series/read-prometheus.js';
import {
  DAY,
  HOUR,
  METRIC,
  SYNTHETIC,
  T0,
  WEEKS,
  expectedAt,
  getText,
  headroomFailure,
  level,
  sampleValues,
  startPrometheus,
  syntheticOpenMetrics,
  type RunningPrometheus,
} from '../helpers/prometheus.js';

let prom: RunningPrometheus;
const timings: Array<[string, number]> = [];
const END = T0 + WEEKS * 7 * DAY - HOUR; // last whole hour with data: 1008 hourly points
const values = SYNTHETIC.map((_, i) => sampleValues(i));

async function read(q: Omit<PrometheusQuery, 'url'> & { url?: string }, label: string) {
  const t = performance.now();
  const r = await readPrometheus({ url: prom.url, ...q }, { env: {} });
  timings.push([label, performance.now() - t]);
  return r;
}

const failure = headroomFailure;

/** The values a query on the grid start, start + step, … must return for series `index`, per the generator. */
function expected(index: number, startMs: number, endMs: number, stepMs: number): Array<number | undefined> {
  const out: Array<number | undefined> = [];
  for (let t = startMs; t <= endMs; t += stepMs) out.push(expectedAt(values[index]!, t));
  return out;
}

beforeAll(async () => {
  prom = await startPrometheus(syntheticOpenMetrics());
  timings.push(['backfill (promtool, 36k samples)', prom.backfillMs], ['server start until ready', prom.startMs]);
});

afterAll(async () => {
  await prom?.stop();
  // Figures, not asserted (machines are noisy): HEADROOM_TEST_TIMINGS=1 prints them; bench/prometheus.bench.ts measures properly.
  if (process.env.HEADROOM_TEST_TIMINGS) console.info(timings.map(([k, ms]) => `${k}: ${ms.toFixed(0)} ms`).join('\n'));
});

describe('readPrometheus against a real Prometheus', () => {
  it('reads six weeks of hourly history point for point, with the NaN sample and the hole as gaps', async () => {
    const r = await read({ query: `${METRIC}{service="api",zone="a"}`, startMs: T0, endMs: END, stepMs: HOUR }, 'hourly, 1008 points, 1 request');
    const want = expected(0, T0, END, HOUR);
    expect(r.series.t.length).toBe(1008);
    expect(r.requests).toBe(1);
    for (let k = 0; k < want.length; k++) {
      expect(r.series.t[k]).toBe(T0 + k * HOUR);
      const w = want[k];
      expect(r.series.v[k]).toBe(w === undefined ? NaN : w);
    }
    // The NaN sample read at day 3, 07:00 and the two hours left out on day 10 (03:00 and 04:00).
    expect(r.gaps).toEqual([
      { startMs: T0 + 3 * DAY + 7 * HOUR, points: 1 },
      { startMs: T0 + 10 * DAY + 3 * HOUR, points: 2 },
    ]);
    expect(r.nanPoints).toBe(1);
    expect(r.missingPoints).toBe(2);
    expect(r.trimmed).toEqual({ leading: 0, trailing: 0 });
    expect(r.series.name).toBe(METRIC);
    expect(r.series.stepMs).toBe(HOUR);
    expect(r.series.source).toBe(`${prom.url}/ ${METRIC}{service="api",zone="a"}`);
    expect(r.labels).toEqual([{ __name__: METRIC, service: 'api', zone: 'a' }]);
    expect(r.repairs.notes).toEqual([
      'read from Prometheus in 1 request of at most 11000 points',
      '3 points without data (2 without a sample, 1 NaN or infinite) in 2 runs, the first at 2026-01-08T07:00:00Z',
    ]);
  });

  it('splits a one-minute range of six weeks into six requests and joins them without repeating a point', async () => {
    const end = T0 + WEEKS * 7 * DAY - 60_000;
    const r = await read({ query: `${METRIC}{service="web"}`, startMs: T0, endMs: end, stepMs: 60_000 }, 'one-minute step, 60480 points, 6 requests');
    // 60480 grid points at 11000 per request; the last two minutes are more than 5 minutes after the last sample.
    expect(r.requests).toBe(6);
    expect(r.trimmed).toEqual({ leading: 0, trailing: 2 });
    expect(r.repairs.notes).toEqual([
      'read from Prometheus in 6 requests of at most 11000 points',
      'cut 2 points without data from the end of the range',
    ]);
    const want = expected(2, T0, end - 2 * 60_000, 60_000);
    expect(r.series.t.length).toBe(want.length);
    let mismatches = 0;
    for (let k = 0; k < want.length; k++) {
      if (r.series.t[k] !== T0 + k * 60_000 || r.series.v[k] !== want[k]) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(r.gaps).toEqual([]);
    expect(r.repairs.duplicatesDropped).toBe(0);
  });

  it('gives the same series whatever the request size (chunk boundaries land everywhere)', async () => {
    const q = { query: `${METRIC}{service="api",zone="b"}`, startMs: T0, endMs: END, stepMs: HOUR };
    const whole = await read(q, 'hourly in 1 request');
    for (const size of [7, 100, 1007]) {
      const parts = await read({ ...q, maxPointsPerRequest: size }, `hourly in ${Math.ceil(1008 / size)} requests`);
      expect(parts.requests).toBe(Math.ceil(1008 / size));
      expect(Array.from(parts.series.t)).toEqual(Array.from(whole.series.t));
      expect(Array.from(parts.series.v)).toEqual(Array.from(whole.series.v));
    }
    // One point per request (start = end in every request), over the first two days.
    const single = await read({ ...q, endMs: T0 + 2 * DAY, maxPointsPerRequest: 1 }, 'hourly, 49 requests of 1 point');
    expect(single.requests).toBe(49);
    expect(Array.from(single.series.v)).toEqual(Array.from(whole.series.v.subarray(0, 49)));
  });

  it('sends a very long query by POST and gets the same series', async () => {
    const q = { startMs: T0, endMs: END, stepMs: HOUR, maxPointsPerRequest: 500 };
    const short = await read({ ...q, query: `${METRIC}{service="web"}` }, 'hourly, 3 requests by GET');
    // A PromQL comment pads the query to 4.5 kB without adding work for the server.
    const long = await read({ ...q, query: `${METRIC}{service="web"} # ${'padding '.repeat(560)}` }, 'hourly, 3 requests by POST (4.5 kB query)');
    expect(long.series.source.length).toBeGreaterThan(4500);
    expect(long.requests).toBe(3);
    expect(Array.from(long.series.v)).toEqual(Array.from(short.series.v));
  });

  it('chooses a series by its labels', async () => {
    const r = await read({ query: METRIC, startMs: T0, endMs: T0 + DAY, stepMs: HOUR, select: { labels: { service: 'api', zone: 'b' } } }, 'select by labels');
    expect(r.labels).toEqual([{ __name__: METRIC, service: 'api', zone: 'b' }]);
    expect(Array.from(r.series.v)).toEqual(expected(1, T0, T0 + DAY, HOUR));
  });

  it('sums several series as PromQL sum() does', async () => {
    const q = { startMs: T0, endMs: END, stepMs: HOUR, maxPointsPerRequest: 300 };
    const ours = await read({ ...q, query: `${METRIC}{service="api"}`, select: 'sum' }, 'sum of 2 series, 4 requests');
    const theirs = await read({ ...q, query: `sum(${METRIC}{service="api"})` }, 'PromQL sum, 4 requests');
    expect(ours.labels).toHaveLength(2);
    expect(ours.series.name).toBe(METRIC);
    expect(theirs.series.name).toBe('value');
    expect(Array.from(ours.series.v)).toEqual(Array.from(theirs.series.v));
    // And against the generator: where api/a has no sample the sum is api/b alone; its NaN sample makes the sum NaN.
    const a = expected(0, T0, END, HOUR);
    const b = expected(1, T0, END, HOUR);
    for (let k = 0; k < a.length; k++) {
      const want = a[k] === undefined ? b[k]! : a[k]! + b[k]!;
      expect(ours.series.v[k]).toBe(want);
    }
    expect(ours.gaps).toEqual([{ startMs: T0 + 3 * DAY + 7 * HOUR, points: 1 }]);
  });

  it('reports several series without a choice, listing their label sets', async () => {
    const e = await failure(read({ query: METRIC, startMs: T0, endMs: T0 + DAY, stepMs: HOUR }, 'error: several series'));
    expect(e.message).toBe(
      `prometheus ${prom.url}/: query '${METRIC}' returned 3 series; choose one by its labels or sum them: ` +
        `${METRIC}{service="api", zone="a"}; ${METRIC}{service="api", zone="b"}; ${METRIC}{service="web", zone="a"}`,
    );
    expect(e.hint).toBe('pick one with --select label=value (select: { labels: { … } } in a scenario), add them up with --sum (select: sum), or aggregate in PromQL');
    expect(e.exitCode).toBe(2);
  });

  it('reports a label selection that matches none or several series', async () => {
    const none = await failure(read({ query: METRIC, startMs: T0, endMs: T0 + DAY, stepMs: HOUR, select: { labels: { service: 'db' } } }, 'error'));
    expect(none.message).toBe(
      `prometheus ${prom.url}/: no series of query '${METRIC}' has labels {service="db"}; it returned: ` +
        `${METRIC}{service="api", zone="a"}; ${METRIC}{service="api", zone="b"}; ${METRIC}{service="web", zone="a"}`,
    );
    const two = await failure(read({ query: METRIC, startMs: T0, endMs: T0 + DAY, stepMs: HOUR, select: { labels: { service: 'api' } } }, 'error'));
    expect(two.message).toBe(
      `prometheus ${prom.url}/: 2 series of query '${METRIC}' have labels {service="api"}; add labels to choose one or sum them: ` +
        `${METRIC}{service="api", zone="a"}; ${METRIC}{service="api", zone="b"}`,
    );
  });

  it("shows Prometheus' own message for a PromQL error", async () => {
    const e = await failure(read({ query: `sum(rate(${METRIC}[5m])`, startMs: T0, endMs: T0 + DAY, stepMs: HOUR }, 'error'));
    expect(e.message).toBe(`prometheus ${prom.url}/: query rejected (HTTP 400 Bad Request, bad_data): 1:30: parse error: unclosed left parenthesis`);
    expect(e.exitCode).toBe(2);
  });

  it('reports an empty result', async () => {
    const e = await failure(read({ query: 'headroom_no_such_metric', startMs: T0, endMs: T0 + DAY, stepMs: HOUR }, 'error'));
    expect(e.message).toBe(`prometheus ${prom.url}/: query 'headroom_no_such_metric' returned no series in the requested range`);
    expect(e.code).toBe('SERIES_INVALID');
    expect(e.exitCode).toBe(2);
  });

  it('reports an HTTP error with its status', async () => {
    const e = await failure(read({ url: `${prom.url}/not-prometheus`, query: METRIC, startMs: T0, endMs: T0 + DAY, stepMs: HOUR }, 'error'));
    expect(e.message).toBe(`prometheus ${prom.url}/not-prometheus/: HTTP 404 Not Found: 404 page not found`);
    expect(e.exitCode).toBe(2);
  });

  it('reports a range with too few points, before and after asking', async () => {
    const before = await failure(read({ query: METRIC, startMs: T0, endMs: T0 + 30 * 60_000, stepMs: HOUR }, 'error'));
    expect(before.message).toBe('prometheus range: 2026-01-05T00:00:00Z to 2026-01-05T00:30:00Z at step 1h holds 1 point; at least 2 are needed');
    expect(before.code).toBe('SERIES_TOO_SHORT');
    // Two grid points, of which only the first has data (the second is days after the last sample).
    const lastHour = END;
    const after = await failure(read({ query: `${METRIC}{service="web"}`, startMs: lastHour, endMs: lastHour + 2 * DAY, stepMs: 2 * DAY }, 'error'));
    expect(after.message).toBe(
      `prometheus ${prom.url}/: query '${METRIC}{service="web"}' returned 1 point with data from 2026-02-15T23:00:00Z to 2026-02-17T23:00:00Z; at least 2 are needed`,
    );
    expect(after.code).toBe('SERIES_TOO_SHORT');
    expect(after.exitCode).toBe(2);
  });

  it('answers a raw query_range the way the recorded fixtures assume (NaN sample as "NaN")', async () => {
    const at = (T0 + 3 * DAY + 7 * HOUR) / 1000;
    const res = await getText(`${prom.url}/api/v1/query_range?query=${encodeURIComponent(`${METRIC}{zone="a",service="api"}`)}&start=${at}&end=${at + 3600}&step=3600`);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as { data: { result: Array<{ values: Array<[number, string]> }> } };
    expect(body.data.result[0]!.values).toEqual([
      [at, 'NaN'],
      [at + 3600, String(expectedAt(values[0]!, (at + 3600) * 1000))],
    ]);
  });

  it('feeds forecast(): a week ahead from six weeks of Prometheus history tracks the known growth and daily cycle', async () => {
    const r = await read({ query: `${METRIC}{service="api",zone="a"}`, startMs: T0, endMs: END, stepMs: HOUR }, 'hourly for the forecast');
    const t = performance.now();
    const f = forecast(r.series, { horizon: 168, seasonalPeriods: [24], seed: 1 });
    timings.push(['forecast(), 1008 points, horizon 168', performance.now() - t]);
    expect(f.points).toHaveLength(168);
    expect(f.points[0]!.timestampMs).toBe(END + HOUR);
    // The truth: the noise-free level of the sample each future query would read (150 s before the hour).
    const s = SYNTHETIC[0]!;
    let absPctErr = 0;
    let inside95 = 0;
    for (const p of f.points) {
      const truth = level(s, p.timestampMs - 150_000);
      absPctErr += Math.abs(p.mean - truth) / truth;
      if (p.lo95 <= truth && truth <= p.hi95) inside95++;
    }
    // Noise is 1% of the base; a sound model stays within a few percent a week out and covers the truth.
    expect(absPctErr / 168).toBeLessThan(0.05);
    expect(inside95 / 168).toBeGreaterThan(0.9);
  });

  it('runs headroom forecast --prometheus end to end, saves what it fetched, and keeps the token out of both', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'headroom-cli-prom-'));
    try {
      const token = 'cli-token-5be1f0';
      // "Now" is 2026-02-16T00:20Z: -8w starts two weeks before the data, which is cut off (and said so).
      const ctx = memoryContext({ cwd: dir, env: { PROM_TOKEN: token }, now: () => new Date(Date.UTC(2026, 1, 16, 0, 20)) });
      const t = performance.now();
      const code = await run(
        ['forecast', '--prometheus', prom.url, '--query', `${METRIC}{service="api"}`, '--sum', '--start', '-8w', '--step', '1h',
          '--bearer-token-env', 'PROM_TOKEN', '--horizon', '24', '--season', '24', '--json', '--save', 'history.csv'],
        ctx,
      );
      timings.push(['CLI: forecast --prometheus --sum --json --save', performance.now() - t]);
      expect(ctx.err()).toBe('');
      expect(code).toBe(0);
      type Out = {
        points: unknown[];
        model: string;
        history: { source: string; points: number; first: string; last: string };
        repairs: { notes: string[]; filledGaps: unknown[] };
      };
      const out = JSON.parse(ctx.out()) as Out;
      expect(out.points).toHaveLength(24);
      expect(out.history).toMatchObject({ source: `${prom.url}/ ${METRIC}{service="api"}`, points: 1008, first: '2026-01-05T00:00:00Z', last: '2026-02-15T23:00:00Z' });
      expect(out.repairs.notes).toEqual([
        'read from Prometheus in 1 request of at most 11000 points',
        'summed 2 series',
        '1 point without data (1 NaN or infinite) in 1 run, the first at 2026-01-08T07:00:00Z',
        'cut 336 points without data from the start of the range',
        'cut 1 point without data from the end of the range',
        'saved the fetched history to history.csv',
        '1 of 1008 points (0.10%) are interpolated, not measured',
      ]);
      // The file readers' gap policy: the one NaN hour is filled by interpolation, and said so.
      expect(out.repairs.filledGaps).toEqual([{ start: '2026-01-08T07:00:00Z', points: 1 }]);
      const csv = await readFile(join(dir, 'history.csv'), 'utf8');
      const lines = csv.trimEnd().split('\n');
      expect(lines[0]).toBe(`timestamp,${METRIC}`);
      expect(lines).toHaveLength(1 + 1008);
      // Row k holds api/a + api/b as the server summed them; the NaN point is an empty cell.
      const a = expected(0, T0, END, HOUR);
      const b = expected(1, T0, END, HOUR);
      expect(lines[1]).toBe(`2026-01-05T00:00:00Z,${a[0]! + b[0]!}`);
      expect(lines[1 + 3 * 24 + 7]).toBe('2026-01-08T07:00:00Z,');
      expect(lines[1 + 10 * 24 + 3]).toBe(`2026-01-15T03:00:00Z,${b[10 * 24 + 3]!}`);
      expect(csv).not.toContain(token);
      expect(ctx.out()).not.toContain(token);
      // Rerun offline from the saved file: the same model and the same forecast, point for point.
      const offline = memoryContext({ cwd: dir });
      expect(await run(['forecast', 'history.csv', '--horizon', '24', '--season', '24', '--json'], offline)).toBe(0);
      const again = JSON.parse(offline.out()) as Out;
      expect(again.model).toBe(out.model);
      expect(again.points).toEqual(out.points);
      expect(again.repairs.filledGaps).toEqual(out.repairs.filledGaps);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('headroom forecast --prometheus: too little history for the model', () => {
  it('names the Prometheus source and what the model needs', async () => {
    const ctx = memoryContext();
    const code = await run(
      ['forecast', '--prometheus', prom.url, '--query', `${METRIC}{service="web"}`, '--start', '2026-02-15', '--end', '2026-02-15T23:00:00Z',
        '--horizon', '24', '--season', '168', '--model', 'ets'],
      ctx,
    );
    expect(code).toBe(2);
    expect(ctx.err()).toBe(`headroom: ${prom.url}/ ${METRIC}{service="web"}: history has 24 points; model ets with season 168 needs at least 336\n`);
  });
});

describe('headroom forecast --prometheus: gaps as for files', () => {
  it('refuses a gap longer than --max-gap, naming it, as it does for a file', async () => {
    const ctx = memoryContext();
    const code = await run(
      ['forecast', '--prometheus', prom.url, '--query', `${METRIC}{service="api",zone="a"}`, '--start', '2026-01-05', '--end', '2026-02-15T23:00:00Z',
        '--horizon', '24', '--max-gap', '1'],
      ctx,
    );
    expect(code).toBe(2);
    expect(ctx.err()).toBe(
      `headroom: ${prom.url}/ ${METRIC}{service="api",zone="a"}: 2 missing steps of 1h between 2026-01-15T02:00:00Z and 2026-01-15T05:00:00Z; at most 1 can be filled by interpolation\n`,
    );
  });
});

describe('stale markers from a real scrape', () => {
  it('turns the time a target was down into a gap, instead of carrying its last value for 5 minutes', async () => {
    // A loopback target Prometheus scrapes every 500 ms: up for 2 scrapes, down (HTTP 503) for 2, up for 2, down.
    // A failed scrape makes Prometheus write stale markers for the target's series, so range queries return no
    // points from then on; without them the 5-minute lookback would repeat the last value across the outage.
    let up = false;
    let value = 0;
    let scraped: (() => void) | undefined;
    const target = createServer((_req, res) => {
      if (up) {
        value++;
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(`# TYPE headroom_live gauge\nheadroom_live ${value}\n`);
      } else {
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('down\n');
      }
      scraped?.();
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const addr = target.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    const live = await startPrometheus(undefined, { scrapeTarget: `127.0.0.1:${port}` });
    const scrapes = async (n: number) => {
      for (let i = 0; i < n; i++) await new Promise<void>((resolve) => (scraped = resolve));
    };
    try {
      await scrapes(1);
      const startMs = Math.floor(Date.now() / 1000) * 1000;
      up = true;
      await scrapes(2);
      up = false;
      await scrapes(2);
      up = true;
      await scrapes(2);
      up = false;
      // Scrapes run one after another: once the second failed one starts, the first one's stale markers are written.
      await scrapes(2);
      const endMs = Math.ceil(Date.now() / 100) * 100;
      const t = performance.now();
      const r = await readPrometheus({ url: live.url, query: 'headroom_live', startMs, endMs, stepMs: 100 }, { env: {} });
      timings.push(['live scrape, step 100 ms', performance.now() - t]);
      const seen: number[] = [];
      for (const v of r.series.v) if (!Number.isNaN(v) && v !== seen[seen.length - 1]) seen.push(v);
      expect(seen).toEqual([1, 2, 3, 4]);
      // One gap inside the series, between 2 and 3, made of missing points only (two failed scrapes, about 1 s).
      expect(r.gaps).toHaveLength(1);
      const gap = r.gaps[0]!;
      const before = r.series.v[(gap.startMs - r.series.t[0]!) / 100 - 1];
      const after = r.series.v[(gap.startMs - r.series.t[0]!) / 100 + gap.points];
      expect([before, after]).toEqual([2, 3]);
      expect(gap.points).toBeGreaterThanOrEqual(4);
      expect(r.nanPoints).toBe(0);
      expect(r.missingPoints).toBe(gap.points);
      // After the final failed scrape the series ends: the trailing points without data (about 500 ms) were cut.
      expect(r.trimmed.trailing).toBeGreaterThanOrEqual(3);
    } finally {
      await live.stop();
      target.closeAllConnections();
      await new Promise<void>((resolve) => target.close(() => resolve()));
    }
  });
});
