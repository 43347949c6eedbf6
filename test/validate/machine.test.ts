import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { busyMachineWarning, sampleMachine } from '../../src/validate/machine.js';

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
