import type { Drill } from '../model/drill.js';
import { runReplicas } from '../sim/runner.js';
import { estimate, type Estimate } from '../sim/summary.js';
import type { ReplicaResult } from '../sim/types.js';
import { drillSimSpec, unpredictableReason } from './sim-spec.js';

/**
 * A latency predicted over replicas: the median of the replicas' values and a distribution-free interval for it (order
 * statistics, Conover, "Practical Nonparametric Statistics", 3rd ed., 1999, §3.2: [x(j), x(R−j+1)] with j the largest
 * rank such that P(Binomial(R, ½) < j) ≤ 2.5%, or the whole range when R is too small for that). The median, not the
 * mean, because near a tipping point the replicas split: in a retry storm most collapse (no request answered: their
 * latency is unbounded, Infinity) while a few escape, and a mean over the few that answered would describe neither.
 */
export interface LatencyEstimate {
  readonly median: number;
  readonly ci95: readonly [number, number];
  /** Replicas in which no request succeeded while some failed or waited (their latency counts as Infinity). */
  readonly unanswered: number;
}

/** What the simulator predicts for one second [t, t + 1) of the drill: counts as the mean over replicas with a 95% t interval, latencies as a median. */
export interface PredictedSecond {
  readonly t: number;
  /** New client requests arriving in the second. */
  readonly offered: Estimate;
  /** Client requests that succeeded in the second. */
  readonly achieved: Estimate;
  /** Response time (first send to success, retries included) of the requests that succeeded in the second, seconds. */
  readonly p50: LatencyEstimate;
  readonly p99: LatencyEstimate;
  /** Client requests that failed for good in the second (dropped or timed out after their retries). */
  readonly errors: Estimate;
  /** Of `errors`: those whose last attempt timed out. */
  readonly timeouts: Estimate;
  /** Retry attempts sent in the second. */
  readonly retries: Estimate;
  /** Client requests in flight at the end of the second (the backlog). */
  readonly inFlight: Estimate;
}

/** A phase of the drill as a whole: its p99 and the share of its requests that failed. */
export interface PredictedPhase {
  readonly from: number;
  readonly to: number;
  readonly p99: LatencyEstimate;
  readonly errorShare: Estimate;
}

export interface DrillPrediction {
  readonly replicas: number;
  readonly seed: number;
  readonly seconds: readonly PredictedSecond[];
  readonly phases: { readonly before: PredictedPhase; readonly during: PredictedPhase; readonly after: PredictedPhase };
  /** Why the fault is not predicted (the timeline then shows the model without the fault), or null. */
  readonly faultNotPredicted: string | null;
}

/**
 * Predict the whole drill, second by second, with the simulator: R replicas of `drillSimSpec`, each run once per
 * second k with stop = k + 1 and warm-up = k. The replicas are deterministic, so these runs share one trajectory, and
 * the difference of consecutive runs' whole-run counts is the second's counts, while the run's measured latencies
 * are exactly the requests that completed in [k, k + 1). The cost is about D² / 2 simulated seconds per replica
 * (under two seconds for a 30 s drill with 8 replicas on one core). Each second's figure is the mean over replicas
 * with the Student t interval of `estimate` (independent replications, Law 2015, §9.4.1). The service's latency
 * offset (a fixed delay outside the capacity) is added to the predicted latencies.
 */
export async function predictDrill(drill: Drill, options: { readonly onProgress?: (done: number, total: number) => void } = {}): Promise<DrillPrediction> {
  const reason = unpredictableReason(drill);
  // A fault the simulator cannot express is left out: the timeline then shows the model without it.
  const d: Drill = reason === null ? drill : { ...drill, fault: { ...drill.fault, actions: drill.fault.actions.filter((a) => a.effect !== undefined && !a.effect.pause) } };
  const R = drill.replicas;
  const seed = drill.seed;
  const offset = drill.services.reduce((a, s) => a + (s.latencyOffset ?? 0), 0);
  const D = Math.ceil(drill.duration);
  const run = (stop: number, warmup: number): Promise<ReplicaResult[]> => runReplicas(drillSimSpec(d, { stop, warmup }), { replicas: R, seed, inProcess: true });

  const seconds: PredictedSecond[] = [];
  let prev: ReplicaResult[] | undefined;
  for (let k = 0; k < D; k++) {
    // Stop just before k + 1: an event at exactly k + 1 (the fault starting) belongs to the next second.
    const cur = await run(k + 1 - 1e-9, k);
    const delta = (f: (r: ReplicaResult) => number): Estimate => estimate(cur.map((r, i) => f(r) - (prev ? f(prev[i]!) : 0)));
    const e2e = (r: ReplicaResult) => r.endToEnd;
    seconds.push({
      t: k,
      offered: delta((r) => e2e(r).counts.arrived),
      achieved: delta((r) => e2e(r).counts.completed),
      p50: latencyEstimate(cur.map((r, i) => unanswered(r, prev?.[i]) ? Infinity : e2e(r).p50Response + offset)),
      p99: latencyEstimate(cur.map((r, i) => unanswered(r, prev?.[i]) ? Infinity : e2e(r).p99Response + offset)),
      errors: delta((r) => e2e(r).counts.dropped + e2e(r).counts.timedOut),
      timeouts: delta((r) => e2e(r).counts.timedOut),
      retries: delta((r) => e2e(r).counts.retries),
      inFlight: estimate(cur.map((r) => e2e(r).counts.inFlight)),
    });
    prev = cur;
    options.onProgress?.(k + 1, D + 3);
  }
  const phase = async (from: number, to: number): Promise<PredictedPhase> => {
    // As for the seconds: an event at exactly `to` (the fault starting or ending) belongs to the next phase.
    const rs = await run(to - 1e-9, from);
    return {
      from,
      to,
      p99: latencyEstimate(rs.map((r) => (r.endToEnd.counts.completed === 0 || Number.isNaN(r.endToEnd.p99Response) ? (r.endToEnd.errorFraction > 0 || r.endToEnd.counts.inFlight > 0 ? Infinity : NaN) : r.endToEnd.p99Response + offset))),
      errorShare: estimate(rs.map((r) => r.endToEnd.errorFraction)),
    };
  };
  const end = drill.fault.at + drill.fault.for;
  const phases = { before: await phase(1, drill.baseline), during: await phase(drill.fault.at, end), after: await phase(end, drill.duration) };
  options.onProgress?.(D + 3, D + 3);
  return { replicas: R, seed, seconds, phases, faultNotPredicted: reason };
}

/** No request succeeded in the window [prev's stop, r's stop) while some failed or were still waiting. */
function unanswered(r: ReplicaResult, prev: ReplicaResult | undefined): boolean {
  const c = r.endToEnd.counts;
  const p = prev?.endToEnd.counts;
  const completed = c.completed - (p?.completed ?? 0);
  const failed = c.dropped + c.timedOut - (p ? p.dropped + p.timedOut : 0);
  return completed === 0 && (failed > 0 || c.inFlight > 0);
}

/**
 * Median and order-statistic interval of replica values (NaN left out, Infinity allowed); see LatencyEstimate.
 * @example latencyEstimate([0.3, 0.1, 0.2, Infinity]) // => { median: 0.25, ci95: [0.1, Infinity], unanswered: 1 }
 */
export function latencyEstimate(values: readonly number[]): LatencyEstimate {
  const xs = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const n = xs.length;
  const unansweredCount = xs.filter((v) => v === Infinity).length;
  if (n === 0) return { median: NaN, ci95: [NaN, NaN], unanswered: 0 };
  const median = n % 2 === 1 ? xs[(n - 1) / 2]! : xs[n / 2 - 1]! === xs[n / 2]! ? xs[n / 2]! : (xs[n / 2 - 1]! + xs[n / 2]!) / 2;
  // Largest j with P(Bin(n, 1/2) <= j - 1) <= 0.025; at least 1 (the range).
  let j = 1;
  let cdf = 0;
  let term = Math.pow(0.5, n); // P(B = 0)
  for (let k = 0; k < n; k++) {
    cdf += term;
    if (cdf > 0.025) break;
    j = k + 1;
    term = (term * (n - k)) / (k + 1);
  }
  j = Math.min(j, Math.ceil(n / 2));
  return { median, ci95: [xs[j - 1]!, xs[n - j]!], unanswered: unansweredCount };
}
