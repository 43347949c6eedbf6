/**
 * Growth per month: what a planner reads first. Two figures.
 *
 * The model's own rate (`modelGrowth`): the trend the fitted model carries at the end of the history (an ETS trend
 * state, the slope of a line, the drift of Theta; 0 for a level-only model), per month, and for a model fitted to
 * log y the compounding rate e^(b·steps per month) − 1. It does not depend on how far ahead the forecast was asked for:
 * one hourly model with a slope of +4% a month read +3.2% (168 hours), +4.9% (8,760) and +20.9% (100,000) when the
 * figure was read off the path at the horizon's end and divided by the mean level of the whole forecast.
 *
 * The path's growth (`forecastGrowth`): read off the forecast's mean path (joined to the history) over its last month
 * or more. Seasonality must not leak into it: a week of hourly forecast that ends on a quiet weekend would show a
 * falling straight-line fit although demand grows. So with a seasonal period m (in steps) the window is whole cycles,
 * at least two and as many as fit in a month (joined to the history when the forecast is shorter), and the growth is the least-squares slope through the cycles' means: averaging over
 * whole cycles cancels the seasonal pattern and most of the noise. Without seasonality it is the least-squares slope
 * of the last month of the path. The relative figure divides by the mean level of the same window, so a compounding
 * path reads the same rate at every horizon.
 *
 * Either figure must rest on at least a month of data: a 5-step forecast of a 400-hour history read "growth −924.2 per
 * month (−848.4% per month)", an extrapolation of 17 days of wiggles. Below a month both figures are NaN and `reason`
 * says why.
 */
import { MEAN_MONTH_MS } from './step.js';
import type { Series } from './types.js';

export interface Growth {
  /** Change per month in the series' unit (a month is 30.436875 days, or one calendar month for monthly data). */
  readonly perMonth: number;
  /** perMonth over the level it applies to: 0.05 is 5% per month. */
  readonly relativePerMonth: number;
  /** Why the growth cannot be told, when perMonth or relativePerMonth is NaN. */
  readonly reason?: string;
  /**
   * For the path's growth (`forecastGrowth`): the steps it was read over, ending with the forecast's last step. More
   * than the forecast's length when history is joined to it (a 30-hour forecast is read on four weeks).
   */
  readonly windowSteps?: number;
}

/** The model's trend per step (forecast/model.ts `TrendRate`): in the series' unit, or in log units when `log`. */
export interface TrendPerStep {
  readonly perStep: number;
  readonly log: boolean;
}

type History = Pick<Series, 'v' | 'stepMs' | 'stepMonths'>;

function stepsPerMonthOf(history: History): number {
  return history.stepMonths !== undefined ? 1 / history.stepMonths : MEAN_MONTH_MS / history.stepMs;
}

function spanText(steps: number, history: History): string {
  const days = (steps * (history.stepMonths !== undefined ? history.stepMonths * MEAN_MONTH_MS : history.stepMs)) / 86_400_000;
  return days >= 2 ? `${days.toFixed(1)} days` : `${(days * 24).toFixed(1)} hours`;
}

const ZERO_LEVEL = 'the forecast level is 0: a relative growth cannot be told';

function unknown(reason: string): Growth {
  return { perMonth: NaN, relativePerMonth: NaN, reason };
}

/**
 * The model's own growth per month (see the module comment): `trend` per step, at the level of the forecast's first
 * cycle (`period` steps, or its first step without seasonality). NaN with a reason when the history spans less than
 * a month.
 * @example
 * // an additive trend of 1 per step, monthly steps, forecast starting at 100: +1 a month, 1%
 * modelGrowth(monthly, { perStep: 1, log: false }, Float64Array.of(100, 101)) // => { perMonth: 1, relativePerMonth: 0.01 }
 */
export function modelGrowth(history: History, trend: TrendPerStep, mean: ArrayLike<number>, period = 0): Growth {
  const spm = stepsPerMonthOf(history);
  const n = history.v.length;
  if (n < spm) return unknown(`the history spans ${spanText(n, history)}, less than a month: a growth per month cannot be told from it`);
  const k = Math.max(1, Math.min(mean.length, Math.round(period)));
  let level = 0;
  for (let i = 0; i < k; i++) level += mean[i]!;
  level /= k;
  if (trend.log) {
    const relativePerMonth = Math.expm1(trend.perStep * spm);
    return { perMonth: relativePerMonth * level, relativePerMonth };
  }
  const perMonth = trend.perStep * spm;
  return level !== 0 ? { perMonth, relativePerMonth: perMonth / level } : { perMonth, relativePerMonth: NaN, reason: ZERO_LEVEL };
}

/**
 * Growth per month of a forecast's mean path `mean` that continues `history`, with seasonal period `period` in steps
 * (rounded to whole steps; omit or 0 when there is none), read over the path's last month or more (module comment).
 * @example
 * // history 0..9, forecast 10..14 at a step of one month: 1 per month, relative 1/13.5
 * forecastGrowth(monthly, Float64Array.of(10, 11, 12, 13, 14)) // => { perMonth: 1, relativePerMonth: 0.074… }
 */
export function forecastGrowth(history: History, mean: ArrayLike<number>, period = 0): Growth {
  const h = mean.length;
  const n = history.v.length;
  const total = n + h;
  const spm = stepsPerMonthOf(history);
  if (total < spm || total < 2) {
    return unknown(`the history and the forecast together span ${spanText(total, history)}, less than a month: a growth per month cannot be told`);
  }
  const at = (k: number): number => (k < n ? history.v[k]! : mean[k - n]!);
  const m = Math.round(period);
  // the least-squares slope of (x, value) pairs, skipping NaN; and their mean
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  let count = 0;
  const add = (x: number, v: number): void => {
    if (Number.isNaN(v)) return;
    sx += x;
    sy += v;
    sxx += x * x;
    sxy += x * v;
    count++;
  };
  let stepsPerX: number;
  let window: number;
  if (m >= 2 && total >= 2 * m) {
    // whole cycles ending with the forecast: at least two, and as many as fit in a month (four weeks of a weekly
    // cycle, so that a 720-hour forecast is read on its own cycles and not on the history's last days, whose passing
    // deviation the forecast lets fade)
    const cycles = Math.min(Math.floor(total / m), Math.max(2, Math.floor(spm / m)));
    for (let j = 0; j < cycles; j++) {
      const from = total - (cycles - j) * m;
      let sum = 0;
      let c = 0;
      for (let k = from; k < from + m; k++) {
        const x = at(k);
        if (Number.isNaN(x)) continue;
        sum += x;
        c++;
      }
      add(j, c > 0 ? sum / c : NaN);
    }
    stepsPerX = m;
    window = cycles * m;
  } else {
    window = Math.min(total, Math.max(2, Math.ceil(spm)));
    for (let k = total - window; k < total; k++) add(k, at(k));
    stepsPerX = 1;
  }
  const d = count * sxx - sx * sx;
  if (count < 2 || !(d > 0)) return unknown('too few observed points in the last month to read a growth from');
  const perStep = (count * sxy - sx * sy) / d / stepsPerX;
  const level = sy / count;
  const perMonth = perStep * spm;
  return level !== 0 ? { perMonth, relativePerMonth: perMonth / level, windowSteps: window } : { perMonth, relativePerMonth: NaN, reason: ZERO_LEVEL, windowSteps: window };
}
