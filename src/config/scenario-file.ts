import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { displayPath } from '../paths.js';
import { readConfigText } from './load.js';
import { loadResourceModel } from './model.js';
import { type ResourceModel } from '../model/resource-model.js';

/** A scenario file's text and the resource model its `model:` field names, read before the scenario is validated. */
export interface ScenarioFile {
  readonly text: string;
  /** The scenario as shown in messages (relative to the working directory). */
  readonly file: string;
  /** Its directory: relative paths in it (model, history, bodies) resolve from here. */
  readonly dir: string;
  /** The model, when `model:` names a file that exists (a model with errors throws its own file:line message). */
  readonly model: ResourceModel | undefined;
  /** The model file as shown in messages, or undefined when the scenario names none. */
  readonly modelFile: string | undefined;
}

/**
 * Read a scenario file and load the model it names first, so that the scenario's schema can check its fields against
 * the model (services that exist, node types with prices). A YAML error is left to the schema pass, which reports it
 * with its line; a missing model file is left to the caller, which reports it as the scenario's `model` field.
 */
export async function readScenarioFile(path: string, cwd: string): Promise<ScenarioFile> {
  const abs = resolve(cwd, path);
  const file = displayPath(abs, cwd);
  const text = await readConfigText(abs, file);
  const dir = dirname(abs);
  let modelPath: unknown;
  try {
    modelPath = (parseYaml(text) as { model?: unknown } | null)?.model;
  } catch {
    modelPath = undefined;
  }
  let model: ResourceModel | undefined;
  let modelFile: string | undefined;
  if (typeof modelPath === 'string' && modelPath !== '') {
    const modelAbs = resolve(dir, modelPath);
    modelFile = displayPath(modelAbs, cwd);
    if (existsSync(modelAbs)) model = await loadResourceModel(modelAbs, { cwd });
  }
  return { text, file, dir, model, modelFile };
}
