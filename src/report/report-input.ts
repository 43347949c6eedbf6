import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { inputError } from '../errors.js';
import type { DrillReport } from '../drill/report.js';
import type { CapacityPlan } from '../plan/types.js';
import type { Calibration } from '../validate/calibrate.js';
import type { ScenarioReport } from '../validate/scenario.js';
import type { ValidationReport } from '../validate/validate.js';
import type { PlanForecasts } from './driver-forecast.js';

/**
 * What a report is rendered from, as saved by `headroom plan --out` and `headroom validate --out`: a plan (with the
 * forecasts when forecast.json is beside it), one endpoint's validation, a validation scenario's run, or a failure
 * drill (`headroom drill --out`).
 */
export type ReportInput =
  | { readonly kind: 'plan'; readonly file: string; readonly plan: CapacityPlan; readonly forecasts: PlanForecasts | undefined }
  | { readonly kind: 'validation'; readonly file: string; readonly report: ValidationReport; readonly calibrations: readonly Calibration[] }
  | { readonly kind: 'validation-scenario'; readonly file: string; readonly report: ScenarioReport; readonly calibrations: readonly Calibration[] }
  | { readonly kind: 'drill'; readonly file: string; readonly report: DrillReport };

/** The files looked for in a directory, in order. */
export const REPORT_SOURCES = ['plan.json', 'validation-scenario.json', 'validation.json', 'drill.json'] as const;

const EXPECTED = 'plan.json (format headroom-plan/2), validation.json, validation-scenario.json or drill.json';

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw inputError(file, `cannot read the file (expected ${EXPECTED})`, 'FILE_NOT_FOUND');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    // V8's message quotes the start of the text, newlines and all: keep the error on one line.
    const why = (e as Error).message.replace(/, ".*is not valid JSON$/s, '').replace(/\s+/g, ' ');
    throw inputError(file, `not valid JSON (${why})`);
  }
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Which saved result a parsed JSON document is, by its shape; the error names the file and what was expected. */
export function classify(file: string, doc: unknown): 'plan' | 'validation' | 'validation-scenario' | 'drill' {
  if (isObject(doc)) {
    if (doc.format === 'headroom-plan/2') {
      if (!Array.isArray(doc.variants) || !Array.isArray(doc.periods) || doc.variants.length === 0 || doc.periods.length === 0) throw inputError(file, 'a plan with no variants or no periods');
      return 'plan';
    }
    if (Array.isArray(doc.steps) && isObject(doc.knee) && isObject(doc.criteria)) return 'validation';
    if (Array.isArray(doc.endpoints) && isObject(doc.verdict)) return 'validation-scenario';
    if (doc.kind === 'headroom-drill') {
      if (doc.version !== 1) throw inputError(`${file} version`, `expected 1 (a drill.json this headroom writes), got ${JSON.stringify(doc.version)}`);
      if (!Array.isArray(doc.timeline) || doc.timeline.length === 0 || !isObject(doc.verdict) || !isObject(doc.drill)) throw inputError(file, 'a drill.json with no timeline or no verdict');
      return 'drill';
    }
    // Version 1 dated only the SLO edge; the page reads the dates per rule that version 2 added.
    if (doc.format === 'headroom-plan/1') throw inputError(`${file} format`, 'expected headroom-plan/2, got "headroom-plan/1" (written by an older headroom, before dates per rule): run headroom plan again');
    if (typeof doc.format === 'string') throw inputError(`${file} format`, `expected headroom-plan/2, got "${doc.format}"`);
  }
  throw inputError(file, `expected ${EXPECTED}`);
}

/**
 * Read the saved result at `path`: a file, or a directory holding plan.json, validation-scenario.json,
 * validation.json or drill.json (the first found). Read when present beside it: forecast.json for a plan; calibration.json (what
 * `headroom calibrate --json` prints) for a validation.
 */
export async function readReportInput(path: string): Promise<ReportInput> {
  let file = path;
  const st = await stat(path).catch(() => undefined);
  if (st === undefined) throw inputError(path, `no such file or directory (expected a directory from --out, or ${EXPECTED})`, 'FILE_NOT_FOUND');
  if (st.isDirectory()) {
    let found: string | undefined;
    for (const name of REPORT_SOURCES) {
      const candidate = join(path, name);
      if (await stat(candidate).then((s) => s.isFile(), () => false)) {
        found = candidate;
        break;
      }
    }
    if (found === undefined) throw inputError(path, `the directory holds none of ${REPORT_SOURCES.join(', ')}`, 'FILE_NOT_FOUND');
    file = found;
  }
  const doc = await readJson(file);
  const kind = classify(file, doc);
  if (kind === 'plan') {
    const fcFile = join(dirname(file), 'forecast.json');
    const fc = (await stat(fcFile).then((s) => s.isFile(), () => false)) ? await readJson(fcFile) : undefined;
    const forecasts = isObject(fc) && fc.format === 'headroom-forecast/1' && Array.isArray(fc.drivers) ? (fc as unknown as PlanForecasts) : undefined;
    return { kind, file, plan: doc as CapacityPlan, forecasts };
  }
  if (kind === 'drill') return { kind, file, report: doc as unknown as DrillReport };
  const calFile = join(dirname(file), 'calibration.json');
  const cal = (await stat(calFile).then((s) => s.isFile(), () => false)) ? await readJson(calFile) : undefined;
  const calibrations = isObject(cal) && Array.isArray(cal.calibrations) ? (cal.calibrations as Calibration[]) : [];
  if (kind === 'validation') return { kind, file, report: doc as ValidationReport, calibrations };
  return { kind, file, report: doc as ScenarioReport, calibrations };
}
