import type { WaitModel } from './mgc.js';
import type { ServiceShape } from './service-shape.js';

/**
 * Response time R = W + S (queueing wait plus service), W and S independent, W = 0 with probability 1 − C and
 * exponential with rate θ otherwise (see mgc.ts):
 *
 *   P(R > t) = P(S > t) + C · E[ e^{−θ (t − S)} ; S ≤ t ]
 *
 * with P(S > t) exact from the distribution and the expectation over the discrete stand-in of the service time
 * (equally likely mid-quantile points, service-shape.ts), whose kernel is smooth in t. For an exactly exponential service time (M/M/c)
 * the closed form is used instead: with μ = 1/E[S],
 *   P(R > t) = (1 − C) e^{−μt} + C (μ e^{−θt} − θ e^{−μt}) / (μ − θ)     (θ ≠ μ)
 *   P(R > t) = (1 − C) e^{−μt} + C e^{−μt} (1 + μt)                    (θ = μ)
 * which is exact for M/M/c, where θ = cμ − λ (Kleinrock 1975, §3.5: the convolution of the exponential service time
 * with the M/M/c waiting-time distribution).
 */
export function responseTail(wait: WaitModel, shape: ServiceShape, t: number): number {
  const C = wait.pWait;
  const th = wait.theta;
  if (shape.exponential) {
    const mu = 1 / shape.mean;
    const eMu = Math.exp(-mu * t);
    if (C === 0) return eMu;
    if (!(th > 0)) return 1;
    const d = mu - th;
    const both = Math.abs(d) < 1e-9 * mu ? eMu * (1 + mu * t) : (mu * Math.exp(-th * t) - th * eMu) / d;
    return (1 - C) * eMu + C * both;
  }
  if (C > 0 && !(th > 0)) return 1;
  // P(S > t) exactly; the waiting part C·E[e^{−θ(t−S)}; S ≤ t] over the discrete points (smooth in t).
  let tail = shape.survival(t);
  if (C > 0) {
    const s = shape.points;
    const w = shape.weights;
    let conv = 0;
    for (let i = 0; i < s.length; i++) {
      const si = s[i]!;
      if (si > t) break;
      conv += w[i]! * Math.exp(-th * (t - si));
    }
    tail += C * conv;
  }
  return tail;
}

/**
 * The q-quantile of the response time, seconds: the smallest t with P(R > t) <= 1 − q, by bisection to 1e-6 relative.
 * Infinity when the queue is unstable.
 * @example
 * const exp1 = shapeOf([{ weight: 1, serviceTime: { kind: 'exponential', mean: 1 } }]);
 * responsePercentile(mgcWait(1, 0.5, 1, 1), exp1, 0.99) // => ln(100) / 0.5 = 9.21 s (M/M/1: R ~ Exp(μ − λ))
 */
export function responsePercentile(wait: WaitModel, shape: ServiceShape, q: number): number {
  if (!(wait.rho < 1)) return Infinity;
  const target = 1 - q;
  let hi = Math.max(shape.mean, 1e-9);
  let guard = 0;
  while (responseTail(wait, shape, hi) > target) {
    hi *= 2;
    if (++guard > 200) return Infinity;
  }
  let lo = 0;
  for (let i = 0; i < 60 && hi - lo > 1e-6 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (responseTail(wait, shape, mid) > target) lo = mid;
    else hi = mid;
  }
  return hi;
}
