import { accessSync, constants, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';
import { z } from 'zod';
import type { Drill, FaultAction, FaultEffect } from '../model/drill.js';
import type { ResourceModel, ServiceModel } from '../model/resource-model.js';
import { HeadroomError } from '../errors.js';
import { displayPath } from '../paths.js';
import { fraction, positiveDuration, positiveInt, rate, duration, httpUrl } from './common.js';
import { parseYamlText } from './load.js';
import { clientSchema } from './model.js';
import { readScenarioFile } from './scenario-file.js';
import { loadValidationScenario } from './validation-scenario.js';

/**
 * A failure drill file (`headroom drill drills/x.yaml`): steady open-model load on one endpoint, a fault injected at a
 * set time and rolled back after a set time, and the hypothesis the run is held to. Every problem is reported at
 * once as `file:line field: expected …, got …` (CONFIG_INVALID, exit 2), before anything is sent.
 *
 *   model: ../models/serve-demo-drill.yaml
 *   service: hold                         # or "a,b": a path through several services
 *   nodes: 1
 *   target: { url: http://127.0.0.1:8080/lock?ms=20&serial=0 }   # or { scenario: validate.yaml, endpoint: cpu }
 *   load: { rate: 120/s, client: { timeout: 2s } }
 *   duration: 30s
 *   baseline: 10s
 *   fault:
 *     at: 10s
 *     for: 8s
 *     actions:
 *       - { kind: demo, workersDown: 2 }
 *       - { kind: command, run: [docker, stop, web], rollback: [docker, start, web], timeout: 30s, effect: { nodesDown: 1 } }
 *   hypothesis: { slo: { p99: 3s, maxErrors: 1% }, tolerance: { p99: 35%, errors: 2%, recovery: 3s } }
 *   abort: { errors: 50%, p99: 10s, for: 3s }
 */

const effectFields = {
  workersDown: z.number({ error: 'a non-negative integer' }).int({ error: 'a non-negative integer' }).nonnegative({ error: 'a non-negative integer' }).optional(),
  slowdown: z.number({ error: 'a factor > 0 such as 3' }).positive({ error: 'a factor > 0 such as 3' }).max(1000, { error: 'a factor of at most 1000' }).optional(),
  errorShare: fraction.optional(),
  pause: z.boolean({ error: 'true or false' }).optional(),
};

const effectSchema = z.strictObject({
  ...effectFields,
  nodesDown: z.number({ error: 'a non-negative integer' }).int({ error: 'a non-negative integer' }).nonnegative({ error: 'a non-negative integer' }).optional(),
});

const argv = z.array(z.string({ error: 'a command word' }).min(1, { error: 'a non-empty word' }), { error: 'a command as a list of words, such as [docker, stop, web]' }).min(1, { error: 'a command as a list of words, such as [docker, stop, web]' });

const demoActionSchema = z.strictObject({
  kind: z.literal('demo'),
  /** Base URL of serve-demo's fault control; default: the target's origin. */
  url: z.string({ error: 'an http URL of serve-demo on this machine' }).optional(),
  ttl: positiveDuration.optional(),
  ...effectFields,
});

const commandActionSchema = z.strictObject({
  kind: z.literal('command'),
  run: argv,
  rollback: argv,
  timeout: positiveDuration.default(30),
  effect: effectSchema.optional(),
});

const actionSchema = z.discriminatedUnion('kind', [demoActionSchema, commandActionSchema], {
  error: 'a fault kind: one of demo (serve-demo fault control), command (a command and its rollback)',
});

const drillSchema = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  target: z.strictObject({
    url: z.string({ error: 'an http(s) URL such as http://127.0.0.1:8080/api' }).optional(),
    scenario: z.string({ error: 'a validation scenario file (relative to the drill)' }).min(1).optional(),
    endpoint: z.string({ error: 'an endpoint name of the scenario' }).min(1).optional(),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'], { error: 'an HTTP method: GET, POST, PUT, PATCH, DELETE or HEAD' }).optional(),
    headers: z.record(z.string(), z.string({ error: 'a header value' })).optional(),
    body: z.string({ error: 'a file path' }).min(1).optional(),
  }),
  model: z.string({ error: 'a resource model file (relative to the drill)' }).min(1).optional(),
  service: z.string({ error: 'a service of the model (or a,b for a path)' }).min(1).optional(),
  nodes: positiveInt.optional(),
  workersPerNode: positiveInt.optional(),
  load: z.strictObject({
    rate,
    arrivals: z.enum(['poisson', 'uniform'], { error: 'poisson or uniform' }).default('poisson'),
    seed: z.number({ error: 'a non-negative integer' }).int({ error: 'a non-negative integer' }).nonnegative({ error: 'a non-negative integer' }).default(1),
    client: clientSchema.optional(),
  }),
  duration: positiveDuration,
  baseline: positiveDuration,
  fault: z.strictObject({
    at: duration,
    for: positiveDuration,
    actions: z.array(actionSchema, { error: 'a list of fault actions' }).min(1, { error: 'at least one fault action' }),
  }),
  hypothesis: z
    .strictObject({
      slo: z.strictObject({ p99: positiveDuration, maxErrors: fraction.default(0.01) }),
      tolerance: z
        .strictObject({ p99: fraction.default(0.35), errors: fraction.default(0.02), recovery: duration.default(3) })
        .default({ p99: 0.35, errors: 0.02, recovery: 3 }),
      recoveryMargin: fraction.default(0.5),
    }),
  abort: z.strictObject({ errors: fraction.default(0.5), p99: positiveDuration.default(10), for: positiveDuration.default(3) }).default({ errors: 0.5, p99: 10, for: 3 }),
  replicas: positiveInt.default(8),
});

type RawDrill = z.output<typeof drillSchema>;


/**
 * Whether `word` names a program that can be run: a path (relative to `dir`) to an executable file, or a name found
 * executable on PATH. A drill with a command that does not exist is bad input, found before any load.
 */
export function commandExists(word: string, dir: string, pathEnv: string | undefined): boolean {
  const executable = (p: string): boolean => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (word.includes('/')) return executable(resolve(dir, word));
  return (pathEnv ?? '').split(delimiter).some((d) => d !== '' && executable(join(d, word)));
}

function effectOf(e: z.output<typeof effectSchema> | undefined): FaultEffect {
  return { workersDown: e?.workersDown ?? 0, nodesDown: e?.nodesDown ?? 0, slowdown: e?.slowdown ?? 1, errorShare: e?.errorShare ?? 0, pause: e?.pause ?? false };
}

const neutral = (e: FaultEffect): boolean => e.workersDown === 0 && e.nodesDown === 0 && e.slowdown === 1 && e.errorShare === 0 && !e.pause;

/**
 * Load a drill file, the model it names (or the model of the validation scenario its target comes from), and check
 * every cross-field rule: the fault window lies inside the drill and after the baseline, the services exist, workers
 * and nodes taken down exist, commands exist, and a demo action's control URL is on this machine.
 */
export async function loadDrill(
  path: string,
  options: { cwd?: string; env?: Readonly<Record<string, string | undefined>>; baseUrlOverride?: string | undefined } = {},
): Promise<Drill> {
  const cwd = options.cwd ?? process.cwd();
  const pathEnv = (options.env ?? process.env).PATH;
  const { text, file, dir, model: ownModel, modelFile: ownModelFile } = await readScenarioFile(path, cwd);
  // A target taken from a validation scenario brings its URL, request, model, service and nodes.
  let fromScenario: { model: ResourceModel | undefined; modelFile: string | undefined; endpoint: Awaited<ReturnType<typeof loadValidationScenario>>['endpoints'][number] | undefined; names: string[] } | undefined;
  const rawTarget = (() => {
    try {
      return (parseYamlText(text, file, z.unknown()) as { target?: { scenario?: unknown; endpoint?: unknown } } | null)?.target;
    } catch {
      return undefined;
    }
  })();
  if (typeof rawTarget?.scenario === 'string' && existsSync(resolve(dir, rawTarget.scenario))) {
    const sc = await loadValidationScenario(resolve(dir, rawTarget.scenario), { cwd });
    fromScenario = {
      model: sc.model,
      modelFile: sc.modelPath,
      endpoint: sc.endpoints.find((e) => e.name === rawTarget.endpoint),
      names: sc.endpoints.map((e) => e.name),
    };
  }
  const model = ownModel ?? fromScenario?.model;
  const modelFile = ownModelFile ?? fromScenario?.modelFile;

  const schema = drillSchema.superRefine((d, ctx) => {
    const issue = (path: (string | number)[], message: string, input: unknown): void => void ctx.addIssue({ code: 'custom', path, message, input });
    const t = d.target;
    if (t.url === undefined && t.scenario === undefined) issue(['target'], 'a url, or a scenario and an endpoint of it', undefined);
    if (t.url !== undefined && t.scenario !== undefined) issue(['target', 'scenario'], 'no scenario when the target gives a url (one or the other)', t.scenario);
    if (t.url !== undefined && !httpUrl(t.url)) issue(['target', 'url'], 'an http(s) URL such as http://127.0.0.1:8080/api', t.url);
    if (t.scenario !== undefined) {
      if (!fromScenario) issue(['target', 'scenario'], 'an existing validation scenario file (relative to the drill)', t.scenario);
      else if (!fromScenario.endpoint) issue(['target', 'endpoint'], `an endpoint of ${t.scenario} (${fromScenario.names.join(', ')})`, t.endpoint);
    }
    if (t.body !== undefined && !existsSync(resolve(dir, t.body))) issue(['target', 'body'], 'an existing file (relative to the drill)', t.body);
    if (d.model !== undefined && !ownModel) issue(['model'], 'an existing resource model file (relative to the drill)', d.model);
    if (!model && d.model === undefined) issue(['model'], 'a resource model file (relative to the drill), or a target scenario that names one', undefined);
    const serviceNames = (d.service ?? fromScenario?.endpoint?.service)?.split(',').map((s) => s.trim());
    if (model) {
      if (serviceNames === undefined) issue(['service'], `a service of ${modelFile ?? 'the model'} (${model.services.map((s) => s.name).join(', ')})`, undefined);
      for (const n of serviceNames ?? []) {
        if (!model.services.some((s) => s.name === n)) issue(['service'], `a service of ${modelFile ?? 'the model'} (${model.services.map((s) => s.name).join(', ')})`, n);
      }
    }
    // The timeline: [0, baseline) steady, [at, at + for) fault, [at + for, duration) recovery.
    const end = d.fault.at + d.fault.for;
    if (d.baseline > d.fault.at) issue(['baseline'], `a baseline that ends by the fault's start (fault.at ${d.fault.at} s)`, d.baseline);
    if (d.baseline < 3) issue(['baseline'], 'a baseline of at least 3 s (the steady state needs a few seconds)', d.baseline);
    if (end >= d.duration) issue(['fault', 'for'], `a fault window [${d.fault.at} s, ${end} s) that ends before the drill does (duration ${d.duration} s), with time to recover`, d.fault.for);
    const nodes = d.nodes ?? fromScenario?.endpoint?.nodes ?? 1;
    const first = model?.services.find((s) => s.name === serviceNames?.[0]);
    const workers = d.workersPerNode ?? first?.workersPerNode;
    d.fault.actions.forEach((a, i) => {
      const at = (...p: (string | number)[]) => ['fault', 'actions', i, ...p];
      const e = a.kind === 'demo' ? a : a.effect;
      if (a.kind === 'demo') {
        if (neutral(effectOf(a))) issue(at(), 'a demo fault that does something: workersDown, slowdown, errorShare or pause', undefined);
        if (a.url !== undefined && !httpUrl(a.url)) issue(at('url'), 'an http URL of serve-demo on this machine', a.url);
      } else {
        if (!commandExists(a.run[0]!, dir, pathEnv)) issue(at('run'), 'a command that exists (on PATH, or a path relative to the drill)', a.run[0]);
        if (!commandExists(a.rollback[0]!, dir, pathEnv)) issue(at('rollback'), 'a command that exists (on PATH, or a path relative to the drill)', a.rollback[0]);
      }
      if (e?.workersDown !== undefined && workers !== undefined && e.workersDown > workers) issue(a.kind === 'demo' ? at('workersDown') : at('effect', 'workersDown'), `at most the ${workers} workers of a node`, e.workersDown);
      const nd = a.kind === 'command' ? a.effect?.nodesDown : undefined;
      if (nd !== undefined && nd > nodes) issue(at('effect', 'nodesDown'), `at most the ${nodes} nodes of the drill`, nd);
    });
  });
  const raw: RawDrill = parseYamlText(text, file, schema);
  const override = options.baseUrlOverride;
  if (override !== undefined && !httpUrl(override)) throw new HeadroomError('INPUT_INVALID', `--base-url: expected an http(s) URL such as http://127.0.0.1:8080, got "${override}"`);
  return resolveDrill(raw, { file, dir, model: model!, modelFile: modelFile!, fromScenario: fromScenario?.endpoint, cwd, baseUrl: override });
}

async function resolveDrill(
  d: RawDrill,
  ctx: {
    file: string;
    dir: string;
    model: ResourceModel;
    modelFile: string;
    fromScenario: { url: URL; method: string; headers: Readonly<Record<string, string>>; body: string | undefined; service: string | undefined; nodes: number } | undefined;
    cwd: string;
    baseUrl: string | undefined;
  },
): Promise<Drill> {
  const ep = ctx.fromScenario;
  const given = d.target.url !== undefined ? new URL(d.target.url) : ep!.url;
  // --base-url moves the target (and serve-demo's fault control, which defaults to the target's origin) elsewhere.
  const url = ctx.baseUrl !== undefined ? new URL(given.pathname + given.search, ctx.baseUrl) : given;
  const names = (d.service ?? ep!.service!).split(',').map((s) => s.trim());
  const services: ServiceModel[] = names.map((n) => ctx.model.services.find((s) => s.name === n)!);
  const body = d.target.body !== undefined ? await readFile(resolve(ctx.dir, d.target.body), 'utf8') : ep?.body;
  const headers = d.target.headers !== undefined ? Object.fromEntries(Object.entries(d.target.headers).map(([k, v]) => [k.toLowerCase(), v])) : (ep?.headers ?? {});
  const actions: FaultAction[] = d.fault.actions.map((a) =>
    a.kind === 'demo'
      ? { kind: 'demo', controlUrl: new URL('/_fault', a.url ?? url.origin), effect: effectOf(a), ttl: a.ttl ?? d.fault.for + 60 }
      : { kind: 'command', run: a.run, rollback: a.rollback, timeout: a.timeout, effect: a.effect === undefined ? undefined : effectOf(a.effect) },
  );
  const client = d.load.client ?? services[0]!.client;
  return {
    file: ctx.file,
    dir: ctx.dir,
    name: d.name,
    description: d.description,
    target: { url, method: d.target.method ?? ep?.method ?? 'GET', headers, body },
    model: ctx.model,
    modelPath: displayPath(ctx.modelFile, ctx.cwd),
    services,
    nodes: d.nodes ?? ep?.nodes ?? 1,
    workersPerNode: d.workersPerNode ?? services[0]!.workersPerNode,
    ratePerSec: d.load.rate,
    arrivals: d.load.arrivals,
    seed: d.load.seed,
    client: { timeout: client.timeout, retries: client.retries },
    duration: d.duration,
    baseline: d.baseline,
    fault: { at: d.fault.at, for: d.fault.for, actions },
    hypothesis: {
      sloP99: d.hypothesis.slo.p99,
      maxErrors: d.hypothesis.slo.maxErrors,
      p99Tolerance: d.hypothesis.tolerance.p99,
      errorTolerance: d.hypothesis.tolerance.errors,
      recoveryTolerance: d.hypothesis.tolerance.recovery,
      recoveryMargin: d.hypothesis.recoveryMargin,
    },
    abort: d.abort,
    replicas: d.replicas,
  };
}
