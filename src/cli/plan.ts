import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  checkFailed,
  inputError,
  loadPlanScenario,
  planCapacity,
  planCsv,
  planJson,
  planXlsx,
  readPlanHistory,
  simulationConfirmer,
  writeFilesAtomic,
  FAIL_ON_RULES,
  HORIZON_LIMIT_FACTOR,
  HORIZON_WARN_FACTOR,
  MAX_PLANNED_NODES,
  type CapacityPlan,
  type FailOnRule,
  type PlanFinding,
  type RuleDate,
  type RunsOut,
  type ServicePlan,
  type ShortNow,
  type SimulationConfirmer,
} from '../index.js';
import type { CliContext } from './context.js';
import { checkOutPath } from './out-path.js';
import { progressFor } from './progress.js';

/**
 * `headroom plan <scenario.yaml> [--out DIR] [--json] [--no-sim] [--fail-on RULES] [--allow-long-horizon] [--seed S]
 *  [--workers W] [--replicas R] [--arrivals N]`
 *
 * Forecast every demand driver, size every service per period and variant (analytic, then confirmed by simulation at
 * the binding period), price it, and date when the current fleet breaks each rule. Prints the shortfalls of the
 * current fleet first, then a table per variant; with --out writes plan.json, plan.csv and plan.xlsx there, all or
 * none. Exit codes: see PLAN_EXIT_CODES.
 */
export const PLAN_EXIT_CODES = `Exit codes:
  0  planned, and the current fleet is not short now of any rule named by --fail-on
  1  a check failed (the summary and files are still produced first): the current fleet of the base plan is short
     now (in the first period, or before an order placed today arrives) of a rule named by --fail-on (default: the
     scenario's failOn, else slo), or a period's demand is beyond what ${MAX_PLANNED_NODES.toLocaleString('en-US')} nodes serve; services with fleet 0
     are new and do not count
  2  bad input: a scenario, model or history file, a flag, an --out path that is a file, or a horizon past
     ${HORIZON_LIMIT_FACTOR}x the history without --allow-long-horizon (nothing is written)`;

export function registerPlan(program: Command, ctx: CliContext): void {
  program
    .command('plan')
    .description('Capacity plan: forecast demand, size each service per period under SLOs and redundancy, cost it, date when the current fleet breaks each rule')
    .argument('<scenario>', 'plan scenario file (YAML), e.g. scenarios/example.yaml')
    .option('--out <dir>', 'write plan.json, plan.csv and plan.xlsx into this directory (atomically: all three or none)')
    .option('--json', 'print plan.json to stdout instead of the summary')
    .option('--no-sim', 'skip the confirmation by simulation (analytic sizing only)')
    .option('--fail-on <rules>', `exit 1 when the current fleet is short now of these rules, comma-separated: ${FAIL_ON_RULES.join(', ')}, or none (default: failOn in the scenario, else slo)`)
    .option('--allow-long-horizon', `plan further past the history than ${HORIZON_LIMIT_FACTOR}x its length (past ${HORIZON_WARN_FACTOR}x it warns)`)
    .option('--seed <S>', 'seed for the forecast paths and the simulations (default: seed in the scenario, else 1)')
    .option('--workers <W>', 'worker threads for the simulations (default: CPU cores); the numbers do not depend on it')
    .option('--replicas <R>', 'replicas per confirming simulation (default: simulation.replicas in the scenario, else 4)')
    .option('--arrivals <N>', 'arrivals per replica (default: simulation.arrivals in the scenario, else 20000)')
    .addHelpText(
      'after',
      `
Example:
  $ headroom plan scenarios/example.yaml --out out/
  $ headroom plan scenarios/example.yaml --no-sim --json > plan.json
  $ headroom plan scenarios/example.yaml --no-sim --fail-on cap,redundancy,slo    # a CI check

For each period (month or quarter), variant and service the plan gives the demand at the period's peak (median and
the quantile sized for), the nodes the SLOs and the utilisation cap need, the nodes with redundancy (N+k, zone loss;
survivors must meet the SLO and stay under maxUtilizationDegraded, default 85%) and their cost with reservations.
For the current fleet it dates each rule: when it first goes over the utilisation cap, loses its N+k or zone-loss
cover, breaks an SLO, and saturates ("already" = in the first period, "beyond" = not within the horizon). "Runs out"
is the first of the rules the scenario asks for (cap, redundancy when set, SLO), and names it; order by that date
minus the procurement lead time; headroom is measured at the cap.
Simulation confirms the binding period of every service: the count passes, one fewer fails, and the survivors of a
zone loss meet the SLO. --no-sim skips it.
${PLAN_EXIT_CODES}`,
    )
    .action(async (file: string, opts: RawFlags) => {
      const flags = parseFlags(opts);
      if (flags.out !== undefined) checkOutPath('--out', flags.out, ctx.cwd, 'dir');
      const { scenario, model } = await loadPlanScenario(file, { cwd: ctx.cwd });
      const history = await readPlanHistory(scenario, { cwd: ctx.cwd, env: ctx.env, nowMs: ctx.now().getTime() });
      const progress = progressFor(ctx, !flags.json);
      let started = false;
      let confirmer: SimulationConfirmer | undefined;
      let plan: CapacityPlan;
      try {
        confirmer = flags.sim ? simulationConfirmer({ workers: flags.workers }) : undefined;
        const result = await planCapacity(
          { scenario, model, history },
          {
            confirm: confirmer?.confirm,
            seed: flags.seed,
            replicas: flags.replicas,
            arrivals: flags.arrivals,
            allowLongHorizon: flags.allowLongHorizon,
            onProgress: (done, total) => {
              if (!started) {
                progress.start(total, flags.sim ? `plan ${scenario.file} (simulating)` : `plan ${scenario.file}`);
                started = true;
              }
              progress.update(done);
            },
          },
        );
        plan = result.plan;
      } finally {
        if (started) progress.stop();
        await confirmer?.close();
      }
      let written: string[] = [];
      if (flags.out !== undefined) {
        const dir = resolve(ctx.cwd, flags.out);
        const files = [
          { path: join(dir, 'plan.json'), data: planJson(plan) },
          { path: join(dir, 'plan.csv'), data: planCsv(plan) },
          { path: join(dir, 'plan.xlsx'), data: await planXlsx(plan) },
        ];
        await writeFilesAtomic(files);
        written = files.map((f) => join(flags.out!, f.path.slice(dir.length + 1)));
      }
      if (flags.json) ctx.stdout.write(planJson(plan));
      else ctx.stdout.write(formatPlan(plan, written));
      const failOn = flags.failOn ?? scenario.failOn;
      const failed = failingFindings(plan, failOn);
      if (failed.length > 0) {
        const short = failed.filter((f) => f.kind === 'short-now');
        const beyond = failed.filter((f) => f.kind === 'unservable');
        const parts = [
          ...(short.length > 0 ? [`the current fleet is short now (--fail-on ${failOn.join(',')}): ${short.map(findingText).join('; ')}`] : []),
          ...(beyond.length > 0 ? [`demand beyond the node limit: ${beyond.map(findingText).join('; ')}`] : []),
        ];
        throw checkFailed(`${scenario.file}: ${parts.join('; ')}`, short.some((f) => f.kind === 'short-now' && f.rule === 'slo') ? 'SLO_NOT_MET' : 'CHECK_FAILED');
      }
    });
}

/** The findings that fail the check: shortfalls now of the rules in `failOn`, and demand beyond the node limit. */
export function failingFindings(plan: CapacityPlan, failOn: readonly FailOnRule[]): PlanFinding[] {
  return plan.findings.filter((f) => f.kind === 'unservable' || failOn.includes(f.rule));
}

interface RawFlags {
  out?: string;
  json?: boolean;
  failOn?: string;
  allowLongHorizon?: boolean;
  sim?: boolean;
  seed?: string;
  workers?: string;
  replicas?: string;
  arrivals?: string;
}

interface Flags {
  out: string | undefined;
  json: boolean;
  failOn: FailOnRule[] | undefined;
  allowLongHorizon: boolean;
  sim: boolean;
  seed: number | undefined;
  workers: number | undefined;
  replicas: number | undefined;
  arrivals: number | undefined;
}

function intFlag(name: string, v: string | undefined, min: 0 | 1): number | undefined {
  if (v === undefined) return undefined;
  const n = /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw inputError('', `--${name} must be a ${min === 1 ? 'positive' : 'non-negative'} integer, got ${v}`);
  return n;
}

function failOnFlag(v: string | undefined): FailOnRule[] | undefined {
  if (v === undefined) return undefined;
  const parts = v.split(',').map((x) => x.trim()).filter(Boolean);
  if (parts.length === 1 && parts[0] === 'none') return [];
  const bad = parts.filter((x) => !(FAIL_ON_RULES as readonly string[]).includes(x));
  if (bad.length > 0 || parts.length === 0) throw inputError('', `--fail-on: expected rules from ${FAIL_ON_RULES.join(', ')} separated by commas, or none; got "${v}"`);
  return [...new Set(parts as FailOnRule[])];
}

function parseFlags(o: RawFlags): Flags {
  return {
    out: o.out,
    json: o.json === true,
    failOn: failOnFlag(o.failOn),
    allowLongHorizon: o.allowLongHorizon === true,
    sim: o.sim !== false,
    seed: intFlag('seed', o.seed, 0),
    workers: intFlag('workers', o.workers, 1),
    replicas: intFlag('replicas', o.replicas, 1),
    arrivals: intFlag('arrivals', o.arrivals, 1),
  };
}

// ───────────────────────────── text output ─────────────────────────────

function group(x: number): string {
  const s = Math.round(x).toString();
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function money(x: number, currency: string): string {
  return `${currency} ${group(x)}`;
}

function day(ms: number | undefined): string {
  return ms === undefined ? '-' : new Date(ms).toISOString().slice(0, 10);
}

function demand(x: number): string {
  if (!Number.isFinite(x)) return '-';
  if (x >= 1e15) return x.toExponential(3);
  if (x >= 1000) return group(x);
  return x >= 10 ? x.toFixed(1) : x.toPrecision(3);
}

/** The fleet's headroom at the cap over the first period's sized peak: "+23%", "-5%". */
function headroom(h: number): string {
  if (!Number.isFinite(h)) return '-';
  return `${h >= 0 ? '+' : ''}${Math.round(h * 100)}%`;
}

function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>, rightFrom: number, leftAgain = Infinity): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) =>
    '  ' +
    r
      .map((c, i) => (i >= rightFrom && i < leftAgain ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

/** "a", "a and b", "a, b and c". */
function listOf(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

/** What the redundancy rule is called: "zone-loss cover", "N+1 cover", or both. */
function coverName(plan: CapacityPlan): string {
  const parts = [plan.redundancy.zoneLoss ? 'zone-loss' : '', plan.redundancy.spare > 0 ? `N+${plan.redundancy.spare}` : ''].filter(Boolean);
  return `${parts.join(' and ')} cover`;
}

/** A rule's name in the console: "cap 70%", "zone-loss cover", "SLO", "saturation". */
function ruleName(plan: CapacityPlan, rule: RuleDate['rule']): string {
  switch (rule) {
    case 'cap':
      return `cap ${Math.round(plan.maxUtilization * 100)}%`;
    case 'redundancy':
      return coverName(plan);
    case 'slo':
      return 'SLO';
    default:
      return 'saturation';
  }
}

/** A rule's date cell: "already", "2027-03", or "beyond" (not within the horizon). */
function ruleCell(d: RuleDate | undefined): string {
  if (!d || d.status === 'not-asked') return '-';
  return d.status === 'already' ? 'already' : d.status === 'beyond' ? 'beyond' : d.period!;
}

function runsOutCell(plan: CapacityPlan, r: RunsOut): string {
  if (r.rule === undefined) return 'beyond';
  return `${r.already ? 'already' : r.period} (${ruleName(plan, r.rule)})`;
}

function orderByCell(r: RunsOut): string {
  if (r.rule === undefined) return '-';
  return r.overdue ? 'OVERDUE' : day(r.orderByMs);
}

/** One finding in a sentence (for the exit-1 message). */
export function findingText(f: PlanFinding): string {
  if (f.kind === 'unservable') {
    return `${f.variant}/${f.service} at ${f.period} needs ${demand(f.demand)} ${f.unit}; ${group(f.maxNodes)} nodes serve ${demand(f.maxDemand)} ${f.unit} at the cap`;
  }
  const what = f.rule === 'slo' ? 'breaks an SLO' : f.rule === 'cap' ? 'is over the utilisation cap' : `is short of ${f.cover} cover`;
  return `${f.service} (${f.fleet} node${f.fleet === 1 ? '' : 's'}, ${f.nodesNeeded} needed) ${what} ${f.periodIndex === 0 ? `at the peak of ${f.period}` : `from ${f.period}, within the lead time`}`;
}

/** The shortfalls of the current fleet now, one line per rule, with the count to add: the console's first words. */
export function formatShortNow(plan: CapacityPlan): string {
  const short = plan.findings.flatMap((f) => (f.kind === 'short-now' ? [f] : []));
  const beyond = plan.findings.flatMap((f) => (f.kind === 'unservable' ? [f] : []));
  let out = '';
  if (short.length > 0) {
    const arrive = plan.leadTimeDays > 0 ? `; an order placed today arrives after the ${Number(plan.leadTimeDays.toFixed(1))}-day lead time` : '';
    out += `\nShort now (current fleet, base plan, at the ${plan.periods[0]!.label} peak${arrive}):\n`;
    const groups = new Map<string, ShortNow[]>();
    for (const f of short) groups.set(`${f.rule}/${f.cover ?? ''}`, [...(groups.get(`${f.rule}/${f.cover ?? ''}`) ?? []), f]);
    for (const fs of groups.values()) {
      const f0 = fs[0]!;
      const many = fs.length > 1;
      const what =
        f0.rule === 'slo'
          ? many ? 'break an SLO' : 'breaks an SLO'
          : f0.rule === 'cap'
            ? `${many ? 'are' : 'is'} over the ${Math.round(plan.maxUtilization * 100)}% utilisation cap`
            : `${many ? 'are' : 'is'} short of ${f0.cover} cover`;
      const names = fs.map((f) => (f.periodIndex === 0 ? f.service : `${f.service} (from ${f.period})`));
      const through = [...new Set(fs.map((f) => f.throughPeriod))];
      out +=
        `  ${listOf(names)} ${what} now: add ${listOf(fs.map((f) => String(f.nodesToAdd)))} node${fs.length === 1 && f0.nodesToAdd === 1 ? '' : 's'}` +
        ` (${fs.map((f) => `${f.fleet} -> ${f.nodesNeeded}`).join(', ')})${through.length === 1 ? ` to hold it through ${through[0]}` : ''}\n`;
    }
  }
  if (beyond.length > 0) {
    out += `\nBeyond the node limit (no count up to ${group(MAX_PLANNED_NODES)} serves the demand):\n`;
    for (const f of beyond) out += `  ${findingText(f)}\n`;
  }
  return out;
}

/** The terminal summary: the shortfalls now, what was planned, then a table per variant, the simulation's verdict and warnings. */
export function formatPlan(plan: CapacityPlan, written: readonly string[]): string {
  const first = plan.periods[0]!;
  const last = plan.periods[plan.periods.length - 1]!;
  const base = plan.variants[0]!;
  const sloText = (s: ServicePlan) =>
    [s.slo.latency ? `p${Number((s.slo.latency.quantile * 100).toPrecision(6))} <= ${Math.round(s.slo.latency.target * 1000)} ms` : '', s.slo.maxErrorRate !== undefined ? `errors <= ${Number((s.slo.maxErrorRate * 100).toPrecision(4))}%` : '']
      .filter(Boolean)
      .join(', ') || 'stable';
  let out = `Capacity plan: ${plan.scenario.name} (${plan.scenario.file})\n`;
  const peak = plan.drivers.some((d) => d.forecastStepMs < 86_400_000) ? 'peak hour' : 'peak day';
  out += `  ${plan.periods.length} ${plan.period}s ${first.label} to ${last.label}, sized for the ${plan.quantileLabel} demand at each ${plan.period}'s ${peak}; model ${plan.model.name} (${plan.model.file})\n`;
  const redundancy = plan.redundancy.zoneLoss || plan.redundancy.spare > 0;
  const rules = [
    `max utilisation ${Math.round(plan.maxUtilization * 100)}%${redundancy ? ` (${Math.round(plan.maxUtilizationDegraded * 100)}% for the survivors of a failure)` : ''}`,
    plan.redundancy.zoneLoss ? `survive the loss of 1 of ${plan.redundancy.zones} zones` : '',
    plan.redundancy.spare > 0 ? `N+${plan.redundancy.spare}` : '',
    `lead time ${Number(plan.leadTimeDays.toFixed(1))} days`,
    plan.committedShare > 0 ? `reservations of up to ${Math.round(plan.committedShare * 100)}% for ${plan.commitmentTermMonths / 12} year${plan.commitmentTermMonths > 12 ? 's' : ''}` : '',
  ].filter(Boolean);
  out += `  ${rules.join('; ')}\n`;
  for (const d of plan.drivers) out += `  forecast ${d.name}${d.dailyPeaks ? ' (daily peaks)' : ''}: ${d.model}\n`;
  out += `  SLOs: ${base.services.map((s) => `${s.service} ${sloText(s)}`).join('; ')}\n`;
  out += formatShortNow(plan);
  const years = [...new Set(plan.variants.flatMap((v) => v.costByYear.map((c) => c.year)))].sort();
  const ruleOrder = (['cap', ...(redundancy ? ['redundancy'] : []), 'slo', 'saturation'] as const).map((r) => r as RuleDate['rule']);
  for (const v of plan.variants) {
    out += `\nVariant ${v.name}: ${v.description}\n`;
    const rows = v.services.map((s) => {
      const p0 = s.periods[0]!;
      const pl = s.periods[s.periods.length - 1]!;
      return [
        s.service,
        s.nodeType,
        `${demand(p0.demandSized)} -> ${demand(pl.demandSized)} ${s.unit}`,
        String(s.fleet),
        headroom(p0.headroom),
        `${p0.nodesWithRedundancy} -> ${pl.nodesWithRedundancy}`,
        ...ruleOrder.map((r) => ruleCell(s.rules.find((d) => d.rule === r))),
        runsOutCell(plan, s.runsOut),
        orderByCell(s.runsOut),
        money(s.totalCost, plan.currency),
      ];
    });
    const head = [
      'service',
      'node type',
      `${plan.quantileLabel} peak demand`,
      'fleet',
      'headroom',
      'nodes',
      ...ruleOrder.map((r) => ruleName(plan, r)),
      'runs out (rule)',
      'order by',
      'cost',
    ];
    out += table(head, rows, 2, 6);
    const r = v.runsOut;
    out +=
      r.rule === undefined
        ? `  runs out: the current fleet keeps every rule beyond ${last.label}\n`
        : `  runs out: ${r.already ? `already in ${r.period}` : r.period} (${r.service}: ${ruleName(plan, r.rule)}); ${r.overdue ? `order now: OVERDUE, the ${Number(plan.leadTimeDays.toFixed(1))}-day lead time reaches back before the plan starts` : `order by ${day(r.orderByMs)}`}\n`;
    const byYear = new Map(v.costByYear.map((c) => [c.year, c.cost]));
    out += `  cost: ${years.map((y) => `${y} ${money(byYear.get(y) ?? 0, plan.currency)}`).join(', ')}; total ${money(v.totalCost, plan.currency)}\n`;
  }
  out += `\n  headroom: what the current fleet serves within the SLO and the ${Math.round(plan.maxUtilization * 100)}% cap over the first ${plan.period}'s peak; dates: the first ${plan.period} the current fleet breaks the rule ("already": ${first.label}, "beyond": not within the horizon)\n`;
  out += plan.simulation.enabled
    ? `\nSimulation (${plan.simulation.runs} runs of ${plan.simulation.replicas} replicas x ${group(plan.simulation.arrivalsPerReplica)}+ arrivals, longer where a queue needs it to reach steady state), base plan:\n`
    : '\nSimulation: off (--no-sim); counts are analytic.\n';
  if (plan.simulation.enabled) for (const s of base.services) out += `  ${s.service}: ${s.confirmationNote}\n`;
  for (const w of plan.warnings) out += `warning: ${w}\n`;
  if (written.length > 0) out += `\nwrote ${written.join(', ')}\n`;
  return out;
}
