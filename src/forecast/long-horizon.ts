import { ArTrendFit, fitArTrend } from './ar-trend.js';
import { trendTest, type TrendTest } from './drift.js';
import { EtsFit } from './ets.js';
import { EtsTrendAverage } from './ets-auto.js';
import { LogFit, logOf } from './log-transform.js';
import type { FittedModel } from './model.js';
import { decompose, DeseasonalisedFit, type SeasonalWindow } from './mstl.js';

/**
 * Growth at long horizons. AICc and the short rolling-origin windows judge a model by its fit one or a few steps
 * ahead; there a level-only model with α ≈ 0.5 follows a slow growth as a random walk follows anything, and its
 * likelihood barely improves with a trend (a daily growth of 0.08% against 3% noise). Six months ahead the missing
 * growth is the whole error: on the bundled users history (35% a year), ETS(A,N,A) has MASE 5.3 at 180 days, a
 * log-linear trend 2.4. So at a long horizon, when the seasonally adjusted log history has a significant slope
 * (drift.ts), the default (seasonal ETS, or MSTL with ETS on the adjusted series) is compared with its growth form at
 * the rolling origins, h steps apart, that `auto` already scored the default on (Tashman 2000, "Out-of-sample tests of
 * forecasting accuracy", IJF 16(4): judge a model by its error at the horizon the forecast is for):
 * - a level-only default (trend N) gives way unless the growth form erred more at every origin;
 * - a default with a trend of its own (ETS trend A or Ad, or MSTL's trend + AR(1) on y) gives way only when the growth
 *   form's mean error is lower: both carry growth there, and a local trend that bends (US construction employment
 *   through the 2008 recession: ETS(A,A,N) with β = 0.41, MASE 0.06 at 36 months; the line 1.61) must be kept, while a
 *   trend ETS holds constant (β ≈ 0.00005 on generated daily users) is better estimated as a line on log y with passing
 *   deviations (MASE at 180 days on 1,278 days of history 2.66 → 1.09 held out, 1.92 → 0.45 against the true future),
 *   and a line on y under-projects growth that compounds (12 weeks of hourly traffic at 60% a year, 720 hours ahead:
 *   growth error −0.43 → −0.15 points a month);
 * - a challenger that beat the default at the short windows (Theta, seasonal naive, the ensemble) gives way on the same
 *   terms, the lower mean error: the bundled users history 730 days ahead (a 24-month plan) chose Theta, +0.7% a month
 *   (its drift is half the slope); the growth form gives +3.2% (the generator's path, by the same measure: +3.3%).
 *
 * The growth form: MSTL on log y (growth compounds, and seasonal swings grow with the level) with the trend + AR(1)
 * model on the adjusted series (ar-trend.ts): a line, whose slope is the growth, and deviations from it that die out
 * at the rate φ the history shows. Measured against a level plus a constant drift (SES with drift, Hyndman & Billah
 * 2003, the line's slope added to the last level) on the growth benchmark (bench/forecast-growth.bench.ts), for
 * level-only defaults: on generated daily histories of 762 days, MASE at 180 days 4.90 → 4.09 held out and 4.51 → 3.72 against the true
 * future, with growth errors of 0.10–0.17 points a month either way: the level at the end of a history is partly a
 * passing deviation (a yearly cycle that is not detected, a busy week), and carrying it for six months costs more than
 * letting it fade. With deviations that persist (φ near 1, a random walk) the form behaves like level plus drift.
 *
 * Why, for a level-only default, a veto only when every origin agrees and not the lower mean error: with two years of
 * daily history a yearly cycle is not detected (seasonality.ts wants three cycles) and stays in the adjusted series; at
 * origins 180 and 360 days back the line is fitted to 7 to 19 months of a rising or falling half-wave, and the rolling-origin error says more
 * about the phase of that wave than about growth. On the 7 generated histories of 762 days (20–60% growth a year) where
 * the growth form was proposed, its mean error at the origins was 1.02–1.62 times the default's, so the lower mean
 * error would have kept none, although from the whole history it is the better forecast (MASE against the true future
 * 5.80 → 3.72, growth error −1.6 to −4.4 → −0.1 to −0.3 points a month); the veto keeps all 7 (the bundled users
 * history: ratio 0.76). Its cost: a random walk without drift has a significant slope more often than not (a spurious
 * regression, drift.ts) and then gets its past slope projected (4 of 8 simulated walks of 762 days, 0.3–0.8% a month
 * either way).
 */

/**
 * A horizon is long when it spans at least three cycles of the shortest seasonal period, or 24 steps without one.
 * The M4 competition's horizons (Makridakis, Spiliotis & Assimakopoulos 2020, IJF 36(1)) are at most two cycles
 * (8 quarters, 18 months, 14 days, 48 hours), and so are those of the accuracy benchmark: they stay with AICc and the
 * short windows, whose choices were measured there. A planner's horizons (180 days, 720 hours, 36 months) are long.
 */
export const LONG_CYCLES = 3;
const LONG_STEPS_WITHOUT_SEASON = 24;

export function isLongHorizon(h: number, periods: readonly number[]): boolean {
  if (periods.length === 0) return h >= LONG_STEPS_WITHOUT_SEASON;
  return h >= LONG_CYCLES * Math.min(...periods);
}

/**
 * |t| of the slope that proposes the growth form: 2.58, a two-sided 1% test (measured size 0.8–1.4% on AR(1) noise,
 * drift.ts). Growth in traffic is far from this line: the bundled users history has t = 14, the checkout history 173.
 */
export const DRIFT_T = 2.58;

export interface GrowthAlternative {
  /** The trend test on the seasonally adjusted (log) history. */
  readonly test: TrendTest;
  /** The growth form fitted to the whole history. */
  readonly fit: FittedModel;
  /** The same form fitted to a training window (a rolling origin): its own decomposition and line. */
  refit(train: Float64Array): FittedModel;
  /** Whether the base model carries a trend of its own (ETS trend A or Ad, or the trend + AR(1) model). */
  readonly trended: boolean;
}

/**
 * The growth form of `base`, the default model `auto` chose (seasonal ETS on y or log y, or MSTL with ETS or the
 * trend + AR(1) model on the adjusted series), with the trend test of the history. Undefined for any other model.
 */
export function growthAlternative(model: FittedModel, y: Float64Array, periods: readonly number[]): GrowthAlternative | undefined {
  // MSTL on log y is judged by the decomposition inside it
  const base = model instanceof LogFit && model.inner instanceof DeseasonalisedFit ? model.inner : model;
  let window: SeasonalWindow = 'local';
  let trended: boolean;
  if (base instanceof DeseasonalisedFit) {
    if (base.inner instanceof ArTrendFit) trended = true;
    else if (base.inner instanceof EtsFit || base.inner instanceof EtsTrendAverage) trended = base.inner.spec.trend !== 'N';
    else return undefined;
    window = base.decomposition.window;
  } else {
    const ets = base instanceof LogFit ? base.inner : base;
    if (!(ets instanceof EtsFit || ets instanceof EtsTrendAverage)) return undefined;
    trended = ets.spec.trend !== 'N';
  }
  const form = (v: Float64Array): { fit: FittedModel; test: TrendTest } => {
    const l = logOf(v);
    const x = l !== undefined ? l.logY : v;
    const wrap = (f: FittedModel): FittedModel => (l !== undefined ? new LogFit(f, l.sumLogY) : f);
    if (periods.length === 0) {
      const ar: ArTrendFit = fitArTrend(x);
      return { test: trendTest(x), fit: wrap(ar) };
    }
    const d = decompose(x, periods, window);
    return { test: trendTest(d.adjusted), fit: wrap(new DeseasonalisedFit(d, fitArTrend(d.adjusted), base.name, v.length, x)) };
  };
  const whole = form(y);
  return { test: whole.test, fit: whole.fit, refit: (train) => form(train).fit, trended };
}

/**
 * The trend of the seasonally adjusted history, when it is significant (|t| ≥ DRIFT_T): on log y when the history is
 * positive (a relative rate per step), else on y. For reporting growth when the chosen model carries none: at a short
 * horizon a level-only model can be the better forecast of the next days (AICc and the short windows chose it) while
 * the history grows steadily, and "+0.0% per month" would tell a planner the opposite of what the data show (the
 * bundled users history, 35% a year: t = 14). Undefined when the slope is not significant.
 */
export function historyTrend(y: Float64Array, periods: readonly number[]): { perStep: number; log: boolean; t: number } | undefined {
  const l = logOf(y);
  const x = l !== undefined ? l.logY : y;
  const usable = periods.filter((p) => 2 * p <= y.length);
  const adjusted = usable.length > 0 ? decompose(x, usable).adjusted : x;
  const test = trendTest(adjusted);
  if (!(Math.abs(test.t) >= DRIFT_T) || !Number.isFinite(test.slope)) return undefined;
  return { perStep: test.slope, log: l !== undefined, t: test.t };
}
