import { describe, expect, it } from 'vitest';
import {
  applyRedundancy,
  demandQuantile,
  exhaustionOf,
  quantileLabel,
  loadPlanScenario,
  nodesForZoneLoss,
  periodCost,
  planCapacity,
  readPlanHistory,
  survivorsOfZoneLoss,
  type CapacityPlan,
} from '../../src/internal.js';
import { MODEL_YAML, standardFixture } from './fixtures.js';

async function planOf(opts: Parameters<typeof standardFixture>[0]): Promise<CapacityPlan> {
  const f = standardFixture(opts);
  const { scenario, model } = await loadPlanScenario(f.scenario, { cwd: f.dir });
  const history = await readPlanHistory(scenario, { cwd: f.dir });
  return (await planCapacity({ scenario, model, history })).plan;
}

describe('redundancy', () => {
  it('zone loss: nodes spread evenly, the survivors of the largest zone are n − ⌈n/Z⌉', () => {
    expect(survivorsOfZoneLoss(6, 3)).toBe(4);
    expect(survivorsOfZoneLoss(7, 3)).toBe(4);
    expect(survivorsOfZoneLoss(1, 3)).toBe(0);
    // nodesForZoneLoss is the smallest n whose survivors reach the need: checked against a brute-force search.
    for (const z of [2, 3, 4, 5]) {
      for (let need = 1; need <= 60; need++) {
        let n = 1;
        while (n - Math.ceil(n / z) < need) n++;
        expect(nodesForZoneLoss(need, z)).toBe(n);
      }
    }
  });

  it('N+k adds spares; zone loss asks survivors to meet the SLO count, not the utilisation cap', () => {
    expect(applyRedundancy(10, 8, { spare: 2, zones: undefined })).toEqual({ nodes: 12, rule: 'spare', survivors: undefined });
    // SLO needs 8: with 3 zones 12 nodes leave 8; the cap's 10 is below 12.
    expect(applyRedundancy(10, 8, { spare: 0, zones: 3 })).toEqual({ nodes: 12, rule: 'zone-loss', survivors: 8 });
    expect(applyRedundancy(13, 8, { spare: 0, zones: 3 })).toEqual({ nodes: 13, rule: 'none', survivors: 8 });
  });
});

describe('cost', () => {
  it('nodes × hours × price, committed share in whole nodes at the committed rate', () => {
    // 10 nodes, 744 h (January), 50% committed: 5 × 744 × 0.12 + 5 × 744 × 0.2 = 446.4 + 744 = 1190.4
    expect(periodCost(10, 744, { hourly: 0.2, committedHourly: 0.12 }, 0.5)).toEqual({ committedNodes: 5, onDemandNodes: 5, cost: 1190.4 });
    // 7 nodes at 50%: 3 committed (rounded down), 4 on demand; 720 h: 3 × 720 × 0.12 + 4 × 720 × 0.2 = 259.2 + 576
    expect(periodCost(7, 720, { hourly: 0.2, committedHourly: 0.12 }, 0.5).cost).toBeCloseTo(835.2, 9);
    // No committed price: all on demand.
    expect(periodCost(7, 720, { hourly: 0.5, committedHourly: undefined }, 0.5)).toEqual({ committedNodes: 0, onDemandNodes: 7, cost: 2520 });
  });

  it('in the plan: period cost, service totals, variant and yearly totals add up by hand', async () => {
    const plan = await planOf({});
    const v = plan.variants[0]!;
    for (const s of v.services) {
      // Demand grows, so the count never falls: one 1-year tranche of half the first month's count, for all six months
      // (each reserved node runs the whole term, above the 0.12/0.2 = 60% break-even).
      const reserved = Math.floor(s.periods[0]!.nodesWithRedundancy * 0.5);
      expect(s.reservations).toEqual([expect.objectContaining({ startPeriodIndex: 0, termMonths: 12, nodes: reserved, committedHourlyPrice: 0.12 })]);
      for (const p of s.periods) {
        const per = plan.periods[p.periodIndex]!;
        expect(p.committedNodes).toBe(reserved);
        expect(p.cost).toBeCloseTo(reserved * per.hours * 0.12 + (p.nodesWithRedundancy - reserved) * per.hours * 0.2, 9);
      }
      expect(s.totalCost).toBeCloseTo(s.periods.reduce((a, p) => a + p.cost, 0), 9);
      expect(s.costByYear).toEqual([{ year: 2026, cost: expect.closeTo(s.totalCost, 9) as unknown as number }]);
    }
    expect(v.totalCost).toBeCloseTo(v.services.reduce((a, s) => a + s.totalCost, 0), 9);
    expect(v.costByYear.reduce((a, y) => a + y.cost, 0)).toBeCloseTo(v.totalCost, 9);
    // History ends 2026-02-04, so the plan runs March to August 2026: one calendar year, 31+30+31+30+31+31 days.
    expect(plan.periods.map((p) => p.label)).toEqual(['2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08']);
    expect(plan.periods.map((p) => p.hours)).toEqual([744, 720, 744, 720, 744, 744]);
    expect(v.costByYear.map((y) => y.year)).toEqual([2026]);
  });

  it('a price variant scales cost and nothing else', async () => {
    const plan = await planOf({ extra: 'variants:\n  - { name: cheaper, price: { multiplier: 0.5 } }\n' });
    const [base, cheaper] = plan.variants;
    expect(cheaper!.totalCost).toBeCloseTo(base!.totalCost * 0.5, 6);
    expect(cheaper!.services[0]!.periods.map((p) => p.nodesWithRedundancy)).toEqual(base!.services[0]!.periods.map((p) => p.nodesWithRedundancy));
  });
});

describe('exhaustion', () => {
  it('is the first period whose sized demand exceeds what the fleet serves; order-by is that minus the lead time', () => {
    const starts = [0, 10, 20, 30].map((d) => d * 86_400_000);
    expect(exhaustionOf(starts, [5, 8, 11, 14], 10, 5 * 86_400_000)).toEqual({ periodIndex: 2, dateMs: starts[2], orderByMs: starts[2]! - 5 * 86_400_000, overdue: false });
    expect(exhaustionOf(starts, [5, 8, 9, 9.5], 10, 0).periodIndex).toBeUndefined();
    expect(exhaustionOf(starts, [11, 12, 13, 14], 10, 86_400_000).overdue).toBe(true);
  });

  it('moves earlier when growth is faster and later when the fleet is larger', async () => {
    const base = await planOf({ horizon: 12, fleetMm: 3, extra: 'variants:\n  - { name: faster, growth: +150% }\n  - { name: slower, growth: -40% }\n' });
    const idx = (p: CapacityPlan, v: number) => p.variants[v]!.services.find((s) => s.service === 'mm')!.exhaustion.periodIndex ?? Infinity;
    const b = idx(base, 0);
    expect(b).toBeGreaterThan(0);
    expect(b).toBeLessThan(12);
    expect(idx(base, 1)).toBeLessThan(b);
    expect(idx(base, 2)).toBeGreaterThan(b);
    const bigger = await planOf({ horizon: 12, fleetMm: 4 });
    expect(idx(bigger, 0)).toBeGreaterThan(b);
    // The order-by date is the exhaustion date minus the 30-day lead time.
    const ex = base.variants[0]!.services.find((s) => s.service === 'mm')!.exhaustion;
    expect(ex.orderByMs).toBe(ex.dateMs! - 30 * 86_400_000);
    expect(ex.dateMs).toBe(base.periods[b]!.startMs);
    // Headroom is negative exactly from the exhaustion period on.
    const mm = base.variants[0]!.services.find((s) => s.service === 'mm')!;
    mm.periods.forEach((p, i) => expect(p.fleetMeetsSlo).toBe(i < b));
    // Redundancy runs short no later than the SLO does: the first period planned above the fleet.
    const short = mm.redundancyShortfall!;
    expect(short.periodIndex).toBeLessThanOrEqual(b);
    expect(mm.periods[short.periodIndex]!.nodesWithRedundancy).toBeGreaterThan(3);
    mm.periods.slice(0, short.periodIndex).forEach((p) => expect(p.nodesWithRedundancy).toBeLessThanOrEqual(3));
  });
});

describe('memory as a second resource', () => {
  it('sizes by memory when it needs more nodes than queueing, and puts the cost on the memory row', async () => {
    const f = standardFixture();
    f.write('model.yaml', MODEL_YAML.replace('    balancer: random\n', '    balancer: random\n    memoryGiBPerUnit: 0.2\n'));
    const { scenario, model } = await loadPlanScenario(f.scenario, { cwd: f.dir });
    const history = await readPlanHistory(scenario, { cwd: f.dir });
    const { plan } = await planCapacity({ scenario, model, history });
    const mmr = plan.variants[0]!.services.find((s) => s.service === 'mmr')!;
    for (const p of mmr.periods) {
      const gib = p.demandSized * 0.2;
      // Nodes of 8 GiB at most 85% full; zone loss: survivors must hold it all.
      const byMemory = Math.ceil(gib / (8 * 0.85));
      expect(p.nodesRequired).toBe(Math.max(byMemory, p.resources[0]!.nodesRequired));
      expect(p.binding).toBe('memory');
      expect(p.resources.map((r) => r.resource)).toEqual(['compute', 'memory']);
      expect(p.resources[1]).toMatchObject({ unit: 'GiB', nodesRequired: byMemory, cost: p.cost });
      expect(p.resources[1]!.demandSized).toBeCloseTo(gib, 9);
      expect(p.resources[0]!.cost).toBe(0);
      expect(nodesForZoneLoss(Math.ceil(gib / 8), 3)).toBeLessThanOrEqual(p.nodesWithRedundancy);
    }
  });
});

describe('demand quantiles from the forecast intervals', () => {
  it('give the bounds back for a normal forecast and interpolate between them', () => {
    const sd = 10;
    const p = { timestampMs: 0, mean: 100, lo80: 100 - 1.2815515655446004 * sd, hi80: 100 + 1.2815515655446004 * sd, lo95: 100 - 1.959963984540054 * sd, hi95: 100 + 1.959963984540054 * sd };
    expect(demandQuantile(p, 0.9)).toBeCloseTo(p.hi80, 6);
    expect(demandQuantile(p, 0.975)).toBeCloseTo(p.hi95, 6);
    expect(demandQuantile(p, 0.5)).toBe(100);
    expect(demandQuantile(p, 0.99)).toBeCloseTo(100 + 2.3263478740408408 * sd, 6);
    expect(demandQuantile(p, 0.1)).toBeCloseTo(p.lo80, 6);
    // A skewed forecast keeps its skew: the upper side uses only the upper bounds.
    const skew = { ...p, lo80: 95, lo95: 92 };
    expect(demandQuantile(skew, 0.95)).toBeCloseTo(100 + 1.6448536269514722 * sd, 6);
    expect(quantileLabel(0.95)).toBe('p95');
    expect(quantileLabel(0.999)).toBe('p99.9');
  });
});

describe('the peak of a period from sub-daily history', () => {
  /** 8 weeks of hourly requests/s peaking at 19:00 UTC: 100·(1 + 0.5 cos(2π(h − 19)/24)), flat level, no noise. */
  function hourly(): string {
    const start = Date.UTC(2025, 0, 1);
    const lines = ['timestamp,rps'];
    for (let i = 0; i < 8 * 7 * 24; i++) {
      const ms = start + i * 3_600_000;
      const h = new Date(ms).getUTCHours();
      lines.push(`${new Date(ms).toISOString()},${(100 * (1 + 0.5 * Math.cos((2 * Math.PI * (h - 19)) / 24))).toFixed(3)}`);
    }
    return lines.join('\n') + '\n';
  }
  async function planFor(horizon: number): Promise<CapacityPlan> {
    const f = standardFixture();
    f.write('data/rps.csv', hourly());
    f.write(
      'scenario.yaml',
      `name: hourly\nmodel: model.yaml\nhorizon: ${horizon}\nquantile: p50\ndrivers:\n  rps: { history: data/rps.csv, unit: req/s }\nservices:\n  mm: { demand: rps, fleet: 10 }\nslo: { latency: { percentile: p99, target: 200ms } }\n`,
    );
    const { scenario, model } = await loadPlanScenario(f.scenario, { cwd: f.dir });
    const history = await readPlanHistory(scenario, { cwd: f.dir });
    return (await planCapacity({ scenario, model, history })).plan;
  }

  it('a short plan forecasts the hourly series and finds the peak hour', async () => {
    const plan = await planFor(1);
    expect(plan.periods.map((p) => p.label)).toEqual(['2025-03']);
    expect(plan.drivers[0]).toMatchObject({ dailyPeaks: false, forecastStepMs: 3_600_000 });
    const p = plan.variants[0]!.services[0]!.periods[0]!;
    expect(new Date(p.peakMs).getUTCHours()).toBe(19);
    expect(p.demandP50).toBeCloseTo(150, 0);
  });

  it('a long plan forecasts daily peaks', async () => {
    const plan = await planFor(3);
    expect(plan.drivers[0]).toMatchObject({ dailyPeaks: true, forecastStepMs: 86_400_000 });
    for (const p of plan.variants[0]!.services[0]!.periods) expect(p.demandP50).toBeCloseTo(150, 0);
  });
});

describe('quarters', () => {
  it('plan calendar quarters with their real hours', async () => {
    const f = standardFixture();
    f.write('scenario.yaml', (await import('node:fs')).readFileSync(f.scenario, 'utf8').replace('period: month', 'period: quarter').replace('horizon: 6', 'horizon: 3'));
    const { scenario, model } = await loadPlanScenario(f.scenario, { cwd: f.dir });
    const history = await readPlanHistory(scenario, { cwd: f.dir });
    const { plan } = await planCapacity({ scenario, model, history });
    // History ends 2026-02-04 inside Q1, so the plan starts with Q2.
    expect(plan.periods.map((p) => [p.label, p.hours])).toEqual([
      ['2026-Q2', (30 + 31 + 30) * 24],
      ['2026-Q3', (31 + 31 + 30) * 24],
      ['2026-Q4', (31 + 30 + 31) * 24],
    ]);
  });
});
