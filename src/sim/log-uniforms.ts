/**
 * ln U for the successive draws U = rng.nextOpen() of one random stream, computed a block at a time.
 *
 * The event loop's commonest draws are exponential (Poisson arrivals, exponential and USL service times), each
 * `−mean · ln U`. Drawn in a block, the generator and Math.log run in one small loop, and the event loop only reads a
 * typed array: its compiled code no longer has to make room for the generator (V8 inlines a call only while the
 * caller's inlining budget lasts, and a call it does not inline returns a boxed double, a heap allocation per event).
 * The values, and their order, are exactly those of drawing one at a time, as long as the stream has no other use: a
 * stream gets a LogUniforms only when every draw from it is an exponential one (checked by the owner). Values left in
 * the block when a run ends are never used.
 */
import type { Rng } from '../rng.js';

export const LOG_BLOCK = 128;
const BLOCK = LOG_BLOCK;

/**
 * The event loop reads a value in place, `if (l.index === LOG_BLOCK) l.refill(); x = l.values[l.index++]`, rather
 * than through `next()`: a call that returns a double boxes it whenever V8 does not inline the call.
 */
export class LogUniforms {
  readonly values = new Float64Array(BLOCK);
  /** Position of the next unused value; LOG_BLOCK when the block is used up. */
  index = BLOCK;

  constructor(private readonly rng: Rng) {}

  /** ln U of the stream's next U = rng.nextOpen() (a negative number). */
  next(): number {
    if (this.index === BLOCK) this.refill();
    return this.values[this.index++] as number;
  }

  /** Draw the next block (index back to 0). */
  refill(): void {
    const rng = this.rng;
    const v = this.values;
    for (let k = 0; k < BLOCK; k++) v[k] = Math.log(rng.nextOpen());
    this.index = 0;
  }
}
