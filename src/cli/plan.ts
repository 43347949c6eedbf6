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
  type CapacityPlan,
  type SimulationConfirmer,
} from '../index.js';
import type { CliContext } from './context.js';
import { progressFor } from './progress.js';

/**
 * `headroom plan <scenario.yaml> [--out DIR] [--json] [--no-sim] [--seed S] [--workers W] [--replicas R] [--arrivals N]`
 *
 * Forecast every demand driver, size every service per period and variant (analytic, then confirmed by simulation at
 * the binding period), price it, and find when the current fleet runs out. Prints a table per variant; with --out
 * writes plan.json, plan.csv and plan.xlsx there, all or none. Exit 0 when planned; 1 when the current fleet already
 * breaks an SLO at the first period's peak in the base plan (everything is still printed and written first); 2 for
 * bad input, before anything is written.
 */
export function registerPlan(program: Command, ctx: CliContext): void {
  program
    .command('plan')
    .description('Capacity plan: forecast demand, size each service per period under SLOs and redundancy, cost it, find the exhaustion and order-by dates')
    .argument('<scenario>', 'plan scenario file (YAML), e.g. scenarios/example.yaml')
    .option('--out <dir>', 'write plan.json, plan.csv and plan.xlsx into this directory (atomically: all three or none)')
    .option('--json', 'print plan.json to stdout instead of the summary')
    .option('--no-sim', 'skip the confirmation by simulation (analytic sizing only)')
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

For each period (month or quarter), variant and service the plan gives the demand at the period's peak (median and
the quantile sized for), the nodes the SLOs and the utilisation cap need, the nodes with redundancy (N+k, zone loss)
and their cost. The current fleet's exhaustion date is the first period whose sized peak breaks an SLO; order by
that date minus the procurement lead time.
Simulation confirms the binding period of every service: the count passes, one fewer fails, and the survivors of a
zone loss meet the SLO. --no-sim skips it.
Exit codes: 0 planned; 1 the current fleet already breaks an SLO in the first period of the base plan (the summary
and files are still produced; services with fleet 0 are new and do not count); 2 bad input (nothing is written).`,
    )
    .action(async (file: string, opts: RawFlags) => {
      const flags = parseFlags(opts);
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
      const broken = plan.findings.filter((f) => f.kind === 'short-now' && f.rule === 'slo');
      if (broken.length > 0) {
        throw checkFailed(
          `${scenario.file}: the current fleet already breaks an SLO at the peak of ${broken[0]!.period}: ${broken
            .map((f) => `${f.service} (${f.fleet} node${f.fleet === 1 ? '' : 's'}, ${f.nodesNeeded} needed)`)
            .join(', ')}`,
          'SLO_NOT_MET',
        );
      }
    });
}

interface RawFlags {
  out?: string;
  json?: boolean;
  sim?: boolean;
  seed?: string;
  workers?: string;
  replicas?: string;
  arrivals?: string;
}

interface Flags {
  out: string | undefined;
  json: boolean;
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

function parseFlags(o: RawFlags): Flags {
  return {
    out: o.out,
    json: o.json === true,
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
  if (x >= 1000) return group(x);
  return x >= 10 ? x.toFixed(1) : x.toPrecision(3);
}

/** The fleet's headroom over the first period's sized peak: "+23%", "-5%". */
function headroom(h: number): string {
  if (!Number.isFinite(h)) return '-';
  return `${h >= 0 ? '+' : ''}${Math.round(h * 100)}%`;
}

function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>, rightFrom: number): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) =>
    '  ' +
    r
      .map((c, i) => (i >= rightFrom ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

/** The terminal summary: what was planned, then a table per variant, the simulation's verdict and warnings. */
export function formatPlan(plan: CapacityPlan, written: readonly string[]): string {
  const first = plan.periods[0]!;
  const last = plan.periods[plan.periods.length - 1]!;
  const base = plan.variants[0]!;
  const sloText = (s: (typeof base.services)[number]) =>
    [s.slo.latency ? `p${Number((s.slo.latency.quantile * 100).toPrecision(6))} <= ${Math.round(s.slo.latency.target * 1000)} ms` : '', s.slo.maxErrorRate !== undefined ? `errors <= ${Number((s.slo.maxErrorRate * 100).toPrecision(4))}%` : '']
      .filter(Boolean)
      .join(', ');
  let out = `Capacity plan: ${plan.scenario.name} (${plan.scenario.file})\n`;
  const peak = plan.drivers.some((d) => d.forecastStepMs < 86_400_000) ? 'peak hour' : 'peak day';
  out += `  ${plan.periods.length} ${plan.period}s ${first.label} to ${last.label}, sized for the ${plan.quantileLabel} demand at each ${plan.period}'s ${peak}; model ${plan.model.name} (${plan.model.file})\n`;
  const rules = [
    `max utilisation ${Math.round(plan.maxUtilization * 100)}%`,
    plan.redundancy.zoneLoss ? `survive the loss of 1 of ${plan.redundancy.zones} zones` : '',
    plan.redundancy.spare > 0 ? `N+${plan.redundancy.spare}` : '',
    `lead time ${Number(plan.leadTimeDays.toFixed(1))} days`,
    plan.committedShare > 0 ? `${Math.round(plan.committedShare * 100)}% committed` : '',
  ].filter(Boolean);
  out += `  ${rules.join('; ')}\n`;
  for (const d of plan.drivers) out += `  forecast ${d.name}${d.dailyPeaks ? ' (daily peaks)' : ''}: ${d.model}\n`;
  const years = [...new Set(plan.variants.flatMap((v) => v.costByYear.map((c) => c.year)))].sort();
  for (const v of plan.variants) {
    out += `\nVariant ${v.name}: ${v.description}\n`;
    const rows = v.services.map((s) => {
      const p0 = s.periods[0]!;
      const pl = s.periods[s.periods.length - 1]!;
      return [
        s.service,
        s.nodeType,
        sloText(s),
        `${demand(p0.demandSized)} -> ${demand(pl.demandSized)} ${s.unit}`,
        String(s.fleet),
        headroom(p0.headroom),
        `${p0.nodesWithRedundancy} -> ${pl.nodesWithRedundancy}`,
        s.exhaustion.period ?? 'beyond',
        s.exhaustion.period === undefined ? '-' : `${day(s.exhaustion.orderByMs)}${s.exhaustion.overdue ? ' (overdue)' : ''}`,
        money(s.totalCost, plan.currency),
      ];
    });
    out += table(['service', 'node type', 'SLO', `${plan.quantileLabel} peak demand`, 'fleet', 'headroom', 'nodes', 'runs out', 'order by', 'cost'], rows, 4);
    const ex = v.exhaustion;
    out += ex.period
      ? `  exhaustion: ${ex.period} (${ex.service}); order by ${day(ex.orderByMs)}${ex.overdue ? ' - OVERDUE: the lead time reaches back before the plan starts' : ''}\n`
      : `  exhaustion: the current fleet lasts beyond ${last.label}\n`;
    const byYear = new Map(v.costByYear.map((c) => [c.year, c.cost]));
    out += `  cost: ${years.map((y) => `${y} ${money(byYear.get(y) ?? 0, plan.currency)}`).join(', ')}; total ${money(v.totalCost, plan.currency)}\n`;
  }
  out += plan.simulation.enabled
    ? `\nSimulation (${plan.simulation.runs} runs of ${plan.simulation.replicas} replicas x ${group(plan.simulation.arrivalsPerReplica)}+ arrivals, longer where a queue needs it to reach steady state), base plan:\n`
    : '\nSimulation: off (--no-sim); counts are analytic.\n';
  if (plan.simulation.enabled) for (const s of base.services) out += `  ${s.service}: ${s.confirmationNote}\n`;
  for (const w of plan.warnings) out += `warning: ${w}\n`;
  if (written.length > 0) out += `\nwrote ${written.join(', ')}\n`;
  return out;
}
