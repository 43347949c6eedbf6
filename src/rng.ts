/**
 * Seeded random streams: the only source of randomness in Headroom.
 *
 * Generator: xoshiro128** 1.1 (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c), 32-bit state words so
 * it runs on V8's int32 fast path with Math.imul and no BigInt. State is seeded by SplitMix32 over a hash of
 * (seed, ...stream path), so `createRng(seed, replica)` and `createRng(seed, replica, stationIndex)` give independent,
 * reproducible streams: replica i never depends on which worker ran it or on the time.
 *
 * `next()` allocates nothing; the simulator's event loop calls it once or twice per event.
 */
export interface Rng {
  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number;
  /** Uniform double in (0, 1): never 0, safe for Math.log. */
  nextOpen(): number;
  /** Uniform 32-bit unsigned integer. */
  nextU32(): number;
  /** Uniform integer in [0, n). */
  nextInt(n: number): number;
  /** Standard normal deviate (Marsaglia polar method, one value cached). */
  nextNormal(): number;
  /** A new independent stream derived from this stream's seed path and `id`. */
  split(id: number): Rng;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** Mix a 32-bit value (murmur3 fmix32 finaliser). */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash a seed path of numbers (each taken as a 53-bit integer) into one 32-bit word. */
function hashPath(path: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const x of path) {
    if (!Number.isFinite(x)) throw new RangeError(`random seed path must hold finite numbers, got ${x}`);
    const n = Math.trunc(x);
    const lo = n >>> 0;
    const hi = Math.floor(n / TWO_POW_32) >>> 0;
    h = fmix32(h ^ fmix32(lo + 0x7f4a7c15));
    h = fmix32(h ^ fmix32(hi + 0x2545f491));
  }
  return h;
}

class Xoshiro128 implements Rng {
  /** The four state words, in an Int32Array so that updates stay int32 and never box. */
  private readonly s = new Int32Array(4);
  private spare = 0;
  private hasSpare = false;
  private readonly path: readonly number[];

  constructor(path: readonly number[]) {
    this.path = path;
    // SplitMix32 expands the 32-bit hash into four state words, as the xoshiro authors recommend.
    let s = hashPath(path);
    const sm = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    const st = this.s;
    st[0] = sm();
    st[1] = sm();
    st[2] = sm();
    st[3] = sm();
    if ((st[0]! | st[1]! | st[2]! | st[3]!) === 0) st[3] = 1;
  }

  nextU32(): number {
    const st = this.s;
    const a = st[0]!;
    const b = st[1]!;
    const c = st[2]! ^ a;
    const d = st[3]! ^ b;
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9);
    st[0] = a ^ d;
    st[1] = b ^ c;
    st[2] = c ^ (b << 9);
    st[3] = rotl(d, 11);
    return result >>> 0;
  }

  next(): number {
    return this.draw53(0);
  }

  nextOpen(): number {
    // The 53-bit draw moved up by half a unit is strictly inside (0, 1), so there is no retry loop.
    return this.draw53(0.5);
  }

  /**
   * Two xoshiro128** steps written out in one function (21 high bits of the first output and 32 of the second make a
   * 53-bit mantissa) plus `offset` units: small and call-free, so the simulator's hot loop inlines it and the double it
   * returns is never boxed on the heap.
   */
  private draw53(offset: number): number {
    const st = this.s;
    let a = st[0]!;
    let b = st[1]!;
    let c = st[2]!;
    let d = st[3]!;
    const hi = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 11;
    let t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    const lo = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    st[0] = a;
    st[1] = b;
    st[2] = c;
    st[3] = rotl(d, 11);
    return (hi * TWO_POW_32 + lo + offset) / TWO_POW_53;
  }

  nextInt(n: number): number {
    return Math.floor(this.next() * n);
  }

  nextNormal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    this.hasSpare = true;
    return u * m;
  }

  split(id: number): Rng {
    return new Xoshiro128([...this.path, id]);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * A reproducible random stream for a seed and an optional stream path.
 * @example
 * const r = createRng(42, 3); // replica 3 of seed 42
 * r.next(); // same value on every machine and worker count
 */
export function createRng(seed: number, ...stream: number[]): Rng {
  return new Xoshiro128([seed, ...stream]);
}
