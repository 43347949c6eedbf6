import { resolve } from 'node:path';
import type { Command } from 'commander';
import { checkFailed, HeadroomError, inputError } from '../errors.js';
import type { SimulationScenario } from '../config/simulation.js';
import type { Estimate, MetricEstimates, SimSummary } from '../sim/summary.js';
import type { SeriesResult } from '../sim/types.js';
import { parseDuration } from '../units.js';
import type { CliContext } from './context.js';
import { optionalNonNegativeInteger, optionalPositiveInteger } from './flags.js';

/**
 * The defaults the help text names, written out so that `headroom simulate --help` does not load the scenario schema
 * (zod); a test holds them equal to SIMULATION_DEFAULTS, which the scenario loader applies.
 */
export const SIMULATE_HELP_DEFAULTS = { replicas: 8, seed: 1 } as const;

/**
 * `headroom simulate <scenario.yaml> [--replicas R] [--seed S] [--workers W] [--arrivals N] [--warmup N] [--json]`
 *
 * Runs R replicas of the scenario on worker threads and prints per station and end to end the mean of each metric
 * with its 95% interval. Exit codes: 0 done; 1 the system was unstable (a replica was stopped because requests piled
 * up) or the scenario's SLO target was not met (the output is printed first); 2 bad flags or a bad scenario file.
 */
export function registerSimulate(program: Command, ctx: CliContext): void {
  program
    .command('simulate')
    .description('Simulate traffic against stations (queues, workers, failures, retries) with replicas on worker threads; means with 95% intervals')
    .argument('<scenario>', 'scenario file (YAML), e.g. scenarios/sim-mmc.yaml')
    .option('--replicas <R>', `independent replicas (default: run.replicas in the file, else ${SIMULATE_HELP_DEFAULTS.replicas})`)
    .option('--seed <S>', `seed; replica i uses the stream (S, i) (default: run.seed in the file, else ${SIMULATE_HELP_DEFAULTS.seed})`)
    .option('--workers <W>', 'worker threads (default: CPU cores, at most R; 1 runs on the main thread); the numbers do not depend on it')
    .option('--arrivals <N>', 'stop each replica after N arrivals instead of the file\'s run length')
    .option('--warmup <N>', 'exclude the first N arrivals (or a duration such as 5min) instead of the file\'s warm-up')
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
Exit codes: 0 done, 1 unstable (load above capacity) or the scenario's slo.target not met, 2 bad flags or file.
`,
    )
    .action(async (file: string, opts: RawFlags) => {
      const flags = parseFlags(opts);
      // The scenario schema, the simulator and the progress bar load here, not at start-up.
      const [{ loadSimulationScenario }, { simulate }, { progressFor }, { writeFileAtomic }] = await Promise.all([
        import('../config/simulation.js'),
        import('../sim/runner.js'),
        import('./progress.js'),
        import('../report/write-atomic.js'),
      ]);
      const scenario = applyFlags(await loadSimulationScenario(file, { cwd: ctx.cwd }), flags);
      if (flags.series !== undefined && scenario.spec.run.seriesInterval === undefined) {
        throw inputError('', `--series needs a series interval: add seriesInterval (e.g. 1min) under run: in ${scenario.file}`);
      }
      const replicas = flags.replicas ?? scenario.replicas;
      const seed = flags.seed ?? scenario.seed;
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
      if (flags.series !== undefined && summary.series) await writeFileAtomic(resolve(ctx.cwd, flags.series), seriesCsv(summary.series));
      if (flags.json) ctx.stdout.write(`${JSON.stringify(toJson(scenario, summary, slo), null, 2)}\n`);
      else ctx.stdout.write(formatText(scenario, summary, slo));
      if (summary.unstable) throw checkFailed(`${scenario.file}: ${summary.unstable.message}`, 'SIM_UNSTABLE');
      if (slo && slo.met === false) {
        throw checkFailed(
          `${scenario.file}: SLO not met: ${pct(slo.attainment.mean)} of requests within ${ms(slo.latency)} ms, target ${pct(slo.target!)}`,
          'SLO_NOT_MET',
        );
      }
    });
}

interface RawFlags {
  replicas?: string;
  seed?: string;
  workers?: string;
  arrivals?: string;
  warmup?: string;
  json?: boolean;
  series?: string;
}

interface Flags {
  replicas: number | undefined;
  seed: number | undefined;
  workers: number | undefined;
  arrivals: number | undefined;
  warmup: string | undefined;
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

interface SloVerdict {
  readonly latency: number;
  readonly target: number | undefined;
  readonly attainment: Estimate;
  /** Null without a target (nothing to check). */
  readonly met: boolean | null;
}

function sloVerdict(s: SimulationScenario, summary: SimSummary): SloVerdict | null {
  if (!s.slo) return null;
  const attainment = summary.endToEnd.sloAttainment;
  const met = s.slo.target === undefined ? null : attainment.mean >= s.slo.target;
  return { latency: s.slo.latency, target: s.slo.target, attainment, met };
}

function toJson(s: SimulationScenario, summary: SimSummary, slo: SloVerdict | null): unknown {
  return {
    scenario: s.file,
    name: s.name ?? null,
    ...summary,
    slo: slo ? { latency: slo.latency, target: slo.target ?? null, attainment: slo.attainment, met: slo.met } : null,
  };
}

// ───────────────────────────────────────────── text output ─────────────────────────────────────────────

const ms = (s: number): string => fmt(s * 1e3);
const pct = (f: number): string => `${(f * 100).toFixed(f > 0.999 && f < 1 ? 3 : 2)}%`;

function fmt(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? '–' : String(x);
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a >= 1e5 || a < 1e-3) return x.toExponential(3);
  if (a >= 100) return x.toFixed(1);
  return x.toPrecision(4);
}

/** "mean ± half" with the half-width to 2 significant digits and the mean to the same decimals. */
function pm(e: Estimate, scale = 1): string {
  if (Number.isNaN(e.mean)) return '–';
  const mean = e.mean * scale;
  const half = ((e.ci95[1] - e.ci95[0]) / 2) * scale;
  if (!(half > 0) || !Number.isFinite(half)) return fmt(mean);
  // Tiny values (drop fractions of a few per million): scientific notation reads better than a row of zeros.
  if (half < 1e-4 && Math.abs(mean) < 1e-3) return `${mean.toExponential(1)} ± ${half.toExponential(1)}`;
  const decimals = Math.min(12, Math.max(0, 1 - Math.floor(Math.log10(half))));
  return `${mean.toFixed(decimals)} ± ${Number(half.toPrecision(2))}`;
}

const ROWS: ReadonlyArray<readonly [string, keyof MetricEstimates, number]> = [
  ['utilization', 'utilization', 1],
  ['mean wait (ms)', 'meanWait', 1e3],
  ['mean response (ms)', 'meanResponse', 1e3],
  ['p50 response (ms)', 'p50Response', 1e3],
  ['p95 response (ms)', 'p95Response', 1e3],
  ['p99 response (ms)', 'p99Response', 1e3],
  ['p99.9 response (ms)', 'p999Response', 1e3],
  ['throughput (/s)', 'throughput', 1],
  ['arrival rate (/s)', 'arrivalRate', 1],
  ['drop fraction', 'dropFraction', 1],
  ['mean queue length', 'meanQueueLength', 1],
  ['mean in system', 'meanInSystem', 1],
];

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function formatText(s: SimulationScenario, summary: SimSummary, slo: SloVerdict | null): string {
  const out: string[] = [];
  const names = Object.keys(summary.stations);
  out.push(
    `${s.file}${s.name ? ` (${s.name})` : ''}: ${summary.replicas} replica(s), seed ${summary.seed}, ` +
      `${fmt(summary.measuredTime.mean)} s measured per replica; mean ± 95% CI half-width`,
  );
  if (summary.intervalNote) out.push(`note: ${summary.intervalNote}`);
  out.push('');
  const header = ['metric', ...names, 'end to end'];
  const rows: string[][] = ROWS.map(([label, key, scale]) => [
    label,
    ...names.map((n) => pm(summary.stations[n]![key], scale)),
    pm(summary.endToEnd[key], scale),
  ]);
  rows.push(['offered utilization', ...names.map((n) => pm(summary.stations[n]!.offeredUtilization)), '']);
  const countKeys = ['arrived', 'completed', 'dropped', 'timedOut', 'retries', 'inFlight'] as const;
  for (const k of countKeys) {
    rows.push([`${k} (total)`, ...names.map((n) => String(summary.stations[n]!.counts[k])), String(summary.endToEnd.counts[k])]);
  }
  out.push(table(header, rows));
  const e = summary.endToEnd;
  out.push('');
  out.push(`errors ${pm(e.errorFraction)}, timeouts ${pm(e.timeoutFraction)}, attempts per request ${pm(e.amplification)}`);
  if (slo) {
    const verdict = slo.met === null ? '' : slo.met ? ` — target ${pct(slo.target!)}: met` : ` — target ${pct(slo.target!)}: NOT MET`;
    const half = (slo.attainment.ci95[1] - slo.attainment.ci95[0]) / 2;
    out.push(`SLO: ${pct(slo.attainment.mean)} ± ${Number((half * 100).toPrecision(2))}% of requests within ${ms(slo.latency)} ms${verdict}`);
  }
  if (summary.series && summary.series.t.length > 0) out.push('', formatSeries(summary.series));
  if (summary.unstable) {
    const u = summary.unstable;
    const bar = '!'.repeat(78);
    out.push(
      '',
      bar,
      `!! UNSTABLE: the offered load exceeds capacity; ${u.replicasStopped} of ${summary.replicas} replica(s) stopped early.`,
      `!! bottleneck: ${u.bottleneck}, offered utilisation ${u.offeredUtilization.toFixed(3)} (≥ 1 cannot keep up)`,
      `!! requests in flight grew by ${fmt(u.queueGrowthPerSecond)}/s; stopped at t = ${fmt(u.stoppedAt)} s with ${u.inFlight} in flight`,
      '!! the figures above describe a bounded run, not a steady state: add capacity or reduce the load.',
      bar,
    );
  }
  return `${out.join('\n')}\n`;
}

/** A compact per-interval table: end-to-end rates and latency, utilisation per station, nodes where they change. */
function formatSeries(series: SeriesResult): string {
  const iv = series.interval;
  const minutes = iv >= 60;
  const scaled = series.stations.filter((st) => Math.min(...st.nodes) !== Math.max(...st.nodes));
  const header = [
    `t (${minutes ? 'min' : 's'})`,
    'arrivals/s',
    'failures/s',
    'mean resp (ms)',
    'in flight',
    ...series.stations.map((st) => `${st.name} util`),
    ...scaled.map((st) => `${st.name} nodes`),
  ];
  const e = series.endToEnd;
  const rows = series.t.map((t, k) => [
    String(Number((minutes ? t / 60 : t).toFixed(2))),
    fmt(e.arrivals[k]! / iv),
    fmt(e.failures[k]! / iv),
    fmt(e.meanResponse[k]! * 1e3),
    fmt(e.inFlight[k]!),
    ...series.stations.map((st) => (Number.isNaN(st.utilization[k]!) ? '–' : st.utilization[k]!.toFixed(3))),
    ...scaled.map((st) => st.nodes[k]!.toFixed(1)),
  ]);
  return `per interval of ${fmt(iv)} s (mean over replicas; t is the end of the interval):\n${table(header, rows)}`;
}

/** The series as CSV: one row per interval, t in seconds, counts per interval, times in seconds. */
function seriesCsv(series: SeriesResult): string {
  const cols: Array<[string, readonly number[]]> = [
    ['t_s', series.t],
    ['endToEnd.arrivals', series.endToEnd.arrivals],
    ['endToEnd.completions', series.endToEnd.completions],
    ['endToEnd.failures', series.endToEnd.failures],
    ['endToEnd.meanResponse_s', series.endToEnd.meanResponse],
    ['endToEnd.inFlight', series.endToEnd.inFlight],
  ];
  for (const st of series.stations) {
    cols.push(
      [`${st.name}.arrivals`, st.arrivals],
      [`${st.name}.completions`, st.completions],
      [`${st.name}.drops`, st.drops],
      [`${st.name}.utilization`, st.utilization],
      [`${st.name}.meanQueueLength`, st.meanQueueLength],
      [`${st.name}.meanResponse_s`, st.meanResponse],
      [`${st.name}.nodes`, st.nodes],
    );
  }
  const lines = [cols.map(([h]) => h).join(',')];
  for (let k = 0; k < series.t.length; k++) lines.push(cols.map(([, v]) => (Number.isNaN(v[k]!) ? '' : String(v[k]))).join(','));
  return `${lines.join('\n')}\n`;
}
