import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryContext } from '../../src/cli/context.js';
import { startDemo, type RunningDemo } from '../helpers/demo-server.js';
import { demoFault } from './helpers.js';

const SCENARIO = join(import.meta.dirname, '../../scenarios/drill-demo.yaml');

/**
 * The bundled drill end to end against the real serve-demo (4 worker threads, /lock?ms=20&serial=0: 200/s; 120/s
 * offered; 2 threads out for 8 s). Independent truth for the prediction: with 2 threads the capacity is 100/s, so a
 * queue builds at 120 − 100 = 20/s for 8 s (fluid approximation: about 160 requests behind at the rollback, the last
 * of them waiting 160 / 100 = 1.6 s) and drains at 200 − 120 = 80/s (about 2 s); the test redoes that sum with the
 * requests really sent and the service time serve-demo measured. Measured against predicted: the tolerances are the
 * ones measured over repeated runs (README, "A failure drill").
 */
describe('headroom drill scenarios/drill-demo.yaml (the real serve-demo)', () => {
  let demo: RunningDemo;
  beforeAll(async () => {
    demo = await startDemo(['--workers', '4', '--fault-control']);
  });
  afterAll(async () => {
    await demo.stop();
  });

  it('measures the fault as the simulator predicted it, and rolls it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-drill-demo-'));
    const ctx = memoryContext({ env: process.env, cwd: dir });
    const code = await run(['drill', SCENARIO, '--base-url', demo.url, '--no-ceiling', '--state-dir', join(dir, 'state'), '--out', join(dir, 'out'), '--json'], ctx);
    const report = JSON.parse(ctx.out());
    const v = report.verdict;
    expect(v.rollback).toEqual({ ran: true, ok: true });
    expect(v.aborted).toBeNull();
    expect((await demoFault(demo.url)).fault).toEqual({ workersDown: 0, slowdown: 1, errorShare: 0, pause: false });

    // The prediction against the fluid approximation (independent of the simulator): over the fault the backlog
    // grows by the requests sent minus what two threads serve at the service time measured during the baseline.
    const s = report.prediction.calibration.measuredSeconds;
    expect(s).toBeGreaterThan(0.02);
    const sent = report.timeline.slice(10, 18).reduce((a: number, r: { measured: { offered: number } }) => a + r.measured.offered, 0);
    const fluid = sent - (8 * 2) / s;
    expect(report.timeline[17].predicted.inFlight / fluid).toBeGreaterThan(0.85);
    expect(report.timeline[17].predicted.inFlight / fluid).toBeLessThan(1.15);
    // The longest wait: a request arriving at a (into the fault) finds (λ − μ2)·a ahead, served at μ2 = 2 / s until the
    // rollback and at μ4 = 4 / s after it.
    const lambda = sent / 8;
    const [mu2, mu4] = [2 / s, 4 / s];
    let fluidPeak = 0;
    for (let a = 0; a <= 8; a += 0.01) {
      const ahead = (lambda - mu2) * a;
      const wait = ahead <= mu2 * (8 - a) ? ahead / mu2 : 8 - a + (ahead - mu2 * (8 - a)) / mu4;
      fluidPeak = Math.max(fluidPeak, wait);
    }
    expect(v.peakP99.predicted / fluidPeak).toBeGreaterThan(0.85);
    expect(v.peakP99.predicted / fluidPeak).toBeLessThan(1.15);

    // Measured against predicted, within the spread measured over repeated runs (README, "A failure drill"): on a
    // machine busy with other work (load 5 to 15) the peak p99 came within -14% to +11% of its prediction and the
    // recovery within 4 s; the service time serve-demo delivers drifts between the baseline and the fault there.
    const ratio = v.peakP99.measured / v.peakP99.predicted;
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.25);
    expect(Math.abs(v.recoverySeconds.measured - v.recoverySeconds.predicted)).toBeLessThanOrEqual(4);
    expect(v.errorShare.measured).toBeLessThanOrEqual(0.01);
    expect(v.phases.map((p: { measured: { held: boolean } }) => p.measured.held)).toEqual([true, true, true]);
    expect(code).toBe(v.exitCode);

    // The files: JSON and a CSV row per second.
    expect(JSON.parse(readFileSync(join(dir, 'out', 'drill.json'), 'utf8')).verdict.ok).toBe(v.ok);
    const csv = readFileSync(join(dir, 'out', 'timeline.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(31);
    expect(csv[0]).toMatch(/^t,phase,offered,achieved,p50_s,p99_s,errors,timeouts,retries,in_flight,predicted_offered,/);
    expect(csv[11]).toMatch(/^10,fault,/);
    // The page beside them, rendered from drill.json as saved: the verdict first, the four timelines.
    const html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
    expect(html).toContain('<title>Failure drill: drill-demo</title>');
    expect(html).toContain(v.ok ? '>Passed: ' : '>Failed: ');
    expect((html.match(/<svg role="img"/g) ?? []).length).toBe(4);
  });
});
