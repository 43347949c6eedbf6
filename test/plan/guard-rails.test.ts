import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryContext } from '../../src/cli/context.js';
import { run } from '../../src/cli/main.js';
import { standardFixture } from './fixtures.js';

async function plan(dir: string, args: string[]) {
  const ctx = memoryContext({ cwd: dir });
  const code = await run(['plan', 'scenario.yaml', '--no-sim', ...args], ctx);
  return { code, out: ctx.out(), err: ctx.err() };
}

describe('shortfalls now and --fail-on', () => {
  it('the console says the shortfall first, with the count to add', async () => {
    const f = standardFixture({ fleetMm: 1 });
    const r = await plan(f.dir, ['--fail-on', 'none']);
    expect(r.code).toBe(0);
    const head = r.out.slice(0, r.out.indexOf('\nVariant base'));
    expect(head).toContain('\nShort now (current fleet, base plan, at the 2026-03 peak; an order placed today arrives after the 30-day lead time):\n');
    expect(head).toMatch(/\n {2}mm breaks an SLO now: add 2 nodes \(1 -> 3\) to hold it through 2026-03\n/);
    expect(head).toMatch(/\n {2}mm is over the 85% utilisation cap now: add \d+ nodes \(1 -> \d+\)/);
  });

  it('--fail-on picks the rules that fail the run; the scenario field is the default; a bad rule is exit 2', async () => {
    const f = standardFixture({ fleetMm: 1 });
    const cap = await plan(f.dir, ['--fail-on', 'cap']);
    expect(cap.code).toBe(1);
    expect(cap.err).toMatch(/^headroom: scenario\.yaml: the current fleet is short now \(--fail-on cap\): mm \(1 node, \d+ needed\) is over the utilisation cap at the peak of 2026-03\n$/);
    const bad = await plan(f.dir, ['--fail-on', 'cap,speed']);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('headroom: --fail-on: expected rules from cap, redundancy, slo separated by commas, or none, got "cap,speed"\n');
    const g = standardFixture({ fleetMm: 1, extra: 'failOn: [cap]\n' });
    expect((await plan(g.dir, [])).err).toContain('(--fail-on cap)');
  });
});

describe('guard rails', () => {
  it('demand beyond what the node limit serves is a finding with exit 1, not an internal error', async () => {
    const f = standardFixture({ horizon: 12, extra: 'variants:\n  - { name: wild, growth: +100000000% }\n' });
    const r = await plan(f.dir, ['--json']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^headroom: scenario\.yaml: demand beyond the node limit: wild\/mm at 2026-\d\d needs [\d,]+ req\/s; 20,000 nodes serve 3,400,000 req\/s at the cap; wild\/mmr at /);
    const json = JSON.parse(r.out) as { findings: Array<{ kind: string; maxDemand: number }> };
    // 20,000 nodes × 4 workers / 20 ms × 85% = 3.4 million req/s.
    expect(json.findings.find((x) => x.kind === 'unservable')!.maxDemand).toBeCloseTo(3_400_000, 3);
    expect(r.out).not.toMatch(/NaN|Infinity/);
  });

  it('a horizon past 3x the history warns; past 10x it needs --allow-long-horizon (exit 2 without)', async () => {
    const warn = standardFixture({ horizon: 60 });
    const w = await plan(warn.dir, []);
    expect(w.code).toBe(0);
    expect(w.out).toMatch(/\nwarning: the plan reaches 1851 days past the 399 days of history of driver users \(4\.6x\): beyond 3x the forecast is an extrapolation/);
    const far = standardFixture({ horizon: 140 });
    const e = await plan(far.dir, []);
    expect(e.code).toBe(2);
    expect(e.err).toBe(
      'headroom: scenario.yaml horizon: expected a plan reaching at most 10x the history, got 140 months: the plan reaches 4288 days past the 399 days of history of driver users (10.7x); shorten the horizon or pass --allow-long-horizon\n',
    );
    expect((await plan(far.dir, ['--allow-long-horizon'])).code).toBe(0);
  });

  it('--out at an existing file is a one-line bad-input error, exit 2, the file untouched', async () => {
    const f = standardFixture();
    writeFileSync(join(f.dir, 'taken'), 'keep');
    const r = await plan(f.dir, ['--out', 'taken']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('headroom: --out taken: expected a directory (existing or new), got an existing file\n');
    expect(readFileSync(join(f.dir, 'taken'), 'utf8')).toBe('keep');
    const under = await plan(f.dir, ['--out', 'taken/plan']);
    expect(under.code).toBe(2);
    expect(under.err).toBe(`headroom: --out taken/plan: expected a path inside a directory, but ${join(f.dir, 'taken')} is a file\n`);
  });

  it('calibrate --out at an existing directory, or under a file, is exit 2 before anything is read', async () => {
    const f = standardFixture();
    mkdirSync(join(f.dir, 'models'));
    writeFileSync(join(f.dir, 'taken'), 'keep');
    for (const [out, msg] of [
      ['models', 'headroom: --out models: expected a file path, got an existing directory\n'],
      ['taken/x.yaml', `headroom: --out taken/x.yaml: expected a path inside a directory, but ${join(f.dir, 'taken')} is a file\n`],
    ] as const) {
      const ctx = memoryContext({ cwd: f.dir });
      expect(await run(['calibrate', 'validation.json', '--out', out], ctx)).toBe(2);
      expect(ctx.err()).toBe(msg);
    }
    expect(existsSync(join(f.dir, 'validation.json'))).toBe(false);
  });
});

describe('scenario fields of the plan rules', () => {
  it('a degraded ceiling under the cap, an unknown failOn rule and a reservation term other than 1y or 3y are one-line errors, exit 2', async () => {
    const f = standardFixture({ extra: 'failOn: [cap, speed]\n', commit: '50%, term: 2y' });
    const r = await plan(f.dir, []);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'headroom: scenario.yaml:22 failOn[1]: expected a rule: cap, redundancy, slo, got "speed"\n' +
        'scenario.yaml:19 commitment.term: expected a reservation term: 1y or 3y, got "2y"\n',
    );
    const g = standardFixture({ extra: 'maxUtilizationDegraded: 60%\n' });
    const d = await plan(g.dir, []);
    expect(d.code).toBe(2);
    expect(d.err).toBe('headroom: scenario.yaml:22 maxUtilizationDegraded: expected a ceiling at or above maxUtilization (85%), got "60%"\n');
    expect(r.out).toBe('');
  });
});
