import type { ClientPolicy, ResourceModel, ServiceModel } from './resource-model.js';

/**
 * A failure drill (`headroom drill drills/x.yaml`), resolved: the endpoint under steady open-model load, the model of
 * what serves it, the fault to inject with its rollback, what the team expects (the hypothesis) and when to stop
 * early. Times are seconds from the start of the load, rates requests/s, shares fractions in [0, 1].
 */

/**
 * What a fault does, in the simulator's terms (the prediction injects the same thing at the same time):
 * `workersDown` workers of the first node stop taking work, `nodesDown` whole nodes are lost (with the requests they
 * hold), `slowdown` multiplies every service time, `errorShare` of requests fail at once, `pause` stops every worker
 * (the simulator has no paused server: a pause is measured but not predicted).
 */
export interface FaultEffect {
  readonly workersDown: number;
  readonly nodesDown: number;
  readonly slowdown: number;
  readonly errorShare: number;
  readonly pause: boolean;
}

/** serve-demo's own fault control (`POST /_fault` on `controlUrl`, rolled back by `DELETE /_fault`). */
export interface DemoFaultAction {
  readonly kind: 'demo';
  /** The `/_fault` URL (default: the target's origin). */
  readonly controlUrl: URL;
  readonly effect: FaultEffect;
  /** Seconds after which serve-demo clears the fault by itself, should the drill die without rolling back. */
  readonly ttl: number;
}

/** A command run for real (no shell): `run` applies the fault, `rollback` undoes it; each bounded by `timeout`. */
export interface CommandFaultAction {
  readonly kind: 'command';
  readonly run: readonly string[];
  readonly rollback: readonly string[];
  readonly timeout: number;
  /** What it does in the model's terms, for the prediction; undefined = not predicted. */
  readonly effect: FaultEffect | undefined;
}

export type FaultAction = DemoFaultAction | CommandFaultAction;

export interface DrillTarget {
  readonly url: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

export interface Drill {
  /** The drill file as shown in messages. */
  readonly file: string;
  /** Its directory (absolute): commands run there, and relative paths resolve from it. */
  readonly dir: string;
  readonly name: string | undefined;
  readonly description: string | undefined;
  readonly target: DrillTarget;
  readonly model: ResourceModel;
  readonly modelPath: string;
  /** The services a request visits, in order (one, or a path). */
  readonly services: readonly ServiceModel[];
  readonly nodes: number;
  /** Workers per node of the first service (the model's, or the drill's override). */
  readonly workersPerNode: number;
  readonly ratePerSec: number;
  readonly arrivals: 'poisson' | 'uniform';
  readonly seed: number;
  /** The generator's client: per-attempt timeout and retries, the same policy the simulator's client follows. */
  readonly client: ClientPolicy;
  /** Whole drill, seconds. */
  readonly duration: number;
  /** Steady state judged over [1, baseline) (the first second is the start-up). */
  readonly baseline: number;
  readonly fault: {
    readonly at: number;
    readonly for: number;
    readonly actions: readonly FaultAction[];
  };
  readonly hypothesis: {
    /** p99 SLO, seconds. */
    readonly sloP99: number;
    /** Error budget: failed requests / requests, in each phase. */
    readonly maxErrors: number;
    /** Relative tolerance of the predicted peak p99. */
    readonly p99Tolerance: number;
    /** Absolute tolerance of the predicted error share during the fault (share points). */
    readonly errorTolerance: number;
    /** Absolute tolerance of the predicted recovery time, seconds. */
    readonly recoveryTolerance: number;
    /** Recovered: p99 back within this relative margin of the baseline p99 (and held for 3 s). */
    readonly recoveryMargin: number;
  };
  readonly abort: {
    /** Share of requests failing in a second. */
    readonly errors: number;
    /** p99 of a second, seconds. */
    readonly p99: number;
    /** For this many seconds in a row. */
    readonly for: number;
  };
  /** Simulator replicas of the prediction. */
  readonly replicas: number;
}
