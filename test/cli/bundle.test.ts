/**
 * The installed command is the bundled CLI (`dist/bin/headroom.js`, scripts/bundle-cli.ts); `dist/cli/main.js` is the
 * same CLI as tsc builds it. Both are run as child processes on the same inputs and must print the same bytes,
 * including the commands that start worker threads from a file of the build (the simulator's replicas, the sweep's
 * local threads): from a chunk of the bundle, that file is found relative to the chunk (worker-entry.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUNDLE = 'dist/bin/headroom.js';
const UNBUNDLED = 'dist/cli/main.js';

function run(entry: string, args: string[]) {
  const r = spawnSync(process.execPath, [entry, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function same(args: string[]): { code: number | null; out: string } {
  const a = run(BUNDLE, args);
  const b = run(UNBUNDLED, args);
  expect(a.err).toBe(b.err);
  expect(a.out).toBe(b.out);
  expect(a.code).toBe(b.code);
  return a;
}

describe('the bundled CLI (dist/bin/headroom.js)', () => {
  it('is what package.json installs as `headroom`, and npm ci builds it (run `npm run build` after changing src/)', async () => {
    const pkg = (await import('../../package.json', { with: { type: 'json' } })).default as { bin: Record<string, string> };
    expect(pkg.bin.headroom).toBe(BUNDLE);
    expect(existsSync(`${ROOT}${BUNDLE}`)).toBe(true);
  });

  it('prints what the unbundled CLI prints: version, help, a forecast, a bad flag', () => {
    expect(same(['--version']).out).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(same(['--help']).out).toContain('Usage: headroom');
    const f = same(['forecast', 'scenarios/data/web-requests-hourly.csv', '--horizon', '48', '--json']);
    expect(f.code).toBe(0);
    expect((JSON.parse(f.out) as { points: unknown[] }).points).toHaveLength(48);
    expect(same(['forecast', 'scenarios/data/web-requests-hourly.csv', '--horizon', '-3']).code).toBe(2);
  });

  it('runs simulation replicas on worker threads started from a chunk of the bundle', () => {
    const r = same(['simulate', 'scenarios/sim-mm1.yaml', '--replicas', '4', '--workers', '2', '--seed', '3']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('errors 0');
  });

  it('runs a Monte-Carlo sweep on local sweep threads started from a chunk of the bundle', () => {
    const r = same(['sweep', 'scenarios/example.yaml', '--workers', '2', '--paths', '8']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Order by \d{4}-\d{2}-\d{2}/);
  });
});
