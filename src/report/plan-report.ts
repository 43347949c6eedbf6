import type { CapacityPlan } from '../plan/types.js';
import { VERSION } from '../version.js';
import { renderChart } from './chart.js';
import type { PlanForecasts } from './driver-forecast.js';
import { bindingWords, nextRuleDate, ruleWords, serviceExhaustion, servicesWords, variantExhaustion, variantRuleDates, type ExhaustionView } from './exhaustion-view.js';
import { day, int, money, num, pct } from './format.js';
import { esc, figure, list, page, table, type Cell } from './html.js';
import { CASE_LABEL, capacitySpec, costCumulativeSpec, costGroups, costStackSpec, demandFanSpec, demandPeaksSpec, simulationSpec, timelineSpec } from './plan-charts.js';
import { capacityTakeaway, costStackTakeaway, cumulativeTakeaway, demandTakeaway, shortNowSentences, simulationTakeaway, timelineTakeaway } from './plan-takeaways.js';

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

/** A variant's or service's headline in words: "short now (zone-loss cover)", "runs out 2027-03 (SLO)", "lasts beyond 2028-11". */
function headline(e: ExhaustionView, last: string): string {
  if (e.period === undefined) return `lasts beyond ${last}`;
  return e.already ? `short now (${e.binding})` : `runs out ${e.period} (${e.binding})`;
}

/** The services of a variant short of a rule in the first period: "all 5 services", "web and api". */
function shortServices(v: CapacityPlan['variants'][number]): string {
  const short = v.services.filter((s) => s.runsOut.already).map((s) => s.service);
  return servicesWords(short, v.services.length);
}

/** "order now" when a rule is already broken or the lead time reaches back before the start, else "order by <date>". */
function orderWords(e: ExhaustionView): string {
  if (e.period === undefined) return '-';
  if (e.already) return 'order now';
  return e.overdue ? `order now (by ${day(e.orderByMs)}, overdue)` : `order by ${day(e.orderByMs)}`;
}

async function summary(plan: CapacityPlan): Promise<string> {
  const years = [...new Set(plan.variants.flatMap((v) => v.costByYear.map((c) => c.year)))].sort();
  const last = plan.periods[plan.periods.length - 1]!.label;
  const cards = plan.variants.map((v) => {
    const e = variantExhaustion(v, plan);
    const next = e.already ? nextRuleDate(v, plan) : undefined;
    const byYear = new Map(v.costByYear.map((c) => [c.year, c.cost]));
    const urgent = e.already || e.overdue;
    const rows = [
      ['Order', e.period === undefined ? '-' : `<span${urgent ? ' class="overdue"' : ''}>${esc(orderWords(e))}</span>`],
      ...(e.period === undefined ? [] : e.already ? [['Short now', esc(shortServices(v))]] : [['First to run out', esc(e.service ?? '-')]]),
      ...(next ? [['Next', esc(`${next.period}: ${next.rule === 'cap' ? `cap ${pct(plan.maxUtilization)}` : next.words}`)]] : []),
      ...years.map((y) => [`Cost ${y}`, esc(money(byYear.get(y) ?? 0, plan.currency))]),
      ['Total cost', `<b>${esc(money(v.totalCost, plan.currency))}</b>`],
    ];
    return `<div class="card"><h3>${esc(v.name)}</h3><p class="muted">${esc(v.description)}</p>
<div class="big${urgent ? ' overdue' : ''}">${esc(headline(e, last))}</div>
${rows.map(([k, val]) => `<div class="row"><span>${esc(k!)}</span><span>${val}</span></div>`).join('')}</div>`;
  });
  const r = plan.redundancy;
  const anyRedundancy = r.zoneLoss || r.spare > 0;
  const term = plan.commitmentTermMonths % 12 === 0 ? `${plan.commitmentTermMonths / 12}-year` : `${int(plan.commitmentTermMonths)}-month`;
  const assumptions = [
    `Sized for the ${plan.quantileLabel} demand (quantile ${plan.quantile}) at each ${plan.period}'s peak`,
    `Utilisation cap ${pct(plan.maxUtilization)} per node${anyRedundancy ? `; ${pct(plan.maxUtilizationDegraded)} for the survivors of a failure (degraded ceiling)` : ''}`,
    `Redundancy: ${[r.zoneLoss ? `survive the loss of 1 of ${r.zones} zones` : '', r.spare > 0 ? `N+${r.spare}` : ''].filter(Boolean).join(', ') || 'none'}`,
    `Procurement lead time ${num(plan.leadTimeDays)} days`,
    plan.committedShare > 0
      ? `Reservations: ${term} terms, up to ${pct(plan.committedShare)} of the planned count at each term's start, only as many as run long enough to pay off`
      : 'Reservations: none (every node on demand)',
    `The check fails (exit 1) on a shortfall now of: ${plan.failOn.length > 0 ? plan.failOn.map((f) => (f === 'redundancy' ? ruleWords('redundancy', plan) : f === 'cap' ? 'the utilisation cap' : 'the SLO')).join(', ') : 'nothing (report only)'}`,
    `Model ${plan.model.name} (${plan.model.file}), zones ${plan.model.zones.join(', ') || '-'}`,
    ...plan.drivers.map((d) => `Driver ${d.name}: ${d.historyPoints} points from ${d.source}${d.dailyPeaks ? ' (reduced to daily peaks)' : ''}; model ${d.model}`),
    plan.simulation.enabled ? `Simulation: ${plan.simulation.runs} runs of ${plan.simulation.replicas} replicas` : 'Simulation: off (analytic counts only)',
  ];
  const head = ['Variant', 'Headline', 'Service', 'Order', ...variantRuleDates(plan.variants[0]!, plan).map((x) => x.words), ...years.map((y) => `Cost ${y}`), 'Total cost'];
  const rows = plan.variants.map((v) => {
    const e = variantExhaustion(v, plan);
    const byYear = new Map(v.costByYear.map((c) => [c.year, c.cost]));
    const dates = variantRuleDates(v, plan);
    return [
      v.name,
      headline(e, last),
      e.service ?? '-',
      orderWords(e),
      ...variantRuleDates(plan.variants[0]!, plan).map((b) => {
        const d = dates.find((x) => x.rule === b.rule);
        return !d ? '-' : d.status === 'beyond' ? 'beyond' : `${d.status === 'already' ? 'already' : d.period} (${d.services.join(', ')})`;
      }),
      ...years.map((y) => ({ html: esc(money(byYear.get(y) ?? 0, plan.currency)), num: true })),
      { html: esc(money(v.totalCost, plan.currency)), num: true },
    ] as Cell[];
  });
  const warnings = plan.warnings.length > 0 ? `<div class="warnings"><h3>Warnings</h3>${list(plan.warnings)}</div>` : '';
  const tTitle = 'When to order: when each variant\'s current fleets first break each rule';
  const anyRule = plan.variants.some((v) => variantRuleDates(v, plan).some((x) => x.status !== 'beyond'));
  const timeline = !anyRule
    ? `<p class="takeaway">${esc(timelineTakeaway(plan))}</p>${table(head, rows)}`
    : figure({
        id: 'timeline',
        title: tTitle,
        takeaway: timelineTakeaway(plan),
        svg: await renderChart(timelineSpec(plan), tTitle),
        data: table(head, rows),
        note: `A bar runs from the plan's start to the first ${plan.period} a service's current fleet breaks the rule (the first such service is named); a mark at the start means some fleet breaks it already, a bar to the end that every fleet keeps it. Order by = that ${plan.period}'s start minus the ${num(plan.leadTimeDays)}-day lead time ("order now" when it has passed). Saturation (100% busy) is a fact, not a rule the scenario asks for, and has no order date.`,
      });
  return `<section id="summary"><h2>Summary</h2>
${shortNow(plan)}
<div class="cards">${cards.join('\n')}</div>
${timeline}
${warnings}
<h3>Assumptions</h3>${list(assumptions, 'assumptions')}</section>`;
}

/** The callout of the shortfalls now (plan.json's findings), before everything else; nothing when there are none. */
function shortNow(plan: CapacityPlan): string {
  const lines = shortNowSentences(plan);
  if (lines.length === 0) return '';
  const arrive = plan.leadTimeDays > 0 ? `; an order placed today arrives after the ${num(plan.leadTimeDays)}-day lead time` : '';
  const fails = plan.findings.some((f) => f.kind === 'unservable' || (plan.failOn as readonly string[]).includes(f.rule));
  return `<div class="shortnow" id="short-now"><h3>Short now</h3>
<p class="muted">${esc(`The current fleet in the ${plan.variants[0]!.name} plan, at the ${plan.periods[0]!.label} peak${arrive}.`)}</p>
${list(lines)}${fails ? `<p class="muted">${esc('headroom plan exits 1 on these (--fail-on).')}</p>` : ''}</div>`;
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

/** What sets a period's count, in words: "zone-loss cover", "N+1 spares", "utilisation cap", "latency SLO", "memory". */
function countSetByWords(code: string): string {
  return code === 'zone-loss' ? 'zone-loss cover' : code === 'spare' ? 'spares (N+k)' : bindingWords(code);
}

async function capacity(plan: CapacityPlan): Promise<string> {
  const title = `Nodes required per ${plan.period} (with redundancy) against the current fleet`;
  const svg = await renderChart(capacitySpec(plan), title);
  const base = plan.variants[0]!;
  const head = [plan.period, 'service', 'current fleet', ...plan.variants.map((v) => `${v.name} nodes`), `nodes to buy (${base.name})`, `count set by (${base.name})`, `fleet short of (${base.name})`];
  const rows: Cell[][] = [];
  base.services.forEach((s, si) => {
    plan.periods.forEach((p, i) => {
      const bp = s.periods[i]!;
      rows.push([
        p.label,
        s.service,
        { html: esc(int(s.fleet)), num: true },
        ...plan.variants.map((v) => ({ html: esc(int(v.services[si]?.periods[i]?.nodesWithRedundancy)), num: true })),
        { html: esc(int(bp.nodesToBuy)), num: true },
        countSetByWords(bp.countSetBy),
        bp.fleetShortOf.length > 0 ? bp.fleetShortOf.map((r) => ruleWords(r, plan)).join(', ') : '-',
      ]);
    });
  });
  const dates = table(
    ['service', 'fleet', ...plan.variants.map((v) => v.name), `nodes to buy now (${base.name})`, `dates by rule (${base.name})`],
    base.services.map((s, si) => [
      { html: `${esc(s.service)}<br><span class="muted">${esc(s.nodeType)}</span>` },
      { html: esc(int(s.fleet)), num: true },
      ...plan.variants.map((v) => {
        const vs = v.services[si];
        const e = vs ? serviceExhaustion(vs, plan) : undefined;
        return { html: e?.period ? `${esc(headline(e, '-'))}<br><span class="${e.already || e.overdue ? 'overdue' : 'muted'}">${esc(orderWords(e))}</span>` : 'beyond horizon', wrap: true };
      }),
      { html: esc(int(s.periods[0]?.nodesToBuy)), num: true },
      {
        html:
          serviceExhaustion(s, plan)
            .byRule.map((r) => `<span class="nw">${esc(`${r.rule}: ${r.period === undefined ? 'beyond' : r.period === plan.periods[0]!.label ? 'already' : r.period}`)}</span>`)
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
    note: `Each panel is one service: the nodes to run in each ${plan.period} for every variant (what the SLOs, the ${pct(plan.maxUtilization)} utilisation cap and the redundancy rule with its ${pct(plan.maxUtilizationDegraded)} degraded ceiling need), the current fleet dashed, and, as vertical lines, the ${plan.period} the base plan's current fleet first breaks each rule (a line at the left edge: broken already). The y axes differ between panels. The data table gives the nodes to buy on top of the current fleet and what sets the count.`,
  });
  return `<section id="capacity"><h2>Capacity per service</h2>${fig}<h3>When each fleet runs out</h3>
<p class="note">${esc(`Per variant: the first rule the current fleet breaks (cap, cover or SLO) and when to order; then, for the ${base.name} plan, the nodes to buy for ${plan.periods[0]!.label} and the ${plan.period} each rule breaks ("already": ${plan.periods[0]!.label}).`)}</p>${dates}</section>`;
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
    data: table(['variant', plan.period, ...names, 'total', 'reserved nodes', 'on-demand nodes'], stackRows),
    note: `Nodes with redundancy × hours × price per node-hour. Reserved nodes are paid at the committed price for the whole term, the rest on demand: ${commitmentSentence(plan)}`,
  });
  const t2 = `Cumulative cost per variant (${plan.currency})`;
  const cum = await renderChart(costCumulativeSpec(plan), t2);
  const cumRows = plan.periods.map((p, i) => [p.label, ...plan.variants.map((v) => ({ html: esc(money(v.costByPeriod.slice(0, i + 1).reduce((a, b) => a + b, 0), plan.currency)), num: true }))] as Cell[]);
  const f2 = figure({ id: 'cost-cumulative', title: t2, takeaway: cumulativeTakeaway(plan), svg: cum, data: table([plan.period, ...plan.variants.map((v) => v.name)], cumRows) });
  return `<section id="cost"><h2>Cost</h2>${f1}${reservations(plan)}${f2}</section>`;
}

/**
 * The reservations plan.json recommends for the base plan, one row per tranche: when it starts, the term, the nodes
 * reserved against the count planned then, and the prices. "none" when the scenario reserves nothing.
 */
function reservations(plan: CapacityPlan): string {
  const base = plan.variants[0]!;
  const tranches = base.services.flatMap((s) => s.reservations.map((r) => ({ s, r })));
  if (tranches.length === 0) {
    return `<h3>Reservations</h3><p class="note">${esc(plan.committedShare > 0 ? `No reservation pays off in the ${base.name} plan: every node runs on demand.` : 'The scenario reserves nothing: every node runs on demand.')}</p>`;
  }
  const rows = tranches.map(({ s, r }) => {
    const planned = s.periods[r.startPeriodIndex]?.nodesWithRedundancy;
    return [
      s.service,
      s.nodeType,
      r.startPeriod,
      `${int(r.termMonths)} months`,
      { html: esc(int(r.nodes)), num: true },
      { html: esc(int(planned)), num: true },
      { html: esc(`${plan.currency} ${num(r.committedHourlyPrice)}`), num: true },
      { html: esc(`${plan.currency} ${num(s.periods[r.startPeriodIndex]?.hourlyPrice)}`), num: true },
      { html: esc(pct(r.breakEven)), num: true },
    ] as Cell[];
  });
  const starts = [...new Set(tranches.map((t) => t.r.startPeriod))];
  const byStart = starts.map((p) => `${int(tranches.filter((t) => t.r.startPeriod === p).reduce((a, t) => a + t.r.nodes, 0))} nodes from ${p}`);
  const term = `${int(plan.commitmentTermMonths)}-month`;
  const text = `In the ${base.name} plan reserve ${byStart.join(', then ')} (${term} terms, up to ${pct(plan.committedShare)} of the count planned at each term's start, and only nodes that run for at least the break-even share of the term); the rest run on demand.`;
  const head = ['service', 'node type', 'from', 'term', 'nodes reserved', 'nodes planned then', 'committed per node-hour', 'on demand per node-hour', 'break-even (share of the term)'];
  const shown = rows.length > 12 ? `<details><summary>${esc(`${rows.length} tranches`)}</summary>${table(head, rows)}</details>` : table(head, rows);
  return `<h3>Reservations (${esc(base.name)} plan)</h3><p class="takeaway">${esc(text)}</p>${shown}`;
}

/** "the base plan runs 78 nodes in 2026-12, 38 reserved and 40 on demand, and 163 in 2028-11, 79 reserved and 84 on demand." (sums of plan.json's counts) */
function commitmentSentence(plan: CapacityPlan): string {
  const base = plan.variants[0]!;
  const i = plan.periods.length - 1;
  const committed = base.services.reduce((a, s) => a + s.periods[i]!.committedNodes, 0);
  const onDemand = base.services.reduce((a, s) => a + s.periods[i]!.onDemandNodes, 0);
  const i0 = 0;
  const c0 = base.services.reduce((a, s) => a + s.periods[i0]!.committedNodes, 0);
  const o0 = base.services.reduce((a, s) => a + s.periods[i0]!.onDemandNodes, 0);
  return `the ${base.name} plan runs ${int(c0 + o0)} nodes in ${plan.periods[i0]!.label}, ${int(c0)} reserved and ${int(o0)} on demand, and ${int(committed + onDemand)} in ${plan.periods[i]!.label}, ${int(committed)} reserved and ${int(onDemand)} on demand.`;
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
  const last = plan.periods[plan.periods.length - 1]!.label;
  const page = `How this page reads plan.json: "Short now" lists its findings (the base plan's current fleet short of a rule in ${plan.periods[0]!.label} or within the ${num(plan.leadTimeDays)}-day lead time, with the nodes to add). A variant "runs out" at the first rule the scenario asks for that one of its services breaks, and "order by" is that ${plan.period}'s start minus the lead time; "order now" when it is broken already or the date has passed. The timeline and the capacity panels show every rule's own date (saturation included, as a fact), "beyond ${last}" when the fleet keeps it. Reservations are plan.json's tranches, not recomputed.`;
  return `<section id="method"><h2>Method</h2><ol class="method">${items.map((m) => `<li>${esc(m)}</li>`).join('')}</ol><p class="note">${esc(page)}</p></section>`;
}
