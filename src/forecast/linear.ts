import type { Rng } from '../rng.js';
import { centredLine } from '../stats/least-squares.js';
import { normalBands, paramText, type Bands, type FittedModel, type TrendRate } from './model.js';

/**
 * Ordinary least squares on time, y_t = a + b·t + ε_t (t in steps), for steady long-horizon growth. Prediction
 * intervals are the classical OLS ones, σ̂·√(1 + 1/n + (t − t̄)²/S_tt) (e.g. Montgomery, Peck & Vining,
 * "Introduction to Linear Regression Analysis", §2.5), with normal quantiles; they assume independent errors, which
 * `forecast()` corrects from rolling-origin errors when the residuals are autocorrelated.
 */
export interface LineFit {
  readonly intercept: number;
  readonly slope: number;
  readonly sigma: number;
  readonly n: number;
  readonly tMean: number;
  readonly stt: number;
}

/** Least-squares line through the observed (non-NaN) points of y against their index. */
export function fitLine(y: Float64Array): LineFit {
  const { n: k, tMean, yMean, stt, sty } = centredLine(y);
  const slope = stt > 0 ? sty / stt : 0;
  const intercept = yMean - slope * tMean;
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const v = y[t]!;
    if (v === v) {
      const e = v - intercept - slope * t;
      sse += e * e;
    }
  }
  return { intercept, slope, sigma: Math.sqrt(sse / Math.max(1, k - 2)), n: k, tMean, stt };
}

/** Mean and standard deviation of the prediction at step index t. */
export function linePrediction(f: LineFit, t: number): { mean: number; sd: number } {
  const lev = f.stt > 0 ? ((t - f.tMean) * (t - f.tMean)) / f.stt : 0;
  return { mean: f.intercept + f.slope * t, sd: f.sigma * Math.sqrt(1 + 1 / f.n + lev) };
}

export class LinearFit implements FittedModel {
  readonly name = 'linear' as const;
  readonly label: string;
  readonly fitted: Float64Array;
  readonly line: LineFit;

  constructor(private readonly y: Float64Array) {
    this.line = fitLine(y);
    this.fitted = new Float64Array(y.length);
    for (let t = 0; t < y.length; t++) this.fitted[t] = this.line.intercept + this.line.slope * t;
    this.label = `linear intercept=${paramText(this.line.intercept, 4)} slope=${paramText(this.line.slope, 4)}/step`;
    this.trend = { perStep: this.line.slope, log: false };
  }

  readonly trend: TrendRate;

  predict(h: number, _rng: Rng): Bands {
    const mean = new Float64Array(h);
    const sd = new Float64Array(h);
    for (let i = 0; i < h; i++) {
      const p = linePrediction(this.line, this.y.length + i);
      mean[i] = p.mean;
      sd[i] = p.sd;
    }
    return normalBands(mean, sd);
  }
}

export function fitLinear(y: Float64Array): LinearFit {
  return new LinearFit(y);
}
