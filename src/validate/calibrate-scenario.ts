/**
 * Calibration of a validation scenario run (validation-scenario.json): every endpoint that measured a service of the
 * model calibrates that service, in the endpoints' order, each on the model as the previous one left it. Endpoints
 * that cannot calibrate anything are skipped with the reason.
 */
import { z } from 'zod';
import { parseYamlText } from '../config/load.js';
import { resourceModelSchema } from '../config/model.js';
import { type ResourceModel } from '../model/resource-model.js';
import { calibrateModel, validationInputSchema, type Calibration } from './calibrate.js';
import { pickService } from './predict.js';

/** The parts of validation-scenario.json that calibration reads: each endpoint's report is a validation.json. */
export const scenarioRunInputSchema = z.object({
  scenario: z.string(),
  modelPath: z.string().nullable().default(null),
  endpoints: z.array(z.object({ name: z.string(), service: z.string().nullable().default(null), report: validationInputSchema.nullable() })),
});
export type ScenarioRunInput = z.output<typeof scenarioRunInputSchema>;

/** An endpoint that calibrated nothing, and why. */
export interface SkippedEndpoint {
  readonly endpoint: string;
  readonly why: string;
}

/**
 * Calibrate each service measured by the run's endpoints, once: the first endpoint that measured a service below its
 * knee calibrates it; an endpoint without a measurement, without a model service, on a path through several services
 * (calibration fits one service at a time), without a step at or below a knee, or for a service already calibrated is
 * skipped. Returns the calibrations in order, the skipped endpoints and the text of the model after all of them.
 * `note(url, endpoint)` is the comment each calibration writes into the model.
 */
export async function calibrateScenarioRun(options: {
  readonly run: ScenarioRunInput;
  readonly model: ResourceModel;
  readonly modelText: string;
  readonly modelPath: string;
  readonly tolerance: number;
  readonly seed: number;
  readonly note: (url: string, endpoint: string) => string;
}): Promise<{ calibrations: Calibration[]; skipped: SkippedEndpoint[]; modelText: string }> {
  const { run, modelPath, tolerance, seed } = options;
  let { model, modelText } = options;
  const done: Calibration[] = [];
  const skipped: SkippedEndpoint[] = [];
  const seen = new Map<string, string>();
  for (const e of run.endpoints) {
    const v = e.report;
    const name = v?.prediction?.service ?? e.service;
    if (!v) skipped.push({ endpoint: e.name, why: 'no measurement (every request failed)' });
    else if (!v.prediction || name === null || name === undefined) skipped.push({ endpoint: e.name, why: 'not checked against a model service' });
    else if (name.includes(',')) skipped.push({ endpoint: e.name, why: `a path through ${name}: calibrate fits one service at a time` });
    else if (v.knee.rate === null) skipped.push({ endpoint: e.name, why: 'no step at or below a knee to calibrate from' });
    else if (seen.has(name)) skipped.push({ endpoint: e.name, why: `service ${name} was calibrated from endpoint ${seen.get(name)}` });
    else {
      const service = pickService(model, new URL(v.url), name, modelPath);
      const c = await calibrateModel({ validation: v, model, modelText, modelPath, service, nodes: v.prediction.nodes, tolerance, seed, note: options.note(v.url, e.name) });
      done.push(c);
      seen.set(name, e.name);
      // The next endpoint calibrates the model as this one left it.
      modelText = c.yaml;
      model = parseYamlText(modelText, modelPath, resourceModelSchema);
    }
  }
  return { calibrations: done, skipped, modelText };
}
