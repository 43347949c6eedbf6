import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPlanScenario, planCapacity, planCsv, planJson, planXlsx, readPlanHistory, PLAN_CSV_COLUMNS, type CapacityPlan } from '../../src/internal.js';
import { dailyHistory, fixtureDir, MODEL_YAML, scenarioYaml, standardFixture } from '../plan/fixtures.js';

let plan: CapacityPlan;

beforeAll(async () => {
  // Two services (compute only), two variants, six months.
  const f = standardFixture({ extra: 'variants:\n  - { name: faster, growth: +50% }\n' });
  const { scenario, model } = await loadPlanScenario(f.scenario, { cwd: f.dir });
  const history = await readPlanHistory(scenario, { cwd: f.dir });
  plan = (await planCapacity({ scenario, model, history })).plan;
});

describe('plan.csv', () => {
  it('reopens with exactly the columns and the values written, one row per period x variant x service x resource', () => {
    const rows = parse(planCsv(plan), { columns: true, cast: true }) as Array<Record<string, string | number>>;
    expect(Object.keys(rows[0]!)).toEqual([...PLAN_CSV_COLUMNS]);
    expect(rows).toHaveLength(plan.periods.length * plan.variants.length * 2);
    let i = 0;
    for (const v of plan.variants) {
      for (const per of plan.periods) {
        for (const s of v.services) {
          const p = s.periods[per.index]!;
          const r = rows[i++]!;
          expect(r).toEqual({
            period: per.label,
            variant: v.name,
            service: s.service,
            resource: 'compute',
            unit: 'req/s',
            demand_p50_in_unit: Math.round(p.demandP50 * 1000) / 1000,
            demand_sized_in_unit: Math.round(p.demandSized * 1000) / 1000,
            fleet_nodes: s.fleet,
            resource_needs_nodes: p.nodesRequired,
            planned_nodes: p.nodesWithRedundancy,
            nodes_to_buy: Math.max(0, p.nodesWithRedundancy - s.fleet),
            utilization_fraction: Math.round(p.utilization * 10000) / 10000,
            headroom_at_cap_fraction: Math.round(p.headroom * 10000) / 10000,
            count_set_by: p.countSetBy,
            fleet_short_of: p.fleetShortOf.join(' '),
            runs_out_period: s.runsOut.period ?? 'beyond',
            runs_out_rule: s.runsOut.rule ?? '',
            order_by_date: s.runsOut.orderByMs === undefined ? '' : new Date(s.runsOut.orderByMs).toISOString().slice(0, 10),
            reserved_nodes: p.committedNodes,
            on_demand_nodes: p.onDemandNodes,
            hourly_price_in_currency_per_node_hour: 0.2,
            committed_price_in_currency_per_node_hour: 0.12,
            cost_in_currency: Math.round(p.cost * 100) / 100,
            currency: 'EUR',
          });
          // The row's count and utilisation belong together: utilisation is λ·E[S] / (planned nodes × workers), by hand
          // (mm: 4 workers at 20 ms; mmr: 2 workers at 10 ms).
          const [work, workers] = s.service === 'mm' ? [0.02, 4] : [0.01, 2];
          expect(r.utilization_fraction as number).toBeCloseTo((p.demandSized * work) / ((r.planned_nodes as number) * workers), 4);
        }
      }
    }
    const total = rows.reduce((a, r) => a + (r.cost_in_currency as number), 0);
    expect(total).toBeCloseTo(plan.variants.reduce((a, v) => a + v.totalCost, 0), 1);
  });
});

describe('plan.csv of a memory-bound service', () => {
  it('both resource rows carry the planned count, and each utilisation is that of the planned count', async () => {
    // mmr holds 0.5 GiB per req/s on 8 GiB nodes: about 105 GiB needs 14+ nodes, where compute needs 2.
    const f = fixtureDir();
    f.write('model.yaml', MODEL_YAML.replace('    balancer: random\n', '    balancer: random\n    memoryGiBPerUnit: 0.5\n'));
    f.write('data/users.csv', dailyHistory(400, 3000, 0.4));
    const file = f.write('scenario.yaml', scenarioYaml());
    const { scenario, model } = await loadPlanScenario(file, { cwd: f.dir });
    const history = await readPlanHistory(scenario, { cwd: f.dir });
    const memPlan = (await planCapacity({ scenario, model, history })).plan;
    const rows = (parse(planCsv(memPlan), { columns: true, cast: true }) as Array<Record<string, string | number>>).filter((r) => r.service === 'mmr');
    expect(rows).toHaveLength(2 * memPlan.periods.length);
    for (let i = 0; i < rows.length; i += 2) {
      const [compute, memory] = [rows[i]!, rows[i + 1]!];
      expect([compute.resource, memory.resource]).toEqual(['compute', 'memory']);
      const n = compute.planned_nodes as number;
      expect(memory.planned_nodes).toBe(n);
      expect(memory.count_set_by).toBe('zone-loss');
      // By hand: compute λ × 10 ms / (n × 2 workers); memory λ × 0.5 GiB / (n × 8 GiB).
      const lambda = compute.demand_sized_in_unit as number;
      expect(compute.utilization_fraction as number).toBeCloseTo((lambda * 0.01) / (n * 2), 3);
      expect(memory.utilization_fraction as number).toBeCloseTo((lambda * 0.5) / (n * 8), 3);
      expect(memory.resource_needs_nodes as number).toBeGreaterThan(compute.resource_needs_nodes as number);
    }
  });
});

describe('plan.json', () => {
  it('round-trips the plan', () => {
    expect(JSON.parse(planJson(plan))).toEqual(JSON.parse(JSON.stringify(plan)));
  });
});

describe('plan.xlsx', () => {
  it('reopens with numbers as numbers, dates as dates, and the values written', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await planXlsx(plan)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'Monthly', 'Reservations', 'Assumptions']);

    const sum = wb.getWorksheet('Summary')!;
    expect(sum.getRow(4).getCell(1).value).toBe('Variant');
    plan.variants.forEach((v, k) => {
      const row = sum.getRow(5 + k);
      expect(row.getCell(1).value).toBe(v.name);
      const ex = row.getCell(4).value;
      if (v.runsOut.dateMs === undefined) expect(ex).toBeNull();
      else expect(ex).toEqual(new Date(v.runsOut.dateMs));
      expect(row.getCell(5).value).toBe(v.runsOut.rule ?? '');
      if (v.runsOut.orderByMs !== undefined) expect(row.getCell(7).value).toEqual(new Date(v.runsOut.orderByMs));
      expect(row.getCell(4).numFmt).toBe('yyyy-mm-dd');
      const yearCost = row.getCell(9).value;
      expect(typeof yearCost).toBe('number');
      expect(yearCost as number).toBeCloseTo(v.costByYear[0]!.cost, 6);
      expect(row.getCell(9).numFmt).toBe('#,##0.00 "EUR"');
      expect(row.getCell(9 + v.costByYear.length).value as number).toBeCloseTo(v.totalCost, 6);
    });

    const mon = wb.getWorksheet('Monthly')!;
    expect(mon.rowCount).toBe(1 + plan.periods.length * plan.variants.length * 2);
    let r = 2;
    for (const v of plan.variants) {
      for (const per of plan.periods) {
        for (const s of v.services) {
          const p = s.periods[per.index]!;
          const row = mon.getRow(r++);
          expect(row.getCell(1).value).toEqual(new Date(per.startMs));
          expect(row.getCell(1).numFmt).toBe('yyyy-mm-dd');
          expect(row.getCell(3).value).toBe(v.name);
          expect(row.getCell(4).value).toBe(s.service);
          expect(row.getCell(8).value).toBe(p.demandSized);
          expect(row.getCell(9).value).toBe(s.fleet);
          expect(row.getCell(11).value).toBe(p.nodesRequired);
          expect(row.getCell(12).value).toBe(p.nodesWithRedundancy);
          expect(row.getCell(13).value).toBe(p.nodesToBuy);
          expect(row.getCell(15).value).toBe(p.utilization);
          expect(row.getCell(15).numFmt).toBe('0.0%');
          expect(row.getCell(20).value).toBe(0.2);
          expect(row.getCell(20).numFmt).toBe('#,##0.0000 "EUR"');
          expect(row.getCell(22).value).toBe(p.cost);
        }
      }
    }

    const as = wb.getWorksheet('Assumptions')!;
    const values = new Map<string, unknown>();
    as.eachRow((row) => values.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(values.get('Demand quantile sized for')).toBe(0.9);
    expect(values.get('Procurement lead time')).toBe(30);
    expect(values.get('Driver users: forecast model')).toBe(plan.drivers[0]!.model);
    expect(values.get('Demand mm_rps')).toBe('users * 0.1');
    expect(values.get('Service mm: on-demand price')).toBe(0.2);
    expect(values.get('Node type big: on-demand price')).toBe(0.5);
    expect(values.has('Node type big: committed price')).toBe(false);
    expect(values.get('Node type small: committed price')).toBe(0.12);
    expect(values.get('First period')).toEqual(new Date(plan.periods[0]!.startMs));
  });
});
