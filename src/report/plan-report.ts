import type { CapacityPlan } from '../plan/types.js';
import { VERSION } from '../version.js';
import { renderChart } from './chart.js';
import type { PlanForecasts } from './driver-forecast.js';
import { serviceExhaustion, variantExhaustion } from './exhaustion-view.js';
import { day, int, money, num, pct } from './format.js';
import { esc, figure, list, page, table, type Cell } from './html.js';
import { CASE_LABEL, capacitySpec, costCumulativeSpec, costGroups, costStackSpec, demandFanSpec, demandPeaksSpec, simulationSpec, timelineSpec } from './plan-charts.js';
import { capacityTakeaway, costStackTakeaway, cumulativeTakeaway, demandTakeaway, simulationTakeaway, timelineTakeaway } from './plan-takeaways.js';

/**
 * The plan page: one self-contained HTML document from plan.json (and forecast.json, when saved, for the demand fans).
 * Summary first (per variant: exhaustion, order-by date, binding service, cost per year and in total; the assumptions;
 * the warnings), then demand, capacity per service, cost, simulation, and the method. Pure: the same inputs give the
 * same bytes; nothing is recomputed (the takeaway sentences read plan.json's dates and costs).
 */
export async function renderPlanReport(plan: CapacityPlan, forecasts?: PlanForecasts | undefined): Promise<string> {
  const sections = [
    header(plan),
    await summary(plan),
    await demand(plan, forecasts),
    await capacity(plan),
    await cost(plan),
    await simulation(plan),
    method(plan),
  ];
  return page(`Capacity plan: ${plan.scenario.name}`, sections.join('\n'), `headroom ${esc(VERSION)} · rendered from plan.json (${esc(plan.format)}) of ${esc(plan.scenario.file)} · seed ${esc(plan.scenario.seed)}`);
}

function header(plan: CapacityPlan): string {
  const first = plan.periods[0]!.label;
  const last = plan.periods[plan.periods.length - 1]!.label;
  return `<header class="page"><h1>Capacity plan: ${esc(plan.scenario.name)}</h1>
<p class="sub">${esc(plan.scenario.description ?? '')}</p>
<p class="sub">${esc(`${plan.periods.length} ${plan.period}s, ${first} to ${last} · ${plan.variants.length} variant${plan.variants.length === 1 ? '' : 's'} · ${plan.variants[0]!.services.length} services · model ${plan.model.name} · ${plan.currency}`)}</p></header>`;
}

async function summary(plan: CapacityPlan): Promise<string> {
  const years = [...new Set(plan.variants.flatMap((v) => v.costByYear.map((c) => c.year)))].sort();
  const last = plan.periods[plan.periods.length - 1]!.label;
  const cards = plan.variants.map((v) => {
    const e = variantExhaustion(v, plan);
    const byYear = new Map(v.costByYear.map((c) => [c.year, c.cost]));
    const rows = [
      ['Order by', e.period === undefined ? '-' : `<span${e.overdue ? ' class="overdue"' : ''}>${esc(day(e.orderByMs))}${e.overdue ? ' (overdue)' : ''}</span>`],
      ['Binds', esc(e.binding ?? '-')],
      ...years.map((y) => [`Cost ${y}`, esc(money(byYear.get(y) ?? 0, plan.currency))]),
      ['Total cost', `<b>${esc(money(v.totalCost, plan.currency))}</b>`],
    ];
    return `<div class="card"><h3>${esc(v.name)}</h3><p class="muted">${esc(v.description)}</p>
<div class="big">${e.period === undefined ? `lasts beyond ${esc(last)}` : `${esc(e.service ?? '')} runs out ${esc(e.period)}`}</div>
${rows.map(([k, val]) => `<div class="row"><span>${esc(k!)}</span><span>${val}</span></div>`).join('')}</div>`;
  });
  const r = plan.redundancy;
  const assumptions = [
    `Sized for the ${plan.quantileLabel} demand (quantile ${plan.quantile}) at each ${plan.period}'s peak`,
    `Utilisation cap ${pct(plan.maxUtilization)} per node`,
    `Redundancy: ${[r.zoneLoss ? `survive the loss of 1 of ${r.zones} zones` : '', r.spare > 0 ? `N+${r.spare}` : ''].filter(Boolean).join(', ') || 'none'}`,
    `Procurement lead time ${num(plan.leadTimeDays)} days`,
    `Committed share ${pct(plan.committedShare)} of nodes at the committed price`,
    `Model ${plan.model.name} (${plan.model.file}), zones ${plan.model.zones.join(', ') || '-'}`,
    ...plan.drivers.map((d) => `Driver ${d.name}: ${d.historyPoints} points from ${d.source}${d.dailyPeaks ? ' (reduced to daily peaks)' : ''}; model ${d.model}`),
    plan.simulation.enabled ? `Simulation: ${plan.simulation.runs} runs of ${plan.simulation.replicas} replicas` : 'Simulation: off (analytic counts only)',
  ];
  const head = ['Variant', 'Runs out', 'Service', 'Order by', 'Binds', ...years.map((y) => `Cost ${y}`), 'Total cost'];
  const rows = plan.variants.map((v) => {
    const e = variantExhaustion(v, plan);
    const byYear = new Map(v.costByYear.map((c) => [c.year, c.cost]));
    return [v.name, e.period ?? `beyond ${last}`, e.service ?? '-', e.period ? `${day(e.orderByMs)}${e.overdue ? ' (overdue)' : ''}` : '-', e.binding ?? '-', ...years.map((y) => ({ html: esc(money(byYear.get(y) ?? 0, plan.currency)), num: true })), { html: esc(money(v.totalCost, plan.currency)), num: true }] as Cell[];
  });
  const warnings = plan.warnings.length > 0 ? `<div class="warnings"><h3>Warnings</h3>${list(plan.warnings)}</div>` : '';
  const tTitle = 'When to order: run-out and order-by dates per variant';
  const anyRunsOut = plan.variants.some((v) => v.exhaustion.dateMs !== undefined);
  const timeline = !anyRunsOut ? `<p class="takeaway">${esc(timelineTakeaway(plan))}</p>${table(head, rows)}` : figure({
    id: 'timeline',
    title: tTitle,
    takeaway: timelineTakeaway(plan),
    svg: await renderChart(timelineSpec(plan), tTitle),
    data: table(head, rows),
    note: `Order-by = the first month the current fleet no longer meets the SLOs at the sized peak, minus the ${num(plan.leadTimeDays)}-day lead time.`,
  });
  return `<section id="summary"><h2>Summary</h2>
<div class="cards">${cards.join('\n')}</div>
${timeline}
${warnings}
<h3>Assumptions</h3>${list(assumptions, 'assumptions')}</section>`;
}

async function demand(plan: CapacityPlan, forecasts: PlanForecasts | undefined): Promise<string> {
  const figs: string[] = [];
  for (const d of plan.drivers) {
    const f = forecasts?.drivers.find((x) => x.name === d.name);
    const title = `Demand: ${d.name} (${d.unit}), ${f ? 'history and forecast' : `peaks per ${plan.period}`}`;
    const svg = await renderChart(f ? demandFanSpec(plan, f, d.unit) : demandPeaksSpec(plan, d.name, d.unit), title);
    const series = plan.variants.map((v) => v.demand.find((x) => x.name === d.name));
    const head = [plan.period, ...plan.variants.flatMap((v) => [`${v.name} median peak`, `${v.name} ${plan.quantileLabel} peak`])];
    const rows = plan.periods.map((p, i) => [p.label, ...series.flatMap((s) => (s ? [num(s.p50[i]!), num(s.sized[i]!)] : ['-', '-'])).map((x) => ({ html: esc(x), num: true }))] as Cell[]);
    const bt = f?.backtest;
    const backtest = bt
      ? ` Backtest (fitted without ${day(bt.fromMs)} to ${day(bt.toMs)}, ${bt.holdout} steps, then scored on them): MASE ${num(bt.mase)}, sMAPE ${num(bt.smape)}%, ${pct(bt.coverage80)} of the points inside the 80% interval and ${pct(bt.coverage95)} inside the 95% interval.`
      : '';
    const accuracy = `Model: ${d.model}. In-sample one-step accuracy: MASE ${num(d.mase)} (below 1 beats the seasonal naive forecast), RMSE ${num(d.rmse)} ${d.unit}.${backtest}`;
    const repairs = d.repairs.length > 0 ? ` History repairs: ${d.repairs.join('; ')}.` : '';
    const bands = f ? '' : ' The history and the 80%/95% forecast bands are drawn when forecast.json is saved beside plan.json (headroom plan --out writes it).';
    figs.push(figure({ id: `demand-${d.name}`, title, takeaway: demandTakeaway(plan, d.name), svg, data: table(head, rows), note: `${accuracy}${repairs}${bands}` }));
  }
  const derived = plan.derived.length > 0 ? `<p class="note">${esc(`Derived demand: ${plan.derived.map((x) => `${x.name} = ${x.expression}`).join('; ')}.`)}</p>` : '';
  return `<section id="demand"><h2>Demand</h2>${figs.join('\n')}${derived}</section>`;
}

async function capacity(plan: CapacityPlan): Promise<string> {
  const title = `Nodes required per ${plan.period} (with redundancy) against the current fleet`;
  const svg = await renderChart(capacitySpec(plan), title);
  const head = [plan.period, 'service', 'current fleet', ...plan.variants.map((v) => `${v.name} nodes`), 'binds (base)'];
  const rows: Cell[][] = [];
  const base = plan.variants[0]!;
  base.services.forEach((s, si) => {
    plan.periods.forEach((p, i) => {
      const bp = s.periods[i]!;
      rows.push([p.label, s.service, { html: esc(int(s.fleet)), num: true }, ...plan.variants.map((v) => ({ html: esc(int(v.services[si]?.periods[i]?.nodesWithRedundancy)), num: true })), `${bp.binding}${bp.redundancyRule !== 'none' ? ` + ${bp.redundancyRule}` : ''}`]);
    });
  });
  const dates = table(
    ['service', 'fleet', ...plan.variants.map((v) => v.name), `binds at run-out (${base.name})`, `dates by rule (${base.name})`],
    base.services.map((s, si) => [
      { html: `${esc(s.service)}<br><span class="muted">${esc(s.nodeType)}</span>` },
      { html: esc(int(s.fleet)), num: true },
      ...plan.variants.map((v) => {
        const vs = v.services[si];
        const e = vs ? serviceExhaustion(vs, plan) : undefined;
        return e?.period ? `${e.period} (${day(e.orderByMs)}${e.overdue ? ', overdue' : ''})` : 'beyond horizon';
      }),
      { html: esc(serviceExhaustion(s, plan).binding ?? '-'), wrap: true },
      // Every rule's date the adapter knows (today the SLO's and the redundancy shortfall's), earliest first.
      {
        html:
          serviceExhaustion(s, plan)
            .byRule.filter((r) => r.period !== undefined)
            .map((r) => `<span class="nw">${esc(`${r.rule} ${r.period}`)}</span>`)
            .join('<br>') || '-',
        wrap: true,
      },
    ]),
  );
  const fig = figure({
    id: 'capacity',
    title,
    takeaway: capacityTakeaway(plan),
    svg,
    data: table(head, rows),
    note: `Each panel is one service: the nodes to run in each ${plan.period} for every variant (what the SLOs, the ${pct(plan.maxUtilization)} utilisation cap and the redundancy rule need), the current fleet dashed, and the base plan's run-out and order-by dates. The y axes differ between panels. Where the dashed fleet is below the planned count but before its run-out date, the fleet still meets the SLOs at the sized peak but would not survive the redundancy rule (its date is under "dates by rule" below).`,
  });
  return `<section id="capacity"><h2>Capacity per service</h2>${fig}<h3>When each fleet runs out</h3>
<p class="note">Per variant: the month the current fleet no longer meets the SLOs at the sized peak, and in brackets the date to order by.</p>${dates}</section>`;
}

async function cost(plan: CapacityPlan): Promise<string> {
  const t1 = `Cost per ${plan.period}, stacked by service (${plan.currency})`;
  const stack = await renderChart(costStackSpec(plan), t1);
  const base = plan.variants[0]!;
  const groups = costGroups(base);
  const names = [...new Set(groups.values())];
  const stackRows = plan.variants.flatMap((v) =>
    plan.periods.map((p, i) => {
      const by = new Map<string, number>();
      for (const s of v.services) by.set(groups.get(s.service) ?? s.service, (by.get(groups.get(s.service) ?? s.service) ?? 0) + s.periods[i]!.cost);
      const committed = v.services.reduce((a, s) => a + s.periods[i]!.committedNodes, 0);
      const onDemand = v.services.reduce((a, s) => a + s.periods[i]!.onDemandNodes, 0);
      return [v.name, p.label, ...names.map((n) => ({ html: esc(money(by.get(n) ?? 0, plan.currency)), num: true })), { html: esc(money(v.costByPeriod[i]!, plan.currency)), num: true }, { html: esc(int(committed)), num: true }, { html: esc(int(onDemand)), num: true }] as Cell[];
    }),
  );
  const f1 = figure({
    id: 'cost-stack',
    title: t1,
    takeaway: costStackTakeaway(plan),
    svg: stack,
    data: table(['variant', plan.period, ...names, 'total', 'committed nodes', 'on-demand nodes'], stackRows),
    note: `Nodes with redundancy × hours × price per node-hour; ${pct(plan.committedShare)} of the nodes (whole nodes) at the committed price, the rest on demand: ${commitmentSentence(plan)}`,
  });
  const t2 = `Cumulative cost per variant (${plan.currency})`;
  const cum = await renderChart(costCumulativeSpec(plan), t2);
  const cumRows = plan.periods.map((p, i) => [p.label, ...plan.variants.map((v) => ({ html: esc(money(v.costByPeriod.slice(0, i + 1).reduce((a, b) => a + b, 0), plan.currency)), num: true }))] as Cell[]);
  const f2 = figure({ id: 'cost-cumulative', title: t2, takeaway: cumulativeTakeaway(plan), svg: cum, data: table([plan.period, ...plan.variants.map((v) => v.name)], cumRows) });
  return `<section id="cost"><h2>Cost</h2>${f1}${f2}</section>`;
}

/** "in 2028-11 the base plan runs 163 nodes, 79 committed and 84 on demand." (sums of plan.json's counts) */
function commitmentSentence(plan: CapacityPlan): string {
  const base = plan.variants[0]!;
  const i = plan.periods.length - 1;
  const committed = base.services.reduce((a, s) => a + s.periods[i]!.committedNodes, 0);
  const onDemand = base.services.reduce((a, s) => a + s.periods[i]!.onDemandNodes, 0);
  return `in ${plan.periods[i]!.label} the ${base.name} plan runs ${int(committed + onDemand)} nodes, ${int(committed)} committed and ${int(onDemand)} on demand.`;
}

async function simulation(plan: CapacityPlan): Promise<string> {
  const base = plan.variants[0]!;
  const any = plan.simulation.enabled && base.services.some((s) => s.confirmations.length > 0);
  if (!any) {
    return `<section id="simulation"><h2>Simulation</h2><p>${esc(plan.simulation.enabled ? 'No case was simulated.' : 'Off for this plan (--no-sim): the counts are analytic.')}</p></section>`;
  }
  const title = `Simulated latency at the SLO quantile, ${base.name} plan (ms, 95% interval of the replicas)`;
  const svg = await renderChart(simulationSpec(plan), title);
  const rows = base.services.flatMap((s) =>
    s.confirmations.map((c) => [
      s.service,
      CASE_LABEL[c.case] ?? c.case,
      plan.periods[c.periodIndex]?.label ?? '-',
      { html: esc(num(c.demand)), num: true },
      { html: esc(`${c.nodesUp} of ${c.nodes}`), num: true },
      { html: esc(`${num(c.latency.mean * 1000)} [${num(c.latency.ci95[0] * 1000)}, ${num(c.latency.ci95[1] * 1000)}]`), num: true },
      { html: esc(s.slo.latency ? num(s.slo.latency.target * 1000) : '-'), num: true },
      { html: esc(pct(c.utilization.mean)), num: true },
      { html: esc(pct(c.errorRate.mean, 2)), num: true },
      { html: c.passed ? '<span class="ok">pass</span>' : '<span class="fail">fail</span>' },
      c.asExpected ? 'yes' : 'no',
    ] as Cell[]),
  );
  const fig = figure({
    id: 'simulation',
    title,
    takeaway: simulationTakeaway(plan),
    svg,
    data: table(['service', 'case', plan.period, 'demand', 'nodes up', 'latency ms [95% CI]', 'SLO ms', 'utilisation', 'errors', 'result', 'as predicted'], rows),
    note: `Dashed line: the service's latency SLO. A case fails on the SLO, the error budget or the ${pct(plan.maxUtilization)} utilisation cap. ${plan.simulation.replicas} replicas of ${int(plan.simulation.arrivalsPerReplica)}+ arrivals each.`,
  });
  return `<section id="simulation"><h2>Simulation</h2>${fig}${list(base.services.map((s) => `${s.service}: ${s.confirmationNote}`))}</section>`;
}

function method(plan: CapacityPlan): string {
  const items = [...plan.method, ...(plan.simulation.enabled ? [plan.simulation.rule] : [])];
  return `<section id="method"><h2>Method</h2><ol class="method">${items.map((m) => `<li>${esc(m)}</li>`).join('')}</ol></section>`;
}
