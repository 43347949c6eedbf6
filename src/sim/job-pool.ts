/**
 * The job pool: every attempt travelling through the stations is an integer id into struct-of-arrays typed arrays
 * (hop, station, node, class, client, arrival time at the station, birth, accumulated wait, state, flags, generation
 * tag), never an object, so the event loop allocates nothing per request. Ids come from a free stack; the arrays
 * grow by doubling up to the largest backlog and then stay. An id's generation tag goes up each time it is released,
 * and events carry the tag they were scheduled with, so an event for a job released since (lost with a failed node)
 * is recognised as stale when it fires instead of being removed from the heap.
 *
 * The fields are public on purpose: the general request path (simulation.ts) and its mirror (fast-loop.ts) read and
 * write them in place, as typed-array accesses V8 compiles to loads and stores.
 */

/** Job states. */
export const JOB_FREE = 0;
export const JOB_QUEUED = 1;
export const JOB_IN_SERVICE = 2;
/** Between stations (or being dropped): counted in flight, at no station. */
export const JOB_MOVING = 3;

/** Job flags: the client gave up on it (the servers still finish it). */
export const JOB_ABANDONED = 1;
/** Job flags: it is a retry (counted in the station's `retries`). */
export const JOB_RETRY = 2;

/** Struct-of-arrays pool of jobs with a free stack and generation tags. */
export class JobPool {
  cap = 0;
  hop = new Int32Array(0);
  station = new Int32Array(0);
  node = new Int32Array(0);
  cls = new Int32Array(0);
  client = new Int32Array(0);
  gen = new Int32Array(0);
  state = new Uint8Array(0);
  flags = new Uint8Array(0);
  /** Time the job arrived at its current station, seconds. */
  arrive = new Float64Array(0);
  /** Time the job was created (its attempt was sent), seconds. */
  born = new Float64Array(0);
  /** Waiting time accumulated over its stations, seconds. */
  wait = new Float64Array(0);
  free = new Int32Array(0);
  freeTop = 0;
  /** Jobs taken and not released. */
  live = 0;
  /** Jobs ever taken. */
  created = 0;
  /** Time `live` first reached `halfBound` (−1 = not yet): the start of the growth the instability report measures. */
  halfTime = -1;

  /**
   * @param clock read for the current time (the engine), so `take` has no double argument (V8 boxes a double
   *   argument of a call it does not inline).
   * @param halfBound the live count whose first time is kept in `halfTime`.
   */
  constructor(
    private readonly clock: { readonly now: number },
    readonly halfBound: number,
    initialCapacity: number,
  ) {
    this.grow(initialCapacity);
  }

  /** A fresh job id for class `cls` sent by client request `client` (−1 = none), state MOVING, born now. */
  take(cls: number, client: number, flags: number): number {
    const now = this.clock.now;
    if (this.freeTop === 0) this.grow(this.cap * 2);
    const j = this.free[--this.freeTop] as number;
    this.cls[j] = cls;
    this.client[j] = client;
    this.flags[j] = flags;
    this.born[j] = now;
    this.wait[j] = 0;
    this.state[j] = JOB_MOVING;
    this.created++;
    if (++this.live === this.halfBound) this.halfTime = now;
    return j;
  }

  /** Give id `j` back: its generation tag goes up, so its pending events become stale. */
  release(j: number): void {
    this.state[j] = JOB_FREE;
    this.station[j] = -1;
    this.gen[j] = (this.gen[j]! + 1) | 0;
    this.free[this.freeTop++] = j;
    this.live--;
  }

  /** Grow every array to `n` ids (the arrays are replaced: callers holding them must reload). */
  grow(n: number): void {
    const old = this.cap;
    this.hop = growI32(this.hop, n);
    this.station = growI32(this.station, n);
    this.node = growI32(this.node, n);
    this.cls = growI32(this.cls, n);
    this.client = growI32(this.client, n);
    this.gen = growI32(this.gen, n);
    this.state = growU8(this.state, n);
    this.flags = growU8(this.flags, n);
    this.arrive = growF64(this.arrive, n);
    this.born = growF64(this.born, n);
    this.wait = growF64(this.wait, n);
    this.free = growI32(this.free, n);
    // New ids go on the free stack so that the lowest id is handed out first.
    for (let j = n - 1; j >= old; j--) {
      this.free[this.freeTop++] = j;
      this.station[j] = -1;
    }
    this.cap = n;
  }

  /** Jobs at station s (queued or in service), counted from the arrays (independent of the stations' counters). */
  countAt(s: number): number {
    let k = 0;
    for (let j = 0; j < this.cap; j++) if (this.station[j] === s && (this.state[j] === JOB_QUEUED || this.state[j] === JOB_IN_SERVICE)) k++;
    return k;
  }

  /** Jobs not free, counted from the arrays. */
  countLive(): number {
    let k = 0;
    for (let j = 0; j < this.cap; j++) if (this.state[j] !== JOB_FREE) k++;
    return k;
  }
}

/** A copy of `a` in a new array of length `n` (n ≥ a.length). */
export function growI32(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
/** A copy of `a` in a new array of length `n` (n ≥ a.length). */
export function growU8(a: Uint8Array, n: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(n);
  b.set(a);
  return b;
}
/** A copy of `a` in a new array of length `n` (n ≥ a.length). */
export function growF64(a: Float64Array, n: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}
