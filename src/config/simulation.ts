import { SIMULATION_DEFAULTS, type SimulationScenario } from '../sim/scenario.js';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { HeadroomError } from '../errors.js';
import { stationFromService, classesFromServices } from '../sim/from-model.js';
import { specProblems } from '../sim/spec-problems.js';
import type {
  ArrivalSpec,
  AutoscalingSpec,
  FailureSpec,
  RequestClassSpec,
  RoutingSpec,
  SimSpec,
  StationSpec,
} from '../sim/types.js';
import { duration, fraction, identifier, nonNegativeInt, positiveDuration, positiveInt, positiveNumber } from './common.js';
import { distributionSchema } from './distribution.js';
import { describeValue, type ConfigIssue } from './issues.js';
import { displayPath } from '../paths.js';
import { formatIssues, loadYamlFile, readConfigText, yamlLineLocator } from './load.js';
import { balancerSchema, clientSchema, loadResourceModel, uslSchema } from './model.js';
import type { ResourceModel } from '../model/resource-model.js';
import { parseRate } from '../units.js';

/**
 * The simulation scenario file (`headroom simulate scenarios/sim-*.yaml`), compiled into a SimSpec (src/sim/types.ts)
 * plus run settings. Times are written "10ms", "2s", "5min"; rates "360/s", "50/min"; fractions "99%" or 0.99.
 *
 * A textbook queue takes four lines:
 * ```yaml
 * arrivals: { process: poisson, rate: 360/s }
 * stations:
 *   - { name: api, workers: 4, serviceTime: { distribution: exponential, mean: 10ms } }
 * run: { arrivals: 1000000, warmup: 50000, replicas: 8, seed: 1 }
 * ```
 * Every field:
 * ```yaml
 * name: checkout                      # optional, for people
 * model: ../models/web.yaml           # optional resource model, relative to this file; stations may then name a service
 * arrivals:                           # one source, or a list of sources that are superposed
 *   - { process: poisson, rate: 360/s }
 *   - { process: profile, points: [{ at: 0s, rate: 100/s }, { at: 6h, rate: 400/s }], interpolation: linear, period: 24h }
 *   - { process: trace, file: data/sim-trace.csv, scale: 1, loop: false }   # CSV: column `time` (seconds, or ISO 8601), optional `class`
 *   - { process: mmpp, states: [{ rate: 0/s, meanDuration: 60s }, { rate: 500/s, meanDuration: 5s }] }
 *   - { process: spikes, rate: 1000/s, windows: [{ start: 10min, duration: 2min }] }
 *   # any source may carry `mix: { read: 4, write: 1 }` to override the class weights for its arrivals
 * classes:                            # optional request classes; serviceTime overrides a station's, by station name
 *   - { name: read, weight: 0.8 }
 *   - { name: write, weight: 0.2, serviceTime: { db: { distribution: lognormal, mean: 30ms, cv: 1 } } }
 * stations:
 *   - name: api                       # inline station
 *     nodes: 2                        # default 1
 *     workers: 4                      # workers per node (c); default 1
 *     serviceTime: { distribution: exponential, mean: 10ms }   # or usl: { lambda, sigma, kappa }
 *     queue: shared                   # per-node (default: each node its own queue, fed by the balancer) | shared
 *     queueCapacity: 20               # waiting places per node (per station when shared); absent = unbounded. M/M/c/K: K − c
 *     balancer: least-outstanding     # round-robin (default) | random | least-outstanding | power-of-two
 *     shedding: { queueAbove: 100, maxQueueTime: 500ms }
 *     zones: [a, b, c]                # node i in zone i mod 3
 *     autoscaling: { targetUtilization: 60%, interval: 30s, scaleUpDelay: 2min, cooldown: 5min, minNodes: 2, maxNodes: 20 }
 *   - { service: db, nodes: 3 }       # from the model: workers, service time, queue, balancer, classes, zones; any field above overrides
 * routing:                            # optional; default: every request visits the stations in the order listed
 *   path: [api, db]
 *   # or an open network: entry: [{ station: api, p: 1 }], next: { api: [{ station: db, p: 30% }] }  (the rest leaves)
 * client: { timeout: 2s, retries: { max: 2, backoff: 100ms, maxBackoff: 2s, jitter: full } }   # default: the first model station's client
 * failures:
 *   - { kind: zone-down, zone: a, at: 10min, duration: 5min }
 *   - { kind: node-down, station: api, node: 0, at: 1min, duration: 30s }
 *   - { kind: random, station: api, mtbf: 2h, mttr: 5min }
 *   - { kind: degraded, station: db, node: 1, at: 0s, duration: 1h, slowdown: 3 }
 * slo: { latency: 200ms, target: 99% }   # share of client requests answered within `latency`; `target` makes it a check (exit 1)
 * run:
 *   arrivals: 1000000                 # stop after this many external arrivals, or
 *   # duration: 1h                    # stop at this simulated time
 *   warmup: 50000                     # a number: arrivals excluded; a duration ("5min"): time excluded
 *   replicas: 8                       # default 8
 *   seed: 1                           # default 1
 *   maxInFlight: 100000               # instability bound (default 100000)
 *   seriesInterval: 1min              # also record a per-interval series (printed, in --json, and --series FILE.csv)
 * ```
 */

// ───────────────────────────────────────────── field schemas ─────────────────────────────────────────────

const positiveRateText = 'a positive rate such as 360/s or 50/min';
const positiveRate = z.union([z.number(), z.string()], { error: positiveRateText }).transform((x, ctx) => {
  const r = parseRate(x);
  if (r === undefined || !(r > 0)) {
    ctx.addIssue({ code: 'custom', message: positiveRateText, input: x });
    return z.NEVER;
  }
  return r;
});
const nonNegativeRateText = 'a non-negative rate such as 360/s or 0/s';
const nonNegativeRate = z.union([z.number(), z.string()], { error: nonNegativeRateText }).transform((x, ctx) => {
  const r = parseRate(x);
  if (r === undefined || r < 0) {
    ctx.addIssue({ code: 'custom', message: nonNegativeRateText, input: x });
    return z.NEVER;
  }
  return r;
});

const mixSchema = z.record(identifier, positiveNumber).optional();

const poissonSchema = z.strictObject({ process: z.literal('poisson'), rate: positiveRate, mix: mixSchema });
const profileSchema = z.strictObject({
  process: z.literal('profile'),
  points: z.array(z.strictObject({ at: duration, rate: nonNegativeRate })).min(1, { error: 'at least one point' }),
  interpolation: z.enum(['step', 'linear']).default('step'),
  period: positiveDuration.optional(),
  mix: mixSchema,
});
const traceSchema = z.strictObject({
  process: z.literal('trace'),
  file: z.string({ error: 'a CSV file of arrival times, relative to the scenario' }).min(1),
  scale: positiveNumber.optional(),
  loop: z.boolean().optional(),
  mix: mixSchema,
});
const mmppSchema = z.strictObject({
  process: z.literal('mmpp'),
  states: z.array(z.strictObject({ rate: nonNegativeRate, meanDuration: positiveDuration })).min(2, { error: 'at least 2 states' }),
  mix: mixSchema,
});
const spikesSchema = z.strictObject({
  process: z.literal('spikes'),
  rate: positiveRate,
  windows: z.array(z.strictObject({ start: duration, duration: positiveDuration })).min(1, { error: 'at least one window' }),
  mix: mixSchema,
});
const arrivalSchema = z.discriminatedUnion('process', [poissonSchema, profileSchema, traceSchema, mmppSchema, spikesSchema], {
  error: 'an arrival process: one of poisson, profile, trace, mmpp, spikes',
});
type RawArrival = z.output<typeof arrivalSchema>;

const arrivalListSchema = z.array(arrivalSchema).min(1, { error: 'at least one arrival source' });
/**
 * One source or a list. Dispatched by hand rather than with z.union, so that a bad field inside a source is reported
 * at its own path ("arrivals.rate: expected a positive rate ...") instead of as a union that matched nothing.
 */
const arrivalsSchema = z.unknown().transform((x, ctx): RawArrival | RawArrival[] => {
  const r = Array.isArray(x) ? arrivalListSchema.safeParse(x, { reportInput: true }) : arrivalSchema.safeParse(x ?? undefined, { reportInput: true });
  if (r.success) return r.data;
  for (const issue of r.error.issues) ctx.addIssue({ ...issue, path: [...issue.path] } as Parameters<typeof ctx.addIssue>[0]);
  return z.NEVER;
});

const classSchema = z.strictObject({
  name: identifier,
  weight: positiveNumber,
  serviceTime: z.record(identifier, distributionSchema).optional(),
});

const autoscalingSchema = z.strictObject({
  targetUtilization: fraction.refine((f) => f > 0, { error: 'a fraction above 0%' }),
  interval: positiveDuration.default(30),
  scaleUpDelay: duration.default(60),
  cooldown: duration.default(300),
  minNodes: positiveInt.default(1),
  maxNodes: positiveInt,
});

const stationSchema = z.strictObject({
  name: identifier.optional(),
  service: identifier.optional(),
  nodes: positiveInt.optional(),
  workers: positiveInt.optional(),
  serviceTime: distributionSchema.optional(),
  usl: uslSchema.optional(),
  queue: z.enum(['per-node', 'shared']).optional(),
  queueCapacity: nonNegativeInt.optional(),
  balancer: balancerSchema.optional(),
  shedding: z.strictObject({ queueAbove: nonNegativeInt.optional(), maxQueueTime: positiveDuration.optional() }).optional(),
  zones: z.array(z.string().min(1)).min(1, { error: 'at least one zone' }).optional(),
  autoscaling: autoscalingSchema.optional(),
});
type RawStation = z.output<typeof stationSchema>;

const branchSchema = z.strictObject({ station: identifier, p: fraction });
const routingSchema = z.strictObject({
  path: z.array(identifier).min(1, { error: 'at least one station' }).optional(),
  entry: z.array(branchSchema).min(1, { error: 'at least one branch' }).optional(),
  next: z.record(identifier, z.array(branchSchema)).optional(),
});

const failureSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('node-down'), station: identifier, node: nonNegativeInt, at: duration, duration: positiveDuration }),
    z.strictObject({ kind: z.literal('zone-down'), zone: z.string().min(1), at: duration, duration: positiveDuration }),
    z.strictObject({ kind: z.literal('random'), station: identifier, mtbf: positiveDuration, mttr: positiveDuration }),
    z.strictObject({
      kind: z.literal('degraded'),
      station: identifier,
      node: nonNegativeInt,
      at: duration,
      duration: positiveDuration,
      slowdown: positiveNumber,
    }),
  ],
  { error: 'a failure kind: one of node-down, zone-down, random, degraded' },
);

const warmupText = 'a number of arrivals (50000) or a duration with a unit (5min)';
const warmupSchema = z.union([z.number(), z.string()], { error: warmupText }).transform((x, ctx) => {
  if (typeof x === 'number') {
    if (Number.isSafeInteger(x) && x >= 0) return { kind: 'arrivals' as const, arrivals: x };
  } else if (/[a-zµ]\s*$/i.test(x)) {
    const s = duration.safeParse(x);
    if (s.success) return { kind: 'time' as const, time: s.data };
  }
  ctx.addIssue({ code: 'custom', message: warmupText, input: x });
  return z.NEVER;
});

const runSchema = z.strictObject(
  {
    arrivals: positiveInt.optional(),
    duration: positiveDuration.optional(),
    warmup: warmupSchema.optional(),
    replicas: positiveInt.default(SIMULATION_DEFAULTS.replicas),
    seed: nonNegativeInt.default(SIMULATION_DEFAULTS.seed),
    maxInFlight: positiveInt.optional(),
    seriesInterval: positiveDuration.optional(),
  },
  { error: 'a mapping such as { arrivals: 1000000, warmup: 50000 } or { duration: 1h, warmup: 5min }' },
);

const baseSchema = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  model: z.string({ error: 'a path to a resource model file' }).min(1).optional(),
  arrivals: arrivalsSchema,
  classes: z.array(classSchema).optional(),
  stations: z.array(stationSchema, { error: 'a list of stations' }).min(1, { error: 'at least one station' }),
  routing: routingSchema.optional(),
  client: clientSchema.unwrap().optional(),
  failures: z.array(failureSchema).optional(),
  slo: z.strictObject({ latency: positiveDuration, target: fraction.optional() }).optional(),
  run: runSchema,
});
type RawScenario = z.output<typeof baseSchema>;

/** What the second pass knows about the named model file. */
type ModelContext = { readonly kind: 'none' } | { readonly kind: 'missing' } | { readonly kind: 'loaded'; readonly model: ResourceModel };

// ───────────────────────────────────────────── cross-field checks ─────────────────────────────────────────────

function stationName(s: RawStation): string {
  return s.name ?? s.service ?? '';
}

/**
 * The rules of the file's own form, which a SimSpec cannot express (a model file, stations named by service, the two
 * routing forms, arrivals or duration): each problem names its field. Every rule of the spec itself (names that must
 * exist, sums, windows) is specProblems' (src/sim/spec-problems.ts), run on the compiled spec by
 * loadSimulationScenario, so the file and the library check one rule set.
 */
function crossCheck(raw: RawScenario, ctx: z.RefinementCtx, model: ModelContext): void {
  const issue = (path: Array<string | number>, message: string, input: unknown): void =>
    ctx.addIssue({ code: 'custom', path, message, input });
  const modelServices = model.kind === 'loaded' ? new Map(model.model.services.map((s) => [s.name, s])) : undefined;
  if (model.kind === 'missing') issue(['model'], 'a resource model file that exists (relative to the scenario file)', raw.model);

  // Stations: a name, and a model when a service is named (the rest of the rules are the spec's: spec-problems.ts).
  raw.stations.forEach((s, i) => {
    if (s.name === undefined && s.service === undefined) issue(['stations', i, 'name'], 'a station name (or service: from the model)', undefined);
    if (s.service !== undefined) {
      if (raw.model === undefined) issue(['stations', i, 'service'], 'a station without service (no model: file is named)', s.service);
      else if (modelServices && !modelServices.has(s.service)) {
        issue(['stations', i, 'service'], `a service of ${raw.model} (${[...modelServices.keys()].join(', ')})`, s.service);
      }
    }
    const svc = s.service !== undefined ? modelServices?.get(s.service) : undefined;
    if (svc && s.serviceTime === undefined && s.usl === undefined && svc.serviceTime === undefined && svc.usl === undefined) {
      // The service gives a cost per request class only: every class must have one here.
      const name = stationName(s);
      const classes = raw.classes?.map((c) => c.name) ?? svc.requestClasses.map((c) => c.name);
      const missing = classes.filter((c) => !svc.requestClasses.some((k) => k.name === c) && raw.classes?.find((k) => k.name === c)?.serviceTime?.[name] === undefined);
      if (missing.length > 0) issue(['stations', i, 'serviceTime'], `a service time for class ${missing.join(', ')} (service ${svc.name} has none)`, undefined);
    }
  });

  // Routing: the file's two forms.
  if (raw.routing) {
    const r = raw.routing;
    if ((r.path === undefined) === (r.entry === undefined)) {
      issue(['routing'], 'either path: [stations...] or entry: [{ station, p }] (with next)', r);
    }
    if (r.path && r.next) issue(['routing', 'next'], 'no next with path (next belongs to a network: entry and next)', 'a mapping');
  }

  // Run length.
  const run = raw.run;
  if ((run.arrivals === undefined) === (run.duration === undefined)) {
    issue(['run', run.arrivals === undefined ? 'arrivals' : 'duration'], 'exactly one of arrivals (a count) or duration (a time)', run.arrivals === undefined ? undefined : 'both');
  }
}

/**
 * The field of the scenario file that a SimSpec path comes from: the spec renames some fields (`workersPerNode` is
 * `workers`, a profile point's `t` is `at`, an MMPP's `rates` and `meanDurations` are its `states`, `run.stop.arrivals`
 * is `run.arrivals`, `run.stop.time` is `run.duration`, `run.sloTarget` is `slo.latency`), a single arrival source is
 * not a list, and a station named by its service has no `name`.
 */
function scenarioPath(path: ReadonlyArray<string | number>, raw: RawScenario): Array<string | number> {
  const [head, ...rest] = path;
  if (head === 'arrivals' && typeof rest[0] === 'number') {
    const [i, field, ...more] = rest as [number, ...Array<string | number>];
    const at: Array<string | number> = Array.isArray(raw.arrivals) ? ['arrivals', i] : ['arrivals'];
    if (field === undefined) return at;
    if (field === 'kind') return [...at, 'process'];
    if (field === 'rates' || field === 'meanDurations') return [...at, 'states', ...more];
    if (field === 'points' && more[1] === 't') return [...at, 'points', more[0]!, 'at'];
    return [...at, field, ...more];
  }
  if (head === 'stations' && typeof rest[0] === 'number') {
    const i = rest[0];
    if (rest[1] === 'name' && raw.stations[i]?.name === undefined) return ['stations', i, 'service'];
    if (rest[1] === 'workersPerNode') return ['stations', i, 'workers', ...rest.slice(2)];
    return [...path];
  }
  if (head === 'routing') {
    if (rest[0] === 'stations') return ['routing', 'path', ...rest.slice(1)];
    if (rest[0] === 'kind') return ['routing'];
    return [...path];
  }
  if (head === 'run') {
    if (rest[0] === 'stop') return rest[1] === 'time' ? ['run', 'duration'] : rest[1] === 'arrivals' ? ['run', 'arrivals'] : ['run'];
    if (rest[0] === 'warmup') return ['run', 'warmup'];
    if (rest[0] === 'sloTarget') return ['slo', 'latency'];
  }
  return [...path];
}

function scenarioSchema(model: ModelContext) {
  return baseSchema.superRefine((raw, ctx) => crossCheck(raw, ctx, model));
}

// ───────────────────────────────────────────── compile ─────────────────────────────────────────────

/** Arrival times (and optional classes) read from a trace file. */
export interface TraceData {
  readonly times: readonly number[];
  readonly classes: readonly string[] | undefined;
}

/**
 * Compile a parsed, cross-checked scenario into a SimSpec. Pure: the model and trace files are already read.
 * `traces` holds one entry per `trace` arrival source, in order.
 */
function compile(raw: RawScenario, model: ResourceModel | undefined, traces: readonly TraceData[], file: string): SimulationScenario {
  const services = new Map(model?.services.map((s) => [s.name, s]) ?? []);
  const stations: StationSpec[] = raw.stations.map((s) => {
    const name = stationName(s);
    const svc = s.service !== undefined ? services.get(s.service) : undefined;
    const base: StationSpec = svc
      ? stationFromService(svc, s.nodes ?? 1, { name, zones: model?.zones })
      : {
          name,
          nodes: s.nodes ?? 1,
          workersPerNode: 1,
          serviceTime: undefined,
          usl: undefined,
          queue: 'per-node',
          queueCapacity: undefined,
          balancer: 'round-robin',
        };
    return {
      ...base,
      workersPerNode: s.workers ?? base.workersPerNode,
      // A station-level serviceTime or usl replaces the model's cost model entirely.
      serviceTime: s.serviceTime ?? (s.usl !== undefined ? undefined : base.serviceTime),
      usl: s.usl ?? (s.serviceTime !== undefined ? undefined : base.usl),
      queue: s.queue ?? base.queue,
      queueCapacity: s.queueCapacity ?? base.queueCapacity,
      balancer: s.balancer ?? base.balancer,
      shedding: s.shedding ? { queueAbove: s.shedding.queueAbove, maxQueueTime: s.shedding.maxQueueTime } : undefined,
      zones: s.zones ?? base.zones,
      autoscaling: s.autoscaling ? compileAutoscaling(s.autoscaling) : undefined,
    };
  });

  let classes: RequestClassSpec[] | undefined;
  if (raw.classes && raw.classes.length > 0) {
    const fromModel = classesFromServices(modelEntries(raw, services));
    classes = raw.classes.map((c) => ({
      name: c.name,
      weight: c.weight,
      // Model class costs first, the scenario's own overrides win.
      serviceTime: { ...(fromModel.find((m) => m.name === c.name)?.serviceTime ?? {}), ...(c.serviceTime ?? {}) },
    }));
  } else {
    const fromModel = classesFromServices(modelEntries(raw, services));
    classes = fromModel.length > 0 ? fromModel : undefined;
  }

  let traceIndex = 0;
  const rawArrivals: readonly RawArrival[] = Array.isArray(raw.arrivals) ? raw.arrivals : [raw.arrivals];
  const arrivals: ArrivalSpec[] = rawArrivals.map((a): ArrivalSpec => {
    const mix = a.mix;
    switch (a.process) {
      case 'poisson':
        return { kind: 'poisson', rate: a.rate, mix };
      case 'profile':
        return { kind: 'profile', points: a.points.map((p) => ({ t: p.at, rate: p.rate })), interpolation: a.interpolation, period: a.period, mix };
      case 'trace': {
        const t = traces[traceIndex++]!;
        return { kind: 'trace', times: t.times, classes: t.classes, scale: a.scale, loop: a.loop, mix };
      }
      case 'mmpp':
        return { kind: 'mmpp', rates: a.states.map((s) => s.rate), meanDurations: a.states.map((s) => s.meanDuration), mix };
      case 'spikes':
        return { kind: 'spikes', rate: a.rate, windows: a.windows.map((w) => ({ start: w.start, duration: w.duration })), mix };
    }
  });

  let routing: RoutingSpec | undefined;
  if (raw.routing?.path) routing = { kind: 'path', stations: raw.routing.path };
  else if (raw.routing?.entry) {
    routing = {
      kind: 'network',
      entry: raw.routing.entry.map((b) => ({ station: b.station, p: b.p })),
      next: Object.fromEntries(Object.entries(raw.routing.next ?? {}).map(([k, v]) => [k, v.map((b) => ({ station: b.station, p: b.p }))])),
    };
  }

  // The client: the scenario's, else the first model station's policy.
  const firstService = raw.stations.map((s) => (s.service !== undefined ? services.get(s.service) : undefined)).find((s) => s !== undefined);
  const client = raw.client ?? firstService?.client;

  const failures: FailureSpec[] | undefined = raw.failures?.map((f): FailureSpec => {
    switch (f.kind) {
      case 'node-down':
        return { kind: 'node-down', station: f.station, node: f.node, at: f.at, duration: f.duration };
      case 'zone-down':
        return { kind: 'zone-down', zone: f.zone, at: f.at, duration: f.duration };
      case 'random':
        return { kind: 'random', station: f.station, mtbf: f.mtbf, mttr: f.mttr };
      case 'degraded':
        return { kind: 'degraded', station: f.station, node: f.node, at: f.at, duration: f.duration, slowdown: f.slowdown };
    }
  });

  const run = raw.run;
  const spec: SimSpec = {
    arrivals,
    classes,
    stations,
    routing,
    client: client ? { timeout: client.timeout, retries: client.retries } : undefined,
    failures,
    run: {
      stop: run.arrivals !== undefined ? { kind: 'arrivals', arrivals: run.arrivals } : { kind: 'time', time: run.duration! },
      warmup: run.warmup,
      sloTarget: raw.slo?.latency,
      maxInFlight: run.maxInFlight ?? SIMULATION_DEFAULTS.maxInFlight,
      seriesInterval: run.seriesInterval,
    },
  };
  return {
    file,
    name: raw.name,
    description: raw.description,
    spec,
    replicas: run.replicas,
    seed: run.seed,
    slo: raw.slo ? { latency: raw.slo.latency, target: raw.slo.target } : undefined,
  };
}

function modelEntries(raw: RawScenario, services: Map<string, ResourceModel['services'][number]>) {
  return raw.stations.flatMap((s) => {
    const svc = s.service !== undefined ? services.get(s.service) : undefined;
    // A station that sets its own cost does not take the service's per-class costs.
    return svc && s.serviceTime === undefined && s.usl === undefined ? [{ station: stationName(s), service: svc }] : [];
  });
}

function compileAutoscaling(a: z.output<typeof autoscalingSchema>): AutoscalingSpec {
  return {
    targetUtilization: a.targetUtilization,
    interval: a.interval,
    scaleUpDelay: a.scaleUpDelay,
    cooldown: a.cooldown,
    minNodes: a.minNodes,
    maxNodes: a.maxNodes,
  };
}

// ───────────────────────────────────────────── trace files ─────────────────────────────────────────────

/**
 * Read a trace CSV: a header row with a `time` column (seconds from the start, or ISO 8601 timestamps, made relative
 * to the first) and an optional `class` column. Times must not decrease. Errors name the file and line.
 */
export async function readTraceFile(path: string, shown: string, classNames: ReadonlySet<string>): Promise<TraceData> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new HeadroomError(code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'INPUT_INVALID', `${shown}: ${code === 'ENOENT' ? 'file not found' : `cannot read file (${code})`}`);
  }
  let rows: Array<Record<string, string>>;
  try {
    rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, comment: '#' }) as Array<Record<string, string>>;
  } catch (e) {
    throw new HeadroomError('CONFIG_INVALID', `${shown}: invalid CSV: ${(e as Error).message}`);
  }
  const bad = (row: number, field: string, message: string): HeadroomError =>
    new HeadroomError('CONFIG_INVALID', `${shown}:${row + 2} ${field}: ${message}`);
  if (rows.length === 0) throw new HeadroomError('CONFIG_INVALID', `${shown}: expected a header row with a time column and at least one arrival, got none`);
  if (!('time' in rows[0]!)) throw new HeadroomError('CONFIG_INVALID', `${shown}:1 time: missing; expected a column named time`);
  const hasClass = 'class' in rows[0]!;
  const raw: number[] = [];
  const classes: string[] = [];
  let iso: boolean | undefined;
  rows.forEach((r, i) => {
    const v = r.time ?? '';
    const isNumber = /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(v);
    iso ??= !isNumber;
    const t = iso ? Date.parse(v) / 1000 : Number(v);
    if (!Number.isFinite(t) || (iso && isNumber)) throw bad(i, 'time', `expected seconds from the start or an ISO 8601 time (as on the first row), got ${JSON.stringify(v)}`);
    if (raw.length > 0 && t < raw[raw.length - 1]!) throw bad(i, 'time', `expected times in ascending order, got ${JSON.stringify(v)} after an earlier time`);
    raw.push(t);
    if (hasClass) {
      const c = r.class ?? '';
      if (!classNames.has(c)) throw bad(i, 'class', `expected a class of the scenario (${[...classNames].join(', ') || 'none defined'}), got ${JSON.stringify(c)}`);
      classes.push(c);
    }
  });
  const t0 = iso ? raw[0]! : 0;
  if (!iso && raw[0]! < 0) throw bad(0, 'time', `expected seconds from the start (≥ 0), got ${raw[0]}`);
  return { times: raw.map((t) => t - t0), classes: hasClass ? classes : undefined };
}

// ───────────────────────────────────────────── loading ─────────────────────────────────────────────

/**
 * Load a simulation scenario file, its resource model (if it names one) and its trace files, and compile them into a
 * SimSpec with run settings. Every problem is reported at once, one line each, as `file:line field: expected …, got …`
 * (HeadroomError CONFIG_INVALID, exit code 2); a bad model file is reported with the model file's own name and lines.
 */
export async function loadSimulationScenario(path: string, options: { cwd?: string } = {}): Promise<SimulationScenario> {
  const cwd = options.cwd ?? process.cwd();
  const abs = resolve(cwd, path);
  const shown = displayPath(abs, cwd);
  // Pass 1: the file on its own.
  let raw: RawScenario = await loadYamlFile(abs, scenarioSchema({ kind: 'none' }), { cwd });
  let model: ResourceModel | undefined;
  if (raw.model !== undefined) {
    // Pass 2: again with the model, so a missing file or an unknown service is reported at its line.
    let ctx: ModelContext;
    try {
      model = await loadResourceModel(resolve(dirname(abs), raw.model), { cwd });
      ctx = { kind: 'loaded', model };
    } catch (e) {
      if (!(e instanceof HeadroomError && e.code === 'FILE_NOT_FOUND')) throw e;
      ctx = { kind: 'missing' };
    }
    raw = await loadYamlFile(abs, scenarioSchema(ctx), { cwd });
  }
  const traces: TraceData[] = [];
  const classNames = new Set<string>([...(raw.classes?.map((c) => c.name) ?? []), ...(model ? model.services.flatMap((s) => s.requestClasses.map((c) => c.name)) : [])]);
  for (const a of Array.isArray(raw.arrivals) ? raw.arrivals : [raw.arrivals]) {
    if (a.process === 'trace') {
      const tracePath = resolve(dirname(abs), a.file);
      traces.push(await readTraceFile(tracePath, displayPath(tracePath, cwd), classNames));
    }
  }
  const scenario = compile(raw, model, traces, shown);
  // The spec's own rules (spec-problems.ts, shared with validateSpec), each reported at the field the user wrote.
  const problems = specProblems(scenario.spec);
  if (problems.length > 0) {
    const lineOf = yamlLineLocator(await readConfigText(abs, shown));
    const issues: ConfigIssue[] = problems.map((p) => {
      const path = scenarioPath(p.path, raw);
      return { path, line: lineOf(path), message: `expected ${p.expected}, got ${describeValue(p.got)}` };
    });
    throw new HeadroomError('CONFIG_INVALID', formatIssues(shown, issues));
  }
  return scenario;
}

/**
 * The zod schema of a scenario file on its own (without its model), for tools that validate text: it checks the
 * file's form (fields, units, the routing and run forms); the spec's own rules (names that exist, sums, windows) are
 * checked on the compiled spec by specProblems (src/sim/spec-problems.ts), as loadSimulationScenario does.
 */
export const simulationScenarioSchema = scenarioSchema({ kind: 'none' });
