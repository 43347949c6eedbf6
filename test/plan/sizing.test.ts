import { describe, expect, it } from 'vitest';
import { loadPlanScenario, planCapacity, readPlanHistory, sizeService, type SizingService } from '../../src/internal.js';
import { shapeOf } from '../../src/queueing/service-shape.js';
import { standardFixture } from './fixtures.js';

/**
 * Independent truth for M/M/c: Erlang C from the textbook sums (Kleinrock vol. 1 eq. 3.39–3.40) and the response-time
 * tail of M/M/c, P(R > t) = (1 − C) e^{−μt} + C (μ e^{−θt} − θ e^{−μt}) / (μ − θ) with θ = cμ − λ (the convolution of
 * the exponential service time with the M/M/c waiting time). Nothing here calls src/plan.
 */
function erlangCTextbook(c: number, a: number): number {
  if (a >= c) return 1;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const top = (term * a) / c / (1 - a / c);
  return top / (sum + top);
}

function mmcResponseTail(c: number, lambda: number, mu: number, t: number): number {
  if (lambda >= c * mu) return 1;
  const C = erlangCTextbook(c, lambda / mu);
  const th = c * mu - lambda;
  const both = Math.abs(mu - th) < 1e-12 ? Math.exp(-mu * t) * (1 + mu * t) : (mu * Math.exp(-th * t) - th * Math.exp(-mu * t)) / (mu - th);
  return (1 - C) * Math.exp(-mu * t) + C * both;
}

/** Smallest n such that n·c servers (pooled) or n separate M/M/c at λ/n (split) meet p-quantile <= target and ρ <= cap. */
function independentCount(lambda: number, c: number, mu: number, q: number, target: number, cap: number, pooled: boolean): number {
  for (let n = 1; n < 100_000; n++) {
    const servers = pooled ? n * c : c;
    const rate = pooled ? lambda : lambda / n;
    const rho = rate / (servers * mu);
    if (rho > cap + 1e-12 || rho >= 1) continue;
    if (mmcResponseTail(servers, rate, mu, target) <= 1 - q) return n;
  }
  throw new Error('no count');
}

const mmService = (workers: number, mean: number, pooled: boolean): SizingService => ({
  name: 'mm',
  workersPerNode: workers,
  shape: shapeOf([{ weight: 1, serviceTime: { kind: 'exponential', mean } }]),
  usl: undefined,
  queue: pooled ? 'shared' : 'per-node',
  balancer: pooled ? 'round-robin' : 'random',
  queueCapacity: undefined,
  timeout: undefined,
});

describe('analytic sizing of M/M/c-shaped services against an independent Erlang C computation', () => {
  it('pooled (shared queue) and split (random balancer) over a grid of demands', () => {
    for (const pooled of [true, false]) {
      for (const lambda of [5, 37, 120, 480, 2500]) {
        for (const [target, cap] of [
          [0.15, 0.85],
          [0.08, 1],
          [0.3, 0.6],
        ] as const) {
          const s = mmService(4, 0.01, pooled);
          const got = sizeService(s, lambda, { latency: { quantile: 0.99, target }, maxErrorRate: undefined }, cap);
          expect(got.nodesRequired, `pooled=${pooled} λ=${lambda} target=${target} cap=${cap}`).toBe(independentCount(lambda, 4, 100, 0.99, target, cap, pooled));
        }
      }
    }
  });

  it('in a whole plan: each period of an M/M/c service is sized to the independent count at its sized demand', async () => {
    const f = standardFixture();
    const { scenario, model } = await loadPlanScenario(f.scenario, { cwd: f.dir });
    const history = await readPlanHistory(scenario, { cwd: f.dir });
    const { plan } = await planCapacity({ scenario, model, history });
    const base = plan.variants[0]!;
    const mm = base.services.find((s) => s.service === 'mm')!;
    const mmr = base.services.find((s) => s.service === 'mmr')!;
    expect(plan.quantileLabel).toBe('p90');
    for (const p of mm.periods) expect(p.nodesRequired).toBe(independentCount(p.demandSized, 4, 50, 0.99, 0.2, 0.85, true));
    for (const p of mmr.periods) expect(p.nodesRequired).toBe(independentCount(p.demandSized, 2, 100, 0.99, 0.2, 0.85, false));
    // Sized demand is the p90 of the forecast, above the median, and both grow with the 40%/year history.
    for (const p of mm.periods) expect(p.demandSized).toBeGreaterThan(p.demandP50);
    expect(mm.periods[5]!.demandP50).toBeGreaterThan(mm.periods[0]!.demandP50);
    // mmr_rps = mm_rps * 0.5, evaluated per period.
    mm.periods.forEach((p, i) => expect(mmr.periods[i]!.demandSized).toBeCloseTo(p.demandSized * 0.5, 9));
  });
});

describe('what binds the count', () => {
  const slo = (target: number) => ({ latency: { quantile: 0.99, target }, maxErrorRate: undefined });
  it('names the constraint that set it', () => {
    const s = mmService(4, 0.01, true);
    expect(sizeService(s, 1, slo(1), 0.8).binding).toBe('minimum');
    // Loose latency, tight cap: utilisation; tight latency, loose cap: latency.
    expect(sizeService(s, 2000, slo(1), 0.5)).toMatchObject({ binding: 'utilization', nodesRequired: 10, nodesUtilization: 10 });
    const tight = sizeService(s, 2000, slo(0.047), 1);
    expect(tight.binding).toBe('latency');
    expect(tight.nodesRequired).toBe(tight.nodesSlo);
    expect(tight.nodesRequired).toBe(independentCount(2000, 4, 100, 0.99, 0.047, 1, true));
  });

  it('drops from a bounded queue bind through the error budget', () => {
    const s: SizingService = { ...mmService(1, 0.01, false), queueCapacity: 0 };
    // Each node an M/M/1/1 loss system at λ/n: blocking = a/(1 + a) with a = λ/(nμ) (Erlang B, one server).
    const r = sizeService(s, 100, { latency: undefined, maxErrorRate: 0.045 }, 1);
    let n = 1;
    while (100 / (n * 100) / (1 + 100 / (n * 100)) > 0.045) n++;
    expect(n).toBe(22);
    expect(r).toMatchObject({ nodesRequired: n, binding: 'errors' });
  });
});

describe('round-robin', () => {
  it('needs no more nodes than random splitting (its split streams are smoother, ca² = 1/n) and no fewer than pooling', () => {
    for (const lambda of [50, 300, 1500]) {
      const slo = { latency: { quantile: 0.99, target: 0.06 }, maxErrorRate: undefined };
      const random = sizeService(mmService(4, 0.01, false), lambda, slo, 1).nodesRequired;
      const rr = sizeService({ ...mmService(4, 0.01, false), balancer: 'round-robin' }, lambda, slo, 1).nodesRequired;
      const pooled = sizeService(mmService(4, 0.01, true), lambda, slo, 1).nodesRequired;
      expect(rr).toBeLessThanOrEqual(random);
      expect(rr).toBeGreaterThanOrEqual(pooled);
    }
  });
});
