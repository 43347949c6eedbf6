/**
 * Chunking and joining, against answers recorded from the real Prometheus (test/fixtures/prometheus/recorded.json,
 * written by record.ts) and replayed by a loopback server. The integration test covers the same ground live; this one
 * pins the exact requests and runs without Prometheus installed.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToGrid, emptyGrid } from '../../src/series/prometheus-join.js';
import { MAX_GET_PARAMS } from '../../src/series/prometheus-http.js';
import { planRange } from '../../src/series/prometheus-range.js';
import { parseQueryRangeBody } from '../../src/series/prometheus-response.js';
import { readPrometheus } from '../../src/series/read-prometheus.js';
import { DAY, HOUR, METRIC, T0, expectedAt, headroomFailure, sampleValues, startReplayServer, type RecordedAnswer, type ReplayServer } from '../helpers/prometheus.js';

const recorded = JSON.parse(readFileSync(new URL('../fixtures/prometheus/recorded.json', import.meta.url), 'utf8')) as RecordedAnswer[];
const answer = (name: string) => recorded.find((r) => r.name === name)!;
const D3 = T0 + 3 * DAY;
const API_A = `${METRIC}{service="api",zone="a"}`;

describe('planRange', () => {
  it('covers the grid with consecutive requests that share no point', () => {
    const plan = planRange(0, 10_000, 1000, 4);
    expect(plan.points).toBe(11);
    expect(plan.chunks).toEqual([
      { firstIndex: 0, points: 4, startMs: 0, endMs: 3000 },
      { firstIndex: 4, points: 4, startMs: 4000, endMs: 7000 },
      { firstIndex: 8, points: 3, startMs: 8000, endMs: 10_000 },
    ]);
  });

  it('keeps every request inside Prometheus limit: (end - start) / step <= 11000', () => {
    // Six weeks at one minute: 60480 points, 11000 per request.
    const plan = planRange(T0, T0 + 42 * DAY - 60_000, 60_000, 11_000);
    expect(plan.points).toBe(60_480);
    expect(plan.chunks.map((c) => c.points)).toEqual([11_000, 11_000, 11_000, 11_000, 11_000, 5480]);
    for (const c of plan.chunks) expect((c.endMs - c.startMs) / 60_000).toBeLessThanOrEqual(11_000);
    const total = plan.chunks.reduce((n, c) => n + c.points, 0);
    expect(total).toBe(plan.points);
  });

  it('drops an end that is not on the grid, as Prometheus does', () => {
    const plan = planRange(0, 2500, 1000, 11_000);
    expect(plan.points).toBe(3);
    expect(plan.chunks).toEqual([{ firstIndex: 0, points: 3, startMs: 0, endMs: 2000 }]);
  });
});

describe('parseQueryRangeBody on recorded answers', () => {
  it('reads times in ms and values as numbers, with "NaN" as NaN', () => {
    const body = parseQueryRangeBody(answer('whole').body);
    expect(body?.ok).toBe(true);
    if (!body?.ok) return;
    const s = body.series[0]!;
    expect(s.labels).toEqual({ __name__: METRIC, service: 'api', zone: 'a' });
    expect(s.t).toHaveLength(25);
    expect(s.t[0]).toBe(D3);
    // Against the generator: the value each hour is the sample 150 s before it.
    const values = sampleValues(0);
    for (let k = 0; k < 25; k++) {
      const want = expectedAt(values, D3 + k * HOUR);
      expect(s.v[k]).toBe(want);
    }
    expect(s.v[7]).toBeNaN();
  });

  it("reads Prometheus' error object", () => {
    expect(parseQueryRangeBody(answer('promql-error').body)).toEqual({
      ok: false,
      errorType: 'bad_data',
      error: '1:6: parse error: expected type range vector in call to function "rate", got instant vector',
    });
  });

  it('returns undefined for text that is not an API answer', () => {
    expect(parseQueryRangeBody('<html>login</html>')).toBeUndefined();
    expect(parseQueryRangeBody('{"status":"success","data":{"resultType":"vector","result":[]}}')).toBeUndefined();
  });
});

describe('joining recorded chunks', () => {
  it('places overlapping answers by grid index: the shared boundary point is kept once', () => {
    const grid = emptyGrid(D3, HOUR, 25);
    for (const name of ['overlap-0', 'overlap-1']) {
      const body = parseQueryRangeBody(answer(name).body);
      if (!body?.ok) throw new Error('bad fixture');
      addToGrid(grid, body.series, 'test');
    }
    expect(grid.duplicates).toBe(1);
    const whole = parseQueryRangeBody(answer('whole').body);
    if (!whole?.ok) throw new Error('bad fixture');
    const g = [...grid.series.values()][0]!;
    expect(Array.from(g.v)).toEqual(whole.series[0]!.v);
    expect(Array.from(g.present)).toEqual(new Array(25).fill(1));
  });
});

describe('readPrometheus against replayed answers', () => {
  let server: ReplayServer;
  beforeAll(async () => {
    server = await startReplayServer(recorded);
  });
  afterAll(async () => {
    await server.close();
  });

  it('asks for exactly the recorded chunks and joins them into the recorded whole', async () => {
    server.seen.length = 0;
    const r = await readPrometheus({ url: server.url, query: API_A, startMs: D3, endMs: D3 + DAY, stepMs: HOUR, maxPointsPerRequest: 10 }, { env: {} });
    expect(server.seen.map((s) => s.params)).toEqual(['chunk-0', 'chunk-1', 'chunk-2'].map((n) => answer(n).params));
    expect(server.seen.every((s) => s.path === '/api/v1/query_range')).toBe(true);
    expect(r.requests).toBe(3);
    const whole = parseQueryRangeBody(answer('whole').body);
    if (!whole?.ok) throw new Error('bad fixture');
    expect(Array.from(r.series.t)).toEqual(whole.series[0]!.t);
    expect(Array.from(r.series.v)).toEqual(whole.series[0]!.v);
    expect(r.gaps).toEqual([{ startMs: D3 + 7 * HOUR, points: 1 }]);
    expect(r.repairs.duplicatesDropped).toBe(0);
  });

  it('reports progress after each request', async () => {
    const calls: Array<[number, number]> = [];
    await readPrometheus(
      { url: server.url, query: API_A, startMs: D3, endMs: D3 + DAY, stepMs: HOUR, maxPointsPerRequest: 10 },
      { env: {}, onProgress: (done, total) => calls.push([done, total]) },
    );
    expect(calls).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });

  it('sums the three recorded series point by point', async () => {
    const r = await readPrometheus({ url: server.url, query: METRIC, startMs: D3, endMs: D3 + 6 * HOUR, stepMs: HOUR, select: 'sum' }, { env: {} });
    const vals = [0, 1, 2].map((i) => sampleValues(i));
    const want = Array.from({ length: 7 }, (_, k) => vals.reduce((sum, v) => sum + expectedAt(v, D3 + k * HOUR)!, 0));
    expect(Array.from(r.series.v)).toEqual(want);
    expect(r.labels.map((l) => l.service + '/' + l.zone)).toEqual(['api/a', 'api/b', 'web/a']);
  });

  it('sends a query too long for a URL as a form POST, and reads the same answer', async () => {
    server.seen.length = 0;
    const long = answer('long-query');
    expect(long.params.query.length).toBeGreaterThan(MAX_GET_PARAMS);
    const r = await readPrometheus({ url: server.url, query: long.params.query, startMs: D3, endMs: D3 + 6 * HOUR, stepMs: HOUR }, { env: {} });
    expect(server.seen.map((s) => [s.method, s.path])).toEqual([['POST', '/api/v1/query_range']]);
    expect(server.seen[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(server.seen[0]!.params).toEqual(long.params);
    const whole = parseQueryRangeBody(answer('whole').body);
    if (!whole?.ok) throw new Error('bad fixture');
    expect(Array.from(r.series.v)).toEqual(whole.series[0]!.v.slice(0, 7));
    // A short query goes by GET.
    server.seen.length = 0;
    await readPrometheus({ url: server.url, query: API_A, startMs: D3, endMs: D3 + DAY, stepMs: HOUR }, { env: {} });
    expect(server.seen.map((s) => s.method)).toEqual(['GET']);
  });

  it("passes Prometheus' error message through", async () => {
    const e = await headroomFailure(
      readPrometheus({ url: server.url, query: `rate(${METRIC})`, startMs: D3, endMs: D3 + 6 * HOUR, stepMs: HOUR }, { env: {} }),
    );
    expect(e.message).toBe(
      `prometheus ${server.url}/: query rejected (HTTP 400 Bad Request, bad_data): 1:6: parse error: expected type range vector in call to function "rate", got instant vector`,
    );
  });
});
