import type { Rng } from '../rng.js';
import { meanForecast, type Bands, type FittedModel, type TrendRate } from './model.js';

/**
 * A model fitted to log y and mapped back: the Box–Cox transform with λ = 0 (Box & Cox 1964, JRSS B 26), for growth
 * that compounds and noise proportional to the level. The point forecast is exp of the log-scale mean (the median on
 * the original scale) and the bounds are exp of the log-scale bounds, so they are positive and skewed as such data are.
 * Its AICc is put on the original scale with the Jacobian of the transform, +2 Σ log y_t, so it can be compared with
 * the same model fitted to y itself.
 */
export class LogFit implements FittedModel {
  readonly name: FittedModel['name'];
  readonly label: string;
  readonly fitted: Float64Array;
  readonly aicc?: number;

  constructor(
    readonly inner: FittedModel,
    sumLogY: number,
  ) {
    this.name = inner.name;
    if (this.inner.samplePaths) {
      const inner = this.inner;
      this.samplePaths = (h, n, rng) => inner.samplePaths!(h, n, rng);
    }
    this.label = `log ${inner.label}`;
    this.fitted = inner.fitted.map(Math.exp);
    if (inner.aicc !== undefined && Number.isFinite(inner.aicc)) this.aicc = inner.aicc + 2 * sumLogY;
    if (inner.trend !== undefined && !inner.trend.log) this.trend = { perStep: inner.trend.perStep, log: true };
  }

  /** The inner model's standardised error paths: this wrapper changes each step monotonically (see FittedModel). */
  readonly samplePaths?: (h: number, n: number, rng: Rng) => Float64Array;
  /** The inner model's trend, which is in log units here. */
  readonly trend?: TrendRate;

  predict(h: number, rng: Rng): Bands {
    const b = this.inner.predict(h, rng);
    return { mean: b.mean.map(Math.exp), lo80: b.lo80.map(Math.exp), hi80: b.hi80.map(Math.exp), lo95: b.lo95.map(Math.exp), hi95: b.hi95.map(Math.exp) };
  }

  predictMean(h: number, rng: Rng): Float64Array {
    return meanForecast(this.inner, h, rng).map(Math.exp);
  }
}

/** log y and Σ log y over observed points, or undefined when some observed value is not positive. */
export function logOf(y: Float64Array): { logY: Float64Array; sumLogY: number } | undefined {
  const logY = new Float64Array(y.length);
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (v === v) {
      if (!(v > 0)) return undefined;
      logY[i] = Math.log(v);
      s += logY[i]!;
    } else logY[i] = NaN;
  }
  return { logY, sumLogY: s };
}

/**
 * Fit `fit` to y and, when y is positive, to log y; keep the one with the lower AICc on the original scale.
 */
export function withLogChoice(y: Float64Array, fit: (y: Float64Array) => FittedModel): FittedModel {
  const raw = fit(y);
  const l = logOf(y);
  if (l === undefined || raw.aicc === undefined || !Number.isFinite(raw.aicc)) return raw;
  const lf = new LogFit(fit(l.logY), l.sumLogY);
  return lf.aicc !== undefined && lf.aicc < raw.aicc ? lf : raw;
}
