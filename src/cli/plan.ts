import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { checkFailed } from '../errors.js';
import type { SimulationConfirmer } from '../plan/confirm.js';
import type { CapacityPlan } from '../plan/types.js';
import type { CliContext } from './context.js';
import { optionalNonNegativeInteger, optionalPositiveInteger } from './flags.js';

/**
 * `headroom plan <scenario.yaml> [--out DIR] [--json] [--no-sim] [--seed S] [--workers W] [--replicas R] [--arrivals N]`
 *
 * Forecast every demand driver, size every service per period and variant (analytic, then confirmed by simulation at
 * the binding period), price it, and find when the current fleet runs out. Prints a table per variant; with --out
 * writes plan.json, plan.csv, plan.xlsx, forecast.json (the drivers' history and forecast bands, for the report) and
 * report.html there, all or none. Exit 0 when planned; 1 when the current fleet already breaks an SLO at the first
 * period's peak in the base plan (everything is still printed and written first); 2 for bad input, before anything
 * is written.
 */
export function registerPlan(program: Command, ctx: CliContext): void {
  program
    .command('plan')
    .description('Capacity plan: forecast demand, size each service per period under SLOs and redundancy, cost it, find the exhaustion and order-by dates')
    .argument('<scenario>', 'plan scenario file (YAML), e.g. scenarios/example.yaml')
    .option('--out <dir>', 'write plan.json, plan.csv, plan.xlsx, forecast.json and report.html into this directory (atomically: all or none)')
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
  $ headroom plan scenarios/example.yaml --out out/        # out/report.html: the page to share
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
      const [{ planJson }, { formatPlan }] = await Promise.all([import('../report/plan-json.js'), import('../report/plan-text.js')]);
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
      const base = plan.variants[0]!;
      // A fleet of 0 is a service not deployed yet: planning it is not a failed check.
      const broken = base.services.filter((s) => s.fleet > 0 && s.periods[0] && !s.periods[0].fleetMeetsSlo);
      if (broken.length > 0) {
        throw checkFailed(
          `${scenario.file}: the current fleet already breaks an SLO at the peak of ${plan.periods[0]!.label}: ${broken
            .map((s) => `${s.service} (${s.fleet} node${s.fleet === 1 ? '' : 's'}, ${s.periods[0]!.nodesSlo} needed)`)
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

function parseFlags(o: RawFlags): Flags {
  return {
    out: o.out,
    json: o.json === true,
    sim: o.sim !== false,
    seed: optionalNonNegativeInteger('--seed', o.seed),
    workers: optionalPositiveInteger('--workers', o.workers),
    replicas: optionalPositiveInteger('--replicas', o.replicas),
    arrivals: optionalPositiveInteger('--arrivals', o.arrivals),
  };
}
