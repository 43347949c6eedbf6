import { createRng } from '../rng.js';
import { schedule } from '../validate/schedule.js';

/**
 * The intended send times of a drill's new requests, seconds from its start: `validate`'s schedule (schedule.ts:
 * Poisson conditioned on its count, or evenly spaced) over [0, duration) from the drill's seed. The generator sends
 * exactly these, and the simulator replays exactly these (a trace), so the prediction is conditioned on the arrivals
 * that really came: a Poisson count over the 8 s of a fault wanders by ±3% (one standard deviation of 960 is 31), and
 * near a tipping point every extra request adds to the backlog one for one.
 */
export function drillSchedule(kind: 'poisson' | 'uniform', ratePerSec: number, duration: number, seed: number): Float64Array {
  return schedule(kind, ratePerSec * duration, 0, duration, createRng(seed, 0x0be7, 0));
}
