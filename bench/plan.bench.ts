/**
 * The capacity plan at the size the issue names: 10 services × 24 monthly periods × 3 variants (base and two), with
 * confirmation by simulation on worker threads, in-process on the library API. Prints a markdown table of the wall
 * time and its split between forecasting, analytic sizing and simulation, and the same plan analytic-only (--no-sim).
 *
 * Goal: under 60 s overall and under 1 s for the analytic path. Simulation confirms only where it decides something
 * (CONFIRMATION_RULE: the binding period of each variant × service, the count and count − 1, and the zone-loss case;
 * identical cases once), so it runs about 10 × 3 × 3 simulations, not 720.
 *
 * Run: npm run bench -- plan
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { exampleCheckout, exampleUsers } from '../scripts/make-plan-example-data.js';
import {
  evaluateService,
  loadPlanScenario,
  planCapacity,
  readPlanHistory,
  simulationConfirmer,
  type PlanTimings,
} from '../src/internal.js';
import type { ServiceModel } from '../src/model/resource-model.js';
import { sizingServiceOf } from '../src/plan/service-variant.js';

const KINDS = [
  'serviceTime: { distribution: exponential, mean: 20ms }',
  'serviceTime: { distribution: lognormal, mean: 15ms, cv: 1.2 }',
  'serviceTime: { distribution: gamma, mean: 8ms, cv: 0.6 }',
  'usl: { lambda: 120, sigma: 0.04, kappa: 0.0008 }',
  'serviceTime: { distribution: deterministic, value: 2ms }',
];
const BALANCERS = ['least-outstanding', 'round-robin', 'random', 'least-outstanding', 'power-of-two'];

function model(): string {
  let s = `name: bench
currency: USD
zones: [a, b, c]
nodeTypes:
  - { name: m, memoryGiB: 16, hourlyPrice: 0.3, committedHourlyPrice: 0.2 }
  - { name: g, memoryGiB: 16, hourlyPrice: 0.25, committedHourlyPrice: 0.17 }
services:
`;
  for (let i = 0; i < 10; i++) {
    s += `  - name: s${i}
    nodeType: m
    workersPerNode: ${[4, 8, 16, 12, 32][i % 5]}
    ${KINDS[i % 5]}
    balancer: ${BALANCERS[i % 5]}
${i % 3 === 0 ? '    queueCapacity: 100\n' : ''}${i % 4 === 1 ? '    client: { timeout: 2s }\n' : ''}`;
  }
  return s;
}

function scenario(): string {
  let s = `name: bench plan
model: model.yaml
horizon: 24
quantile: p95
drivers:
  users: { history: users.csv, column: peak_users, model: exponential, seasonality: [7] }
  checkout: { history: checkout.csv, column: checkout_rps }
demand:
  base_rps: users * 0.01 + checkout * 2
services:
`;
  for (let i = 0; i < 10; i++) s += `  s${i}: { demand: base_rps * ${(0.2 + 0.15 * i).toFixed(2)}, fleet: ${10 + i} }\n`;
  s += `slo: { latency: { percentile: p99, target: 300ms }, maxErrorRate: 0.5% }
maxUtilization: 75%
redundancy: { zoneLoss: true }
leadTime: 60d
commitment: { share: 40% }
variants:
  - { name: fast, growth: +40% }
  - name: arm
    services: { s1: { nodeType: g, serviceTimeScale: 0.9 }, s4: { nodeType: g } }
simulation: { arrivals: 20000, replicas: 4 }
seed: 5
`;
  return s;
}

function csv(column: string, x: { t: number[]; v: number[] }): string {
  return `timestamp,${column}\n${x.t.map((t, i) => `${new Date(t).toISOString()},${x.v[i]}`).join('\n')}\n`;
}

const dir = mkdtempSync(join(tmpdir(), 'headroom-plan-bench-'));
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'model.yaml'), model());
writeFileSync(join(dir, 'scenario.yaml'), scenario());
writeFileSync(join(dir, 'users.csv'), csv('peak_users', exampleUsers()));
writeFileSync(join(dir, 'checkout.csv'), csv('checkout_rps', exampleCheckout()));

const rows: string[] = [];
try {
  const t0 = performance.now();
  const { scenario: sc, model: m } = await loadPlanScenario(join(dir, 'scenario.yaml'), { cwd: dir });
  const history = await readPlanHistory(sc, { cwd: dir });
  const loadMs = performance.now() - t0;
  const clock = () => performance.now();

  // Warm-up of the analytic path (JIT), then 5 measured runs; the median is reported (the machine is shared).
  await planCapacity({ scenario: sc, model: m, history }, { clock });
  const runs: Array<{ wall: number; timings: PlanTimings }> = [];
  for (let i = 0; i < 5; i++) {
    const a0 = performance.now();
    const r = await planCapacity({ scenario: sc, model: m, history }, { clock });
    runs.push({ wall: performance.now() - a0, timings: r.timings });
  }
  runs.sort((x, y) => x.wall - y.wall);
  const analytic = runs[2]!;
  const analyticWall = analytic.wall;
  const analyticRange = `${(runs[0]!.wall / 1000).toFixed(2)}–${(runs[4]!.wall / 1000).toFixed(2)} s`;

  const workers = availableParallelism();
  const confirmer = simulationConfirmer({ workers });
  const s0 = performance.now();
  let full: { plan: { warnings: readonly string[] }; timings: PlanTimings };
  try {
    full = await planCapacity({ scenario: sc, model: m, history }, { clock, confirm: confirmer.confirm });
  } finally {
    await confirmer.close();
  }
  const fullWall = performance.now() - s0;

  const f = (x: number) => `${(x / 1000).toFixed(2)} s`;
  const t = full.timings;
  rows.push('| run | wall | forecast | analytic sizing | simulation | simulations (cache hits) |');
  rows.push('| --- | ---: | ---: | ---: | ---: | ---: |');
  rows.push(`| load scenario + read history (2 drivers, 762 daily + 18,288 hourly points; first call, module loading included) | ${f(loadMs)} | | | | |`);
  rows.push(`| plan --no-sim (10 services × 24 months × 3 variants), median of 5 (range ${analyticRange}) | ${f(analyticWall)} | ${f(analytic.timings.forecastMs)} | ${f(analytic.timings.analyticMs)} | – | – |`);
  rows.push(
    `| plan with simulation (${workers} workers, 4 replicas × ≥ 20,000 arrivals, stretched to steady state) | ${f(fullWall)} | ${f(t.forecastMs)} | ${f(t.analyticMs)} | ${f(t.simulationMs)} | ${t.simulations} (${t.cacheHits}) |`,
  );
  console.log(rows.join('\n'));
  console.log(`\ngoal: < 60 s with simulation, < 1 s for the analytic path (forecast + sizing)`);
  console.log(`simulation disagreed with the analytic count in ${full.plan.warnings.length} case(s)${full.plan.warnings.map((w) => `\n  - ${w}`).join('')}`);

  // How good are the analytic approximations? p99 response time, analytic vs simulated (4 replicas × 50,000
  // arrivals, the simulated value pooled over replicas), for one node of each service shape at three loads.
  const shapes: Array<[string, Partial<ServiceModel>]> = [
    ['M/M/8 (exponential 20 ms)', { serviceTime: { kind: 'exponential', mean: 0.02 } }],
    ['M/G/8 lognormal 20 ms, cv 1.5', { serviceTime: { kind: 'lognormal', mean: 0.02, cv: 1.5 } }],
    ['M/G/8 gamma 20 ms, cv 0.5', { serviceTime: { kind: 'gamma', mean: 0.02, cv: 0.5 } }],
    ['M/D/8 deterministic 20 ms', { serviceTime: { kind: 'deterministic', value: 0.02 } }],
    ['USL λ=50 σ=0.05 κ=0.002, 8 workers', { serviceTime: undefined, usl: { lambda: 50, sigma: 0.05, kappa: 0.002 } }],
  ];
  const base: ServiceModel = {
    name: 'x', nodeType: 'm', workersPerNode: 8, serviceTime: undefined, usl: undefined, queue: 'per-node', queueCapacity: undefined,
    balancer: 'random', requestClasses: [], client: { timeout: undefined, retries: undefined }, memoryGiBPerUnit: undefined, description: undefined,
  };
  const acc = simulationConfirmer({ workers });
  const lines = ['| service | load | analytic p99 | simulated p99 (95% CI over replicas) | analytic / simulated |', '| --- | ---: | ---: | ---: | ---: |'];
  const slo = { latency: { quantile: 0.99, target: 10 }, maxErrorRate: undefined };
  try {
    for (const [label, over] of shapes) {
      const svc: ServiceModel = { ...base, ...over };
      const sz = sizingServiceOf(svc);
      const capacity = sz.shape ? 8 / sz.shape.mean : Math.max(...Array.from({ length: 8 }, (_, k) => (50 * (k + 1)) / (1 + 0.05 * k + 0.002 * (k + 1) * k)));
      for (const rho of [0.5, 0.7, 0.85]) {
        const lambda = rho * capacity;
        const a = evaluateService(sz, lambda, 1, slo).latency;
        const r = await acc.confirm({ service: svc, demand: lambda, nodes: 1, zones: undefined, zoneDown: undefined, slo, replicas: 4, arrivals: 50_000, warmupFraction: 0.1, seed: 9 });
        lines.push(`| ${label} | ${rho} | ${(a * 1000).toFixed(1)} ms | ${(r.latency.mean * 1000).toFixed(1)} ms (${(r.latency.ci95[0] * 1000).toFixed(1)}–${(r.latency.ci95[1] * 1000).toFixed(1)}) | ${(a / r.latency.mean).toFixed(2)} |`);
      }
    }
  } finally {
    await acc.close();
  }
  console.log('\nAnalytic vs simulated p99 response time, one node:\n' + lines.join('\n'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
