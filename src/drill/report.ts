import type { Drill, FaultEffect } from '../model/drill.js';
import type { MachineState } from '../validate/machine.js';
import type { StepRecord } from './actions.js';
import type { ServiceCalibration } from './calibrate.js';
import type { MeasuredSecond } from './load.js';
import type { DrillPrediction } from './predict.js';
import type { StateRollback } from './state.js';
import type { DrillVerdict } from './verdict.js';

/** What a drill writes: `drill.json` (DrillReport) with its per-second timeline (TimelineRow, also timeline.csv). */

/** One second of the drill: what the generator measured (null past an early stop) and what the simulator predicted. */
export interface TimelineRow {
  readonly t: number;
  readonly phase: 'baseline' | 'steady' | 'fault' | 'recovery';
  readonly measured: Omit<MeasuredSecond, 't'> | null;
  readonly predicted: {
    readonly offered: number;
    readonly achieved: number;
    readonly p50: number;
    readonly p99: number;
    readonly p99Ci95: readonly [number, number];
    readonly errors: number;
    readonly timeouts: number;
    readonly retries: number;
    readonly inFlight: number;
  };
}

/**
 * CPU time per request, ms: the generator's (this process, over every attempt it sent) and, for serve-demo, the
 * target's (its whole process over the baseline's tasks). When both share the machine's cores, their sum times the
 * rate is the share of a core the drill itself costs, which the target's threads then cannot have.
 */
export interface CpuPerRequest {
  readonly generatorMs: number;
  readonly targetMs: number | null;
}

/** `drill.json`: the plan, both timelines, every fault action's status and output, and the verdict. */
export interface DrillReport {
  readonly kind: 'headroom-drill';
  readonly version: 1;
  readonly drill: {
    readonly file: string;
    readonly name: string | null;
    readonly target: string;
    readonly method: string;
    readonly model: string;
    readonly services: readonly string[];
    readonly nodes: number;
    readonly workersPerNode: number;
    readonly ratePerSec: number;
    readonly arrivals: string;
    readonly client: { readonly timeout: number | null; readonly retries: Drill['client']['retries'] | null };
    readonly duration: number;
    readonly baseline: number;
    readonly fault: { readonly at: number; readonly for: number; readonly actions: readonly string[] };
    readonly hypothesis: Drill['hypothesis'];
    readonly abort: Drill['abort'];
  };
  readonly startedAt: string;
  /** State files of earlier drills rolled back before this one started. */
  readonly recovered: readonly StateRollback[];
  readonly prediction: {
    readonly replicas: number;
    readonly seed: number;
    readonly faultNotPredicted: string | null;
    /** The service time measured during the baseline that the prediction used, or null (the model's as written). */
    readonly calibration: ServiceCalibration | null;
    readonly phases: DrillPrediction['phases'];
  };
  /** Where the machine's CPU went: milliseconds per request of the generator (this process) and of serve-demo. */
  readonly cpuPerRequest: CpuPerRequest;
  /** The machine just before the load: cores, load average, the share of the cores other work kept busy. */
  readonly machine: MachineState;
  /** Why the measurement may not be trusted as it stands (said before the verdict). */
  readonly warnings: readonly string[];
  readonly applied: readonly StepRecord[];
  readonly rolledBack: readonly StepRecord[];
  readonly stateFile: string | null;
  readonly timeline: readonly TimelineRow[];
  readonly verdict: DrillVerdict;
}

function phaseOf(drill: Drill, t: number): TimelineRow['phase'] {
  if (t < drill.baseline) return 'baseline';
  if (t < drill.fault.at) return 'steady';
  if (t < drill.fault.at + drill.fault.for) return 'fault';
  return 'recovery';
}

export function timelineRows(drill: Drill, measured: readonly MeasuredSecond[], prediction: DrillPrediction): TimelineRow[] {
  return prediction.seconds.map((p) => {
    const m = measured[p.t];
    const { t: _t, ...rest } = m ?? { t: 0 };
    void _t;
    return {
      t: p.t,
      phase: phaseOf(drill, p.t),
      measured: m ? (rest as Omit<MeasuredSecond, 't'>) : null,
      predicted: {
        offered: p.offered.mean,
        achieved: p.achieved.mean,
        p50: p.p50.median,
        p99: p.p99.median,
        p99Ci95: p.p99.ci95,
        errors: p.errors.mean,
        timeouts: p.timeouts.mean,
        retries: p.retries.mean,
        inFlight: p.inFlight.mean,
      },
    };
  });
}

export function describeDrill(d: Drill): DrillReport['drill'] {
  return {
    file: d.file,
    name: d.name ?? null,
    target: d.target.url.toString(),
    method: d.target.method,
    model: d.modelPath,
    services: d.services.map((s) => s.name),
    nodes: d.nodes,
    workersPerNode: d.workersPerNode,
    ratePerSec: d.ratePerSec,
    arrivals: d.arrivals,
    client: { timeout: d.client.timeout ?? null, retries: d.client.retries ?? null },
    duration: d.duration,
    baseline: d.baseline,
    fault: {
      at: d.fault.at,
      for: d.fault.for,
      actions: d.fault.actions.map((a) =>
        a.kind === 'command'
          ? `command: ${a.run.join(' ')} (rollback: ${a.rollback.join(' ')})${a.effect ? `, in the model: ${describeEffect(a.effect)}` : ''}`
          : `serve-demo: ${describeEffect(a.effect)}`,
      ),
    },
    hypothesis: d.hypothesis,
    abort: d.abort,
  };
}

/** A fault in words, its non-neutral parts only: "2 workers down, slowdown x3". */
export function describeEffect(e: FaultEffect): string {
  const parts: string[] = [];
  if (e.workersDown > 0) parts.push(`${e.workersDown} worker${e.workersDown === 1 ? '' : 's'} down`);
  if (e.nodesDown > 0) parts.push(`${e.nodesDown} node${e.nodesDown === 1 ? '' : 's'} down`);
  if (e.slowdown !== 1) parts.push(`slowdown x${e.slowdown}`);
  if (e.errorShare > 0) parts.push(`${(e.errorShare * 100).toFixed(1)}% of requests fail`);
  if (e.pause) parts.push('paused');
  return parts.length > 0 ? parts.join(', ') : 'nothing';
}
