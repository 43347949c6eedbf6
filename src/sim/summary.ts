import type { EncodedHistogram, EndToEndResult, MeasuredMetrics, ReplicaResult, RunCounts, SeriesResult, StationResult, UnstableReport } from './types.js';
import { encodedQuantile, mergeEncoded } from './histogram.js';
import { studentTQuantile } from '../stats/student-t.js';

/**
 * The merge of R replicas into one summary: every metric as its mean over replicas with a 95% confidence interval.
 *
 * Interval: the replicas are independent (replica i draws only from the stream of (seed, i)), so the per-replica
 * values x_1..x_R of a metric are i.i.d., and the interval is the Student t interval
 *   mean ± t_{0.975, R−1} · s / √R,  s² = Σ (x_i − mean)² / (R − 1)
 * (Law, Simulation Modeling and Analysis, 5th ed., §9.4.1, "the method of independent replications").
 * With R = 1 there is no spread to estimate: the interval is [mean, mean] and `intervalNote` says so.
 * A replica whose value is undefined (NaN, e.g. no request completed) is left out of that metric's mean and interval;
 * when every replica's value is NaN the estimate is NaN (null in JSON).
 *
 * Counts are totals over all replicas (warm-up included), so conservation holds exactly:
 * arrived = completed + dropped + timedOut + inFlight.
 */

/** A mean over replicas with its 95% confidence interval [lo, hi], in the metric's unit. */
export interface Estimate {
  readonly mean: number;
  readonly ci95: readonly [number, number];
}

/** Every measured metric of `MeasuredMetrics` as an Estimate (times in seconds, rates per second). */
export type MetricEstimates = { readonly [K in keyof MeasuredMetrics]: Estimate };

export const METRIC_NAMES: readonly (keyof MeasuredMetrics)[] = [
  'utilization',
  'meanWait',
  'meanResponse',
  'p50Response',
  'p95Response',
  'p99Response',
  'p999Response',
  'throughput',
  'dropFraction',
  'meanQueueLength',
  'meanInSystem',
  'arrivalRate',
];

/**
 * Response-time quantiles of all replicas' measured requests pooled into one histogram (seconds; log-linear buckets,
 * relative error ≤ 0.4%, see histogram.ts). A point estimate without an interval: the `p..Response` estimates above
 * (mean of per-replica quantiles, with their interval) are the ones to quote; these show the tail of the pooled sample.
 */
export interface PooledQuantiles {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

export interface StationSummary extends MetricEstimates {
  /** Offered load per worker up (arrival rate × mean service time / workers): > 1 means the station cannot keep up. */
  readonly offeredUtilization: Estimate;
  /** Time-averaged number of nodes up. */
  readonly meanNodes: Estimate;
  /** Totals over all replicas. */
  readonly counts: RunCounts;
  readonly pooledResponse: PooledQuantiles;
}

export interface EndToEndSummary extends MetricEstimates {
  /** Share of client requests that succeeded within the SLO latency; NaN (null) when the scenario has no SLO. */
  readonly sloAttainment: Estimate;
  readonly errorFraction: Estimate;
  readonly timeoutFraction: Estimate;
  /** Station attempts per client request (1 without retries; well above 1 in a retry storm). */
  readonly amplification: Estimate;
  readonly counts: RunCounts;
  readonly pooledResponse: PooledQuantiles;
}

/** Set when at least one replica was not in steady state: stopped early by the in-flight bound, or left with a growing backlog. */
export interface InstabilitySummary {
  /** Replicas stopped early by the in-flight bound, out of `SimSummary.replicas` (0 when each ran to its end with a backlog). */
  readonly replicasStopped: number;
  /** Largest growth of client requests in flight, requests per second, over the stopped replicas. */
  readonly queueGrowthPerSecond: number;
  /** Largest offered utilisation (> 1: arrivals exceed capacity). */
  readonly offeredUtilization: number;
  /** The station with the largest offered utilisation. */
  readonly bottleneck: string;
  /** Earliest simulated time (seconds) at which a replica was stopped. */
  readonly stoppedAt: number;
  /** In-flight requests when stopped (the bound). */
  readonly inFlight: number;
  /** One sentence for people. */
  readonly message: string;
  /** Each stopped replica's own report. */
  readonly reports: readonly (UnstableReport & { readonly replicaIndex: number })[];
}

export interface SimSummary {
  readonly replicas: number;
  readonly seed: number;
  readonly confidence: 0.95;
  /** Null with R ≥ 2; with R = 1, says that the intervals are [mean, mean] because an interval needs ≥ 2 replicas. */
  readonly intervalNote: string | null;
  /** Length of the measured window per replica (seconds, after warm-up). */
  readonly measuredTime: Estimate;
  /** Events processed, all replicas together. */
  readonly events: number;
  /** Per station, keyed by station name, in the scenario's order. */
  readonly stations: { readonly [name: string]: StationSummary };
  /** The whole path, as the client sees it. */
  readonly endToEnd: EndToEndSummary;
  /** Latency target (seconds) that `endToEnd.sloAttainment` counts against; null without one. */
  readonly sloTarget: number | null;
  readonly unstable: InstabilitySummary | null;
  /**
   * The per-interval series (when the spec asks for one, `run.seriesInterval`), each value the mean over replicas of
   * that interval's value (counts per interval, utilisation, queue length, mean response in seconds, nodes up);
   * intervals past the end of the shortest replica are left out. Null without a series.
   */
  readonly series: SeriesResult | null;
}

export const ONE_REPLICA_NOTE = 'a 95% confidence interval needs at least 2 replicas; with 1 replica the interval is [mean, mean]';

/**
 * Mean and 95% Student t interval of independent replica values; NaNs are left out.
 * @example estimate([1, 2, 3, 4]) // => { mean: 2.5, ci95: [0.4457..., 4.5542...] } (t_{0.975,3} = 3.18245)
 */
export function estimate(values: readonly number[]): Estimate {
  const xs = values.filter((v) => !Number.isNaN(v));
  const n = xs.length;
  if (n === 0) return { mean: NaN, ci95: [NaN, NaN] };
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / n;
  if (n === 1 || !Number.isFinite(mean)) return { mean, ci95: [mean, mean] };
  let ss = 0;
  for (const x of xs) ss += (x - mean) * (x - mean);
  const half = (studentTQuantile(0.975, n - 1) * Math.sqrt(ss / (n - 1))) / Math.sqrt(n);
  return { mean, ci95: [mean - half, mean + half] };
}

function metricEstimates(rows: readonly MeasuredMetrics[]): MetricEstimates {
  const out: Partial<Record<keyof MeasuredMetrics, Estimate>> = {};
  for (const k of METRIC_NAMES) out[k] = estimate(rows.map((r) => r[k]));
  return out as MetricEstimates;
}

function sumCounts(rows: readonly RunCounts[]): RunCounts {
  const c = { arrived: 0, completed: 0, dropped: 0, timedOut: 0, retries: 0, inFlight: 0, shed: 0 };
  for (const r of rows) {
    c.arrived += r.arrived;
    c.completed += r.completed;
    c.dropped += r.dropped;
    c.timedOut += r.timedOut;
    c.retries += r.retries;
    c.inFlight += r.inFlight;
    c.shed += r.shed;
  }
  return c;
}

/**
 * Merge replica results (any order; they are sorted by replicaIndex first) into a SimSummary.
 * `seed` is the run's seed, `sloTarget` the end-to-end latency target in seconds (if the scenario has one).
 * @throws RangeError when `results` is empty or the replicas disagree on the stations.
 */
export function summarize(results: readonly ReplicaResult[], options: { seed: number; sloTarget?: number | undefined }): SimSummary {
  if (results.length === 0) throw new RangeError('summarize needs at least one replica result');
  const rs = [...results].sort((a, b) => a.replicaIndex - b.replicaIndex);
  const first = rs[0]!;
  const names = first.stations.map((s) => s.name);
  for (const r of rs) {
    if (r.stations.length !== names.length || r.stations.some((s, i) => s.name !== names[i])) {
      throw new RangeError(`replica ${r.replicaIndex} has stations ${r.stations.map((s) => s.name).join(', ')}, expected ${names.join(', ')}`);
    }
  }
  const stations: Record<string, StationSummary> = {};
  names.forEach((name, i) => {
    const rows: StationResult[] = rs.map((r) => r.stations[i]!);
    stations[name] = {
      ...metricEstimates(rows),
      offeredUtilization: estimate(rows.map((s) => s.offeredUtilization)),
      meanNodes: estimate(rows.map((s) => s.meanNodes)),
      counts: sumCounts(rows.map((s) => s.counts)),
      pooledResponse: pooled(rows.map((s) => s.responseHistogram)),
    };
  });
  const e2e: EndToEndResult[] = rs.map((r) => r.endToEnd);
  const endToEnd: EndToEndSummary = {
    ...metricEstimates(e2e),
    sloAttainment: estimate(e2e.map((e) => e.sloAttainment)),
    errorFraction: estimate(e2e.map((e) => e.errorFraction)),
    timeoutFraction: estimate(e2e.map((e) => e.timeoutFraction)),
    amplification: estimate(e2e.map((e) => e.amplification)),
    counts: sumCounts(e2e.map((e) => e.counts)),
    pooledResponse: pooled(e2e.map((e) => e.responseHistogram)),
  };
  return {
    replicas: rs.length,
    seed: options.seed,
    confidence: 0.95,
    intervalNote: rs.length < 2 ? ONE_REPLICA_NOTE : null,
    measuredTime: estimate(rs.map((r) => r.measuredTime)),
    events: rs.reduce((a, r) => a + r.events, 0),
    stations,
    endToEnd,
    sloTarget: options.sloTarget ?? null,
    unstable: summarizeInstability(rs),
    series: mergeSeries(rs),
  };
}

/** Mean over replicas, interval by interval, of the replicas' series (NaNs left out); null when no replica has one. */
export function mergeSeries(results: readonly ReplicaResult[]): SeriesResult | null {
  const all = results.map((r) => r.series).filter((x): x is SeriesResult => x !== null);
  if (all.length === 0) return null;
  const n = Math.min(...all.map((x) => x.t.length));
  const mean = (pick: (x: SeriesResult) => readonly number[]): number[] =>
    Array.from({ length: n }, (_, k) => {
      let sum = 0;
      let count = 0;
      for (const x of all) {
        const v = pick(x)[k]!;
        if (!Number.isNaN(v)) {
          sum += v;
          count++;
        }
      }
      return count > 0 ? sum / count : NaN;
    });
  const first = all[0]!;
  return {
    interval: first.interval,
    t: first.t.slice(0, n),
    stations: first.stations.map((st, i) => ({
      name: st.name,
      arrivals: mean((x) => x.stations[i]!.arrivals),
      completions: mean((x) => x.stations[i]!.completions),
      drops: mean((x) => x.stations[i]!.drops),
      utilization: mean((x) => x.stations[i]!.utilization),
      meanQueueLength: mean((x) => x.stations[i]!.meanQueueLength),
      meanResponse: mean((x) => x.stations[i]!.meanResponse),
      nodes: mean((x) => x.stations[i]!.nodes),
    })),
    endToEnd: {
      arrivals: mean((x) => x.endToEnd.arrivals),
      completions: mean((x) => x.endToEnd.completions),
      failures: mean((x) => x.endToEnd.failures),
      meanResponse: mean((x) => x.endToEnd.meanResponse),
      inFlight: mean((x) => x.endToEnd.inFlight),
    },
  };
}

function pooled(hs: readonly EncodedHistogram[]): PooledQuantiles {
  const h = mergeEncoded(hs);
  return {
    count: h.count,
    p50: encodedQuantile(h, 0.5),
    p95: encodedQuantile(h, 0.95),
    p99: encodedQuantile(h, 0.99),
    p999: encodedQuantile(h, 0.999),
    max: h.count > 0 ? h.max : NaN,
  };
}

/** A rate or a ratio for the one-line verdict: 3 significant digits, scientific notation when huge or tiny. */
function num(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'unknown' : String(x);
  const a = Math.abs(x);
  return a !== 0 && (a >= 1e6 || a < 1e-3) ? x.toExponential(2) : String(Number(x.toPrecision(3)));
}

/**
 * The instability summary over replicas, or null when every replica reached a steady state. A replica is unstable
 * when the in-flight bound stopped it, or when it ended with a station offered at least its capacity and a backlog
 * left behind (results.ts). The message is one line: which station, what it was offered against what it can serve.
 */
export function summarizeInstability(results: readonly ReplicaResult[]): InstabilitySummary | null {
  const reports = results
    .filter((r) => r.unstable !== null)
    .map((r) => ({ ...(r.unstable as UnstableReport), replicaIndex: r.replicaIndex }));
  if (reports.length === 0) return null;
  let worst = reports[0]!;
  for (const r of reports) if (r.utilizationEstimate > worst.utilizationEstimate) worst = r;
  const growth = Math.max(...reports.map((r) => r.queueGrowthPerSecond));
  const stoppedAt = Math.min(...reports.map((r) => r.stoppedAt));
  const inFlight = Math.max(...reports.map((r) => r.inFlight));
  const stopped = reports.filter((r) => r.stoppedEarly).length;
  const how =
    stopped > 0
      ? `${stopped} of ${results.length} replica(s) were stopped early (first at t = ${stoppedAt.toPrecision(4)} s with ${inFlight} in flight)`
      : `${reports.length} of ${results.length} replica(s) ended with up to ${inFlight} requests in flight`;
  const message =
    `UNSTABLE: offered load exceeds capacity at station ${worst.bottleneck}: ${num(worst.offeredRatePerSec)} req/s offered vs ` +
    `${num(worst.capacityPerSec)} req/s capacity (offered utilisation ${Math.abs(worst.utilizationEstimate) < 1e6 ? worst.utilizationEstimate.toFixed(3) : num(worst.utilizationEstimate)}); ` +
    `requests in flight grew by ${num(growth)}/s and ${how}; the metrics describe a bounded run, not a steady state`;
  return {
    replicasStopped: stopped,
    queueGrowthPerSecond: growth,
    offeredUtilization: worst.utilizationEstimate,
    bottleneck: worst.bottleneck,
    stoppedAt,
    inFlight,
    message,
    reports,
  };
}
