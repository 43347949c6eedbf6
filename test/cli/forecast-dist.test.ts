/**
 * The installed CLI is the compiled JavaScript in dist/ (built by `npm ci` through `prepare`). This runs it as a
 * child process, as `npm start` does, so a break in the build output (an import that only resolves under tsx, a
 * missing file) fails here and not on a user's fresh clone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = 'dist/cli/main.js';

function node(args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('dist/cli/main.js forecast (child process)', () => {
  it('exists: npm ci builds it through the prepare script (run `npm run build` after changing src/)', () => {
    expect(existsSync(`${ROOT}${MAIN}`)).toBe(true);
  });

  it('forecasts the bundled example history as npm start does', () => {
    const r = node(['forecast', 'scenarios/data/web-requests-hourly.csv', '--horizon', '168']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('Forecast of requests_per_s from scenarios/data/web-requests-hourly.csv');
    expect(r.out).toContain('  horizon  168 steps of 1h, 2025-11-10T00:00:00Z to 2025-11-16T23:00:00Z');
  });

  it('prints the JSON contract and exits 2 with one line for a bad flag', () => {
    const r = node(['forecast', 'scenarios/data/web-requests-hourly.csv', '--horizon', '5', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { model: string; points: Array<{ timestamp: string }> };
    expect(out.points.map((p) => p.timestamp)).toEqual([0, 1, 2, 3, 4].map((h) => `2025-11-10T0${h}:00:00Z`));
    const bad = node(['forecast', 'scenarios/data/web-requests-hourly.csv', '--horizon', '-3']);
    expect(bad.err).toBe('headroom: --horizon: expected a positive integer, got "-3"\n');
    expect(bad.code).toBe(2);
  });
});
