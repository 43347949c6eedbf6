import { HeadroomError, inputError } from '../errors.js';
import { createRng, type Rng } from '../rng.js';
import { futureTimestamps } from '../series/calendar.js';
import { forecastGrowth, modelGrowth } from '../series/growth.js';
import { formatIso } from '../series/timestamp.js';
import type { Series } from '../series/types.js';
import { applyEvents, applyMasks } from './events.js';
import { meanForecast, type Bands, type FittedModel } from './model.js';
import { MODEL_NAMES, MODELS } from './registry.js';
import { historyTrend } from './long-horizon.js';
import { detectSeasonality } from './seasonality.js';
import { calibrateNamed, chooseModel, countObserved } from './select.js';
import { allPositive, EtsFit } from './ets.js';
import { EtsTrendAverage } from './ets-auto.js';
import { LogFit } from './log-transform.js';
import { DeseasonalisedFit, seasonalStrengths } from './mstl.js';
import { CalibratedFit } from './intervals.js';
import { detectLevelShift, widenTowards, type LevelShift } from './level-shift.js';
import type { ForecastOptions, ForecastPoint, ForecastResult, LevelShiftReport, ModelName } from './types.js';

/**
 * Forecast a regular series `horizon` steps ahead with central 80% and 95% prediction intervals.
 *
 * 1. Masked ranges become missing values; events whose range reaches into the history are taken out of it
 *    (see events.ts); NaN values are never fitted.
 * 2. Seasonal periods come from the options or are detected (seasonality.ts).
 * 3. The model is the one named, or for `auto` the one chosen by rolling-origin validation (select.ts); either way
 *    its intervals are recalibrated from its errors at up to five rolling origins that do not depend on the horizon
 *    (select.ts `calibrationOrigins`, intervals.ts).
 * 4. The points are stamped at the series' step after its last timestamp, calendar months for a monthly or quarterly
 *    series (`futureTimestamps`); events are applied to the forecast at those times; bounds are clamped at 0 when the
 *    history is non-negative.
 *
 * @throws HeadroomError SERIES_TOO_SHORT (exit 2) when the history has fewer observed points than the model needs,
 *   INPUT_INVALID for a horizon, period or model that makes no sense.
 */
export function forecast(series: Series, options: ForecastOptions): ForecastResult {
  return forecastWithPaths(series, options).result;
}

/** Standardised error paths of a forecast: `out[p * h + i]`, unit variance per step, the model's dependence. */
export type ErrorPathSampler = (n: number, rng: Rng) => Float64Array;

/**
 * `forecast`, and the fitted model's sampler of standardised error paths when the model has one (FittedModel's
 * `samplePaths`; undefined otherwise), for Monte-Carlo plans that draw whole future paths.
 */
export function forecastWithPaths(series: Series, options: ForecastOptions): { result: ForecastResult; samplePaths: ErrorPathSampler | undefined } {
  const h = options.horizon;
  if (!Number.isInteger(h) || h < 1) {
    throw inputError('', `horizon must be a positive whole number of steps, got ${h}`);
  }
  if (!(series.stepMs > 0)) throw inputError(series.source, `series step must be a positive number of milliseconds, got ${series.stepMs}`, 'SERIES_INVALID');
  const infinite = series.v.findIndex((x) => x === Infinity || x === -Infinity);
  if (infinite >= 0) {
    throw inputError(
      series.source,
      `value ${series.v[infinite]} at point ${infinite + 1} (${new Date(series.t[infinite]!).toISOString()}) is not a finite number; every history value must be finite`,
      'SERIES_INVALID',
    );
  }
  const warnings: string[] = [...horizonWarnings(h, series.v.length, options.allowLongHorizon === true)];
  const modelOpt = options.model ?? 'auto';
  if (modelOpt !== 'auto' && !MODEL_NAMES.includes(modelOpt)) {
    throw inputError('', `unknown model "${String(modelOpt)}"; expected auto, ${MODEL_NAMES.join(', ')}`);
  }
  for (const p of options.seasonalPeriods ?? []) {
    if (!Number.isFinite(p) || p < 2) throw inputError('', `seasonal period must be a number of steps of at least 2, got ${p}`);
  }

  const n = series.v.length;
  const y = new Float64Array(series.v);
  applyMasks(series.t, y, options.masked ?? []);
  const events = options.events ?? [];
  for (const ev of events) {
    if (ev.multiplier !== undefined && !(ev.multiplier > 0)) {
      throw inputError('', `event "${ev.name}": multiplier must be a positive number, got ${ev.multiplier}`);
    }
  }
  applyEvents(series.t, y, events, true);
  let observed = 0;
  let nonNegative = true;
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    if (v === v) {
      observed++;
      if (v < 0) nonNegative = false;
    }
  }

  const explicitPeriods = options.seasonalPeriods !== undefined;
  const periods = [...(options.seasonalPeriods ?? detectSeasonality(y, series.stepMs))].sort((a, b) => a - b);
  const rng = createRng(options.seed ?? 0, 0x46434153); // stream "FCAS"

  let fit: FittedModel;
  // the chosen model refitted to a prefix of the history, for the path before a level shift
  let refit: (train: Float64Array) => FittedModel;
  if (modelOpt === 'auto') {
    const minAuto = explicitPeriods && periods.length > 0 ? MODELS.mstl.minPoints(periods) : 3;
    if (observed < minAuto) throw tooShort(observed, 'auto', explicitPeriods ? periods : [], minAuto);
    const choice = chooseModel(y, periods, h, options, series.stepMs);
    fit = choice.fit;
    refit = choice.refit;
  } else {
    const entry = MODELS[modelOpt];
    const need = entry.minPoints(periods);
    if (observed < need) throw tooShort(observed, modelOpt, periods, need);
    if (modelOpt === 'exponential') {
      let bad = 0;
      for (let i = 0; i < n; i++) if (y[i]! <= 0) bad++;
      if (bad > 0) {
        throw inputError(series.source, `model exponential needs positive values; the history has ${bad} value${bad === 1 ? '' : 's'} at or below 0`);
      }
    }
    if (options.ceiling !== undefined && !(options.ceiling > 0)) {
      throw inputError('', `ceiling must be a positive number, got ${options.ceiling}`);
    }
    const ctx = { periods, stepMs: series.stepMs, periodsNamed: explicitPeriods, ...(options.ceiling !== undefined ? { ceiling: options.ceiling } : {}) };
    fit = entry.fit(y, ctx);
    refit = (train) => entry.fit(train, ctx);
    const calibration = calibrateNamed(y, modelOpt, ctx, h, options.seed ?? 0);
    if (calibration !== undefined) fit = new CalibratedFit(fit, calibration);
  }

  const leftOut = explicitPeriods ? namedPeriodLeftOut(fit, periods) : undefined;
  if (leftOut !== undefined) {
    warnings.push(`the named period ${leftOut} was left out: the history fits better without that cycle (ETS compared with and without it by AICc)`);
  }
  for (const weak of explicitPeriods ? weakNamedPeriods(fit) : []) {
    warnings.push(
      `the named period ${weak.period} is weak in this history (seasonal strength ${weak.strength.toFixed(2)} on a 0–1 scale; ` +
        `below ${WEAK_SEASONAL_STRENGTH} a cycle explains little of what the trend leaves)`,
    );
  }

  let bands = fit.predict(h, rng);
  const shift = levelShiftAtEnd(y, fit, refit, periods, h, options.seed ?? 0);
  let levelShift: LevelShiftReport | undefined;
  if (shift !== undefined) {
    if (shift.paths !== undefined) bands = widenTowards(bands, shift.paths);
    const k = shift.found.pointsBeforeEnd;
    levelShift = {
      pointsBeforeEnd: k,
      startMs: series.t[shift.found.index]!,
      direction: shift.found.direction > 0 ? 'up' : 'down',
      ...(shift.size !== undefined ? { size: shift.size } : {}),
      statistic: shift.found.statistic,
      threshold: shift.found.threshold,
      widened: shift.paths !== undefined,
    };
    warnings.push(
      `level shift ${levelShift.direction} detected ${k} point${k === 1 ? '' : 's'} before the end (from ${formatIso(levelShift.startMs)}): ` +
        (levelShift.widened ? 'intervals widened towards the earlier level' : 'too little history before it to widen the intervals towards the earlier level') +
        '; whether it lasts cannot be forecast',
    );
  }
  // calendar steps (monthly, quarterly) follow the calendar, so events land on the dates the user gave
  const times = futureTimestamps(series, h);
  for (const arr of [bands.mean, bands.lo80, bands.hi80, bands.lo95, bands.hi95]) applyEvents(times, arr, events, false);
  const points = toPoints(times, bands, nonNegative);
  assertFinite(points, fit.label);
  const means = points.map((p) => p.mean);
  const longest = periods.length > 0 ? Math.max(...periods) : 0;
  const pathGrowth = forecastGrowth(series, means, longest);
  let growth: ForecastResult['growth'] =
    fit.trend !== undefined ? { ...modelGrowth(series, fit.trend, means, longest), basis: 'model' } : { ...pathGrowth, basis: 'path' };
  // only for a model auto chose: one the user named is reported as it is (and the decomposition this takes is saved)
  if (modelOpt === 'auto' && fit.trend !== undefined && fit.trend.perStep === 0 && growth.reason === undefined) {
    const trend = historyTrend(y, periods);
    if (trend !== undefined) {
      growth = { ...modelGrowth(series, trend, means, longest), basis: 'history' };
      const pct = `${growth.relativePerMonth >= 0 ? '+' : ''}${(100 * growth.relativePerMonth).toFixed(1)}%`;
      warnings.push(
        `the chosen model (${fit.label}) carries no trend, but the seasonally adjusted history moves ${pct} a month (t = ${trend.t.toFixed(1)}); ` +
          'the growth figure is the history\'s, and the forecast stays level',
      );
    }
  }

  const result: ForecastResult = {
    model: fit.label,
    modelName: fit.name,
    seasonalPeriods: periods,
    points,
    growth,
    pathGrowth,
    ...(levelShift !== undefined ? { levelShift } : {}),
    warnings,
    fitted: fit.fitted,
    quality: { ...fitQuality(y, fit.fitted, periods), ...(fit.aicc !== undefined && Number.isFinite(fit.aicc) ? { aicc: fit.aicc } : {}) },
  };
  const model = fit;
  return { result, samplePaths: model.samplePaths ? (n, r) => model.samplePaths!(h, n, r) : undefined };
}

/**
 * A level shift at the end of the history (level-shift.ts `detectLevelShift`, on the chosen model's one-step errors
 * after a burn-in of its longest seasonal period), and the paths the bands are widened to reach (`widenTowards`):
 * the mean path of the model refitted to the history before the shift, and that path moved by the shift, measured
 * as the mean ratio (on a positive series) or difference of the points since the shift to what the refitted model
 * forecast for them. No paths when the history
 * before the shift is too short to refit the model.
 */
function levelShiftAtEnd(
  y: Float64Array,
  fit: FittedModel,
  refit: (train: Float64Array) => FittedModel,
  periods: readonly number[],
  h: number,
  seed: number,
): { found: LevelShift; paths?: Float64Array[]; size?: number } | undefined {
  const n = y.length;
  const burnIn = Math.min(Math.floor(n / 3), Math.ceil(periods.length > 0 ? Math.max(...periods) : 0));
  const found = detectLevelShift(y, fit.fitted, burnIn);
  if (found === undefined) return undefined;
  const train = y.subarray(0, found.index);
  if (countObserved(train) < MODELS[fit.name].minPoints(periods)) return { found };
  const k = found.pointsBeforeEnd;
  let before: Float64Array;
  try {
    before = meanForecast(refit(train), k + h, createRng(seed, 0x4c5348));
  } catch {
    // a prefix some model cannot be fitted to (too short for its seasonal period): the shift is still reported
    return { found };
  }
  // the shift as a ratio on a positive series (its seasonal swing scales with it, as the detector's relative errors
  // assume), otherwise as a difference; reported in the series' unit either way
  const positive = allPositive(y);
  let diff = 0;
  let ratio = 0;
  let m = 0;
  for (let i = 0; i < k; i++) {
    const a = y[found.index + i]!;
    const p = before[i]!;
    if (Number.isFinite(a - p)) {
      diff += a - p;
      ratio += p > 0 ? a / p : NaN;
      m++;
    }
  }
  if (m === 0) return { found };
  const shift = diff / m;
  const earlier = before.slice(k);
  const scale = ratio / m;
  const shifted = positive && Number.isFinite(scale) ? earlier.map((x) => x * scale) : earlier.map((x) => x + shift);
  return earlier.every(Number.isFinite) && shifted.every(Number.isFinite) && Number.isFinite(shift) ? { found, paths: [earlier, shifted], size: shift } : { found };
}

/**
 * Horizon limits. A forecast rests on what the history showed; past the history's own length it extrapolates further
 * than anything in the data was seen to go, and a compounding trend or a seasonal shape carried that far is a guess:
 * 70 days of hourly traffic forecast 100,000 hours ahead read 1,379 -> 292,239 req/s. So:
 * - past WARN_HISTORY_MULTIPLE times the history's length, a warning;
 * - past HARD_HISTORY_MULTIPLE times, a refusal unless the caller allows it explicitly (`allowLongHorizon`);
 * - past MAX_HORIZON_STEPS, a refusal in every case: the points alone take hundreds of megabytes as JSON, and typed
 *   arrays of the horizon's length cannot be allocated long before a horizon such as 99,999,999,999.
 */
export const WARN_HISTORY_MULTIPLE = 1;
export const HARD_HISTORY_MULTIPLE = 10;
export const MAX_HORIZON_STEPS = 1_000_000;

function horizonWarnings(h: number, n: number, allowLong: boolean): string[] {
  if (h > MAX_HORIZON_STEPS) {
    throw inputError('', `horizon ${h} is more than ${MAX_HORIZON_STEPS.toLocaleString('en-US')} steps; forecast at a coarser step (aggregate the history) or ask for fewer steps`);
  }
  if (n > 0 && h > HARD_HISTORY_MULTIPLE * n && !allowLong) {
    throw inputError(
      '',
      `horizon ${h} is ${(h / n).toFixed(0)} times the history's ${n} steps; more than ${HARD_HISTORY_MULTIPLE} times is refused unless long horizons are allowed explicitly`,
    );
  }
  if (n > 0 && h > WARN_HISTORY_MULTIPLE * n) {
    return [`the horizon (${h} steps) is longer than the history (${n} steps): the forecast extrapolates further than the data reaches, read it as a scenario`];
  }
  return [];
}

/**
 * No forecast point is ever NaN or ±Infinity: a compounding model carried very far overflows, and a number that is
 * not a number must not reach a planner as a result.
 */
function assertFinite(points: readonly ForecastPoint[], label: string): void {
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    if (Number.isFinite(p.mean) && Number.isFinite(p.lo80) && Number.isFinite(p.hi80) && Number.isFinite(p.lo95) && Number.isFinite(p.hi95)) continue;
    throw new HeadroomError('INPUT_INVALID', `the forecast of ${label} is not a finite number from step ${i + 1} on; ask for a shorter horizon or another model`, { exitCode: 2 });
  }
}

function tooShort(observed: number, model: string, periods: readonly number[], need: number): HeadroomError {
  const season = periods.length === 0 ? '' : periods.length === 1 ? ` with season ${periods[0]}` : ` with seasons ${periods.join(',')}`;
  return new HeadroomError('SERIES_TOO_SHORT', `history has ${observed} points; model ${model}${season} needs at least ${need}`, { exitCode: 2 });
}

/**
 * Forecast points with ordered bounds. When every observed value is ≥ 0 (request counts, CPU, bytes), demand cannot
 * go negative, so the mean and all bounds are clamped at 0: an additive model's Gaussian band would otherwise reach
 * below zero for a small series and mislead a planner.
 */
function toPoints(times: Float64Array, b: Bands, nonNegative: boolean): ForecastPoint[] {
  const out: ForecastPoint[] = [];
  const c = (x: number): number => (nonNegative && x < 0 ? 0 : x);
  for (let i = 0; i < times.length; i++) {
    // sort the bounds so an event with multiplier < 1 or a skewed simulation never yields lo > hi
    const lo95 = Math.min(b.lo95[i]!, b.lo80[i]!);
    const hi95 = Math.max(b.hi95[i]!, b.hi80[i]!);
    out.push({
      timestampMs: times[i]!,
      mean: c(b.mean[i]!),
      lo80: c(Math.min(b.lo80[i]!, b.mean[i]!)),
      hi80: c(Math.max(b.hi80[i]!, b.mean[i]!)),
      lo95: c(Math.min(lo95, b.mean[i]!)),
      hi95: c(Math.max(hi95, b.mean[i]!)),
    });
  }
  return out;
}

/** In-sample RMSE and MASE of the one-step fitted values (MASE scaled by the seasonal-naive one-step MAE). */
function fitQuality(y: Float64Array, fitted: Float64Array, periods: readonly number[]): { rmse: number; mase: number } {
  const m = periods.length > 0 ? Math.max(1, Math.round(periods[0]!)) : 1;
  let se = 0;
  let ae = 0;
  let k = 0;
  for (let i = 0; i < y.length; i++) {
    const e = y[i]! - fitted[i]!;
    if (e === e) {
      se += e * e;
      ae += Math.abs(e);
      k++;
    }
  }
  let sn = 0;
  let kn = 0;
  for (let i = m; i < y.length; i++) {
    const d = y[i]! - y[i - m]!;
    if (d === d) {
      sn += Math.abs(d);
      kn++;
    }
  }
  const scale = kn > 0 ? sn / kn : NaN;
  return { rmse: k > 0 ? Math.sqrt(se / k) : NaN, mase: k > 0 && scale > 0 ? ae / k / scale : NaN };
}

/**
 * The period the user named that the chosen model does without: ETS (on y or log y, one form or Akaike-weighted ones)
 * whose AICc comparison chose no seasonal form (registry.ts `NAMED_PERIOD_SEASONS`). Undefined for any other model.
 */
function namedPeriodLeftOut(fit: FittedModel, periods: readonly number[]): number | undefined {
  const inner = underlyingModel(fit);
  const spec = inner instanceof EtsFit || inner instanceof EtsTrendAverage ? inner.spec : undefined;
  return spec !== undefined && spec.season === 'N' && periods.length === 1 ? periods[0] : undefined;
}

/**
 * Seasonal strength (mstl.ts `seasonalStrengths`) below which a period the user named is reported as weak. On the
 * accuracy benchmark's Seattle hourly climate normals, which have no weekly cycle, the weekly component's strength is
 * 0.07–0.27; on hourly web traffic with weekends 0.95 (the daily cycle 0.98); on pure noise about 0.2, as the
 * decomposition learns part of the noise into its shape. Reported, not dropped: dropping weak
 * detected periods was measured and scored worse (docs/tour-forecast-models.md, mode 3).
 */
const WEAK_SEASONAL_STRENGTH = 0.3;

/** The named periods the decomposition inside `fit` (MSTL, on y or log y) found weak, with their strengths. */
function weakNamedPeriods(fit: FittedModel): Array<{ period: number; strength: number }> {
  const inner = underlyingModel(fit);
  if (!(inner instanceof DeseasonalisedFit)) return [];
  const d = inner.decomposition;
  const strengths = seasonalStrengths(d);
  return d.components.map((c, i) => ({ period: c.period, strength: strengths[i]! })).filter((c) => c.strength < WEAK_SEASONAL_STRENGTH);
}

/** The model inside the wrappers that change neither its structure nor its periods: interval calibration and log y. */
function underlyingModel(fit: FittedModel): FittedModel {
  let inner = fit;
  while (inner instanceof CalibratedFit || inner instanceof LogFit) inner = inner.inner;
  return inner;
}
