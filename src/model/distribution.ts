/**
 * A service-time (or any duration) distribution, in seconds. Written in YAML with a `distribution` key:
 *   { distribution: exponential, mean: 20ms }
 *   { distribution: deterministic, value: 5ms }
 *   { distribution: uniform, min: 2ms, max: 8ms }
 *   { distribution: lognormal, mean: 20ms, cv: 1.5 }     mean and coefficient of variation (sd / mean)
 *   { distribution: gamma, mean: 20ms, cv: 0.5 }
 *   { distribution: erlang, mean: 20ms, k: 4 }            sum of k exponentials; cv = 1/sqrt(k)
 *   { distribution: pareto, mean: 20ms, alpha: 2.5 }      heavy tail; alpha > 1 so the mean exists
 *   { distribution: empirical, samples: [4ms, 5ms, ...] } resampled from measured values (e.g. a load-test run)
 */
export type Distribution =
  | { readonly kind: 'exponential'; readonly mean: number }
  | { readonly kind: 'deterministic'; readonly value: number }
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number }
  | { readonly kind: 'lognormal'; readonly mean: number; readonly cv: number }
  | { readonly kind: 'gamma'; readonly mean: number; readonly cv: number }
  | { readonly kind: 'erlang'; readonly mean: number; readonly k: number }
  | { readonly kind: 'pareto'; readonly mean: number; readonly alpha: number }
  | { readonly kind: 'empirical'; readonly samples: readonly number[] };

/** Mean of a distribution in seconds. */
export function distributionMean(d: Distribution): number {
  switch (d.kind) {
    case 'deterministic':
      return d.value;
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'empirical':
      return d.samples.reduce((a, b) => a + b, 0) / d.samples.length;
    default:
      return d.mean;
  }
}

/**
 * Squared coefficient of variation (variance / mean²), the one number the M/G/c approximations need.
 * Pareto with alpha <= 2 has infinite variance: Infinity.
 */
export function distributionScv(d: Distribution): number {
  switch (d.kind) {
    case 'exponential':
      return 1;
    case 'deterministic':
      return 0;
    case 'uniform': {
      const m = (d.min + d.max) / 2;
      return (d.max - d.min) ** 2 / 12 / (m * m);
    }
    case 'lognormal':
    case 'gamma':
      return d.cv * d.cv;
    case 'erlang':
      return 1 / d.k;
    case 'pareto':
      // Var/mean² of a Pareto(xm, alpha) is 1 / (alpha (alpha - 2)) for alpha > 2.
      return d.alpha > 2 ? 1 / (d.alpha * (d.alpha - 2)) : Infinity;
    case 'empirical': {
      const n = d.samples.length;
      const m = d.samples.reduce((a, b) => a + b, 0) / n;
      const v = d.samples.reduce((a, b) => a + (b - m) ** 2, 0) / n;
      return m > 0 ? v / (m * m) : 0;
    }
  }
}

/** A distribution with every time multiplied by `k` (k < 1: faster). */
export function scaleDistribution(d: Distribution, k: number): Distribution {
  if (k === 1) return d;
  switch (d.kind) {
    case 'deterministic':
      return { kind: 'deterministic', value: d.value * k };
    case 'uniform':
      return { kind: 'uniform', min: d.min * k, max: d.max * k };
    case 'empirical':
      return { kind: 'empirical', samples: d.samples.map((s) => s * k) };
    default:
      return { ...d, mean: d.mean * k };
  }
}
