import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { cpuCapacity, demoCapacities, ioCapacity, lockCapacity, mixCapacity } from '../../src/demo/capacity.js';
import { startDemo, type RunningDemo } from '../helpers/demo-server.js';

describe('serve-demo capacity (utilisation law: c servers each busy s seconds complete at most c / s per second)', () => {
  const cfg = { workers: 1, ioPool: 4, cores: 2 };
  it('per endpoint, from configuration alone', () => {
    expect(cpuCapacity(cfg, 5).capacity).toBe(200);
    expect(cpuCapacity({ ...cfg, workers: 8 }, 5).capacity).toBe(400); // 8 threads on 2 cores: the cores bound it
    expect(ioCapacity(cfg, 20).capacity).toBe(200);
    expect(lockCapacity({ ...cfg, workers: 8 }, 10, 0.25)).toMatchObject({ capacity: 400, bottleneck: 'the lock' });
    expect(lockCapacity(cfg, 10, 0.25)).toMatchObject({ capacity: 100, bottleneck: '1 worker thread' });
    expect(cpuCapacity(cfg, 5).bottleneck).toBe('1 worker thread');
    expect(mixCapacity(cfg, 5, 20, 0.5).capacity).toBe(400); // CPU: 200 / 0.5; I/O: 200 / 0.5
    expect(mixCapacity(cfg, 5, 40, 0.5).capacity).toBe(200); // I/O: (4 / 40 ms) / 0.5
    expect(demoCapacities(cfg).map((c) => c.path)).toEqual(['/cpu?ms=5', '/io?ms=20', '/lock?ms=10&serial=0.25', '/mix?cpu=5&io=20&p=0.5']);
  });
});

describe('serve-demo (the real server in its own process)', () => {
  let demo: RunningDemo;
  beforeAll(async () => {
    demo = await startDemo(['--workers', '4', '--io-pool', '2']);
  });
  afterAll(async () => {
    await demo.stop();
  });

  const get = async (path: string) => {
    const t0 = performance.now();
    const r = await request(`${demo.url}${path}`);
    const text = await r.body.text();
    return { status: r.statusCode, text, ms: performance.now() - t0 };
  };

  it('prints its theoretical capacity per endpoint on start', () => {
    expect(demo.banner).toMatch(/^serve-demo listening on http:\/\/127\.0\.0\.1:\d+ \(workers 4, I\/O pool 2, \d+ cores\)\n/);
    expect(demo.banner).toContain('theoretical capacity per endpoint (requests/s at utilisation 1):');
    expect(demo.banner).toMatch(/\/io\?ms=20 +100\.0\/s {2}bound by 2 I\/O slots/);
    expect(demo.banner).toMatch(/\/lock\?ms=10&serial=0\.25 +400\.0\/s {2}bound by 4 worker threads/);
  });

  it('answers /health, and 404 / 400 for unknown paths and bad parameters', async () => {
    expect(await get('/health')).toMatchObject({ status: 200, text: 'ok\n' });
    expect(await get('/nope')).toMatchObject({ status: 404, text: 'no such endpoint: /nope\n' });
    expect(await get('/cpu?ms=abc')).toMatchObject({ status: 400, text: 'ms must be a number in [0, 10000], got abc\n' });
    expect(await get('/lock?serial=2')).toMatchObject({ status: 400, text: 'serial must be a number in [0, 1], got 2\n' });
    expect(await get('/mix?cpu=1&io=1&p=0.5')).toMatchObject({ status: 200, text: 'ok\n' });
  });

  it('/cpu takes at least its service time', async () => {
    const r = await get('/cpu?ms=30');
    expect(r.status).toBe(200);
    expect(r.ms).toBeGreaterThanOrEqual(30);
  });

  it('/io queues beyond its pool: 4 requests on 2 slots of 100 ms take at least 200 ms', async () => {
    const t0 = performance.now();
    await Promise.all([1, 2, 3, 4].map(() => get('/io?ms=100')));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(199);
  });

  it('/lock serialises its serial part across worker threads: 4 at once with serial=1 take at least 4 × 40 ms', async () => {
    const t0 = performance.now();
    await Promise.all([1, 2, 3, 4].map(() => get('/lock?ms=40&serial=1')));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(159);
  });
});
