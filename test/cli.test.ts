import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/main.js';
import { memoryContext } from '../src/cli/context.js';
import { VERSION } from '../src/internal.js';

describe('headroom CLI', () => {
  it('prints the version from package.json', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
    const ctx = memoryContext();
    expect(await run(['--version'], ctx)).toBe(0);
    expect(ctx.out().trim()).toBe(pkg.version);
  });

  it('prints the version as a process exactly as commander does in-process, for --version and -V', async () => {
    const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
    for (const flag of ['--version', '-V']) {
      const ctx = memoryContext();
      expect(await run([flag], ctx)).toBe(0);
      const child = spawnSync(process.execPath, ['--import', 'tsx', main, flag], { encoding: 'utf8' });
      expect(child.status).toBe(0);
      expect(child.stderr).toBe('');
      expect(child.stdout).toBe(ctx.out());
    }
  }, 30_000);

  it('exits 2 with a one-line message on an unknown command', async () => {
    const ctx = memoryContext();
    expect(await run(['no-such-command'], ctx)).toBe(2);
    expect(ctx.err()).toBe("headroom: unknown command 'no-such-command' (run with --help for usage)\n");
  });

  it('exits quietly when its reader stops early (a closed pipe, as with | head)', async () => {
    const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
    // 20,000 forecast points as JSON (about 2 MB) outgrow the pipe; the reader takes the first chunk and closes it.
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'forecast', 'scenarios/data/example-checkout.csv', '--column', 'checkout_rps', '--horizon', '20000', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(err).not.toContain('EPIPE');
    expect(code).toBe(0);
  }, 30_000);
});
