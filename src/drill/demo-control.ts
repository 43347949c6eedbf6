import { HeadroomError, inputError } from '../errors.js';
import { lazyRequire } from '../lazy-require.js';
import type { Drill } from '../model/drill.js';
import { meanServiceSeconds, type ServiceCalibration } from './calibrate.js';

const undici = lazyRequire<typeof import('undici')>('undici');

/** The drill's side of serve-demo's fault control (src/demo/fault-control.ts): is it there, and what did its threads do. */

/** serve-demo's fault control must answer before any load, or the fault could not be applied (nor rolled back). */
export async function checkFaultControl(drill: Drill): Promise<void> {
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

export interface DemoBusy {
  readonly busyMs: number;
  readonly tasks: number;
  /** serve-demo's process CPU time, ms (undefined from an older serve-demo). */
  readonly cpuMs: number | undefined;
}

/** serve-demo's busy time and tasks (GET /_fault), for the first demo action; null when there is none or it fails. */
export async function demoBusy(drill: Drill): Promise<DemoBusy | null> {
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
export function calibrationOf(drill: Drill, a: DemoBusy | null, b: DemoBusy | null): ServiceCalibration | null {
  const model = meanServiceSeconds(drill.services[0]!);
  if (!a || !b || model === undefined || !(model > 0)) return null;
  const tasks = b.tasks - a.tasks;
  if (tasks < 50) return null;
  const measured = (b.busyMs - a.busyMs) / tasks / 1000;
  return { modelSeconds: model, measuredSeconds: measured, tasks, scale: measured / model };
}

/**
 * Wait (up to `maxSeconds`) until serve-demo has no task waiting for a thread: after a drill whose clients gave up
 * (a retry storm), the threads still work through every abandoned request, and a new baseline measured on top of
 * that backlog would be neither steady nor the target's. Returns the tasks still waiting (0 when idle, or when
 * there is no demo action or it does not say).
 */
export async function waitDemoIdle(drill: Drill, maxSeconds: number, log: (line: string) => void): Promise<number> {
  const a = drill.fault.actions.find((x) => x.kind === 'demo');
  if (!a || a.kind !== 'demo') return 0;
  let said = false;
  for (let i = 0; ; i++) {
    let waiting = 0;
    try {
      const res = await undici().request(a.controlUrl, { method: 'GET', signal: AbortSignal.timeout(2000) });
      const j = (await res.body.json()) as { waiting?: unknown };
      waiting = typeof j.waiting === 'number' ? j.waiting : 0;
    } catch {
      return 0;
    }
    if (waiting === 0 || i >= maxSeconds * 4) return waiting;
    if (!said) log(`serve-demo still has ${waiting} requests waiting for a thread (from an earlier load); waiting for them to drain`);
    said = true;
    await new Promise((r) => setTimeout(r, 250));
  }
}
