import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/main.js';
import { memoryContext } from '../src/cli/context.js';
import { VERSION } from '../src/index.js';

describe('headroom CLI', () => {
  it('prints the version from package.json', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
    const ctx = memoryContext();
    expect(await run(['--version'], ctx)).toBe(0);
    expect(ctx.out().trim()).toBe(pkg.version);
  });

  it('exits 2 with a one-line message on an unknown command', async () => {
    const ctx = memoryContext();
    expect(await run(['no-such-command'], ctx)).toBe(2);
    expect(ctx.err()).toMatch(/^error: /);
  });
});
