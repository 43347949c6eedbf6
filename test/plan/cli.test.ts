import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryContext } from '../../src/cli/context.js';
import { MODEL_YAML, scenarioYaml, standardFixture } from './fixtures.js';

async function plan(dir: string, args: string[]) {
  const ctx = memoryContext({ cwd: dir });
  const code = await run(['plan', 'scenario.yaml', '--out', 'out', '--no-sim', ...args], ctx);
  return { code, out: ctx.out(), err: ctx.err(), wrote: existsSync(join(dir, 'out')) };
}

describe('headroom plan', () => {
  it('prints a table per variant and writes the plan files and the report', async () => {
    const f = standardFixture({ extra: 'variants:\n  - { name: launch, launch: { date: 2026-05-15, multiplier: 1.5 } }\n' });
    const r = await plan(f.dir, []);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Capacity plan: test plan \(scenario\.yaml\)\n/);
    expect(r.out).toContain('6 months 2026-03 to 2026-08, sized for the p90 demand');
    expect(r.out).toContain('Variant base: the forecast as it is');
    expect(r.out).toContain('Variant launch: launch on 2026-05-15 x1.5');
    expect(r.out).toMatch(/service\s+node type\s+p90 peak demand\s+fleet\s+headroom\s+nodes\s+cap 85%\s+zone-loss cover\s+SLO\s+saturation\s+runs out \(rule\)\s+order by\s+cost/);
    expect(r.out).toContain('wrote out/plan.json, out/plan.csv, out/plan.xlsx, out/forecast.json, out/report.html');
    for (const name of ['plan.json', 'plan.csv', 'plan.xlsx', 'forecast.json', 'report.html']) expect(existsSync(join(f.dir, 'out', name))).toBe(true);
    const json = JSON.parse(readFileSync(join(f.dir, 'out', 'plan.json'), 'utf8')) as { format: string; variants: unknown[] };
    expect(json.format).toBe('headroom-plan/2');
    expect(json.variants).toHaveLength(2);
  });

  it('--json prints plan.json to stdout', async () => {
    const f = standardFixture();
    const ctx = memoryContext({ cwd: f.dir });
    expect(await run(['plan', 'scenario.yaml', '--no-sim', '--json'], ctx)).toBe(0);
    const json = JSON.parse(ctx.out()) as { quantileLabel: string; simulation: { enabled: boolean } };
    expect(json.quantileLabel).toBe('p90');
    expect(json.simulation.enabled).toBe(false);
    expect(existsSync(join(f.dir, 'out'))).toBe(false);
  });

  it('exits 1 when the current fleet already breaks an SLO, after writing the plan', async () => {
    const f = standardFixture({ fleetMm: 1 });
    const r = await plan(f.dir, []);
    expect(r.code).toBe(1);
    expect(r.err).toBe('headroom: scenario.yaml: the current fleet is short now (--fail-on slo): mm (1 node, 3 needed) breaks an SLO at the peak of 2026-03\n');
    expect(existsSync(join(f.dir, 'out', 'plan.xlsx'))).toBe(true);
  });
});

describe('a new service', () => {
  it('with fleet 0 is planned without failing the run', async () => {
    const f = standardFixture({ fleetMm: 0 });
    const r = await plan(f.dir, []);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\n  mm +small +.* 0 +-100% +\d+ -> \d+ +already +already +already +already +already \(SLO\) +OVERDUE /);
  });
});

describe('bad input: one line naming file and field, exit 2, nothing written', () => {
  const cases: Array<[string, (f: ReturnType<typeof standardFixture>) => void, string]> = [
    [
      'an unknown name in an expression',
      (f) => f.write('scenario.yaml', scenarioYaml().replace('mmr_rps: mm_rps * 0.5', 'mmr_rps: mm_rp * 0.5')),
      'scenario.yaml:10 demand.mmr_rps: expected an expression over users, mm_rps (unknown name "mm_rp"), got "mm_rp * 0.5"',
    ],
    [
      'a syntax error in an expression',
      (f) => f.write('scenario.yaml', scenarioYaml().replace('mm_rps: users * 0.1', 'mm_rps: users * ')),
      'scenario.yaml:9 demand.mm_rps: expected a mathjs expression (Unexpected end of expression (char 8)), got "users *"',
    ],
    [
      'an unknown service',
      (f) => f.write('scenario.yaml', scenarioYaml().replace('  mmr: { demand', '  mmx: { demand')),
      'scenario.yaml:13 services.mmx: expected a service of model.yaml (mm, mmr), got "mmx"',
    ],
    [
      'a price missing for a node type',
      (f) => f.write('model.yaml', MODEL_YAML.replace('{ name: small, memoryGiB: 8, hourlyPrice: 0.2, committedHourlyPrice: 0.12 }', '{ name: small, memoryGiB: 8, committedHourlyPrice: 0.12 }')),
      'model.yaml:5 nodeTypes[0].hourlyPrice: missing; expected a non-negative number',
    ],
    [
      'a committed share on a node type without a committed price',
      (f) => f.write('model.yaml', MODEL_YAML.replace('hourlyPrice: 0.2, committedHourlyPrice: 0.12 }', 'hourlyPrice: 0.2 }')),
      'scenario.yaml:19 commitment.share: expected 0%, since node type small has no committedHourlyPrice in model.yaml, got "50%"',
    ],
    [
      'a variant on a node type the model does not price',
      (f) => f.write('scenario.yaml', scenarioYaml({ extra: 'variants:\n  - name: arm\n    services:\n      mm: { nodeType: tiny }\n' })),
      'scenario.yaml:25 variants[0].services.mm.nodeType: expected a node type with a price in model.yaml (small, big), got "tiny"',
    ],
    [
      'memory per unit of demand on a node type without memory',
      (f) =>
        f.write(
          'model.yaml',
          MODEL_YAML.replace('{ name: small, memoryGiB: 8, hourlyPrice', '{ name: small, hourlyPrice').replace('    balancer: random\n', '    balancer: random\n    memoryGiBPerUnit: 0.1\n'),
        ),
      'model.yaml nodeTypes[0].memoryGiB: missing; expected the memory of a small node, since service mmr has memoryGiBPerUnit',
    ],
    [
      'a negative lead time',
      (f) => f.write('scenario.yaml', scenarioYaml({ leadTime: '-10d' })),
      'scenario.yaml:18 leadTime: expected a lead time of zero or more, such as 45d or 8w, got "-10d"',
    ],
    [
      'a history file that does not exist',
      (f) => f.write('scenario.yaml', scenarioYaml().replace('data/users.csv', 'data/missing.csv')),
      'scenario.yaml:7 drivers.users.history: expected an existing CSV or JSON file (relative to the scenario), got "data/missing.csv"',
    ],
  ];
  for (const [what, breakIt, message] of cases) {
    it(what, async () => {
      const f = standardFixture();
      breakIt(f);
      const r = await plan(f.dir, []);
      expect(r.err).toBe(`headroom: ${message}\n`);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.wrote).toBe(false);
    });
  }

  it('a plan that starts inside the history', async () => {
    const f = standardFixture();
    f.write('scenario.yaml', scenarioYaml().replace('period: month', 'period: month\nstart: 2026-01'));
    const r = await plan(f.dir, []);
    expect(r.err).toBe('headroom: scenario.yaml start: expected a month that ends after the history does (last point 2026-02-04), got 2026-01\n');
    expect(r.code).toBe(2);
    expect(r.wrote).toBe(false);
  });

  it('a missing scenario file', async () => {
    const f = standardFixture();
    const ctx = memoryContext({ cwd: f.dir });
    expect(await run(['plan', 'nope.yaml', '--out', 'out'], ctx)).toBe(2);
    expect(ctx.err()).toBe('headroom: nope.yaml: file not found\n');
  });
});

describe('the shipped example (npm start)', () => {
  it('scenarios/example.yaml plans 5 services over 24 months in 4 variants with exit 0', async () => {
    const ctx = memoryContext({ cwd: join(import.meta.dirname, '../..') });
    expect(await run(['plan', 'scenarios/example.yaml', '--no-sim', '--json'], ctx)).toBe(0);
    const plan = JSON.parse(ctx.out()) as { periods: unknown[]; variants: Array<{ name: string; services: unknown[] }>; quantileLabel: string };
    expect(plan.periods).toHaveLength(24);
    expect(plan.variants.map((v) => v.name)).toEqual(['base', 'fast-growth', 'launch-de', 'graviton']);
    for (const v of plan.variants) expect(v.services).toHaveLength(5);
    expect(plan.quantileLabel).toBe('p95');
  });
});
