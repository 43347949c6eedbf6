import { describe, expect, it } from 'vitest';
import { createRng, forecast } from '../../src/internal.js';
import { expand, fitArimaOrder, minRootModulus, psiWeights, differencingLags, type ArimaOrder } from '../../src/forecast/arima.js';
import { autoArima, firstDifferences, kpssStatistic, stlSeasonalStrength } from '../../src/forecast/arima-auto.js';
import { DAY, series } from './helpers.js';

/**
 * A seeded ARIMA simulation: w_t − μ = Σ φ_i (w_{t−i} − μ) + ε_t + Σ θ_j ε_{t−j} with seasonal factors multiplied out
 * by hand below, integrated d times and D times at lag m; 200 burn-in steps.
 */
function simulate(
  n: number,
  seed: number,
  spec: { ar?: Record<number, number>; ma?: Record<number, number>; mu?: number; d?: number; D?: number; m?: number; sigma?: number },
): Float64Array {
  const r = createRng(seed, 0x41);
  const burn = 200;
  const total = n + burn;
  const w = new Float64Array(total);
  const e = new Float64Array(total);
  const mu = spec.mu ?? 0;
  for (let t = 0; t < total; t++) {
    e[t] = (spec.sigma ?? 1) * r.nextNormal();
    let v = e[t]!;
    for (const [lag, c] of Object.entries(spec.ar ?? {})) if (t - Number(lag) >= 0) v += c * (w[t - Number(lag)]! - mu);
    for (const [lag, c] of Object.entries(spec.ma ?? {})) if (t - Number(lag) >= 0) v += c * e[t - Number(lag)]!;
    w[t] = mu + v;
  }
  let y = w.slice(burn);
  const m = spec.m ?? 1;
  for (let k = 0; k < (spec.D ?? 0); k++) {
    const z = new Float64Array(n);
    for (let t = 0; t < n; t++) z[t] = y[t]! + (t >= m ? z[t - m]! : 0);
    y = z;
  }
  for (let k = 0; k < (spec.d ?? 0); k++) {
    const z = new Float64Array(n);
    for (let t = 0; t < n; t++) z[t] = y[t]! + (t >= 1 ? z[t - 1]! : 0);
    y = z;
  }
  return y;
}

const order = (o: Partial<ArimaOrder>): ArimaOrder => ({ p: 0, d: 0, q: 0, P: 0, D: 0, Q: 0, m: 1, constant: false, ...o });
const rng = createRng(1);

describe('ARIMA estimation recovers known coefficients', () => {
  it('AR(1), φ = 0.7, mean 50: φ within 0.04 of the truth on average over 8 series of 400', () => {
    let sum = 0;
    for (let s = 1; s <= 8; s++) {
      const y = simulate(400, s, { ar: { 1: 0.7 }, mu: 50 });
      sum += fitArimaOrder(y, y, order({ p: 1, constant: true }), 1)!.coef.phi[0]!;
    }
    expect(Math.abs(sum / 8 - 0.7)).toBeLessThan(0.04);
  });

  it('ARIMA(0,1,1), θ = −0.5: θ within 0.05 on average over 8 series of 300', () => {
    let sum = 0;
    for (let s = 1; s <= 8; s++) {
      const y = simulate(300, s, { ma: { 1: -0.5 }, d: 1 });
      sum += fitArimaOrder(y, y, order({ d: 1, q: 1 }), 0)!.coef.theta[0]!;
    }
    expect(Math.abs(sum / 8 + 0.5)).toBeLessThan(0.05);
  });

  it('the airline model (0,1,1)(0,1,1)[12], θ = −0.4, Θ = −0.6: both within 0.07 on average over 8 series of 240', () => {
    let th = 0;
    let sth = 0;
    for (let s = 1; s <= 8; s++) {
      // (1 − 0.4B)(1 − 0.6B¹²) = 1 − 0.4B − 0.6B¹² + 0.24B¹³
      const y = simulate(240, s, { ma: { 1: -0.4, 12: -0.6, 13: 0.24 }, d: 1, D: 1, m: 12 });
      const f = fitArimaOrder(y, y, order({ d: 1, q: 1, D: 1, Q: 1, m: 12 }), 0)!;
      th += f.coef.theta[0]!;
      sth += f.coef.sTheta[0]!;
    }
    expect(Math.abs(th / 8 + 0.4)).toBeLessThan(0.07);
    expect(Math.abs(sth / 8 + 0.6)).toBeLessThan(0.07);
  });

  it('AR(2), φ = (0.5, −0.3): both within 0.05 on average over 8 series of 400', () => {
    let a = 0;
    let b = 0;
    for (let s = 1; s <= 8; s++) {
      const y = simulate(400, s, { ar: { 1: 0.5, 2: -0.3 } });
      const f = fitArimaOrder(y, y, order({ p: 2 }), 2)!;
      a += f.coef.phi[0]!;
      b += f.coef.phi[1]!;
    }
    expect(Math.abs(a / 8 - 0.5)).toBeLessThan(0.05);
    expect(Math.abs(b / 8 + 0.3)).toBeLessThan(0.05);
  });
});

describe('an AR(1) forecasts as its closed form says', () => {
  it('mean μ + φ^h (y_n − μ) and variance σ²(1 − φ^{2h})/(1 − φ²) + (1 − φ^h)² Var(μ̂) with the fitted φ, μ and σ²', () => {
    const y = simulate(300, 3, { ar: { 1: 0.8 }, mu: 10, sigma: 2 });
    const f = fitArimaOrder(y, y, order({ p: 1, constant: true }), 1)!;
    const phi = f.coef.phi[0]!;
    const mu = f.mu;
    const b = f.predict(20, rng);
    for (let h = 1; h <= 20; h++) {
      expect(b.mean[h - 1]).toBeCloseTo(mu + Math.pow(phi, h) * (y[299]! - mu), 9);
      // plus the error of the estimated mean, g_h = 1 − φ^h times the variance of the mean of an AR(1), σ²/((1 − φ)² n)
      const muVar = f.sigma2 / (1 - phi) ** 2 / 300;
      const sd = Math.sqrt((f.sigma2 * (1 - Math.pow(phi, 2 * h))) / (1 - phi * phi) + (1 - Math.pow(phi, h)) ** 2 * muVar);
      expect(b.hi95[h - 1]! - b.mean[h - 1]!).toBeCloseTo(1.959963984540054 * sd, 9);
    }
    expect(mu).toBeCloseTo(y.reduce((s, v) => s + v, 0) / y.length, 12);
  });

  it('ψ weights: φ^j for an AR(1); 1 for a random walk; 1, 1 + θ, … for ARIMA(0,1,1)', () => {
    const ar = Float64Array.of(0, 0.6);
    const none = Float64Array.of(0);
    const psiAr = psiWeights(ar, none, differencingLags(0, 0, 1), 6);
    for (let j = 0; j < 6; j++) expect(psiAr[j]).toBeCloseTo(Math.pow(0.6, j), 12);
    expect(Array.from(psiWeights(none, none, differencingLags(1, 0, 1), 4))).toEqual([1, 1, 1, 1]);
    const psiIma = psiWeights(none, Float64Array.of(0, -0.3), differencingLags(1, 0, 1), 4);
    for (let j = 1; j < 4; j++) expect(psiIma[j]).toBeCloseTo(0.7, 12);
    // the seasonal random walk: ψ_j = 1 at multiples of m, 0 elsewhere
    const psiS = psiWeights(none, none, differencingLags(0, 1, 4), 9);
    expect(Array.from(psiS)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });
});

describe('ARIMA sample paths', () => {
  it('unit variance at every step; an AR(1)\'s lag-k correlation between steps 1 and 1 + k is φ^k', () => {
    const y = simulate(300, 11, { ar: { 1: 0.6 } });
    const f = fitArimaOrder(y, y, order({ p: 1 }), 1)!;
    const phi = f.coef.phi[0]!;
    const n = 4000;
    const h = 6;
    const paths = f.samplePaths(h, n, createRng(3));
    for (const i of [0, 5]) {
      let v = 0;
      for (let p = 0; p < n; p++) v += paths[p * h + i]! ** 2;
      expect(v / n).toBeGreaterThan(0.94);
      expect(v / n).toBeLessThan(1.06);
    }
    // e₁ = ε₁ and e₄ = φ³ε₁ + …: cov φ³σ², sd₁ = σ, sd₄ = σ √((1 − φ⁸)/(1 − φ²)), so corr = φ³ √((1 − φ²)/(1 − φ⁸))
    let c = 0;
    for (let p = 0; p < n; p++) c += paths[p * h]! * paths[p * h + 3]!;
    const expected = Math.pow(phi, 3) * Math.sqrt((1 - phi * phi) / (1 - Math.pow(phi, 8)));
    expect(Math.abs(c / n - expected)).toBeLessThan(0.04);
  });
});

describe('roots near the unit circle', () => {
  it('root moduli: (1 − z/2)(1 + z/4) → 2; 1 + z²/4 → 2 (complex); 1 + 0.5 z (MA) → 2; 1 − 0.5 z⁴ → 0.5^(−1/4)', () => {
    const f = (o: Partial<ArimaOrder>, phi: number[], sPhi: number[], theta: number[], sTheta: number[]): number =>
      minRootModulus(expand(order(o), Float64Array.from(phi), Float64Array.from(sPhi), Float64Array.from(theta), Float64Array.from(sTheta)), o.m ?? 1);
    expect(f({ p: 2 }, [0.25, 0.125], [], [], [])).toBeCloseTo(2, 12);
    expect(f({ p: 2 }, [0, -0.25], [], [], [])).toBeCloseTo(2, 12);
    expect(f({ q: 1 }, [], [], [0.5], [])).toBeCloseTo(2, 12);
    expect(f({ P: 1, m: 4 }, [], [0.5], [], [])).toBeCloseTo(Math.pow(0.5, -1 / 4), 12);
    expect(f({}, [], [], [], [])).toBe(Infinity);
  });

  it('an order whose fit has a root inside 1.01 is never chosen', () => {
    for (let s = 1; s <= 6; s++) {
      const y = simulate(60, s, { ar: { 1: 0.9 }, d: 1 });
      const f = autoArima(y);
      expect(minRootModulus(f.coef, f.order.m)).toBeGreaterThanOrEqual(1.01);
    }
  });
});

describe('the automatic order choice', () => {
  it('KPSS: white noise is stationary, a random walk is not; d = 0, 1 and 2 where the truth is', () => {
    let wrong = 0;
    for (let s = 1; s <= 10; s++) {
      if (kpssStatistic(simulate(200, s, {})) > 0.463) wrong++;
      if (!(kpssStatistic(simulate(200, s, { d: 1 })) > 0.463)) wrong++;
      if (firstDifferences(simulate(200, s, { d: 2 })) !== 2) wrong++;
    }
    // a 5% test: a false rejection or two among ten white-noise series is allowed
    expect(wrong).toBeLessThanOrEqual(2);
  });

  it('a strong yearly cycle is differenced seasonally (F_S ≥ 0.64); a weak one is not', () => {
    const strong = Float64Array.from(simulate(120, 4, { ar: { 1: 0.3 } }), (v, t) => v + 10 * Math.sin((2 * Math.PI * t) / 12));
    const weak = Float64Array.from(simulate(120, 4, { ar: { 1: 0.3 } }), (v, t) => v + 0.2 * Math.sin((2 * Math.PI * t) / 12));
    expect(stlSeasonalStrength(strong, 12)).toBeGreaterThan(0.64);
    expect(stlSeasonalStrength(weak, 12)).toBeLessThan(0.64);
    expect(autoArima(strong, 12).order.D).toBe(1);
    expect(autoArima(weak, 12).order.D).toBe(0);
  });

  it('on airline data: a seasonal difference and a seasonal MA term always, a first difference mostly; a drift where there is one', () => {
    let firstDiff = 0;
    for (let s = 1; s <= 6; s++) {
      const y = simulate(240, s, { ma: { 1: -0.4, 12: -0.6, 13: 0.24 }, d: 1, D: 1, m: 12 });
      const o = autoArima(Float64Array.from(y, (v, t) => v + 100 + 8 * Math.cos((2 * Math.PI * t) / 12)), 12).order;
      expect(o.D).toBe(1);
      expect(o.Q).toBe(1);
      if (o.d === 1) firstDiff++;
    }
    // the KPSS test on the seasonally differenced series misses the first difference now and then; an AR(1) with φ ≈ 0.94
    // takes its place
    expect(firstDiff).toBeGreaterThanOrEqual(4);
    const y = Float64Array.from(simulate(300, 9, { d: 1, mu: 0 }), (v, t) => v + 0.5 * t);
    const f = autoArima(y);
    expect(f.order.d).toBe(1);
    expect(f.trend.perStep).toBeCloseTo((y[299]! - y[0]!) / 299, 9);
  });
});

describe('ARIMA intervals cover about as often as they say on simulated futures', () => {
  const airline = { ma: { 1: -0.4, 12: -0.6, 13: 0.24 }, d: 1, D: 1, m: 12 };
  const ar110 = { ar: { 1: 0.5 }, d: 1 };
  /** Share of 12 future points of 100 simulated series of each process inside the 80% and 95% bands. */
  function cover(fit: (train: Float64Array, seasonal: boolean) => { predict: (h: number, r: typeof rng) => import('../../src/internal.js').Bands }): [number, number] {
    let in80 = 0;
    let in95 = 0;
    let total = 0;
    const h = 12;
    for (let s = 1; s <= 200; s++) {
      const seasonal = s % 2 === 1;
      const y = simulate(150 + h, 100 + s, seasonal ? airline : ar110);
      const b = fit(y.subarray(0, 150), seasonal).predict(h, rng);
      for (let i = 0; i < h; i++) {
        const v = y[150 + i]!;
        if (v >= b.lo80[i]! && v <= b.hi80[i]!) in80++;
        if (v >= b.lo95[i]! && v <= b.hi95[i]!) in95++;
        total++;
      }
    }
    return [in80 / total, in95 / total];
  }

  it('the true orders, estimated: 80% / 95% within 0.03 / 0.02 of nominal (ARIMA(1,1,0) φ = 0.5 and the airline model)', () => {
    const [c80, c95] = cover((train, seasonal) => fitArimaOrder(train, train, seasonal ? order({ d: 1, q: 1, D: 1, Q: 1, m: 12 }) : order({ p: 1, d: 1 }), seasonal ? 0 : 1)!);
    expect(Math.abs(c80 - 0.8)).toBeLessThan(0.03);
    expect(Math.abs(c95 - 0.95)).toBeLessThan(0.02);
  });

  it('the orders chosen automatically: within 0.06 / 0.05 below nominal (a chosen drift or missed difference costs some)', () => {
    const [c80, c95] = cover((train, seasonal) => autoArima(train, seasonal ? 12 : undefined));
    expect(c80).toBeGreaterThan(0.74);
    expect(c80).toBeLessThan(0.83);
    expect(c95).toBeGreaterThan(0.9);
    expect(c95).toBeLessThan(0.97);
  });
});

describe('the named model', () => {
  it('forecast(model: arima) on a monthly history says its order; gaps are filled for the recursion only', () => {
    const y = Array.from(simulate(120, 5, { ma: { 1: -0.4, 12: -0.6, 13: 0.24 }, d: 1, D: 1, m: 12 }), (v, t) => v + 200 + 10 * Math.sin((2 * Math.PI * t) / 12));
    y[50] = NaN;
    const f = forecast(series(y, 30.436875 * DAY), { horizon: 18, model: 'arima', seed: 1 });
    expect(f.modelName).toBe('arima');
    expect(f.model).toMatch(/^arima\(\d,\d,\d\)\(\d,1,\d\)\[12\]/);
    expect(f.points.every((p) => Number.isFinite(p.mean) && p.lo95 <= p.mean && p.mean <= p.hi95)).toBe(true);
  });
});
