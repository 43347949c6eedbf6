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
import { encodedQuantile } from './histogram.js';
import { EV_SAMPLE, EV_WARMUP, ST_FIELDS, Simulation, type CompiledFailure, type CompiledRouting, type Snapshot } from './simulation.js';
import { Station } from './station.js';
import type { EndToEndResult, EncodedHistogram, ReplicaResult, SeriesResult, SimSpec, StationResult } from './types.js';
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
 * Run one replica of `spec`.
 * @throws HeadroomError CONFIG_INVALID (exit 2) naming every inconsistent field of the spec.
 * @example
 * const r = runReplica({ arrivals: [{ kind: 'poisson', rate: 8 }],
 *   stations: [{ name: 'api', nodes: 1, workersPerNode: 1, serviceTime: { kind: 'exponential', mean: 0.1 },
 *                queue: 'per-node', balancer: 'round-robin' }],
 *   run: { stop: { kind: 'arrivals', arrivals: 1_000_000 }, warmup: { kind: 'arrivals', arrivals: 10_000 } } }, 0, 42);
 * r.stations[0].utilization; // ≈ 0.8 (M/M/1, ρ = λ/μ)
 * r.stations[0].meanResponse; // ≈ 0.5 s (1 / (μ − λ))
 */
export function runReplica(spec: SimSpec, replicaIndex: number, seed: number): ReplicaResult {
  validateSpec(spec);
  const classes = spec.classes !== undefined && spec.classes.length > 0 ? spec.classes : [{ name: 'default', weight: 1, serviceTime: undefined }];
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

  const routing = compileRouting(spec, stationIndex);
  const failures = compileFailures(spec, stations, stationIndex);

  const engine = new Engine(4096);
  const run = spec.run;
  const sim = new Simulation(engine, {
    stations,
    sources,
    sourceClassCum,
    routing,
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
  engine.run(run.stop.kind === 'time' ? run.stop.time : Infinity, sim);
  const end = engine.now;
  sim.advanceAll(end);
  return collect(sim, spec, replicaIndex, seed, end, series);
}

function compileRouting(spec: SimSpec, stationIndex: Map<string, number>): CompiledRouting {
  const idx = (name: string): number => stationIndex.get(name) as number;
  const r = spec.routing ?? { kind: 'path' as const, stations: spec.stations.map((s) => s.name) };
  if (r.kind === 'path') {
    const n = r.stations.length;
    return {
      hopStation: Int32Array.from(r.stations, idx),
      hopNext: Int32Array.from(r.stations, (_, i) => (i + 1 < n ? i + 1 : -1)),
      branchStart: new Int32Array(n + 1),
      branchHop: new Int32Array(0),
      branchCum: new Float64Array(0),
      entryHop: Int32Array.of(0),
      entryCum: Float64Array.of(1),
    };
  }
  const ns = spec.stations.length;
  const hopNext = new Int32Array(ns);
  const branchStart = new Int32Array(ns + 1);
  const branchHop: number[] = [];
  const branchCum: number[] = [];
  spec.stations.forEach((s, i) => {
    branchStart[i] = branchHop.length;
    const list = (r.next[s.name] ?? []).filter((b) => b.p > 0);
    const sum = list.reduce((a, b) => a + b.p, 0);
    if (list.length === 0) hopNext[i] = -1;
    else if (list.length === 1 && sum >= 1 - 1e-12) hopNext[i] = idx(list[0]!.station);
    else {
      hopNext[i] = -2;
      let acc = 0;
      for (const b of list) {
        branchHop.push(idx(b.station));
        branchCum.push((acc += b.p));
      }
    }
  });
  branchStart[ns] = branchHop.length;
  const entry = r.entry.filter((b) => b.p > 0);
  let acc = 0;
  const entryCum = Float64Array.from(entry, (b) => (acc += b.p));
  if (entryCum.length > 0) entryCum[entryCum.length - 1] = 1;
  return {
    hopStation: Int32Array.from(spec.stations, (_, i) => i),
    hopNext,
    branchStart,
    branchHop: Int32Array.from(branchHop),
    branchCum: Float64Array.from(branchCum),
    entryHop: Int32Array.from(entry, (b) => idx(b.station)),
    entryCum,
  };
}

function compileFailures(spec: SimSpec, stations: Station[], stationIndex: Map<string, number>): CompiledFailure[] {
  return (spec.failures ?? []).map((f): CompiledFailure => {
    const base = { mtbf: 0, mttr: 0, slowdown: 1 };
    switch (f.kind) {
      case 'node-down':
        return { ...base, kind: 'down', stations: Int32Array.of(stationIndex.get(f.station) as number), nodes: Int32Array.of(f.node) };
      case 'degraded':
        return { ...base, kind: 'degraded', slowdown: f.slowdown, stations: Int32Array.of(stationIndex.get(f.station) as number), nodes: Int32Array.of(f.node) };
      case 'random': {
        const s = stationIndex.get(f.station) as number;
        const m = (stations[s] as Station).maxNodes;
        return { ...base, kind: 'random', mtbf: f.mtbf, mttr: f.mttr, stations: new Int32Array(m).fill(s), nodes: Int32Array.from({ length: m }, (_, i) => i) };
      }
      case 'zone-down': {
        const ss: number[] = [];
        const nn: number[] = [];
        spec.stations.forEach((st, s) => {
          const z = st.zones;
          if (z === undefined || z.length === 0) return;
          const m = (stations[s] as Station).maxNodes;
          for (let n = 0; n < m; n++) {
            if (z[n % z.length] === f.zone) {
              ss.push(s);
              nn.push(n);
            }
          }
        });
        return { ...base, kind: 'down', stations: Int32Array.from(ss), nodes: Int32Array.from(nn) };
      }
    }
  });
}

const div = (a: number, b: number): number => (b > 0 ? a / b : NaN);

function collect(sim: Simulation, spec: SimSpec, replicaIndex: number, seed: number, end: number, series: SeriesRecorder | null): ReplicaResult {
  const T = end - sim.measureStart;
  const start = sim.start;
  let busyW = 0;
  let capW = 0;
  let queueW = 0;
  const stations: StationResult[] = sim.stations.map((st, i) => {
    const o = i * ST_FIELDS;
    const s0 = start.st;
    const dArrived = st.arrived - s0[o]!;
    const dDone = st.completed + st.timedOut - s0[o + 1]!;
    const dDropped = st.dropped - s0[o + 2]!;
    const dBusy = st.busyArea - s0[o + 3]!;
    const dCap = st.capArea - s0[o + 4]!;
    const dQueue = st.queueArea - s0[o + 5]!;
    const dNodes = st.nodesArea - s0[o + 6]!;
    busyW += dBusy;
    capW += dCap;
    queueW += dQueue;
    const resp = st.respHist.encode();
    const wait = st.waitHist.encode();
    const arrivalRate = div(dArrived, T);
    const meanService = div(st.serviceSum, st.serviceCount);
    return {
      name: st.name,
      ...quantiles(resp),
      utilization: div(dBusy, dCap),
      meanWait: div(wait.sum, wait.count),
      throughput: div(dDone, T),
      dropFraction: div(dDropped, dArrived),
      meanQueueLength: div(dQueue, T),
      meanInSystem: div(dBusy + dQueue, T),
      arrivalRate,
      counts: {
        arrived: st.arrived,
        completed: st.completed,
        dropped: st.dropped,
        timedOut: st.timedOut,
        retries: st.retries,
        inFlight: sim.jobsAt(i),
        shed: st.shed,
      },
      responseHistogram: resp,
      waitHistogram: wait,
      meanNodes: div(dNodes, T),
      nodesAtEnd: st.upCount,
      offeredUtilization: div(arrivalRate * meanService, div(dCap, T)),
    };
  });

  const e0 = start.e2e;
  const dArrived = sim.e2eArrived - e0[0]!;
  const dCompleted = sim.e2eCompleted - e0[1]!;
  const dInFlightArea = sim.e2eInFlightArea - e0[4]!;
  const dJobs = sim.jobsCreated - e0[5]!;
  const dDropped = sim.e2eDropped - e0[6]!;
  const dTimedOut = sim.e2eTimedOut - e0[7]!;
  const dSlo = sim.e2eSloMet - e0[8]!;
  const resolved = dCompleted + dDropped + dTimedOut;
  const resp = sim.e2eHist.encode();
  const endToEnd: EndToEndResult = {
    ...quantiles(resp),
    utilization: div(busyW, capW),
    meanWait: div(sim.e2eWaitSum, resp.count),
    throughput: div(dCompleted, T),
    dropFraction: div(dDropped, dArrived),
    meanQueueLength: div(queueW, T),
    meanInSystem: div(dInFlightArea, T),
    arrivalRate: div(dArrived, T),
    counts: {
      arrived: sim.e2eArrived,
      completed: sim.e2eCompleted,
      dropped: sim.e2eDropped,
      timedOut: sim.e2eTimedOut,
      retries: sim.e2eRetries,
      inFlight: sim.liveRequests(),
      shed: 0,
    },
    responseHistogram: resp,
    sloAttainment: spec.run.sloTarget !== undefined ? div(dSlo, resolved) : NaN,
    errorFraction: div(dDropped + dTimedOut, resolved),
    timeoutFraction: div(dTimedOut, resolved),
    amplification: div(dJobs, dArrived),
  };

  let unstable: ReplicaResult['unstable'] = null;
  if (sim.unstableAt !== null) {
    let worst = 0;
    stations.forEach((s, i) => {
      if (!(s.offeredUtilization <= (stations[worst] as StationResult).offeredUtilization)) worst = i;
    });
    const w = stations[worst] as StationResult;
    unstable = {
      stoppedAt: sim.unstableAt[0],
      inFlight: sim.unstableAt[1],
      queueGrowthPerSecond: sim.unstableAt[2],
      utilizationEstimate: w.offeredUtilization,
      bottleneck: w.name,
    };
  }

  return {
    replicaIndex,
    seed,
    endTime: end,
    warmupEnd: sim.measureStart,
    measuredTime: T,
    events: sim.engine.events,
    stations,
    endToEnd,
    series: series ? series.result(spec) : null,
    unstable,
  };
}

function quantiles(h: EncodedHistogram): Pick<StationResult, 'meanResponse' | 'p50Response' | 'p95Response' | 'p99Response' | 'p999Response'> {
  return {
    meanResponse: div(h.sum, h.count),
    p50Response: encodedQuantile(h, 0.5),
    p95Response: encodedQuantile(h, 0.95),
    p99Response: encodedQuantile(h, 0.99),
    p999Response: encodedQuantile(h, 0.999),
  };
}

/** Per-interval series from successive snapshots (allocates once per interval, not per event). */
class SeriesRecorder {
  private prev: Snapshot;
  private readonly t: number[] = [];
  private readonly st: { arrivals: number[]; completions: number[]; drops: number[]; utilization: number[]; meanQueueLength: number[]; meanResponse: number[]; nodes: number[] }[];
  private readonly e2e = { arrivals: [] as number[], completions: [] as number[], failures: [] as number[], meanResponse: [] as number[], inFlight: [] as number[] };

  constructor(sim: Simulation, readonly interval: number) {
    this.prev = sim.snapshot();
    this.st = sim.stations.map(() => ({ arrivals: [], completions: [], drops: [], utilization: [], meanQueueLength: [], meanResponse: [], nodes: [] }));
  }

  /**
   * At the end of warm-up the histograms (whose running sums the series differences) are cleared: move the previous
   * snapshot's sums back by what is cleared, so the interval that spans the reset still gets its own sums.
   */
  rebase(sim: Simulation): void {
    sim.stations.forEach((s, i) => {
      const o = i * ST_FIELDS;
      this.prev.st[o + 7]! -= s.respHist.sum;
      this.prev.st[o + 8]! -= s.respHist.count;
    });
    this.prev.e2e[3]! -= sim.e2eHist.sum;
  }

  sample(sim: Simulation): void {
    const now = sim.engine.now;
    sim.advanceAll(now);
    const cur = sim.snapshot();
    const p = this.prev;
    const dt = now - p.t;
    this.t.push(now);
    sim.stations.forEach((_, i) => {
      const o = i * ST_FIELDS;
      const d = (k: number): number => cur.st[o + k]! - p.st[o + k]!;
      const out = this.st[i]!;
      out.arrivals.push(d(0));
      out.completions.push(d(1));
      out.drops.push(d(2));
      out.utilization.push(div(d(3), d(4)));
      out.meanQueueLength.push(div(d(5), dt));
      out.meanResponse.push(div(d(7), d(8)));
      out.nodes.push(div(d(6), dt));
    });
    const e = (k: number): number => cur.e2e[k]! - p.e2e[k]!;
    this.e2e.arrivals.push(e(0));
    this.e2e.completions.push(e(1));
    this.e2e.failures.push(e(2));
    this.e2e.meanResponse.push(div(e(3), e(1)));
    this.e2e.inFlight.push(sim.e2eInFlight);
    this.prev = cur;
  }

  result(spec: SimSpec): SeriesResult {
    return {
      interval: this.interval,
      t: this.t,
      stations: spec.stations.map((s, i) => ({ name: s.name, ...this.st[i]! })),
      endToEnd: this.e2e,
    };
  }
}
