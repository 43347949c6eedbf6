/**
 * The end of a run → ReplicaResult: measured metrics over the window after warm-up (counter and area differences from
 * the snapshot taken when warm-up ended, divided by the window's length), counts over the whole run with "in flight"
 * counted from the pools, encoded histograms and the unstable report.
 */
import { div } from './div.js';
import { encodedQuantile } from './histogram.js';
import type { Simulation } from './simulation.js';
import {
  E2E_ARRIVED,
  E2E_COMPLETED,
  E2E_DROPPED,
  E2E_IN_FLIGHT_AREA,
  E2E_JOBS_CREATED,
  E2E_SLO_MET,
  E2E_TIMED_OUT,
  STATION_ARRIVED,
  STATION_BUSY_AREA,
  STATION_CAP_AREA,
  STATION_DONE,
  STATION_DROPPED,
  STATION_FIELDS,
  STATION_NODES_AREA,
  STATION_QUEUE_AREA,
} from './snapshot.js';
import type { EndToEndResult, EncodedHistogram, ReplicaResult, SeriesResult, SimSpec, StationResult } from './types.js';

/** Assemble the ReplicaResult of a finished run (time integrals already advanced to `end`). */
export function collect(sim: Simulation, spec: SimSpec, replicaIndex: number, seed: number, end: number, series: SeriesResult | null): ReplicaResult {
  const T = end - sim.measureStart;
  const start = sim.start;
  let busyW = 0;
  let capW = 0;
  let queueW = 0;
  const stations: StationResult[] = sim.stations.map((st, i) => {
    const o = i * STATION_FIELDS;
    const s0 = start.st;
    const dArrived = st.arrived - s0[o + STATION_ARRIVED]!;
    const dDone = st.completed + st.timedOut - s0[o + STATION_DONE]!;
    const dDropped = st.dropped - s0[o + STATION_DROPPED]!;
    const dBusy = st.busyArea - s0[o + STATION_BUSY_AREA]!;
    const dCap = st.capArea - s0[o + STATION_CAP_AREA]!;
    const dQueue = st.queueArea - s0[o + STATION_QUEUE_AREA]!;
    const dNodes = st.nodesArea - s0[o + STATION_NODES_AREA]!;
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
  const dArrived = sim.e2eArrived - e0[E2E_ARRIVED]!;
  const dCompleted = sim.e2eCompleted - e0[E2E_COMPLETED]!;
  const dInFlightArea = sim.e2eInFlightArea - e0[E2E_IN_FLIGHT_AREA]!;
  const dJobs = sim.jobs.created - e0[E2E_JOBS_CREATED]!;
  const dDropped = sim.e2eDropped - e0[E2E_DROPPED]!;
  const dTimedOut = sim.e2eTimedOut - e0[E2E_TIMED_OUT]!;
  const dSlo = sim.e2eSloMet - e0[E2E_SLO_MET]!;
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

  return {
    replicaIndex,
    seed,
    endTime: end,
    warmupEnd: sim.measureStart,
    measuredTime: T,
    events: sim.engine.events,
    stations,
    endToEnd,
    series,
    unstable: instability(sim, stations, end, T, dArrived, dArrived - resolved),
  };
}

/**
 * Share of the measured window's arrivals that must still be in flight at the end, with a station offered at least
 * its capacity, for a run that was not stopped by the in-flight bound to count as unstable. A stable queue holds
 * λ·W requests (Little's law), a vanishing share of a long run's arrivals; an overloaded one keeps about 1 − 1/ρ of
 * them (the excess of arrivals over completions), 5% already at ρ = 1.05. A station whose finite queue or shedding
 * drops the excess stays bounded and is not flagged.
 */
export const OVERLOAD_BACKLOG_SHARE = 0.05;

/** The unstable report of a finished run, or null: computed once at the end, never per event. */
function instability(
  sim: Simulation,
  stations: readonly StationResult[],
  end: number,
  T: number,
  arrived: number,
  backlogGrowth: number,
): ReplicaResult['unstable'] {
  let worst = 0;
  stations.forEach((s, i) => {
    if (!(s.offeredUtilization <= (stations[worst] as StationResult).offeredUtilization)) worst = i;
  });
  const w = stations[worst] as StationResult;
  const bottleneck = {
    utilizationEstimate: w.offeredUtilization,
    bottleneck: w.name,
    offeredRatePerSec: w.arrivalRate,
    capacityPerSec: div(w.arrivalRate, w.offeredUtilization),
  };
  if (sim.unstableAt !== null) {
    return { stoppedAt: sim.unstableAt[0], inFlight: sim.unstableAt[1], queueGrowthPerSecond: sim.unstableAt[2], ...bottleneck, stoppedEarly: true };
  }
  const inFlight = sim.liveRequests();
  const overloaded = w.offeredUtilization >= 1 && inFlight > 0 && inFlight >= OVERLOAD_BACKLOG_SHARE * arrived && backlogGrowth > 0;
  if (!overloaded) return null;
  return { stoppedAt: end, inFlight, queueGrowthPerSecond: div(backlogGrowth, T), ...bottleneck, stoppedEarly: false };
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
