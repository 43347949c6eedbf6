import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Scenario fixtures written to a fresh temporary directory: a resource model, a plan scenario and daily history with
 * known structure (level · (1 + growth)^(days/365) · weekly factor, no noise), so tests know what to expect.
 */
export interface Fixture {
  readonly dir: string;
  /** Write a file relative to the fixture directory. */
  write(name: string, text: string): string;
}

export function fixtureDir(): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-plan-'));
  return {
    dir,
    write(name, text) {
      const p = join(dir, name);
      mkdirSync(join(p, '..'), { recursive: true });
      writeFileSync(p, text);
      return p;
    },
  };
}

/** Daily history: `days` days from 2025-01-01 UTC, value = level · (1 + yearlyGrowth)^(day/365.25) · weekly(dow). */
export function dailyHistory(days: number, level: number, yearlyGrowth: number): string {
  const start = Date.UTC(2025, 0, 1);
  const weekly = [0.9, 1, 1, 1, 1, 1, 0.95];
  const lines = ['date,users'];
  for (let i = 0; i < days; i++) {
    const ms = start + i * 86_400_000;
    const v = level * Math.pow(1 + yearlyGrowth, i / 365.25) * weekly[new Date(ms).getUTCDay()]!;
    lines.push(`${new Date(ms).toISOString().slice(0, 10)},${v.toFixed(2)}`);
  }
  return lines.join('\n') + '\n';
}

export const MODEL_YAML = `name: test-shop
currency: EUR
zones: [a, b, c]
nodeTypes:
  - { name: small, memoryGiB: 8, hourlyPrice: 0.2, committedHourlyPrice: 0.12 }
  - { name: big, memoryGiB: 16, hourlyPrice: 0.5 }
services:
  - name: mm
    nodeType: small
    workersPerNode: 4
    serviceTime: { distribution: exponential, mean: 20ms }
    queue: shared
  - name: mmr
    nodeType: small
    workersPerNode: 2
    serviceTime: { distribution: exponential, mean: 10ms }
    balancer: random
`;

/** A scenario over MODEL_YAML; `extra` is appended (variants, overrides). */
export function scenarioYaml(opts: { horizon?: number; fleetMm?: number; fleetMmr?: number; extra?: string; leadTime?: string; commit?: string } = {}): string {
  return `name: test plan
model: model.yaml
period: month
horizon: ${opts.horizon ?? 6}
quantile: p90
drivers:
  users: { history: data/users.csv, column: users, unit: users, model: exponential, seasonality: [7] }
demand:
  mm_rps: users * 0.1
  mmr_rps: mm_rps * 0.5
services:
  mm: { demand: mm_rps, fleet: ${opts.fleetMm ?? 12} }
  mmr: { demand: mmr_rps, fleet: ${opts.fleetMmr ?? 6} }
slo:
  latency: { percentile: p99, target: 200ms }
maxUtilization: 85%
redundancy: { spare: 0, zoneLoss: true }
leadTime: ${opts.leadTime ?? '30d'}
commitment: { share: ${opts.commit ?? '50%'} }
simulation: { arrivals: 4000, replicas: 2, warmup: 10% }
seed: 3
${opts.extra ?? ''}`;
}

/** A complete fixture: model, scenario and 400 days of history growing 40% a year from 3000 users. */
export function standardFixture(opts: Parameters<typeof scenarioYaml>[0] = {}): Fixture & { scenario: string } {
  const f = fixtureDir();
  f.write('model.yaml', MODEL_YAML);
  f.write('data/users.csv', dailyHistory(400, 3000, 0.4));
  const scenario = f.write('scenario.yaml', scenarioYaml(opts));
  return { ...f, scenario };
}
