/**
 * Per-interval series for charts: at each sample event, the differences of the counters and time integrals since the
 * previous sample. Allocates once per interval (a snapshot), never per event.
 */
import { div } from './div.js';
import type { Simulation } from './simulation.js';
import {
  E2E_ARRIVED,
  E2E_COMPLETED,
  E2E_FAILED,
  E2E_RESP_SUM,
  STATION_ARRIVED,
  STATION_BUSY_AREA,
  STATION_CAP_AREA,
  STATION_DONE,
  STATION_DROPPED,
  STATION_FIELDS,
  STATION_NODES_AREA,
  STATION_QUEUE_AREA,
  STATION_RESP_COUNT,
  STATION_RESP_SUM,
  type Snapshot,
} from './snapshot.js';
import type { SeriesResult, SimSpec } from './types.js';

/** Per-interval series from successive snapshots (allocates once per interval, not per event). */
export class SeriesRecorder {
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
      const o = i * STATION_FIELDS;
      this.prev.st[o + STATION_RESP_SUM]! -= s.respHist.sum;
      this.prev.st[o + STATION_RESP_COUNT]! -= s.respHist.count;
    });
    this.prev.e2e[E2E_RESP_SUM]! -= sim.e2eHist.sum;
  }

  sample(sim: Simulation): void {
    const now = sim.engine.now;
    sim.advanceAll(now);
    const cur = sim.snapshot();
    const p = this.prev;
    const dt = now - p.t;
    this.t.push(now);
    sim.stations.forEach((_, i) => {
      const o = i * STATION_FIELDS;
      const d = (k: number): number => cur.st[o + k]! - p.st[o + k]!;
      const out = this.st[i]!;
      out.arrivals.push(d(STATION_ARRIVED));
      out.completions.push(d(STATION_DONE));
      out.drops.push(d(STATION_DROPPED));
      out.utilization.push(div(d(STATION_BUSY_AREA), d(STATION_CAP_AREA)));
      out.meanQueueLength.push(div(d(STATION_QUEUE_AREA), dt));
      out.meanResponse.push(div(d(STATION_RESP_SUM), d(STATION_RESP_COUNT)));
      out.nodes.push(div(d(STATION_NODES_AREA), dt));
    });
    const e = (k: number): number => cur.e2e[k]! - p.e2e[k]!;
    this.e2e.arrivals.push(e(E2E_ARRIVED));
    this.e2e.completions.push(e(E2E_COMPLETED));
    this.e2e.failures.push(e(E2E_FAILED));
    this.e2e.meanResponse.push(div(e(E2E_RESP_SUM), e(E2E_COMPLETED)));
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
