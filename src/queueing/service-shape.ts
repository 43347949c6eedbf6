import { distributionMean, distributionScv, type Distribution } from '../model/distribution.js';
import type { ServiceModel } from '../model/resource-model.js';
import { gammaP, gammaQuantile } from '../stats/gamma.js';
import { normalQuantile, normalUpperTail } from '../stats/normal.js';

/**
 * The service time of one request as the planner's latency formulas need it: mean, squared coefficient of variation
 * and a discrete stand-in for the distribution (equally likely points at the mid-quantiles (i + ½)/K of each class,
 * weighted by the class share). With request classes the service time is the mixture of the classes.
 */
export interface ServiceShape {
  /** E[S], seconds. */
  readonly mean: number;
  /** Var[S] / E[S]². */
  readonly scv: number;
  /** Service-time points, seconds, ascending. */
  readonly points: Float64Array;
  /** Probability of each point, summing to 1. */
  readonly weights: Float64Array;
  /** True when the service time is exactly exponential (one class): closed forms apply. */
  readonly exponential: boolean;
  /** P(S > t), exact from the distributions (the points above serve only the convolution with the wait). */
  readonly survival: (t: number) => number;
}

/** Points per class of the discrete stand-in: the percentile error it adds is below 1/(2K) in probability. */
export const SHAPE_POINTS = 200;

/**
 * Quantile function of a service-time distribution (seconds). Lognormal with mean m and coefficient of variation v has
 * σ² = ln(1 + v²), μ = ln m − σ²/2; gamma(mean m, cv v) has shape 1/v² and scale m v²; erlang(m, k) is gamma(k, m/k);
 * pareto(mean m, α) has x_m = m(α − 1)/α and Q(p) = x_m (1 − p)^{−1/α}.
 */
export function distributionQuantile(d: Distribution, p: number): number {
  switch (d.kind) {
    case 'exponential':
      return -d.mean * Math.log(1 - p);
    case 'deterministic':
      return d.value;
    case 'uniform':
      return d.min + p * (d.max - d.min);
    case 'lognormal': {
      const s2 = Math.log(1 + d.cv * d.cv);
      return Math.exp(Math.log(d.mean) - s2 / 2 + Math.sqrt(s2) * normalQuantile(p));
    }
    case 'gamma': {
      const k = 1 / (d.cv * d.cv);
      return gammaQuantile(k, d.mean / k, p);
    }
    case 'erlang':
      return gammaQuantile(d.k, d.mean / d.k, p);
    case 'pareto': {
      const xm = (d.mean * (d.alpha - 1)) / d.alpha;
      return xm * Math.pow(1 - p, -1 / d.alpha);
    }
    case 'empirical': {
      const s = [...d.samples].sort((a, b) => a - b);
      return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
    }
  }
}

/**
 * P(S > t) of a service-time distribution, seconds: exact for every kind (lognormal through the normal tail, gamma and
 * erlang through the regularised incomplete gamma function, empirical as the share of samples above t).
 * @example distributionSurvival({ kind: 'exponential', mean: 1 }, 1) // => e^{−1}
 */
export function distributionSurvival(d: Distribution, t: number): number {
  switch (d.kind) {
    case 'exponential':
      return t <= 0 ? 1 : Math.exp(-t / d.mean);
    case 'deterministic':
      return t < d.value ? 1 : 0;
    case 'uniform':
      return t <= d.min ? 1 : t >= d.max ? 0 : (d.max - t) / (d.max - d.min);
    case 'lognormal': {
      if (t <= 0) return 1;
      const s2 = Math.log(1 + d.cv * d.cv);
      return normalUpperTail((Math.log(t) - (Math.log(d.mean) - s2 / 2)) / Math.sqrt(s2));
    }
    case 'gamma': {
      const k = 1 / (d.cv * d.cv);
      return 1 - gammaP(k, t / (d.mean / k));
    }
    case 'erlang':
      return 1 - gammaP(d.k, t / (d.mean / d.k));
    case 'pareto': {
      const xm = (d.mean * (d.alpha - 1)) / d.alpha;
      return t < xm ? 1 : Math.pow(xm / t, d.alpha);
    }
    case 'empirical': {
      let above = 0;
      for (const x of d.samples) if (x > t) above++;
      return above / d.samples.length;
    }
  }
}

/** The service shape of a distribution scaled by `scale` (a faster node type: scale < 1). */
export function shapeOf(classes: ReadonlyArray<{ weight: number; serviceTime: Distribution }>, scale = 1): ServiceShape {
  const K = SHAPE_POINTS;
  const pts: Array<[number, number]> = [];
  let mean = 0;
  let second = 0;
  for (const c of classes) {
    const m = distributionMean(c.serviceTime) * scale;
    const scv = distributionScv(c.serviceTime);
    mean += c.weight * m;
    second += c.weight * m * m * (1 + scv);
    for (let i = 0; i < K; i++) pts.push([distributionQuantile(c.serviceTime, (i + 0.5) / K) * scale, c.weight / K]);
  }
  pts.sort((a, b) => a[0] - b[0]);
  const points = new Float64Array(pts.length);
  const weights = new Float64Array(pts.length);
  pts.forEach(([s, w], i) => {
    points[i] = s;
    weights[i] = w;
  });
  const exponential = classes.length === 1 && classes[0]!.serviceTime.kind === 'exponential';
  const parts = classes.map((c) => ({ w: c.weight, d: c.serviceTime }));
  const survival = (t: number): number => {
    let p = 0;
    for (const c of parts) p += c.w * distributionSurvival(c.d, t / scale);
    return p;
  };
  return { mean, scv: mean > 0 ? second / (mean * mean) - 1 : 0, points, weights, exponential, survival };
}

/** The service shape of a model service: its request classes when it has them, else its serviceTime. Undefined for USL-only services. */
export function serviceShape(service: ServiceModel, scale = 1): ServiceShape | undefined {
  if (service.requestClasses.length > 0) return shapeOf(service.requestClasses, scale);
  if (service.serviceTime) return shapeOf([{ weight: 1, serviceTime: service.serviceTime }], scale);
  return undefined;
}
