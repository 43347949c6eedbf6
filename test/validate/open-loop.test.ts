import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOpenLoopStep } from '../../src/validate/open-loop.js';
import { runClosedLoop } from '../../src/validate/closed-loop.js';
import type { RequestTarget } from '../../src/validate/types.js';
import { startDemo, type RunningDemo } from '../helpers/demo-server.js';

const get = (url: string): RequestTarget => ({ url: new URL(url), method: 'GET', headers: {}, body: undefined });

/**
 * A slow endpoint in the test process that records when each request ARRIVED (the independent truth of the sender's
 * schedule) and how many were outstanding at once, and answers after `delayMs` (or never, for `/hang`).
 */
async function slowServer(delayMs: number): Promise<{ url: string; arrivals: number[]; maxOutstanding: () => number; close: () => Promise<void> }> {
  const arrivals: number[] = [];
  let outstanding = 0;
  let max = 0;
  const server: Server = createServer((req, res) => {
    arrivals.push(performance.now());
    req.resume();
    if (req.url === '/hang') return;
    outstanding++;
    max = Math.max(max, outstanding);
    setTimeout(() => {
      outstanding--;
      res.end('ok');
    }, delayMs);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    maxOutstanding: () => max,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe('open-model sender: the schedule (against a slow endpoint)', () => {
  it('keeps sending on schedule while earlier requests are still outstanding', async () => {
    const s = await slowServer(400);
    try {
      const r = await runOpenLoopStep({ target: get(`${s.url}/slow`), rate: 50, duration: 2, warmup: 0.2, arrivals: 'uniform' });
      // 50/s for 2.2 s = 110 sends; every one arrived at the server although each took 400 ms to answer.
      expect(r.scheduled).toBe(100);
      expect(r.succeeded).toBe(100);
      expect(s.arrivals.length).toBe(110);
      // Sends did not wait for answers: about 50/s × 0.4 s = 20 were outstanding at once.
      expect(s.maxOutstanding()).toBeGreaterThanOrEqual(15);
      // Achieved arrival rate at the server and its inter-arrival gaps (uniform schedule: 20 ms each).
      const a = s.arrivals;
      const rate = (a.length - 1) / ((a[a.length - 1]! - a[0]!) / 1000);
      expect(rate).toBeGreaterThan(45);
      expect(rate).toBeLessThan(55);
      const gaps = a.slice(1).map((t, i) => t - a[i]!).sort((x, y) => x - y);
      const median = gaps[Math.floor(gaps.length / 2)]!;
      expect(median).toBeGreaterThan(16);
      expect(median).toBeLessThan(24);
      // Latency from the intended send time is at least the 400 ms the server waits.
      expect(r.p50).toBeGreaterThanOrEqual(0.4);
      expect(r.dropped).toBe(0);
      expect(r.inFlightAtEnd).toBeGreaterThanOrEqual(10);
    } finally {
      await s.close();
    }
  });

  it('Poisson arrivals: exactly rate × duration requests in the window, and the warm-up counted apart', async () => {
    const s = await slowServer(1);
    try {
      const a = await runOpenLoopStep({ target: get(`${s.url}/x`), rate: 200, duration: 1, warmup: 0.2, arrivals: 'poisson', seed: 3 });
      expect(a.scheduled).toBe(200);
      expect(a.succeeded).toBe(200);
      // 40 warm-up requests and 200 measured ones reached the server.
      expect(s.arrivals.length).toBe(240);
    } finally {
      await s.close();
    }
  });

  it('counts sends skipped at the in-flight bound and requests past the timeout, never drops them silently', async () => {
    const s = await slowServer(300);
    try {
      const r = await runOpenLoopStep({ target: get(`${s.url}/slow`), rate: 100, duration: 1, warmup: 0, arrivals: 'uniform', maxInFlight: 5, abortErrorRate: 1 });
      expect(r.scheduled).toBe(100);
      expect(r.dropped).toBeGreaterThan(50);
      expect(r.succeeded + r.dropped + r.errors + r.timeouts).toBe(r.scheduled);
      expect(s.maxOutstanding()).toBeLessThanOrEqual(5);

      const t = await runOpenLoopStep({ target: get(`${s.url}/hang`), rate: 20, duration: 0.5, warmup: 0, arrivals: 'uniform', timeout: 0.2, abortErrorRate: 1 });
      expect(t.scheduled).toBe(10);
      expect(t.timeouts).toBe(10);
      expect(t.succeeded).toBe(0);
      expect(Number.isNaN(t.p50)).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('stops a step when its error rate passes the cut-off', async () => {
    const s = await slowServer(1);
    try {
      const r = await runOpenLoopStep({ target: get(`${s.url}/hang`), rate: 100, duration: 5, warmup: 0, timeout: 0.05, abortErrorRate: 0.5 });
      expect(r.aborted).toBe('error rate 100% passed the cut-off of 50%');
      expect(r.duration).toBeLessThan(5);
    } finally {
      await s.close();
    }
  });
});

describe('open-model sender against serve-demo', () => {
  let demo: RunningDemo;
  beforeAll(async () => {
    demo = await startDemo(['--workers', '1']);
  });
  afterAll(async () => {
    await demo.stop();
  });

  it('at 25% utilisation its p50 is close to the bare service time (no queueing made by the sender)', async () => {
    // The bare service time: one request at a time (closed loop, one connection), measured now on this machine.
    const bare = await runClosedLoop({ target: get(`${demo.url}/cpu?ms=5`), connections: 1, duration: 1.5, warmup: 0.3 });
    // /cpu?ms=5 on one worker: capacity 200/s, so 50/s is 25% utilisation. Evenly spaced arrivals 20 ms apart never
    // queue behind a 5 ms request (D/D/1), so the open-model median should be the bare one, not more.
    const r = await runOpenLoopStep({ target: get(`${demo.url}/cpu?ms=5`), rate: 50, duration: 3, warmup: 0.5, arrivals: 'uniform' });
    // the bare time again just after: on a shared machine the load of the neighbours changes within seconds
    const bareAfter = await runClosedLoop({ target: get(`${demo.url}/cpu?ms=5`), connections: 1, duration: 1.5, warmup: 0.3 });
    const bareP50 = Math.max(bare.p50, bareAfter.p50);
    expect(r.succeeded).toBe(150);
    expect(r.achievedRate).toBeGreaterThan(47);
    expect(bare.p50).toBeGreaterThanOrEqual(0.005);
    expect(r.p50).toBeGreaterThanOrEqual(0.005);
    // The failure this guards against is gross: autocannon's overallRate, which sends each second's quota in bursts,
    // reported a p50 of 44 ms (raw 96 ms) at this load against a 5.7 ms truth. The margin leaves room for a 2-core
    // machine at a load average of 6 or 7 (other test suites), where the sender's own wake-ups and the target's
    // thread wait for a core, which counts against the open-model latency and not the closed-loop one: 9.4–14.4 ms
    // were measured there against a bare 5.5–6.2 ms.
    expect(r.p50, JSON.stringify({ bare: bare.p50, bareAfter: bareAfter.p50, machineBusy: r.machineBusyShare })).toBeLessThan(bareP50 * 2.5 + 0.002);
  });
});
