import { fitArimaOrder, difference, differencingLags, type ArimaFit, type ArimaOrder, type ArimaWork } from './arima.js';
import { longRunVariance } from '../stats/long-run-variance.js';
import { seasonalStrength } from './mstl.js';
import { interpolateGaps } from './seasonality.js';
import { stl } from './stl.js';

/** Largest seasonal period the seasonal ARIMA search carries (monthly and quarterly data); longer periods go through MSTL. */
export const MAX_ARIMA_PERIOD = 12;
/** Order limits of the restricted search: p, q ≤ 2 and P, Q ≤ 1. */
const MAX_P = 2;
const MAX_Q = 2;
const MAX_SP = 1;
const MAX_SQ = 1;
/**
 * Hard budget of one automatic fit, in steps of the residual recursion (each optimiser evaluation costs one step per
 * differenced point): the stepwise search stops and keeps the best order found so far once it is spent. Counted in work
 * rather than wall time so that a fit is the same on a loaded machine. Measured: the 741 monthly CO2 points used 1.55
 * million steps over 11 orders in 50 ms (about 30 ns a step on one core of the development machine), 120 monthly points
 * 0.12 million in 5 ms; so the budget caps a fit near 65 ms and binds only on long seasonal histories.
 */
export const MAX_WORK_STEPS = 2_000_000;

/**
 * KPSS statistic for level stationarity (Kwiatkowski, Phillips, Schmidt & Shin 1992, J. Econometrics 54): the squared
 * partial sums of the demeaned series over n² times its long-run variance (stats/long-run-variance.ts), Bartlett-weighted
 * to lag ⌊4 (n/100)^{1/4}⌋ (the "short" lag of R's `urca::ur.kpss`, which `forecast::ndiffs` uses).
 */
export function kpssStatistic(x: Float64Array): number {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let s = 0;
  let sumS2 = 0;
  for (let i = 0; i < n; i++) {
    s += x[i]! - mean;
    sumS2 += s * s;
  }
  const lrv = longRunVariance(x, Math.floor(4 * Math.pow(n / 100, 0.25)));
  return lrv > 0 ? sumS2 / (n * n * lrv) : 0;
}

/** The 5% critical value of the KPSS level test (Kwiatkowski et al. 1992, Table 1). */
const KPSS_CRITICAL_5 = 0.463;

/**
 * Number of first differences (0–2) by repeated KPSS tests at 5%, as `forecast::ndiffs` (Hyndman & Khandakar 2008,
 * §3.2): difference while the test rejects stationarity. A constant series needs none.
 */
export function firstDifferences(x: Float64Array): number {
  let cur = x;
  for (let d = 0; d < 2; d++) {
    if (cur.length < 4 || isConstant(cur) || !(kpssStatistic(cur) > KPSS_CRITICAL_5)) return d;
    cur = difference(cur, differencingLags(1, 0, 1));
  }
  return 2;
}

/**
 * Strength of the seasonal cycle of period m (mstl.ts `seasonalStrength`) from an STL decomposition with the seasonal
 * span 11 of R's `mstl` for one period.
 */
export function stlSeasonalStrength(x: Float64Array, m: number): number {
  if (x.length < 2 * m + 1) return 0;
  const d = stl(x, m, { seasonalWindow: 11 });
  return seasonalStrength(d.seasonal, d.remainder);
}

/** Seasonal strength from which one seasonal difference is taken (`forecast::nsdiffs`, test "seas"). */
const SEASONAL_STRENGTH_D = 0.64;

/**
 * Automatic restricted seasonal ARIMA, after Hyndman & Khandakar 2008 (§3.2): D = 1 when the seasonal strength is at
 * least 0.64, d by KPSS tests on the seasonally differenced series, then a stepwise search by AICc over p, q ≤ 2,
 * P, Q ≤ 1 and the constant (allowed when d + D ≤ 1): start from the best of (2,d,2)(1,D,1), (0,d,0)(0,D,0),
 * (1,d,0)(1,D,0) and (0,d,1)(0,D,1), then move to any neighbour with a lower AICc (one of p, q, P, Q ±1; p and q
 * together ±1; P and Q together ±1; the constant switched) until none is lower or the work budget (MAX_WORK_STEPS) is
 * spent. `m` is the seasonal period (integer 2–12) or undefined for a non-seasonal model. Gaps are interpolated for the
 * recursion; the fitted values stay NaN there.
 */
export function autoArima(y: Float64Array, m?: number): ArimaFit {
  const raw = interpolateGaps(y);
  const n = raw.length;
  // the recursion runs on y / scale, the largest |y|, so that sums of squares of huge or tiny values stay finite
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(raw[i]!));
  if (!(scale > 0) || !Number.isFinite(scale)) scale = 1;
  const filled = new Float64Array(n);
  for (let i = 0; i < n; i++) filled[i] = raw[i]! / scale;
  const season = m !== undefined && Number.isInteger(m) && m >= 2 && m <= MAX_ARIMA_PERIOD && n >= 2 * m + 4 ? m : 1;
  const D = season > 1 && stlSeasonalStrength(filled, season) >= SEASONAL_STRENGTH_D ? 1 : 0;
  const sd = D > 0 ? difference(filled, differencingLags(0, 1, season)) : filled;
  const d = firstDifferences(sd);
  const nw = n - d - D * season;
  // seasonal AR terms only when enough differenced points remain after conditioning on a whole seasonal lag
  const maxSP = season > 1 && nw >= MAX_P + season + 12 ? MAX_SP : 0;
  const maxSQ = season > 1 ? MAX_SQ : 0;
  const maxP = nw >= 12 ? MAX_P : Math.min(MAX_P, 1);
  const from = maxP + season * maxSP;
  const work: ArimaWork = { steps: 0 };
  const tried = new Map<string, ArimaFit | undefined>();
  const constantAllowed = d + D <= 1;
  const tryOrder = (o: ArimaOrder): ArimaFit | undefined => {
    const key = `${o.p}${o.q}${o.P}${o.Q}${o.constant ? 1 : 0}`;
    if (tried.has(key)) return tried.get(key);
    if (o.p < 0 || o.q < 0 || o.P < 0 || o.Q < 0 || o.p > maxP || o.q > MAX_Q || o.P > maxSP || o.Q > maxSQ) return undefined;
    if (o.constant && !constantAllowed) return undefined;
    const f = work.steps < MAX_WORK_STEPS ? fitArimaOrder(y, filled, o, from, work, scale) : undefined;
    tried.set(key, f);
    return f;
  };
  const base = { d, D, m: season, constant: constantAllowed };
  const seasonal = (P: number, Q: number): { P: number; Q: number } => (season > 1 ? { P, Q } : { P: 0, Q: 0 });
  let best: ArimaFit | undefined;
  const consider = (o: ArimaOrder): boolean => {
    const f = tryOrder(o);
    if (f !== undefined && (best === undefined || f.aicc < best.aicc)) {
      best = f;
      return true;
    }
    return false;
  };
  // the null model first: it is cheap and always fits, so a spent budget still leaves a model
  consider({ ...base, p: 0, q: 0, ...seasonal(0, 0) });
  consider({ ...base, p: 2, q: 2, ...seasonal(1, 1) });
  consider({ ...base, p: 1, q: 0, ...seasonal(1, 0) });
  consider({ ...base, p: 0, q: 1, ...seasonal(0, 1) });
  if (constantAllowed) consider({ ...base, constant: false, p: 0, q: 0, ...seasonal(0, 0) });
  for (let improved = best !== undefined; improved && work.steps < MAX_WORK_STEPS; ) {
    improved = false;
    const o: ArimaOrder = best!.order;
    const moves: Array<Partial<ArimaOrder>> = [
      { p: o.p + 1 }, { p: o.p - 1 }, { q: o.q + 1 }, { q: o.q - 1 },
      { P: o.P + 1 }, { P: o.P - 1 }, { Q: o.Q + 1 }, { Q: o.Q - 1 },
      { p: o.p + 1, q: o.q + 1 }, { p: o.p - 1, q: o.q - 1 },
      { P: o.P + 1, Q: o.Q + 1 }, { P: o.P - 1, Q: o.Q - 1 },
      { constant: !o.constant },
    ];
    for (const mv of moves) {
      if (consider({ ...o, ...mv })) {
        improved = true;
        break;
      }
    }
  }
  if (best !== undefined) return best;
  // a history too short for any order with a common start: the random walk (or seasonal random walk) on the filled series
  const walk = fitArimaOrder(y, filled, { p: 0, d: Math.max(d, season > 1 ? 0 : 1), q: 0, P: 0, D, Q: 0, m: season, constant: false }, 0, undefined, scale);
  if (walk === undefined) throw new Error(`arima: a history of ${n} points is too short for any order`);
  return walk;
}

function isConstant(x: Float64Array): boolean {
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return false;
  return true;
}

