/**
 * Samplers for the service-time distributions of src/config/distribution.ts, drawing only from an `Rng`.
 *
 * One class with an integer kind and a switch (not one class per distribution), so the call site in the event loop
 * stays monomorphic; parameters are derived once in the constructor, so `sample` does arithmetic only.
 * Sources:
 * - exponential, uniform, Pareto: inversion of the CDF (Devroye, Non-Uniform Random Variate Generation, 1986, §II.2);
 *   Pareto with shape α and scale x_m = mean (α − 1) / α has mean `mean` (https://en.wikipedia.org/wiki/Pareto_distribution).
 * - lognormal from mean m and coefficient of variation cv: σ² = ln(1 + cv²), μ = ln m − σ²/2, X = exp(μ + σ Z)
 *   (https://en.wikipedia.org/wiki/Log-normal_distribution, "Arithmetic moments").
 * - gamma with shape k = 1/cv², scale θ = m/k: Marsaglia & Tsang, "A simple method for generating gamma variables",
 *   ACM TOMS 26(3), 2000: d = k − 1/3, c = 1/√(9d), v = (1 + cZ)³, accept if ln U < Z²/2 + d − d v + d ln v;
 *   for k < 1, X = Gamma(k + 1) · U^(1/k) (same paper, §6).
 * - Erlang(k, mean): the sum of k exponentials, −(mean/k) ln(U₁⋯U_k) for k ≤ 16, Marsaglia–Tsang above (the product
 *   of many uniforms would underflow).
 * - empirical: resampling with replacement from the measured values (the bootstrap, Efron 1979).
 */
import type { Distribution } from '../model/distribution.js';
import type { Rng } from '../rng.js';

const EXPONENTIAL = 0;
const DETERMINISTIC = 1;
const UNIFORM = 2;
const LOGNORMAL = 3;
const GAMMA = 4;
const ERLANG_PRODUCT = 5;
const PARETO = 6;
const EMPIRICAL = 7;

export class Sampler {
  private readonly kind: number;
  /** Kind-specific parameters (see the constructor). */
  private readonly a: number;
  private readonly b: number;
  private readonly c: number;
  private readonly d: number;
  private readonly data: Float64Array;
  /** Mean of the distribution, seconds. */
  readonly mean: number;
  /**
   * The mean when the distribution is exponential, else 0: lets the event loop draw the commonest case inline
   * (a call that returns a double boxes it in V8 unless the call is inlined).
   */
  readonly exponentialMean: number;

  constructor(dist: Distribution) {
    let kind = EXPONENTIAL;
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    let data = new Float64Array(0);
    let mean = 0;
    switch (dist.kind) {
      case 'exponential':
        kind = EXPONENTIAL;
        a = dist.mean;
        mean = dist.mean;
        break;
      case 'deterministic':
        kind = DETERMINISTIC;
        a = dist.value;
        mean = dist.value;
        break;
      case 'uniform':
        kind = UNIFORM;
        a = dist.min;
        b = dist.max - dist.min;
        mean = (dist.min + dist.max) / 2;
        break;
      case 'lognormal': {
        kind = LOGNORMAL;
        const s2 = Math.log(1 + dist.cv * dist.cv);
        a = Math.log(dist.mean) - s2 / 2; // μ
        b = Math.sqrt(s2); // σ
        mean = dist.mean;
        break;
      }
      case 'gamma':
      case 'erlang': {
        const shape = dist.kind === 'gamma' ? 1 / (dist.cv * dist.cv) : dist.k;
        const scale = dist.mean / shape;
        mean = dist.mean;
        if (dist.kind === 'erlang' && dist.k <= 16) {
          kind = ERLANG_PRODUCT;
          a = dist.k;
          b = scale;
        } else {
          kind = GAMMA;
          // Marsaglia–Tsang constants for shape max(k, k + 1 when k < 1).
          const k1 = shape < 1 ? shape + 1 : shape;
          a = k1 - 1 / 3; // d
          b = 1 / Math.sqrt(9 * a); // c
          c = scale;
          d = shape < 1 ? 1 / shape : 0; // exponent of the U^(1/k) boost, 0 = none
        }
        break;
      }
      case 'pareto':
        kind = PARETO;
        a = (dist.mean * (dist.alpha - 1)) / dist.alpha; // x_m
        b = -1 / dist.alpha;
        mean = dist.mean;
        break;
      case 'empirical':
        kind = EMPIRICAL;
        data = Float64Array.from(dist.samples);
        mean = dist.samples.reduce((x, y) => x + y, 0) / dist.samples.length;
        break;
    }
    this.kind = kind;
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    this.data = data;
    this.mean = mean;
    this.exponentialMean = kind === EXPONENTIAL ? a : 0;
  }

  /** One draw, seconds (≥ 0). */
  sample(rng: Rng): number {
    switch (this.kind) {
      case EXPONENTIAL:
        return -this.a * Math.log(rng.nextOpen());
      case DETERMINISTIC:
        return this.a;
      case UNIFORM:
        return this.a + this.b * rng.next();
      case LOGNORMAL:
        return Math.exp(this.a + this.b * rng.nextNormal());
      case GAMMA:
        return this.gamma(rng);
      case ERLANG_PRODUCT:
        return this.erlang(rng);
      case PARETO:
        return this.a * Math.pow(rng.nextOpen(), this.b);
      default:
        return this.data[Math.floor(rng.next() * this.data.length)] as number;
    }
  }

  // Kept out of `sample` so that `sample` stays small enough for V8 to inline at the call site.
  private erlang(rng: Rng): number {
    let p = 1;
    for (let i = 0; i < this.a; i++) p *= rng.nextOpen();
    return -this.b * Math.log(p);
  }

  private gamma(rng: Rng): number {
    const d = this.a;
    const c = this.b;
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = rng.nextNormal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = rng.nextOpen();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        const g = d * v * this.c;
        return this.d === 0 ? g : g * Math.pow(rng.nextOpen(), this.d);
      }
    }
  }
}

/** A sampler for `dist`. */
export function createSampler(dist: Distribution): Sampler {
  return new Sampler(dist);
}
