import type { Rng } from '../rng.js';
import { meanForecast, median, type Bands, type FittedModel } from './model.js';

/**
 * A forecast combination: the per-step median of the members' point forecasts and, for the intervals, the median of
 * their half-widths around it (a centred form of quantile averaging, "Vincentization" — Lichtendahl, Grushka-Cockayne
 * & Winkler 2013, "Is it better to average probabilities or quantiles?", Management Science 59(7)). Combining ETS, Theta and a decomposition model is
 * the M4 competition's strong statistical benchmark idea (Makridakis et al. 2020, "Comb"); the median keeps one
 * member's wild trend from dragging the forecast.
 */
export class EnsembleFit implements FittedModel {
  readonly name = 'ensemble' as const;
  readonly label: string;
  readonly fitted: Float64Array;

  constructor(readonly members: readonly FittedModel[]) {
    this.label = `ensemble median of [${members.map((m) => m.label).join('; ')}]`;
    const n = members[0]!.fitted.length;
    this.fitted = new Float64Array(n);
    const col = new Float64Array(members.length);
    for (let t = 0; t < n; t++) {
      for (let j = 0; j < members.length; j++) col[j] = members[j]!.fitted[t]!;
      this.fitted[t] = median(col);
    }
  }

  predict(h: number, rng: Rng): Bands {
    return combineBands(this.members.map((m, i) => m.predict(h, rng.split(i))));
  }

  predictMean(h: number, rng: Rng): Float64Array {
    return medianOfMeans(this.members.map((m, i) => meanForecast(m, h, rng.split(i))));
  }
}

/** The per-step median of the members' point forecasts: the combined point forecast (`combineBands`). */
export function medianOfMeans(means: readonly Float64Array[]): Float64Array {
  const h = means[0]!.length;
  const col = new Float64Array(means.length);
  const mean = new Float64Array(h);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < means.length; j++) col[j] = means[j]![i]!;
    mean[i] = median(col);
  }
  return mean;
}

/**
 * Combine forecasts: the per-step median of the point forecasts, and around it, on each side, the median of the
 * members' half-widths. Taking the median of each bound separately (plain quantile averaging) can put the combined
 * mean next to one bound when the members disagree on the level; centring keeps the interval around the forecast it
 * belongs to.
 */
export function combineBands(bands: readonly Bands[]): Bands {
  const h = bands[0]!.mean.length;
  const k = bands.length;
  const col = new Float64Array(k);
  const mean = medianOfMeans(bands.map((b) => b.mean));
  const side = (key: 'lo80' | 'hi80' | 'lo95' | 'hi95', sign: number): Float64Array => {
    const out = new Float64Array(h);
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < k; j++) col[j] = sign * (bands[j]![key][i]! - bands[j]!.mean[i]!);
      out[i] = mean[i]! + sign * median(col);
    }
    return out;
  };
  return { mean, lo80: side('lo80', -1), hi80: side('hi80', 1), lo95: side('lo95', -1), hi95: side('hi95', 1) };
}
