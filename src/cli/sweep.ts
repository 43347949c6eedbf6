import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { inputError } from '../errors.js';
import type { PartialSweep } from '../sweep/sweep.js';
import type { SweepReport } from '../sweep/report.js';
import type { SweepAxis } from '../model/sweep.js';
import type { JobRunner } from '../sweep/local-pool.js';
import type { CliContext } from './context.js';
import { flagError, optionalNonNegativeInteger, optionalPositiveInteger } from './flags.js';

/**
 * `headroom sweep <scenario.yaml> [--vary NAME=SPEC]... [--sensitivity] [--paths N] [--out DIR] [--queue URL]`
 *
 * Plan every point of a grid of assumptions, rank the inputs by how far they move cost and the exhaustion date, and
 * draw Monte-Carlo futures of demand. Work runs on the local thread pool, or on the workers of a Redis queue.
 */
export function registerSweep(program: Command, ctx: CliContext): void {
  program
    .command('sweep')
    .description('Sweep assumptions of a plan: a grid of plans, a sensitivity ranking (tornado), a Monte-Carlo plan')
    .argument('<scenario>', 'plan scenario file (YAML), e.g. scenarios/example.yaml')
    .option('--vary <axis>', 'an axis NAME=LOW..HIGH:STEPS or NAME=a,b,c (repeatable; default: sweep.vary in the scenario)', collect, [])
    .option('--sensitivity', 'one-at-a-time low/high of each axis instead of the full grid, plus the top two as a grid')
    .option('--paths <N>', 'Monte-Carlo demand paths (default: sweep.paths in the scenario, else 0)')
    .option('--confidence <C>', 'confidence of the Monte-Carlo order-by date (default: sweep.confidence, else 90%)')
    .option('--batch <B>', 'Monte-Carlo paths per job (default 25)')
    .option('--sim', 'confirm every grid point by simulation and report SLO attainment (slower)')
    .option('--seed <S>', 'seed (default: the scenario seed)')
    .option('--workers <W>', 'local worker threads (default: CPU cores); the numbers do not depend on it')
    .option('--queue <url>', 'run the jobs on the workers of this Redis queue (redis://HOST:PORT) instead of locally')
    .option('--out <dir>', 'write sweep.json and sweep.csv there (atomically); a failed sweep writes only sweep.partial-DONE-of-TOTAL.json')
    .option('--json', 'print sweep.json to stdout instead of the tables')
    .addHelpText(
      'after',
      `
Axes: growth, launch[.DRIVER], price, demand.NAME, serviceTimeScale[.SVC], workersPerNode[.SVC], nodeType[.SVC],
maxUtilization, sloLatency[.SVC], quantile, leadTime. Percent forms: growth=-10%..+40%:6, price=-10%,+20%.

Examples:
  $ headroom sweep scenarios/example.yaml --vary growth=-10%..+40%:6 --vary nodeType.api=c6i.2xlarge,c7g.2xlarge
  $ headroom sweep scenarios/example.yaml --sensitivity --vary growth=-10%,+40% --vary price=0.9,1.2 --vary maxUtilization=60%,80%
  $ headroom sweep scenarios/example.yaml --paths 1000 --confidence 90%
  $ headroom sweep scenarios/example.yaml --vary growth=0..40%:5 --queue redis://10.0.0.5:6379   # run 'headroom worker' elsewhere
Exit codes: 0 done; 1 a job kept failing (its error is printed); 2 bad input or an unusable queue.`,
    )
    .action(async (file: string, opts: RawFlags) => {
      // The planner, the scenario schema, the pools and the queue client load here, not at start-up.
      const [{ loadPlanScenario }, { axisContext }, { parseAxis }, { readPlanHistory }, { prepareRequest, runSweep: runPlanSweep }, { inProcessRunner, poolRunner }, { pointsCsv }, { writeFilesAtomic }, { progressFor }] =
        await Promise.all([
          import('../config/plan-scenario.js'),
          import('../sweep/prepare.js'),
          import('../model/sweep.js'),
          import('../series/read-plan-history.js'),
          import('../sweep/sweep.js'),
          import('../sweep/local-pool.js'),
          import('../sweep/report.js'),
          import('../write-atomic.js'),
          import('./progress.js'),
        ]);
      const { scenario, model } = await loadPlanScenario(file, { cwd: ctx.cwd });
      const actx = axisContext(scenario, model);
      const axes: SweepAxis[] =
        opts.vary.length > 0
          ? opts.vary.map((text) => {
              const eq = text.indexOf('=');
              if (eq < 1) throw inputError('', `--vary must be NAME=LOW..HIGH:STEPS or NAME=a,b,c, got ${text}`);
              const r = parseAxis(text.slice(0, eq).trim(), text.slice(eq + 1), actx);
              if (!r.ok) throw inputError('', `--vary ${text}: expected ${r.message}, got ${r.found}`);
              return r.axis;
            })
          : [...(scenario.sweep?.axes ?? [])];
      const names = new Set<string>();
      for (const a of axes) {
        if (names.has(a.name)) throw inputError('', `--vary ${a.name}: given twice; give each axis once`);
        names.add(a.name);
      }
      const paths = optionalNonNegativeInteger('--paths', opts.paths) ?? scenario.sweep?.paths ?? 0;
      const confidence = opts.confidence === undefined ? (scenario.sweep?.confidence ?? 0.9) : confidenceFlag(opts.confidence);
      if (axes.length === 0 && paths === 0) {
        throw inputError('', `${scenario.file}: nothing to sweep; give --vary NAME=VALUES or --paths N, or a sweep: block in the scenario`);
      }
      if (opts.sensitivity && axes.length === 0) throw inputError('', '--sensitivity needs at least one --vary axis');
      const workers = optionalPositiveInteger('--workers', opts.workers);
      const history = await readPlanHistory(scenario, { cwd: ctx.cwd, env: ctx.env, nowMs: ctx.now().getTime() });
      const scenarioText = await readFile(resolve(ctx.cwd, file), 'utf8');
      const prepared = await prepareRequest({
        scenario,
        scenarioText,
        model,
        history,
        axes,
        grid: axes.length > 0 && !opts.sensitivity,
        sensitivity: opts.sensitivity === true,
        paths,
        batch: optionalPositiveInteger('--batch', opts.batch) ?? 25,
        confidence,
        seed: optionalNonNegativeInteger('--seed', opts.seed) ?? scenario.seed,
        simulate: opts.sim === true,
      });
      const runner: JobRunner = opts.queue !== undefined ? await (await import('../sweep/queue.js')).openQueueRunner(opts.queue, { sweepId: prepared.sweepId, log: (s) => void ctx.stderr.write(s) }) : workers === 1 ? inProcessRunner() : poolRunner({ workers });
      const progress = progressFor(ctx, opts.json !== true);
      let started = false;
      let result: Omit<SweepReport, 'currency'>;
      // A sweep that fails leaves no sweep.json, only a file named as partial, with the done count in its name.
      const writePartial = async (partial: PartialSweep): Promise<void> => {
        if (opts.out === undefined) return;
        const name = `sweep.partial-${partial.done}-of-${partial.total}.json`;
        await writeFilesAtomic([{ path: join(resolve(ctx.cwd, opts.out), name), data: JSON.stringify({ format: 'headroom-sweep-partial/1', ...partial }, null, 2) + '\n' }]);
        ctx.stderr.write(`headroom: wrote ${join(opts.out, name)} (${partial.done} of ${partial.total} jobs)\n`);
      };
      try {
        result = await runPlanSweep(
          prepared,
          runner,
          (done, total) => {
            if (!started) {
              progress.start(total, `sweep ${scenario.file}`);
              started = true;
            }
            progress.update(done);
          },
          writePartial,
        );
      } finally {
        if (started) progress.stop();
        await runner.close();
      }
      const report: SweepReport = { ...result, currency: model.currency };
      const json = JSON.stringify(report, null, 2) + '\n';
      let written: string[] = [];
      if (opts.out !== undefined) {
        const dir = resolve(ctx.cwd, opts.out);
        const files = [{ path: join(dir, 'sweep.json'), data: json }];
        if (report.points.length > 0) files.push({ path: join(dir, 'sweep.csv'), data: pointsCsv(axes, report.points) });
        await writeFilesAtomic(files);
        written = files.map((f) => join(opts.out!, f.path.slice(dir.length + 1)));
      }
      if (opts.json) {
        ctx.stdout.write(json);
        return;
      }
      const { formatSweep } = await import('../sweep/report.js');
      ctx.stdout.write(formatSweep(report, axes, written));
    });
}

interface RawFlags {
  vary: string[];
  sim?: boolean;
  sensitivity?: boolean;
  paths?: string;
  confidence?: string;
  batch?: string;
  seed?: string;
  workers?: string;
  queue?: string;
  out?: string;
  json?: boolean;
}

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}


function confidenceFlag(v: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(v);
  const c = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(c > 0 && c < 1)) return flagError('--confidence', 'a share strictly between 0% and 100%, such as 90%', v);
  return c;
}
