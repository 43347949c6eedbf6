import { describe, expect, it } from 'vitest';
import {
  erlangB,
  erlangC,
  mmcMeanWait,
  mmcWaitTail,
  mgcWait,
  mmck,
  uslNode,
  uslResponseTail,
  responsePercentile,
  shapeOf,
  distributionQuantile,
} from '../../src/internal.js';
import { normalQuantile } from '../../src/stats/normal.js';
import { gammaP, gammaQuantile } from '../../src/stats/gamma.js';

/** Textbook M/M/c (Kleinrock vol. 1 eq. 3.39–3.40): P0 and C(c, a) from the sums, written independently of src/plan. */
function textbookErlangC(c: number, a: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const top = (term * a) / c / (1 - a / c); // a^c / (c! (1 − ρ))
  return top / (sum + top);
}

describe('Erlang B and C', () => {
  it('match the closed forms on small cases', () => {
    expect(erlangB(1, 1)).toBeCloseTo(0.5, 15);
    expect(erlangB(2, 1)).toBeCloseTo(0.5 / 2.5, 15);
    expect(erlangC(1, 0.5)).toBeCloseTo(0.5, 15);
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 15);
  });

  it('agree with the textbook sums over a grid of servers and loads', () => {
    for (const c of [1, 2, 5, 10, 40, 100]) {
      for (const rho of [0.1, 0.5, 0.8, 0.95]) {
        expect(erlangC(c, rho * c)).toBeCloseTo(textbookErlangC(c, rho * c), 10);
      }
    }
  });

  it('stays finite for thousands of servers and is 1 when unstable', () => {
    const v = erlangC(5000, 4900);
    expect(v).toBeGreaterThan(0);
    expect(v).toBeLessThan(1);
    expect(erlangC(4, 4)).toBe(1);
  });

  it('gives the M/M/c waiting time and its tail', () => {
    // M/M/1, λ = 0.5, μ = 1: E[Wq] = ρ/(μ − λ) = 1, P(W > t) = ρ e^{−(μ−λ)t}
    expect(mmcMeanWait(1, 0.5, 1)).toBeCloseTo(1, 12);
    expect(mmcWaitTail(1, 0.5, 1, 2)).toBeCloseTo(0.5 * Math.exp(-1), 12);
  });

  it('Allen–Cunneen reduces to M/M/c for exponential service and halves the wait for deterministic service (c = 1, Pollaczek–Khinchine)', () => {
    const mm = mgcWait(3, 2, 1, 1);
    expect(mm.meanWait).toBeCloseTo(mmcMeanWait(3, 2, 1), 12);
    expect(mm.theta).toBeCloseTo(3 - 2, 12);
    // M/D/1: E[Wq] = ρ E[S] / (2(1 − ρ)), exactly half the M/M/1 value.
    expect(mgcWait(1, 0.6, 1, 0).meanWait).toBeCloseTo((0.6 * 1) / (2 * 0.4), 12);
  });
});

describe('M/M/c/K', () => {
  it('with no waiting room is Erlang B', () => {
    for (const [c, a] of [
      [1, 0.7],
      [4, 3],
      [20, 18],
    ] as const) {
      expect(mmck(c, c, a).blocking).toBeCloseTo(erlangB(c, a), 12);
    }
  });

  it('M/M/1/K matches the geometric closed form', () => {
    // p_K = ρ^K (1 − ρ) / (1 − ρ^{K+1})
    const rho = 0.9;
    const K = 5;
    expect(mmck(1, K, rho).blocking).toBeCloseTo((rho ** K * (1 - rho)) / (1 - rho ** (K + 1)), 12);
  });
});

describe('response-time percentiles', () => {
  it('M/M/1 response time is exponential with rate μ − λ', () => {
    const shape = shapeOf([{ weight: 1, serviceTime: { kind: 'exponential', mean: 1 } }]);
    const w = mgcWait(1, 0.5, 1, 1);
    expect(responsePercentile(w, shape, 0.99)).toBeCloseTo(Math.log(100) / 0.5, 4);
  });

  it('deterministic service with no queueing returns the service time', () => {
    const shape = shapeOf([{ weight: 1, serviceTime: { kind: 'deterministic', value: 0.004 } }]);
    expect(responsePercentile(mgcWait(100, 1, 0.004, 0), shape, 0.99)).toBeCloseTo(0.004, 5);
  });

  it('with no queueing the percentile is the service time\'s own quantile, exactly (closed forms)', () => {
    const idle = { pWait: 0, theta: Infinity, meanWait: 0, rho: 0 };
    // Lognormal mean 20 ms, cv 1.5: σ² = ln(1 + cv²), μ = ln(mean) − σ²/2, p99 = exp(μ + 2.3263478740408408 σ).
    const s2 = Math.log(1 + 1.5 * 1.5);
    const ln = shapeOf([{ weight: 1, serviceTime: { kind: 'lognormal', mean: 0.02, cv: 1.5 } }]);
    expect(responsePercentile(idle, ln, 0.99)).toBeCloseTo(Math.exp(Math.log(0.02) - s2 / 2 + 2.3263478740408408 * Math.sqrt(s2)), 5);
    // Erlang-2 with mean 2 (rate 1 per phase): P(S > t) = e^{−t}(1 + t); p90 solves (1 + t) e^{−t} = 0.1, t = 3.88972.
    const er = shapeOf([{ weight: 1, serviceTime: { kind: 'erlang', mean: 2, k: 2 } }]);
    expect(responsePercentile(idle, er, 0.9)).toBeCloseTo(3.889720169867429, 4);
    // A mixture: 90% 1 ms deterministic, 10% 10 ms: p95 is 10 ms.
    const mix = shapeOf([
      { weight: 0.9, serviceTime: { kind: 'deterministic', value: 0.001 } },
      { weight: 0.1, serviceTime: { kind: 'deterministic', value: 0.01 } },
    ]);
    expect(responsePercentile(idle, mix, 0.95)).toBeCloseTo(0.01, 5);
  });

  it('quantile functions of the service-time distributions', () => {
    expect(distributionQuantile({ kind: 'exponential', mean: 2 }, 0.5)).toBeCloseTo(2 * Math.LN2, 12);
    expect(distributionQuantile({ kind: 'lognormal', mean: 1, cv: 0 + 1 }, 0.5)).toBeCloseTo(Math.exp(-Math.log(2) / 2), 6);
    expect(distributionQuantile({ kind: 'pareto', mean: 3, alpha: 3 }, 0.875)).toBeCloseTo(2 * 2, 9); // x_m = 2, (1/8)^(−1/3) = 2
    expect(gammaQuantile(1, 1, 0.5)).toBeCloseTo(Math.LN2, 9);
    expect(gammaP(3, 2)).toBeCloseTo(1 - Math.exp(-2) * (1 + 2 + 2), 12); // Erlang-3 CDF at 2
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.1)).toBeCloseTo(-1.2815515655446004, 8);
  });
});

describe('USL node', () => {
  it('with σ = κ = 0 and one worker is an M/M/1 queue', () => {
    const r = uslNode({ lambda: 10, sigma: 0, kappa: 0 }, 1, 5, undefined);
    expect(r.meanResponse).toBeCloseTo(1 / (10 - 5), 12);
    expect(r.utilization).toBeCloseTo(0.5, 12);
  });

  it('with linear scaling, its response-time tail is the M/M/c one exactly', () => {
    // M/M/4, μ = 2, λ = 6: P(R > t) = (1 − C) e^{−μt} + C (μ e^{−θt} − θ e^{−μt}) / (μ − θ), θ = cμ − λ = 2 = μ → limit form.
    const C = erlangC(4, 3);
    for (const t of [0.1, 0.5, 1, 3]) {
      const exact = (1 - C) * Math.exp(-2 * t) + C * Math.exp(-2 * t) * (1 + 2 * t);
      expect(uslResponseTail({ lambda: 2, sigma: 0, kappa: 0 }, 4, 6, undefined, t)).toBeCloseTo(exact, 9);
    }
    // θ ≠ μ: M/M/4, μ = 2, λ = 5, θ = 3.
    const C5 = erlangC(4, 2.5);
    const exact = (1 - C5) * Math.exp(-2) + (C5 * (2 * Math.exp(-3) - 3 * Math.exp(-2))) / (2 - 3);
    expect(uslResponseTail({ lambda: 2, sigma: 0, kappa: 0 }, 4, 5, undefined, 1)).toBeCloseTo(exact, 9);
  });

  it('with linear scaling and c workers is M/M/c', () => {
    const r = uslNode({ lambda: 2, sigma: 0, kappa: 0 }, 4, 6, undefined);
    // M/M/4 with μ = 2, λ = 6: E[R] = E[Wq] + 1/μ
    expect(r.meanResponse).toBeCloseTo(mmcMeanWait(4, 6, 2) + 0.5, 12);
  });
});
