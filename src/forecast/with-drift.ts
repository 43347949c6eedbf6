import type { Rng } from '../rng.js';
import type { Bands, FittedModel } from './model.js';

/**
 * A model fitted to y_t − b·t, with the line b·t added back to its fitted values and forecasts: a constant drift b
 * per step that the model itself does not estimate. With ETS(A,N,·) inside this is ETS(A,A,·) with β = 0 and the
 * slope fixed, the SES-with-drift that Hyndman & Billah (2003, "Unmasking the Theta method", IJF 19(2)) show the Theta
 * method to be (Theta takes b/2 of the least-squares slope of the series; this takes all of it). The drift is taken as
 * known: its standard error is small beside the level's wander when it is used at all (long-horizon.ts), and the
 * intervals are recalibrated from rolling origins anyway (intervals.ts).
 *
 * @example
 * // SES on y − 0.5·t, forecast 3 steps: SES's flat forecast of the detrended series plus 0.5·(n + i)
 * new DriftFit(fitEts(detrended, { trend: 'N', season: 'N' }), 0.5, n).predict(3, rng).mean
 */
export class DriftFit implements FittedModel {
  readonly name: FittedModel['name'];
  readonly label: string;
  readonly fitted: Float64Array;
  readonly aicc?: number;

  constructor(
    readonly inner: FittedModel,
    /** Drift per step, in the unit of the series the inner model was fitted to (per step of log y when logged). */
    readonly slope: number,
    private readonly n: number,
  ) {
    this.name = inner.name;
    this.label = `${inner.label} drift=${Number(slope.toPrecision(3))}`;
    this.fitted = new Float64Array(n);
    for (let t = 0; t < n; t++) this.fitted[t] = inner.fitted[t]! + slope * t;
    if (inner.aicc !== undefined) this.aicc = inner.aicc;
  }

  predict(h: number, rng: Rng): Bands {
    const b = this.inner.predict(h, rng);
    const shift = (a: Float64Array): Float64Array => a.map((x, i) => x + this.slope * (this.n + i));
    return { mean: shift(b.mean), lo80: shift(b.lo80), hi80: shift(b.hi80), lo95: shift(b.lo95), hi95: shift(b.hi95) };
  }
}

/** y_t − slope·t (NaN stays NaN). */
export function detrend(y: Float64Array, slope: number): Float64Array {
  const out = new Float64Array(y.length);
  for (let t = 0; t < y.length; t++) out[t] = y[t]! - slope * t;
  return out;
}
