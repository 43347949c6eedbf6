import { resolve } from 'node:path';
import type { Command } from 'commander';
import { checkFailed, HeadroomError, inputError } from '../errors.js';
import { SIMULATION_DEFAULTS, type SimulationScenario } from '../sim/scenario.js';
import type { SimSummary } from '../sim/summary.js';
import { parseDuration } from '../units.js';
import type { CliContext } from './context.js';
import { checkOutPath } from './out-path.js';
import { optionalNonNegativeInteger, optionalPositiveInteger, positiveNumberFlag } from './flags.js';

/**
 * Events a `simulate` run may need, all replicas together, before it is refused unless `--max-events` raises the
 * bound. At the 2–10 million events a second one core processes (measured on the bundled scenarios), 1e9 is a few
 * minutes of work on a laptop; the largest bundled scenario needs 1e8 (sim-three-tier, 8 replicas).
 */
export const DEFAULT_MAX_EVENTS = 1e9;

/**
 * `headroom simulate <scenario.yaml> [--replicas R] [--seed S] [--workers W] [--arrivals N] [--warmup N] [--max-events N] [--json]`
 *
 * Estimates the run's events up front (src/sim/event-estimate.ts) and refuses a run above `--max-events`. Runs R replicas of the scenario on worker threads and prints per station and end to end the mean of each metric
 * with its 95% interval. Exit codes: 0 done; 1 the system was unstable (a replica was stopped because requests piled
 * up) or the scenario's SLO target was not met (the output is printed first); 2 bad flags or a bad scenario file.
 */
export function registerSimulate(program: Command, ctx: CliContext): void {
  program
    .command('simulate')
    .description('Simulate traffic against stations (queues, workers, failures, retries) with replicas on worker threads; means with 95% intervals')
    .argument('<scenario>', 'scenario file (YAML), e.g. scenarios/sim-mmc.yaml')
    .option('--replicas <R>', `independent replicas (default: run.replicas in the file, else ${SIMULATION_DEFAULTS.replicas})`)
    .option('--seed <S>', `seed; replica i uses the stream (S, i) (default: run.seed in the file, else ${SIMULATION_DEFAULTS.seed})`)
    .option('--workers <W>', 'worker threads (default: CPU cores, at most R; 1 runs on the main thread); the numbers do not depend on it')
    .option('--arrivals <N>', 'stop each replica after N arrivals instead of the file\'s run length')
    .option('--warmup <N>', 'exclude the first N arrivals (or a duration such as 5min) instead of the file\'s warm-up')
    .option('--max-events <N>', `refuse a run whose estimated events (all replicas) exceed N (default: ${DEFAULT_MAX_EVENTS.toExponential()})`)
    .option('--json', 'print JSON: per station and endToEnd each metric as { mean, ci95: [lo, hi] }, times in seconds')
    .option('--series <file.csv>', 'write the per-interval series (mean over replicas) as CSV; needs run.seriesInterval in the scenario')
    .addHelpText(
      'after',
      `
Example:
  $ headroom simulate scenarios/sim-mmc.yaml --replicas 8 --seed 1
  $ headroom simulate scenarios/sim-three-tier.yaml --json > result.json

Metrics (per station and end to end): utilization, meanWait, meanResponse, p50/p95/p99/p999Response, throughput,
dropFraction, meanQueueLength, meanInSystem, arrivalRate; counts are totals over all replicas. Intervals are Student t
intervals over replicas (need at least 2 replicas).
Before running, the events are estimated (arrivals x (1 + visits per request), times replicas); a run above
--max-events is refused (exit 2) until the bound is raised.
Exit codes: 0 done, 1 unstable (load above capacity) or the scenario's slo.target not met, 2 bad flags or file.
`,
    )
    .action(async (file: string, opts: RawFlags) => {
      const flags = parseFlags(opts);
      // A --series path at a directory (or under a file) is bad input, told before the run, not a rename error after it.
      if (flags.series !== undefined) checkOutPath('--series', flags.series, ctx.cwd, 'file');
      // The scenario schema, the simulator and the progress bar load here, not at start-up.
      const [{ loadSimulationScenario }, { simulate }, { sloVerdict }, { progressFor }, { estimateEvents }] = await Promise.all([
        import('../config/simulation.js'),
        import('../sim/runner.js'),
        import('../sim/slo-verdict.js'),
        import('./progress.js'),
        import('../sim/event-estimate.js'),
      ]);
      const scenario = applyFlags(await loadSimulationScenario(file, { cwd: ctx.cwd }), flags);
      if (flags.series !== undefined && scenario.spec.run.seriesInterval === undefined) {
        throw inputError('', `--series needs a series interval: add seriesInterval (e.g. 1min) under run: in ${scenario.file}`);
      }
      const replicas = flags.replicas ?? scenario.replicas;
      const seed = flags.seed ?? scenario.seed;
      const estimate = estimateEvents(scenario.spec);
      const events = estimate.eventsPerReplica * replicas;
      if (!(events <= flags.maxEvents)) {
        throw inputError(
          scenario.file,
          `the run needs about ${events.toPrecision(2)} events (${replicas} replica(s) x ${estimate.arrivalsPerReplica.toPrecision(3)} arrivals ` +
            `x ${estimate.eventsPerRequest.toPrecision(3)} events per request` +
            `${estimate.timerEventsPerReplica >= 1 ? ` + ${estimate.timerEventsPerReplica.toPrecision(2)} timer events per replica` : ''}), above --max-events ${flags.maxEvents}; ` +
            'shorten run.arrivals or run.duration, use fewer replicas, or raise --max-events to run it anyway',
        );
      }
      const progress = progressFor(ctx, !flags.json);
      progress.start(replicas, `simulate ${scenario.file}`);
      let summary: SimSummary;
      try {
        summary = await simulate(scenario.spec, {
          replicas,
          seed,
          workers: flags.workers,
          onReplicaDone: (done) => progress.update(done),
        });
      } catch (e) {
        // The core checks the compiled spec again; should it find what the schema let through, name the file.
        if (e instanceof HeadroomError && e.code === 'CONFIG_INVALID') throw new HeadroomError(e.code, `${scenario.file}: ${e.message}`, { exitCode: 2 });
        throw e;
      } finally {
        progress.stop();
      }
      const slo = sloVerdict(scenario, summary);
      const [{ simulationJson }, { formatSimulation, sloNotMetMessage }] = await Promise.all([
        import('../report/simulation-json.js'),
        import('../report/simulation-text.js'),
      ]);
      if (flags.series !== undefined && summary.series) {
        const [{ simulationSeriesCsv }, { writeFileAtomic }] = await Promise.all([
          import('../report/simulation-series-csv.js'),
          import('../write-atomic.js'),
        ]);
        await writeFileAtomic(resolve(ctx.cwd, flags.series), simulationSeriesCsv(summary.series));
      }
      if (flags.json) ctx.stdout.write(`${JSON.stringify(simulationJson(scenario, summary, slo), null, 2)}\n`);
      else ctx.stdout.write(formatSimulation(scenario, summary, slo));
      if (summary.unstable) throw checkFailed(`${scenario.file}: ${summary.unstable.message}`, 'SIM_UNSTABLE');
      if (slo && slo.met === false) throw checkFailed(`${scenario.file}: ${sloNotMetMessage(slo)}`, 'SLO_NOT_MET');
    });
}

interface RawFlags {
  replicas?: string;
  seed?: string;
  workers?: string;
  arrivals?: string;
  warmup?: string;
  maxEvents?: string;
  json?: boolean;
  series?: string;
}

interface Flags {
  replicas: number | undefined;
  seed: number | undefined;
  workers: number | undefined;
  arrivals: number | undefined;
  warmup: string | undefined;
  maxEvents: number;
  json: boolean;
  series: string | undefined;
}

function parseFlags(o: RawFlags): Flags {
  return {
    replicas: optionalPositiveInteger('--replicas', o.replicas),
    seed: optionalNonNegativeInteger('--seed', o.seed),
    workers: optionalPositiveInteger('--workers', o.workers),
    arrivals: optionalPositiveInteger('--arrivals', o.arrivals),
    warmup: o.warmup,
    maxEvents: o.maxEvents === undefined ? DEFAULT_MAX_EVENTS : positiveNumberFlag('--max-events', o.maxEvents),
    json: o.json === true,
    series: o.series,
  };
}

/** Run-length flags replace the file's run length (and warm-up), checked as the file's would be. */
function applyFlags(s: SimulationScenario, f: Flags): SimulationScenario {
  if (f.arrivals === undefined && f.warmup === undefined) return s;
  const run = s.spec.run;
  let warmup = run.warmup;
  if (f.warmup !== undefined) {
    // As in the file: a plain number counts arrivals, a duration needs its unit.
    const time = /[a-zµ]\s*$/i.test(f.warmup) ? parseDuration(f.warmup) : undefined;
    if (/^\s*\d+\s*$/.test(f.warmup)) warmup = { kind: 'arrivals', arrivals: Number(f.warmup) };
    else if (time !== undefined && time >= 0) warmup = { kind: 'time', time };
    else throw inputError('', `--warmup must be a number of arrivals or a duration such as 5min, got ${f.warmup}`);
  }
  const stop = f.arrivals !== undefined ? { kind: 'arrivals' as const, arrivals: f.arrivals } : run.stop;
  if (f.warmup === undefined && f.arrivals !== undefined && warmup?.kind === 'arrivals' && warmup.arrivals >= f.arrivals) {
    // The file's warm-up would swallow the shorter run: scale it down with the run (same share of arrivals).
    const share = run.stop.kind === 'arrivals' ? warmup.arrivals / run.stop.arrivals : 0.05;
    warmup = { kind: 'arrivals', arrivals: Math.floor(f.arrivals * share) };
  }
  if (warmup?.kind === 'arrivals' && stop.kind === 'arrivals' && warmup.arrivals >= stop.arrivals) {
    throw inputError('', `--warmup must be below the number of arrivals (${stop.arrivals}), got ${warmup.arrivals}`);
  }
  return { ...s, spec: { ...s.spec, run: { ...run, stop, warmup } } };
}
