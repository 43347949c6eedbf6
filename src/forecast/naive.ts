import type { Rng } from '../rng.js';
import { normalBands, type Bands, type FittedModel, type TrendRate } from './model.js';

/**
 * Naive and seasonal naive forecasts (Hyndman & Athanasopoulos, "Forecasting: Principles and Practice", 3rd ed.,
 * §5.2): the last value, or the value one period ago. They are the yardsticks MASE is scaled by, and the fallback for
 * very short histories. Intervals assume random-walk errors: σ√h for naive, σ√(k+1) with k = ⌊(h−1)/m⌋ for seasonal
 * naive (FPP3 Table 5.2), σ estimated from the in-sample (seasonal) differences.
 */
export class NaiveFit implements FittedModel {
  readonly name: 'naive' | 'snaive';
  readonly label: string;
  readonly fitted: Float64Array;
  private readonly sigma: number;
  /** The last observed value at each phase of the period (the last value when m = 1). */
  private readonly lastByPhase: Float64Array;
  /** A copy of the last value or cycle: no growth. */
  readonly trend: TrendRate = { perStep: 0, log: false };

  constructor(
    private readonly y: Float64Array,
    /** Period in steps; 1 for the plain naive forecast. */
    readonly m: number,
  ) {
    const n = y.length;
    this.name = m > 1 ? 'snaive' : 'naive';
    this.label = m > 1 ? `snaive m=${m}` : 'naive';
    this.fitted = new Float64Array(n).fill(NaN);
    let sse = 0;
    let cnt = 0;
    for (let t = m; t < n; t++) {
      const prev = y[t - m]!;
      this.fitted[t] = prev;
      const e = y[t]! - prev;
      if (e === e) {
        sse += e * e;
        cnt++;
      }
    }
    this.sigma = cnt > 0 ? Math.sqrt(sse / cnt) : 0;
    this.lastByPhase = new Float64Array(m).fill(NaN);
    // the most recent observed value of each phase; walking backwards from the end
    let missing = m;
    for (let t = n - 1; t >= 0 && missing > 0; t--) {
      const ph = t % m;
      if (this.lastByPhase[ph]! === this.lastByPhase[ph]! || !(y[t]! === y[t]!)) continue;
      this.lastByPhase[ph] = y[t]!;
      missing--;
    }
    // phases never observed: fall back to the last observed value of any phase
    let fallback = NaN;
    for (let t = n - 1; t >= 0; t--) {
      if (y[t]! === y[t]!) {
        fallback = y[t]!;
        break;
      }
    }
    for (let p = 0; p < m; p++) if (!(this.lastByPhase[p]! === this.lastByPhase[p]!)) this.lastByPhase[p] = fallback;
  }

  predict(h: number, _rng: Rng): Bands {
    const n = this.y.length;
    const mean = new Float64Array(h);
    const sd = new Float64Array(h);
    for (let i = 0; i < h; i++) {
      mean[i] = this.lastByPhase[(n + i) % this.m]!;
      const k = this.m > 1 ? Math.floor(i / this.m) + 1 : i + 1;
      sd[i] = this.sigma * Math.sqrt(k);
    }
    return normalBands(mean, sd);
  }
}

export function fitNaive(y: Float64Array): NaiveFit {
  return new NaiveFit(y, 1);
}

export function fitSeasonalNaive(y: Float64Array, m: number): NaiveFit {
  return new NaiveFit(y, Math.max(1, Math.round(m)));
}
