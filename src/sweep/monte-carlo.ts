import type { PlanPeriod } from '../plan/types.js';
import type { PathOutcome } from './path-plan.js';

/** P10, P50 and P90 of a date (epoch ms; null = after the horizon) or an amount. */
export interface Spread<T> {
  readonly p10: T;
  readonly p50: T;
  readonly p90: T;
}

export interface ServiceRisk {
  readonly service: string;
  /** Exhaustion date quantiles: the start of the period the current fleet runs out in; null = not within the horizon. */
  readonly exhaustion: Spread<number | null>;
  /** Share of paths that run out within the horizon. */
  readonly exhaustedShare: number;
  /** Order by this date to have the nodes in time with the chosen confidence; null = no order needed within the horizon. */
  readonly orderByMs: number | null;
  readonly cost: Spread<number>;
}

export interface MonteCarloSummary {
  readonly paths: number;
  readonly confidence: number;
  /** The earliest exhaustion over the services, path by path. */
  readonly earliest: Omit<ServiceRisk, 'service' | 'cost'>;
  readonly services: readonly ServiceRisk[];
  readonly cost: Spread<number>;
}

/**
 * Summarise Monte-Carlo paths. Exhaustion dates are discrete (period starts), so their quantiles are inverse-CDF
 * quantiles (Hyndman & Fan type 1: the smallest date with at least a share q of paths exhausted by then), never
 * interpolated between months; a quantile beyond the paths that run out is `null` (after the horizon). Costs use the
 * same rule.
 *
 * Order-by date for confidence c: nodes ordered at D arrive at D + lead time, which must not be after the exhaustion
 * date E with probability c: P(E < D + lead) <= 1 - c. Among period starts s_k, the latest with the share of paths
 * exhausted before s_k at most 1 - c is the arrival deadline; the order-by date is that minus the lead time.
 */
export function summarizePaths(paths: readonly PathOutcome[], services: readonly string[], periods: readonly PlanPeriod[], leadTimeMs: number, confidence: number): MonteCarloSummary {
  const n = paths.length;
  const risk = (indices: number[]): Omit<ServiceRisk, 'service' | 'cost'> => {
    const sorted = indices.map((i) => (i < 0 ? Infinity : i)).sort((a, b) => a - b);
    const q = (p: number): number | null => {
      const v = sorted[Math.max(0, Math.ceil(p * n) - 1)]!;
      return Number.isFinite(v) ? periods[v]!.startMs : null;
    };
    // exhaustedBefore[k] = paths whose exhaustion period is < k
    let deadline: number | null = null;
    let j = 0;
    for (let k = 0; k <= periods.length; k++) {
      while (j < n && sorted[j]! < k) j++;
      if (j / n <= 1 - confidence + 1e-12) deadline = k;
      else break;
    }
    const orderByMs = deadline === null || deadline >= periods.length ? null : periods[deadline]!.startMs - leadTimeMs;
    return { exhaustion: { p10: q(0.1), p50: q(0.5), p90: q(0.9) }, exhaustedShare: sorted.filter(Number.isFinite).length / n, orderByMs };
  };
  const spread = (xs: number[]): Spread<number> => {
    const s = [...xs].sort((a, b) => a - b);
    const q = (p: number): number => s[Math.max(0, Math.ceil(p * n) - 1)]!;
    return { p10: q(0.1), p50: q(0.5), p90: q(0.9) };
  };
  return {
    paths: n,
    confidence,
    earliest: risk(paths.map((p) => p.exhaustion.reduce((a, e) => (e >= 0 && (a < 0 || e < a) ? e : a), -1))),
    services: services.map((service, k) => ({
      service,
      ...risk(paths.map((p) => p.exhaustion[k]!)),
      cost: spread(paths.map((p) => p.serviceCost[k]!)),
    })),
    cost: spread(paths.map((p) => p.totalCost)),
  };
}
