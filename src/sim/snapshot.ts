/**
 * The snapshot: counters and time integrals copied at the start of the measured window and at each series sample, so
 * a measured figure is the difference of two snapshots divided by the time between them. The layout of the two
 * arrays is named here, and results.ts and series.ts read them by these names only.
 */
import type { Station } from './station.js';

// Per station, at offset (station index × STATION_FIELDS):
export const STATION_ARRIVED = 0;
/** Completed plus timed out (left a worker). */
export const STATION_DONE = 1;
export const STATION_DROPPED = 2;
/** ∫ busy workers dt. */
export const STATION_BUSY_AREA = 3;
/** ∫ available workers dt. */
export const STATION_CAP_AREA = 4;
/** ∫ waiting requests dt. */
export const STATION_QUEUE_AREA = 5;
/** ∫ active nodes dt. */
export const STATION_NODES_AREA = 6;
/** Running sum of the response histogram (cleared at the end of warm-up). */
export const STATION_RESP_SUM = 7;
/** Running count of the response histogram (cleared at the end of warm-up). */
export const STATION_RESP_COUNT = 8;
/** Fields per station. */
export const STATION_FIELDS = 9;

// End to end:
export const E2E_ARRIVED = 0;
export const E2E_COMPLETED = 1;
/** Dropped plus timed out, for good. */
export const E2E_FAILED = 2;
/** Running sum of the end-to-end response histogram (cleared at the end of warm-up). */
export const E2E_RESP_SUM = 3;
/** ∫ client requests in flight dt. */
export const E2E_IN_FLIGHT_AREA = 4;
export const E2E_JOBS_CREATED = 5;
export const E2E_DROPPED = 6;
export const E2E_TIMED_OUT = 7;
export const E2E_SLO_MET = 8;
/** End-to-end fields. */
export const E2E_FIELDS = 9;

/** Counters and areas at time `t`, in the layout above. */
export interface Snapshot {
  t: number;
  st: Float64Array;
  e2e: Float64Array;
}

/** The end-to-end counters a snapshot copies (the Simulation's fields). */
export interface EndToEndCounters {
  readonly e2eArrived: number;
  readonly e2eCompleted: number;
  readonly e2eDropped: number;
  readonly e2eTimedOut: number;
  readonly e2eInFlightArea: number;
  readonly e2eSloMet: number;
  readonly e2eHist: { readonly sum: number };
}

/** Copy the counters and areas at time `t` (the time integrals must have been advanced to `t`). */
export function takeSnapshot(t: number, stations: readonly Station[], e2e: EndToEndCounters, jobsCreated: number): Snapshot {
  const st = new Float64Array(stations.length * STATION_FIELDS);
  stations.forEach((x, i) => {
    const o = i * STATION_FIELDS;
    st[o + STATION_ARRIVED] = x.arrived;
    st[o + STATION_DONE] = x.completed + x.timedOut;
    st[o + STATION_DROPPED] = x.dropped;
    st[o + STATION_BUSY_AREA] = x.busyArea;
    st[o + STATION_CAP_AREA] = x.capArea;
    st[o + STATION_QUEUE_AREA] = x.queueArea;
    st[o + STATION_NODES_AREA] = x.nodesArea;
    st[o + STATION_RESP_SUM] = x.respHist.sum;
    st[o + STATION_RESP_COUNT] = x.respHist.count;
  });
  const e = new Float64Array(E2E_FIELDS);
  e[E2E_ARRIVED] = e2e.e2eArrived;
  e[E2E_COMPLETED] = e2e.e2eCompleted;
  e[E2E_FAILED] = e2e.e2eDropped + e2e.e2eTimedOut;
  e[E2E_RESP_SUM] = e2e.e2eHist.sum;
  e[E2E_IN_FLIGHT_AREA] = e2e.e2eInFlightArea;
  e[E2E_JOBS_CREATED] = jobsCreated;
  e[E2E_DROPPED] = e2e.e2eDropped;
  e[E2E_TIMED_OUT] = e2e.e2eTimedOut;
  e[E2E_SLO_MET] = e2e.e2eSloMet;
  return { t, st, e2e: e };
}
