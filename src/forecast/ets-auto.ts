import type { Rng } from '../rng.js';
import { allPositive, fitEts, type EtsFit, type EtsFitOptions, type EtsSeason, type EtsSpec, type EtsTrend } from './ets.js';
import { meanForecast, type Bands, type FittedModel, type TrendRate } from './model.js';

/**
 * Relative likelihood, exp(−ΔAICc / 2), below which a trend form gets no share of the weighted forecast (ΔAICc above
 * 2 ln 100 ≈ 9.2): its weight would be under 1%, and leaving it out saves its forecast and its refits at the
 * calibration origins. When only the best form is left, the forecast is that ETS model alone, as before.
 */
const MIN_RELATIVE_LIKELIHOOD = 0.01;

/**
 * Automatic ETS: fit every admissible ETS(A,T,S) specification and take the lowest AICc (Hyndman et al. 2008, §7.1).
 * When that model has a trend, forecast instead with its undamped and damped forms (A and Ad, same seasonal form)
 * weighted by their Akaike weights, w ∝ exp(−ΔAICc / 2) (Burnham & Anderson 2002, "Model Selection and Multimodel
 * Inference", §2.9; for exponential smoothing, Kolassa 2011, "Combining exponential smoothing forecasts using Akaike
 * weights", IJF 27(2)). Seasonal A and M need at least two full cycles; S = M needs positive data.
 *
 * Why the two trend forms are averaged rather than one chosen: on short smooth series (32 quarters of US employment
 * by sector) the likelihood puts the undamped trend at α = β ≈ 1, where it extrapolates the last change (the grid
 * optimum too: the bounds are R's usual region, 0 < β < α), about one AICc point ahead of the damped trend at the
 * same α and β with φ ≈ 0.87; which one is right eight quarters ahead is a coin toss (held out, the undamped trend
 * won on 5 of the 10 sectors and the damped one on 4, each by factors of up to 5–9). The weights give both their share
 * when AICc cannot tell them apart and leave a clear winner alone. A model without a trend stays as AICc chose it (its
 * growth is reported as the history's, forecast.ts). Measured on the accuracy benchmark (docs/tour-forecast-models.md,
 * mode 6): tuning half 1.719 → 1.713; weighting N, A and Ad, or every specification, scored 1.711 and 1.714 but moved
 * the level-only models of the generated hourly groups; a margin against the undamped trend, a cap on β at α/2 or
 * α/4, or a check at one origin scored worse.
 */
export function autoEts(
  y: Float64Array,
  m: number | undefined,
  options: EtsFitOptions & { readonly trends?: readonly EtsTrend[]; readonly seasons?: readonly EtsSeason[] } = {},
): EtsFit | EtsTrendAverage {
  const positive = allPositive(y);
  const trends = options.trends ?? (['N', 'A', 'Ad'] as const);
  const seasons: EtsSeason[] = [];
  for (const s of options.seasons ?? (m !== undefined ? (['A', 'M'] as const) : (['N'] as const))) {
    if (s === 'M' && !positive) continue;
    if (s !== 'N' && m === undefined) continue;
    seasons.push(s);
  }
  if (seasons.length === 0) seasons.push(m !== undefined ? 'A' : 'N');
  const fits: EtsFit[] = [];
  let best: EtsFit | undefined;
  for (const season of seasons) {
    for (const trend of trends) {
      const spec: EtsSpec = season === 'N' ? { trend, season } : { trend, season, m: m! };
      const fit = fitEts(y, spec, options);
      fits.push(fit);
      if (best === undefined || fit.aicc < best.aicc) best = fit;
    }
  }
  if (best!.spec.trend === 'N') return best!;
  const trended = fits.filter((f) => f.spec.season === best!.spec.season && f.spec.trend !== 'N');
  return akaikeAverage(trended, MIN_RELATIVE_LIKELIHOOD) ?? best!;
}

/**
 * Akaike weights of `fits` (AICc), summing to 1; equal weights when no AICc is finite (a history too short for the
 * penalty, as at an early rolling origin).
 */
export function akaikeWeights(fits: readonly EtsFit[]): number[] {
  let min = Infinity;
  for (const f of fits) min = Math.min(min, f.aicc);
  if (!Number.isFinite(min)) return fits.map(() => 1 / fits.length);
  const w = fits.map((f) => (Number.isFinite(f.aicc) ? Math.exp(-(f.aicc - min) / 2) : 0));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / total);
}

/**
 * The Akaike-weighted average of the fits whose relative likelihood to the best is at least `minRelative`, or
 * undefined when only one is (or none has a finite AICc).
 */
function akaikeAverage(fits: readonly EtsFit[], minRelative: number): EtsTrendAverage | undefined {
  let min = Infinity;
  for (const f of fits) min = Math.min(min, f.aicc);
  if (!Number.isFinite(min)) return undefined;
  const kept = fits.filter((f) => Math.exp(-(f.aicc - min) / 2) >= minRelative);
  return kept.length > 1 ? new EtsTrendAverage(kept, akaikeWeights(kept)) : undefined;
}

/**
 * ETS models of one seasonal form and several trend forms, forecast as their Akaike-weighted average (`autoEts`):
 * the weighted mean of the point forecasts and, for the intervals, the weighted mean of each bound (quantile
 * averaging, Lichtendahl, Grushka-Cockayne & Winkler 2013, Management Science 59(7); the recalibration from held-out
 * errors in intervals.ts then sets their width). Its AICc is the best member's, so that the comparisons made with
 * it (y against log y, ETS against the trend + AR(1) model) are those of the model AICc chose; `spec` is that
 * member's specification, for the callers that need one.
 */
export class EtsTrendAverage implements FittedModel {
  readonly name = 'ets' as const;
  readonly label: string;
  readonly fitted: Float64Array;
  readonly aicc: number;
  readonly trend: TrendRate;
  /** The specification of the member with the largest weight (the one AICc alone would have chosen). */
  readonly spec: EtsSpec;

  constructor(
    readonly members: readonly EtsFit[],
    readonly weights: readonly number[],
  ) {
    let top = 0;
    for (let i = 1; i < members.length; i++) if (weights[i]! > weights[top]!) top = i;
    this.spec = members[top]!.spec;
    this.aicc = members[top]!.aicc;
    this.label = `ets weighted by AICc [${members.map((f, i) => `${weights[i]!.toFixed(2)} ${f.label}`).join('; ')}]`;
    const n = members[0]!.fitted.length;
    this.fitted = new Float64Array(n);
    let perStep = 0;
    members.forEach((f, i) => {
      const w = weights[i]!;
      for (let t = 0; t < n; t++) this.fitted[t]! += w * f.fitted[t]!;
      perStep += w * f.trend.perStep;
    });
    this.trend = { perStep, log: false };
  }

  predict(h: number, rng: Rng): Bands {
    const out: Bands = { mean: new Float64Array(h), lo80: new Float64Array(h), hi80: new Float64Array(h), lo95: new Float64Array(h), hi95: new Float64Array(h) };
    this.members.forEach((f, i) => {
      const b = f.predict(h, rng.split(i));
      const w = this.weights[i]!;
      for (const key of ['mean', 'lo80', 'hi80', 'lo95', 'hi95'] as const) {
        const from = b[key];
        const to = out[key];
        for (let j = 0; j < h; j++) to[j]! += w * from[j]!;
      }
    });
    return out;
  }

  predictMean(h: number, rng: Rng): Float64Array {
    const mean = new Float64Array(h);
    this.members.forEach((f, i) => {
      const from = meanForecast(f, h, rng.split(i));
      const w = this.weights[i]!;
      for (let j = 0; j < h; j++) mean[j]! += w * from[j]!;
    });
    return mean;
  }

  /** The same trend forms refitted to `train` (a rolling origin), weighted by their AICc there. */
  refit(train: Float64Array): EtsTrendAverage {
    const fits = this.members.map((f) => fitEts(train, f.spec));
    return new EtsTrendAverage(fits, akaikeWeights(fits));
  }
}
