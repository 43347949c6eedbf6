import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryContext } from '../../src/cli/context.js';
import { startDemo, type RunningDemo } from '../helpers/demo-server.js';
import { demoFault, drillFile } from './helpers.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const NO_FAULT = { workersDown: 0, slowdown: 1, errorShare: 0, pause: false };

/** The CLI in its own process, killed with `signal` once it has applied the fault. Resolves with its exit and output. */
function drillKilled(args: string[], signal: NodeJS.Signals): Promise<{ code: number | null; signal: string | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'drill', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let sent = false;
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    if (!sent && /applying the fault/.test(err)) {
      sent = true;
      // Let the fault land (the POST is on its way), then kill.
      setTimeout(() => child.kill(signal), 700);
    }
  });
  return new Promise((resolve) => child.once('exit', (code, sig) => resolve({ code, signal: sig, out, err })));
}

describe('headroom drill: the fault is always rolled back', () => {
  let demo: RunningDemo;
  beforeAll(async () => {
    demo = await startDemo(['--workers', '4', '--fault-control']);
  });
  afterAll(async () => {
    await demo.stop();
  });

  const short = { rate: '60/s', duration: '8s', baseline: '3s' };

  it('on an abort condition: a paused service passes the p99 bound, the drill rolls back at once and exits 1', async () => {
    const { dir, file } = drillFile(demo.url, ['fault: { at: 3s, for: 4s, actions: [{ kind: demo, pause: true }] }', 'abort: { p99: 1s, for: 1s }'].join('\n'), short);
    const ctx = memoryContext({ env: process.env, cwd: dir });
    expect(await run(['drill', file, '--no-ceiling', '--state-dir', join(dir, 'state'), '--json'], ctx)).toBe(1);
    const report = JSON.parse(ctx.out());
    expect(report.verdict.aborted).toMatch(/^abort condition: for 1 s p99 above 1 s$/);
    expect(report.verdict.rollback).toEqual({ ran: true, ok: true });
    expect(report.rolledBack[0].startedAt).toBeLessThan(7); // before the fault window's end
    expect(report.prediction.faultNotPredicted).toBe('a pause has no equivalent in the simulator (its failures lose the requests a node holds)');
    expect((await demoFault(demo.url)).fault).toEqual(NO_FAULT);
    expect(readdirSync(join(dir, 'state'))).toEqual([]);
  });

  it('after a failing fault command: every action applied so far is undone, its exit status and output recorded', async () => {
    const { dir, file } = drillFile(
      demo.url,
      [
        'fault:',
        '  at: 3s',
        '  for: 3s',
        '  actions:',
        '    - { kind: demo, workersDown: 2 }',
        '    - { kind: command, run: [sh, -c, "echo boom; exit 3"], rollback: [sh, -c, "touch rolled-back"], timeout: 5s, effect: { workersDown: 0 } }',
      ].join('\n'),
      short,
    );
    const ctx = memoryContext({ env: process.env, cwd: dir });
    expect(await run(['drill', file, '--no-ceiling', '--state-dir', join(dir, 'state'), '--json'], ctx)).toBe(1);
    const report = JSON.parse(ctx.out());
    expect(report.applied.map((a: { ok: boolean; status: number | null; output: string }) => [a.ok, a.status, a.output])).toEqual([
      [true, 200, expect.stringContaining('"workersDown":2')],
      [false, 3, 'boom'],
    ]);
    expect(report.verdict.aborted).toBe('the fault action "sh -c echo boom; exit 3" failed: exit status 3');
    expect(report.rolledBack.map((r: { what: string; ok: boolean }) => [r.what, r.ok])).toEqual([
      ['sh -c touch rolled-back', true],
      [`DELETE ${demo.url}/_fault`, true],
    ]);
    expect(existsSync(join(dir, 'rolled-back'))).toBe(true);
    expect((await demoFault(demo.url)).fault).toEqual(NO_FAULT);
    expect(readdirSync(join(dir, 'state'))).toEqual([]);
  });

  it('a rollback command that fails is reported, exit 1, and its state file stays for --rollback', async () => {
    const { dir, file } = drillFile(
      demo.url,
      ['fault:', '  at: 3s', '  for: 2s', '  actions:', '    - { kind: command, run: ["true"], rollback: [sh, -c, "echo cannot; exit 4"], timeout: 5s }'].join('\n'),
      short,
    );
    const ctx = memoryContext({ env: process.env, cwd: dir });
    expect(await run(['drill', file, '--no-ceiling', '--state-dir', join(dir, 'state')], ctx)).toBe(1);
    expect(ctx.out()).toContain('  rolled back sh -c echo cannot; exit 4: FAILED (exit status 4)');
    expect(ctx.out()).toMatch(/rollback: FAILED\nFAIL: the ROLLBACK FAILED: the fault may still be in force; /);
    const left = readdirSync(join(dir, 'state'));
    expect(left).toHaveLength(1);
    const again = memoryContext({ env: process.env, cwd: dir });
    expect(await run(['drill', '--rollback', join('state', left[0]!)], again)).toBe(1);
    expect(again.err()).toBe(`headroom: the rollback of drill.yaml failed; ${join('state', left[0]!)} stays for another try\n`);
    expect(readdirSync(join(dir, 'state'))).toEqual(left);
    // Nor does a new drill start on top of it.
    const next = memoryContext({ env: process.env, cwd: dir });
    expect(await run(['drill', file, '--no-ceiling', '--state-dir', join(dir, 'state')], next)).toBe(1);
    expect(next.err()).toContain(
      `headroom: cannot roll back what an earlier drill (drill.yaml) left applied: sh -c echo cannot; exit 4 failed (exit status 4); ${join(dir, 'state', left[0]!)} stays; not starting\n`,
    );
  });

  it('on SIGTERM: rolled back, the report says why, exit 1', async () => {
    const { dir, file } = drillFile(demo.url, 'fault: { at: 3s, for: 4s, actions: [{ kind: demo, workersDown: 2 }] }', short);
    const r = await drillKilled([file, '--no-ceiling', '--state-dir', join(dir, 'state')], 'SIGTERM');
    expect(r.code).toBe(1);
    expect(r.out).toContain('FAIL: the drill stopped early: interrupted (SIGTERM)');
    expect(r.err).toMatch(/rollback done/);
    expect((await demoFault(demo.url)).fault).toEqual(NO_FAULT);
    expect(readdirSync(join(dir, 'state'))).toEqual([]);
  });

  it('after SIGKILL: the state file undoes the fault, by --rollback or by the next drill run', async () => {
    const { dir, file } = drillFile(demo.url, 'fault: { at: 3s, for: 4s, actions: [{ kind: demo, workersDown: 2 }] }', short);
    const state = join(dir, 'state');
    const killed = await drillKilled([file, '--no-ceiling', '--state-dir', state], 'SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    expect((await demoFault(demo.url)).fault.workersDown).toBe(2); // left applied by the killed drill
    const [left] = readdirSync(state);
    const ctx = memoryContext({ env: process.env, cwd: dir });
    expect(await run(['drill', '--rollback', join(state, left!)], ctx)).toBe(0);
    expect(ctx.out()).toBe(`rolled back DELETE ${demo.url}/_fault: ok\n${join(state, left!)}: the fault of ${file} is rolled back; state file removed\n`);
    expect((await demoFault(demo.url)).fault).toEqual(NO_FAULT);
    expect(readdirSync(state)).toEqual([]);

    // Killed again: this time the next drill in the same state directory rolls it back before it starts.
    await drillKilled([file, '--no-ceiling', '--state-dir', state], 'SIGKILL');
    expect((await demoFault(demo.url)).fault.workersDown).toBe(2);
    const next = memoryContext({ env: process.env, cwd: dir });
    const quick = drillFile(demo.url, 'fault: { at: 3s, for: 1s, actions: [{ kind: demo, slowdown: 2 }] }', { ...short, duration: '6s' });
    await run(['drill', quick.file, '--no-ceiling', '--state-dir', state, '--json'], next);
    const report = JSON.parse(next.out());
    expect(report.recovered).toHaveLength(1);
    expect(report.recovered[0].ok).toBe(true);
    expect(report.timeline[1].measured.p99).toBeLessThan(0.5); // the baseline ran on four workers again
    expect((await demoFault(demo.url)).fault).toEqual(NO_FAULT);
    expect(readdirSync(state)).toEqual([]);
  });
});
