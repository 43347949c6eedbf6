/**
 * A property of the whole CLI: no input reaches an internal error. Random scenario files (seeded mutations of the
 * bundled plan and simulation scenarios: negative, zero, huge, NaN-ish, missing, unknown and mistyped fields) and random
 * flag values go through `run(argv, ctx)` in-process; every exit code must be 0, 1 or 2, bad input (2) must be told in
 * lines of its own (`headroom: …`, then one `file:line field: …` per further problem, no stack), and no number printed
 * as JSON may be NaN or Infinity. A failing case reproduces from its seed and index (the message names both).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { memoryContext } from '../../src/cli/context.js';
import { run } from '../../src/cli/main.js';
import { createRng } from '../../src/rng.js';
import { flagValue, mutateYaml } from './fuzz-inputs.js';

const SEED = 20261203;
const root = process.cwd();
const dir = mkdtempSync(join(tmpdir(), 'headroom-fuzz-'));
mkdirSync(join(dir, 'scenarios'));
// The scenarios' relative paths (../models/example.yaml, data/…) resolve as in the repository.
symlinkSync(resolve(root, 'scenarios/data'), join(dir, 'scenarios/data'));
symlinkSync(resolve(root, 'models'), join(dir, 'models'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What is wrong with one run's outcome, or null. */
function violation(code: number, out: string, err: string, json: boolean): string | null {
  if (code !== 0 && code !== 1 && code !== 2) return `exit ${code}`;
  if (code === 2) {
    const lines = err.trimEnd().split('\n');
    const ok = lines.every((l, k) => (k === 0 ? /^(headroom|error): \S/ : /^(\S+:\d+ \S|hint: )/).test(l));
    if (!ok) return 'bad input not told one problem a line';
  }
  if (json && code !== 2 && out !== '') {
    let doc: unknown;
    try {
      doc = JSON.parse(out);
    } catch {
      return 'stdout is not JSON';
    }
    const strings = JSON.stringify(doc).match(/"[^"]*(NaN|Infinity)[^"]*"/);
    if (strings) return `a non-finite number printed as ${strings[0]}`;
  }
  return null;
}

/** Exit codes seen, so the test can show that the mutations reach the work and not only the loader. */
const seen = new Map<string, number>();

async function check(argv: string[], json: boolean, label: string): Promise<void> {
  const ctx = memoryContext();
  const code = await run(argv, ctx);
  const key = `${argv[0]} ${code}`;
  seen.set(key, (seen.get(key) ?? 0) + 1);
  const why = violation(code, ctx.out(), ctx.err(), json);
  expect(why, `${label}: headroom ${argv.join(' ')}\n${ctx.err().slice(0, 800)}`).toBeNull();
}

describe('no exit 3 reachable from input', () => {
  it('plan: mutations of scenarios/example.yaml (--no-sim) and random flags', async () => {
    // The example, shortened to keep each case fast: 3 months, one variant, a linear forecast.
    const example = parse(readFileSync('scenarios/example.yaml', 'utf8')) as Record<string, unknown> & { drivers: Record<string, Record<string, unknown>>; variants: unknown[] };
    example.horizon = 3;
    example.variants = example.variants.slice(0, 1);
    for (const d of Object.values(example.drivers)) d.model = 'linear';
    const base = stringify(example);
    for (let i = 0; i < 150; i++) {
      const rng = createRng(SEED, 1, i);
      const { yaml, changes } = mutateYaml(base, rng);
      const file = join(dir, 'scenarios', `plan${i}.yaml`);
      writeFileSync(file, yaml);
      const argv = ['plan', file, '--no-sim', '--json'];
      if (rng.next() < 0.3) argv.push('--fail-on', flagValue(rng, ['cap', 'slo', 'redundancy', 'none', 'cap,slo']));
      if (rng.next() < 0.2) argv.push('--seed', flagValue(rng, ['1', '7']));
      if (rng.next() < 0.2) argv.push('--allow-long-horizon');
      await check(argv, true, `plan case ${i} (seed ${SEED}; ${changes.join(' | ')})`);
    }
    // Some mutations leave a plan that runs (a value still in range, a field with a default).
    expect(seen.get('plan 0') ?? 0, JSON.stringify([...seen])).toBeGreaterThan(15);
  }, 120_000);

  it('simulate: mutations of scenarios/sim-*.yaml, tiny runs, random flags', async () => {
    const sims = readdirSync('scenarios')
      .filter((f) => f.startsWith('sim-'))
      .sort()
      .map((f) => readFileSync(join('scenarios', f), 'utf8'));
    for (let i = 0; i < 300; i++) {
      const rng = createRng(SEED, 2, i);
      const { yaml, changes } = mutateYaml(sims[rng.nextInt(sims.length)]!, rng);
      const file = join(dir, 'scenarios', `sim${i}.yaml`);
      writeFileSync(file, yaml);
      const argv = ['simulate', file, '--json', '--workers', '1'];
      argv.push('--arrivals', rng.next() < 0.9 ? '300' : flagValue(rng, ['100']));
      argv.push('--replicas', rng.next() < 0.9 ? '2' : flagValue(rng, ['1', '3']));
      if (rng.next() < 0.2) argv.push('--warmup', flagValue(rng, ['10', '1s']));
      if (rng.next() < 0.2) argv.push('--seed', flagValue(rng, ['1', '7']));
      if (rng.next() < 0.1) argv.push('--max-events', flagValue(rng, ['1e6']));
      await check(argv, true, `simulate case ${i} (seed ${SEED}; ${changes.join(' | ')})`);
    }
    expect((seen.get('simulate 0') ?? 0) + (seen.get('simulate 1') ?? 0), JSON.stringify([...seen])).toBeGreaterThan(30);
  }, 120_000);
});

describe('bad input found by hand in forecast and report', () => {
  it('refuses a forecast horizon that would exhaust the heap, and keeps a JSON parse error on one line', async () => {
    const ctx = memoryContext();
    expect(await run(['forecast', 'scenarios/data/example-users.csv', '--horizon', '100000000'], ctx)).toBe(2);
    expect(ctx.err()).toBe('headroom: --horizon: expected at most 100000 steps, got "100000000"\n');
    // An event so large the forecast would print Infinity.
    for (const [event, message] of [
      ['x@2026-11-20:x1e308', 'headroom: --event x@2026-11-20:x1e308: expected a multiplier of at most 1000, got 1e308\n'],
      ['x@2026-11-20:+1e308', 'headroom: --event x@2026-11-20:+1e308: expected a shift of at most 1e+12, got 1e308\n'],
    ]) {
      const ev = memoryContext();
      expect(await run(['forecast', 'scenarios/data/example-users.csv', '--horizon', '3', '--event', event!], ev)).toBe(2);
      expect(ev.err()).toBe(message);
    }
    const file = join(dir, 'not.json');
    writeFileSync(file, 'not json\nat all\n');
    const report = memoryContext();
    expect(await run(['report', file], report)).toBe(2);
    expect(report.err()).toBe(`headroom: ${file}: not valid JSON (Unexpected token 'o')\n`);
  });

  it('refuses simulate --series at a directory before the run (it was a rename error after it)', async () => {
    const ctx = memoryContext();
    expect(await run(['simulate', 'scenarios/sim-trace.yaml', '--series', dir, '--arrivals', '100', '--replicas', '1', '--workers', '1'], ctx)).toBe(2);
    expect(ctx.err()).toBe(`headroom: --series ${dir}: expected a file path, got an existing directory\n`);
    expect(ctx.out()).toBe('');
  });
});
