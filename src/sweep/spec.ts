import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { HeadroomError } from '../errors.js';
import type { PlanScenario } from '../model/plan-scenario.js';
import type { SweepAxis } from '../model/sweep.js';
import type { ReadResult } from '../series/types.js';

/** The protocol version of sweep specs and jobs; a worker refuses a queue or a spec of another version. */
export const SWEEP_PROTOCOL = 'headroom-sweep/1';

/**
 * Everything a worker needs to plan any point or path of one sweep, as plain JSON: the scenario and model as their YAML
 * text (a worker checks them with the same schemas as the files), the history as read (a worker on another machine has
 * no files and no Prometheus), the axes as written, and the Monte-Carlo settings. One spec per sweep, shared by its
 * jobs; its hash names it.
 */
export interface SweepSpec {
  readonly protocol: typeof SWEEP_PROTOCOL;
  readonly scenario: { readonly file: string; readonly text: string };
  readonly model: { readonly file: string; readonly text: string };
  readonly history: Readonly<Record<string, SpecHistory>>;
  /** Axes as `name` and values already parsed (numbers, or node type names). */
  readonly axes: ReadonlyArray<{ readonly name: string; readonly values: ReadonlyArray<number | string> }>;
  readonly seed: number;
  readonly monteCarlo: { readonly paths: number; readonly batch: number; readonly confidence: number };
  /** Confirm every grid point's plan by simulation (the scenario's replicas and arrivals), on the job's own thread. */
  readonly simulate: boolean;
}

/** A driver's history in a spec: a regular series with NaN (JSON null) for unfilled gaps. */
export interface SpecHistory {
  readonly name: string;
  readonly source: string;
  readonly stepMs: number;
  readonly stepMonths?: number | undefined;
  readonly t: readonly number[];
  readonly v: ReadonlyArray<number | null>;
  readonly repairs: { readonly filledPoints: number; readonly duplicatesDropped: number; readonly resampled: boolean; readonly notes: readonly string[] };
}

/** Build the spec of a sweep from a loaded scenario (the model file is read again as text, as the worker will parse it). */
export async function buildSpec(
  scenario: PlanScenario,
  history: Readonly<Record<string, ReadResult>>,
  axes: readonly SweepAxis[],
  options: { seed: number; paths: number; batch: number; confidence: number; scenarioText: string; simulate: boolean },
): Promise<SweepSpec> {
  const modelText = await readFile(resolve(scenario.dir, scenario.modelPath), 'utf8');
  return {
    protocol: SWEEP_PROTOCOL,
    scenario: { file: scenario.file, text: options.scenarioText },
    model: { file: scenario.modelFile, text: modelText },
    history: Object.fromEntries(
      Object.entries(history).map(([name, r]) => [
        name,
        {
          name: r.series.name,
          source: r.series.source,
          stepMs: r.series.stepMs,
          ...(r.series.stepMonths !== undefined ? { stepMonths: r.series.stepMonths } : {}),
          t: [...r.series.t],
          v: [...r.series.v].map((x) => (Number.isFinite(x) ? x : null)),
          repairs: {
            filledPoints: r.repairs.filledGaps.reduce((a, g) => a + g.points, 0),
            duplicatesDropped: r.repairs.duplicatesDropped,
            resampled: r.repairs.resampled,
            notes: [...(r.repairs.notes ?? [])],
          },
        },
      ]),
    ),
    axes: axes.map((a) => ({ name: a.name, values: [...a.values] })),
    seed: options.seed,
    monteCarlo: { paths: options.paths, batch: options.batch, confidence: options.confidence },
    simulate: options.simulate,
  };
}

/** The spec as canonical JSON text and its SHA-256 (the cache key of prepared state in workers). */
export function encodeSpec(spec: SweepSpec): { text: string; hash: string } {
  const text = JSON.stringify(spec);
  return { text, hash: createHash('sha256').update(text).digest('hex') };
}

const finite = z.number().refine(Number.isFinite, { message: 'a finite number' });

const historySchema = z.strictObject({
  name: z.string(),
  source: z.string(),
  stepMs: finite.refine((x) => x > 0, { message: 'a positive step' }),
  stepMonths: z.number().int().positive().optional(),
  t: z.array(finite).min(1).max(10_000_000),
  v: z.array(finite.nullable()).max(10_000_000),
  repairs: z.strictObject({
    filledPoints: z.number().int().nonnegative(),
    duplicatesDropped: z.number().int().nonnegative(),
    resampled: z.boolean(),
    notes: z.array(z.string()),
  }),
});

const specSchema = z.strictObject({
  protocol: z.literal(SWEEP_PROTOCOL, { error: `protocol ${SWEEP_PROTOCOL}` }),
  scenario: z.strictObject({ file: z.string().min(1).max(4096), text: z.string().max(1_000_000) }),
  model: z.strictObject({ file: z.string().min(1).max(4096), text: z.string().max(1_000_000) }),
  history: z.record(z.string(), historySchema),
  axes: z.array(z.strictObject({ name: z.string().min(1).max(200), values: z.array(z.union([finite, z.string().max(200)])).min(1).max(1000) })).max(32),
  seed: z.number().int().nonnegative(),
  monteCarlo: z.strictObject({
    paths: z.number().int().nonnegative().max(10_000_000),
    batch: z.number().int().positive().max(100_000),
    confidence: z.number().gt(0).lt(1),
  }),
  simulate: z.boolean(),
});

/**
 * Parse and check a spec received from outside (a queue): its shape, finite numbers, increasing timestamps, equal
 * lengths. The scenario and model texts are checked later by their own schemas (prepare.ts).
 * @throws HeadroomError INPUT_INVALID naming the first problem.
 */
export function decodeSpec(text: string): SweepSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new HeadroomError('INPUT_INVALID', `sweep spec: not JSON (${(e as Error).message})`);
  }
  const r = specSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new HeadroomError('INPUT_INVALID', `sweep spec ${issue.path.join('.')}: ${issue.message}`);
  }
  for (const [name, h] of Object.entries(r.data.history)) {
    if (h.t.length !== h.v.length) throw new HeadroomError('INPUT_INVALID', `sweep spec history.${name}: ${h.t.length} times but ${h.v.length} values`);
    for (let i = 1; i < h.t.length; i++) {
      if (!(h.t[i]! > h.t[i - 1]!)) throw new HeadroomError('INPUT_INVALID', `sweep spec history.${name}.t: expected increasing times, not at index ${i}`);
    }
  }
  return r.data as SweepSpec;
}

/** The history of a spec as the planner reads it. */
export function specHistory(spec: SweepSpec): Record<string, ReadResult> {
  return Object.fromEntries(
    Object.entries(spec.history).map(([name, h]) => [
      name,
      {
        series: {
          name: h.name,
          source: h.source,
          stepMs: h.stepMs,
          ...(h.stepMonths !== undefined ? { stepMonths: h.stepMonths } : {}),
          t: Float64Array.from(h.t),
          v: Float64Array.from(h.v, (x) => (x === null ? NaN : x)),
        },
        repairs: {
          filledGaps: h.repairs.filledPoints > 0 ? [{ startMs: h.t[0]!, points: h.repairs.filledPoints }] : [],
          duplicatesDropped: h.repairs.duplicatesDropped,
          resampled: h.repairs.resampled,
          notes: h.repairs.notes,
        },
      },
    ]),
  );
}

/** The directory a spec's scenario resolves paths from (only used in messages on a worker). */
export function specDir(spec: SweepSpec): string {
  return dirname(resolve(spec.scenario.file));
}
