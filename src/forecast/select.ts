import { createRng } from '../rng.js';
import { EnsembleFit, medianOfMeans } from './ensemble.js';
import { calibrationFrom, CalibratedFit, type Calibration } from './intervals.js';
import { meanForecast, type Bands, type FittedModel } from './model.js';
import { ArTrendFit, fitArTrend } from './ar-trend.js';
import { EtsFit } from './ets.js';
import { EtsTrendAverage } from './ets-auto.js';
import { LogFit, logOf } from './log-transform.js';
import { DRIFT_T, growthAlternative, isLongHorizon } from './long-horizon.js';
import { DeseasonalisedFit, fitDeseasonalised, MAX_STL_PERIOD, type SeasonalWindow } from './mstl.js';
import { adjustedEtsOf, ensembleMembers, MODELS, nativePeriod, type FitContext } from './registry.js';
import { candidatePeriods } from './seasonality.js';
import type { ForecastOptions, ModelName } from './types.js';

export interface Choice {
  readonly fit: FittedModel;
  /** Rolling-origin mean absolute error per candidate, in the order tried. */
  readonly scores: ReadonlyArray<{ readonly model: ModelName; readonly mae: number }>;
  readonly calibration: Calibration | undefined;
  /**
   * The chosen model refitted to a prefix of the history as at the calibration origins (its specification kept where
   * it can be); the forecast it would have made there, e.g. before a level shift (level-shift.ts).
   */
  readonly refit: (train: Float64Array) => FittedModel;
}

/**
 * MSTL with stable seasonal shapes (long seasonal smoother spans, mstl.ts `seasonalSpan`), tried beside the usual
 * spans when the default is MSTL: in traffic whose daily and weekly shape holds still, short spans average each phase
 * over a handful of cycles and carry their noise into every forecast cycle; where the shape drifts (a daily cycle that
 * grows with the season), long spans lag behind it. The rolling-origin windows decide which.
 */
const STABLE = 'mstl-stable' as const;
type Candidate = ModelName | typeof STABLE;
/** Rolling origins (the latest) at which the two MSTL variants are compared: two, to keep `auto` within its time. */
const STABLE_ORIGINS = 2;

/** Candidate families for `auto`, given the usable seasonal periods. */
export function candidates(periods: readonly number[]): ModelName[] {
  if (nativePeriod(periods) !== undefined) return ['ets', 'theta', 'mstl', 'snaive'];
  // without a native period ETS and MSTL-ETS are the same model: fit it once
  return ['mstl', 'theta', periods.length > 0 ? 'snaive' : 'naive'];
}

/**
 * The default family's cross-validation error is multiplied by this before the comparison: another family (or the
 * ensemble) is chosen only when it halves the default's error on the held-out windows. Measured on the accuracy
 * benchmark (mean MASE over 84 series): the ensemble favoured by 0.8 instead: 1.95; the default favoured by
 * 0.9: 1.99, by 0.8: 1.93, by 0.7: 1.92, by 0.5 or always the default: 1.91. Three short windows are weak evidence;
 * AICc within ETS, which uses the whole history, chooses better than they do. The windows stay useful as a guard
 * against a default that fails outright, and as the errors the intervals are recalibrated from.
 */
const DEFAULT_PREFERENCE = 0.5;

/** Rolling origins at which `auto` compares the candidate families. */
const MAX_ORIGINS = 3;
/**
 * Rolling origins the chosen model's intervals are recalibrated from (`calibrationOrigins`). Five, as measured before
 * the origins were freed from the horizon: auto on the accuracy benchmark, 80% / 95% coverage with three 0.689 / 0.814
 * and with five 0.690 / 0.831; on 60 simulated half-hourly series (daily + weekly cycles, AR(1) noise) 0.760 / 0.931
 * and 0.775 / 0.932. More held-out points make the stretch factors less noisy.
 */
const CALIBRATION_ORIGINS = 5;

/**
 * `auto`: the default is seasonal ETS chosen by AICc when ETS can carry the period, otherwise MSTL with ETS or trend +
 * AR(1) on the adjusted series, chosen by AICc (for no seasonality, that is ETS by AICc). Rolling-origin
 * cross-validation (Tashman 2000, "Out-of-sample tests of forecasting accuracy", IJF 16(4)) on the end of the
 * history checks it: up to three origins h steps apart (fewer and shorter when the history is short); at each origin
 * every candidate family, and the median ensemble, is fitted to the data before the origin (the default with the ETS
 * specification AICc chose on the whole history, `fitAtOrigin`) and scored by the mean absolute error of its point
 * forecast of the next steps. When the default is MSTL, it is MSTL with local or with stable seasonal spans, whichever
 * erred less at the latest two origins (STABLE). A challenger replaces the default only when it halves its error
 * (DEFAULT_PREFERENCE). At a long horizon (long-horizon.ts `isLongHorizon`) the held-out window is at most half the
 * history, and when the seasonally adjusted log history has a significant trend (drift.ts) the chosen model may give way
 * to the default's growth form, scored at the same origins (long-horizon.ts says when). The chosen model is fitted to
 * the whole history (the default's whole-history fit is reused), and its intervals are recalibrated from its own
 * held-out errors at origins that do not depend on the horizon (`calibrationOrigins`, intervals.ts).
 */
export function chooseModel(y: Float64Array, allPeriods: readonly number[], h: number, options: ForecastOptions, stepMs?: number): Choice {
  const n = y.length;
  const periods = allPeriods.filter((p) => 2 * p <= n);
  const ctx: FitContext = {
    periods,
    ...(stepMs !== undefined ? { stepMs } : {}),
    ...(options.ceiling !== undefined ? { ceiling: options.ceiling } : {}),
    ...(options.seasonalPeriods !== undefined ? { periodsNamed: true } : {}),
    horizon: h,
  };
  const names = candidates(periods);
  const members0 = ensembleMembers(periods);
  const fallback = defaultName(periods);
  const minTrain = Math.max(MODELS.ets.minPoints(periods), 8);
  // at a long horizon the held-out window is at most half the history: 730 days forecast from the first 32 of a
  // 762-day history say nothing about any model (there Theta beat the users history's default and projected +0.7% a
  // month instead of +2.5%). Requiring as much history before every origin as the window it forecasts was tried and
  // dropped: it cut the origins from two to one on the growth benchmark's employment series (MASE at 36 months
  // 0.91 → 1.07, naive chosen more often)
  const long = isLongHorizon(h, periods);
  let v = long ? Math.max(1, Math.min(h, Math.floor(n / 2))) : h;
  let k = MAX_ORIGINS;
  while (k > 1 && n - k * v < minTrain) k--;
  if (n - k * v < minTrain) v = Math.max(1, Math.min(h, n - minTrain, Math.floor(n / 4)));
  const rng = createRng(options.seed ?? 0, 0x53454c);
  // the MSTL default with stable seasonal shapes too, when the series goes through MSTL (see STABLE below)
  const stable = fallback === 'mstl' && periods.some((p) => Number.isInteger(p) && p <= MAX_STL_PERIOD);
  const ctxStable: FitContext = { ...ctx, seasonalWindow: 'stable' };
  const all: Array<Candidate> = [...names, ...(stable ? [STABLE] : []), 'ensemble'];
  const fitOf = (name: Candidate, train: Float64Array): FittedModel => (name === STABLE ? MODELS.mstl.fit(train, ctxStable) : MODELS[name].fit(train, ctx));
  // at a rolling origin, MSTL with stable spans refits the adjusted-series model the local spans chose there (the
  // comparison is about the spans), which saves the AICc search over the ETS specifications and the AR model
  const stableLike = (local: FittedModel | undefined, train: Float64Array): FittedModel => refitLike(local, train, periods, 'stable') ?? fitOf(STABLE, train);
  // The default is fitted to the whole history once (and kept when chosen); at each rolling origin it reuses the ETS
  // specification(s) AICc chose there, parameters re-estimated, instead of searching them again: the comparison with
  // the other families is about the family, and the calibration origins do the same.
  // - An ETS default is refitted as it is (`refitEtsLike`), where it searched twelve specifications: the same choice on
  //   90 of the 91 series of the accuracy benchmark and all 40 failure-mode ones (monthly GOOG went to Theta,
  //   0.830 → 0.554; check half 1.921 → 1.915, tuning unchanged); 120 monthly points 18 → 7 ms. Not at a long
  //   horizon, where the origins also weigh the default against its growth form (long-horizon.ts) and the whole
  //   history's trend specification made the default look better there than it was: forecast-growth, generated daily
  //   over 762 days, 3.33 → 3.39 (one history 3.93 → 6.34, kept on ETS instead of its growth form).
  // - An MSTL default decomposes each origin's window and refits the ETS model the whole history's adjusted series got
  //   (registry.ts `adjustedEtsOf`), still choosing between it and the trend + AR(1) model there: refitting the
  //   whole history's adjusted-series model as it is, AR or ETS, moved the ar drift group 0.827 → 1.145. With the
  //   choice kept, every figure of the accuracy benchmark is unchanged and forecast-growth moves one series (generated
  //   daily, 1,278 days: 1.588 → 1.451); 10,000 hourly points 263 → 186–197 ms.
  let wholeEts: FittedModel | undefined;
  let wholeMstl: FittedModel | undefined;
  const fitAtOrigin = (name: Candidate, train: Float64Array): FittedModel => {
    if (name === 'mstl' && fallback === 'mstl') {
      wholeMstl ??= fitOf('mstl', y);
      const hint = adjustedEtsOf(wholeMstl);
      return hint !== undefined ? MODELS.mstl.fit(train, { ...ctx, adjustedEts: hint }) : fitOf(name, train);
    }
    if (name !== 'ets' || fallback !== 'ets' || long) return fitOf(name, train);
    wholeEts ??= fitOf('ets', y);
    return refitEtsLike(wholeEts, train) ?? fitOf(name, train);
  };
  const err = new Map<Candidate, number>();
  // the rolling origins score point forecasts only: their bands are never read, so no model simulates paths for them
  const held = new Map<Candidate, Array<{ actual: Float64Array; mean: Float64Array }>>();
  for (const name of all) {
    err.set(name, 0);
    held.set(name, []);
  }
  const usable = new Set<Candidate>(all);
  for (let o = 1; o <= k; o++) {
    const origin = n - o * v;
    if (origin < 2) break;
    const train = y.subarray(0, origin);
    const actual = y.subarray(origin, origin + v);
    const observed = countObserved(train);
    const meanBy = new Map<Candidate, Float64Array>();
    let localFit: FittedModel | undefined;
    for (const name of all) {
      if (!usable.has(name) || name === 'ensemble' || (name === STABLE && o > STABLE_ORIGINS)) continue;
      if (observed < MODELS[name === STABLE ? 'mstl' : name].minPoints(periods)) {
        usable.delete(name);
        continue;
      }
      const f = name === STABLE ? stableLike(localFit, train) : fitAtOrigin(name, train);
      if (name === 'mstl') localFit = f;
      meanBy.set(name, meanForecast(f, v, rng));
    }
    const members = members0.map((m) => meanBy.get(m)).filter((b): b is Float64Array => b !== undefined);
    if (members.length === members0.length) meanBy.set('ensemble', medianOfMeans(members));
    else usable.delete('ensemble');
    for (const [name, mean] of meanBy) {
      if (!usable.has(name)) continue;
      err.set(name, err.get(name)! + meanAbs(actual, mean));
      held.get(name)!.push({ actual, mean });
    }
  }
  const meanErr = (name: Candidate): number => (usable.has(name) && held.get(name)!.length > 0 ? err.get(name)! / held.get(name)!.length : Infinity);
  // the default is MSTL with whichever seasonal spans did better on the held-out windows both were scored on
  const firstErr = (name: Candidate): number => {
    const hs = held.get(name)!.slice(0, STABLE_ORIGINS);
    return usable.has(name) && hs.length > 0 ? hs.reduce((a, x) => a + meanAbs(x.actual, x.mean), 0) / hs.length : Infinity;
  };
  const dflt: Candidate = stable && firstErr(STABLE) < firstErr('mstl') ? STABLE : fallback;
  const scores: Array<{ model: ModelName; mae: number }> = [];
  let best: Candidate | undefined;
  let bestMae = Infinity;
  for (const name of all) {
    if (!usable.has(name) || held.get(name)!.length === 0 || (name === STABLE && dflt !== STABLE) || (name === 'mstl' && dflt === STABLE)) continue;
    const mae = meanErr(name) * (name === dflt ? DEFAULT_PREFERENCE : 1);
    scores.push({ model: name === STABLE ? 'mstl' : name, mae });
    if (best === undefined || mae < bestMae) {
      best = name;
      bestMae = mae;
    }
  }
  const chosen: Candidate = best ?? (periods.length === 0 ? 'naive' : 'snaive');
  let fitChosen = (train: Float64Array): FittedModel =>
    chosen === 'ensemble' ? new EnsembleFit(members0.map((m) => MODELS[m].fit(train, ctx))) : fitOf(chosen, train);
  const wholeDefault = (name: Candidate): FittedModel | undefined => (name === 'ets' ? wholeEts : name === 'mstl' ? wholeMstl : undefined);
  let fit = wholeDefault(chosen) ?? fitChosen(y);
  let grown = false;
  // at a long horizon, the default's growth form when the history has a significant trend (long-horizon.ts): in place
  // of a level-only default unless it erred more at every rolling origin both were scored on; in place of a default
  // with a trend of its own, or of a challenger that beat the default, when its mean error at those origins is lower
  if (best !== undefined && long) {
    const isDefault = chosen === fallback || chosen === STABLE;
    const base = isDefault ? fit : usable.has(dflt) && held.get(dflt)!.length > 0 ? (wholeDefault(dflt) ?? fitOf(dflt, y)) : undefined;
    const alt = base !== undefined ? growthAlternative(base, y, periods) : undefined;
    if (alt !== undefined && Math.abs(alt.test.t) >= DRIFT_T) {
      const heldRef = held.get(best)!;
      const heldGrowth: Array<{ actual: Float64Array; mean: Float64Array }> = [];
      let worseEverywhere = heldRef.length > 0;
      let eRef = 0;
      let eGrowth = 0;
      // the growth form is scored only where it can be fitted (a challenger such as snaive needs less history)
      const fits = heldRef.every((_, i) => countObserved(y.subarray(0, n - (i + 1) * v)) >= MODELS.mstl.minPoints(periods));
      for (let o = 1; fits && o <= heldRef.length; o++) {
        const actual = heldRef[o - 1]!.actual;
        const mean = meanForecast(alt.refit(y.subarray(0, n - o * v)), v, rng);
        heldGrowth.push({ actual, mean });
        const eg = meanAbs(actual, mean);
        const er = meanAbs(actual, heldRef[o - 1]!.mean);
        eGrowth += eg;
        eRef += er;
        if (!(eg > er)) worseEverywhere = false;
      }
      if (fits && (isDefault && !alt.trended ? !worseEverywhere : heldRef.length > 0 && eGrowth < eRef)) {
        fit = alt.fit;
        fitChosen = (train) => alt.refit(train);
        held.set(best, heldGrowth);
        grown = true;
      }
    }
  }
  // the chosen model at the calibration origins, which do not depend on the horizon; an MSTL model is refitted there
  // with the adjusted-series specification it has on the whole history (the model whose intervals these errors
  // calibrate), without a new AICc search
  const decomposed = fit instanceof LogFit ? fit.inner : fit;
  const window = decomposed instanceof DeseasonalisedFit ? decomposed.decomposition.window : 'local';
  const refitChosen = (train: Float64Array): FittedModel =>
    (grown ? undefined : (refitEtsLike(fit, train) ?? (periods.length > 0 ? refitLike(fit, train, periods, window) : undefined))) ?? fitChosen(train);
  let calibration: Calibration | undefined;
  if (best !== undefined) {
    const need = Math.max(minTrain, MODELS[grown || chosen === STABLE ? 'mstl' : chosen].minPoints(periods));
    const heldCal: Array<{ actual: Float64Array; bands: Bands }> = [];
    for (const { origin, leads } of calibrationOrigins(n, periods, need, stepMs)) {
      const train = y.subarray(0, origin);
      if (countObserved(train) < need) break;
      heldCal.push({ actual: y.subarray(origin, origin + leads), bands: refitChosen(train).predict(leads, rng) });
    }
    if (heldCal.length > 0) calibration = calibrationFrom(heldCal);
  }
  return { fit: calibration !== undefined ? new CalibratedFit(fit, calibration) : fit, scores, calibration, refit: refitChosen };
}

/**
 * Recalibrate the intervals of a model the user named, from the calibration origins `auto` uses (`calibrationOrigins`):
 * the model is refitted at each and its held-out errors set the stretch of its intervals (intervals.ts). The horizon
 * plays no part: a target step's interval is the same whatever the horizon. Returns undefined when the history is too
 * short for even one origin.
 */
export function calibrateNamed(y: Float64Array, name: ModelName, ctx: FitContext, _h: number, seed: number): Calibration | undefined {
  const need = Math.max(MODELS[name].minPoints(ctx.periods), 8);
  const rng = createRng(seed, 0x43414c);
  const held: Array<{ actual: Float64Array; bands: Bands }> = [];
  for (const { origin, leads } of calibrationOrigins(y.length, ctx.periods, need, ctx.stepMs)) {
    const train = y.subarray(0, origin);
    if (countObserved(train) < need) break;
    held.push({ actual: y.subarray(origin, origin + leads), bands: MODELS[name].fit(train, ctx).predict(leads, rng) });
  }
  return held.length > 0 ? calibrationFrom(held) : undefined;
}

/** Leads a calibration window spans at least when neither the series nor its step has a cycle. */
const MIN_CALIBRATION_LEADS = 8;
/** ... and at most: fitting and forecasting further costs time and says little more. */
const MAX_CALIBRATION_LEADS = 1000;

/**
 * The rolling origins intervals are calibrated at, from the history's length, periods and step alone, never the
 * horizon, so that a target step's interval does not change with how far past it the forecast is asked for.
 * CALIBRATION_ORIGINS back-to-back windows at the end of the history, each forecast from its start, of two cycles of
 * the shortest period of the series, or else of its step's natural cycle (12 monthly, 4 quarterly, 7 daily, 24
 * hourly: 24, 8, 14 and 48 steps, about the M4 horizons), or a tenth of the history when that is longer; shorter
 * when the history leaves less than `need` points before them (on 100 hourly points, five windows of 18 steps: one of
 * 48 left simulated random walks at 0.73 / 0.87 coverage). Windows that overlap would score the same
 * stretch of history several times over, and their errors move together: on simulated random walks, 80% intervals
 * calibrated from five overlapping windows covered 0.69. Windows of a tenth of the history without the step's cycle
 * were too short on the accuracy benchmark: US unemployment in finance, monthly without a detected cycle, got
 * 10-month windows over the calm 2004–2008 and its 2008–2009 hold-out fell outside 89% of its 95% intervals.
 */
export function calibrationOrigins(n: number, periods: readonly number[], need: number, stepMs?: number): Array<{ origin: number; leads: number }> {
  const natural = stepMs !== undefined ? candidatePeriods(stepMs) : [];
  const cycle = periods.length > 0 ? Math.min(...periods) : natural.length > 0 ? Math.min(...natural) : MIN_CALIBRATION_LEADS / 2;
  const want = Math.min(MAX_CALIBRATION_LEADS, Math.max(Math.ceil(2 * cycle), Math.floor(n / 10)));
  // five origins before longer windows: one window's errors move together, and a single one says little
  let k = CALIBRATION_ORIGINS;
  while (k > 1 && Math.floor((n - need) / k) < 1) k--;
  const w = Math.min(want, Math.floor((n - need) / k));
  if (w < 1) return [];
  return Array.from({ length: k }, (_, i) => ({ origin: n - (i + 1) * w, leads: w }));
}

/**
 * `model` (an MSTL fit whose adjusted series has ETS or the trend + AR(1) model) refitted to `train`: decomposed
 * with the given seasonal spans, the same adjusted-series specification (ETS parameters re-estimated). Undefined for
 * any other model.
 */
function refitLike(model: FittedModel | undefined, train: Float64Array, periods: readonly number[], window: SeasonalWindow): FittedModel | undefined {
  // MSTL on log y (registry.ts `fitMstl`): the same on the log of the training window
  if (model instanceof LogFit && model.inner instanceof DeseasonalisedFit) {
    const l = logOf(train);
    const inner = l !== undefined ? refitLike(model.inner, l.logY, periods, window) : undefined;
    return inner !== undefined ? new LogFit(inner, l!.sumLogY) : undefined;
  }
  if (!(model instanceof DeseasonalisedFit)) return undefined;
  const inner = model.inner;
  const amp = model.amplitudeChecked;
  if (inner instanceof EtsFit || inner instanceof EtsTrendAverage) return fitDeseasonalised(train, periods, (adj) => inner.refit(adj), model.name, window, amp);
  // a line fitted to the recent part of the history is refitted to the same share of the training window
  if (inner instanceof ArTrendFit) return fitDeseasonalised(train, periods, (adj) => fitArTrend(adj, Math.round(inner.fromShare * adj.length)), model.name, window, amp);
  return undefined;
}

/**
 * `model` (ETS, on y or on log y; one specification or the Akaike-weighted trend forms of ets-auto.ts) refitted to
 * `train` with the same specification(s) and transform, its parameters (and weights) re-estimated: the model whose
 * intervals the calibration errors are for, without a new AICc search over twelve specifications at every
 * calibration origin. Undefined for any other model, or when log y is not defined on `train`.
 */
function refitEtsLike(model: FittedModel, train: Float64Array): FittedModel | undefined {
  const inner = model instanceof LogFit ? model.inner : model;
  if (!(inner instanceof EtsFit || inner instanceof EtsTrendAverage)) return undefined;
  if (!(model instanceof LogFit)) return inner.refit(train);
  const l = logOf(train);
  return l !== undefined ? new LogFit(inner.refit(l.logY), l.sumLogY) : undefined;
}

/** The family `auto` falls back on: seasonal ETS by AICc when ETS can carry the period, MSTL otherwise. */
export function defaultName(periods: readonly number[]): ModelName {
  return nativePeriod(periods) !== undefined ? 'ets' : 'mstl';
}

function meanAbs(a: Float64Array, f: Float64Array): number {
  let s = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    const e = a[i]! - f[i]!;
    if (e === e) {
      s += Math.abs(e);
      k++;
    }
  }
  return k > 0 ? s / k : 0;
}

/** Points of `y` that were observed (not NaN). */
export function countObserved(y: Float64Array): number {
  let k = 0;
  for (let i = 0; i < y.length; i++) if (y[i]! === y[i]!) k++;
  return k;
}

