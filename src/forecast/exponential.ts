import type { Rng } from '../rng.js';
import { fitLine, linePrediction, type LineFit } from './linear.js';
import { paramText, Z80, Z95, type Bands, type FittedModel, type TrendRate } from './model.js';

/**
 * Exponential (log-linear) growth, y_t = exp(a + b·t)·ε_t: a least-squares line through log y. The growth rate per step
 * is e^b − 1. Forecasts are the median exp(a + b·t) and the interval bounds are the log-scale OLS bounds mapped back by
 * exp, so they stay positive and skewed as multiplicative errors are. Needs strictly positive observations.
 */
export class ExponentialFit implements FittedModel {
  readonly name = 'exponential' as const;
  readonly label: string;
  readonly fitted: Float64Array;
  readonly line: LineFit;

  constructor(private readonly y: Float64Array) {
    const logY = new Float64Array(y.length);
    for (let t = 0; t < y.length; t++) logY[t] = y[t]! > 0 ? Math.log(y[t]!) : NaN;
    this.line = fitLine(logY);
    this.fitted = new Float64Array(y.length);
    for (let t = 0; t < y.length; t++) this.fitted[t] = Math.exp(this.line.intercept + this.line.slope * t);
    this.label = `exponential start=${paramText(Math.exp(this.line.intercept), 4)} growth=${paramText(100 * (Math.exp(this.line.slope) - 1), 4)}%/step`;
    this.trend = { perStep: this.line.slope, log: true };
  }

  readonly trend: TrendRate;

  /** Growth rate per step, e^b − 1. */
  get growthPerStep(): number {
    return Math.exp(this.line.slope) - 1;
  }

  predict(h: number, _rng: Rng): Bands {
    const out = {
      mean: new Float64Array(h),
      lo80: new Float64Array(h),
      hi80: new Float64Array(h),
      lo95: new Float64Array(h),
      hi95: new Float64Array(h),
    };
    for (let i = 0; i < h; i++) {
      const p = linePrediction(this.line, this.y.length + i);
      out.mean[i] = Math.exp(p.mean);
      out.lo80[i] = Math.exp(p.mean - Z80 * p.sd);
      out.hi80[i] = Math.exp(p.mean + Z80 * p.sd);
      out.lo95[i] = Math.exp(p.mean - Z95 * p.sd);
      out.hi95[i] = Math.exp(p.mean + Z95 * p.sd);
    }
    return out;
  }
}

export function fitExponential(y: Float64Array): ExponentialFit {
  return new ExponentialFit(y);
}
