import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { inputError } from '../errors.js';
import { writeFileAtomic } from '../write-atomic.js';
import { rollBack, type RollbackPlan, type StepRecord } from './actions.js';

/**
 * The state file of a drill in progress: written (atomically) BEFORE the fault is applied and removed once the
 * rollback has succeeded, so a drill killed in between (SIGKILL, a power cut) leaves a record of what to undo. The
 * next `headroom drill` run in the same state directory rolls every such file back before it starts, and
 * `headroom drill --rollback FILE` does it on demand. A rollback that fails leaves the file in place.
 */
export interface DrillState {
  readonly version: 1;
  /** The drill file as shown in messages. */
  readonly drill: string;
  readonly pid: number;
  /** ISO time the fault was about to be applied. */
  readonly createdAt: string;
  /** Rollbacks in the order to run them (the reverse of the order applied). */
  readonly rollbacks: readonly RollbackPlan[];
}

/** Default directory of state files, relative to the working directory. */
export { DEFAULT_STATE_DIR } from './defaults.js';

export function stateFileName(drillFile: string, pid: number): string {
  const base = drillFile.split(/[\\/]/).pop()!.replace(/\.ya?ml$/i, '');
  return `drill-${base}-${pid}.state.json`;
}

export async function writeState(path: string, state: DrillState): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(state, null, 2) + '\n');
}

export async function removeState(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** Read a state file; one line naming it when it is missing or not a drill state (exit 2). */
export async function readState(path: string, shown = path): Promise<DrillState> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw inputError(shown, code === 'ENOENT' ? 'no such state file' : `cannot read the state file (${code ?? String(e)})`, code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'INPUT_INVALID');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw inputError(shown, 'expected a drill state file (JSON), got text that is not JSON');
  }
  const s = raw as Partial<DrillState>;
  if (s === null || typeof s !== 'object' || s.version !== 1 || !Array.isArray(s.rollbacks) || typeof s.drill !== 'string') {
    throw inputError(shown, 'expected a drill state file (version 1, with rollbacks), got another JSON document');
  }
  return s as DrillState;
}

/** State files left in `dir` (by drills that did not finish), oldest name first; none when the directory is absent. */
export async function pendingStates(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.startsWith('drill-') && f.endsWith('.state.json')).sort().map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** True when a process with this id is running (a drill still in progress owns its state file). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface StateRollback {
  readonly file: string;
  readonly drill: string;
  readonly steps: readonly StepRecord[];
  readonly ok: boolean;
}

/**
 * Run every rollback of a state file (all of them, even after one fails) and remove the file when all succeeded.
 * Undoing is idempotent for the actions Headroom runs itself (DELETE /_fault); a command's rollback should be too.
 */
export async function rollBackState(path: string, shown = path): Promise<StateRollback> {
  const state = await readState(path, shown);
  const steps: StepRecord[] = [];
  for (const plan of state.rollbacks) steps.push(await rollBack(plan, () => 0));
  const ok = steps.every((s) => s.ok);
  if (ok) await removeState(path);
  return { file: shown, drill: state.drill, steps, ok };
}
