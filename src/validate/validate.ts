import type { ResourceModel } from '../model/resource-model.js';
import { checkFailed } from '../errors.js';
import { generatorWarnings, measureGeneratorCeiling, type GeneratorCeiling } from './ceiling.js';
import { runSweep } from './closed-loop.js';
import { compareWithModel, type Comparison } from './compare.js';
import { failureRate, findKnee, saturationThroughput, sentRate } from './knee.js';
import { pickServices, predictSteps, serviceCapacity, type ModelPrediction } from './predict.js';
import { preflight } from './preflight.js';
import { busyMachineWarning, sampleMachine, saturatedStepsWarning, type MachineState } from './machine.js';
import { checkBudget, checkRemote, type SafetyLimits } from './safety.js';
import { defaultStepSeconds, runSteps, type StepRepeat } from './steps.js';
import { fitUsl } from './usl-fit.js';
import type { ArrivalKind, Criteria, Knee, RequestTarget, StepResult, SweepPoint, UslFit } from './types.js';

/** Fractions of the expected capacity offered by default: two low-load steps, then up to and past saturation. */
export const DEFAULT_RATE_FRACTIONS = [0.25, 0.5, 0.7, 0.8, 0.9, 1.0, 1.15] as const;
export const DEFAULT_CONCURRENCY = [1, 2, 4, 8, 16] as const;
/** The default sweep doubles past 16 while throughput grows by 10% or more, up to this many connections. */
export const MAX_SWEEP_CONCURRENCY = 1024;
/** Derived rates are extended by this factor per step, at most EXTEND_MAX_STEPS times, while the service keeps up. */
export const EXTEND_FACTOR = 1.25;
export const EXTEND_MAX_STEPS = 8;

export interface ValidateOptions {
  readonly target: RequestTarget;
  /** Offered rates; absent = DEFAULT_RATE_FRACTIONS of the model's capacity, else of the sweep's peak throughput. */
  readonly rates?: readonly number[] | undefined;
  /** Measured seconds per step; absent = defaultStepSeconds(rate). */
  readonly stepSeconds?: number | undefined;
  readonly warmup?: number | undefined;
  readonly arrivals?: ArrivalKind | undefined;
  readonly criteria: Criteria;
  /** Closed-loop sweep concurrencies; absent = no sweep, unless neither rates nor a model say where to step. */
  readonly concurrency?: readonly number[] | undefined;
  readonly sweepSeconds?: number | undefined;
  readonly model?:
    | {
        readonly model: ResourceModel;
        readonly path: string;
        readonly service?: string | undefined;
        readonly nodes: number;
        readonly replicas?: number | undefined;
        readonly simulatedSeconds?: number | undefined;
        readonly workers?: number | undefined;
      }
    | undefined;
  /** Tolerance of the predicted knee (default 0.15). */
  readonly tolerance?: number | undefined;
  /** Measure the generator's ceiling first (default true), for `ceilingSeconds` (default 2). */
  readonly ceiling?: boolean | undefined;
  readonly ceilingSeconds?: number | undefined;
  /** A ceiling measured earlier in the same run (a scenario measures it once for all its endpoints). */
  readonly generator?: GeneratorCeiling | undefined;
  /** The machine's state sampled earlier in the same run (a scenario samples it once). */
  readonly machine?: MachineState | undefined;
  /** Skip the one-request check before load (the caller already made it). */
  readonly preflightDone?: boolean | undefined;
  readonly limits: SafetyLimits;
  readonly allowRemote: boolean;
  /** Per-request timeout, seconds. */
  readonly timeout: number;
  readonly maxInFlight: number;
  readonly seed: number;
  /** Run the whole ramp this many times (default 1); the knee is then reported as the range over the runs. */
  readonly repeat?: number | undefined;
  readonly onProgress?: ((line: string) => void) | undefined;
}

/** The knee of each of N runs of the ramp, and their range. */
export interface KneeRuns {
  readonly runs: number;
  /** Knee of each run, in the order run; null for a run where no step passed. */
  readonly knees: readonly (number | null)[];
  readonly min: number | null;
  readonly max: number | null;
  /** The run whose steps the report shows (the one with the median knee), 0-based. */
  readonly shown: number;
}

/** The `validation.json` document (rates in requests/s, times in seconds). */
export interface ValidationReport {
  readonly url: string;
  readonly method: string;
  readonly arrivals: ArrivalKind;
  readonly criteria: Criteria;
  readonly steps: StepResult[];
  /** Rates planned but not run (safety: the run stopped stepping up). */
  readonly skippedRates: number[];
  /** Rates run past the planned ones because the service still kept up (only when the rates were derived). */
  readonly extendedRates: number[];
  /** Steps measured again because they failed while a higher rate passed (see remeasureOutOfOrder in steps.ts). */
  readonly repeatedSteps: StepRepeat[];
  /** With `repeat` > 1: the knee of each run of the whole ramp and their range; null for a single run. */
  readonly kneeRuns: KneeRuns | null;
  readonly knee: Knee;
  readonly saturationThroughput: number | null;
  /** False when no step saturated: saturationThroughput is then only a lower bound. */
  readonly saturationReached: boolean;
  readonly sweep: SweepPoint[] | null;
  readonly usl: UslFit | null;
  /** The generator's ceiling on this machine, requests/s (closed loop against a trivial endpoint); null when skipped. */
  readonly generatorCeiling: number | null;
  readonly generator: GeneratorCeiling | null;
  /** This machine just before the load: cores, load average, share of the cores other processes kept busy. */
  readonly machine: MachineState;
  readonly warnings: string[];
  readonly prediction: (ModelPrediction & { readonly modelPath: string; readonly comparison: Comparison }) | null;
  readonly verdict: { readonly ok: boolean; readonly message: string };
}

function round(x: number): number {
  return x >= 100 ? Math.round(x) : Math.round(x * 10) / 10;
}

/**
 * Validate a live endpoint: preflight, the generator's ceiling, an optional closed-loop concurrency sweep (USL fit),
 * open-model steps at increasing rates (knee and saturation throughput), and with a resource model the predicted vs
 * measured comparison. Throws HeadroomError: exit 2 for a target that cannot be reached or a plan over the safety
 * limits, exit 1 when every request of the first step failed. The caller decides what a failed prediction means
 * (the CLI exits 1 when `verdict.ok` is false).
 */
export async function validateEndpoint(o: ValidateOptions): Promise<ValidationReport> {
  const say = o.onProgress ?? (() => {});
  const url = o.target.url;
  checkRemote(url, o.allowRemote);
  const warmup = o.warmup ?? 1;
  const arrivals = o.arrivals ?? 'poisson';
  const tolerance = o.tolerance ?? 0.15;
  const ceilingSeconds = o.ceilingSeconds ?? 2;
  const sweepSeconds = o.sweepSeconds ?? 2;

  const path = o.model ? pickServices(o.model.model, url, o.model.service, o.model.path) : undefined;
  const service = path?.[0];
  const concurrency = o.concurrency ?? (o.rates === undefined && service === undefined ? DEFAULT_CONCURRENCY : undefined);
  const stepLen = (r: number) => o.stepSeconds ?? defaultStepSeconds(r);
  const stepPhase = (r: number) => ({ requests: r * (stepLen(r) + warmup), seconds: stepLen(r) + warmup });
  // Time bound of the phases whose length is known now (the steps are checked again once their rates are known).
  // `before` is what the run spends before its steps; sweep points added by the extension below are counted in it.
  let before = (o.ceiling === false || o.generator ? 0 : ceilingSeconds + 0.5) + (concurrency ? concurrency.length * (sweepSeconds + 0.5) : 0);
  checkBudget([{ requests: 0, seconds: before }, ...(o.rates ?? []).map(stepPhase)], o.limits);

  if (o.preflightDone !== true) await preflight(o.target, o.timeout);
  // Before any load: how busy the machine already is (a neighbour's work would show up as the target's latency).
  const machine = o.machine ?? (await sampleMachine());

  let generator: GeneratorCeiling | null = o.generator ?? null;
  if (o.ceiling !== false && generator === null) {
    say(`measuring the generator's ceiling (${ceilingSeconds} s against a trivial endpoint)`);
    generator = await measureGeneratorCeiling({ duration: ceilingSeconds });
  }

  let sweep: SweepPoint[] | null = null;
  let usl: UslFit | null = null;
  if (concurrency) {
    sweep = await runSweep({
      target: o.target,
      concurrency,
      stepSeconds: sweepSeconds,
      timeout: o.timeout,
      onStep: (p, i) => say(`sweep ${i + 1}/${Math.max(i + 1, concurrency.length)}: N=${p.concurrency} → ${p.throughput.toFixed(1)}/s (closed loop)`),
      // The default sweep goes on doubling while throughput still grows (a service with many workers), in budget.
      extend:
        o.concurrency === undefined
          ? {
              maxConcurrency: MAX_SWEEP_CONCURRENCY,
              minGain: 0.1,
              fits: () => {
                if (before + sweepSeconds + 0.5 > o.limits.maxDuration) return false;
                before += sweepSeconds + 0.5;
                return true;
              },
            }
          : undefined,
    });
    if (sweep.every((p) => p.throughput === 0)) {
      throw checkFailed(`every request of the concurrency sweep to ${url.toString()} failed (${sweep[0]?.errors ?? 0} errors at N=${sweep[0]?.concurrency})`);
    }
    try {
      usl = fitUsl(sweep);
    } catch {
      usl = null;
    }
  }

  let rates = o.rates;
  if (rates === undefined) {
    const basis = path ? Math.min(...path.map((s) => serviceCapacity(s, o.model!.nodes))) : Math.max(...(sweep ?? []).map((p) => p.throughput));
    rates = DEFAULT_RATE_FRACTIONS.map((f) => round(f * basis));
  }
  const runs = o.repeat ?? 1;
  const planned = checkBudget([{ requests: 0, seconds: before }, ...Array.from({ length: runs }, () => rates.map(stepPhase)).flat()], o.limits);
  let spent = { ...planned };
  // Derived rates may fall short of the real capacity: step on past them while the service keeps up, within the
  // budget and below half the generator's ceiling (past it the figures would measure the generator).
  // Not with --repeat: every run steps through the same rates, all of them inside the budget checked above.
  const extend =
    o.rates === undefined && runs === 1
      ? {
          factor: EXTEND_FACTOR,
          maxSteps: EXTEND_MAX_STEPS,
          fits: (rate: number): string | null => {
            const p = stepPhase(rate);
            if (generator && rate > 0.5 * generator.requestsPerSecond) {
              return `the next step (${rate}/s) would pass half the generator's ceiling (${generator.requestsPerSecond.toFixed(0)}/s)`;
            }
            if (spent.seconds + p.seconds > o.limits.maxDuration) return `the next step (${rate}/s) would pass --max-duration ${o.limits.maxDuration} s`;
            if (spent.requests + p.requests > o.limits.maxRequests) return `the next step (${rate}/s) would pass --max-requests ${o.limits.maxRequests}`;
            spent = { seconds: spent.seconds + p.seconds, requests: spent.requests + p.requests };
            return null;
          },
        }
      : undefined;

  const sorted = [...rates].sort((a, b) => a - b);
  const first = await runSteps({
    target: o.target,
    rates: sorted,
    stepSeconds: o.stepSeconds,
    warmup,
    arrivals,
    seed: o.seed,
    maxInFlight: o.maxInFlight,
    timeout: o.timeout,
    criteria: o.criteria,
    limits: o.limits,
    extend,
    onStepStart: (r, i, n) => say(`step ${i + 1}/${n}: ${r}/s for ${stepLen(r)} s (+${warmup} s warm-up)`),
    onStepDone: (s, i, n) =>
      say(`step ${i + 1}/${n}: ${s.offeredRate}/s → ${s.achievedRate.toFixed(1)}/s, p99 ${(s.p99 * 1000).toFixed(1)} ms, failed ${(failureRate(s) * 100).toFixed(1)}%`),
    onRepeat: (r, why) => say(`measuring ${r}/s again: it failed (${why}) while a higher rate passed`),
  });
  const lowest = first.steps[0];
  if (lowest && lowest.scheduled > 0 && lowest.succeeded === 0) {
    const codes = Object.entries(lowest.statusCodes).sort((a, b) => b[1] - a[1]);
    const what = codes.length > 0 ? `the most common answer was HTTP ${codes[0]![0]}` : `${lowest.errors} connection errors, ${lowest.timeouts} timeouts`;
    throw checkFailed(`every request to ${url.toString()} failed at ${lowest.offeredRate}/s (${lowest.scheduled} sent; ${what})`);
  }
  // --repeat N: the same ramp (the rates the first run ended with) N − 1 more times; the knee becomes a range.
  const outcomes = [first];
  for (let k = 1; k < runs; k++) {
    say(`run ${k + 1}/${runs} of the ramp`);
    outcomes.push(
      await runSteps({
        target: o.target,
        rates: first.steps.map((x) => x.offeredRate),
        stepSeconds: o.stepSeconds,
        warmup,
        arrivals,
        seed: o.seed + k,
        maxInFlight: o.maxInFlight,
        timeout: o.timeout,
        criteria: o.criteria,
        limits: o.limits,
        onRepeat: (r, why) => say(`measuring ${r}/s again: it failed (${why}) while a higher rate passed`),
      }),
    );
  }
  const knees = outcomes.map((x) => findKnee(x.steps, o.criteria).rate);
  // The run with the median knee (a run without a knee counts as the lowest) is the one shown step by step.
  const order = knees.map((kn, i) => ({ kn: kn ?? -Infinity, i })).sort((a, b) => a.kn - b.kn);
  const shown = order[Math.floor((order.length - 1) / 2)]!.i;
  const found = knees.filter((x): x is number => x !== null);
  const kneeRuns: KneeRuns | null =
    runs > 1 ? { runs, knees, min: found.length > 0 ? Math.min(...found) : null, max: found.length > 0 ? Math.max(...found) : null, shown } : null;
  const { steps, skipped, extended, extendStopped } = outcomes[shown]!;
  const repeats = outcomes.flatMap((x) => x.repeats);

  const knee = findKnee(steps, o.criteria);
  const sat = saturationThroughput(steps, o.criteria.minAchievedRatio);
  const warnings = generatorWarnings(sorted, generator, url.hostname);
  const busy = busyMachineWarning(machine);
  if (busy) warnings.unshift(busy);
  const saturated = saturatedStepsWarning(steps, machine.cores);
  if (saturated) warnings.splice(busy ? 1 : 0, 0, saturated);
  for (const r of repeats) {
    warnings.push(
      `the step at ${r.rate}/s failed (${r.firstFailure}) while a higher rate passed: measured ${r.measurements} times, ${r.passed} passed, so it counts as ${r.verdict}`,
    );
  }
  if (kneeRuns) {
    const text = kneeRuns.knees.map((x) => (x === null ? 'none' : `${x}/s`)).join(', ');
    warnings.push(`the knee over ${runs} runs of the ramp: ${kneeRuns.min === kneeRuns.max ? `${kneeRuns.min ?? 'none'}` : `${kneeRuns.min}/s to ${kneeRuns.max}/s`} (${text}); the steps shown are run ${shown + 1}'s`);
  }
  if (extended.length > 0) warnings.push(`the planned rates did not saturate the service: stepped on to ${extended.join(', ')}/s`);
  if (extendStopped !== null && !sat.reached) warnings.push(`no step saturated the service and stepping up stopped: ${extendStopped}`);
  for (const s of steps) {
    if (s.aborted) warnings.push(`the step at ${s.offeredRate}/s was stopped early: ${s.aborted}`);
    if (s.sendLagP99 > 0.005) warnings.push(`the sender fell behind its schedule at ${s.offeredRate}/s (p99 send lag ${(s.sendLagP99 * 1000).toFixed(1)} ms)`);
  }

  let prediction: ValidationReport['prediction'] = null;
  if (o.model && service) {
    say(`predicting ${steps.length} steps with the simulator (${o.model.path}, service ${path!.map((s) => s.name).join(' → ')})`);
    const p = await predictSteps({
      model: o.model.model,
      service,
      then: path!.slice(1),
      nodes: o.model.nodes,
      rates: steps.map((s) => s.offeredRate),
      // The model is asked about the load each step really sent (a short Poisson step sends a few % off its rate).
      simulateAt: steps.map((s) => sentRate(s)),
      sloP99: o.criteria.sloP99,
      seed: o.seed,
      ...(o.model.replicas !== undefined ? { replicas: o.model.replicas } : {}),
      ...(o.model.simulatedSeconds !== undefined ? { simulatedSeconds: o.model.simulatedSeconds } : {}),
      ...(o.model.workers !== undefined ? { workers: o.model.workers } : {}),
    });
    prediction = { ...p, modelPath: o.model.path, comparison: compareWithModel(steps, p, o.criteria, knee, sat, tolerance) };
  }

  return {
    url: url.toString(),
    method: o.target.method,
    arrivals,
    criteria: o.criteria,
    steps,
    skippedRates: skipped,
    extendedRates: extended,
    repeatedSteps: repeats,
    kneeRuns,
    knee,
    saturationThroughput: sat.value,
    saturationReached: sat.reached,
    sweep,
    usl,
    generatorCeiling: generator ? generator.requestsPerSecond : null,
    generator,
    machine,
    warnings,
    prediction,
    verdict: verdictOf(knee, prediction?.comparison ?? null, busy !== null || saturated !== null),
  };
}

/**
 * The one-line verdict. A failed check on a machine that was busy before the run or saturated during a step says so
 * in the verdict itself: the knee may be the machine's, not the service's.
 */
function verdictOf(knee: Knee, c: Comparison | null, contended: boolean): { ok: boolean; message: string } {
  const v = verdictText(knee, c);
  return v.ok || !contended ? v : { ok: false, message: `${v.message} — measured on a busy machine (warnings above): not to be trusted until rerun on a quiet one` };
}

function verdictText(knee: Knee, c: Comparison | null): { ok: boolean; message: string } {
  const kneeText = knee.rate === null ? 'no step met the criteria' : `knee at ${knee.rate}/s`;
  if (!c) return { ok: true, message: `${kneeText}; no model given, nothing to check` };
  if (c.kneeError === null) {
    return { ok: false, message: `${kneeText}; the model predicts ${c.predictedKnee.rate === null ? 'no knee' : `a knee at ${c.predictedKnee.rate}/s`}: cannot compare` };
  }
  const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
  const msg = `${kneeText}, predicted ${c.predictedKnee.rate}/s (${pct(c.kneeError)}, tolerance ±${(c.tolerance * 100).toFixed(0)}%)`;
  return c.kneeWithinTolerance ? { ok: true, message: `prediction holds: ${msg}` } : { ok: false, message: `prediction off: ${msg}` };
}
