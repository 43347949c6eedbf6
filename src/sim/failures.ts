/**
 * Failures as the model runs them: which (station, node) pairs a compiled failure affects, when its events fire, and
 * what a degraded window does to service times. What a node going down does to the requests it holds is part of the
 * request path (Simulation.nodeDown, in simulation.ts).
 *
 * Random failures alternate exponential up and down times, mean `mtbf` and `mttr` (an alternating renewal process:
 * the long-run share of time down is mttr / (mtbf + mttr)); failure draws use their own stream.
 */
import type { Rng } from '../rng.js';
import type { Engine } from './engine.js';
import { URGENT } from './event-heap.js';
import { EV_DEGRADE_OFF, EV_DEGRADE_ON, EV_FAIL, EV_RANDOM_FAIL, EV_REPAIR } from './event-kinds.js';
import type { Station } from './station.js';

/** A compiled failure: which (station, node) pairs it affects. */
export interface CompiledFailure {
  readonly kind: 'down' | 'random' | 'degraded';
  readonly stations: Int32Array;
  readonly nodes: Int32Array;
  readonly mtbf: number;
  readonly mttr: number;
  readonly slowdown: number;
}

/** An exponential duration of mean `mean` seconds: −mean · ln U, U uniform on (0, 1) from `rng` (inverse transform). */
export function exponentialDuration(mean: number, rng: Rng): number {
  return -mean * Math.log(rng.nextOpen());
}

/** Schedule the first failure of every node of every random failure, in failure order then node order. */
export function scheduleRandomFailures(engine: Engine, failures: readonly CompiledFailure[], rng: Rng): void {
  failures.forEach((f, i) => {
    if (f.kind === 'random') {
      for (let k = 0; k < f.nodes.length; k++) {
        engine.scheduleAt(EV_RANDOM_FAIL, exponentialDuration(f.mtbf, rng), i, k, URGENT);
      }
    }
  });
}

/** Schedule failure `index`'s fixed window [at, at + duration) (node-down, zone-down, degraded). */
export function scheduleFailureWindow(engine: Engine, f: CompiledFailure, index: number, at: number, duration: number): void {
  const on = f.kind === 'degraded' ? EV_DEGRADE_ON : EV_FAIL;
  const off = f.kind === 'degraded' ? EV_DEGRADE_OFF : EV_REPAIR;
  engine.scheduleAt(on, at, index, 0, URGENT);
  engine.scheduleAt(off, at + duration, index, 0, URGENT);
}

/**
 * A degraded window opens (`on`) or closes: each affected node's slowdown factor is multiplied or divided by the
 * failure's, so overlapping windows compose and each undoes only its own factor.
 */
export function degradeNodes(f: CompiledFailure, stations: readonly Station[], on: boolean): void {
  for (let k = 0; k < f.nodes.length; k++) {
    const st = stations[f.stations[k] as number] as Station;
    const n = f.nodes[k] as number;
    st.slowdown[n] = on ? st.slowdown[n]! * f.slowdown : st.slowdown[n]! / f.slowdown;
  }
}
