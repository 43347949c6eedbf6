import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { lazyRequire } from '../lazy-require.js';
import type { FaultAction } from '../model/drill.js';

const undici = lazyRequire<typeof import('undici')>('undici');

/** What running one step (apply or rollback) of a fault action did: its exit status or HTTP status, and its output. */
export interface StepRecord {
  /** What ran, for people: `POST http://127.0.0.1:8080/_fault {"workersDown":2}` or `docker stop web`. */
  readonly what: string;
  readonly ok: boolean;
  /** Exit code of a command (null when it was killed or did not start), or the HTTP status of a fault-control call. */
  readonly status: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  /** The first 4 KB of its standard output and error (a command), or the answer's body (fault control). */
  readonly output: string;
  /** Why it failed, in words, when it did. */
  readonly error: string | null;
  /** Seconds since the drill's start when it began, and how long it took. */
  readonly startedAt: number;
  readonly seconds: number;
}

/** How to undo an action, as written in the state file: enough to roll back from another process. */
export type RollbackPlan =
  | { readonly kind: 'demo'; readonly controlUrl: string }
  | { readonly kind: 'command'; readonly rollback: readonly string[]; readonly timeout: number; readonly cwd: string };

export function rollbackPlanOf(action: FaultAction, cwd: string): RollbackPlan {
  return action.kind === 'demo'
    ? { kind: 'demo', controlUrl: action.controlUrl.toString() }
    : { kind: 'command', rollback: action.rollback, timeout: action.timeout, cwd };
}

const OUTPUT_LIMIT = 4096;

/** Apply one action: POST to serve-demo's fault control, or run the command. `clock()` is seconds since the drill's start. */
export async function applyAction(action: FaultAction, cwd: string, clock: () => number): Promise<StepRecord> {
  if (action.kind === 'demo') {
    const e = action.effect;
    const body: Record<string, unknown> = {};
    if (e.workersDown > 0) body.workersDown = e.workersDown;
    if (e.slowdown !== 1) body.slowdown = e.slowdown;
    if (e.errorShare > 0) body.errorShare = e.errorShare;
    if (e.pause) body.pause = true;
    body.ttl = action.ttl;
    return httpStep('POST', action.controlUrl.toString(), JSON.stringify(body), clock);
  }
  return runCommand(action.run, action.timeout, cwd, clock);
}

/** Undo one action, from its rollback plan (the same code path as a rollback from a state file). */
export async function rollBack(plan: RollbackPlan, clock: () => number): Promise<StepRecord> {
  if (plan.kind === 'demo') return httpStep('DELETE', plan.controlUrl, undefined, clock);
  return runCommand(plan.rollback, plan.timeout, plan.cwd, clock);
}

async function httpStep(method: 'POST' | 'DELETE', url: string, body: string | undefined, clock: () => number): Promise<StepRecord> {
  const startedAt = clock();
  const t = performance.now();
  const what = `${method} ${url}${body ? ` ${body}` : ''}`;
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), 5000);
  try {
    const res = await undici().request(url, { method, body: body ?? null, headers: { 'content-type': 'application/json' }, signal: ac.signal });
    const text = (await res.body.text()).slice(0, OUTPUT_LIMIT).trim();
    const ok = res.statusCode === 200;
    return { what, ok, status: res.statusCode, signal: null, timedOut: false, output: text, error: ok ? null : `fault control answered ${res.statusCode}: ${text}`, startedAt, seconds: (performance.now() - t) / 1000 };
  } catch (e) {
    const timedOut = ac.signal.aborted;
    const msg = timedOut ? 'no answer within 5 s' : `cannot reach fault control: ${e instanceof Error ? e.message : String(e)}`;
    return { what, ok: false, status: null, signal: null, timedOut, output: '', error: msg, startedAt, seconds: (performance.now() - t) / 1000 };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Run a command without a shell, bounded by `timeoutSeconds`: SIGTERM to its process group when it passes, SIGKILL 2 s
 * later. Succeeds
 * when it exits with status 0. Its output (stdout and stderr together, the first 4 KB) is kept for the report.
 */
export function runCommand(argv: readonly string[], timeoutSeconds: number, cwd: string, clock: () => number): Promise<StepRecord> {
  const startedAt = clock();
  const t = performance.now();
  const what = argv.join(' ');
  return new Promise<StepRecord>((resolve) => {
    let output = '';
    let timedOut = false;
    let settled = false;
    // Its own process group, so a timeout stops what it started too (`sh -c "...; sleep 60"` leaves no sleeper
    // holding the output pipe), and a Ctrl-C meant for the drill does not kill a rollback half-way.
    const child = spawn(argv[0]!, argv.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const killGroup = (sig: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, sig);
      } catch {
        child.kill(sig);
      }
    };
    const keep = (d: Buffer): void => {
      if (output.length < OUTPUT_LIMIT) output += d.toString().slice(0, OUTPUT_LIMIT - output.length);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), 2000);
    }, timeoutSeconds * 1000);
    const settle = (status: number | null, signal: string | null, spawnError: string | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      const ok = spawnError === null && !timedOut && status === 0;
      const error = spawnError ?? (timedOut ? `did not finish within ${timeoutSeconds} s (stopped)` : status !== 0 ? (signal ? `killed by ${signal}` : `exit status ${status}`) : null);
      resolve({ what, ok, status, signal, timedOut, output: output.trim(), error, startedAt, seconds: (performance.now() - t) / 1000 });
    };
    child.once('error', (e: NodeJS.ErrnoException) => settle(null, null, `cannot run ${argv[0]}: ${e.code ?? e.message}`));
    child.once('close', (code, signal) => settle(code, signal, null));
    // A grandchild that outlives the command may keep its output pipe open: settle 1 s after the exit regardless.
    child.once('exit', (code, signal) => setTimeout(() => settle(code, signal, null), 1000).unref());
  });
}
