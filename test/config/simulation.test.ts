import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HeadroomError, loadSimulationScenario } from '../../src/internal.js';

const dir = mkdtempSync(join(tmpdir(), 'headroom-simcfg-'));
cpSync(new URL('../fixtures/sim/models/web.yaml', import.meta.url), join(dir, 'web.yaml'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Write `text` as a scenario file in the temporary directory and load it; file names are s1.yaml, s2.yaml, ... */
async function load(text: string, extra: Record<string, string> = {}) {
  const name = `s${++n}.yaml`;
  writeFileSync(join(dir, name), text);
  for (const [f, t] of Object.entries(extra)) writeFileSync(join(dir, f), t);
  return { name, scenario: await loadSimulationScenario(name, { cwd: dir }) };
}

async function errorOf(text: string, extra: Record<string, string> = {}): Promise<{ name: string; message: string; code: string }> {
  const name = `s${n + 1}.yaml`;
  try {
    await load(text, extra);
  } catch (e) {
    if (e instanceof HeadroomError) {
      expect(e.exitCode).toBe(2);
      return { name, message: e.message, code: e.code };
    }
    throw e;
  }
  throw new Error('expected an error');
}

const mmc = `# M/M/4
arrivals: { process: poisson, rate: 360/s }
stations:
  - { name: api, workers: 4, serviceTime: { distribution: exponential, mean: 10ms } }
run: { arrivals: 1000000, warmup: 50000, replicas: 8, seed: 1 }
`;

describe('simulation scenario: compiling', () => {
  it('compiles a four-line M/M/c scenario into a SimSpec with seconds and rates per second', async () => {
    const { scenario } = await load(mmc);
    expect(scenario.replicas).toBe(8);
    expect(scenario.seed).toBe(1);
    expect(scenario.slo).toBeUndefined();
    expect(scenario.spec).toEqual({
      arrivals: [{ kind: 'poisson', rate: 360, mix: undefined }],
      classes: undefined,
      stations: [
        {
          name: 'api',
          nodes: 1,
          workersPerNode: 4,
          serviceTime: { kind: 'exponential', mean: 0.01 },
          usl: undefined,
          queue: 'per-node',
          queueCapacity: undefined,
          balancer: 'round-robin',
          shedding: undefined,
          zones: undefined,
          autoscaling: undefined,
        },
      ],
      routing: undefined,
      client: undefined,
      failures: undefined,
      run: { stop: { kind: 'arrivals', arrivals: 1_000_000 }, warmup: { kind: 'arrivals', arrivals: 50_000 }, sloTarget: undefined, maxInFlight: 100_000 },
    });
    expect(Object.isFrozen(scenario.spec.stations)).toBe(false); // compiled fresh, the parsed file itself is frozen
  });

  it('reads a warm-up with a unit as time, defaults replicas and seed, and takes the SLO latency as the target', async () => {
    const { scenario } = await load(`arrivals: { process: poisson, rate: 50/min }
stations: [{ name: a, serviceTime: { distribution: deterministic, value: 1s } }]
slo: { latency: 250ms, target: 99.5% }
run: { duration: 2h, warmup: 5min }
`);
    expect(scenario.spec.run).toEqual({ stop: { kind: 'time', time: 7200 }, warmup: { kind: 'time', time: 300 }, sloTarget: 0.25, maxInFlight: 100_000 });
    expect(scenario.spec.arrivals[0]).toMatchObject({ kind: 'poisson', rate: 50 / 60 });
    expect(scenario.replicas).toBe(8);
    expect(scenario.seed).toBe(1);
    expect(scenario.slo).toEqual({ latency: 0.25, target: 0.995 });
  });

  it('builds stations from model services: workers, cost, queue, balancer, zones, classes and client come from the model', async () => {
    const { scenario } = await load(`model: web.yaml
arrivals: { process: poisson, rate: 500/s }
stations:
  - { service: api, nodes: 6 }
  - { service: db, nodes: 3, workers: 12 }
failures:
  - { kind: zone-down, zone: b, at: 1min, duration: 30s }
run: { duration: 10min, warmup: 1min }
`);
    const [api, db] = scenario.spec.stations;
    expect(api).toMatchObject({ name: 'api', nodes: 6, workersPerNode: 8, queueCapacity: 100, balancer: 'least-outstanding', zones: ['a', 'b', 'c'] });
    expect(api!.serviceTime).toEqual({ kind: 'lognormal', mean: 0.012, cv: 1.2 });
    expect(db).toMatchObject({ name: 'db', nodes: 3, workersPerNode: 12, queue: 'shared', serviceTime: undefined });
    expect(scenario.spec.classes).toEqual([
      { name: 'read', weight: 0.75, serviceTime: { db: { kind: 'exponential', mean: 0.002 } } },
      { name: 'write', weight: 0.25, serviceTime: { db: { kind: 'deterministic', value: 0.01 } } },
    ]);
    expect(scenario.spec.client).toEqual({ timeout: 2, retries: { max: 2, backoff: 0.1, maxBackoff: 10, jitter: 'full' } });
    expect(scenario.spec.failures).toEqual([{ kind: 'zone-down', zone: 'b', at: 60, duration: 30 }]);
  });

  it('compiles a network, classes, failures, autoscaling and several arrival sources', async () => {
    const { scenario } = await load(`arrivals:
  - { process: profile, points: [{ at: 0s, rate: 100/s }, { at: 6h, rate: 300/s }], interpolation: linear, period: 24h }
  - { process: mmpp, states: [{ rate: 0/s, meanDuration: 60s }, { rate: 500/s, meanDuration: 5s }], mix: { write: 1 } }
  - { process: spikes, rate: 1000/s, windows: [{ start: 10min, duration: 2min }] }
classes:
  - { name: read, weight: 4 }
  - { name: write, weight: 1, serviceTime: { db: { distribution: erlang, mean: 20ms, k: 4 } } }
stations:
  - name: api
    nodes: 4
    workers: 8
    serviceTime: { distribution: gamma, mean: 15ms, cv: 0.5 }
    autoscaling: { targetUtilization: 60%, maxNodes: 12 }
    shedding: { queueAbove: 200 }
  - { name: db, workers: 16, queue: shared, serviceTime: { distribution: exponential, mean: 3ms } }
routing:
  entry: [{ station: api, p: 100% }]
  next: { api: [{ station: db, p: 30% }] }
failures:
  - { kind: node-down, station: api, node: 3, at: 1h, duration: 10min }
  - { kind: random, station: db, mtbf: 2h, mttr: 5min }
  - { kind: degraded, station: api, node: 0, at: 0s, duration: 1h, slowdown: 3 }
run: { duration: 1d, warmup: 10min, seed: 42, replicas: 2 }
`);
    const s = scenario.spec;
    expect(s.arrivals).toEqual([
      { kind: 'profile', points: [{ t: 0, rate: 100 }, { t: 21600, rate: 300 }], interpolation: 'linear', period: 86400, mix: undefined },
      { kind: 'mmpp', rates: [0, 500], meanDurations: [60, 5], mix: { write: 1 } },
      { kind: 'spikes', rate: 1000, windows: [{ start: 600, duration: 120 }], mix: undefined },
    ]);
    expect(s.routing).toEqual({ kind: 'network', entry: [{ station: 'api', p: 1 }], next: { api: [{ station: 'db', p: 0.3 }] } });
    expect(s.stations[0]!.autoscaling).toEqual({ targetUtilization: 0.6, interval: 30, scaleUpDelay: 60, cooldown: 300, minNodes: 1, maxNodes: 12 });
    expect(s.stations[0]!.shedding).toEqual({ queueAbove: 200, maxQueueTime: undefined });
    expect(s.classes).toEqual([
      { name: 'read', weight: 4, serviceTime: {} },
      { name: 'write', weight: 1, serviceTime: { db: { kind: 'erlang', mean: 0.02, k: 4 } } },
    ]);
    expect(s.failures).toHaveLength(3);
    expect(scenario.seed).toBe(42);
  });

  it('reads a trace file of arrival times (seconds or ISO 8601) with classes', async () => {
    const { scenario } = await load(
      `arrivals: { process: trace, file: t.csv, scale: 0.5 }
classes: [{ name: read, weight: 1 }, { name: write, weight: 1 }]
stations: [{ name: a, serviceTime: { distribution: exponential, mean: 1ms } }]
run: { duration: 10s }
`,
      { 't.csv': 'time,class\n2026-01-01T00:00:00Z,read\n2026-01-01T00:00:00.250Z,write\n2026-01-01T00:00:01Z,read\n' },
    );
    expect(scenario.spec.arrivals).toEqual([{ kind: 'trace', times: [0, 0.25, 1], classes: ['read', 'write', 'read'], scale: 0.5, loop: undefined, mix: undefined }]);
  });
});

describe('simulation scenario: one line per problem, naming file, line and field', () => {
  it('an unknown field', async () => {
    const e = await errorOf(mmc.replace('workers: 4,', 'workers: 4, threads: 4,'));
    expect(e.message).toBe(`${e.name}:4 stations[0].threads: unknown field`);
    expect(e.code).toBe('CONFIG_INVALID');
  });

  it('a negative rate', async () => {
    const e = await errorOf(mmc.replace('rate: 360/s', 'rate: -5/s'));
    expect(e.message).toBe(`${e.name}:2 arrivals.rate: expected a positive rate such as 360/s or 50/min, got "-5/s"`);
  });

  it('a missing service time', async () => {
    const e = await errorOf(mmc.replace(', serviceTime: { distribution: exponential, mean: 10ms }', ''));
    expect(e.message).toBe(
      `${e.name}:4 stations[0].serviceTime: expected a service time such as { distribution: exponential, mean: 10ms } (or usl, or service: from the model), got nothing`,
    );
  });

  it('an unknown station in routing', async () => {
    const e = await errorOf(`arrivals: { process: poisson, rate: 5/s }
stations:
  - { name: web, serviceTime: { distribution: exponential, mean: 10ms } }
  - { name: db, serviceTime: { distribution: exponential, mean: 10ms } }
routing:
  path: [web, dbb]
run: { arrivals: 1000 }
`);
    expect(e.message).toBe(`${e.name}:6 routing.path[1]: expected a station (web, db), got "dbb"`);
  });

  it('a model service that does not exist, and a model file that does not exist', async () => {
    const e = await errorOf(`model: web.yaml
arrivals: { process: poisson, rate: 5/s }
stations:
  - { service: api, nodes: 2 }
  - { service: cache, nodes: 1 }
run: { arrivals: 1000 }
`);
    expect(e.message).toBe(`${e.name}:5 stations[1].service: expected a service of web.yaml (api, db), got "cache"`);
    const f = await errorOf(`model: ../models/nope.yaml
arrivals: { process: poisson, rate: 5/s }
stations: [{ service: api }]
run: { arrivals: 1000 }
`);
    expect(f.message).toBe(`${f.name}:1 model: expected a resource model file that exists (relative to the scenario file), got "../models/nope.yaml"`);
  });

  it('a client timeout of zero', async () => {
    const e = await errorOf(mmc.replace('run:', 'client: { timeout: 0s }\nrun:'));
    expect(e.message).toBe(`${e.name}:5 client.timeout: expected a positive duration such as 2s (leave timeout out for none), got 0`);
  });

  it('a service without a model', async () => {
    const e = await errorOf(`arrivals: { process: poisson, rate: 5/s }
stations: [{ service: api, nodes: 2 }]
run: { arrivals: 1000 }
`);
    expect(e.message).toBe(`${e.name}:2 stations[0].service: expected a station without service (no model: file is named), got "api"`);
  });

  it('several problems at once, each on its own line', async () => {
    const e = await errorOf(`arrivals: { process: poison, rate: 5/s }
stations:
  - { name: api, workers: 0, serviceTime: { distribution: exponential, mean: 10ms }, queueCapacity: -1 }
failures:
  - { kind: node-down, station: api, node: 2, at: 1min, duration: 1min }
run: { arrivals: 1000, warmup: 1000 }
`);
    expect(e.message.split('\n')).toEqual([
      `${e.name}:1 arrivals.process: expected an arrival process: one of poisson, profile, trace, mmpp, spikes, got "poison"`,
      `${e.name}:3 stations[0].workers: expected a positive integer, got 0`,
      `${e.name}:3 stations[0].queueCapacity: expected a non-negative integer, got -1`,
    ]);
    // Cross-field checks run once the fields themselves are right.
    const f = await errorOf(`arrivals: { process: poisson, rate: 5/s }
stations:
  - { name: api, nodes: 2, serviceTime: { distribution: exponential, mean: 10ms } }
failures:
  - { kind: node-down, station: api, node: 2, at: 1min, duration: 1min }
  - { kind: zone-down, zone: a, at: 1min, duration: 1min }
run: { arrivals: 1000, warmup: 1000 }
`);
    expect(f.message.split('\n')).toEqual([
      `${f.name}:5 failures[0].node: expected a node index below 2 (nodes of api, counted from 0), got 2`,
      `${f.name}:6 failures[1].zone: expected a zone, but no station has zones, got "a"`,
      `${f.name}:7 run.warmup: expected fewer warm-up arrivals than run.arrivals (1000), got 1000`,
    ]);
  });

  it('a run with neither arrivals nor duration, and a bad warm-up', async () => {
    const e = await errorOf(mmc.replace('run: { arrivals: 1000000, warmup: 50000, replicas: 8, seed: 1 }', 'run: { warmup: soon }'));
    expect(e.message.split('\n')).toEqual([
      `${e.name}:5 run.warmup: expected a number of arrivals (50000) or a duration with a unit (5min), got "soon"`,
    ]);
    const f = await errorOf(mmc.replace('run: { arrivals: 1000000, warmup: 50000, replicas: 8, seed: 1 }', 'run: { replicas: 2 }'));
    expect(f.message).toBe(`${f.name}:5 run.arrivals: expected exactly one of arrivals (a count) or duration (a time), got nothing`);
  });

  it('routing probabilities that do not add up', async () => {
    const e = await errorOf(`arrivals: { process: poisson, rate: 5/s }
stations:
  - { name: web, serviceTime: { distribution: exponential, mean: 10ms } }
  - { name: db, serviceTime: { distribution: exponential, mean: 10ms } }
routing:
  entry: [{ station: web, p: 90% }]
  next: { web: [{ station: db, p: 70% }, { station: web, p: 40% }] }
run: { arrivals: 1000 }
`);
    expect(e.message.split('\n')).toEqual([
      `${e.name}:6 routing.entry: expected entry probabilities that sum to 100%, got "90%"`,
      `${e.name}:7 routing.next.web: expected probabilities that sum to at most 100% (the rest leaves), got "110%"`,
    ]);
  });

  it("the spec's rules (src/sim/spec-problems.ts) are reported at the field the user wrote, all at once", async () => {
    const e = await errorOf(`arrivals:
  - { process: profile, points: [{ at: 5s, rate: 0/s }], period: 1s }
  - { process: mmpp, states: [{ rate: 0/s, meanDuration: 1s }, { rate: 0/s, meanDuration: 1s }] }
stations:
  - { name: api, workers: 2, serviceTime: { distribution: exponential, mean: 10ms } }
  - { name: api, serviceTime: { distribution: exponential, mean: 10ms } }
run: { duration: 10s, warmup: 10s }
`);
    expect(e.message.split('\n')).toEqual([
      `${e.name}:6 stations[1].name: expected a station name not used before, got "api"`,
      `${e.name}:2 arrivals[0].points[0].at: expected the first point at 0s, got 5`,
      `${e.name}:2 arrivals[0].points: expected at least one point with a rate above 0, got nothing`,
      `${e.name}:2 arrivals[0].period: expected a period longer than the last point, got 1`,
      `${e.name}:3 arrivals[1].states: expected at least one state with a rate above 0, got nothing`,
      `${e.name}:7 run.warmup: expected a warm-up shorter than run.duration (10 s), got "10 s"`,
    ]);
    expect(e.code).toBe('CONFIG_INVALID');
  });

  it('a bad trace file names the CSV file and line', async () => {
    const text = `arrivals: { process: trace, file: bad.csv }
stations: [{ name: a, serviceTime: { distribution: exponential, mean: 1ms } }]
run: { duration: 10s }
`;
    await expect(load(text, { 'bad.csv': 'time\n0.5\n0.25\n' })).rejects.toThrow('bad.csv:3 time: expected times in ascending order, got "0.25" after an earlier time');
    await expect(load(text, { 'bad.csv': 'time\n0.5\nlater\n' })).rejects.toThrow(
      'bad.csv:3 time: expected seconds from the start or an ISO 8601 time (as on the first row), got "later"',
    );
  });

  it('a scenario file that does not exist', async () => {
    await expect(loadSimulationScenario('missing.yaml', { cwd: dir })).rejects.toThrow('missing.yaml: file not found');
  });
});
