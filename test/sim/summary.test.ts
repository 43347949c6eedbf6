import { describe, expect, it } from 'vitest';
import { LogHistogram, estimate, mergeSeries, studentTCdf, studentTQuantile, summarize } from '../../src/internal.js';
import type { EncodedHistogram, MeasuredMetrics, ReplicaResult, RunCounts, SeriesResult, StationResult } from '../../src/sim/types.js';

// Student t quantiles t_{0.975, df} and t_{0.995, df} from R 4.3 (`qt(0.975, df)`), as printed in any t table.
const T975: ReadonlyArray<readonly [number, number]> = [
  [1, 12.706204736],
  [2, 4.302652730],
  [3, 3.182446305],
  [4, 2.776445105],
  [7, 2.364624252],
  [9, 2.262157163],
  [29, 2.045229642],
  [100, 1.983971519],
];

describe('Student t quantile', () => {
  it.each(T975)('t_{0.975, %i} matches the table', (df, t) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 8);
    expect(studentTQuantile(0.025, df)).toBeCloseTo(-t, 8);
    expect(studentTCdf(t, df)).toBeCloseTo(0.975, 10);
  });

  it('has the closed-form CDF for 1 and 2 degrees of freedom', () => {
    // df = 1 is Cauchy: F(t) = 1/2 + atan(t)/pi; df = 2: F(t) = 1/2 + t / (2 sqrt(2 + t^2)).
    for (const t of [-3, -0.5, 0, 0.7, 4]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 12);
    }
    expect(studentTQuantile(0.995, 1)).toBeCloseTo(Math.tan(Math.PI * 0.495), 6);
  });

  it('rejects a probability outside (0, 1)', () => {
    expect(() => studentTQuantile(1, 3)).toThrow('probability must be in (0, 1), got 1');
    expect(() => studentTQuantile(0.5, 0)).toThrow('degrees of freedom must be > 0, got 0');
  });
});

describe('estimate: mean and 95% interval over replicas', () => {
  it('matches a hand-computed t interval', () => {
    // [1, 2, 3, 4]: mean 2.5, s^2 = 5/3, half-width = 3.182446305 * sqrt(5/3) / 2 = 2.054275...
    const e = estimate([1, 2, 3, 4]);
    const half = (3.182446305 * Math.sqrt(5 / 3)) / 2;
    expect(e.mean).toBe(2.5);
    expect(e.ci95[0]).toBeCloseTo(2.5 - half, 8);
    expect(e.ci95[1]).toBeCloseTo(2.5 + half, 8);
  });

  it('uses R - 1 degrees of freedom for 8 replicas', () => {
    const xs = [0.0195, 0.0201, 0.0188, 0.0210, 0.0199, 0.0192, 0.0204, 0.0197];
    const mean = xs.reduce((a, b) => a + b, 0) / 8;
    const s = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / 7);
    const e = estimate(xs);
    expect(e.mean).toBeCloseTo(mean, 15);
    expect(e.ci95[1] - e.mean).toBeCloseTo((2.364624252 * s) / Math.sqrt(8), 10);
    expect(e.mean - e.ci95[0]).toBeCloseTo((2.364624252 * s) / Math.sqrt(8), 10);
  });

  it('gives [mean, mean] for one replica and leaves out undefined (NaN) values', () => {
    expect(estimate([7])).toEqual({ mean: 7, ci95: [7, 7] });
    expect(estimate([NaN, 3, NaN, 5]).mean).toBe(4);
    const e = estimate([NaN]);
    expect(e.mean).toBeNaN();
    expect(JSON.parse(JSON.stringify(e))).toEqual({ mean: null, ci95: [null, null] });
  });
});

const emptyHistogram: EncodedHistogram = {
  format: 'log2-linear',
  subBucketBits: 7,
  minExponent: -30,
  indices: [],
  counts: [],
  count: 0,
  sum: 0,
  min: 0,
  max: 0,
};

function metrics(x: number): MeasuredMetrics {
  return {
    utilization: x,
    meanWait: x / 10,
    meanResponse: x / 5,
    p50Response: x / 6,
    p95Response: x / 2,
    p99Response: x,
    p999Response: 2 * x,
    throughput: 100 * x,
    dropFraction: 0,
    meanQueueLength: 3 * x,
    meanInSystem: 4 * x,
    arrivalRate: 100 * x,
  };
}

function counts(i: number): RunCounts {
  return { arrived: 100 + i, completed: 90, dropped: 5, timedOut: 2, retries: i, inFlight: 3 + i, shed: 1 };
}

function replica(i: number, x: number, unstable = false): ReplicaResult {
  const station = (name: string): StationResult => ({
    ...metrics(x),
    name,
    counts: counts(i),
    responseHistogram: emptyHistogram,
    waitHistogram: emptyHistogram,
    meanNodes: 2,
    nodesAtEnd: 2,
    offeredUtilization: x,
  });
  return {
    replicaIndex: i,
    seed: 5,
    endTime: 100,
    warmupEnd: 10,
    measuredTime: 90,
    events: 1000,
    stations: [station('web'), station('db')],
    endToEnd: {
      ...metrics(x),
      counts: counts(i),
      responseHistogram: emptyHistogram,
      sloAttainment: 0.99,
      errorFraction: 0,
      timeoutFraction: 0,
      amplification: 1,
    },
    series: null,
    unstable: unstable
      ? { stoppedAt: 50 + i, inFlight: 1000, queueGrowthPerSecond: 20 * (i + 1), utilizationEstimate: 1 + i / 10, bottleneck: 'db', offeredRatePerSec: 50 * (1 + i / 10), capacityPerSec: 50, stoppedEarly: true }
      : null,
  };
}

describe('summarize', () => {
  it('keys stations by name in order, sums counts and merges metrics whatever the order of the results', () => {
    const rs = [replica(2, 0.7), replica(0, 0.5), replica(1, 0.6)];
    const s = summarize(rs, { seed: 5, sloTarget: 0.2 });
    expect(Object.keys(s.stations)).toEqual(['web', 'db']);
    expect(s.replicas).toBe(3);
    expect(s.intervalNote).toBeNull();
    // utilisation 0.5, 0.6, 0.7: mean 0.6, s = 0.1, half = 4.302652730 * 0.1 / sqrt(3)
    const u = s.stations.web!.utilization;
    expect(u.mean).toBeCloseTo(0.6, 12);
    expect(u.ci95[1] - u.mean).toBeCloseTo((4.30265273 * 0.1) / Math.sqrt(3), 8);
    expect(s.stations.db!.counts).toEqual({ arrived: 303, completed: 270, dropped: 15, timedOut: 6, retries: 3, inFlight: 12, shed: 3 });
    expect(s.endToEnd.sloAttainment.mean).toBeCloseTo(0.99, 12);
    expect(s.events).toBe(3000);
    expect(s.sloTarget).toBe(0.2);
    expect(s.unstable).toBeNull();
    expect(JSON.stringify(summarize([rs[1]!, rs[2]!, rs[0]!], { seed: 5, sloTarget: 0.2 }))).toBe(JSON.stringify(s));
  });

  it('says an interval needs at least 2 replicas when there is one', () => {
    const s = summarize([replica(0, 0.5)], { seed: 1 });
    expect(s.intervalNote).toBe('a 95% confidence interval needs at least 2 replicas; with 1 replica the interval is [mean, mean]');
    expect(s.stations.web!.meanWait).toEqual({ mean: 0.05, ci95: [0.05, 0.05] });
  });

  it('reports instability loudly with the queue growth and the offered utilisation', () => {
    const s = summarize([replica(0, 0.9), replica(1, 0.95, true), replica(2, 0.97, true)], { seed: 1 });
    expect(s.unstable).not.toBeNull();
    const u = s.unstable!;
    expect(u.replicasStopped).toBe(2);
    expect(u.bottleneck).toBe('db');
    expect(u.offeredUtilization).toBeCloseTo(1.2, 12);
    expect(u.queueGrowthPerSecond).toBe(60);
    expect(u.stoppedAt).toBe(51);
    expect(u.reports.map((r) => r.replicaIndex)).toEqual([1, 2]);
    expect(u.message).toBe(
      'UNSTABLE: offered load exceeds capacity at station db: 60 req/s offered vs 50 req/s capacity (offered utilisation 1.200); requests in flight grew by 60/s ' +
        'and 2 of 3 replica(s) were stopped early (first at t = 51.00 s with 1000 in flight); the metrics describe a bounded run, not a steady state',
    );
  });

  it('refuses replicas that disagree on the stations', () => {
    const odd = { ...replica(1, 0.5), stations: [replica(1, 0.5).stations[0]!] };
    expect(() => summarize([replica(0, 0.5), odd], { seed: 1 })).toThrow('replica 1 has stations web, expected web, db');
  });
});

describe('mergeSeries', () => {
  const series = (t: number[], a: number[], resp: number[]): SeriesResult => ({
    interval: 10,
    t,
    stations: [{ name: 'web', arrivals: a, completions: a, drops: a.map(() => 0), utilization: a.map((x) => x / 100), meanQueueLength: a, meanResponse: resp, nodes: a.map(() => 2) }],
    endToEnd: { arrivals: a, completions: a, failures: a.map(() => 0), meanResponse: resp, inFlight: a },
  });

  it('averages interval by interval over replicas, leaves out NaN, and stops at the shortest replica', () => {
    const r0 = { ...replica(0, 0.5), series: series([10, 20, 30], [10, 20, 30], [0.1, NaN, 0.3]) };
    const r1 = { ...replica(1, 0.5), series: series([10, 20], [30, 40], [0.3, NaN]) };
    const m = mergeSeries([r0, r1])!;
    expect(m.t).toEqual([10, 20]);
    expect(m.endToEnd.arrivals).toEqual([20, 30]);
    expect(m.stations[0]!.utilization[0]).toBeCloseTo(0.2, 15);
    expect(m.stations[0]!.utilization[1]).toBeCloseTo(0.3, 15);
    expect(m.endToEnd.meanResponse[0]).toBeCloseTo(0.2, 15);
    expect(m.endToEnd.meanResponse[1]).toBeNaN();
    expect(mergeSeries([replica(0, 0.5)])).toBeNull();
  });
});

describe('pooled response quantiles', () => {
  it('pools every replica\'s histogram: the quantiles of 1..10000 ms split over two replicas', () => {
    // Replica 0 holds the odd milliseconds, replica 1 the even ones: only the pooled sample has the exact quantiles
    // (p50 = 5000 ms, p95 = 9500 ms, p99 = 9900 ms), to within the histogram's bucket width (2^-7 relative).
    const odd = new LogHistogram();
    const even = new LogHistogram();
    for (let ms = 1; ms <= 10_000; ms++) (ms % 2 ? odd : even).record(ms / 1000);
    const withHist = (i: number, h: LogHistogram): ReplicaResult => {
      const r = replica(i, 0.5);
      return { ...r, endToEnd: { ...r.endToEnd, responseHistogram: h.encode() } };
    };
    const p = summarize([withHist(0, odd), withHist(1, even)], { seed: 1 }).endToEnd.pooledResponse;
    expect(p.count).toBe(10_000);
    expect(p.max).toBe(10);
    for (const [got, want] of [[p.p50, 5], [p.p95, 9.5], [p.p99, 9.9], [p.p999, 9.99]] as const) {
      expect(Math.abs(got / want - 1)).toBeLessThan(2 ** -7);
    }
  });
});
