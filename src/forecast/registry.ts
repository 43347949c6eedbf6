import { fitArTrend } from './ar-trend.js';
import { autoArima, MAX_ARIMA_PERIOD } from './arima-auto.js';
import { createRng } from '../rng.js';
import { meanAbsError } from './metrics.js';
import { EnsembleFit } from './ensemble.js';
import { LogFit, logOf, withLogChoice } from './log-transform.js';
import { guerreroLambda } from './box-cox.js';
import { EtsFit, fitEts } from './ets.js';
import { autoEts, EtsTrendAverage } from './ets-auto.js';
import { fitExponential } from './exponential.js';
import { fitLinear } from './linear.js';
import { fitLogistic } from './logistic.js';
import { meanForecast, type FittedModel } from './model.js';
import { DeseasonalisedFit, fitDeseasonalised, type SeasonalWindow } from './mstl.js';
import { fitNaive, fitSeasonalNaive } from './naive.js';
import { fitTheta } from './theta.js';
import type { ModelName } from './types.js';

/** What a model needs from the caller besides the values. */
export interface FitContext {
  /** Seasonal periods in steps (possibly non-integer), shortest first. */
  readonly periods: readonly number[];
  /** A known ceiling for the logistic model. */
  readonly ceiling?: number;
  /** Sampling step in milliseconds, when known (the trend + AR(1) model is offered below a day). */
  readonly stepMs?: number;
  /** Seasonal smoother spans of the MSTL decomposition (mstl.ts `seasonalSpan`); default `local`. */
  readonly seasonalWindow?: SeasonalWindow;
  /** Steps the forecast is for, when known: the trend + AR(1) model is judged at that lead (`adjustedModel`). */
  readonly horizon?: number;
  /**
   * The periods were named by the user rather than detected (seasonality.ts). A named period is a hint the history
   * may not bear out: seasonal ETS then also competes with its non-seasonal forms by AICc (`NAMED_PERIOD_SEASONS`).
   */
  readonly periodsNamed?: boolean;
  /**
   * The ETS model AICc chose for the seasonally adjusted series of the whole history (`adjustedEtsOf`): at a rolling
   * origin the adjusted-series model refits its specification(s) instead of searching them again; the choice between
   * it and the trend + AR(1) model is still made there.
   */
  readonly adjustedEts?: EtsFit | EtsTrendAverage;
}

export interface ModelEntry {
  /** Fewest observed points the model can be fitted to with these periods. */
  minPoints(periods: readonly number[]): number;
  fit(y: Float64Array, ctx: FitContext): FittedModel;
}

/** Largest seasonal state kept inside ETS; longer or several periods go through the MSTL decomposition instead. */
export const MAX_NATIVE_PERIOD = 400;

/** The single integer period a natively seasonal model (ETS, Theta) can carry, if the periods allow it. */
export function nativePeriod(periods: readonly number[]): number | undefined {
  if (periods.length !== 1) return undefined;
  const p = periods[0]!;
  return Number.isInteger(p) && p >= 2 && p <= MAX_NATIVE_PERIOD ? p : undefined;
}

function longest(periods: readonly number[]): number {
  let m = 0;
  for (const p of periods) m = Math.max(m, p);
  return m;
}

/** Two full cycles of the longest period, or `base` points without seasonality. */
const seasonalMin =
  (base: number) =>
  (p: readonly number[]): number =>
    p.length > 0 ? Math.max(base, Math.ceil(2 * longest(p))) : base;

/**
 * A trend model on a seasonal series: fitted to the MSTL-adjusted series with the seasonal components projected
 * forward; without periods, fitted to the series itself. With `amplitudeCheck`, below a day's step the shortest
 * cycle's amplitude is re-estimated from the last cycles (mstl.ts `recentAmplitude`; MSTL only).
 */
const trendModel =
  (name: ModelName, fitInner: (y: Float64Array, c: FitContext) => FittedModel, amplitudeCheck = false) =>
  (y: Float64Array, c: FitContext): FittedModel =>
    c.periods.length > 0
      ? fitDeseasonalised(y, c.periods, (adj) => fitInner(adj, c), name, c.seasonalWindow, amplitudeCheck && c.stepMs !== undefined && c.stepMs < DAY_MS)
      : fitInner(y, c);

/**
 * Shortest history offered the trend + AR(1) model. Its line is global: over a few years of monthly or quarterly data
 * it is a poor guide to where a bending trend goes next (on the accuracy benchmark, offering it below 200 points
 * raised the monthly mean MASE from 1.78 to 1.84, while from 200 points on it lowered the hourly and half-hourly MASE).
 */
const MIN_POINTS_AR_TREND = 200;
/**
 * The trend + AR(1) model is offered for sub-daily steps only: there a deviation from the daily and weekly pattern is a
 * burst of hours; in daily data (weather, page views) deviations last for weeks and a global line is the wrong thing to
 * revert to (on the benchmark's daily series, offering it raised auto's mean MASE from 1.44 to 1.66).
 */
const DAY_MS = 86_400_000;

/**
 * The trend + AR(1) model's held-out error may be this much above ETS's and it is still kept: one window is noisy
 * evidence against a model AICc preferred. Measured: 1 (ETS whenever it erred less) moved three of the growth
 * benchmark's no-growth hourly histories (720 hours ahead) to a level-only model, MASE against the true future 0.15 →
 * 0.17; 1.05 keeps them and every gain below; 1.1 or 1.25 lose the half-hourly gain (0.480 → 0.506).
 */
const AR_TREND_TOLERANCE = 1.05;

/**
 * The model for a seasonally adjusted series: the ETS specifications and the trend + AR(1) model, lowest AICc. The
 * AR(1) wins when deviations from the trend are bursts that die out, and then its intervals level off instead of
 * widening like a random walk's. When the horizon is known, the AR model must also forecast the last h points of the
 * adjusted series about as well as that ETS model from the data before them (`AR_TREND_TOLERANCE`): far ahead it is a
 * whole-history line, which a level that has drifted off it leaves behind; a line fitted to the recent half of the
 * history is tried there too (`RECENT_FRACTION`). Measured on the accuracy benchmark's tuning half (auto, mean MASE),
 * without the recent line: 1.727 → 1.726 (half-hourly 0.506 → 0.480); on the generated trend + AR series that bend off
 * their line, 0.853 → 0.827 (tuning) and 0.926 → 0.709 (check); requiring the AR model to err 20% less than ETS
 * instead: 1.728.
 *
 * At a rolling origin (`c.adjustedEts`) the ETS side refits the specification(s) the whole history's adjusted series
 * got instead of searching them again; the choice against the trend + AR(1) model is still made on the window.
 */
function adjustedModel(y: Float64Array, c: FitContext): FittedModel {
  const ets = c.adjustedEts === undefined ? autoEts(y, undefined) : c.adjustedEts.refit(y);
  const chosen = adjustedChoice(y, c, ets);
  etsChoiceBehind.set(chosen, ets);
  return chosen;
}

/** The ETS model each adjusted-series model was chosen against, ETS or not (`adjustedEtsOf`). */
const etsChoiceBehind = new WeakMap<FittedModel, EtsFit | EtsTrendAverage>();

/**
 * The ETS model AICc chose for the seasonally adjusted series inside an MSTL fit (on y or log y), whichever model
 * was then chosen for it: the specification its rolling origins refit (FitContext `adjustedEts`).
 */
export function adjustedEtsOf(fit: FittedModel): EtsFit | EtsTrendAverage | undefined {
  const inner = fit instanceof LogFit ? fit.inner : fit;
  return inner instanceof DeseasonalisedFit ? etsChoiceBehind.get(inner.inner) : undefined;
}

function adjustedChoice(y: Float64Array, c: FitContext, ets: EtsFit | EtsTrendAverage): FittedModel {
  if (y.length < MIN_POINTS_AR_TREND || !(c.stepMs !== undefined && c.stepMs < DAY_MS)) return ets;
  const ar = fitArTrend(y);
  if (!(ar.aicc < ets.aicc)) return ets;
  // AICc scores one-step errors; the forecast is used h steps ahead, where the AR(1) deviations have died out and only
  // the whole-history line is left: the AR model is kept unless, fitted without the last h points, it forecast them
  // worse than the ETS specification AICc chose (one origin, on the adjusted series already computed); the same model
  // with its line fitted to the recent half of the history takes its place when that forecast them better still
  const h = c.horizon;
  if (h === undefined || h < 2 || y.length - h < MIN_POINTS_AR_TREND) return ar;
  const train = y.subarray(0, y.length - h);
  const actual = y.subarray(y.length - h);
  const rng = createRng(0, 0x4152);
  const eAr = meanAbsError(actual, meanForecast(fitArTrend(train), h, rng));
  const eEts = meanAbsError(actual, meanForecast(fitEts(train, ets.spec), h, rng));
  // the line fitted to the recent part of the history only, for a level that has left the whole-history line
  const eRecent = meanAbsError(actual, meanForecast(fitArTrend(train, recentStart(train.length)), h, rng));
  if (eRecent < eAr && eRecent <= AR_TREND_TOLERANCE * eEts) return fitArTrend(y, recentStart(y.length));
  return eAr <= AR_TREND_TOLERANCE * eEts ? ar : ets;
}

/**
 * Share of the history the recent trend + AR(1) line is fitted to (at least MIN_POINTS_AR_TREND points). Measured on
 * the accuracy benchmark (auto, mean MASE, with the horizon check): the last half, tuning 1.7204 → 1.7188 and check
 * 1.9270 → 1.9272 (GitHub commits hourly 0.694 → 0.637; a few generated hourly and half-hourly series either way); the
 * last third, tuning 1.7212. On the generated trend + AR series that bend off their line it changes nothing (0.827 /
 * 0.709): their bend lies in the last 25–40%.
 */
const RECENT_FRACTION = 0.5;

/** First step of the recent part (`RECENT_FRACTION`) of a history of n steps. */
function recentStart(n: number): number {
  return Math.max(0, n - Math.max(MIN_POINTS_AR_TREND, Math.floor(RECENT_FRACTION * n)));
}

const mstlOnScale = trendModel('mstl', (y, c) => adjustedModel(y, c), true);

/**
 * Guerrero's λ (box-cox.ts) below which MSTL is fitted to log y, for daily and longer steps: the noise grows nearly in
 * proportion to the level, and on the original scale the additive components learn a busy season's swings and bursts
 * as seasonality. Measured on the tuning half of the accuracy benchmark (auto, mean MASE; 1.726 with the trend + AR(1)
 * judged at the horizon alone): daily steps only, 1.720 (daily 1.562 → 1.508); every step, 1.724 (hourly 0.621 →
 * 0.656, and 1.3x auto's time on 1,000 hourly points: MSTL on log y shares no decomposition with Theta on y), λ < 0.25
 * 1.725; both scales fitted and the lower AICc with the Jacobian kept, when λ < 0.5 or always (the blanket choice
 * dropped before), 1.727 at twice the cost. STL's robustness passes (stl.ts `robust`) in MSTL, always or when more than
 * 0.5% of the remainder got weight 0, 1.733–1.750 (hourly 0.621 → 0.655–0.823: the robust cycle discounts the real
 * swings of busy hours too). Sub-daily MSTL keeps y and its intervals scale with the level instead (mstl.ts
 * `levelScale`). The log is Box–Cox λ = 0; other λ were not tried on their own.
 */
const LOG_BELOW_LAMBDA = 0.5;

/** MSTL on log y when the noise grows with the level (`LOG_BELOW_LAMBDA`), on y otherwise. */
function fitMstl(y: Float64Array, c: FitContext): FittedModel {
  if (c.periods.length === 0 || !(c.stepMs !== undefined && c.stepMs >= DAY_MS)) return mstlOnScale(y, c);
  const lambda = guerreroLambda(y, Math.min(...c.periods));
  if (lambda === undefined || !(lambda < LOG_BELOW_LAMBDA)) return mstlOnScale(y, c);
  const l = logOf(y)!;
  return new LogFit(mstlOnScale(l.logY, c), l.sumLogY);
}

/**
 * Seasonal forms ETS compares by AICc for a period the user named: none, additive and multiplicative, the m seasonal
 * states counted in the penalty (etsParamCount), as R's `ets` does. Without the non-seasonal form a series that has no
 * such cycle gets one anyway, and a level shift near the end leaks into the seasonal states and repeats every cycle.
 * Measured on the accuracy benchmark's "period named" group (16 generated monthly and hourly local levels with drift,
 * three in four with a lasting shift of 3–6 sd just before the end, period 12 or 24 named): auto 0.866 → 0.839 on the
 * tuning seeds and 1.047 → 0.968 on the check seeds, the non-seasonal form chosen on all 16. For detected periods
 * (which passed the autocorrelation test on this history) the same comparison scored worse on the 91 series, tuning
 * 1.713 → 1.715 and check 1.915 → 1.924 (monthly AAPL 1.948 → 2.157), so it is kept to named ones.
 */
const NAMED_PERIOD_SEASONS = ['N', 'A', 'M'] as const;

/** An explicit name → model map (no registration by import side effect). */
export const MODELS: Record<ModelName, ModelEntry> = {
  naive: { minPoints: () => 2, fit: (y) => fitNaive(y) },
  snaive: {
    minPoints: (p) => (p.length > 0 ? Math.ceil(longest(p)) + 1 : 2),
    fit: (y, c) => (c.periods.length > 0 ? fitSeasonalNaive(y, longest(c.periods)) : fitNaive(y)),
  },
  linear: { minPoints: seasonalMin(3), fit: trendModel('linear', (y) => fitLinear(y)) },
  exponential: { minPoints: seasonalMin(3), fit: trendModel('exponential', (y) => fitExponential(y)) },
  logistic: { minPoints: seasonalMin(6), fit: trendModel('logistic', (y, c) => fitLogistic(y, c.ceiling)) },
  damped: { minPoints: seasonalMin(5), fit: trendModel('damped', (y) => fitEts(y, { trend: 'Ad', season: 'N' })) },
  // ETS on y or on log y, by AICc on the original scale (log-transform.ts): measured on the accuracy benchmark, mean
  // MASE 1.894 → 1.867 and the generated exponential-growth series 0.66 → 0.43
  ets: {
    minPoints: seasonalMin(4),
    fit: (y, c) => {
      const m = nativePeriod(c.periods);
      if (m !== undefined || c.periods.length === 0) return withLogChoice(y, (v) => autoEts(v, m, c.periodsNamed === true ? { seasons: NAMED_PERIOD_SEASONS } : {}));
      return fitDeseasonalised(y, c.periods, (adj) => autoEts(adj, undefined), 'ets');
    },
  },
  theta: {
    minPoints: seasonalMin(4),
    fit: (y, c) => {
      const m = nativePeriod(c.periods);
      if (m !== undefined || c.periods.length === 0) return fitTheta(y, m);
      return fitDeseasonalised(y, c.periods, (adj) => fitTheta(adj), 'theta');
    },
  },
  // (a log-scale choice here too was measured and dropped: mean MASE 1.87 → 1.90 on the accuracy benchmark)
  mstl: { minPoints: seasonalMin(4), fit: (y, c) => fitMstl(y, c) },
  // restricted seasonal ARIMA (arima-auto.ts) carrying a native period up to 12; longer or several periods are
  // removed by MSTL first and a non-seasonal ARIMA is fitted to the adjusted series
  arima: {
    minPoints: seasonalMin(8),
    fit: (y, c) => {
      const m = nativePeriod(c.periods);
      if (c.periods.length === 0 || (m !== undefined && m <= MAX_ARIMA_PERIOD)) return autoArima(y, m);
      return fitDeseasonalised(y, c.periods, (adj) => autoArima(adj, undefined), 'arima');
    },
  },
  ensemble: {
    minPoints: seasonalMin(4),
    fit: (y, c) => new EnsembleFit(ensembleMembers(c.periods).map((name) => MODELS[name].fit(y, c))),
  },
};

/** Every model name, in the order of MODELS: the one list that forecast() and plan scenarios accept. */
export const MODEL_NAMES = Object.keys(MODELS) as ModelName[];

/** What a user may ask for: a model by name, or `auto` (the best by rolling-origin validation, select.ts). */
export const FORECAST_MODEL_CHOICES: readonly ['auto', ...ModelName[]] = ['auto', ...MODEL_NAMES];

/**
 * Members of the `ensemble` model: ETS, Theta and MSTL-ETS when ETS can carry the season itself (one integer
 * period); otherwise ETS and MSTL-ETS are the same model (both fit ETS to the MSTL-adjusted series, or to the raw
 * series without seasonality), so the third member is the (seasonal) naive forecast.
 */
export function ensembleMembers(periods: readonly number[]): ModelName[] {
  if (nativePeriod(periods) !== undefined) return ['ets', 'theta', 'mstl'];
  return ['mstl', 'theta', periods.length > 0 ? 'snaive' : 'damped'];
}
