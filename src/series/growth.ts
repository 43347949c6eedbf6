/**
 * Growth per month implied by a forecast: what a planner reads first. Seasonality must not leak into it: a week of
 * hourly forecast that ends on a quiet weekend would show a falling straight-line fit although demand grows. So,
 * with a seasonal period m (in steps), the mean over the last full cycle that ends with the forecast is compared with
 * the mean over the cycle before it (history, then the forecast's mean path, joined), and the difference is divided
 * by m: averaging over whole cycles cancels the seasonal pattern and most of the noise. When the forecast is shorter
 * than two cycles, the earlier window is up to four whole cycles of history, so that no single observed cycle's noise
 * decides the figure. Without seasonality (or with
 * too little data for two cycles) it is the least-squares slope of the forecast's mean path.
 */
import { MEAN_MONTH_MS } from './step.js';
import type { Series } from './types.js';

/** Whole cycles of history averaged for the earlier window when the forecast is shorter than two cycles. */
const BASELINE_CYCLES = 4;

export interface Growth {
  /** Change per month in the series' unit (a month is 30.436875 days, or one calendar month for monthly data). */
  readonly perMonth: number;
  /** perMonth over the mean level of the forecast: 0.05 is 5% per month. */
  readonly relativePerMonth: number;
}

/**
 * Growth per month of a forecast's mean path `mean` that continues `history`, with seasonal period `period` in steps
 * (rounded to whole steps; omit or 0 when there is none).
 * @example
 * // history 0..9, forecast 10..14 at a step of one month: 1 per month, relative 1/12
 * forecastGrowth(monthly, Float64Array.of(10, 11, 12, 13, 14)) // => { perMonth: 1, relativePerMonth: 0.0833… }
 */
export function forecastGrowth(history: Pick<Series, 'v' | 'stepMs' | 'stepMonths'>, mean: ArrayLike<number>, period = 0): Growth {
  const h = mean.length;
  const n = history.v.length;
  const stepsPerMonth = history.stepMonths !== undefined ? 1 / history.stepMonths : MEAN_MONTH_MS / history.stepMs;
  let level = 0;
  for (let i = 0; i < h; i++) level += mean[i]!;
  level /= h;
  const m = Math.round(period);
  let perStep: number;
  if (m >= 2 && n + h >= 2 * m && h >= 1) {
    // Mean of the last full cycle (ending with the forecast) minus the mean of the cycle before, over m steps.
    const at = (k: number): number => (k < n ? history.v[k]! : mean[k - n]!);
    const cycleMean = (from: number): number => {
      let sum = 0;
      let count = 0;
      for (let k = from; k < from + m; k++) {
        const x = at(k);
        if (Number.isNaN(x)) continue;
        sum += x;
        count++;
      }
      return count > 0 ? sum / count : NaN;
    };
    // When the cycle before lies (partly) in the history, one observed cycle's noise would enter the figure whole
    // (a one-week forecast of hourly traffic read +7.2% a month where the model's own slope was +4.0%), so the earlier
    // window takes up to BASELINE_CYCLES whole cycles of history: its centre lies (K + 1) m / 2 steps before the last
    // cycle's, and a straight trend gives the same slope from either window.
    const late = cycleMean(n + h - m);
    const k = h >= 2 * m ? 1 : Math.max(1, Math.min(BASELINE_CYCLES, Math.floor((n + h - m) / m)));
    let early = 0;
    for (let j = 1; j <= k; j++) early += cycleMean(n + h - m - j * m);
    early /= k;
    perStep = (late - early) / (((k + 1) * m) / 2);
  } else if (h >= 2) {
    // Least-squares slope against the step index.
    const xm = (h - 1) / 2;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < h; i++) {
      sxy += (i - xm) * (mean[i]! - level);
      sxx += (i - xm) * (i - xm);
    }
    perStep = sxy / sxx;
  } else {
    perStep = n > 0 && h === 1 ? mean[0]! - history.v[n - 1]! : NaN;
  }
  const perMonth = perStep * stepsPerMonth;
  return { perMonth, relativePerMonth: level !== 0 ? perMonth / level : NaN };
}
