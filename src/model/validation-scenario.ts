import type { ResourceModel } from './resource-model.js';

/** A validation scenario (scenarios/validate-*.yaml) resolved: which endpoints to load-test and which model service each one checks. */
/** One endpoint, resolved: its URL, body text and the knee criteria that apply to it. */
export interface ScenarioEndpoint {
  readonly name: string;
  readonly url: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly service: string | undefined;
  readonly nodes: number;
  readonly rates: readonly number[] | undefined;
  readonly concurrency: readonly number[] | undefined;
  readonly stepSeconds: number | undefined;
  /** p99 SLO of the knee, seconds (endpoint, else scenario; undefined = the command's default). */
  readonly sloP99: number | undefined;
  readonly maxErrors: number | undefined;
  readonly tolerance: number | undefined;
}

export interface ValidationScenario {
  /** The scenario file as shown in messages (relative to the working directory). */
  readonly file: string;
  readonly name: string | undefined;
  readonly description: string | undefined;
  /** The model file as shown in messages and recorded in validation.json (relative to the working directory). */
  readonly modelPath: string | undefined;
  readonly model: ResourceModel | undefined;
  readonly warmup: number | undefined;
  readonly arrivals: 'poisson' | 'uniform' | undefined;
  readonly endpoints: readonly ScenarioEndpoint[];
}
