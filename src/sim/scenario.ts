import type { SimSpec } from './types.js';

/** A simulation scenario file compiled: the spec the simulator runs, how many replicas with which seed, and the SLO it is checked against. */
export interface SimulationScenario {
  /** The file as given (relative to the working directory when possible). */
  readonly file: string;
  readonly name: string | undefined;
  readonly description: string | undefined;
  readonly spec: SimSpec;
  readonly replicas: number;
  readonly seed: number;
  /** End-to-end latency objective: `latency` seconds for a `target` share of requests (a check only when target is set). */
  readonly slo: { readonly latency: number; readonly target: number | undefined } | undefined;
}

/** Run settings with their defaults: the scenario loader applies them and `headroom simulate --help` names them. */
export const SIMULATION_DEFAULTS = { replicas: 8, seed: 1, maxInFlight: 100_000 } as const;
