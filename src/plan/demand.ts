import { HeadroomError } from '../errors.js';
import { dailyPeak, nextPeriodStart, periodStart } from '../series/aggregate.js';
import type { Series } from '../series/types.js';
import type { ForecastResult } from '../forecast/types.js';
import { demandQuantile } from './demand-quantile.js';
import type { DemandEvaluator } from '../model/demand-expression.js';
import type { DemandSeries, PlanPeriod } from './types.js';

/**
 * Demand at each period's peak, from history to sized quantile:
 *
 * 1. History finer than a day is reduced to daily peaks (the busiest sample of each UTC day, series/aggregate.ts), so
 *    a long horizon is forecast in days, not in tens of thousands of hours, and the forecast is of the peak itself.
 *    A short plan (ending within about two months of the history) forecasts the sub-daily series itself instead, with
 *    its daily and weekly seasonality, and takes each period's peak hour.
 * 2. The daily series is forecast to the end of the last period (weekly and yearly seasonality detected or given).
 * 3. At every forecast step the median (the forecast mean) and the sized quantile (demand-quantile.ts) are taken;
 *    a variant multiplies both (extra growth, launches).
 * 4. A period's demand is the peak step of the period: the largest median and the largest sized quantile over its days.
 * 5. Derived demand (expressions in mathjs syntax such as `api_rps = users * 0.8`, limited to scalar arithmetic by
 *    model/demand-expression.ts) is evaluated per period on those peaks, in order. For an expression increasing in one driver this
 *    is exact (a quantile commutes with an increasing map); for several drivers it assumes their peaks coincide, which
 *    errs on the side of more capacity.
 */

const DAY = 86_400_000;

/**
 * Plans that end at most this far after the history (about two months) forecast sub-daily history at its own step,
 * with its daily and weekly seasonality, and take the peak hour of each period; longer plans forecast daily peaks.
 */
export const SUB_DAILY_HORIZON_MS = 62 * DAY;

/**
 * Reduce sub-daily history to daily peaks, unless the plan ends within SUB_DAILY_HORIZON_MS of the history (`endMs`),
 * where the hourly forecast is short and its daily cycle says when in the day the peak comes. Daily or coarser history
 * is used as it is.
 */
export function prepareDriverSeries(series: Series, endMs = Infinity): { series: Series; dailyPeaks: boolean } {
  const last = series.t[series.t.length - 1]!;
  if (series.stepMonths === undefined && series.stepMs < DAY && DAY % series.stepMs === 0 && endMs - last > SUB_DAILY_HORIZON_MS) {
    return { series: dailyPeak(series, 'max'), dailyPeaks: true };
  }
  return { series, dailyPeaks: false };
}

/** Label of a period: "2026-01" or "2026-Q1". */
export function periodLabel(startMs: number, period: 'month' | 'quarter'): string {
  const d = new Date(startMs);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  return period === 'month' ? `${y}-${String(m + 1).padStart(2, '0')}` : `${y}-Q${Math.floor(m / 3) + 1}`;
}

/** The first whole period after `lastMs` (the last history time): the period holding it is only partly in the past. */
export function defaultStart(lastMs: number, period: 'month' | 'quarter'): number {
  const p = periodStart(lastMs, period);
  // History that ends on the period's last day covers it; start with the next one either way.
  return nextPeriodStart(p, period);
}

/** `horizon` calendar periods from `startMs` (aligned to the period start). */
export function planPeriods(startMs: number, period: 'month' | 'quarter', horizon: number): PlanPeriod[] {
  const out: PlanPeriod[] = [];
  let s = periodStart(startMs, period);
  for (let i = 0; i < horizon; i++) {
    const e = nextPeriodStart(s, period);
    out.push({ index: i, label: periodLabel(s, period), startMs: s, endMs: e, hours: (e - s) / 3_600_000 });
    s = e;
  }
  return out;
}

/** Forecast steps needed from the end of `series` to cover up to `endMs` (exclusive). */
export function horizonSteps(series: Series, endMs: number): number {
  const last = series.t[series.t.length - 1]!;
  return Math.max(1, Math.ceil((endMs - last) / series.stepMs - 1e-9));
}

/** Median and sized quantile at every forecast step. */
export interface StepDemand {
  readonly t: Float64Array;
  readonly p50: Float64Array;
  readonly sized: Float64Array;
}

export function stepDemand(fc: ForecastResult, q: number): StepDemand {
  const n = fc.points.length;
  const t = new Float64Array(n);
  const p50 = new Float64Array(n);
  const sized = new Float64Array(n);
  fc.points.forEach((p, i) => {
    t[i] = p.timestampMs;
    p50[i] = Math.max(0, p.mean);
    sized[i] = demandQuantile(p, q);
  });
  return { t, p50, sized };
}

/** What a variant does to a driver's demand at time t: a factor (1 = nothing). */
export type DemandFactor = (tMs: number) => number;

/**
 * Peak per period of a driver's step demand times `factor`: the largest median and the largest sized quantile over
 * the steps inside each period. A period with no forecast step (a forecast coarser than the period) takes the step
 * that covers its start.
 */
export function periodPeaks(name: string, unit: string, d: StepDemand, periods: readonly PlanPeriod[], factor: DemandFactor): DemandSeries {
  const p50: number[] = [];
  const sized: number[] = [];
  const peakMs: number[] = [];
  let i = 0;
  const n = d.t.length;
  for (const per of periods) {
    while (i < n && d.t[i]! < per.startMs) i++;
    let best = -Infinity;
    let bestMed = -Infinity;
    let at = per.startMs;
    let j = i;
    for (; j < n && d.t[j]! < per.endMs; j++) {
      const f = factor(d.t[j]!);
      const s = d.sized[j]! * f;
      const m = d.p50[j]! * f;
      if (s > best) {
        best = s;
        at = d.t[j]!;
      }
      if (m > bestMed) bestMed = m;
    }
    if (j === i) {
      // No step inside: the last step at or before the period start covers it.
      const k = Math.max(0, Math.min(n - 1, i - 1));
      const f = factor(per.startMs);
      best = d.sized[k]! * f;
      bestMed = d.p50[k]! * f;
      at = per.startMs;
    }
    p50.push(bestMed);
    sized.push(best);
    peakMs.push(at);
  }
  return { name, unit, p50, sized, peakMs };
}

/** A compiled demand expression. */
export interface CompiledExpression {
  readonly name: string;
  readonly expression: string;
  readonly fn: DemandEvaluator;
}

/**
 * Compile `expression` with `compile`: model/demand-math.ts `DemandMath.compile`, which checks the expression and evaluates it with
 * the interpreter of model/demand-expression.ts (passed in: mathjs's parser is loaded lazily).
 */
export function compileExpression(name: string, expression: string, compile: (text: string) => DemandEvaluator): CompiledExpression {
  return { name, expression, fn: compile(expression) };
}

/**
 * Evaluate `expr` in every period on the values of `scope` (name → DemandSeries). The result must be a finite number
 * >= 0 in every period.
 * @throws HeadroomError INPUT_INVALID naming `where` (file and field) and the period when it is not.
 */
export function evaluateExpression(
  expr: CompiledExpression,
  unit: string,
  scope: ReadonlyMap<string, DemandSeries>,
  periods: readonly PlanPeriod[],
  where: string,
): DemandSeries {
  const p50: number[] = [];
  const sized: number[] = [];
  const first = scope.values().next().value as DemandSeries | undefined;
  for (let i = 0; i < periods.length; i++) {
    const vals50: Record<string, number> = {};
    const valsQ: Record<string, number> = {};
    for (const [k, s] of scope) {
      vals50[k] = s.p50[i]!;
      valsQ[k] = s.sized[i]!;
    }
    for (const [vals, out] of [
      [vals50, p50],
      [valsQ, sized],
    ] as const) {
      let v: unknown;
      try {
        v = expr.fn.evaluate({ ...vals });
      } catch (e) {
        throw new HeadroomError('INPUT_INVALID', `${where}: cannot evaluate "${expr.expression}" (${(e as Error).message})`);
      }
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new HeadroomError('INPUT_INVALID', `${where}: "${expr.expression}" gives ${String(v)} in ${periods[i]!.label}; expected a number >= 0`);
      }
      out.push(v);
    }
  }
  return { name: expr.name, unit, p50, sized, peakMs: first ? [...first.peakMs] : periods.map((p) => p.startMs) };
}
