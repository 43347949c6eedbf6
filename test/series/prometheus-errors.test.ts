/**
 * Credentials, bad input and failing servers. Auth is checked against a loopback server that records the headers it
 * receives (Prometheus itself checks no auth) and replies with an answer recorded from the real server.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStep, parseTimeSpec, resolveRange } from '../../src/series/prometheus-time.js';
import { readPrometheus, type PrometheusQuery } from '../../src/series/read-prometheus.js';
import { DAY, HOUR, METRIC, T0, freePort, headroomFailure, startReplayServer, type RecordedAnswer, type ReplayServer } from '../helpers/prometheus.js';

const recorded = JSON.parse(readFileSync(new URL('../fixtures/prometheus/recorded.json', import.meta.url), 'utf8')) as RecordedAnswer[];
const D3 = T0 + 3 * DAY;
const API_A = `${METRIC}{service="api",zone="a"}`;
const TOKEN = 'tok-3f9a1c77e2';
const PAIR = 'planner:pw-91d0c3aa';

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer(recorded, (req) => {
    if (req.path === '/echo-auth/api/v1/query_range') {
      // A proxy that quotes the credentials back in its error page: they must not reach any message.
      return { status: 401, body: `bad credentials: ${String(req.headers.authorization)}\n` };
    }
    if (req.path === '/html/api/v1/query_range') return { status: 200, contentType: 'text/html', body: '<html><body>Sign in</body></html>' };
    if (req.path === '/bad-gateway/api/v1/query_range') return { status: 502, body: 'upstream connect error\nsecond line' };
    if (req.path === '/hang/api/v1/query_range') return 'hang';
    return undefined;
  });
});
afterAll(async () => {
  await server.close();
});

const base = (over: Partial<PrometheusQuery> = {}): PrometheusQuery => ({
  url: server.url,
  query: API_A,
  startMs: D3,
  endMs: D3 + DAY,
  stepMs: HOUR,
  ...over,
});

describe('credentials', () => {
  it('sends a bearer token from the named variable, and keeps it out of the result', async () => {
    server.seen.length = 0;
    const r = await readPrometheus(base({ auth: { bearerTokenEnv: 'PROM_TOKEN' } }), { env: { PROM_TOKEN: TOKEN } });
    expect(server.seen).toHaveLength(1);
    expect(server.seen[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(r.series.source).toBe(`${server.url}/ ${API_A}`);
    expect(JSON.stringify({ ...r, series: { ...r.series, t: [...r.series.t], v: [...r.series.v] } })).not.toContain(TOKEN);
  });

  it('sends basic auth (RFC 7617) from a user:password variable', async () => {
    server.seen.length = 0;
    await readPrometheus(base({ auth: { basicAuthEnv: 'PROM_AUTH' } }), { env: { PROM_AUTH: PAIR } });
    // Independent encoding: RFC 7617's example form, base64 of "user:password".
    expect(server.seen[0]!.headers.authorization).toBe(`Basic ${btoa(PAIR)}`);
  });

  it('sends no Authorization header without auth', async () => {
    server.seen.length = 0;
    await readPrometheus(base(), { env: { PROM_TOKEN: TOKEN } });
    expect(server.seen[0]!.headers.authorization).toBeUndefined();
  });

  it('names a missing variable without guessing', async () => {
    const e = await headroomFailure(readPrometheus(base({ auth: { bearerTokenEnv: 'PROM_TOKEN' } }), { env: {} }));
    expect(e.message).toBe('prometheus auth: environment variable PROM_TOKEN (bearer token) is not set');
    expect(e.exitCode).toBe(2);
    const b = await headroomFailure(readPrometheus(base({ auth: { basicAuthEnv: 'PROM_AUTH' } }), { env: {} }));
    expect(b.message).toBe('prometheus auth: environment variable PROM_AUTH (basic auth) is not set');
  });

  it('rejects a basic-auth variable without a colon, without showing its value', async () => {
    const e = await headroomFailure(readPrometheus(base({ auth: { basicAuthEnv: 'PROM_AUTH' } }), { env: { PROM_AUTH: 'justapassword' } }));
    expect(e.message).toBe('prometheus auth: environment variable PROM_AUTH must hold user:password');
  });

  it('rejects a token that cannot go into a header, without showing it', async () => {
    const e = await headroomFailure(readPrometheus(base({ auth: { bearerTokenEnv: 'T' } }), { env: { T: 'abc def\nghi' } }));
    expect(e.message).toBe('prometheus auth: environment variable T holds characters a bearer token cannot have (only visible ASCII)');
  });

  it('rejects both kinds at once', async () => {
    const e = await headroomFailure(
      readPrometheus(base({ auth: { bearerTokenEnv: 'A', basicAuthEnv: 'B' } }), { env: { A: TOKEN, B: PAIR } }),
    );
    expect(e.message).toBe('prometheus auth: give bearerTokenEnv or basicAuthEnv, not both');
  });

  it('blanks credentials a server quotes back', async () => {
    const bearer = await headroomFailure(
      readPrometheus(base({ url: `${server.url}/echo-auth`, auth: { bearerTokenEnv: 'T' } }), { env: { T: TOKEN } }),
    );
    expect(bearer.message).toBe(`prometheus ${server.url}/echo-auth/: HTTP 401 Unauthorized: bad credentials: Bearer ***`);
    const basic = await headroomFailure(readPrometheus(base({ url: `${server.url}/echo-auth`, auth: { basicAuthEnv: 'B' } }), { env: { B: PAIR } }));
    expect(basic.message).toBe(`prometheus ${server.url}/echo-auth/: HTTP 401 Unauthorized: bad credentials: Basic ***`);
  });

  it('refuses credentials written into the URL, without echoing it', async () => {
    const e = await headroomFailure(readPrometheus(base({ url: `http://planner:${TOKEN}@127.0.0.1:9090` }), { env: {} }));
    expect(e.message).toBe('prometheus url: credentials in the URL are not accepted; name an environment variable in auth instead');
    expect(e.message).not.toContain(TOKEN);
  });
});

describe('bad input (exit 2)', () => {
  const cases: Array<[string, Partial<PrometheusQuery>, string]> = [
    ['a URL that is not one', { url: 'prom:9090' }, 'prometheus url: expected an http:// or https:// URL, got "prom:9090"'],
    ['no scheme', { url: '127.0.0.1:9090' }, 'prometheus url: expected an http:// or https:// URL, got "127.0.0.1:9090"'],
    ['an empty query', { query: ' ' }, 'prometheus query: expected a PromQL expression, got " "'],
    ['a zero step', { stepMs: 0 }, 'prometheus step: expected a positive whole number of milliseconds, got 0'],
    ['a fractional step', { stepMs: 0.5 }, 'prometheus step: expected a positive whole number of milliseconds, got 0.5'],
    ['a start that is not a time', { startMs: NaN }, 'prometheus start: expected a time in epoch milliseconds, got NaN'],
    ['end before start', { endMs: D3 - HOUR }, 'prometheus range: end 2026-01-07T23:00:00Z is before start 2026-01-08T00:00:00Z'],
    ['zero points per request', { maxPointsPerRequest: 0 }, 'prometheus maxPointsPerRequest: expected a positive whole number, got 0'],
    ['no labels to select by', { select: { labels: {} } }, 'prometheus select.labels: expected at least one label=value pair, got none'],
    [
      'a step that would fetch too much',
      { startMs: T0, endMs: T0 + 365 * DAY, stepMs: 1000 },
      'prometheus range: 2026-01-05T00:00:00Z to 2027-01-05T00:00:00Z at step 1s holds 31536001 points; one read fetches at most 10000000',
    ],
    [
      'a millisecond step over a century (refused at once, before any planning)',
      { startMs: T0, endMs: T0 + 36_525 * DAY, stepMs: 1 },
      'prometheus range: 2026-01-05T00:00:00Z to 2126-01-06T00:00:00Z at step 1ms holds 3155760000001 points; one read fetches at most 10000000',
    ],
  ];
  for (const [what, over, message] of cases) {
    it(`reports ${what}`, async () => {
      const e = await headroomFailure(readPrometheus(base(over), { env: {} }));
      expect(e.message).toBe(message);
      expect(e.exitCode).toBe(2);
    });
  }
});

describe('failing servers', () => {
  it('reports a refused connection', async () => {
    const e = await headroomFailure(readPrometheus(base({ url: 'http://127.0.0.1:9/' }), { env: {} }));
    expect(e.message).toBe('prometheus http://127.0.0.1:9/: connection refused');
    expect(e.code).toBe('NETWORK');
    expect(e.exitCode).toBe(2);
    const port = await freePort();
    const f = await headroomFailure(readPrometheus(base({ url: `http://127.0.0.1:${port}` }), { env: {} }));
    expect(f.message).toBe(`prometheus http://127.0.0.1:${port}/: connection refused`);
  });

  it('gives up on a server that does not answer', async () => {
    const e = await headroomFailure(readPrometheus(base({ url: `${server.url}/hang`, timeoutMs: 200 }), { env: {} }));
    expect(e.message).toBe(`prometheus ${server.url}/hang/: no answer within 0.2 s`);
    expect(e.code).toBe('NETWORK');
  });

  it('reports an HTTP error with its status and the first line of the body', async () => {
    const e = await headroomFailure(readPrometheus(base({ url: `${server.url}/bad-gateway` }), { env: {} }));
    expect(e.message).toBe(`prometheus ${server.url}/bad-gateway/: HTTP 502 Bad Gateway: upstream connect error`);
  });

  it('reports an answer that is not from Prometheus', async () => {
    const e = await headroomFailure(readPrometheus(base({ url: `${server.url}/html` }), { env: {} }));
    expect(e.message).toBe(
      `prometheus ${server.url}/html/: the answer is not a Prometheus range-query result (content-type text/html): <html><body>Sign in</body></html>`,
    );
    expect(e.hint).toBe('the URL should be the Prometheus server itself, e.g. http://host:9090');
  });
});

describe('times and steps as written in YAML and on the command line', () => {
  const now = Date.UTC(2026, 10, 25, 7, 54, 15);
  it('reads ISO 8601 dates and times with a zone, and Unix seconds', () => {
    expect(parseTimeSpec('2026-01-05', now)).toEqual({ ms: Date.UTC(2026, 0, 5), relative: false });
    expect(parseTimeSpec('2026-01-05T12:30:00Z', now)).toEqual({ ms: Date.UTC(2026, 0, 5, 12, 30), relative: false });
    expect(parseTimeSpec('2026-01-05T12:30:00+02:00', now)).toEqual({ ms: Date.UTC(2026, 0, 5, 10, 30), relative: false });
    expect(parseTimeSpec(1767571200, now)).toEqual({ ms: Date.UTC(2026, 0, 5), relative: false });
    expect(parseTimeSpec('1767571200.5', now)).toEqual({ ms: Date.UTC(2026, 0, 5) + 500, relative: false });
  });

  it('reads times relative to now', () => {
    expect(parseTimeSpec('now', now)).toEqual({ ms: now, relative: true });
    expect(parseTimeSpec('-8w', now)).toEqual({ ms: now - 8 * 7 * DAY, relative: true });
    expect(parseTimeSpec('now-36h', now)).toEqual({ ms: now - 36 * HOUR, relative: true });
  });

  it('refuses a time of day without a zone and other text', () => {
    expect(parseTimeSpec('2026-01-05T12:30:00', now)).toBeUndefined();
    expect(parseTimeSpec('yesterday', now)).toBeUndefined();
    expect(parseTimeSpec('-8 fortnights', now)).toBeUndefined();
  });

  it('rounds relative times down to the step, and leaves absolute ones alone', () => {
    expect(resolveRange('-8w', 'now', HOUR, now)).toEqual({ startMs: Date.UTC(2026, 8, 30, 7), endMs: Date.UTC(2026, 10, 25, 7) });
    expect(resolveRange('2026-01-05T00:10:00Z', '2026-02-01', HOUR, now)).toEqual({
      startMs: Date.UTC(2026, 0, 5, 0, 10),
      endMs: Date.UTC(2026, 1, 1),
    });
    expect(resolveRange('soon', 'now', HOUR, now)).toEqual({ error: 'start' });
    expect(resolveRange('-1d', 'later', HOUR, now)).toEqual({ error: 'end' });
  });

  it('reads steps', () => {
    expect(parseStep('1h')).toBe(HOUR);
    expect(parseStep('5m')).toBe(300_000);
    expect(parseStep(30)).toBe(30_000);
    expect(parseStep('0s')).toBeUndefined();
    expect(parseStep('hourly')).toBeUndefined();
  });
});
