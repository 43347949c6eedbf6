import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryContext } from '../../src/cli/context.js';
import { startDemo, type RunningDemo } from '../helpers/demo-server.js';

/**
 * The validation acceptance, against the real serve-demo on 127.0.0.1: `/cpu?ms=5` on one worker thread has a
 * theoretical capacity of 200/s. `validate --model models/serve-demo.yaml` must find a knee within 15% of the model's
 * predicted knee and a saturation throughput within 10% of 200/s, and `calibrate` must produce a model whose
 * re-simulation predicts p50 and p99 within 20% at each step below the knee (the knee step is
 * shown, not held to it: see src/validate/compare.ts). The independent truth is the
 * server's configuration (200/s).
 *
 * Steps are 6 s (+1 s warm-up) and the two lowest at 80 and 95/s (40% and 48% utilisation): calibration fits the
 * service time to the steps under 50%, and a short step at a very low rate puts two or three requests above its p99,
 * which let the fitted cv, and with it the prediction at 150/s, wander by ±20% between runs (one CI run of many
 * failed at 3 s steps). Three quiet runs at these settings: knee 170/s as predicted, worst calibration error 4.8%,
 * 7.5% and 8.7%.
 * This is a measurement of a real server on 2 cores shared with the generator and the test runner: other work on the
 * machine (a CI neighbour, a CPU hog) takes the core the server's thread needs, and then lowers the measured
 * saturation and every calibrated figure (with a hog beside the suite: 97-178/s instead of 200). validate measures
 * how busy the cores were in each step; a run it calls saturated is repeated (ATTEMPTS in all), and when every run is,
 * the test holds validate to saying so instead of to the capacity.
 */
const ATTEMPTS = 3;
describe('validate + calibrate against serve-demo /cpu?ms=5 (capacity 200/s)', () => {
  let demo: RunningDemo;
  let dir: string;
  beforeAll(async () => {
    // Long enough for a retry (the demo stops itself after --duration).
    demo = await startDemo(['--workers', '1', '--duration', '400']);
    dir = await mkdtemp(join(tmpdir(), 'headroom-validate-'));
  });
  afterAll(async () => {
    await demo.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('finds the knee the model predicts, the saturation at the configured capacity, and calibrates within 20%', { timeout: 400_000 }, async () => {
    // Up to ATTEMPTS runs while the machine is saturated (validate's own per-step measure, checked against the load
    // average here); a run on a machine that could give the target its core is held to everything below.
    let attempt = 0;
    let ctx = memoryContext();
    let code = 0;
    let report: any;
    for (;;) {
      attempt++;
      ctx = memoryContext();
      code = await run(
        [
          'validate', '--url', `${demo.url}/cpu?ms=5`, '--model', 'models/serve-demo.yaml',
          '--rates', '80,95,150,170,185,200,230', '--step-seconds', '6', '--concurrency', '1,2,4',
          '--sweep-seconds', '1', '--ceiling-seconds', '1', '--replicas', '2', '--out', dir, '--json',
        ],
        ctx,
      );
      report = JSON.parse(ctx.out());
      const contended = report.warnings.some((w: string) => w.startsWith("the machine's"));
      if (!contended || (code === 0 && report.saturationReached && Math.abs(report.saturationThroughput - 200) / 200 <= 0.1)) break;
      // Saturated cores: the run cannot tell the service's capacity from the machine's, and validate must say so.
      const busiest = Math.max(...report.steps.map((s: { machineBusyShare: number }) => s.machineBusyShare));
      expect(busiest).toBeGreaterThanOrEqual(0.9);
      if (code !== 0) expect(report.verdict.message).toMatch(/not to be trusted until rerun on a quiet one$/);
      if (attempt === ATTEMPTS) {
        // Every attempt ran on saturated cores (a CPU hog beside the suite): what can be held is that validate said
        // so, and that the machine was indeed that busy by the kernel's own count.
        expect(loadavg()[0]!, `validate called ${(busiest * 100).toFixed(0)}% of the cores busy`).toBeGreaterThan(0.75 * availableParallelism());
        console.warn(`acceptance: ${ATTEMPTS} runs on saturated cores (load average ${loadavg()[0]!.toFixed(1)}); capacity not checked, validate said so`);
        return;
      }
      await new Promise((r) => setTimeout(r, 5_000));
    }
    // The written file is the same document as stdout.
    expect(JSON.parse(await readFile(join(dir, 'validation.json'), 'utf8'))).toEqual(report);
    // The output contract.
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['url', 'steps', 'knee', 'saturationThroughput', 'usl', 'generatorCeiling', 'prediction']));
    for (const s of report.steps) {
      expect(Object.keys(s)).toEqual(expect.arrayContaining(['offeredRate', 'achievedRate', 'p50', 'p90', 'p99', 'max', 'errors', 'timeouts']));
    }
    expect(report.usl).toMatchObject({ lambda: expect.any(Number), sigma: expect.any(Number), kappa: expect.any(Number), r2: expect.any(Number) });
    expect(report.generatorCeiling).toBeGreaterThan(1000);

    const c = report.prediction.comparison;
    // On failure, say what was measured (a loaded machine is the usual reason).
    const seen = report.steps
      .map((s: { offeredRate: number; achievedRate: number; p50: number; p99: number }) => `${s.offeredRate}/s→${s.achievedRate.toFixed(0)}/s p50 ${(s.p50 * 1e3).toFixed(1)} p99 ${(s.p99 * 1e3).toFixed(1)} ms`)
      .join('; ');
    const why = `measured: ${seen}; knee ${report.knee.rate} predicted ${c.predictedKnee.rate}; saturation ${report.saturationThroughput}`;
    expect(report.prediction.capacity).toBe(200);
    expect(report.knee.rate, why).not.toBeNull();
    expect(c.predictedKnee.rate, why).not.toBeNull();
    expect(Math.abs(report.knee.rate - c.predictedKnee.rate) / c.predictedKnee.rate, why).toBeLessThanOrEqual(0.15);
    expect(code, why).toBe(0);
    expect(report.saturationReached, why).toBe(true);
    expect(Math.abs(report.saturationThroughput - 200) / 200, why).toBeLessThanOrEqual(0.1);

    const cal = memoryContext();
    const calCode = await run(['calibrate', join(dir, 'validation.json'), '--out', join(dir, 'calibrated.yaml'), '--json'], cal);
    const result = JSON.parse(cal.out());
    expect(result.check.steps.filter((s: { checked: boolean }) => s.checked).length).toBeGreaterThanOrEqual(2);
    expect(result.check.worstAbsError, JSON.stringify(result.check.steps)).toBeLessThanOrEqual(0.2);
    expect(calCode).toBe(0);
    const yaml = await readFile(join(dir, 'calibrated.yaml'), 'utf8');
    expect(yaml).toMatch(/serviceTime: \{ distribution: gamma, mean: [\d.]+ms, cv: [\d.]+ \}/);
  });
});
