import { describe, expect, it } from 'vitest';
import { loadPlanScenario, planCapacity, readPlanHistory, simulationConfirmer, survivorsOfZoneLoss } from '../../src/internal.js';
import { arrivalsFor, MAX_STRETCHED_ARRIVALS } from '../../src/plan/confirmation.js';
import { standardFixture } from './fixtures.js';

/**
 * Simulation confirmation with the real simulator (in-process replicas, few arrivals to keep the test short). The
 * latency SLO is made binding (no utilisation cap, a target just above the service time's own p99), so "one fewer
 * fails" is decided by the simulated latency, not by arithmetic.
 */
describe('confirmation by simulation', () => {
  it('the reported count passes in simulation and one fewer fails; zone-loss survivors meet the SLO', async () => {
    const f = standardFixture();
    const text = (await import('node:fs')).readFileSync(f.scenario, 'utf8').replace('maxUtilization: 85%', 'maxUtilization: 100%').replace('target: 200ms', 'target: 110ms');
    f.write('scenario.yaml', text);
    const { scenario, model } = await loadPlanScenario(f.scenario, { cwd: f.dir });
    const history = await readPlanHistory(scenario, { cwd: f.dir });
    const analytic = (await planCapacity({ scenario, model, history })).plan;
    const c = simulationConfirmer({ inProcess: true });
    const { plan, timings } = await planCapacity({ scenario, model, history }, { confirm: c.confirm });
    await c.close();
    expect(plan.simulation.enabled).toBe(true);
    expect(timings.simulations).toBeGreaterThan(0);
    for (const s of plan.variants[0]!.services) {
      const peak = s.confirmations[0]!.periodIndex;
      const n = s.periods[peak]!.nodesRequired;
      const sized = s.confirmations.filter((x) => x.case === 'sized');
      const fewer = s.confirmations.filter((x) => x.case === 'one-fewer');
      // Minimality: the count reported at the binding period passes, n − 1 fails.
      expect(sized.at(-1)).toMatchObject({ nodes: n, passed: true });
      expect(fewer.at(-1)).toMatchObject({ nodes: n - 1, passed: false });
      expect(s.periods[peak]!.binding).toMatch(/latency/);
      // The simulation agrees with the analytic count within one node.
      const a = analytic.variants[0]!.services.find((x) => x.service === s.service)!.periods[peak]!.nodesRequired;
      expect(Math.abs(n - a)).toBeLessThanOrEqual(1);
      // Zone loss: nodes spread over 3 zones; the survivors of losing the largest zone were simulated and pass.
      const zone = s.confirmations.filter((x) => x.case === 'zone-loss').at(-1)!;
      const withRed = s.periods[peak]!.nodesWithRedundancy;
      expect(zone).toMatchObject({ nodes: withRed, nodesUp: survivorsOfZoneLoss(withRed, 3), passed: true });
      expect(zone.nodesUp).toBeGreaterThanOrEqual(s.periods[peak]!.nodesSlo);
      expect(s.confirmationNote).toMatch(new RegExp(`^simulated at ${plan.periods[peak]!.label} .*: ${n} nodes pass .*, ${n - 1} fail`));
    }
  });
});

describe('the current fleet in simulation', () => {
  it('is simulated at the exhaustion period (expected to fail) and at the busiest period before it (expected to pass)', async () => {
    const f = standardFixture({ horizon: 12, fleetMm: 3 });
    const text = (await import('node:fs')).readFileSync(f.scenario, 'utf8').replace('maxUtilization: 85%', 'maxUtilization: 100%').replace('target: 200ms', 'target: 110ms');
    f.write('scenario.yaml', text);
    const { scenario, model } = await loadPlanScenario(f.scenario, { cwd: f.dir });
    const history = await readPlanHistory(scenario, { cwd: f.dir });
    const c = simulationConfirmer({ inProcess: true });
    const { plan } = await planCapacity({ scenario, model, history }, { confirm: c.confirm });
    await c.close();
    const mm = plan.variants[0]!.services.find((s) => s.service === 'mm')!;
    const ex = mm.exhaustion.periodIndex!;
    expect(ex).toBeGreaterThan(0);
    const atEx = mm.confirmations.find((x) => x.case === 'fleet-at-exhaustion')!;
    const before = mm.confirmations.find((x) => x.case === 'fleet-before-exhaustion')!;
    expect(atEx).toMatchObject({ periodIndex: ex, nodes: 3, demand: mm.periods[ex]!.demandSized });
    expect(before.periodIndex).toBeLessThan(ex);
    expect(before.demand).toBe(Math.max(...mm.periods.slice(0, ex).map((p) => p.demandSized)));
    // The simulation agrees with the analytic exhaustion period here (latency-bound, well below saturation).
    expect([atEx.passed, before.passed]).toEqual([false, true]);
    expect(atEx.asExpected && before.asExpected).toBe(true);
    // Two replicas of a few thousand arrivals near the boundary: the verdicts may be flagged marginal.
    expect(mm.confirmationNote).toMatch(
      new RegExp(`the current 3 nodes fail( \\(marginal\\))? at ${plan.periods[ex]!.label} and pass( \\(marginal\\))? at ${plan.periods[before.periodIndex]!.label}$`),
    );
  });
});

describe('run length of a confirming simulation', () => {
  const base = {
    name: 'x', nodeType: 'm', workersPerNode: 1, serviceTime: { kind: 'exponential', mean: 0.01 }, usl: undefined, queue: 'per-node', queueCapacity: undefined,
    balancer: 'random', requestClasses: [], client: { timeout: undefined, retries: undefined }, memoryGiBPerUnit: undefined, description: undefined,
  } as const;
  it('is stretched to 1,000 arrivals per separately queueing node and to 20 relaxation times, within a cap', () => {
    // 30 nodes queueing separately at light load: 30,000 arrivals.
    expect(arrivalsFor(base, 30, 300, 20_000)).toBe(30_000);
    // Pooled nodes are one queue: the node rule does not apply.
    expect(arrivalsFor({ ...base, balancer: 'least-outstanding' }, 30, 300, 20_000)).toBe(20_000);
    // One M/M/1 node (μ = 100/s) at ρ = 0.81: τ = 1/(100 (1 − 0.9)²) = 1 s, 20 τ at 81/s = 1,620 arrivals; at ρ = 0.99 it
    // would be 20/(100 (1 − √0.99)²) · 99 ≈ 7.9 million: capped.
    expect(arrivalsFor(base, 1, 81, 1_000)).toBe(Math.max(1_000, Math.ceil(81 * 20 * (1 / (100 * (1 - 0.9) ** 2)))));
    expect(arrivalsFor(base, 1, 99, 1_000)).toBe(MAX_STRETCHED_ARRIVALS);
  });
});

describe('reproducibility', () => {
  it('the same seed gives the same plan on a worker pool and in-process', async () => {
    const f = standardFixture();
    const { scenario, model } = await loadPlanScenario(f.scenario, { cwd: f.dir });
    const history = await readPlanHistory(scenario, { cwd: f.dir });
    const inProcess = simulationConfirmer({ inProcess: true });
    const pool = simulationConfirmer({ workers: 2 });
    try {
      const a = await planCapacity({ scenario, model, history }, { confirm: inProcess.confirm, replicas: 2, arrivals: 2000 });
      const b = await planCapacity({ scenario, model, history }, { confirm: pool.confirm, replicas: 2, arrivals: 2000 });
      expect(JSON.stringify(b.plan)).toBe(JSON.stringify(a.plan));
      expect(a.plan.variants[0]!.services[0]!.confirmations.length).toBeGreaterThan(0);
    } finally {
      await inProcess.close();
      await pool.close();
    }
  });
});
