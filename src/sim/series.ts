/**
 * Per-interval series for charts: at each sample event, the differences of the counters and time integrals since the
 * previous sample. Allocates once per interval (a snapshot), never per event.
 */
import { div } from './results.js';
import { ST_FIELDS, type Simulation, type Snapshot } from './simulation.js';
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
