import { trendTest, type TrendTest } from './drift.js';
import { EtsFit, fitEts, type EtsSpec } from './ets.js';
import { LogFit, logOf } from './log-transform.js';
import type { FittedModel } from './model.js';
import { decompose, DeseasonalisedFit, type SeasonalWindow } from './mstl.js';
import { nativePeriod } from './registry.js';
import { classicalSeasonalIndices } from './theta.js';
import { detrend, DriftFit } from './with-drift.js';

/**
 * Growth at long horizons. AICc and the short rolling-origin windows judge a model by its fit one or a few steps
 * ahead; there a level-only model with α ≈ 0.5 follows a slow growth as a random walk follows anything, and its
 * likelihood barely improves with a drift (a daily growth of 0.08% against 3% noise). Six months ahead the missing
 * drift is the whole error: on the bundled users history (35% a year), ETS(A,N,A) has MASE 5.3 at 180 days, a
 * log-linear trend 2.4. So at a long horizon the default model is given its drift form (with-drift.ts: the same
 * seasonal structure without a trend of its own, on log y when positive so that growth compounds, plus the
 * least-squares slope of the seasonally adjusted history as a constant drift) when that slope is significant
 * (drift.ts), unless the drift form erred more than the default at every rolling origin, h steps apart, that `auto`
 * already scored the default on (Tashman 2000, "Out-of-sample tests of forecasting accuracy", IJF 16(4): judge a
 * model by its error at the horizon the forecast is for).
 *
 * Why a veto only when every origin agrees, not the lower mean error: with two years of daily history a yearly cycle
 * is not detected (seasonality.ts wants three cycles) and stays in the adjusted series; at origins 180 and 360 days
 * back the slope is estimated from 7 to 19 months of a rising or falling half-wave, and the rolling-origin error says
 * more about the phase of that wave than about growth. On 9 generated histories of 762 days with 20–60% growth a year,
 * the lower mean error kept the drift form for 5 (the bundled users history: mean error ratio 1.03, not kept); the
 * veto keeps it for all 9. Its cost: a random walk without drift has a significant slope more often than not (a
 * spurious regression, drift.ts) and then gets its past slope projected, as a random walk with drift would.
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
 * |t| of the drift that moves the default to its drift form: 2.58, a two-sided 1% test, so that a wandering level
 * (a random walk without drift) is taken for growth in about 1% of histories. Growth in traffic is not near this
 * line: stationary noise around a steady growth gives t in the tens (the users history: t ≈ 40).
 */
export const DRIFT_T = 2.58;

export interface DriftAlternative {
  /** The trend test on the seasonally adjusted (log) history; its slope is the drift of the drift form. */
  readonly test: TrendTest;
  /** The drift form fitted to the whole history. */
  readonly fit: FittedModel;
  /** The same form fitted to a training window (a rolling origin): its own seasonal adjustment and slope. */
  refit(train: Float64Array): FittedModel;
}

/**
 * The drift form of `base`, the default model `auto` chose (seasonal ETS on y or log y, or MSTL with ETS on the
 * adjusted series): on log y when the history is positive (growth compounds), the least-squares slope b of the
 * seasonally adjusted series is the drift, and the base specification without its trend is fitted to the series less
 * b·t (with-drift.ts). The slope, not the mean of the differences (which an ETS(A,A,N) with β = 0 estimates by
 * maximum likelihood when α is large): the mean of the differences is the last value less the first over n, and one
 * odd end moves it (the bundled checkout history ends in a Black-Friday week 40% above the trend, which raised that
 * drift from 3.4% to 4.9% a month). Undefined when the base model already carries a trend of its own (ETS with trend
 * A, MSTL with the trend + AR(1) model) or is none of those.
 */
export function driftAlternative(base: FittedModel, y: Float64Array, periods: readonly number[]): DriftAlternative | undefined {
  const onScale = (v: Float64Array): { x: Float64Array; wrap: (f: FittedModel) => FittedModel } => {
    const l = logOf(v);
    return l !== undefined ? { x: l.logY, wrap: (f) => new LogFit(f, l.sumLogY) } : { x: v, wrap: (f) => f };
  };
  let form: (v: Float64Array) => { fit: FittedModel; test: TrendTest };
  if (base instanceof DeseasonalisedFit) {
    const inner = base.inner;
    if (!(inner instanceof EtsFit) || inner.spec.trend !== 'N') return undefined;
    const window: SeasonalWindow = base.decomposition.window;
    form = (v) => {
      const s = onScale(v);
      const d = decompose(s.x, periods, window);
      const test = trendTest(d.adjusted);
      const adj = new DriftFit(fitEts(detrend(d.adjusted, test.slope), { trend: 'N', season: 'N' }), test.slope, v.length);
      return { test, fit: s.wrap(new DeseasonalisedFit(d, adj, base.name, v.length, s.x)) };
    };
  } else {
    const ets = base instanceof LogFit ? base.inner : base;
    if (!(ets instanceof EtsFit) || ets.spec.trend !== 'N') return undefined;
    const m = nativePeriod(periods);
    form = (v) => {
      const s = onScale(v);
      const test = trendTest(seasonallyAdjusted(s.x, m));
      // on log y a multiplicative season is an additive one
      const season = s.x !== v && ets.spec.season === 'M' ? 'A' : ets.spec.season;
      const spec: EtsSpec = season === 'N' || m === undefined ? { trend: 'N', season: 'N' } : { trend: 'N', season, m };
      return { test, fit: s.wrap(new DriftFit(fitEts(detrend(s.x, test.slope), spec), test.slope, v.length)) };
    };
  }
  const whole = form(y);
  return { test: whole.test, fit: whole.fit, refit: (train) => form(train).fit };
}
/** x less the additive classical-decomposition seasonal indices of period m (x itself without a period). */
function seasonallyAdjusted(x: Float64Array, m: number | undefined): Float64Array {
  if (m === undefined) return x;
  const idx = classicalSeasonalIndices(x, m, false);
  const out = new Float64Array(x.length);
  for (let t = 0; t < x.length; t++) out[t] = x[t]! - idx[t % m]!;
  return out;
}
