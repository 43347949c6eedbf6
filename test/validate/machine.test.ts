import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { busyMachineWarning, busyShareBetween, cpuTotals, sampleMachine, saturatedStepsWarning } from '../../src/validate/machine.js';

describe('the machine before a load test', () => {
  it('counts the CPU another process burns as other work (one spinning process: about one core)', async () => {
    const spinner = spawn(process.execPath, ['-e', 'const end = Date.now() + 20000; while (Date.now() < end) {}'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 300)); // past the spinner's start-up
      const m = await sampleMachine(0.6);
      expect(m.cores).toBeGreaterThanOrEqual(1);
      // One core of `cores` is busy with the spinner (a little less if the scheduler gave it less, more with neighbours).
      expect(m.busyOthers).toBeGreaterThan(0.7 / m.cores);
      expect(m.sampleSeconds).toBe(0.6);
    } finally {
      spinner.kill('SIGKILL');
    }
  });

  it('warns past 25% of the cores, naming the share, the cores and the load average', () => {
    expect(busyMachineWarning({ cores: 2, loadAverage: 0.3, busyOthers: 0.1, sampleSeconds: 0.5 })).toBeNull();
    expect(busyMachineWarning({ cores: 2, loadAverage: 2.6, busyOthers: 0.62, sampleSeconds: 0.5 })).toBe(
      "other work kept 62% of this machine's 2 cores busy just before the run (1-minute load average 2.6): the generator " +
        'and a local target compete with it, so latencies and the knee are pessimistic; rerun on a quiet machine for figures to keep',
    );
  });
});

describe('the machine during the steps', () => {
  it('measures the share of all cores every process kept busy between two readings (spinners on every core: near 1)', async () => {
    const cores = (await sampleMachine(0.05)).cores;
    const spinners = Array.from({ length: cores }, () =>
      spawn(process.execPath, ['-e', 'const end = Date.now() + 20000; while (Date.now() < end) {}'], { stdio: 'ignore' }),
    );
    try {
      await new Promise((r) => setTimeout(r, 300));
      const a = cpuTotals();
      await new Promise((r) => setTimeout(r, 600));
      expect(busyShareBetween(a, cpuTotals())).toBeGreaterThan(0.85);
    } finally {
      for (const s of spinners) s.kill('SIGKILL');
    }
    expect(busyShareBetween({ busy: 10, total: 100 }, { busy: 10, total: 100 })).toBe(0); // no time passed: no share, no NaN
  });

  it('names the steps that ran on a saturated machine and what the generator spent per request', () => {
    const steps = [
      { offeredRate: 50, machineBusyShare: 0.4, generatorCpuMsPerRequest: 0.5 },
      { offeredRate: 150, machineBusyShare: 0.93, generatorCpuMsPerRequest: 0.31 },
      { offeredRate: 185, machineBusyShare: 0.99, generatorCpuMsPerRequest: 0.28 },
      { offeredRate: 200 }, // a step saved by an older version: nothing known
    ];
    expect(saturatedStepsWarning(steps.slice(0, 1), 2)).toBeNull();
    expect(saturatedStepsWarning(steps, 2)).toBe(
      "the machine's 2 cores were up to 99% busy during the steps at 150, 185/s; the generator itself used 0.28–0.31 ms of CPU " +
        "per request: generator, target and other work waited for each other's CPU, so those steps' latencies measure the machine as much as the service",
    );
  });
});
