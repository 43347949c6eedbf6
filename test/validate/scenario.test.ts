import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryContext } from '../../src/cli/context.js';
import { startDemo, type RunningDemo } from '../helpers/demo-server.js';

const MODEL = resolve('models/serve-demo.yaml');

/**
 * `headroom validate <scenario.yaml>` against the real serve-demo: every endpoint in turn, one summary, one file per
 * endpoint for calibrate. Short steps at low rates: this checks the plumbing (which endpoint, which service, which
 * files, which exit code), not the figures, which acceptance.test.ts checks.
 */
describe('headroom validate <scenario.yaml>', () => {
  let demo: RunningDemo;
  let dir: string;
  beforeAll(async () => {
    demo = await startDemo(['--workers', '1']);
    dir = await mkdtemp(join(tmpdir(), 'headroom-vscenario-'));
  });
  afterAll(async () => {
    await demo.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const scenario = async (name: string, endpoints: string) => {
    await writeFile(
      join(dir, name),
      // A loose SLO: these steps check which endpoint, service and file, not the figures (a busy CI machine moves them).
      `name: demo check\nmodel: ${MODEL}\nbaseUrl: http://127.0.0.1:1\nstepSeconds: 1\nwarmup: 0.5s\nslo: { p99: 2s }\nendpoints:\n${endpoints}`,
    );
    return join(dir, name);
  };
  const validate = async (args: string[]) => {
    const ctx = memoryContext();
    const code = await run(['validate', ...args, '--no-ceiling', '--replicas', '1'], ctx);
    return { code, out: ctx.out(), err: ctx.err() };
  };

  it('validates each endpoint against its service, records a failed one, writes every file at the end, exits 1', async () => {
    const file = await scenario(
      's.yaml',
      '  - { name: cpu, path: "/cpu?ms=5", rates: [40, 80] }\n  - { name: missing, path: /nope, service: cpu, rates: [20] }\n',
    );
    const out = join(dir, 'runs');
    const r = await validate([file, '--base-url', demo.url, '--out', out, '--json']);
    expect(r.code, r.err).toBe(1);
    const report = JSON.parse(r.out);
    expect(JSON.parse(await readFile(join(out, 'validation-scenario.json'), 'utf8'))).toEqual(report);
    // Whether cpu's prediction holds depends on the machine (1 s steps); which endpoint, service and outcome does not.
    expect(report.endpoints.map((e: { name: string; service: string }) => [e.name, e.service])).toEqual([
      ['cpu', 'cpu'],
      ['missing', 'cpu'],
    ]);
    expect(report.endpoints[0].ok).toBe(report.endpoints[0].report.verdict.ok);
    expect(report.endpoints[1].ok).toBe(false);
    const cpu = report.endpoints[0].report;
    expect(cpu.url).toBe(`${demo.url}/cpu?ms=5`);
    expect(cpu.steps.map((s: { offeredRate: number }) => s.offeredRate)).toEqual([40, 80]);
    expect(cpu.prediction).toMatchObject({ service: 'cpu', capacity: 200 });
    expect(cpu.criteria.sloP99).toBe(2);
    expect(JSON.parse(await readFile(join(out, 'cpu', 'validation.json'), 'utf8'))).toEqual(cpu);
    expect(report.endpoints[1]).toMatchObject({ report: null, error: `every request to ${demo.url}/nope failed at 20/s (20 sent; the most common answer was HTTP 404)` });
    expect(existsSync(join(out, 'missing'))).toBe(false);
    expect(report.verdict.ok).toBe(false);
    expect(r.err).toMatch(/^headroom: [12] of 2 endpoints failed: /);
    expect(r.err).toContain(`missing (${report.endpoints[1].error})`);

    // The per-endpoint file is what calibrate reads; the model path in it resolves from the same directory.
    const cal = memoryContext();
    const calCode = await run(['calibrate', join(out, 'cpu', 'validation.json'), '--out', join(dir, 'cal.yaml'), '--json'], cal);
    expect([0, 1]).toContain(calCode);
    expect(JSON.parse(cal.out())).toMatchObject({ service: 'cpu', fittedTo: expect.arrayContaining([40]) });
  });

  it('--only picks endpoints; the readable report ends with a summary table per endpoint', async () => {
    const file = await scenario('t.yaml', '  - { name: cpu, path: "/cpu?ms=5", rates: [40] }\n  - { name: io, path: "/io?ms=20", rates: [40] }\n');
    const r = await validate([file, '--base-url', demo.url, '--only', 'io']);
    expect(r.code === 0 ? 'ok' : 'FAILED', r.err).toBe(/ (ok|FAILED)\n\nverdict:/.exec(r.out)?.[1]);
    expect(r.out).toContain('== io ==');
    expect(r.out).not.toContain('== cpu ==');
    expect(r.out).toMatch(/summary:\nendpoint +service +knee +predicted +error +saturation +capacity +verdict\n[- ]+\nio +io +\S+ +40\/s +\S+ +\d+\.\d\/s\+? +200\.0\/s +(ok|FAILED)\n/);
    expect(r.out).toMatch(/verdict: (all 1 endpoints hold their prediction|1 of 1 endpoints failed: io)/);
    expect((await validate([file, '--base-url', demo.url, '--only', 'web'])).err).toBe(`headroom: --only: ${file} has no endpoint named web (it has cpu, io)\n`);
  });

  it('checks every endpoint answers before any load: an unreachable one is exit 2 and nothing is written', async () => {
    const closed: Server = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const file = await scenario('u.yaml', `  - { name: cpu, path: "/cpu?ms=5", rates: [40] }\n  - { name: io, url: "http://127.0.0.1:${port}/io", rates: [40] }\n`);
    const out = join(dir, 'unreached');
    const r = await validate([file, '--base-url', demo.url, '--out', out]);
    expect(r).toMatchObject({
      code: 2,
      out: '',
      err: `headroom: ${file} endpoint io (http://127.0.0.1:${port}/io): connection refused by 127.0.0.1:${port} (is the service running?)\n`,
    });
    expect(existsSync(out)).toBe(false);
    const remote = await scenario('r.yaml', '  - { name: cpu, url: "http://192.0.2.1/cpu" }\n');
    expect((await validate([remote])).err).toBe(
      `headroom: ${remote} endpoint cpu (http://192.0.2.1/cpu): 192.0.2.1 is not this machine; load-testing a remote service needs --allow-remote (make sure you may load it)\n`,
    );
  });
});
