import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadValidationScenario } from '../../src/config/validation-scenario.js';
import { endpointOptions, type ScenarioSettings } from '../../src/validate/scenario.js';
import { DEFAULT_LIMITS } from '../../src/validate/safety.js';

const MODEL = `
name: m
nodeTypes: [{ name: n, hourlyPrice: 0 }]
services:
  - { name: cpu, nodeType: n, serviceTime: { distribution: deterministic, value: 5ms } }
  - { name: db, nodeType: n, workersPerNode: 4, serviceTime: { distribution: exponential, mean: 2ms } }
`;

const settings = (explicit: ScenarioSettings['explicit'] = {}): ScenarioSettings => ({
  explicit,
  defaults: { warmup: 1, arrivals: 'poisson', sloP99: 0.1, maxErrors: 0.01, tolerance: 0.15 },
  sweepSeconds: 2,
  replicas: 4,
  ceiling: true,
  ceilingSeconds: 2,
  limits: DEFAULT_LIMITS,
  allowRemote: false,
  timeout: 5,
  maxInFlight: 1000,
  seed: 1,
});

describe('validation scenario files: endpoints of a service checked against its model', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'headroom-vscen-'));
    await mkdir(join(dir, 'models'));
    await writeFile(join(dir, 'models', 'm.yaml'), MODEL);
    await writeFile(join(dir, 'body.json'), '{"q":"x"}');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const load = async (yaml: string, baseUrlOverride?: string) => {
    await writeFile(join(dir, 's.yaml'), yaml);
    return loadValidationScenario('s.yaml', { cwd: dir, baseUrlOverride });
  };
  const error = async (yaml: string, baseUrlOverride?: string) => {
    try {
      await load(yaml, baseUrlOverride);
    } catch (e) {
      return { message: (e as Error).message, exitCode: (e as { exitCode?: number }).exitCode };
    }
    throw new Error('expected an error');
  };

  it('resolves paths against baseUrl, bodies and the model relative to the file, and settings endpoint > scenario', async () => {
    const s = await load(`
model: models/m.yaml
baseUrl: http://127.0.0.1:8080/
slo: { p99: 80ms, maxErrors: 2% }
stepSeconds: 3
concurrency: [1, 2]
endpoints:
  - { name: cpu, path: /cpu?ms=5, rates: [50, 100] }
  - name: search
    url: http://localhost:9000/search
    method: POST
    headers: { Content-Type: application/json }
    body: body.json
    service: db
    nodes: 2
    stepSeconds: 6
    slo: { p99: 50ms }
`);
    expect(s.modelPath).toBe('models/m.yaml');
    expect(s.endpoints.map((e) => e.url.toString())).toEqual(['http://127.0.0.1:8080/cpu?ms=5', 'http://localhost:9000/search']);
    expect(s.endpoints[0]).toMatchObject({ service: 'cpu', rates: [50, 100], stepSeconds: 3, sloP99: 0.08, maxErrors: 0.02, concurrency: [1, 2], method: 'GET' });
    expect(s.endpoints[1]).toMatchObject({
      service: 'db',
      nodes: 2,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"q":"x"}',
      stepSeconds: 6,
      sloP99: 0.05,
      maxErrors: 0.02,
    });
    const moved = await load('baseUrl: http://127.0.0.1:8080\nendpoints: [{ name: a, path: /x }]\n', 'http://127.0.0.1:9090');
    expect(moved.endpoints[0]!.url.toString()).toBe('http://127.0.0.1:9090/x');
    expect(moved.endpoints[0]!.service).toBeUndefined();
  });

  it('a flag typed on the command line beats the endpoint, which beats the scenario, which beats the default', async () => {
    const s = await load(`
model: models/m.yaml
baseUrl: http://127.0.0.1:8080
warmup: 2s
slo: { p99: 80ms }
endpoints:
  - { name: cpu, path: /cpu, stepSeconds: 6, slo: { p99: 50ms } }
`);
    const e = s.endpoints[0]!;
    const plain = endpointOptions(s, e, settings());
    expect(plain).toMatchObject({ stepSeconds: 6, warmup: 2, arrivals: 'poisson', criteria: { sloP99: 0.05, maxErrors: 0.01 }, tolerance: 0.15 });
    expect(plain.model).toMatchObject({ path: 'models/m.yaml', service: 'cpu', nodes: 1, replicas: 4 });
    const typed = endpointOptions(s, e, settings({ stepSeconds: 2, warmup: 0.5, sloP99: 0.2, arrivals: 'uniform' }));
    expect(typed).toMatchObject({ stepSeconds: 2, warmup: 0.5, arrivals: 'uniform', criteria: { sloP99: 0.2 } });
  });

  it('names the file, line and field of every mistake, with exit code 2', async () => {
    expect(await error('endpoints: []\n')).toEqual({ message: 's.yaml:1 endpoints: expected at least one endpoint, got a list', exitCode: 2 });
    expect((await error('baseUrl: http://h\nendpoints:\n  - { name: a, path: /x, rate: [5] }\n')).message).toBe('s.yaml:3 endpoints[0].rate: unknown field');
    expect((await error('endpoints:\n  - { name: a }\n')).message).toBe(
      's.yaml:2 endpoints[0]: expected a url (absolute) or a path (joined to baseUrl), got nothing',
    );
    expect((await error('endpoints:\n  - { name: a, url: "http://h/x", path: /y }\n')).message).toBe(
      's.yaml:2 endpoints[0].path: expected no path when the endpoint gives a url (one or the other), got "/y"',
    );
    expect((await error('endpoints:\n  - { name: a, path: /x }\n')).message).toBe(
      's.yaml:2 endpoints[0].path: expected a baseUrl at the top of the scenario (or --base-url) to join the path to, got "/x"',
    );
    expect((await error('endpoints:\n  - { name: a, url: "ftp://h/x" }\n')).message).toBe(
      's.yaml:2 endpoints[0].url: expected an http(s) URL such as http://127.0.0.1:8080/api, got "ftp://h/x"',
    );
    expect((await error('model: models/nope.yaml\nendpoints:\n  - { name: a, url: "http://h/x" }\n')).message).toBe(
      's.yaml:1 model: expected an existing resource model file (relative to the scenario), got "models/nope.yaml"',
    );
    expect((await error('model: models/m.yaml\nendpoints:\n  - { name: api, url: "http://h/x" }\n')).message).toBe(
      's.yaml:3 endpoints[0].name: expected a service of models/m.yaml (cpu, db), or a service field naming one, got "api"',
    );
    expect((await error('model: models/m.yaml\nendpoints:\n  - { name: a, url: "http://h/x", service: "cpu,web" }\n')).message).toBe(
      's.yaml:3 endpoints[0].service: expected a service of models/m.yaml (cpu, db), got "web"',
    );
    expect((await error('endpoints:\n  - { name: a, url: "http://h/x", service: cpu }\n')).message).toBe(
      's.yaml:2 endpoints[0].service: expected a model at the top of the scenario to take the service from, got "cpu"',
    );
    expect((await error('endpoints:\n  - { name: a, url: "http://h/x" }\n  - { name: a, url: "http://h/y" }\n')).message).toBe(
      's.yaml:3 endpoints[1].name: expected a name not used by another endpoint, got "a"',
    );
    expect((await error('endpoints:\n  - { name: a, url: "http://h/x", body: missing.json }\n')).message).toBe(
      's.yaml:2 endpoints[0].body: expected an existing file (relative to the scenario), got "missing.json"',
    );
    expect((await error('endpoints:\n  - { name: a, url: "http://h/x", rates: [10, -5] }\n')).message).toBe(
      's.yaml:2 endpoints[0].rates[1]: expected a positive rate in requests/s, got -5',
    );
    expect(await error('baseUrl: http://h\nendpoints: [{ name: a, path: /x }]\n', 'nope')).toEqual({
      message: '--base-url: expected an http(s) URL such as http://127.0.0.1:8080, got "nope"',
      exitCode: 2,
    });
  });

  it('a scenario that does not exist is one line naming it', async () => {
    await expect(loadValidationScenario('missing.yaml', { cwd: dir })).rejects.toThrow('missing.yaml: file not found');
  });
});
