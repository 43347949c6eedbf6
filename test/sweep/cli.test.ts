import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryContext } from '../../src/cli/context.js';
import { standardFixture } from '../plan/fixtures.js';

async function sweep(dir: string, args: string[]) {
  const ctx = memoryContext({ cwd: dir });
  const code = await run(['sweep', 'scenario.yaml', '--workers', '1', ...args], ctx);
  return { code, out: ctx.out(), err: ctx.err() };
}

describe('headroom sweep', () => {
  it('plans every grid point, prints the table and writes sweep.json and sweep.csv', async () => {
    const f = standardFixture();
    const r = await sweep(f.dir, ['--vary', 'growth=0..+40%:3', '--vary', 'nodeType.mm=small,big', '--out', 'out']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Sweep [0-9a-f]{16}g of scenario\.yaml \(seed \d+\)\n\nGrid: 6 plans\n/);
    expect(r.out).toMatch(/growth\s+nodeType\.mm\s+total cost \(EUR\)\s+peak nodes\s+earliest exhaustion\s+order by/);
    const csv = readFileSync(join(f.dir, 'out', 'sweep.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(7);
    expect(csv[0]).toBe('point,growth,nodeType.mm,total_cost,' + csv[0]!.split(',').slice(4).join(','));
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['0,+0%,small', '1,+0%,big', '2,+20%,small', '3,+20%,big', '4,+40%,small', '5,+40%,big']);
    const json = JSON.parse(readFileSync(join(f.dir, 'out', 'sweep.json'), 'utf8')) as { format: string; points: Array<{ totalCost: number }> };
    expect(json.format).toBe('headroom-sweep/1');
    // More growth costs more, on either node type.
    expect(json.points[4]!.totalCost).toBeGreaterThan(json.points[0]!.totalCost);
    expect(json.points[5]!.totalCost).toBeGreaterThan(json.points[1]!.totalCost);
  });

  it('--sim confirms each point by simulation and reports SLO attainment', async () => {
    const f = standardFixture();
    const r = await sweep(f.dir, ['--vary', 'nodeType.mm=small,big', '--sim', '--out', 'out']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/SLO met \(sim\)/);
    expect(r.out).toMatch(/\d\/2 services/);
    const json = JSON.parse(readFileSync(join(f.dir, 'out', 'sweep.json'), 'utf8')) as { points: Array<{ services: Array<{ simulated: { passed: boolean; latencyMs: number } | null }> }> };
    for (const p of json.points) for (const s of p.services) expect(s.simulated).not.toBeNull();
    expect(readFileSync(join(f.dir, 'out', 'sweep.csv'), 'utf8').split('\n')[0]).toContain('mm_slo_met_sim,mm_latency_ms_sim');
  });

  it('ranks inputs in a tornado and prints the Monte-Carlo plan', async () => {
    const f = standardFixture();
    const r = await sweep(f.dir, ['--sensitivity', '--vary', 'growth=-10%,+40%', '--vary', 'price=0.9,1.2', '--vary', 'maxUtilization=60%,90%', '--paths', '40', '--batch', '10']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Sensitivity: each input alone at its low and high value');
    expect(r.out).toMatch(/Interaction of the top two \(\S+ x \S+\)/);
    expect(r.out).toContain('Monte-Carlo plan: 40 demand paths; order-by dates for 90% confidence');
  });

  it('refuses bad axes with one line and exit 2, writing nothing', async () => {
    const f = standardFixture();
    for (const [args, message] of [
      [['--vary', 'growth=fast'], 'headroom: --vary growth=fast: expected a yearly rate such as -10% or +40% (above -100%), got fast\n'],
      [['--vary', 'growth'], 'headroom: --vary must be NAME=LOW..HIGH:STEPS or NAME=a,b,c, got growth\n'],
      [['--vary', 'nodeType=huge'], 'headroom: --vary nodeType=huge: expected node types of the model (small, big), got huge\n'],
      [['--vary', 'growth=0,1', '--vary', 'growth=0,2'], 'headroom: --vary growth: given twice; give each axis once\n'],
      [[], 'headroom: scenario.yaml: nothing to sweep; give --vary NAME=VALUES or --paths N, or a sweep: block in the scenario\n'],
      [['--paths', '10', '--confidence', '100%'], 'headroom: --confidence: expected a share strictly between 0% and 100%, such as 90%, got "100%"\n'],
      [['--vary', 'growth=0,1', '--queue', 'http://x', '--out', 'out'], 'headroom: --queue: expected a Redis URL such as redis://HOST:PORT, got http://x\n'],
    ] as const) {
      const r = await sweep(f.dir, [...args]);
      expect(r.err).toBe(message);
      expect(r.code).toBe(2);
    }
    expect(existsSync(join(f.dir, 'out'))).toBe(false);
  });
});

describe('headroom sweep with a sweep: block', () => {
  it('takes its axes and paths from the scenario when no --vary is given', async () => {
    const f = standardFixture({ extra: 'sweep:\n  vary:\n    growth: [0, +30%]\n  paths: 20\n  confidence: 80%\n' });
    const ctx = memoryContext({ cwd: f.dir });
    const code = await run(['sweep', 'scenario.yaml', '--workers', '1', '--json'], ctx);
    expect(ctx.err()).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(ctx.out()) as { axes: Array<{ name: string; values: number[] }>; points: unknown[]; monteCarlo: { paths: number; confidence: number } };
    expect(json.axes).toEqual([{ name: 'growth', values: [0, 0.3] }]);
    expect(json.points).toHaveLength(2);
    expect(json.monteCarlo.paths).toBe(20);
    expect(json.monteCarlo.confidence).toBe(0.8);
  });
});

describe('headroom worker', () => {
  it('refuses bad flags and unusable queues with one line and exit 2', async () => {
    for (const [args, message] of [
      [['--queue', 'redis://127.0.0.1:6379', '--concurrency', '0'], 'headroom: --concurrency: expected a positive integer, got "0"\n'],
      [['--queue', 'redis://127.0.0.1:6379', '--stall-timeout', 'soon'], 'headroom: --stall-timeout: expected a duration of at least 100ms, such as 30s, got "soon"\n'],
      [['--queue', 'redis:/'], 'headroom: --queue: expected a Redis URL such as redis://HOST:PORT, got redis:/\n'],
      [['--queue', 'redis://127.0.0.1:1'], 'headroom: --queue redis://127.0.0.1:1: cannot reach Redis (connect ECONNREFUSED 127.0.0.1:1)\n'],
    ] as const) {
      const ctx = memoryContext();
      expect(await run(['worker', ...args], ctx)).toBe(2);
      expect(ctx.err()).toBe(message);
    }
  });
});

describe('headroom sweep that fails part way', () => {
  it('writes only a file named as partial, with the done count, and exits with the error', async () => {
    const f = standardFixture();
    const ctx = memoryContext({ cwd: f.dir });
    const code = await run(['sweep', 'scenario.yaml', '--workers', '1', '--vary', 'sloLatency=200ms,1ms', '--out', 'out'], ctx);
    expect(code).toBe(2);
    expect(ctx.err()).toMatch(/^headroom: wrote out\/sweep\.partial-1-of-2\.json \(1 of 2 jobs\)\nheadroom: scenario\.yaml services\.mm\.slo: /);
    expect(existsSync(join(f.dir, 'out', 'sweep.json'))).toBe(false);
    const partial = JSON.parse(readFileSync(join(f.dir, 'out', 'sweep.partial-1-of-2.json'), 'utf8')) as { format: string; done: number; results: Array<{ index: number }> };
    expect(partial.format).toBe('headroom-sweep-partial/1');
    expect(partial.results.map((r) => r.index)).toEqual([0]);
  });
});
