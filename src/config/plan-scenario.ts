import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { MathNode } from 'mathjs';
import { loadMathjs } from '../model/demand-math.js';
import { DEMAND_CONSTANTS, readDemandExpression } from '../model/demand-expression.js';
import { FORECAST_MODEL_CHOICES } from '../forecast/registry.js';
import { z } from 'zod';
import { parseDuration } from '../units.js';
import { prometheusSourceSchema } from '../series/prometheus-source.js';
import { fraction, identifier, nonNegativeInt, positiveDuration, positiveInt, positiveNumber } from './common.js';
import { displayPath } from '../paths.js';
import { parseYamlText } from './load.js';
import { readScenarioFile } from './scenario-file.js';
import { DEFAULT_MAX_UTILIZATION_DEGRADED, FAIL_ON_RULES, type PlanScenario, type PrometheusSourceSpec, type SloSpec } from '../model/plan-scenario.js';
import { parseAxis, type AxisContext } from '../model/sweep.js';
import type { ResourceModel } from '../model/resource-model.js';

// ───────────────────────────── field schemas ─────────────────────────────

/** A quantile: "p95", "p99.9", "95%" or a number in (0, 1). */
export const quantileSchema = z.union([z.number(), z.string()], { error: 'a quantile such as p95 or 0.95' }).transform((x, ctx) => {
  let q: number | undefined;
  if (typeof x === 'number') q = x;
  else {
    const m = /^\s*(?:p(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)%)\s*$/i.exec(x);
    if (m) q = Number(m[1] ?? m[2]) / 100;
  }
  if (q === undefined || !(q > 0 && q < 1)) {
    ctx.addIssue({ code: 'custom', message: 'a quantile such as p95, p99.9 or 0.95 (strictly between 0 and 1)', input: x });
    return z.NEVER;
  }
  return q;
});

const leadTimeText = 'a lead time of zero or more, such as 45d or 8w';
const leadTimeSchema = z.union([z.number(), z.string()], { error: leadTimeText }).transform((x, ctx) => {
  const s = parseDuration(x);
  if (s === undefined || s < 0) {
    ctx.addIssue({ code: 'custom', message: leadTimeText, input: x });
    return z.NEVER;
  }
  return s;
});

const dateText = 'a date such as 2026-09-01';
const dateSchema = z.string({ error: dateText }).transform((x, ctx) => {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(x.trim()) ? Date.parse(`${x.trim()}T00:00:00Z`) : NaN;
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: dateText, input: x });
    return z.NEVER;
  }
  return ms;
});

const monthText = 'a month such as 2026-01';
const monthSchema = z.string({ error: monthText }).transform((x, ctx) => {
  const m = /^(\d{4})-(\d{2})$/.exec(x.trim());
  const month = m ? Number(m[2]) : 0;
  if (!m || month < 1 || month > 12) {
    ctx.addIssue({ code: 'custom', message: monthText, input: x });
    return z.NEVER;
  }
  return Date.UTC(Number(m[1]), month - 1, 1);
});

const growthText = 'a yearly growth change such as +25% or -10% (above -100%)';
const growthSchema = z.union([z.number(), z.string()], { error: growthText }).transform((x, ctx) => {
  let g: number | undefined;
  if (typeof x === 'number') g = x;
  else {
    const m = /^\s*([+-]?\d+(?:\.\d+)?)\s*%\s*$/.exec(x);
    if (m) g = Number(m[1]) / 100;
  }
  if (g === undefined || !Number.isFinite(g) || g <= -1) {
    ctx.addIssue({ code: 'custom', message: growthText, input: x });
    return z.NEVER;
  }
  return g;
});


const driverSchema = z.strictObject({
  history: z.string({ error: 'a CSV or JSON file path' }).min(1).optional(),
  column: z.string().min(1).optional(),
  timestampColumn: z.string().min(1).optional(),
  prometheus: prometheusSourceSchema.optional(),
  unit: z.string().default(''),
  seasonality: z.array(z.number({ error: 'a period in steps (>= 2)' }).min(2, { error: 'a period in steps (>= 2)' })).optional(),
  model: z.enum(FORECAST_MODEL_CHOICES, { error: `a forecast model: ${FORECAST_MODEL_CHOICES.join(', ')}` }).default('auto'),
});

const sloSchema = z.strictObject({
  latency: z.strictObject({ percentile: quantileSchema, target: positiveDuration }).optional(),
  maxErrorRate: fraction.optional(),
});

/**
 * The largest current fleet a plan takes: the planner sizes up to MAX_PLANNED_NODES (20 000, src/plan/limits.ts) and
 * evaluates the current fleet's rules with the same M/G/c formulas, whose cost grows with the count (a fleet of 8
 * million ran for minutes). Written again here because the loader does not import the planner.
 */
const MAX_FLEET = 20_000;

const serviceSchema = z.strictObject({
  demand: z.string({ error: 'an expression over demand names, such as api_rps' }).min(1),
  unit: z.string().default('req/s'),
  fleet: nonNegativeInt.refine((n) => n <= MAX_FLEET, { error: `a fleet of at most ${MAX_FLEET} nodes` }),
  slo: sloSchema.optional(),
});

const variantServiceSchema = z.strictObject({
  nodeType: z.string().min(1).optional(),
  serviceTimeScale: positiveNumber.default(1),
  workersPerNode: positiveInt.optional(),
});

const launchSchema = z.strictObject({ date: dateSchema, multiplier: positiveNumber, drivers: z.array(identifier).optional() });

const variantSchema = z.strictObject({
  name: identifier,
  description: z.string().optional(),
  growth: growthSchema.default(0),
  launch: z.union([launchSchema, z.array(launchSchema)], { error: 'a launch { date, multiplier } or a list of them' }).optional(),
  price: z.strictObject({ multiplier: positiveNumber, from: dateSchema.optional() }).optional(),
  services: z.record(z.string(), variantServiceSchema).default({}),
});

const positiveFraction = fraction.refine((f) => f > 0, { message: 'a fraction above 0%' });

const scenarioBase = z.strictObject({
  name: z.string({ error: 'a name' }).min(1),
  description: z.string().optional(),
  model: z.string({ error: 'the path of a resource model file' }).min(1),
  period: z.enum(['month', 'quarter'], { error: 'month or quarter' }).default('month'),
  horizon: positiveInt.default(24),
  start: monthSchema.optional(),
  quantile: quantileSchema.default(0.95),
  drivers: z.record(identifier, driverSchema),
  demand: z.record(identifier, z.string({ error: 'a mathjs expression such as users * 0.8' })).default({}),
  services: z.record(z.string(), serviceSchema),
  slo: sloSchema.default({}),
  maxUtilization: positiveFraction.default(0.7),
  maxUtilizationDegraded: positiveFraction.optional(),
  failOn: z.array(z.enum(FAIL_ON_RULES, { error: `a rule: ${FAIL_ON_RULES.join(', ')}` })).default(['slo']),
  redundancy: z.strictObject({ spare: nonNegativeInt.default(0), zoneLoss: z.boolean().default(false) }).default({ spare: 0, zoneLoss: false }),
  leadTime: leadTimeSchema.default(0),
  commitment: z
    .strictObject({ share: fraction.default(0), term: z.enum(['1y', '3y'], { error: 'a reservation term: 1y or 3y' }).default('1y') })
    .default({ share: 0, term: '1y' }),
  variants: z.array(variantSchema).default([]),
  simulation: z
    .strictObject({
      arrivals: positiveInt.default(20_000),
      replicas: positiveInt.default(4),
      warmup: fraction.default(0.1),
    })
    .default({ arrivals: 20_000, replicas: 4, warmup: 0.1 }),
  seed: nonNegativeInt.default(1),
  sweep: z
    .strictObject({
      vary: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))], { error: 'values as LOW..HIGH:STEPS, a,b,c or a list' })).default({}),
      paths: nonNegativeInt.default(0),
      confidence: fraction.refine((f) => f > 0 && f < 1, { message: 'a confidence strictly between 0% and 100%, such as 90%' }).default(0.9),
    })
    .optional(),
});

type RawScenario = z.output<typeof scenarioBase>;

/**
 * Check one demand expression: its length and depth, its syntax, that it stays inside the scalar language of
 * model/demand-expression.ts, and that every name it uses is in `known` (or a constant such as pi). Returns the message for
 * the "expected …" part of an issue, or undefined when it is fine.
 */
export function checkExpression(text: string, known: readonly string[], parseMath: (text: string) => MathNode): string | undefined {
  const read = readDemandExpression(text, parseMath);
  if (!read.ok) return read.expected;
  for (const name of read.expression.names) {
    if (!known.includes(name) && !Object.hasOwn(DEMAND_CONSTANTS, name)) {
      return `an expression over ${known.join(', ')} (unknown name "${name}")`;
    }
  }
  return undefined;
}

/** The scenario schema, checked against the resource model it names and the files on disk. */
function scenarioSchema(model: ResourceModel | undefined, modelFile: string, dir: string, parseMath: (text: string) => MathNode, checkFiles = true) {
  return scenarioBase.superRefine((s, ctx) => {
    // Drivers: exactly one source each; history files must exist.
    for (const [name, d] of Object.entries(s.drivers)) {
      if ((d.history === undefined) === (d.prometheus === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['drivers', name, 'history'], message: 'either history (a file) or prometheus (a query), not both', input: d.history });
      } else if (d.history !== undefined && checkFiles) {
        const p = resolve(dir, d.history);
        if (!existsSync(p) || !statSync(p).isFile()) {
          ctx.addIssue({ code: 'custom', path: ['drivers', name, 'history'], message: 'an existing CSV or JSON file (relative to the scenario)', input: d.history });
        }
      }
    }
    if (Object.keys(s.drivers).length === 0) ctx.addIssue({ code: 'custom', path: ['drivers'], message: 'at least one demand driver', input: s.drivers });
    // Derived demand: each expression may use drivers and derived names defined above it.
    const known = Object.keys(s.drivers);
    for (const [name, expr] of Object.entries(s.demand)) {
      if (known.includes(name)) ctx.addIssue({ code: 'custom', path: ['demand', name], message: 'a name not already used by a driver', input: name });
      const problem = checkExpression(expr, known, parseMath);
      if (problem) ctx.addIssue({ code: 'custom', path: ['demand', name], message: problem, input: expr });
      known.push(name);
    }
    // Services: must be in the model; their demand expressions must use known names.
    const modelServices = model?.services.map((x) => x.name) ?? [];
    if (Object.keys(s.services).length === 0) ctx.addIssue({ code: 'custom', path: ['services'], message: 'at least one service', input: s.services });
    for (const [name, svc] of Object.entries(s.services)) {
      if (model && !modelServices.includes(name)) {
        ctx.addIssue({ code: 'custom', path: ['services', name], message: `a service of ${modelFile} (${modelServices.join(', ')})`, input: name });
      }
      const problem = checkExpression(svc.demand, known, parseMath);
      if (problem) ctx.addIssue({ code: 'custom', path: ['services', name, 'demand'], message: problem, input: svc.demand });
    }
    if (!model) return;
    if (s.maxUtilizationDegraded !== undefined && s.maxUtilizationDegraded < s.maxUtilization) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxUtilizationDegraded'],
        message: `a ceiling at or above maxUtilization (${Math.round(s.maxUtilization * 1000) / 10}%)`,
        input: `${Math.round(s.maxUtilizationDegraded * 1000) / 10}%`,
      });
    }
    // Sweep axes: names, values, and targets that exist in the scenario and the model.
    if (s.sweep) {
      const axisCtx: AxisContext = {
        services: Object.keys(s.services),
        drivers: Object.keys(s.drivers),
        derived: Object.keys(s.demand),
        nodeTypes: model.nodeTypes.map((t) => t.name),
        latencyServices: Object.entries(s.services).filter(([, v]) => (v.slo?.latency ?? s.slo.latency) !== undefined).map(([k]) => k),
      };
      for (const [name, raw] of Object.entries(s.sweep.vary)) {
        const r = parseAxis(name, raw, axisCtx);
        if (!r.ok) ctx.addIssue({ code: 'custom', path: ['sweep', 'vary', name], message: r.message, input: r.found });
      }
    }
    // Redundancy by zone needs zones in the model.
    if (s.redundancy.zoneLoss && model.zones.length < 2) {
      ctx.addIssue({ code: 'custom', path: ['redundancy', 'zoneLoss'], message: `false, since ${modelFile} lists fewer than 2 zones`, input: true });
    }
    // Node types: variants must name ones the model prices; commitments need committed prices.
    const types = new Map(model.nodeTypes.map((t) => [t.name, t]));
    const used = new Set<string>();
    for (const name of Object.keys(s.services)) {
      const ms = model.services.find((x) => x.name === name);
      if (ms) used.add(ms.nodeType);
    }
    s.variants.forEach((v, i) => {
      for (const [svc, o] of Object.entries(v.services)) {
        if (!(svc in s.services)) {
          ctx.addIssue({ code: 'custom', path: ['variants', i, 'services', svc], message: `a service planned under services (${Object.keys(s.services).join(', ')})`, input: svc });
        }
        if (o.nodeType !== undefined) {
          if (!types.has(o.nodeType)) {
            ctx.addIssue({
              code: 'custom',
              path: ['variants', i, 'services', svc, 'nodeType'],
              message: `a node type with a price in ${modelFile} (${[...types.keys()].join(', ')})`,
              input: o.nodeType,
            });
          } else used.add(o.nodeType);
        }
      }
      const launches = v.launch === undefined ? [] : Array.isArray(v.launch) ? v.launch : [v.launch];
      launches.forEach((l, j) => {
        for (const d of l.drivers ?? []) {
          if (!(d in s.drivers)) {
            ctx.addIssue({
              code: 'custom',
              path: ['variants', i, 'launch', ...(Array.isArray(v.launch) ? [j] : []), 'drivers'],
              message: `a driver (${Object.keys(s.drivers).join(', ')})`,
              input: d,
            });
          }
        }
      });
    });
    const names = new Set<string>(['base']);
    s.variants.forEach((v, i) => {
      if (names.has(v.name)) ctx.addIssue({ code: 'custom', path: ['variants', i, 'name'], message: 'a variant name not used before (base is the plan itself)', input: v.name });
      names.add(v.name);
    });
    if (s.commitment.share > 0) {
      for (const t of used) {
        if (types.get(t)?.committedHourlyPrice === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['commitment', 'share'],
            message: `0%, since node type ${t} has no committedHourlyPrice in ${modelFile}`,
            input: `${Math.round(s.commitment.share * 1000) / 10}%`,
          });
        }
      }
    }
  });
}

function normalize(raw: RawScenario, file: string, dir: string, modelFile: string): PlanScenario {
  const slo = (o: z.output<typeof sloSchema> | undefined): SloSpec => ({
    latency: o?.latency?.target !== undefined ? { quantile: o.latency.percentile, target: o.latency.target } : raw.slo.latency ? { quantile: raw.slo.latency.percentile, target: raw.slo.latency.target } : undefined,
    maxErrorRate: o?.maxErrorRate ?? raw.slo.maxErrorRate,
  });
  return {
    file,
    dir,
    name: raw.name,
    description: raw.description,
    modelPath: raw.model,
    modelFile,
    period: raw.period,
    horizon: raw.horizon,
    startMs: raw.start,
    quantile: raw.quantile,
    drivers: Object.fromEntries(
      Object.entries(raw.drivers).map(([name, d]) => [
        name,
        {
          history: d.history === undefined ? undefined : resolve(dir, d.history),
          historyAsWritten: d.history,
          column: d.column,
          timestampColumn: d.timestampColumn,
          prometheus: d.prometheus as PrometheusSourceSpec | undefined,
          unit: d.unit,
          seasonality: d.seasonality,
          model: d.model,
        },
      ]),
    ),
    demand: Object.entries(raw.demand).map(([name, expression]) => ({ name, expression })),
    services: Object.fromEntries(
      Object.entries(raw.services).map(([name, s]) => [name, { demand: s.demand, unit: s.unit, fleet: s.fleet, slo: slo(s.slo) }]),
    ),
    maxUtilization: raw.maxUtilization,
    maxUtilizationDegraded: raw.maxUtilizationDegraded ?? Math.max(DEFAULT_MAX_UTILIZATION_DEGRADED, raw.maxUtilization),
    redundancy: raw.redundancy,
    leadTime: raw.leadTime,
    commitment: { share: raw.commitment.share, termMonths: raw.commitment.term === '3y' ? 36 : 12 },
    failOn: [...new Set(raw.failOn)],
    variants: raw.variants.map((v) => ({
      name: v.name,
      description: v.description,
      growth: v.growth,
      launches: (v.launch === undefined ? [] : Array.isArray(v.launch) ? v.launch : [v.launch]).map((l) => ({
        atMs: l.date,
        multiplier: l.multiplier,
        drivers: l.drivers,
      })),
      price: v.price ? { multiplier: v.price.multiplier, fromMs: v.price.from } : undefined,
      services: Object.fromEntries(
        Object.entries(v.services).map(([k, o]) => [k, { nodeType: o.nodeType, serviceTimeScale: o.serviceTimeScale, workersPerNode: o.workersPerNode }]),
      ),
    })),
    simulation: { arrivals: raw.simulation.arrivals, replicas: raw.simulation.replicas, warmupFraction: raw.simulation.warmup },
    seed: raw.seed,
    sweep: raw.sweep && {
      axes: Object.entries(raw.sweep.vary).map(([name, v]) => {
        const r = parseAxis(name, v);
        if (!r.ok) throw new Error(`sweep.vary.${name} passed the schema but does not parse: ${r.message}`);
        return r.axis;
      }),
      paths: raw.sweep.paths,
      confidence: raw.sweep.confidence,
    },
  };
}

export interface LoadedPlanInputs {
  readonly scenario: PlanScenario;
  readonly model: ResourceModel;
}

/**
 * Load a plan scenario and the resource model it names. Every problem in the scenario is reported at once as
 * `file:line field: expected …, got …` (HeadroomError CONFIG_INVALID, exit 2); problems in the model file are reported
 * the same way, naming the model file. Cross-file rules are checked here too: services must exist in the model,
 * variant node types must have a price, committed shares need committed prices, history files must exist.
 */
export async function loadPlanScenario(path: string, options: { cwd?: string } = {}): Promise<LoadedPlanInputs> {
  const cwd = options.cwd ?? process.cwd();
  // The model comes first: the rest of the scenario is checked against the model.
  const { text, file, dir, model, modelFile: shownModel } = await readScenarioFile(path, cwd);
  const modelFile = shownModel ?? '';
  const math = await loadMathjs();
  const schema = scenarioSchema(model, modelFile, dir, (t) => math.parse(t)).superRefine((s, ctx) => {
    if (!model) ctx.addIssue({ code: 'custom', path: ['model'], message: 'an existing resource model file (relative to the scenario)', input: s.model });
  });
  const raw = parseYamlText(text, file, schema);
  return { scenario: normalize(raw, file, dir, modelFile), model: model! };
}

/**
 * A plan scenario from its text and an already loaded model, checked by the same schema as `loadPlanScenario` except
 * that history files are not looked for on disk (a sweep worker receives the history with the job, not the files).
 * `file` and `modelFile` name the files in messages; `dir` resolves relative paths.
 */
export async function parsePlanScenarioText(text: string, file: string, dir: string, model: ResourceModel, modelFile: string): Promise<PlanScenario> {
  const math = await loadMathjs();
  const raw = parseYamlText(text, file, scenarioSchema(model, modelFile, dir, (t) => math.parse(t), false));
  return normalize(raw, file, dir, modelFile);
}
