import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryContext } from '../../src/cli/context.js';

async function listen<S extends Server | TcpServer>(s: S): Promise<number> {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return (s.address() as AddressInfo).port;
}

async function validate(args: string[]) {
  const ctx = memoryContext();
  const code = await run(['validate', ...args], ctx);
  return { code, out: ctx.out(), err: ctx.err() };
}

describe('headroom validate: bad input (exit 2) and failed checks (exit 1), one line each', () => {
  it('a malformed URL is bad input', async () => {
    expect(await validate(['--url', 'not-a-url'])).toMatchObject({
      code: 2,
      err: 'headroom: --url: expected an http(s) URL such as http://127.0.0.1:8080/cpu?ms=5, got "not-a-url"\n',
    });
    expect((await validate(['--url', 'ftp://127.0.0.1/x'])).err).toBe(
      'headroom: --url: expected an http(s) URL such as http://127.0.0.1:8080/cpu?ms=5, got "ftp://127.0.0.1/x"\n',
    );
    expect(await validate(['--rates', '10'])).toMatchObject({ code: 2, err: 'headroom: give --url URL (e.g. --url http://127.0.0.1:8080/cpu?ms=5) or a scenario file (headroom validate scenarios/validate-demo.yaml)\n' });
  });

  it('bad flags name the flag and what was expected', async () => {
    expect((await validate(['--url', 'http://127.0.0.1:9/', '--rates', '10,abc'])).err).toBe(
      'headroom: --rates: expected positive rates separated by commas, such as 50,100,150 (requests/s), got "10,abc"\n',
    );
    expect((await validate(['--url', 'http://127.0.0.1:9/', '--rates', '10', '--slo-p99', 'soon'])).err).toBe(
      'headroom: --slo-p99: expected a positive duration such as 250ms or 8s, got "soon"\n',
    );
    expect((await validate(['--url', 'http://127.0.0.1:9/', '--concurrency', '1,0'])).err).toBe(
      'headroom: --concurrency: expected positive integers separated by commas, such as 1,2,4,8, got "1,0"\n',
    );
    expect((await validate(['--url', 'http://127.0.0.1:9/', '--arrivals', 'bursty'])).err).toBe(
      'headroom: --arrivals: expected poisson or uniform, got "bursty"\n',
    );
  });

  it('a remote target without --allow-remote is bad input, before anything is sent', async () => {
    expect(await validate(['--url', 'http://example.com/', '--rates', '10'])).toMatchObject({
      code: 2,
      err: 'headroom: --url: example.com is not this machine; load-testing a remote service needs --allow-remote (make sure you may load it)\n',
    });
  });

  it('a plan over the request budget is refused before anything is sent', async () => {
    expect((await validate(['--url', 'http://127.0.0.1:9/', '--rates', '100,200', '--step-seconds', '10', '--max-requests', '1000'])).err).toBe(
      'headroom: --rates: the planned run sends about 3,300 requests, above --max-requests 1,000; lower the rates or --step-seconds, or raise --max-requests\n',
    );
  });

  it('a refused connection is bad input (the URL leads to no service)', async () => {
    const s = createHttpServer();
    const port = await listen(s);
    await new Promise<void>((r) => s.close(() => r()));
    expect(await validate(['--url', `http://127.0.0.1:${port}/x`, '--rates', '10', '--no-ceiling'])).toMatchObject({
      code: 2,
      err: `headroom: --url http://127.0.0.1:${port}/x: connection refused by 127.0.0.1:${port} (is the service running?)\n`,
    });
  });

  it('an unreachable URL is bad input: a host that does not resolve, a server that never answers', async () => {
    expect(await validate(['--url', 'http://headroom-test.invalid/x', '--allow-remote', '--rates', '10', '--no-ceiling'])).toMatchObject({
      code: 2,
      err: 'headroom: --url http://headroom-test.invalid/x: cannot resolve host "headroom-test.invalid"\n',
    });
    const sockets: Socket[] = [];
    const silent = createTcpServer((sock) => void sockets.push(sock));
    const port = await listen(silent);
    try {
      expect(await validate(['--url', `http://127.0.0.1:${port}/x`, '--rates', '10', '--no-ceiling', '--timeout', '300ms'])).toMatchObject({
        code: 2,
        err: `headroom: --url http://127.0.0.1:${port}/x: no answer within 0.3 s (unreachable, or too slow for --timeout)\n`,
      });
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('a 100% error rate is a failed check (the service is there, every request failed)', async () => {
    const s = createHttpServer((req, res) => {
      req.resume();
      res.writeHead(503).end('down');
    });
    const port = await listen(s);
    try {
      const r = await validate([
        '--url', `http://127.0.0.1:${port}/fail`, '--rates', '20,40', '--step-seconds', '1', '--warmup', '0s',
        '--arrivals', 'uniform', '--no-ceiling', '--abort-errors', '100%',
      ]);
      expect(r).toMatchObject({
        code: 1,
        err: `headroom: every request to http://127.0.0.1:${port}/fail failed at 20/s (20 sent; the most common answer was HTTP 503)\n`,
      });
      expect(r.out).toBe('');
    } finally {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  });

  it('without --json: a table per step, the knee and a verdict on stdout, a progress line per step on a terminal', async () => {
    const s = createHttpServer((req, res) => {
      req.resume();
      res.end('ok');
    });
    const port = await listen(s);
    try {
      const ctx = memoryContext({ isTTY: true });
      const code = await run(
        ['validate', '--url', `http://127.0.0.1:${port}/ok`, '--rates', '20,40', '--step-seconds', '0.5', '--warmup', '0s', '--arrivals', 'uniform', '--no-ceiling'],
        ctx,
      );
      expect(code).toBe(0);
      expect(ctx.err()).toBe(
        'step 1/2: 20/s for 0.5 s (+0 s warm-up)\n' +
          ctx.err().split('\n')[1] + '\n' +
          'step 2/2: 40/s for 0.5 s (+0 s warm-up)\n' +
          ctx.err().split('\n')[3] + '\n',
      );
      expect(ctx.err().split('\n')[1]).toMatch(/^step 1\/2: 20\/s → [\d.]+\/s, p99 [\d.]+ ms, failed 0\.0%$/);
      const out = ctx.out();
      expect(out).toMatch(/^validate GET http:\/\/127\.0\.0\.1:\d+\/ok {2}\(open model, uniform arrivals; latency from the intended send time, ms\)\n/);
      expect(out).toMatch(/\noffered\/s  achieved\/s +p50 +p90 +p99 +max  errors  timeouts  dropped  failed\n/);
      expect(out).toContain('\nknee: 40/s — next: every step passed: the knee is at or above the highest step\n');
      expect(out).toContain('saturation throughput: ');
      expect(out).toContain('(not reached: a lower bound)');
      expect(out.endsWith('\nverdict: knee at 40/s; no model given, nothing to check\n')).toBe(true);
    } finally {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  });
});
