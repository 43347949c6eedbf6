/**
 * The end of a run → ReplicaResult: measured metrics over the window after warm-up (counter and area differences from
 * the snapshot taken when warm-up ended, divided by the window's length), counts over the whole run with "in flight"
 * counted from the pools, encoded histograms and the unstable report.
 */
import { encodedQuantile } from './histogram.js';
import { ST_FIELDS, type Simulation } from './simulation.js';
import type { SeriesRecorder } from './series.js';
import type { EndToEndResult, EncodedHistogram, ReplicaResult, SimSpec, StationResult } from './types.js';

/** a / b, or NaN when there is nothing to divide by (no time, no requests). */
export const div = (a: number, b: number): number => (b > 0 ? a / b : NaN);

/** Assemble the ReplicaResult of a finished run (time integrals already advanced to `end`). */
export function collect(sim: Simulation, spec: SimSpec, replicaIndex: number, seed: number, end: number, series: SeriesRecorder | null): ReplicaResult {
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
