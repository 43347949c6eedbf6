import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runSweep } from '../../src/validate/closed-loop.js';
import { measureGeneratorCeiling } from '../../src/validate/ceiling.js';

describe('closed-loop sweep (autocannon)', () => {
  it("follows Little's law, X = N / R, against an endpoint that holds each request 20 ms", async () => {
    const server = createServer((req, res) => {
      req.resume();
      setTimeout(() => res.end('ok'), 20);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      const pts = await runSweep({ target: { url, method: 'GET', headers: {}, body: undefined }, concurrency: [1, 4], stepSeconds: 1, warmup: 0.3 });
      expect(pts.map((p) => [p.concurrency, p.label, p.errors])).toEqual([
        [1, 'closed-loop', 0],
        [4, 'closed-loop', 0],
      ]);
      for (const p of pts) {
        expect(p.p50).toBeGreaterThanOrEqual(0.02);
        // N connections each waiting R per request complete N / R per second (Little's law); timers run in parallel.
        const little = p.concurrency / p.p50;
        expect(p.throughput / little).toBeGreaterThan(0.8);
        expect(p.throughput / little).toBeLessThan(1.2);
      }
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it("measures the generator's ceiling against a trivial endpoint in its own process", async () => {
    const c = await measureGeneratorCeiling({ duration: 1, connections: 8 });
    expect(c.connections).toBe(8);
    expect(c.requestsPerSecond).toBeGreaterThan(500);
  });
});
