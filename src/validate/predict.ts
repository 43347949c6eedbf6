import type { ResourceModel, ServiceModel } from '../model/resource-model.js';
import { distributionMean } from '../model/distribution.js';
import { inputError } from '../errors.js';
import { mgcWait } from '../queueing/mgc.js';
import { responsePercentile } from '../queueing/latency.js';
import { serviceShape } from '../queueing/service-shape.js';
import { classesFromServices, stationFromService } from '../sim/from-model.js';
import { simulate } from '../sim/runner.js';
import type { SimSpec } from '../sim/types.js';
import { uslPeak, uslThroughput } from '../model/usl.js';

/** What the resource model predicts for one open-model step (Poisson arrivals at `offeredRate`). Seconds, requests/s. */
export interface StepPrediction {
  /** The step's nominal offered rate (its label). */
  readonly offeredRate: number;
  /** The Poisson rate simulated: the rate the measured step really sent when known, else the offered rate. */
  readonly simulatedRate: number;
  /** Simulated completions per second (min(offered, capacity) in steady state). */
  readonly achievedRate: number;
  /** Mean response time (wait + service), seconds. */
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  /** Utilisation of the busiest station. */
  readonly utilization: number;
  /** True when the simulated queue grew without bound (offered above capacity). */
  readonly unstable: boolean;
  /** The analytic path (M/G/c, Erlang C with Allen–Cunneen, src/plan): p50 and p99, Infinity above capacity; null for a USL-only service. */
  readonly analytic: { readonly p50: number; readonly p99: number } | null;
}

export interface ModelPrediction {
  readonly model: string;
  readonly service: string;
  readonly nodes: number;
  /** Analytic capacity: nodes × workers / mean service time (or the USL peak × nodes), requests/s. */
  readonly capacity: number;
  readonly steps: StepPrediction[];
  readonly replicas: number;
  readonly seed: number;
  /** Simulated seconds per replica and step (after warm-up). */
  readonly simulatedSeconds: number;
}

/**
 * The service of `model` that a URL exercises: the one named `name`; else the only service; else the service whose
 * name is the first path segment of the URL (`/cpu?ms=5` → `cpu`).
 */
export function pickService(model: ResourceModel, url: URL, name: string | undefined, where: string): ServiceModel {
  const names = model.services.map((s) => s.name);
  if (name !== undefined) {
    const s = model.services.find((x) => x.name === name);
    if (!s) throw inputError('--service', `expected one of the services of ${where} (${names.join(', ')}), got "${name}"`);
    return s;
  }
  if (model.services.length === 1) return model.services[0]!;
  const seg = url.pathname.split('/').filter(Boolean)[0] ?? '';
  const s = model.services.find((x) => x.name === seg);
  if (!s) {
    throw inputError('--service', `${where} has several services (${names.join(', ')}) and none is named after the URL path "${url.pathname}"; name one with --service`);
  }
  return s;
}

/**
 * The services a URL's requests visit, in order: `names` as a comma-separated list (`--service pool,lock`), each
 * resolved as by pickService; without names, the one service pickService finds.
 */
export function pickServices(model: ResourceModel, url: URL, names: string | undefined, where: string): ServiceModel[] {
  if (names === undefined || !names.includes(',')) return [pickService(model, url, names, where)];
  return names.split(',').map((n) => pickService(model, url, n.trim(), where));
}

/**
 * Capacity of `nodes` nodes of a service, requests/s: nodes × workers / E[S] (utilisation law); for a USL-only
 * service, nodes × X(n) with n the concurrency of peak throughput capped at the node's workers (a node never runs
 * more than `workersPerNode` requests at once, which is also how the simulator applies the curve).
 */
export function serviceCapacity(service: ServiceModel, nodes: number): number {
  const mean = meanServiceTime(service);
  if (mean !== undefined) return (nodes * service.workersPerNode) / mean;
  const u = service.usl!;
  const nStar = uslPeak(u).peakConcurrency ?? Infinity;
  const w = service.workersPerNode;
  const n = Math.max(1, Math.min(w, nStar));
  // N* is rarely an integer: the best whole concurrency is one of its neighbours.
  const best = Math.max(uslThroughput(u, Math.min(w, Math.floor(n))), uslThroughput(u, Math.min(w, Math.ceil(n))));
  return nodes * best;
}

function meanServiceTime(service: ServiceModel): number | undefined {
  if (service.requestClasses.length > 0) return service.requestClasses.reduce((a, c) => a + c.weight * distributionMean(c.serviceTime), 0);
  return service.serviceTime ? distributionMean(service.serviceTime) : undefined;
}

/**
 * Predict every step with the simulator (`simulate`: R replicas of a station built by `stationFromService`,
 * Poisson arrivals at the step's rate, `simulatedSeconds` measured after a warm-up) and with the analytic M/G/c path.
 * Request classes of the service become the spec's classes, and the service's `latencyOffset` (a pure delay) is added
 * to every predicted latency. The prediction is the model's steady state; a measured
 * step is a finite window, which is why only steps below the knee are compared.
 */
export async function predictSteps(options: {
  readonly model: ResourceModel;
  readonly service: ServiceModel;
  /** Services a request visits after `service`, in order (a path through stations, e.g. a worker pool then a lock). */
  readonly then?: readonly ServiceModel[] | undefined;
  readonly nodes: number;
  readonly rates: readonly number[];
  /** Rates to simulate instead, one per entry of `rates` (the rates the measured steps really sent). */
  readonly simulateAt?: readonly number[] | undefined;
  readonly sloP99: number;
  readonly replicas?: number;
  readonly seed?: number;
  readonly workers?: number;
  readonly simulatedSeconds?: number;
}): Promise<ModelPrediction> {
  const { service, nodes } = options;
  const replicas = options.replicas ?? 4;
  const seed = options.seed ?? 1;
  const simulatedSeconds = options.simulatedSeconds ?? 60;
  const path = [service, ...(options.then ?? [])];
  const stations = path.map((s) => stationFromService(s, nodes));
  const merged = classesFromServices(path.map((s, i) => ({ station: stations[i]!.name, service: s })));
  const classes = merged.length > 0 ? merged : undefined;
  // The path completes no faster than its slowest station.
  const capacity = Math.min(...path.map((s) => serviceCapacity(s, nodes)));
  // The analytic M/G/c path is for one station.
  const shape = path.length === 1 ? serviceShape(service) : undefined;
  const mean = meanServiceTime(service);
  // A fixed delay outside the capacity (the model's latencyOffset) shifts every percentile.
  const offset = path.reduce((a, s) => a + (s.latencyOffset ?? 0), 0);
  const steps: StepPrediction[] = [];
  for (const [i, label] of options.rates.entries()) {
    const rate = options.simulateAt?.[i] ?? label;
    const warm = Math.max(5, Math.min(60, 2000 / rate));
    const spec: SimSpec = {
      arrivals: [{ kind: 'poisson', rate }],
      ...(classes ? { classes } : {}),
      stations,
      run: {
        stop: { kind: 'time', time: warm + simulatedSeconds },
        warmup: { kind: 'time', time: warm },
        sloTarget: options.sloP99,
        maxInFlight: Math.max(1000, Math.ceil(rate * 10)),
      },
    };
    const sum = await simulate(spec, { replicas, seed, ...(options.workers !== undefined ? { workers: options.workers } : {}) });
    const e = sum.endToEnd;
    let analytic: StepPrediction['analytic'] = null;
    if (shape && mean !== undefined) {
      const servers = nodes * service.workersPerNode;
      const w = mgcWait(servers, rate, mean, shape.scv);
      analytic = { p50: responsePercentile(w, shape, 0.5) + offset, p99: responsePercentile(w, shape, 0.99) + offset };
    }
    const unstable = sum.unstable !== null;
    steps.push({
      offeredRate: label,
      simulatedRate: rate,
      achievedRate: unstable ? Math.min(rate, capacity) : e.throughput.mean,
      mean: unstable ? Infinity : e.meanResponse.mean + offset,
      p50: unstable ? Infinity : e.p50Response.mean + offset,
      p95: unstable ? Infinity : e.p95Response.mean + offset,
      p99: unstable ? Infinity : e.p99Response.mean + offset,
      utilization: Math.max(...stations.map((st) => sum.stations[st.name]?.utilization.mean ?? NaN)),
      unstable,
      analytic,
    });
  }
  return { model: options.model.name, service: path.map((s) => s.name).join(','), nodes, capacity, steps, replicas, seed, simulatedSeconds };
}
