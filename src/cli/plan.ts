import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { checkFailed, inputError } from '../errors.js';
import { FAIL_ON_RULES, type FailOnRule } from '../model/plan-scenario.js';
import type { SimulationConfirmer } from '../plan/confirm.js';
import { HORIZON_LIMIT_FACTOR, HORIZON_WARN_FACTOR, MAX_PLANNED_NODES } from '../plan/limits.js';
import type { CapacityPlan, PlanFinding } from '../plan/types.js';
import type { CliContext } from './context.js';
import { flagError, optionalNonNegativeInteger, optionalPositiveInteger } from './flags.js';
import { checkOutPath } from './out-path.js';

/**
 * `headroom plan <scenario.yaml> [--out DIR] [--json] [--no-sim] [--fail-on RULES] [--allow-long-horizon] [--seed S]
 *  [--workers W] [--replicas R] [--arrivals N]`
 *
 * Forecast every demand driver, size every service per period and variant (analytic, then confirmed by simulation at
 * the binding period), price it, and date when the current fleet breaks each rule. Prints the shortfalls of the
 * current fleet first, then a table per variant; with --out writes plan.json,
 * plan.csv, plan.xlsx, forecast.json (the drivers' history and forecast bands, for the report) and report.html there,
 * all or none. Exit codes: see PLAN_EXIT_CODES.
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
    .option('--out <dir>', 'write plan.json, plan.csv, plan.xlsx, forecast.json and report.html into this directory (atomically: all or none)')
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
  $ headroom plan scenarios/example.yaml --out out/        # out/report.html: the page to share
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
      // The scenario schema, the planner, the simulator and the writers load here, not at start-up.
      const [{ loadPlanScenario }, { readPlanHistory }, { planCapacity }, { simulationConfirmer }, { progressFor }, { forecast }, { captureForecasts }] =
        await Promise.all([
          import('../config/plan-scenario.js'),
          import('../series/read-plan-history.js'),
          import('../plan/plan.js'),
          import('../plan/confirm.js'),
          import('./progress.js'),
          import('../forecast/forecast.js'),
          import('../report/driver-forecast.js'),
        ]);
      const { scenario, model } = await loadPlanScenario(file, { cwd: ctx.cwd });
      const history = await readPlanHistory(scenario, { cwd: ctx.cwd, env: ctx.env, nowMs: ctx.now().getTime() });
      const progress = progressFor(ctx, !flags.json);
      let started = false;
      let confirmer: SimulationConfirmer | undefined;
      let plan: CapacityPlan;
      // The forecasts the plan makes are kept for the report's demand fans (forecast.json), not made again.
      const captured = captureForecasts(forecast);
      try {
        confirmer = flags.sim ? simulationConfirmer({ workers: flags.workers }) : undefined;
        const result = await planCapacity(
          { scenario, model, history },
          {
            confirm: confirmer?.confirm,
            forecast: captured.forecast,
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
      const [{ planJson }, { formatPlan, findingText }] = await Promise.all([import('../report/plan-json.js'), import('../report/plan-text.js')]);
      let written: string[] = [];
      if (flags.out !== undefined) {
        const [{ planCsv }, { planXlsx }, { writeFilesAtomic }, { forecastsJson }, { renderPlanReport }] = await Promise.all([
          import('../report/plan-csv.js'),
          import('../report/plan-xlsx.js'),
          import('../write-atomic.js'),
          import('../report/driver-forecast.js'),
          import('../report/plan-report.js'),
        ]);
        const dir = resolve(ctx.cwd, flags.out);
        // One more forecast per driver: how its method did on the last quarter of its own history.
        const forecasts = captured.forecasts(plan, { backtest: true });
        const files = [
          { path: join(dir, 'plan.json'), data: planJson(plan) },
          { path: join(dir, 'plan.csv'), data: planCsv(plan) },
          { path: join(dir, 'plan.xlsx'), data: await planXlsx(plan) },
          { path: join(dir, 'forecast.json'), data: forecastsJson(forecasts) },
          { path: join(dir, 'report.html'), data: await renderPlanReport(plan, forecasts) },
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

function failOnFlag(v: string | undefined): FailOnRule[] | undefined {
  if (v === undefined) return undefined;
  const parts = v.split(',').map((x) => x.trim()).filter(Boolean);
  if (parts.length === 1 && parts[0] === 'none') return [];
  const bad = parts.filter((x) => !(FAIL_ON_RULES as readonly string[]).includes(x));
  if (bad.length > 0 || parts.length === 0) flagError('--fail-on', `rules from ${FAIL_ON_RULES.join(', ')} separated by commas, or none`, v);
  return [...new Set(parts as FailOnRule[])];
}

function parseFlags(o: RawFlags): Flags {
  return {
    out: o.out,
    json: o.json === true,
    failOn: failOnFlag(o.failOn),
    allowLongHorizon: o.allowLongHorizon === true,
    sim: o.sim !== false,
    seed: optionalNonNegativeInteger('--seed', o.seed),
    workers: optionalPositiveInteger('--workers', o.workers),
    replicas: optionalPositiveInteger('--replicas', o.replicas),
    arrivals: optionalPositiveInteger('--arrivals', o.arrivals),
  };
}
