import { parseDocument } from 'yaml';
import { z } from 'zod';
import type { Distribution } from '../model/distribution.js';
import type { ResourceModel, ServiceModel, UslParams } from '../model/resource-model.js';
import { inputError } from '../errors.js';
import { stationFromService } from '../sim/from-model.js';
import { simulate } from '../sim/runner.js';
import { decodeHistogram, percentileSeconds } from './histogram.js';
import { predictSteps } from './predict.js';
import { sentRate } from './knee.js';

/** The parts of validation.json that calibration reads (other fields are allowed and ignored). */
export const validationInputSchema = z.object({
  url: z.string(),
  steps: z
    .array(
      z.object({
        offeredRate: z.number({ error: 'a rate in requests/s' }),
        achievedRate: z.number(),
        p50: z.number({ error: 'a latency in seconds' }),
        p99: z.number({ error: 'a latency in seconds' }),
        succeeded: z.number().default(0),
        scheduled: z.number().default(0),
        duration: z.number().default(0),
        histogram: z.string().optional(),
      }),
    )
    .min(1, { error: 'at least one measured step' }),
  knee: z.object({ rate: z.number().nullable(), reason: z.string() }),
  saturationThroughput: z.number().nullable().default(null),
  saturationReached: z.boolean().default(false),
  usl: z.object({ lambda: z.number(), sigma: z.number(), kappa: z.number(), r2: z.number() }).nullable().default(null),
  prediction: z.object({ modelPath: z.string(), service: z.string(), nodes: z.number() }).nullable().default(null),
});
export type ValidationInput = z.output<typeof validationInputSchema>;

export interface CalibrationCheckStep {
  readonly offeredRate: number;
  readonly measured: { readonly p50: number; readonly p99: number };
  readonly predicted: { readonly p50: number; readonly p99: number };
  readonly p50Error: number;
  readonly p99Error: number;
  /** False for the knee step when steps below it exist: shown, not held to the tolerance (see compare.ts). */
  readonly checked: boolean;
}

export interface Calibration {
  readonly service: string;
  readonly nodes: number;
  readonly old: { readonly serviceTime: Distribution | undefined; readonly usl: UslParams | undefined; readonly latencyOffset: number | undefined };
  readonly new: { readonly serviceTime: Distribution | undefined; readonly usl: UslParams | undefined; readonly latencyOffset: number | undefined };
  /** Offered rates of the low-load steps the service time was fitted to. */
  readonly fittedTo: number[];
  /** Re-simulation with the calibrated model at every measured step at or below the knee; those below it are checked. */
  readonly check: { readonly tolerance: number; readonly steps: CalibrationCheckStep[]; readonly worstAbsError: number; readonly ok: boolean };
  /** The calibrated model file (the original YAML with the service's serviceTime and usl replaced). */
  readonly yaml: string;
}

const CV_GRID = [0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.45, 0.6, 0.8, 1, 1.3];

/** A low-load step as the fit reads it: p95 from its latency histogram when validation.json carries one. */
interface LowStep {
  readonly offeredRate: number;
  readonly scheduled: number;
  readonly duration: number;
  readonly p50: number;
  readonly p99: number;
  readonly p95: number | undefined;
}

async function simulatedPercentiles(service: ServiceModel, nodes: number, rate: number, seed: number): Promise<{ p50: number; p95: number; p99: number }> {
  const seconds = Math.max(20, 6000 / rate);
  const s = await simulate(
    {
      arrivals: [{ kind: 'poisson', rate }],
      stations: [stationFromService(service, nodes)],
      run: { stop: { kind: 'time', time: seconds + 2 }, warmup: { kind: 'time', time: 2 } },
    },
    { replicas: 2, seed, inProcess: true },
  );
  return { p50: s.endToEnd.p50Response.mean, p95: s.endToEnd.p95Response.mean, p99: s.endToEnd.p99Response.mean };
}

/**
 * The gamma service time and the fixed delay fitted to the low-load steps (see calibrateModel). With a measured
 * saturation throughput X the mean service time is c / X (utilisation law: at saturation the c workers are always
 * busy); the delay is what the low-load median has on top of the simulated one. Without it the mean comes from the
 * median alone and the delay is 0. The cv is the one whose simulated p50, p95 and p99 are closest to the measured
 * ones in the least-squares sense (relative errors): a low-load step of a few seconds has a few hundred requests, so
 * its p99 rests on two or three of them, and fitting to the worst error let that one figure decide; p95 (from the
 * step's histogram) has five times as many behind it.
 */
async function fitServiceTime(
  service: ServiceModel,
  nodes: number,
  low: readonly LowStep[],
  saturation: number | null,
  seed: number,
): Promise<{ serviceTime: Distribution; latencyOffset: number }> {
  const lowest = low[0]!;
  const servers = nodes * service.workersPerNode;
  const withTime = (serviceTime: Distribution): ServiceModel => ({ ...service, serviceTime, latencyOffset: 0 });
  let best: { mean: number; cv: number; offset: number; err: number } | undefined;
  for (const cv of CV_GRID) {
    let mean: number;
    let offset = 0;
    if (saturation !== null && saturation > 0) {
      mean = servers / saturation;
      const p = await simulatedPercentiles(withTime({ kind: 'gamma', mean, cv }), nodes, sentRate(lowest), seed);
      offset = Math.max(0, lowest.p50 - p.p50);
    } else {
      // Bisection on the mean: the simulated median grows with it.
      let lo = lowest.p50 * 0.3;
      let hi = lowest.p50 * 1.2;
      for (let i = 0; i < 14; i++) {
        const mid = (lo + hi) / 2;
        const p = await simulatedPercentiles(withTime({ kind: 'gamma', mean: mid, cv }), nodes, sentRate(lowest), seed);
        if (p.p50 > lowest.p50) hi = mid;
        else lo = mid;
      }
      mean = (lo + hi) / 2;
    }
    let err = 0;
    for (const s of low) {
      const p = await simulatedPercentiles(withTime({ kind: 'gamma', mean, cv }), nodes, sentRate(s), seed);
      const rel = (sim: number, measured: number) => ((sim + offset - measured) / measured) ** 2;
      err += rel(p.p50, s.p50) + rel(p.p99, s.p99) + (s.p95 !== undefined ? rel(p.p95, s.p95) : 0);
    }
    if (!best || err < best.err) best = { mean, cv, offset, err };
  }
  return { serviceTime: { kind: 'gamma', mean: best!.mean, cv: best!.cv }, latencyOffset: best!.offset };
}

/**
 * Fit the service-time distribution of one service from the latencies measured at low load: a gamma distribution
 * (mean m, coefficient of variation cv) plus a fixed delay outside the capacity (`latencyOffset`: loopback HTTP,
 * network). Measured latency is delay + queueing + service, so the fit goes through the simulator. When the run
 * reached saturation, m = c / X_sat (the utilisation law: c workers always busy at the plateau X_sat), and for each cv of
 * a grid the delay is the measured low-load median minus the simulated one; without saturation the delay is 0 and m is
 * found by bisection so that the simulated median matches. The cv kept is the one whose p50, p95 and p99 are closest
 * (least squares of the relative errors) over the low-load steps (utilisation ≤ 50%, at or below the knee: the rate sent over the measured saturation
 * throughput, or without one rate × median latency / servers; at least the two lowest steps). A service described by
 * its USL alone keeps that description: its curve is replaced by the fit to the run's concurrency sweep.
 * The result is checked by re-simulating every step below the knee (predict.ts) against `tolerance`;
 * the knee step is re-simulated and shown too but not held to it (compare.ts says why), unless no step is below it.
 */
export async function calibrateModel(options: {
  readonly validation: ValidationInput;
  readonly model: ResourceModel;
  readonly modelText: string;
  readonly modelPath: string;
  readonly service: ServiceModel;
  readonly nodes: number;
  readonly tolerance: number;
  readonly seed: number;
  /** A line added to the service's description, e.g. where and when the calibration was measured. */
  readonly note: string;
}): Promise<Calibration> {
  const { validation: v, service, nodes } = options;
  if (service.requestClasses.length > 0) {
    throw inputError(options.modelPath, `service ${service.name} has request classes; calibrate fits services described by serviceTime or usl`);
  }
  const knee = v.knee.rate;
  const below = v.steps.filter((s) => knee !== null && s.offeredRate <= knee && Number.isFinite(s.p50) && s.p50 > 0).sort((a, b) => a.offeredRate - b.offeredRate);
  if (below.length === 0) throw inputError(options.modelPath, 'the validation run has no step at or below a knee to calibrate from (validation.json knee.rate is null)');
  const servers = nodes * service.workersPerNode;
  const saturation = v.saturationReached ? v.saturationThroughput : null;
  // Utilisation of a step: by the utilisation law U = X / X_max when the run measured the plateau X_max; otherwise
  // rate × median latency / servers, an upper bound (the median includes the delay outside the service).
  const utilisation = (s: (typeof below)[number]): number =>
    saturation !== null && saturation > 0 ? sentRate(s) / saturation : (sentRate(s) * s.p50) / servers;
  // One step gives the latency at one load only, which a wide range of (cv, delay) pairs match; the shape of the
  // latency curve needs two. So at least the two lowest steps at or below the knee, even if the second is just over 50%.
  let low = below.filter((s) => utilisation(s) <= 0.5);
  if (low.length < 2) low = below.slice(0, Math.min(2, below.length));

  // The model says how the service is described; calibration keeps that description. A service described by its USL
  // curve alone (contention: a lock, a shared resource) gets the curve fitted to the sweep; a gamma service time on c
  // independent workers could not express the lock.
  const uslOnly = service.serviceTime === undefined;
  // The model schema takes sigma < 1 (a fit bounded at 1 means no scaling at all from N = 1 on).
  const usl: UslParams | undefined = v.usl ? { lambda: v.usl.lambda, sigma: Math.min(v.usl.sigma, 0.999), kappa: v.usl.kappa } : service.usl;
  if (uslOnly && !v.usl) {
    throw inputError(options.modelPath, `service ${service.name} is described by usl only; calibrating it needs a concurrency sweep (validate --concurrency 1,2,4,...)`);
  }
  const lowSteps: LowStep[] = low.map((s) => ({ ...s, p95: p95Of(s.histogram) }));
  const fit = uslOnly ? undefined : await fitServiceTime(service, nodes, lowSteps, saturation, options.seed);
  const serviceTime = fit?.serviceTime;
  const latencyOffset = fit ? fit.latencyOffset : service.latencyOffset;
  const calibrated: ServiceModel = { ...service, serviceTime, usl, latencyOffset };

  const pred = await predictSteps({
    model: options.model,
    service: calibrated,
    nodes,
    rates: below.map((s) => s.offeredRate),
    simulateAt: below.map((s) => sentRate(s)),
    sloP99: 60,
    seed: options.seed,
    simulatedSeconds: 60,
  });
  const anyBelow = below.some((s) => s.offeredRate < knee!);
  const steps: CalibrationCheckStep[] = below.map((s, i) => {
    const p = pred.steps[i]!;
    return {
      offeredRate: s.offeredRate,
      measured: { p50: s.p50, p99: s.p99 },
      predicted: { p50: p.p50, p99: p.p99 },
      p50Error: (p.p50 - s.p50) / s.p50,
      p99Error: (p.p99 - s.p99) / s.p99,
      checked: s.offeredRate < knee! || !anyBelow,
    };
  });
  const worst = Math.max(...steps.filter((s) => s.checked).flatMap((s) => [Math.abs(s.p50Error), Math.abs(s.p99Error)]));

  const doc = parseDocument(options.modelText);
  const idx = options.model.services.findIndex((s) => s.name === service.name);
  if (serviceTime?.kind === 'gamma') {
    doc.setIn(['services', idx, 'serviceTime'], doc.createNode({ distribution: 'gamma', mean: `${(serviceTime.mean * 1000).toFixed(3)}ms`, cv: round4(serviceTime.cv) }, { flow: true }));
  }
  if (fit) doc.setIn(['services', idx, 'latencyOffset'], `${(fit.latencyOffset * 1000).toFixed(3)}ms`);
  if (usl) doc.setIn(['services', idx, 'usl'], doc.createNode({ lambda: round4(usl.lambda), sigma: round4(usl.sigma), kappa: Number(usl.kappa.toPrecision(4)) }, { flow: true }));
  const desc = service.description ? `${service.description}; ${options.note}` : options.note;
  doc.setIn(['services', idx, 'description'], desc);

  return {
    service: service.name,
    nodes,
    old: { serviceTime: service.serviceTime, usl: service.usl, latencyOffset: service.latencyOffset },
    new: { serviceTime, usl, latencyOffset },
    fittedTo: low.map((s) => s.offeredRate),
    check: { tolerance: options.tolerance, steps, worstAbsError: worst, ok: worst <= options.tolerance },
    yaml: doc.toString({ lineWidth: 0 }),
  };
}

/** The p95 of a step's recorded histogram, seconds; undefined when there is none or it cannot be decoded (then the fit uses p50 and p99). */
function p95Of(histogram: string | undefined): number | undefined {
  if (histogram === undefined) return undefined;
  try {
    const p = percentileSeconds(decodeHistogram(histogram), 95);
    return Number.isFinite(p) && p > 0 ? p : undefined;
  } catch {
    return undefined;
  }
}

function round4(x: number): number {
  return Number(x.toPrecision(4));
}

/** Text form of a distribution for the side-by-side table: "deterministic 5 ms", "gamma mean 5.6 ms cv 0.12". */
export function describeDistribution(d: Distribution | undefined): string {
  if (!d) return '–';
  const ms = (s: number) => `${(s * 1000).toPrecision(3)} ms`;
  switch (d.kind) {
    case 'deterministic':
      return `deterministic ${ms(d.value)}`;
    case 'uniform':
      return `uniform ${ms(d.min)}..${ms(d.max)}`;
    case 'empirical':
      return `empirical (${d.samples.length} samples)`;
    case 'erlang':
      return `erlang mean ${ms(d.mean)} k ${d.k}`;
    case 'pareto':
      return `pareto mean ${ms(d.mean)} alpha ${d.alpha}`;
    case 'exponential':
      return `exponential mean ${ms(d.mean)}`;
    default:
      return `${d.kind} mean ${ms(d.mean)} cv ${d.cv.toPrecision(3)}`;
  }
}
