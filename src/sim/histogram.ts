/**
 * A log-linear histogram of durations in seconds, HdrHistogram-style (Gil Tene, http://hdrhistogram.org; the layout
 * HdrHistogramJS uses): each power of two [2^e, 2^(e+1)) is split into 2^SUB_BITS equal sub-buckets, so a bucket's
 * width is at most 2^-SUB_BITS = 0.78% of its values; quantiles are interpolated inside a bucket (see encodedQuantile).
 *
 * The bucket of a double comes straight from its IEEE-754 bits (the exponent field and the top SUB_BITS mantissa bits,
 * read through a Float64Array/Uint32Array alias), so `record` is a few integer operations, with no Math.log, and no
 * allocation. Range: 2^-30 s (≈ 1 ns) to 2^33 s (≈ 272 years); values outside are clamped into the end buckets.
 * (hdr-histogram-js records integers only and costs more per call in the loop; this one takes seconds directly.)
 *
 * For transfer and merging across replicas, `encode()` gives the non-zero buckets as plain arrays (EncodedHistogram).
 */
import type { EncodedHistogram } from './types.js';

export const SUB_BITS = 7;
const SUB = 1 << SUB_BITS;
export const MIN_EXPONENT = -30;
const MAX_EXPONENT = 33;
const BUCKETS = (MAX_EXPONENT - MIN_EXPONENT) * SUB;
const SHIFT = 20 - SUB_BITS;

const f64 = new Float64Array(1);
// Signed words: the high word stays an int32 in V8's compiled code (a Uint32Array read above 2^31 is a double).
const i32 = new Int32Array(f64.buffer);
/** Index of the high 32-bit word of a double in the Int32Array view: 1 on little-endian machines. */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** Bucket number of a value in seconds. */
export function bucketOf(v: number): number {
  f64[0] = v;
  const hi = i32[HI] as number;
  // biased exponent (11 bits) and top SUB_BITS of the mantissa, as one number: ((e + 1023) << SUB_BITS) | m
  const b = (hi >>> SHIFT) - ((1023 + MIN_EXPONENT) << SUB_BITS);
  if (hi < 0 || b < 0) return 0; // negative (sign bit set), zero or below the range
  return b < BUCKETS ? b : BUCKETS - 1;
}

/** Lower and upper bound of bucket b, seconds. */
export function bucketLower(b: number): number {
  const e = MIN_EXPONENT + (b >> SUB_BITS);
  return Math.pow(2, e) * (1 + (b & (SUB - 1)) / SUB);
}
export function bucketUpper(b: number): number {
  const e = MIN_EXPONENT + (b >> SUB_BITS);
  return Math.pow(2, e) * (1 + ((b & (SUB - 1)) + 1) / SUB);
}

export class LogHistogram {
  readonly counts = new Float64Array(BUCKETS);
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;

  record(v: number): void {
    this.counts[bucketOf(v)]!++;
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  /** The value the next `recordNext()` records, seconds (set just before the call). */
  next = 0;

  /**
   * `record(next)`. The event loop records this way: a double passed as an argument to a call V8 does not inline is
   * boxed, a heap allocation per call, and whether V8 inlines depends on the caller's inlining budget; a field write is
   * not boxed.
   */
  recordNext(): void {
    const v = this.next;
    this.counts[bucketOf(v)]!++;
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  /** `record(0)`, without the bucket arithmetic (a request that starts service the instant it arrives waits 0 s). */
  recordZero(): void {
    this.counts[0]!++;
    this.count++;
    this.sum += 0; // keeps record(0)'s arithmetic exactly (a −0 sum would become +0)
    if (0 < this.min) this.min = 0;
    if (0 > this.max) this.max = 0;
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.sum = 0;
    this.min = Infinity;
    this.max = -Infinity;
  }

  encode(): EncodedHistogram {
    const indices: number[] = [];
    const counts: number[] = [];
    for (let b = 0; b < BUCKETS; b++) {
      const c = this.counts[b] as number;
      if (c !== 0) {
        indices.push(b);
        counts.push(c);
      }
    }
    return {
      format: 'log2-linear',
      subBucketBits: SUB_BITS,
      minExponent: MIN_EXPONENT,
      indices,
      counts,
      count: this.count,
      sum: this.sum,
      min: this.count > 0 ? this.min : NaN,
      max: this.count > 0 ? this.max : NaN,
    };
  }
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of an encoded histogram. The rank is HdrHistogram's (`getValueAtPercentile`):
 * r = max(1, ceil(q × count)); the value is interpolated linearly inside the bucket that holds the r-th value, as if
 * the bucket's values were spread evenly over it (so the error stays within the bucket's width, ≤ 0.78%, and is
 * usually far smaller), then clamped to [min, max]. Interpolation keeps quantiles continuous across replicas, so their
 * confidence intervals are not an artefact of bucket edges. NaN when empty.
 */
export function encodedQuantile(h: EncodedHistogram, q: number): number {
  if (h.count === 0) return NaN;
  const rank = Math.max(1, Math.ceil(q * h.count));
  let cum = 0;
  for (let i = 0; i < h.indices.length; i++) {
    const c = h.counts[i] as number;
    if (cum + c >= rank) {
      const b = h.indices[i] as number;
      const lo = bucketLower(b);
      const hi = bucketUpper(b);
      // The k-th of c values (k = rank − cum) sits at the middle of the k-th of c equal slices of the bucket.
      const v = lo + ((hi - lo) * (rank - cum - 0.5)) / c;
      return Math.min(h.max, Math.max(h.min, v));
    }
    cum += c;
  }
  return h.max;
}

/** Mean of the recorded values (exact: from the running sum). NaN when empty. */
export function encodedMean(h: EncodedHistogram): number {
  return h.count > 0 ? h.sum / h.count : NaN;
}

/** Add histograms together (e.g. one per replica) into one; all must share the layout. */
export function mergeEncoded(hs: readonly EncodedHistogram[]): EncodedHistogram {
  const acc = new Map<number, number>();
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const h of hs) {
    if (h.subBucketBits !== SUB_BITS || h.minExponent !== MIN_EXPONENT) {
      throw new RangeError(`histogram layout ${h.subBucketBits}/${h.minExponent} differs from ${SUB_BITS}/${MIN_EXPONENT}`);
    }
    h.indices.forEach((b, i) => acc.set(b, (acc.get(b) ?? 0) + (h.counts[i] as number)));
    count += h.count;
    sum += h.sum;
    if (h.count > 0) {
      min = Math.min(min, h.min);
      max = Math.max(max, h.max);
    }
  }
  const indices = [...acc.keys()].sort((a, b) => a - b);
  return {
    format: 'log2-linear',
    subBucketBits: SUB_BITS,
    minExponent: MIN_EXPONENT,
    indices,
    counts: indices.map((b) => acc.get(b) as number),
    count,
    sum,
    min: count > 0 ? min : NaN,
    max: count > 0 ? max : NaN,
  };
}
