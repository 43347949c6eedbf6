import type Autocannon from 'autocannon';
import { lazyRequire } from '../lazy-require.js';

const autocannon = lazyRequire<typeof Autocannon>('autocannon');
import { performance } from 'node:perf_hooks';
import { newLatencyHistogram, percentileSeconds, recordMs } from './histogram.js';
import type { RequestTarget, SweepPoint } from './types.js';

/**
 * Closed-model load with autocannon (the only file that imports it): `connections` connections, each sending its next
 * request as soon as the previous one answered. That is autocannon's natural mode and the right tool for a
 * concurrency sweep (the USL fit) and for the generator's own ceiling; it is NOT an open model (see open-loop.ts).
 *
 * Latencies come from autocannon's `response` events (its raw per-request response time, no coordinated-omission
 * correction), counted only after `warmup` seconds, and are labelled closed-loop figures. Throughput is the number of
 * 2xx responses after the warm-up divided by the time from the warm-up's end to the last response.
 */
export async function runClosedLoop(options: {
  readonly target: RequestTarget;
  readonly connections: number;
  /** Measured seconds (after the warm-up). */
  readonly duration: number;
  readonly warmup?: number;
  /** Per-request timeout, seconds (default 5). */
  readonly timeout?: number;
  /** Stop early after this many errors (autocannon's bailout); default none. */
  readonly bailout?: number;
}): Promise<SweepPoint> {
  const warmup = options.warmup ?? 0.5;
  const total = options.duration + warmup;
  const hist = newLatencyHistogram();
  let ok = 0;
  let errors = 0;
  let timeouts = 0;
  let measureFrom = 0;
  let last = 0;
  const t = options.target;
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon()(
      {
        url: t.url.toString(),
        method: t.method as 'GET',
        headers: { ...t.headers },
        ...(t.body !== undefined ? { body: t.body } : {}),
        connections: options.connections,
        pipelining: 1,
        // autocannon takes whole seconds poorly for short runs; it accepts fractional durations in seconds.
        duration: total,
        timeout: options.timeout ?? 5,
        ...(options.bailout !== undefined ? { bailout: options.bailout } : {}),
      },
      (err: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()),
    );
    instance.on('start', () => (measureFrom = performance.now() + warmup * 1000));
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      const now = performance.now();
      if (measureFrom === 0 || now < measureFrom) return;
      last = now;
      if (statusCode >= 200 && statusCode < 300) {
        ok++;
        recordMs(hist, responseTime);
      } else errors++;
    });
    instance.on('reqError', (e: Error) => {
      if (measureFrom === 0 || performance.now() < measureFrom) return;
      if (/timed out/.test(e.message)) timeouts++;
      else errors++;
    });
  });
  const seconds = measureFrom > 0 && last > measureFrom ? (last - measureFrom) / 1000 : options.duration;
  return {
    concurrency: options.connections,
    throughput: ok / Math.max(seconds, 1e-9),
    p50: percentileSeconds(hist, 50),
    p99: percentileSeconds(hist, 99),
    errors,
    timeouts,
    duration: seconds,
    label: 'closed-loop',
  };
}

/** A concurrency sweep: runClosedLoop at each N in turn (1, 2, 4, ... by default), `stepSeconds` each. */
export async function runSweep(options: {
  readonly target: RequestTarget;
  readonly concurrency: readonly number[];
  readonly stepSeconds: number;
  readonly warmup?: number;
  readonly timeout?: number;
  readonly onStep?: (p: SweepPoint, index: number) => void;
  /**
   * Keep doubling the concurrency past the list while the last doubling still raised throughput by at least
   * `minGain` (0.1 = 10%), up to `maxConcurrency` and while `fits(n)` allows another point (the time budget): a
   * service with many workers is not at its peak at N = 16, and the rates derived from the sweep would never load it.
   * A gain below `minGain` is measured once more before the sweep stops on it (once per sweep; `fits` is asked for it).
   */
  readonly extend?: { readonly maxConcurrency: number; readonly minGain: number; readonly fits: (n: number) => boolean } | undefined;
}): Promise<SweepPoint[]> {
  const out: SweepPoint[] = [];
  const measure = (n: number): Promise<SweepPoint> =>
    runClosedLoop({
      target: options.target,
      connections: n,
      duration: options.stepSeconds,
      ...(options.warmup !== undefined ? { warmup: options.warmup } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
    });
  const point = async (n: number, i: number): Promise<void> => {
    const p = await measure(n);
    out.push(p);
    options.onStep?.(p, i);
  };
  for (const [i, n] of options.concurrency.entries()) await point(n, i);
  const x = options.extend;
  let remeasured = false;
  while (x && out.length >= 2) {
    const last = out[out.length - 1]!;
    const prev = out[out.length - 2]!;
    const n = last.concurrency * 2;
    if (n > x.maxConcurrency) break;
    if (!(last.throughput >= (1 + x.minGain) * prev.throughput)) {
      // One disturbed point must not end the sweep: before stopping on a gain below minGain, the point is measured
      // once more (once per sweep, in budget) and the better throughput kept, since a neighbour on the machine can
      // only take throughput away from the target.
      if (remeasured || !x.fits(last.concurrency)) break;
      remeasured = true;
      const again = await measure(last.concurrency);
      if (again.throughput > last.throughput) out[out.length - 1] = again;
      if (!(out[out.length - 1]!.throughput >= (1 + x.minGain) * prev.throughput)) break;
    }
    if (!x.fits(n)) break;
    await point(n, out.length);
  }
  return out;
}
