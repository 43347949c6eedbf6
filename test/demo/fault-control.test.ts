import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { faultControlRefusal, isLoopbackAddress, parseFaultRequest } from '../../src/demo/fault-control.js';
import { startDemoServer, type DemoServer } from '../../src/demo/server.js';
import { startDemo, type RunningDemo } from '../helpers/demo-server.js';

describe('fault control access (pure rule)', () => {
  it('is refused when disabled, whoever asks', () => {
    expect(faultControlRefusal(false, '127.0.0.1')).toBe('fault control is disabled: start serve-demo with --fault-control to allow it');
  });
  it('is refused from an address that is not this machine', () => {
    expect(faultControlRefusal(true, '10.0.0.7')).toBe('fault control answers only clients on this machine (loopback), not 10.0.0.7');
    expect(faultControlRefusal(true, '::ffff:192.168.1.4')).not.toBeNull();
    expect(faultControlRefusal(true, undefined)).not.toBeNull();
  });
  it('is allowed from loopback when enabled', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) {
      expect(isLoopbackAddress(a)).toBe(true);
      expect(faultControlRefusal(true, a)).toBeNull();
    }
  });
  it('reads a fault body and names the bad field', () => {
    expect(parseFaultRequest('{"workersDown":2,"ttl":30}', 4)).toEqual({
      fault: { workersDown: 2, slowdown: 1, errorShare: 0, pause: false },
      ttlSeconds: 30,
    });
    expect(() => parseFaultRequest('{"workersDown":5}', 4)).toThrow('workersDown: expected an integer from 0 to 4, got 5');
    expect(() => parseFaultRequest('{"kill":1}', 4)).toThrow('unknown field "kill"');
    expect(() => parseFaultRequest('[1]', 4)).toThrow('expected a JSON object');
  });
});

const call = async (url: string, method: 'GET' | 'POST' | 'DELETE', body?: unknown) => {
  const r = await request(`${url}/_fault`, { method, body: body === undefined ? null : JSON.stringify(body) });
  return { status: r.statusCode, json: (await r.body.json()) as Record<string, unknown> };
};

describe('serve-demo /_fault (the real server)', () => {
  let off: RunningDemo;
  let on: RunningDemo;
  beforeAll(async () => {
    [off, on] = await Promise.all([startDemo(['--workers', '4']), startDemo(['--workers', '4', '--fault-control'])]);
  });
  afterAll(async () => {
    await Promise.all([off.stop(), on.stop()]);
  });

  it('answers 403 when serve-demo was started without --fault-control, and the service is untouched', async () => {
    const r = await call(off.url, 'POST', { pause: true });
    expect(r).toEqual({ status: 403, json: { error: 'fault control is disabled: start serve-demo with --fault-control to allow it' } });
    const h = await request(`${off.url}/lock?ms=1&serial=0`);
    expect(h.statusCode).toBe(200);
    await h.body.dump();
  });

  it('takes workers out, fails a share, and clears', async () => {
    expect(on.banner).toContain('fault control on');
    expect((await call(on.url, 'POST', { workersDown: 3 })).status).toBe(200);
    // One worker left: 4 requests of 50 ms each take at least 200 ms (one after another).
    const t0 = performance.now();
    await Promise.all([1, 2, 3, 4].map(async () => (await request(`${on.url}/lock?ms=50&serial=0`)).body.dump()));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(200);
    expect((await call(on.url, 'POST', { errorShare: 1 })).status).toBe(200);
    const failed = await request(`${on.url}/lock?ms=1&serial=0`);
    expect(failed.statusCode).toBe(500);
    await failed.body.dump();
    expect(await call(on.url, 'DELETE')).toMatchObject({ status: 200, json: { fault: { workersDown: 0, slowdown: 1, errorShare: 0, pause: false } } });
    const ok = await request(`${on.url}/lock?ms=1&serial=0`);
    expect(ok.statusCode).toBe(200);
    await ok.body.dump();
    expect((await call(on.url, 'POST', { slowdown: -1 })).json).toEqual({ error: 'slowdown: expected a factor in (0, 1000], got -1' });
  });

  it('pause holds requests until cleared; ttl clears by itself', async () => {
    await call(on.url, 'POST', { pause: true, ttl: 0.3 });
    const t0 = performance.now();
    const r = await request(`${on.url}/lock?ms=1&serial=0`);
    await r.body.dump();
    expect(r.statusCode).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(250);
    expect((await call(on.url, 'GET')).json).toMatchObject({ fault: { pause: false }, workers: 4 });
  });
});

describe('serve-demo /_fault from another machine', () => {
  // The socket's remote address decides: a client that reaches the server through a non-loopback interface is refused.
  const external = Object.values(networkInterfaces())
    .flat()
    .find((i) => i !== undefined && i.family === 'IPv4' && !i.internal)?.address;
  let server: DemoServer | undefined;
  beforeAll(async () => {
    if (external) server = await startDemoServer({ port: 0, host: '0.0.0.0', workers: 1, faultControl: true });
  });
  afterAll(async () => {
    await server?.close();
  });
  it.skipIf(external === undefined)('answers 403 to a non-loopback address', async () => {
    const r = await call(`http://${external!}:${server!.port}`, 'POST', { pause: true });
    expect(r.status).toBe(403);
    expect(r.json.error).toBe(`fault control answers only clients on this machine (loopback), not ${external!}`);
  });
});
