/**
 * The simulator against exact queueing theory (test/sim/queueing-theory.ts), at the acceptance bar: 10^6 arrivals per
 * replica, the mean over replicas within 2% of the closed form and the closed form inside the replicas' 95% interval.
 * Warm-up: the first 5% of arrivals, so the empty start does not bias the means.
 */
import { describe, expect, it } from 'vitest';
import type { ReplicaResult, SimSpec } from '../../src/sim/types.js';
import { exp, expectAnalytic, expectConservation, replicas, station, zeroWaitShare } from './helpers.js';
import { erlangB, mg1, mm1, mm1ResponseQuantile, mmc, mmck } from './queueing-theory.js';

const N = 1_000_000;
const run = { stop: { kind: 'arrivals', arrivals: N }, warmup: { kind: 'arrivals', arrivals: N / 20 } } as const;
const col = (rs: ReplicaResult[], f: (r: ReplicaResult) => number): number[] => rs.map(f);

describe('single stations against closed forms (10^6 arrivals per replica)', () => {
  it('M/M/1 at ρ = 0.7: W, Wq, L, Lq, utilisation and response-time quantiles', () => {
    const lambda = 0.7;
    const mu = 1;
    const rs = replicas({ arrivals: [{ kind: 'poisson', rate: lambda }], stations: [station('q', exp(1 / mu))], run }, 4);
    const t = mm1(lambda, mu);
    expectAnalytic(col(rs, (r) => r.stations[0]!.meanResponse), t.W, 'W');
    expectAnalytic(col(rs, (r) => r.stations[0]!.meanWait), t.Wq, 'Wq');
    expectAnalytic(col(rs, (r) => r.stations[0]!.meanInSystem), t.L, 'L');
    expectAnalytic(col(rs, (r) => r.stations[0]!.meanQueueLength), t.Lq, 'Lq');
    expectAnalytic(col(rs, (r) => r.stations[0]!.utilization), t.rho, 'utilisation');
    expectAnalytic(col(rs, (r) => r.stations[0]!.throughput), lambda, 'throughput');
    // Quantiles from the log-linear histogram (≤ 0.4% bucket error) of an exponential response time.
    expectAnalytic(col(rs, (r) => r.stations[0]!.p50Response), mm1ResponseQuantile(lambda, mu, 0.5), 'p50');
    expectAnalytic(col(rs, (r) => r.stations[0]!.p95Response), mm1ResponseQuantile(lambda, mu, 0.95), 'p95');
    expectAnalytic(col(rs, (r) => r.stations[0]!.p99Response), mm1ResponseQuantile(lambda, mu, 0.99), 'p99');
    for (const r of rs) expectConservation(r);
  });

  it('M/M/4 at ρ = 0.8: Erlang C probability of waiting and mean wait', () => {
    const lambda = 3.2;
    const mu = 1;
    const rs = replicas({ arrivals: [{ kind: 'poisson', rate: lambda }], stations: [station('q', exp(1 / mu), { workersPerNode: 4 })], run }, 4);
    const t = mmc(lambda, mu, 4);
    expectAnalytic(col(rs, (r) => 1 - zeroWaitShare(r)), t.pWait, 'P(wait)');
    expectAnalytic(col(rs, (r) => r.stations[0]!.meanWait), t.Wq, 'Wq');
    expectAnalytic(col(rs, (r) => r.stations[0]!.meanResponse), t.W, 'W');
    expectAnalytic(col(rs, (r) => r.stations[0]!.utilization), t.rho, 'utilisation');
  });

  it('M/M/8 as 4 nodes × 2 workers sharing one queue: Erlang C', () => {
    const lambda = 6;
    const mu = 1;
    const rs = replicas(
      { arrivals: [{ kind: 'poisson', rate: lambda }], stations: [station('q', exp(1 / mu), { nodes: 4, workersPerNode: 2, queue: 'shared' })], run },
      3,
    );
    const t = mmc(lambda, mu, 8);
    expectAnalytic(col(rs, (r) => 1 - zeroWaitShare(r)), t.pWait, 'P(wait)');
    expectAnalytic(col(rs, (r) => r.stations[0]!.meanWait), t.Wq, 'Wq');
    expectAnalytic(col(rs, (r) => r.stations[0]!.meanQueueLength), t.Lq, 'Lq');
  });

  it('M/D/1 at ρ = 0.7: Pollaczek–Khinchine with c_s² = 0', () => {
    const lambda = 0.7;
    const rs = replicas({ arrivals: [{ kind: 'poisson', rate: lambda }], stations: [station('q', { kind: 'deterministic', value: 1 })], run }, 3);
    const t = mg1(lambda, 1, 0);
    expectAnalytic(col(rs, (r) => r.stations[0]!.meanWait), t.Wq, 'Wq');
    expectAnalytic(col(rs, (r) => r.stations[0]!.meanResponse), t.W, 'W');
    expectAnalytic(col(rs, (r) => r.stations[0]!.meanQueueLength), t.Lq, 'Lq');
  });

  it('M/G/1 with lognormal service (cv 1.5) at ρ = 0.6: Pollaczek–Khinchine with c_s² = cv²', () => {
    const lambda = 0.6;
    const rs = replicas({ arrivals: [{ kind: 'poisson', rate: lambda }], stations: [station('q', { kind: 'lognormal', mean: 1, cv: 1.5 })], run }, 4);
    const t = mg1(lambda, 1, 1.5 * 1.5);
    expectAnalytic(col(rs, (r) => r.stations[0]!.meanWait), t.Wq, 'Wq');
    expectAnalytic(col(rs, (r) => r.stations[0]!.meanResponse), t.W, 'W');
  });

  it('M/M/2/5 (queue capacity 3): blocking probability, throughput and W', () => {
    const lambda = 2;
    const mu = 1;
    const rs = replicas({ arrivals: [{ kind: 'poisson', rate: lambda }], stations: [station('q', exp(1 / mu), { workersPerNode: 2, queueCapacity: 3 })], run }, 3);
    const t = mmck(lambda, mu, 2, 5);
    expectAnalytic(col(rs, (r) => r.stations[0]!.dropFraction), t.block, 'blocking');
    expectAnalytic(col(rs, (r) => r.stations[0]!.throughput), t.throughput, 'throughput');
    expectAnalytic(col(rs, (r) => r.stations[0]!.meanResponse), t.W, 'W');
    expectAnalytic(col(rs, (r) => r.stations[0]!.meanInSystem), t.L, 'L');
    for (const r of rs) expectConservation(r);
  });

  it('Erlang B: M/M/5/5 and M/G/5/5 with lognormal service block alike (insensitivity)', () => {
    const lambda = 4;
    const b = erlangB(4, 5);
    for (const serviceTime of [exp(1), { kind: 'lognormal', mean: 1, cv: 2 } as const]) {
      const rs = replicas(
        { arrivals: [{ kind: 'poisson', rate: lambda }], stations: [station('q', serviceTime, { workersPerNode: 5, queueCapacity: 0 })], run: { ...run, stop: { kind: 'arrivals', arrivals: N / 2 } } },
        3,
      );
      expectAnalytic(col(rs, (r) => r.stations[0]!.dropFraction), b, `blocking with ${serviceTime.kind} service`);
    }
  });
});

describe('networks', () => {
  it('tandem Jackson network: two M/M/1 in series (λ = 0.6, μ = 1 and 0.8)', () => {
    const lambda = 0.6;
    const spec: SimSpec = {
      arrivals: [{ kind: 'poisson', rate: lambda }],
      stations: [station('front', exp(1)), station('db', exp(1 / 0.8))],
      run,
    };
    const rs = replicas(spec, 3);
    const a = mm1(lambda, 1);
    const b = mm1(lambda, 0.8);
    expectAnalytic(col(rs, (r) => r.stations[0]!.meanResponse), a.W, 'W front');
    expectAnalytic(col(rs, (r) => r.stations[1]!.meanResponse), b.W, 'W db');
    expectAnalytic(col(rs, (r) => r.endToEnd.meanResponse), a.W + b.W, 'W end to end');
    expectAnalytic(col(rs, (r) => r.endToEnd.meanInSystem), a.L + b.L, 'L end to end');
    for (const r of rs) expectConservation(r);
  });

  it('Jackson network with feedback: traffic equations give each station an M/M/1 at its effective rate', () => {
    // entry → A; after A: to B w.p. 0.4, else leave; after B: back to A w.p. 0.5, else leave.
    // Traffic equations: λA = λ + 0.5 λB, λB = 0.4 λA  ⇒  λA = λ / 0.8, λB = 0.4 λA.
    const lambda = 1;
    const lA = lambda / 0.8;
    const lB = 0.4 * lA;
    const spec: SimSpec = {
      arrivals: [{ kind: 'poisson', rate: lambda }],
      stations: [station('A', exp(1 / 2)), station('B', exp(1 / 1.5))],
      routing: { kind: 'network', entry: [{ station: 'A', p: 1 }], next: { A: [{ station: 'B', p: 0.4 }], B: [{ station: 'A', p: 0.5 }] } },
      run: { ...run, stop: { kind: 'arrivals', arrivals: N / 2 } },
    };
    const rs = replicas(spec, 3);
    const a = mm1(lA, 2);
    const b = mm1(lB, 1.5);
    expectAnalytic(col(rs, (r) => r.stations[0]!.arrivalRate), lA, 'λA');
    expectAnalytic(col(rs, (r) => r.stations[1]!.arrivalRate), lB, 'λB');
    expectAnalytic(col(rs, (r) => r.stations[0]!.meanResponse), a.W, 'W per visit at A');
    expectAnalytic(col(rs, (r) => r.stations[1]!.meanResponse), b.W, 'W per visit at B');
    // End to end, by Little's law over the network: (L_A + L_B) / λ.
    expectAnalytic(col(rs, (r) => r.endToEnd.meanResponse), (a.L + b.L) / lambda, 'W end to end');
  });

  it('per-class routing: reads go web → cache, writes web → db; by Burke and Poisson splitting each is an M/M/1', () => {
    const lambda = 2;
    const spec: SimSpec = {
      arrivals: [{ kind: 'poisson', rate: lambda }],
      classes: [
        { name: 'read', weight: 3, routing: { kind: 'path', stations: ['web', 'cache'] } },
        { name: 'write', weight: 1, routing: { kind: 'path', stations: ['web', 'db'] } },
      ],
      stations: [station('web', exp(1 / 4)), station('cache', exp(1 / 3)), station('db', exp(1))],
      run: { stop: { kind: 'arrivals', arrivals: 300_000 }, warmup: { kind: 'arrivals', arrivals: 10_000 } },
    };
    const rs = replicas(spec, 3);
    expectAnalytic(col(rs, (r) => r.stations[1]!.arrivalRate), 1.5, 'λ cache', 0.03);
    expectAnalytic(col(rs, (r) => r.stations[2]!.arrivalRate), 0.5, 'λ db', 0.03);
    expectAnalytic(col(rs, (r) => r.stations[0]!.meanResponse), mm1(2, 4).W, 'W web', 0.03);
    expectAnalytic(col(rs, (r) => r.stations[1]!.meanResponse), mm1(1.5, 3).W, 'W cache', 0.03);
    expectAnalytic(col(rs, (r) => r.stations[2]!.meanResponse), mm1(0.5, 1).W, 'W db', 0.03);
    // End to end: mix of the two paths.
    const w = mm1(2, 4).W + 0.75 * mm1(1.5, 3).W + 0.25 * mm1(0.5, 1).W;
    expectAnalytic(col(rs, (r) => r.endToEnd.meanResponse), w, 'W end to end', 0.03);
    for (const r of rs) expectConservation(r);
  });

  it("Little's law L = λW holds per station and end to end in every run", () => {
    const rs = replicas(
      {
        arrivals: [{ kind: 'poisson', rate: 5 }],
        stations: [station('web', { kind: 'gamma', mean: 0.1, cv: 0.5 }, { nodes: 2, balancer: 'least-outstanding' }), station('db', { kind: 'erlang', mean: 0.05, k: 3 }, { workersPerNode: 2 })],
        run: { stop: { kind: 'arrivals', arrivals: 200_000 }, warmup: { kind: 'arrivals', arrivals: 10_000 } },
      },
      2,
    );
    for (const r of rs) {
      for (const s of r.stations) expect(s.meanInSystem / (s.arrivalRate * s.meanResponse)).toBeCloseTo(1, 2);
      expect(r.endToEnd.meanInSystem / (r.endToEnd.arrivalRate * r.endToEnd.meanResponse)).toBeCloseTo(1, 2);
    }
  });
});
