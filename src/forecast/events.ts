import type { ForecastEvent, MaskedRange } from './types.js';

/**
 * Known events and masked stretches.
 *
 * An event scales (`multiplier`) and/or shifts (`shift`, in the series' unit) demand from `atMs` until `untilMs`
 * (exclusive; open-ended when absent): value' = value · multiplier + shift. In the future it is applied to the mean
 * and to every interval bound (an exact transform of the predictive distribution, since it is affine and increasing
 * for a positive multiplier). When an event's range reaches back into the history (a migration that already happened),
 * its effect is first removed from the observed values — value = (value' − shift) / multiplier — so that the model
 * sees one regime, and applied again to the forecast: the fit is not bent by the jump.
 */
export function applyEvents(t: ArrayLike<number>, values: Float64Array, events: readonly ForecastEvent[], invert: boolean): void {
  for (const ev of events) {
    const mult = ev.multiplier ?? 1;
    const shift = ev.shift ?? 0;
    const until = ev.untilMs ?? Infinity;
    for (let i = 0; i < values.length; i++) {
      const ti = t[i]!;
      if (ti < ev.atMs || ti >= until) continue;
      values[i] = invert ? (values[i]! - shift) / mult : values[i]! * mult + shift;
    }
  }
}

/** Mark values inside any masked range [fromMs, toMs) as missing (NaN), so no model fits them. */
export function applyMasks(t: ArrayLike<number>, values: Float64Array, masked: readonly MaskedRange[]): number {
  let count = 0;
  for (const r of masked) {
    for (let i = 0; i < values.length; i++) {
      const ti = t[i]!;
      if (ti >= r.fromMs && ti < r.toMs) {
        if (values[i]! === values[i]!) count++;
        values[i] = NaN;
      }
    }
  }
  return count;
}
