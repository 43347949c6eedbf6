import type ExcelJSType from 'exceljs';
import type { CapacityPlan, RuleDate } from '../plan/types.js';

/**
 * plan.xlsx for finance, with four sheets:
 * - Summary: per variant when the current fleet runs out (the first rule it breaks, which rule, which service), the
 *   order-by date, and the cost per calendar year and in total; per service the date of every rule;
 * - Monthly: one row per period × variant × service: demand, current fleet, nodes planned and to buy, utilisation of
 *   the planned count, headroom at the cap, the rule that sets the count, reserved and on-demand nodes, prices, cost;
 * - Reservations: each recommended tranche (service, start, term, nodes, committed price, break-even);
 * - Assumptions: every input (scenario, SLOs, redundancy, lead time, prices, expressions, variants) and the forecast
 *   model chosen for each driver.
 * Numbers are numbers with number formats (prices to 4 decimals), dates are Excel dates (UTC midnight), never text;
 * every header names its unit.
 */

const DATE = 'yyyy-mm-dd';
const PCT = '0.0%';
const INT = '#,##0';
const DEC = '#,##0.0';

function money(currency: string): string {
  return `#,##0.00 "${currency}"`;
}

/** Prices per node-hour: 0.107 must not show as 0.11. */
function price(currency: string): string {
  return `#,##0.0000 "${currency}"`;
}

/** A rule's date as a cell: the period's start, 'already' (the first period), or 'beyond' (not within the horizon). */
function ruleCell(d: RuleDate | undefined): Date | string {
  if (!d || d.status === 'not-asked') return 'not asked';
  if (d.status === 'beyond') return 'beyond horizon';
  return new Date(d.dateMs!);
}

function date(ms: number | undefined): Date | null {
  return ms === undefined ? null : new Date(ms);
}

function styleHeader(ws: ExcelJSType.Worksheet, row: number): void {
  const r = ws.getRow(row);
  r.font = { bold: true };
  r.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDE6F0' } };
}

export async function planXlsx(plan: CapacityPlan): Promise<Uint8Array> {
  // exceljs is large: loaded here, on first use, not when the CLI starts.
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'headroom';
  // Fixed timestamps keep the file reproducible: the same plan gives the same bytes.
  wb.created = new Date(plan.periods[0]?.startMs ?? 0);
  wb.modified = wb.created;
  const cur = money(plan.currency);
  const years = [...new Set(plan.variants.flatMap((v) => v.costByYear.map((c) => c.year)))].sort();

  // Summary
  const sum = wb.addWorksheet('Summary');
  sum.addRow([`Capacity plan: ${plan.scenario.name}`]).font = { bold: true, size: 14 };
  sum.addRow([`Sized for the ${plan.quantileLabel} demand at each ${plan.period}'s peak; model ${plan.model.name}; currency ${plan.currency}`]);
  sum.addRow([]);
  const head = [
    'Variant',
    'Description',
    'Runs out (period)',
    'Runs out (date)',
    'Rule that binds',
    'First service out',
    'Order by (date)',
    'Order overdue',
    ...years.map((y) => `Cost ${y} (${plan.currency})`),
    `Total cost (${plan.currency})`,
  ];
  sum.addRow(head);
  styleHeader(sum, 4);
  for (const v of plan.variants) {
    const byYear = new Map(v.costByYear.map((c) => [c.year, c.cost]));
    sum.addRow([
      v.name,
      v.description,
      v.runsOut.period ?? 'not within horizon',
      date(v.runsOut.dateMs),
      v.runsOut.rule ?? '',
      v.runsOut.service ?? '',
      date(v.runsOut.orderByMs),
      v.runsOut.overdue,
      ...years.map((y) => byYear.get(y) ?? 0),
      v.totalCost,
    ]);
  }
  sum.getColumn(4).numFmt = DATE;
  sum.getColumn(7).numFmt = DATE;
  for (let c = 9; c <= 9 + years.length; c++) sum.getColumn(c).numFmt = cur;
  sum.addRow([]);
  const svcHead = sum.addRow([
    'Variant',
    'Service',
    'Node type',
    'Current fleet (nodes)',
    'Unit',
    'Fleet serves within SLO (unit)',
    'Fleet serves at cap (unit)',
    'Over cap from (date)',
    'Redundancy lost from (date)',
    'SLO broken from (date)',
    'Saturated from (date)',
    'Runs out (date)',
    'Rule that binds',
    'Order by (date)',
    ...years.map((y) => `Cost ${y} (${plan.currency})`),
    `Total cost (${plan.currency})`,
    'Simulation',
  ]);
  styleHeader(sum, svcHead.number);
  for (const v of plan.variants) {
    for (const s of v.services) {
      const byYear = new Map(s.costByYear.map((c) => [c.year, c.cost]));
      const rule = (r: RuleDate['rule']) => ruleCell(s.rules.find((d) => d.rule === r));
      const r = sum.addRow([
        v.name,
        s.service,
        s.nodeType,
        s.fleet,
        s.unit,
        s.fleetMaxDemand,
        s.fleetMaxDemandAtCap,
        rule('cap'),
        rule('redundancy'),
        rule('slo'),
        rule('saturation'),
        date(s.runsOut.dateMs),
        s.runsOut.rule ?? 'none within horizon',
        date(s.runsOut.orderByMs),
        ...years.map((y) => byYear.get(y) ?? 0),
        s.totalCost,
        s.confirmationNote,
      ]);
      r.getCell(4).numFmt = INT;
      r.getCell(6).numFmt = DEC;
      r.getCell(7).numFmt = DEC;
      for (let c = 8; c <= 12; c++) r.getCell(c).numFmt = DATE;
      r.getCell(14).numFmt = DATE;
      for (let c = 15; c <= 15 + years.length; c++) r.getCell(c).numFmt = cur;
    }
  }
  sum.columns.forEach((c, i) => (c.width = i === 1 ? 48 : 18));

  // Monthly
  const mon = wb.addWorksheet('Monthly');
  mon.addRow([
    'Period start (date)',
    'Period',
    'Variant',
    'Service',
    'Node type',
    'Unit',
    'Demand p50 (unit)',
    `Demand ${plan.quantileLabel} (unit)`,
    'Current fleet (nodes)',
    'Nodes for SLO',
    'Nodes at cap',
    'Nodes planned (with redundancy)',
    'Nodes to buy',
    'Count set by',
    'Utilization of planned nodes (%)',
    'Headroom at cap (%)',
    'Fleet short of',
    'Reserved nodes',
    'On-demand nodes',
    `On-demand price (${plan.currency}/node-hour)`,
    `Committed price (${plan.currency}/node-hour)`,
    `Cost (${plan.currency})`,
  ]);
  styleHeader(mon, 1);
  mon.views = [{ state: 'frozen', ySplit: 1 }];
  for (const v of plan.variants) {
    for (const per of plan.periods) {
      for (const s of v.services) {
        const p = s.periods[per.index]!;
        mon.addRow([
          new Date(per.startMs),
          per.label,
          v.name,
          s.service,
          s.nodeType,
          s.unit,
          p.demandP50,
          p.demandSized,
          s.fleet,
          p.nodesSlo,
          p.nodesRequired,
          p.nodesWithRedundancy,
          p.nodesToBuy,
          p.countSetBy,
          p.utilization,
          Number.isFinite(p.headroom) ? p.headroom : null,
          p.fleetShortOf.join(', '),
          p.committedNodes,
          p.onDemandNodes,
          p.hourlyPrice,
          p.committedHourlyPrice ?? null,
          p.cost,
        ]);
      }
    }
  }
  const pr = price(plan.currency);
  const monFormats: Record<number, string> = { 1: DATE, 7: DEC, 8: DEC, 9: INT, 10: INT, 11: INT, 12: INT, 13: INT, 15: PCT, 16: PCT, 18: INT, 19: INT, 20: pr, 21: pr, 22: cur };
  for (const [c, f] of Object.entries(monFormats)) mon.getColumn(Number(c)).numFmt = f;
  mon.columns.forEach((c) => (c.width = 15));

  // Reservations
  const res = wb.addWorksheet('Reservations');
  res.addRow(['Variant', 'Service', 'Node type', 'Start (date)', 'Start period', 'Term (months)', 'Nodes', `Committed price (${plan.currency}/node-hour)`, 'Break-even (% of term)']);
  styleHeader(res, 1);
  for (const v of plan.variants) {
    for (const s of v.services) {
      for (const t of s.reservations) {
        res.addRow([v.name, s.service, s.nodeType, new Date(t.startMs), t.startPeriod, t.termMonths, t.nodes, t.committedHourlyPrice, t.breakEven]);
      }
    }
  }
  const resFormats: Record<number, string> = { 4: DATE, 6: INT, 7: INT, 8: pr, 9: PCT };
  for (const [c, f] of Object.entries(resFormats)) res.getColumn(Number(c)).numFmt = f;
  res.columns.forEach((c) => (c.width = 16));

  // Assumptions
  const as = wb.addWorksheet('Assumptions');
  as.addRow(['Input', 'Value', 'Unit or note']);
  styleHeader(as, 1);
  const add = (k: string, v: string | number | boolean | Date | null, note = '', fmt?: string): void => {
    const r = as.addRow([k, v, note]);
    if (fmt) r.getCell(2).numFmt = fmt;
  };
  add('Scenario', plan.scenario.name, plan.scenario.file);
  add('Resource model', plan.model.name, plan.model.file);
  add('Zones', plan.model.zones.length, plan.model.zones.join(', '));
  add('Period', plan.period);
  add('Horizon', plan.periods.length, `${plan.period}s`);
  add('First period', new Date(plan.periods[0]!.startMs), '', DATE);
  add('Demand quantile sized for', plan.quantile, plan.quantileLabel, '0.0%');
  add('Maximum planned utilisation', plan.maxUtilization, '', PCT);
  add('Maximum utilisation of survivors (zone loss, N+k)', plan.maxUtilizationDegraded, 'degraded-mode ceiling', PCT);
  add('Redundancy: spare nodes (N+k)', plan.redundancy.spare, 'nodes');
  add('Redundancy: survive loss of one zone', plan.redundancy.zoneLoss, `${plan.redundancy.zones} zones`);
  add('Procurement lead time', plan.leadTimeDays, 'days', DEC);
  add('Reservations: most of the planned count reserved', plan.committedShare, 'at each term start, when it pays off', PCT);
  add('Reservations: term', plan.commitmentTermMonths, 'months');
  add('Checks that fail the run (exit 1)', plan.failOn.join(', ') || 'none', 'rules the current fleet must not be short of now');
  add('Currency', plan.currency);
  add('Seed', plan.scenario.seed);
  for (const t of plan.model.nodeTypes) {
    add(`Node type ${t.name}: on-demand price`, t.hourlyPrice, 'per node-hour', price(plan.currency));
    if (t.committedHourlyPrice !== undefined) add(`Node type ${t.name}: committed price`, t.committedHourlyPrice, 'per node-hour', price(plan.currency));
    if (t.memoryGiB !== undefined) add(`Node type ${t.name}: memory`, t.memoryGiB, 'GiB');
  }
  for (const d of plan.drivers) {
    add(`Driver ${d.name}: source`, d.source, d.unit);
    add(`Driver ${d.name}: history`, d.historyPoints, `points, ${new Date(d.historyStartMs).toISOString().slice(0, 10)} to ${new Date(d.historyEndMs).toISOString().slice(0, 10)}`);
    add(`Driver ${d.name}: forecast model`, d.model, d.dailyPeaks ? 'forecast of daily peaks' : 'forecast at the history step');
    add(`Driver ${d.name}: seasonal periods`, d.seasonalPeriods.join(', ') || 'none', 'steps');
    add(`Driver ${d.name}: in-sample RMSE`, d.rmse, d.unit, DEC);
    add(`Driver ${d.name}: in-sample MASE`, d.mase, '', '0.000');
    for (const r of d.repairs) add(`Driver ${d.name}: repair`, r);
  }
  for (const e of plan.derived) add(`Demand ${e.name}`, e.expression, 'mathjs expression');
  const base = plan.variants[0];
  for (const s of base?.services ?? []) {
    add(`Service ${s.service}: demand`, s.demandExpression, s.unit);
    add(`Service ${s.service}: node type`, s.nodeType);
    add(`Service ${s.service}: on-demand price`, s.hourlyPrice, 'per node-hour', price(plan.currency));
    if (s.committedHourlyPrice !== undefined) add(`Service ${s.service}: committed price`, s.committedHourlyPrice, 'per node-hour', price(plan.currency));
    add(`Service ${s.service}: current fleet`, s.fleet, 'nodes');
    if (s.slo.latency) add(`Service ${s.service}: latency SLO`, s.slo.latency.target * 1000, `ms at p${Number((s.slo.latency.quantile * 100).toPrecision(6))}`, DEC);
    if (s.slo.maxErrorRate !== undefined) add(`Service ${s.service}: max error rate`, s.slo.maxErrorRate, '', '0.00%');
  }
  for (const v of plan.variants) add(`Variant ${v.name}`, v.description);
  add('Simulation', plan.simulation.enabled ? `${plan.simulation.runs} runs of ${plan.simulation.replicas} replicas x ${plan.simulation.arrivalsPerReplica} arrivals` : 'off (--no-sim)', plan.simulation.rule);
  plan.method.forEach((m, i) => add(`Method ${i + 1}`, m));
  for (const w of plan.warnings) add('Warning', w);
  as.getColumn(1).width = 40;
  as.getColumn(2).width = 60;
  as.getColumn(3).width = 40;

  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}
