/**
 * The client side of a request: what the user sees when the client has a timeout or retries. A *client request* is
 * an integer id into struct-of-arrays typed arrays (first send time, attempts, class, the job it currently waits
 * for, generation tag), like the job pool. A timed-out client abandons its job (the servers still finish it); a
 * failed attempt is retried after a backoff while attempts remain. The handlers that move requests (timeout, retry,
 * attempt failed) are in simulation.ts, because they re-enter the request path; the rules are here.
 */
import type { Rng } from '../rng.js';
import { growF64, growI32, growU8 } from './job-pool.js';
import type { RetryPolicy } from './types.js';

/**
 * True when requests need a client request of their own: the client gives up (a finite timeout) or retries. Without
 * one, a request is its one job and nothing is tracked on the client side.
 */
export function usesClient(timeout: number, retries: RetryPolicy | undefined): boolean {
  return timeout < Infinity || (retries !== undefined && retries.max > 0);
}

/**
 * Backoff before retry `attempt` (1-based; the attempt that failed): b = min(maxBackoff, backoff × 2^(attempt−1));
 * jitter none → b, full → U·b, equal → b/2 + U·b/2, with U uniform on [0, 1) from `rng` (Brooker, "Exponential
 * Backoff And Jitter", AWS Architecture Blog, 2015). Seconds.
 * @example retryDelay({ max: 3, backoff: 0.1, maxBackoff: 2, jitter: 'none' }, 3, rng) // => 0.4
 */
export function retryDelay(r: RetryPolicy, attempt: number, rng: Rng): number {
  const b = Math.min(r.maxBackoff, r.backoff * Math.pow(2, attempt - 1));
  return r.jitter === 'none' ? b : r.jitter === 'full' ? rng.next() * b : b / 2 + (rng.next() * b) / 2;
}

/** Struct-of-arrays pool of client requests with a free stack and generation tags (see job-pool.ts). */
export class ClientPool {
  cap = 0;
  /** Time the request was first sent, seconds. */
  born = new Float64Array(0);
  /** The job of the current attempt (−1 = none: between attempts, or abandoned). */
  job = new Int32Array(0);
  gen = new Int32Array(0);
  attempt = new Int32Array(0);
  cls = new Int32Array(0);
  live = new Uint8Array(0);
  free = new Int32Array(0);
  freeTop = 0;

  constructor(initialCapacity: number) {
    this.grow(initialCapacity);
  }

  /** A fresh client request of class `cls` first sent at `now`, on its first attempt. */
  take(now: number, cls: number): number {
    if (this.freeTop === 0) this.grow(this.cap * 2);
    const c = this.free[--this.freeTop] as number;
    this.born[c] = now;
    this.attempt[c] = 1;
    this.cls[c] = cls;
    this.job[c] = -1;
    this.live[c] = 1;
    this.gen[c] = (this.gen[c]! + 1) | 0;
    return c;
  }

  /** Give id `c` back: its generation tag goes up, so its pending timeout or retry becomes stale. */
  release(c: number): void {
    this.live[c] = 0;
    this.gen[c] = (this.gen[c]! + 1) | 0;
    this.free[this.freeTop++] = c;
  }

  /** Grow every array to `n` ids. */
  grow(n: number): void {
    const old = this.cap;
    this.born = growF64(this.born, n);
    this.job = growI32(this.job, n);
    this.gen = growI32(this.gen, n);
    this.attempt = growI32(this.attempt, n);
    this.cls = growI32(this.cls, n);
    this.live = growU8(this.live, n);
    this.free = growI32(this.free, n);
    for (let c = n - 1; c >= old; c--) this.free[this.freeTop++] = c;
    this.cap = n;
  }

  /** Client requests in flight, counted from the arrays. */
  countLive(): number {
    let k = 0;
    for (let c = 0; c < this.cap; c++) if (this.live[c] === 1) k++;
    return k;
  }
}
