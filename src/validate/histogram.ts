import type * as Hdr from 'hdr-histogram-js';
import { lazyRequire } from '../lazy-require.js';

const hdrLib = lazyRequire<typeof Hdr>('hdr-histogram-js');

/**
 * Latency histograms for measured runs: HdrHistogram (Gil Tene's High Dynamic Range histogram, via hdr-histogram-js,
 * the one autocannon uses) recording integer MICROSECONDS with 3 significant digits (0.1% value resolution).
 * The helpers below convert to and from the seconds the rest of Headroom uses.
 */
export type LatencyHistogram = Hdr.Histogram;

export function newLatencyHistogram(): LatencyHistogram {
  return hdrLib().build({ bitBucketSize: 32, numberOfSignificantValueDigits: 3, autoResize: true, lowestDiscernibleValue: 1 });
}

/** Record a latency given in milliseconds (performance.now() differences). */
export function recordMs(h: LatencyHistogram, ms: number): void {
  h.recordValue(Math.max(1, Math.round(ms * 1000)));
}

/** The value at a percentile (0–100), seconds; NaN for an empty histogram. */
export function percentileSeconds(h: LatencyHistogram, p: number): number {
  return h.totalCount === 0 ? NaN : h.getValueAtPercentile(p) / 1e6;
}

export function encodeHistogram(h: LatencyHistogram): string {
  return hdrLib().encodeIntoCompressedBase64(h);
}

export function decodeHistogram(s: string): LatencyHistogram {
  return hdrLib().decodeFromCompressedBase64(s, 32);
}
