import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { checkFailed, HeadroomError, inputError } from '../errors.js';
import type { Drill, FaultEffect } from '../model/drill.js';
import { lazyRequire } from '../lazy-require.js';
import { preflight } from '../validate/preflight.js';
import { checkRemote } from '../validate/safety.js';
import { isLoopbackHost } from '../validate/ceiling.js';
import { applyAction, rollBack, rollbackPlanOf, type RollbackPlan, type StepRecord } from './actions.js';
import { startDrillLoad, type MeasuredSecond } from './load.js';
import { predictDrill, type DrillPrediction } from './predict.js';
import { calibratedDrill, meanServiceSeconds, type ServiceCalibration } from './calibrate.js';
import { drillSimSpec } from './sim-spec.js';
import { validateSpec } from '../sim/validate-spec.js';
import { pendingStates, processAlive, readState, removeState, rollBackState, stateFileName, writeState, type StateRollback } from './state.js';
import { judgeDrill, type DrillVerdict } from './verdict.js';

const undici = lazyRequire<typeof import('undici')>('undici');

/** Bounds of a drill, checked before anything is sent. */
export interface DrillLimits {
  /** Seconds. */
  readonly maxDuration: number;
  /** Requests the drill may send at most, retries included (rate × duration × (1 + retries)). */
  readonly maxRequests: number;
}

export const DEFAULT_DRILL_LIMITS: DrillLimits = { maxDuration: 600, maxRequests: 200_000 };

/** Share of the generator's measured ceiling a drill may offer: above it the timeline would measure the generator. */
export const CEILING_SHARE = 0.5;

/** What `runDrill` needs besides the drill: where state files go, the safety limits, the interrupt signal, a clock. */
export interface DrillRunOptions {
  readonly drill: Drill;
  /** Where state files live (written before the fault, removed after the rollback). */
  readonly stateDir: string;
  readonly allowRemote: boolean;
  readonly limits: DrillLimits;
  /** The generator's ceiling on this machine (requests/s), or null when not measured. */
  readonly generatorCeiling: number | null;
  /** Aborts the drill (Ctrl-C, SIGTERM): the fault is rolled back at once and the load stops. */
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((line: string) => void) | undefined;
  readonly now: () => Date;
}

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
  readonly applied: readonly StepRecord[];
  readonly rolledBack: readonly StepRecord[];
  readonly stateFile: string | null;
  readonly timeline: readonly TimelineRow[];
  readonly verdict: DrillVerdict;
}

/** Bad plans, refused before anything is sent: a remote target without consent, too long, too many requests, too fast for the generator. */
export function checkDrillPlan(drill: Drill, o: Pick<DrillRunOptions, 'allowRemote' | 'limits' | 'generatorCeiling'>): void {
  checkRemote(drill.target.url, o.allowRemote, `${drill.file}: target`);
  drill.fault.actions.forEach((a, i) => {
    // serve-demo answers its fault control only to clients on its own machine, so a remote one could never be undone.
    if (a.kind === 'demo' && !isLoopbackHost(a.controlUrl.hostname)) {
      throw inputError(`${drill.file}: fault.actions[${i}]`, `serve-demo's fault control answers only on this machine; ${a.controlUrl.host} is not (a remote target needs a command action)`);
    }
  });
  if (drill.duration > o.limits.maxDuration) {
    throw inputError(`${drill.file}: duration`, `the drill takes ${drill.duration} s, above --max-duration ${o.limits.maxDuration} s; shorten it or raise --max-duration`);
  }
  const attempts = 1 + (drill.client.retries?.max ?? 0);
  const requests = Math.ceil(drill.ratePerSec * drill.duration * attempts);
  if (requests > o.limits.maxRequests) {
    throw inputError(
      `${drill.file}: load.rate`,
      `the drill may send ${requests} requests (${drill.ratePerSec}/s for ${drill.duration} s, ${attempts} attempt${attempts === 1 ? '' : 's'} each at most), above --max-requests ${o.limits.maxRequests}`,
    );
  }
  if (o.generatorCeiling !== null && drill.ratePerSec > CEILING_SHARE * o.generatorCeiling) {
    throw inputError(
      `${drill.file}: load.rate`,
      `${drill.ratePerSec}/s is beyond what this machine's load generator can send faithfully (ceiling ${o.generatorCeiling.toFixed(0)}/s measured; a drill may offer at most ${(CEILING_SHARE * 100).toFixed(0)}% of it)`,
    );
  }
}

/**
 * Roll back what earlier drills left applied (their state files in `stateDir`), before a new drill starts. A state
 * file whose drill is still running (its process is alive) is refused: two drills must not overlap.
 */
export async function recoverPendingDrills(stateDir: string): Promise<StateRollback[]> {
  const out: StateRollback[] = [];
  for (const file of await pendingStates(stateDir)) {
    const s = await readState(file);
    if (s.pid !== process.pid && processAlive(s.pid)) {
      throw inputError(file, `another drill (${s.drill}, pid ${s.pid}) is in progress; wait for it, or stop it and run headroom drill --rollback ${file}`);
    }
    out.push(await rollBackState(file));
  }
  return out;
}

/** serve-demo's fault control must answer before any load, or the fault could not be applied (nor rolled back). */
async function checkFaultControl(drill: Drill): Promise<void> {
  for (const a of drill.fault.actions) {
    if (a.kind !== 'demo') continue;
    const where = `${drill.file}: fault control ${a.controlUrl.toString()}`;
    try {
      const res = await undici().request(a.controlUrl, { method: 'GET', signal: AbortSignal.timeout(5000) });
      const text = (await res.body.text()).trim();
      if (res.statusCode !== 200) {
        let msg = text;
        try {
          msg = (JSON.parse(text) as { error?: string }).error ?? text;
        } catch {
          /* not JSON: the text as it is */
        }
        throw inputError(where, `answered ${res.statusCode}${msg ? `: ${msg}` : ''}`);
      }
    } catch (e) {
      if (e instanceof HeadroomError) throw e;
      throw inputError(where, `cannot reach it (${e instanceof Error ? e.message : String(e)})`, 'NETWORK');
    }
  }
}

/**
 * Run a drill: check the plan, roll back what earlier drills left, check that the target and the fault control
 * answer, predict the whole drill with the simulator, then run it for real: steady load from time 0, the fault
 * applied at `fault.at` (the state file written first) and rolled back at `fault.at + fault.for`, and the judgement.
 * The rollback runs on every path out once the state file is written: the end of the fault, an abort condition, a
 * failed fault action, an interrupt (`signal`), an error of the drill's own (the `finally`).
 */
export async function runDrill(o: DrillRunOptions): Promise<DrillReport> {
  const { drill } = o;
  const log = o.onProgress ?? (() => undefined);
  checkDrillPlan(drill, o);
  const recovered = await recoverPendingDrills(o.stateDir);
  for (const r of recovered) log(`rolled back what an earlier drill left applied (${r.file}): ${r.ok ? 'ok' : 'FAILED'}`);
  await checkFaultControl(drill);
  await preflight(drill.target, 5, `${drill.file}: target ${drill.target.url.toString()}`);
  // The simulation is checked now, so that a drill the simulator cannot express is refused before any load.
  validateSpec(drillSimSpec(drill, { stop: drill.duration, warmup: 0 }));
  if (o.signal?.aborted) throw checkFailed(`interrupted before the load started (${String(o.signal.reason ?? 'signal')})`);

  const startedAt = o.now().toISOString();
  const statePath = join(o.stateDir, stateFileName(drill.file, process.pid));
  const applied: StepRecord[] = [];
  const rolledBack: StepRecord[] = [];
  let plans: RollbackPlan[] | null = null; // set once the state file is written
  let rollbackPromise: Promise<void> | null = null;
  let applying: Promise<void> = Promise.resolve();
  let rollbackOk = true;
  let aborted: string | null = null;
  let clock = (): number => 0;
  let busyAtStart: Promise<DemoBusy | null> = Promise.resolve(null);
  let busyAtEnd: Promise<DemoBusy | null> = Promise.resolve(null);

  const rollbackNow = (): Promise<void> => {
    rollbackPromise ??= (async () => {
      // A fault being applied is let finish (each step is bounded by its timeout), so nothing is applied after the undo.
      await applying;
      if (plans === null) return;
      log(`t=${clock().toFixed(1)}s rolling back`);
      for (const plan of plans!) {
        const r = await rollBack(plan, clock);
        rolledBack.push(r);
        if (!r.ok) rollbackOk = false;
      }
      if (rollbackOk) await removeState(statePath);
      log(`t=${clock().toFixed(1)}s rollback ${rollbackOk ? 'done' : 'FAILED (the state file stays: headroom drill --rollback ' + statePath + ')'}`);
    })();
    return rollbackPromise;
  };

  const load = startDrillLoad({
    target: drill.target,
    ratePerSec: drill.ratePerSec,
    duration: drill.duration,
    arrivals: drill.arrivals,
    seed: drill.seed,
    client: drill.client,
    drainSeconds: 1,
    onSecond: (s) => {
      watch(s);
      // serve-demo's own account of its threads' busy time, at the start and the end of the baseline.
      if (s.t === 0) busyAtStart = demoBusy(drill);
      if (s.t === Math.floor(drill.baseline) - 1) busyAtEnd = demoBusy(drill);
    },
  });
  clock = () => (performance.now() - load.t0) / 1000;

  const stop = (reason: string): void => {
    if (aborted !== null) return;
    aborted = reason;
    log(`t=${clock().toFixed(1)}s stopping: ${reason}`);
    void rollbackNow();
    load.stop();
  };

  // Abort conditions: errors above a share, or p99 above a bound (or a request older than it), for `for` seconds in a row.
  let breached = 0;
  const watch = (s: MeasuredSecond): void => {
    const resolved = s.achieved + s.errors;
    const errShare = resolved > 0 ? s.errors / resolved : 0;
    // A second with no answer (p99 Infinity) breaches the latency bound only through its oldest request's age.
    const bad = errShare > drill.abort.errors || (Number.isFinite(s.p99) && s.p99 > drill.abort.p99) || s.oldestInFlight > drill.abort.p99;
    breached = bad ? breached + 1 : 0;
    if (breached >= Math.ceil(drill.abort.for)) {
      stop(`abort condition: for ${breached} s ${errShare > drill.abort.errors ? `errors ${(errShare * 100).toFixed(0)}% above ${(drill.abort.errors * 100).toFixed(0)}%` : `p99 above ${drill.abort.p99} s`}`);
    }
  };

  const onSignal = (): void => stop(`interrupted (${String(o.signal?.reason ?? 'signal')})`);
  o.signal?.addEventListener('abort', onSignal, { once: true });

  const timers: NodeJS.Timeout[] = [];
  const applyFault = async (): Promise<void> => {
    if (aborted !== null || rollbackPromise !== null) return;
    // The state file first: from here on, whatever happens to this process, the fault can be undone.
    const planned = [...drill.fault.actions].reverse().map((a) => rollbackPlanOf(a, drill.dir));
    await writeState(statePath, { version: 1, drill: drill.file, pid: process.pid, createdAt: o.now().toISOString(), rollbacks: planned });
    plans = planned;
    log(`t=${clock().toFixed(1)}s applying the fault`);
    for (const a of drill.fault.actions) {
      if (rollbackPromise !== null) return;
      const r = await applyAction(a, drill.dir, clock);
      applied.push(r);
      if (!r.ok) return stop(`the fault action "${r.what}" failed: ${r.error ?? 'unknown error'}`);
    }
  };
  try {
    if (o.signal?.aborted) onSignal();
    timers.push(
      setTimeout(() => {
        applying = applyFault().catch((e: unknown) => stop(`applying the fault failed: ${e instanceof Error ? e.message : String(e)}`));
      }, Math.max(0, load.t0 + drill.fault.at * 1000 - performance.now())),
    );
    timers.push(
      setTimeout(() => {
        // The end of the fault window: undo it (the apply may still be finishing a slow command; wait for it).
        void rollbackNow();
      }, Math.max(0, load.t0 + (drill.fault.at + drill.fault.for) * 1000 - performance.now())),
    );
    const measured = await load.done;
    for (const t of timers) clearTimeout(t);
    // A fault applied (or being applied) is always undone before judging.
    await rollbackNow();
    const [b0, b1] = [await busyAtStart, await busyAtEnd];
    const calibration = calibrationOf(drill, b0, b1);
    const cpu: CpuPerRequest = {
      generatorMs: measured.attempts > 0 ? measured.generatorCpuMs / measured.attempts : NaN,
      targetMs: b0?.cpuMs !== undefined && b1?.cpuMs !== undefined && b1.tasks > b0.tasks ? (b1.cpuMs - b0.cpuMs) / (b1.tasks - b0.tasks) : null,
    };
    log(
      `predicting the drill with the simulator (${drill.replicas} replicas, per second${calibration ? `; service time ${(calibration.measuredSeconds * 1000).toFixed(2)} ms as measured during the baseline, ${(calibration.modelSeconds * 1000).toFixed(2)} ms in the model` : ''})`,
    );
    const prediction = await predictDrill(calibration ? calibratedDrill(drill, calibration) : drill);
    const verdict = judgeDrill({ drill, measured: measured.seconds, measuredPhase: measured.phase, prediction, rollback: { ran: plans !== null, ok: rollbackOk }, aborted });
    return {
      kind: 'headroom-drill',
      version: 1,
      drill: describeDrill(drill),
      startedAt,
      recovered,
      prediction: { replicas: prediction.replicas, seed: prediction.seed, faultNotPredicted: prediction.faultNotPredicted, calibration, phases: prediction.phases },
      cpuPerRequest: cpu,
      applied,
      rolledBack,
      stateFile: plans !== null ? statePath : null,
      timeline: timelineRows(drill, measured.seconds, prediction),
      verdict,
    };
  } finally {
    for (const t of timers) clearTimeout(t);
    o.signal?.removeEventListener('abort', onSignal);
    load.stop();
    await rollbackNow();
  }

}

interface DemoBusy {
  readonly busyMs: number;
  readonly tasks: number;
  /** serve-demo's process CPU time, ms (undefined from an older serve-demo). */
  readonly cpuMs: number | undefined;
}

/** serve-demo's busy time and tasks (GET /_fault), for the first demo action; null when there is none or it fails. */
async function demoBusy(drill: Drill): Promise<DemoBusy | null> {
  const a = drill.fault.actions.find((x) => x.kind === 'demo');
  if (!a || a.kind !== 'demo') return null;
  try {
    const res = await undici().request(a.controlUrl, { method: 'GET', signal: AbortSignal.timeout(2000) });
    const j = (await res.body.json()) as Partial<DemoBusy>;
    return typeof j.busyMs === 'number' && typeof j.tasks === 'number' ? { busyMs: j.busyMs, tasks: j.tasks, cpuMs: typeof j.cpuMs === 'number' ? j.cpuMs : undefined } : null;
  } catch {
    return null;
  }
}

/** Calibration from two readings of the busy time (at least 50 tasks between them), or null. */
function calibrationOf(drill: Drill, a: DemoBusy | null, b: DemoBusy | null): ServiceCalibration | null {
  const model = meanServiceSeconds(drill.services[0]!);
  if (!a || !b || model === undefined || !(model > 0)) return null;
  const tasks = b.tasks - a.tasks;
  if (tasks < 50) return null;
  const measured = (b.busyMs - a.busyMs) / tasks / 1000;
  return { modelSeconds: model, measuredSeconds: measured, tasks, scale: measured / model };
}

function phaseOf(drill: Drill, t: number): TimelineRow['phase'] {
  if (t < drill.baseline) return 'baseline';
  if (t < drill.fault.at) return 'steady';
  if (t < drill.fault.at + drill.fault.for) return 'fault';
  return 'recovery';
}

function timelineRows(drill: Drill, measured: readonly MeasuredSecond[], prediction: DrillPrediction): TimelineRow[] {
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

function describeDrill(d: Drill): DrillReport['drill'] {
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

/** `headroom drill --rollback STATE`: undo what a drill's state file records. */
export async function rollBackStateFile(path: string, shown: string): Promise<StateRollback> {
  return rollBackState(path, shown);
}
