/**
 * The simulator knows when it is not in steady state: overload is UNSTABLE (exit 1) even when the run ends before the
 * in-flight bound, a routing loop without an exit is a load-time error (exit 2), and a run is estimated and bounded
 * before it starts (`--max-events`). Truth is worked out by hand from deterministic scenarios.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryContext } from '../../src/cli/context.js';
import { run } from '../../src/cli/main.js';
import { loadSimulationScenario } from '../../src/config/simulation.js';
import { estimateEvents, expectedArrivals, meanVisits } from '../../src/sim/event-estimate.js';
import { runReplica } from '../../src/sim/replica.js';
import { specProblems } from '../../src/sim/spec-problems.js';
import type { SimSpec } from '../../src/sim/types.js';
import { exp, station } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'headroom-steady-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const ctx = memoryContext();
  const code = await run(argv, ctx);
  return { code, out: ctx.out(), err: ctx.err() };
}

describe('overload is UNSTABLE', () => {
  it('flags a deterministic overload that ends before the in-flight bound, with offered vs capacity', async () => {
    // 1000 arrivals every 10 ms (t = 0 … 9.99 s) at one worker that takes exactly 20 ms: offered 1000 / 9.99 s =
    // 100.1/s against a capacity of 1 / 0.02 s = 50/s (offered utilisation 2.002). By t = 9.99 s the worker has
    // finished 499 requests (at 0.02, 0.04, …, 9.98 s), so 501 are in flight: growth 501 / 9.99 s = 50.15/s.
    const times = Array.from({ length: 1000 }, (_, k) => String(k / 100)).join('\n');
    write('trace.csv', `time\n${times}\n`);
    const file = write(
      'over.yaml',
      [
        'arrivals: { process: trace, file: trace.csv }',
        'stations:',
        '  - { name: api, serviceTime: { distribution: deterministic, value: 20ms } }',
        'run: { arrivals: 1000, warmup: 0, replicas: 2, seed: 1 }',
        '',
      ].join('\n'),
    );
    const r = await cli(['simulate', file, '--workers', '1']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `headroom: ${file}: UNSTABLE: offered load exceeds capacity at station api: 100 req/s offered vs 50 req/s capacity ` +
        '(offered utilisation 2.002); requests in flight grew by 50.2/s and 2 of 2 replica(s) ended with up to 501 requests in flight; ' +
        'the metrics describe a bounded run, not a steady state\n',
    );
    expect(r.out).toContain('!! UNSTABLE: the offered load exceeds capacity; 2 of 2 replica(s) ended with a growing backlog.');
  });

  it('flags an arrival rate of 1e300/s (exit 1), stopped by the bound or not', async () => {
    const file = write(
      'huge-rate.yaml',
      [
        'arrivals: { process: poisson, rate: 1e300/s }',
        'stations:',
        '  - { name: web, serviceTime: { distribution: exponential, mean: 12ms } }',
        'run: { arrivals: 20000, replicas: 2, seed: 1 }',
        '',
      ].join('\n'),
    );
    for (const extra of [[], ['--arrivals', '200000']]) {
      const r = await cli(['simulate', file, '--workers', '1', ...extra]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^headroom: .*huge-rate\.yaml: UNSTABLE: offered load exceeds capacity at station web: 1\.\d\de\+300 req\/s offered vs [\d.]+ req\/s capacity/);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });

  it('does not flag a stable queue near capacity, nor an overloaded one whose finite queue drops the excess', () => {
    // M/M/1 at ρ = 0.95: the backlog is λW = ρ / (1 − ρ) = 19 on average, a tiny share of 200 000 arrivals.
    const nearFull: SimSpec = { arrivals: [{ kind: 'poisson', rate: 95 }], stations: [station('api', exp(0.01))], run: { stop: { kind: 'arrivals', arrivals: 200_000 } } };
    expect(runReplica(nearFull, 0, 3).unstable).toBeNull();
    // M/M/1/K with K = 10 offered twice its capacity: at most 11 in the system, the rest dropped.
    const lossy: SimSpec = {
      arrivals: [{ kind: 'poisson', rate: 200 }],
      stations: [station('api', exp(0.01), { queueCapacity: 10 })],
      run: { stop: { kind: 'arrivals', arrivals: 50_000 } },
    };
    const r = runReplica(lossy, 0, 3);
    expect(r.stations[0]!.offeredUtilization).toBeGreaterThan(1.8);
    expect(r.unstable).toBeNull();
  });
});

describe('a routing loop without an exit', () => {
  it('is rejected when the file loads, at the line of the first trapped station', async () => {
    const file = write(
      'loop.yaml',
      [
        'arrivals: { process: poisson, rate: 10/s }',
        'stations:',
        '  - { name: a, serviceTime: { distribution: exponential, mean: 1ms } }',
        '  - { name: b, serviceTime: { distribution: exponential, mean: 1ms } }',
        '  - { name: c, serviceTime: { distribution: exponential, mean: 1ms } }',
        'routing:',
        '  entry: [{ station: c, p: 100% }]',
        '  next:',
        '    c: [{ station: a, p: 50% }]',
        '    a: [{ station: b, p: 100% }]',
        '    b: [{ station: a, p: 100% }]',
        'run: { arrivals: 1000 }',
        '',
      ].join('\n'),
    );
    const r = await cli(['simulate', file]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `headroom: ${file}:10 routing.next.a: expected a way out of the loop through a, b (every request there circulates forever: ` +
        `let part of some station's branches leave, i.e. sum below 100%), got "100% to b"\n`,
    );
    expect(r.out).toBe('');
  });

  it('is found in a class\'s own routing too, and an exit anywhere on the loop is enough', () => {
    const base: SimSpec = {
      arrivals: [{ kind: 'poisson', rate: 1 }],
      classes: [{ name: 'w', weight: 1, routing: { kind: 'network', entry: [{ station: 'a', p: 1 }], next: { a: [{ station: 'a', p: 1 }] } } }],
      stations: [station('a', exp(0.001))],
      run: { stop: { kind: 'arrivals', arrivals: 10 } },
    };
    expect(specProblems(base)).toEqual([
      {
        path: ['classes', 0, 'routing', 'next', 'a'],
        expected: "a way out of the loop through a (every request there circulates forever: let part of some station's branches leave, i.e. sum below 100%)",
        got: '100% to a',
      },
    ]);
    const leaky: SimSpec = { ...base, classes: [{ name: 'w', weight: 1, routing: { kind: 'network', entry: [{ station: 'a', p: 1 }], next: { a: [{ station: 'a', p: 0.99 }] } } }] };
    expect(specProblems(leaky)).toEqual([]);
  });
});

describe('the event estimate and the bound', () => {
  it('solves the traffic equations for visits: a loop left with probability 1/4 is visited 4 times', () => {
    // v_a = 1 + 0.75 v_b, v_b = v_a → v_a = v_b = 4: 8 visits in all (geometric number of rounds, mean 1 / 0.25).
    const net = { kind: 'network' as const, entry: [{ station: 'a', p: 1 }], next: { a: [{ station: 'b', p: 1 }], b: [{ station: 'a', p: 0.75 }] } };
    expect(meanVisits(net, ['a', 'b'])).toBeCloseTo(8, 12);
    expect(meanVisits(undefined, ['a', 'b', 'c'])).toBe(3);
    // A profile from 0 to 100/s over 10 s (linear), then 100/s held: 500 + 100 × 10 arrivals in 20 s.
    const ramp = { kind: 'profile' as const, points: [{ t: 0, rate: 0 }, { t: 10, rate: 100 }], interpolation: 'linear' as const };
    expect(expectedArrivals(ramp, 20)).toBeCloseTo(1500, 9);
  });

  it('is within 10% of the events counted on bundled scenarios', async () => {
    for (const [name, arrivals] of [['sim-tandem', 20_000], ['sim-three-tier', 20_000], ['sim-web-shop', 0], ['sim-mmck', 20_000]] as const) {
      const s = await loadSimulationScenario(`scenarios/${name}.yaml`, { cwd: process.cwd() });
      // The web shop's profile climbs from 600/s: its first 2 minutes, by time, check the profile's integral.
      const stop = arrivals > 0 ? ({ kind: 'arrivals', arrivals } as const) : ({ kind: 'time', time: 120 } as const);
      const spec: SimSpec = { ...s.spec, run: { ...s.spec.run, stop, warmup: undefined } };
      const estimated = estimateEvents(spec).eventsPerReplica;
      const measured = runReplica(spec, 0, 7).events;
      expect(measured / estimated, name).toBeGreaterThan(0.9);
      expect(measured / estimated, name).toBeLessThan(1.1);
    }
  });

  it('refuses a run above --max-events in one line, and runs it when the bound is raised', async () => {
    const big = await cli(['simulate', 'scenarios/sim-mm1.yaml', '--max-events', '1e6']);
    expect(big.code).toBe(2);
    expect(big.err).toBe(
      'headroom: scenarios/sim-mm1.yaml: the run needs about 1.6e+7 events (8 replica(s) x 1.00e+6 arrivals x 2.00 events per request), ' +
        'above --max-events 1000000; shorten run.arrivals or run.duration, use fewer replicas, or raise --max-events to run it anyway\n',
    );
    const file = write('forever.yaml', ['arrivals: { process: poisson, rate: 100/s }', 'stations:', '  - { name: web, serviceTime: { distribution: exponential, mean: 1ms } }', 'run: { duration: 100000000h }', ''].join('\n'));
    const forever = await cli(['simulate', file]);
    expect(forever.code).toBe(2);
    expect(forever.err).toMatch(/the run needs about 5\.8e\+14 events \(8 replica\(s\) x 3\.60e\+13 arrivals x 2\.00 events per request\), above --max-events 1000000000;/);
    const small = await cli(['simulate', 'scenarios/sim-mm1.yaml', '--arrivals', '2000', '--replicas', '2', '--workers', '1', '--max-events', '8000']);
    expect(small.err).toBe('');
    expect(small.code).toBe(0);
  });
});
