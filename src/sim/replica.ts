/**
 * `runReplica(spec, replicaIndex, seed)`: one independent run of a SimSpec, returning plain data (ReplicaResult).
 *
 * Pure: no I/O, no clock; randomness only from `createRng(seed, replicaIndex, stream, ...)`, one stream per purpose
 * (arrivals per source, class mix, routing, client jitter, failures, service per station, balancer per station), so
 * the same (spec, replicaIndex, seed) gives bit-identical results on any machine and worker, and changing one part of
 * a model leaves the other streams' draws unchanged (common random numbers across what-if runs).
 */
import { createRng } from '../rng.js';
import { ArrivalSource } from './arrivals.js';
import { createSampler, type Sampler } from './distributions.js';
import { Engine } from './engine.js';
import { URGENT } from './event-heap.js';
import { compileFailures, compileRouting } from './compile-spec.js';
import { collect } from './results.js';
import { SeriesRecorder } from './series.js';
import { EV_SAMPLE, EV_WARMUP } from './event-kinds.js';
import { Simulation } from './simulation.js';
import { Station } from './station.js';
import type { ReplicaResult, RequestClassSpec, SimSpec } from './types.js';
import { validateSpec } from './validate-spec.js';

/** Random stream ids (second element of the stream path after the replica index). */
const S_ARRIVAL = 1;
const S_CLASS = 2;
const S_ROUTE = 3;
const S_CLIENT = 4;
const S_FAILURE = 5;
const S_SERVICE = 6;
const S_BALANCE = 7;

const DEFAULT_MAX_IN_FLIGHT = 100_000;

/**
 * Run one replica of `spec`. `loop: 'general'` keeps the run off the fast loop for simple models (Simulation.run), for
 * the tests that check both loops give the same results; it never changes a result.
 * @throws HeadroomError CONFIG_INVALID (exit 2) naming every inconsistent field of the spec.
 * @example
 * const r = runReplica({ arrivals: [{ kind: 'poisson', rate: 8 }],
 *   stations: [{ name: 'api', nodes: 1, workersPerNode: 1, serviceTime: { kind: 'exponential', mean: 0.1 },
 *                queue: 'per-node', balancer: 'round-robin' }],
 *   run: { stop: { kind: 'arrivals', arrivals: 1_000_000 }, warmup: { kind: 'arrivals', arrivals: 10_000 } } }, 0, 42);
 * r.stations[0].utilization; // ≈ 0.8 (M/M/1, ρ = λ/μ)
 * r.stations[0].meanResponse; // ≈ 0.5 s (1 / (μ − λ))
 */
export function runReplica(spec: SimSpec, replicaIndex: number, seed: number, loop: 'auto' | 'general' = 'auto'): ReplicaResult {
  validateSpec(spec);
  const classes: readonly RequestClassSpec[] = spec.classes !== undefined && spec.classes.length > 0 ? spec.classes : [{ name: 'default', weight: 1 }];
  const classIndex = new Map(classes.map((c, i) => [c.name, i]));
  const stationIndex = new Map(spec.stations.map((s, i) => [s.name, i]));

  const stations = spec.stations.map((s, i) => {
    const samplers: (Sampler | null)[] = classes.map((c) => {
      const d = c.serviceTime?.[s.name] ?? s.serviceTime;
      return d !== undefined ? createSampler(d) : null;
    });
    return new Station(s, samplers, createRng(seed, replicaIndex, S_SERVICE, i), createRng(seed, replicaIndex, S_BALANCE, i));
  });

  const sources = spec.arrivals.map((a, i) => new ArrivalSource(a, createRng(seed, replicaIndex, S_ARRIVAL, i), (n) => classIndex.get(n) ?? 0));
  const sourceClassCum = spec.arrivals.map((a) => {
    const w = classes.map((c) => (a.mix !== undefined ? (a.mix[c.name] ?? 0) : c.weight));
    const total = w.reduce((x, y) => x + y, 0);
    let acc = 0;
    const cum = Float64Array.from(w, (x) => (acc += x / total));
    cum[cum.length - 1] = 1;
    return cum;
  });

  // One routing table per class: the class's own, or the shared one.
  const shared = compileRouting(spec, stationIndex);
  const routings = classes.map((c) => (c.routing !== undefined ? compileRouting(spec, stationIndex, c.routing) : shared));
  const failures = compileFailures(spec, stations, stationIndex);

  const engine = new Engine(4096);
  const run = spec.run;
  const sim = new Simulation(engine, {
    stations,
    sources,
    sourceClassCum,
    routings,
    timeout: spec.client?.timeout ?? Infinity,
    retries: spec.client?.retries,
    failures,
    autoscaling: spec.stations.map((s) => s.autoscaling),
    warmupArrivals: run.warmup?.kind === 'arrivals' && run.warmup.arrivals > 0 ? run.warmup.arrivals : -1,
    stopArrivals: run.stop.kind === 'arrivals' ? run.stop.arrivals : -1,
    sloTarget: run.sloTarget ?? Infinity,
    maxInFlight: run.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
    rngClass: createRng(seed, replicaIndex, S_CLASS),
    rngRoute: createRng(seed, replicaIndex, S_ROUTE),
    rngClient: createRng(seed, replicaIndex, S_CLIENT),
    rngFailure: createRng(seed, replicaIndex, S_FAILURE),
  });

  if (run.warmup?.kind === 'time' && run.warmup.time > 0) engine.scheduleAt(EV_WARMUP, run.warmup.time, 0, 0, URGENT);
  else if (run.warmup === undefined || (run.warmup.kind === 'arrivals' ? run.warmup.arrivals === 0 : run.warmup.time === 0)) sim.beginMeasure();

  (spec.failures ?? []).forEach((f, i) => {
    if (f.kind !== 'random') sim.scheduleWindow(i, f.at, f.duration);
  });

  const series = run.seriesInterval !== undefined ? new SeriesRecorder(sim, run.seriesInterval) : null;
  if (series) {
    sim.sampleInterval = run.seriesInterval as number;
    sim.onSample = (s) => series.sample(s);
    sim.onMeasureStart = (s) => series.rebase(s);
    engine.scheduleAt(EV_SAMPLE, run.seriesInterval as number, 0, 0, URGENT);
  }

  sim.begin();
  sim.run(run.stop.kind === 'time' ? run.stop.time : Infinity, loop === 'auto');
  const end = engine.now;
  sim.advanceAll(end);
  return collect(sim, spec, replicaIndex, seed, end, series ? series.result(spec) : null);
}
