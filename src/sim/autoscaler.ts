/**
 * Horizontal autoscaling of one station, by the Kubernetes HPA rule
 * (https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/, "Algorithm details"):
 * desired = ceil(current × utilisation / target), clamped to [minNodes, maxNodes]; no tolerance band.
 * Utilisation is measured over the last evaluation interval (busy worker-time / worker capacity up, capped at 1).
 * Scale-up orders nodes that serve `scaleUpDelay` seconds later; scale-down removes the last nodes at once (they take no
 * new work and finish what they hold); no decision within `cooldown` seconds of the previous one. The model
 * (simulation.ts) owns the events: it calls `evaluate` every interval and `ready` when ordered nodes arrive.
 */
import type { Station } from './station.js';
import type { AutoscalingSpec } from './types.js';

export class Autoscaler {
  /** Nodes ordered and not yet serving. */
  private pending = 0;
  private lastDecision = -Infinity;
  private lastBusy = 0;
  private lastCap = 0;

  constructor(
    readonly spec: AutoscalingSpec,
    private readonly st: Station,
  ) {}

  /** Decide at `now`. Returns how many nodes to order (they serve after spec.scaleUpDelay); scales down itself. */
  evaluate(now: number): number {
    const a = this.spec;
    const st = this.st;
    st.advance(now);
    const dBusy = st.busyArea - this.lastBusy;
    const dCap = st.capArea - this.lastCap;
    this.lastBusy = st.busyArea;
    this.lastCap = st.capArea;
    const u = dCap > 0 ? Math.min(1, dBusy / dCap) : st.waiting > 0 ? 1 : 0;
    if (now - this.lastDecision < a.cooldown) return 0;
    const current = st.activeCount;
    const desired = Math.min(a.maxNodes, Math.max(a.minNodes, Math.ceil((current * u) / a.targetUtilization - 1e-9)));
    if (desired > current + this.pending) {
      const add = desired - current - this.pending;
      this.pending += add;
      this.lastDecision = now;
      return add;
    }
    if (desired < current && this.pending === 0) {
      for (let k = current - 1; k >= desired; k--) st.active[k] = 0;
      st.activeCount = desired;
      st.refreshUp(now);
      this.lastDecision = now;
    }
    return 0;
  }

  /** `add` ordered nodes start serving at `now`. Returns the index of the first of them (they are the next in line). */
  ready(add: number, now: number): number {
    const st = this.st;
    this.pending -= add;
    const from = st.activeCount;
    const to = Math.min(st.maxNodes, from + add);
    for (let k = from; k < to; k++) st.active[k] = 1;
    st.activeCount = to;
    st.refreshUp(now);
    return from;
  }
}
