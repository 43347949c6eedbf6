/**
 * The installed command is the bundled CLI (`dist/bin/headroom.js` running `dist/bin/cli.cjs` from its code cache,
 * scripts/bundle-cli.ts); `dist/cli/main.js` is the same CLI as tsc builds it. Both are run as child processes on the
 * same inputs and must print the same bytes, including the commands that start worker threads from a file of the build
 * (the simulator's replicas, the sweep's local threads: from the bundle, that file is found relative to it,
 * worker-entry.ts) and those that import ES-module packages (the plan's workbook, the report's charts), which a script
 * from a code cache cannot import itself (launcher.ts).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'headroom-bundle-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
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

  it('runs simulation replicas on worker threads started from the bundle', () => {
    const r = same(['simulate', 'scenarios/sim-mm1.yaml', '--replicas', '4', '--workers', '2', '--seed', '3']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('errors 0');
  });

  it('runs a Monte-Carlo sweep on local sweep threads started from the bundle', () => {
    const r = same(['sweep', 'scenarios/example.yaml', '--workers', '2', '--paths', '8']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Order by \d{4}-\d{2}-\d{2}/);
  });

  it('writes a plan with its workbook and report page, and renders the report again, as the unbundled CLI does', () => {
    const outs = [join(scratch, 'bundled'), join(scratch, 'unbundled')];
    const plans = [BUNDLE, UNBUNDLED].map((entry, i) => run(entry, ['plan', 'scenarios/example.yaml', '--no-sim', '--out', outs[i]!]));
    for (const p of plans) expect(p.code, p.err).toBe(0);
    expect(plans[0]!.out.replaceAll(outs[0]!, 'OUT')).toBe(plans[1]!.out.replaceAll(outs[1]!, 'OUT'));
    expect(readdirSync(outs[0]!).sort()).toEqual(['forecast.json', 'plan.csv', 'plan.json', 'plan.xlsx', 'report.html']);
    expect(readFileSync(join(outs[0]!, 'plan.json'), 'utf8')).toBe(readFileSync(join(outs[1]!, 'plan.json'), 'utf8'));
    const report = run(BUNDLE, ['report', outs[0]!]);
    expect(report.code, report.err).toBe(0);
    expect(readFileSync(join(outs[0]!, 'report.html'), 'utf8')).toContain('<svg');
  });
});

/** What the launcher made of the code cache, loading the bundle of `dir` in a plain node process. */
function cacheState(dir: string): string {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import { loadCli } from './dist/cli/launcher.js'; console.log(loadCli(${JSON.stringify(dir)}).cache);`], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim();
}

describe('the code cache of the bundle (dist/bin/cli.cjs.v8cache)', () => {
  it('is built with the bundle and accepted by the node that runs the tests', () => {
    expect(cacheState(join(ROOT, 'dist/bin'))).toBe('accepted');
  });

  it('is used only with the bundle it was made from, even one of the same length', () => {
    const copy = join(scratch, 'other-bundle');
    cpSync(join(ROOT, 'dist/bin'), copy, { recursive: true });
    const file = join(copy, 'cli.cjs');
    const text = readFileSync(file, 'utf8');
    // another build: one character of the content and its hash in the first line changed, the length kept
    const i = text.indexOf('Capacity planning');
    const other = `${text.slice(0, i)}capacity${text.slice(i + 8)}`;
    const rest = other.slice(other.indexOf('\n') + 1);
    const header = other.slice(0, other.indexOf('\n'));
    writeFileSync(file, `${header.slice(0, -1)}${header.endsWith('0') ? '1' : '0'}\n${rest}`);
    expect(readFileSync(file, 'utf8').length).toBe(text.length);
    expect(cacheState(copy)).toBe('absent');
    const help = spawnSync(process.execPath, [join(copy, 'headroom.js'), '--help'], { encoding: 'utf8' });
    expect(help.stdout).toContain('capacity planning and load simulation');
  });

  it('is left aside, not trusted, when it is missing', () => {
    const copy = join(scratch, 'no-cache');
    cpSync(join(ROOT, 'dist/bin'), copy, { recursive: true });
    rmSync(join(copy, 'cli.cjs.v8cache'));
    expect(cacheState(copy)).toBe('absent');
    const v = spawnSync(process.execPath, [join(copy, 'headroom.js'), 'forecast', 'scenarios/data/web-requests-hourly.csv', '--horizon', '24', '--json'], { cwd: ROOT, encoding: 'utf8' });
    expect(v.status, v.stderr).toBe(0);
    expect(v.stdout).toBe(run(BUNDLE, ['forecast', 'scenarios/data/web-requests-hourly.csv', '--horizon', '24', '--json']).out);
  });
});
