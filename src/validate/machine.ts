import { availableParallelism, cpus, loadavg } from 'node:os';

/** How busy this machine was with other work just before a validation run. */
export interface MachineState {
  readonly cores: number;
  /** 1-minute load average (runnable threads, all processes). */
  readonly loadAverage: number;
  /** Share of all cores' time, over the sample, spent by processes other than this one (0..1). */
  readonly busyOthers: number;
  /** Length of the sample, seconds. */
  readonly sampleSeconds: number;
}

/** CPU time of all processes on this machine so far, milliseconds summed over cores: busy and busy + idle. */
export function cpuTotals(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const c of cpus()) {
    const t = c.times;
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busy, total }; // milliseconds summed over cores
}

/**
 * Sample the machine for `seconds` with nothing sent: the CPU time all processes used (os.cpus()) minus this
 * process's own (process.cpuUsage()), as a share of the cores' time. A load test on a machine that is already busy
 * measures the neighbours as much as the target, and the report should say so.
 */
export async function sampleMachine(seconds = 0.5): Promise<MachineState> {
  const a = cpuTotals();
  const own0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const b = cpuTotals();
  const own = process.cpuUsage(own0);
  const total = b.total - a.total;
  const others = b.busy - a.busy - (own.user + own.system) / 1000;
  return {
    cores: availableParallelism(),
    loadAverage: loadavg()[0] ?? 0,
    busyOthers: total > 0 ? Math.min(1, Math.max(0, others / total)) : 0,
    sampleSeconds: seconds,
  };
}

/**
 * The warning for a busy machine: other work took more than `threshold` (default 25%) of the cores just before the
 * run. Null when the machine was quiet enough.
 */
export function busyMachineWarning(m: MachineState, threshold = 0.25): string | null {
  if (m.busyOthers <= threshold) return null;
  return (
    `other work kept ${(m.busyOthers * 100).toFixed(0)}% of this machine's ${m.cores} cores busy just before the run ` +
    `(1-minute load average ${m.loadAverage.toFixed(1)}): the generator and a local target compete with it, so latencies ` +
    `and the knee are pessimistic; rerun on a quiet machine for figures to keep`
  );
}

/**
 * A step's machine is saturated when all processes together kept at least this share of every core busy: the
 * generator, a local target and the neighbours then wait for each other's CPU, and the step's latencies measure the
 * machine as much as the service.
 */
export const SATURATED_MACHINE_SHARE = 0.9;

/** Share of all cores' time (0..1) that every process used between two `cpuTotals()` readings. */
export function busyShareBetween(a: { busy: number; total: number }, b: { busy: number; total: number }): number {
  const total = b.total - a.total;
  return total > 0 ? Math.min(1, Math.max(0, (b.busy - a.busy) / total)) : 0;
}

/**
 * The warning for steps that ran on a saturated machine (SATURATED_MACHINE_SHARE), naming their rates and the
 * generator's own CPU per request. Null when no step did.
 */
export function saturatedStepsWarning(
  steps: ReadonlyArray<{ readonly offeredRate: number; readonly machineBusyShare?: number; readonly generatorCpuMsPerRequest?: number }>,
  cores: number,
): string | null {
  const hot = steps.filter((s) => (s.machineBusyShare ?? 0) >= SATURATED_MACHINE_SHARE);
  if (hot.length === 0) return null;
  const rates = hot.map((s) => `${s.offeredRate}`).join(', ');
  const busiest = Math.max(...hot.map((s) => s.machineBusyShare ?? 0));
  const cpu = hot.map((s) => s.generatorCpuMsPerRequest).filter((x): x is number => x !== undefined && Number.isFinite(x));
  const gen = cpu.length > 0 ? `; the generator itself used ${Math.min(...cpu).toFixed(2)}–${Math.max(...cpu).toFixed(2)} ms of CPU per request` : '';
  return (
    `the machine's ${cores} cores were up to ${(busiest * 100).toFixed(0)}% busy during the steps at ${rates}/s${gen}: ` +
    `generator, target and other work waited for each other's CPU, so those steps' latencies measure the machine as much as the service`
  );
}
