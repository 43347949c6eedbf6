import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { checkFailed, inputError } from '../errors.js';
import type { Drill } from '../model/drill.js';
import { validateSpec } from '../sim/validate-spec.js';
import { preflight } from '../validate/preflight.js';
import { busyMachineWarning, sampleMachine, type MachineState } from '../validate/machine.js';
import type { ServiceCalibration } from './calibrate.js';
import { applyAction, rollBack, rollbackPlanOf, type RollbackPlan, type StepRecord } from './actions.js';
import { calibratedDrill } from './calibrate.js';
import { calibrationOf, checkFaultControl, demoBusy, waitDemoIdle, type DemoBusy } from './demo-control.js';
import { startDrillLoad, type MeasuredSecond } from './load.js';
import { checkDrillPlan, type DrillLimits } from './plan.js';
import { predictDrill } from './predict.js';
import { describeDrill, timelineRows, type CpuPerRequest, type DrillReport } from './report.js';
import { drillSimSpec } from './sim-spec.js';
import { pendingStates, processAlive, readState, removeState, rollBackState, stateFileName, writeState, type StateRollback } from './state.js';
import { judgeDrill } from './verdict.js';

export type { DrillReport, TimelineRow } from './report.js';

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
  const stuck = recovered.find((r) => !r.ok);
  if (stuck) {
    // A fault an earlier drill left may still be in force: a new drill on top of it would measure both.
    const why = stuck.steps.find((x) => !x.ok);
    throw checkFailed(`cannot roll back what an earlier drill (${stuck.drill}) left applied: ${why?.what ?? ''} failed (${why?.error ?? ''}); ${stuck.file} stays; not starting`);
  }
  await checkFaultControl(drill);
  const backlog = await waitDemoIdle(drill, 30, log);
  if (backlog > 0) throw inputError(`${drill.file}: target`, `serve-demo still has ${backlog} requests waiting for a thread after 30 s; a baseline on top of them would not be steady`);
  await preflight(drill.target, 5, `${drill.file}: target ${drill.target.url.toString()}`);
  // How busy the machine is before any load: a neighbour's work shows up as the target's latency.
  const machine = await sampleMachine();
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
    const warnings = drillWarnings(machine, calibration, cpu, drill.ratePerSec);
    const verdict = judgeDrill({ drill, measured: measured.seconds, measuredPhase: measured.phase, prediction, rollback: { ran: plans !== null, ok: rollbackOk }, aborted });
    return {
      kind: 'headroom-drill',
      version: 1,
      drill: describeDrill(drill),
      startedAt,
      recovered,
      prediction: { replicas: prediction.replicas, seed: prediction.seed, faultNotPredicted: prediction.faultNotPredicted, calibration, phases: prediction.phases },
      cpuPerRequest: cpu,
      machine,
      warnings,
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

/**
 * What the report must say before its verdict when the measurement is not to be trusted as it stands: a machine busy
 * with other work, a target that delivered a service time far from the model's (the machine slows it; the prediction
 * used the measured one), and a drill whose own generator and target take a large share of the cores.
 */
export function drillWarnings(machine: MachineState, calibration: ServiceCalibration | null, cpu: CpuPerRequest, ratePerSec: number): string[] {
  const out: string[] = [];
  if (busyMachineWarning(machine) !== null) {
    out.push(
      `other work kept ${(machine.busyOthers * 100).toFixed(0)}% of this machine's ${machine.cores} cores busy just before the drill (1-minute load average ${machine.loadAverage.toFixed(1)}): the target and the generator compete with it, so its figures are the neighbours' as much as the target's; rerun on a quiet machine for figures to keep`,
    );
  }
  if (calibration && Math.abs(calibration.scale - 1) > 0.05) {
    out.push(
      `serve-demo's threads held a task ${(calibration.measuredSeconds * 1000).toFixed(2)} ms on average during the baseline, where the model says ${(calibration.modelSeconds * 1000).toFixed(2)} ms (${((calibration.scale - 1) * 100).toFixed(0)}%): this machine slows the target; the prediction uses the measured figure`,
    );
  }
  const coreShare = ((cpu.generatorMs + (cpu.targetMs ?? 0)) * ratePerSec) / 1000;
  if (Number.isFinite(coreShare) && coreShare > 0.25 * machine.cores) {
    out.push(`the drill's own generator${cpu.targetMs !== null ? ' and target' : ''} used ${(coreShare * 100).toFixed(0)}% of a core at ${ratePerSec}/s, on ${machine.cores} cores`);
  }
  return out;
}

/** `headroom drill --rollback STATE`: undo what a drill's state file records. */
export async function rollBackStateFile(path: string, shown: string): Promise<StateRollback> {
  return rollBackState(path, shown);
}
