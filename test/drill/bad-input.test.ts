import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryContext } from '../../src/cli/context.js';
import { startDemo, type RunningDemo } from '../helpers/demo-server.js';
import { demoFault, drillFile } from './helpers.js';

/**
 * Bad input is refused before any load: one line naming the file, line and field, exit 2, and serve-demo has served
 * nothing (its own count of requests, read from /_fault, is unchanged).
 */
describe('headroom drill: bad input, nothing sent', () => {
  let demo: RunningDemo;
  let closed: RunningDemo;
  beforeAll(async () => {
    [demo, closed] = await Promise.all([startDemo(['--workers', '4', '--fault-control']), startDemo(['--workers', '4'])]);
  });
  afterAll(async () => {
    await Promise.all([demo.stop(), closed.stop()]);
  });

  const refused = async (body: string, extra: string[] = [], header = {}) => {
    const before = (await demoFault(demo.url)).served;
    const { dir, file } = drillFile(demo.url, body, header);
    const ctx = memoryContext({ env: process.env, cwd: dir });
    const code = await run(['drill', file, '--state-dir', join(dir, 'state'), ...extra], ctx);
    expect((await demoFault(demo.url)).served).toBe(before);
    expect(readdirSync(dir)).toEqual(['drill.yaml']);
    expect(ctx.out()).toBe('');
    return { code, err: ctx.err().replace(dir + '/', '') };
  };

  it('an unknown fault kind', async () => {
    const r = await refused('fault: { at: 3s, for: 4s, actions: [{ kind: explode, workersDown: 2 }] }', ['--no-ceiling']);
    expect(r).toEqual({
      code: 2,
      err: 'headroom: drill.yaml:9 fault.actions[0].kind: expected a fault kind: one of demo (serve-demo fault control), command (a command and its rollback), got "explode"\n',
    });
  });

  it('a fault window outside the drill', async () => {
    const r = await refused('fault: { at: 6s, for: 8s, actions: [{ kind: demo, workersDown: 2 }] }', ['--no-ceiling']);
    expect(r).toEqual({
      code: 2,
      err: 'headroom: drill.yaml:9 fault.for: expected a fault window [6 s, 14 s) that ends before the drill does (duration 12 s), with time to recover, got 8\n',
    });
  });

  it('a fault command that does not exist', async () => {
    const r = await refused('fault: { at: 3s, for: 4s, actions: [{ kind: command, run: [no-such-command-xyz, stop], rollback: ["true"] }] }', ['--no-ceiling']);
    expect(r).toEqual({
      code: 2,
      err: 'headroom: drill.yaml:9 fault.actions[0].run: expected a command that exists (on PATH, or a path relative to the drill), got "no-such-command-xyz"\n',
    });
  });

  it("a rate beyond the generator's ceiling (measured against a trivial endpoint, not the target)", async () => {
    const r = await refused('fault: { at: 3s, for: 4s, actions: [{ kind: demo, workersDown: 2 }] }', ['--max-requests', '1000000000'], { rate: '5000000/s' });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^headroom: drill\.yaml: load\.rate: 5000000\/s is beyond what this machine's load generator can send faithfully \(ceiling \d+\/s measured; a drill may offer at most 50% of it\)\n$/);
  });

  it('more requests than --max-requests', async () => {
    const r = await refused('fault: { at: 3s, for: 4s, actions: [{ kind: demo, workersDown: 2 }] }', ['--no-ceiling', '--max-requests', '1000']);
    expect(r).toEqual({
      code: 2,
      err: 'headroom: drill.yaml: load.rate: the drill may send 1440 requests (120/s for 12 s, 1 attempt each at most), above --max-requests 1000\n',
    });
  });

  it('a serve-demo started without --fault-control', async () => {
    const { dir, file } = drillFile(closed.url, 'fault: { at: 3s, for: 4s, actions: [{ kind: demo, workersDown: 2 }] }');
    const ctx = memoryContext({ env: process.env, cwd: dir });
    expect(await run(['drill', file, '--no-ceiling', '--state-dir', join(dir, 'state')], ctx)).toBe(2);
    expect(ctx.err()).toBe(
      `headroom: drill.yaml: fault control ${closed.url}/_fault: answered 403: fault control is disabled: start serve-demo with --fault-control to allow it\n`,
    );
  });
});
