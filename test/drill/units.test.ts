import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDrill } from '../../src/config/drill.js';
import { runCommand } from '../../src/drill/actions.js';
import { calibratedDrill } from '../../src/drill/calibrate.js';
import { scaleDistribution } from '../../src/model/distribution.js';
import { latencyEstimate } from '../../src/drill/predict.js';
import { combinedEffect, drillSimSpec, FAULT_GATE, unpredictableReason } from '../../src/drill/sim-spec.js';
import { drillSchedule } from '../../src/drill/schedule.js';
import { judgeDrill, recoverySeconds, recoveryThreshold } from '../../src/drill/verdict.js';
import type { MeasuredSecond } from '../../src/drill/load.js';
import type { DrillPrediction, PredictedSecond } from '../../src/drill/predict.js';
import type { Drill, FaultEffect } from '../../src/model/drill.js';

const SCENARIOS = join(import.meta.dirname, '../../scenarios');
const NONE: FaultEffect = { workersDown: 0, nodesDown: 0, slowdown: 1, errorShare: 0, pause: false };

async function demoDrill(effect: Partial<FaultEffect>, nodes = 1): Promise<Drill> {
  const d = await loadDrill(join(SCENARIOS, 'drill-demo.yaml'));
  const a = d.fault.actions[0]!;
  return { ...d, nodes, fault: { ...d.fault, actions: [{ ...a, effect: { ...NONE, ...effect } } as Drill['fault']['actions'][number]] } };
}

describe('drill pieces (pure)', () => {
  it('reads the bundled drills', async () => {
    const d = await loadDrill(join(SCENARIOS, 'drill-demo.yaml'));
    expect(d).toMatchObject({ ratePerSec: 120, duration: 30, baseline: 10, nodes: 1, workersPerNode: 4, fault: { at: 10, for: 8 } });
    expect(d.fault.actions[0]).toMatchObject({ kind: 'demo', effect: { ...NONE, workersDown: 2 }, ttl: 68 });
    expect(d.fault.actions[0]!.kind === 'demo' && d.fault.actions[0]!.controlUrl.toString()).toBe('http://127.0.0.1:8080/_fault');
    const r = await loadDrill(join(SCENARIOS, 'drill-demo-retries.yaml'), { baseUrlOverride: 'http://127.0.0.1:9999' });
    expect(r.client).toEqual({ timeout: 0.8, retries: { max: 3, backoff: 0.2, maxBackoff: 2, jitter: 'full' } });
    expect(r.target.url.toString()).toBe('http://127.0.0.1:9999/lock?ms=20&serial=0');
  });

  it('takes the target, model, service and nodes from an endpoint of a validation scenario', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-drill-units-'));
    const body = (endpoint: string) =>
      [
        `target: { scenario: ${join(SCENARIOS, 'validate-demo.yaml')}, endpoint: ${endpoint} }`,
        'load: { rate: 50/s }',
        'duration: 20s',
        'baseline: 5s',
        'fault: { at: 5s, for: 5s, actions: [{ kind: demo, slowdown: 2 }] }',
        'hypothesis: { slo: { p99: 1s } }',
      ].join('\n');
    writeFileSync(join(dir, 'ok.yaml'), body('io'));
    const d = await loadDrill(join(dir, 'ok.yaml'), { cwd: dir });
    expect(d.target.url.toString()).toBe('http://127.0.0.1:8080/io?ms=20');
    expect(d.services.map((s) => s.name)).toEqual(['io']);
    expect(d.model.name).toBe('serve-demo');
    writeFileSync(join(dir, 'bad.yaml'), body('nope'));
    await expect(loadDrill(join(dir, 'bad.yaml'), { cwd: dir })).rejects.toThrow(
      `bad.yaml:1 target.endpoint: expected an endpoint of ${join(SCENARIOS, 'validate-demo.yaml')} (cpu, io, lock), got "nope"`,
    );
  });

  it('workers down: the node becomes single-worker nodes behind one shared queue, k of them down for the window', async () => {
    const spec = drillSimSpec(await demoDrill({ workersDown: 2 }), { stop: 30, warmup: 0 });
    expect(spec.stations).toEqual([expect.objectContaining({ name: 'hold', nodes: 4, workersPerNode: 1, queue: 'shared' })]);
    expect(spec.failures).toEqual([
      { kind: 'node-down', station: 'hold', node: 0, at: 10, duration: 8 },
      { kind: 'node-down', station: 'hold', node: 1, at: 10, duration: 8 },
    ]);
    expect(spec.arrivals).toEqual([{ kind: 'trace', times: Array.from(drillSchedule('poisson', 120, 30, 1)) }]);
  });

  it('a node down keeps the station as the model has it; a slowdown degrades every node', async () => {
    const spec = drillSimSpec(await demoDrill({ nodesDown: 1, slowdown: 3 }, 2), { stop: 30, warmup: 0 });
    expect(spec.stations[0]).toMatchObject({ nodes: 2, workersPerNode: 4 });
    expect(spec.failures).toEqual([
      { kind: 'node-down', station: 'hold', node: 0, at: 10, duration: 8 },
      { kind: 'degraded', station: 'hold', node: 0, at: 10, duration: 8, slowdown: 3 },
      { kind: 'degraded', station: 'hold', node: 1, at: 10, duration: 8, slowdown: 3 },
    ]);
  });

  it('an error share: that share of arrivals passes a zero-cost gate that is down during the window', async () => {
    const spec = drillSimSpec(await demoDrill({ errorShare: 0.25 }), { stop: 30, warmup: 0 });
    expect(spec.stations.map((s) => s.name)).toEqual([FAULT_GATE, 'hold']);
    expect(spec.routing).toEqual({
      kind: 'network',
      entry: [
        { station: FAULT_GATE, p: 0.25 },
        { station: 'hold', p: 0.75 },
      ],
      next: { [FAULT_GATE]: [{ station: 'hold', p: 1 }] },
    });
    expect(spec.failures).toEqual([{ kind: 'node-down', station: FAULT_GATE, node: 0, at: 10, duration: 8 }]);
  });

  it('combines actions and says when a fault cannot be simulated', async () => {
    expect(combinedEffect([{ ...NONE, slowdown: 2, errorShare: 0.5 }, { ...NONE, slowdown: 3, errorShare: 0.5, workersDown: 1 }])).toEqual({
      ...NONE,
      workersDown: 1,
      slowdown: 6,
      errorShare: 0.75,
    });
    expect(unpredictableReason(await demoDrill({ pause: true }))).toBe('a pause has no equivalent in the simulator (its failures lose the requests a node holds)');
    expect(unpredictableReason(await demoDrill({ workersDown: 1 }))).toBeNull();
  });

  it('scales service times by the calibration', async () => {
    expect(scaleDistribution({ kind: 'deterministic', value: 0.02 }, 1.05)).toEqual({ kind: 'deterministic', value: 0.021 });
    expect(scaleDistribution({ kind: 'lognormal', mean: 0.01, cv: 2 }, 2)).toEqual({ kind: 'lognormal', mean: 0.02, cv: 2 });
    const d = calibratedDrill(await demoDrill({}), { modelSeconds: 0.02, measuredSeconds: 0.021, tasks: 100, scale: 1.05 });
    expect(d.services[0]!.serviceTime).toEqual({ kind: 'deterministic', value: 0.021 });
  });

  it('latencies over replicas: the median and an order-statistic interval; unanswered replicas count as unbounded', () => {
    expect(latencyEstimate([0.3, 0.1, 0.2, Infinity])).toEqual({ median: 0.25, ci95: [0.1, Infinity], unanswered: 1 });
    // R = 8: P(Bin(8, 1/2) <= 0) = 0.4% <= 2.5% < P(<= 1) = 3.5%, so the interval is [x(1), x(8)].
    expect(latencyEstimate([8, 1, 7, 2, 6, 3, 5, 4]).ci95).toEqual([1, 8]);
    // R = 20: P(<= 5) = 2.07% <= 2.5% < P(<= 6) = 5.8%: [x(6), x(15)].
    expect(latencyEstimate(Array.from({ length: 20 }, (_, i) => i + 1)).ci95).toEqual([6, 15]);
    expect(latencyEstimate([Infinity, Infinity, 1]).median).toBe(Infinity);
    expect(latencyEstimate([NaN]).median).toBeNaN();
  });

  it('recovery: the first of three seconds back under the threshold, with the failed share back within budget', () => {
    expect(recoverySeconds([0.9, 0.5, 0.02, 0.02, 0.03, 0.02], 1, 0.05)).toBe(1);
    expect(recoverySeconds([0.9, 0.5, 0.02, 0.02, 0.03, 0.02], 1, 0.05, { shares: [0, 0, 0.5, 0, 0, 0], maxShare: 0.01 })).toBe(2);
    expect(recoverySeconds([0.9, 0.5, 0.02, Infinity, 0.03, 0.02], 1, 0.05)).toBeNull();
    expect(recoveryThreshold([0.5, 0.02, 0.04, 0.03, 9], 4, 0.5)).toBeCloseTo(0.06, 12);
  });

  it('a fault command is bounded by its timeout; its exit status and output are recorded', async () => {
    const slow = await runCommand(['sh', '-c', 'echo started; sleep 5'], 0.3, tmpdir(), () => 1.5);
    expect(slow).toMatchObject({ what: 'sh -c echo started; sleep 5', ok: false, timedOut: true, output: 'started', error: 'did not finish within 0.3 s (stopped)', startedAt: 1.5 });
    expect(slow.seconds).toBeLessThan(3);
    expect(await runCommand(['sh', '-c', 'echo out; echo err >&2; exit 0'], 5, tmpdir(), () => 0)).toMatchObject({ ok: true, status: 0, output: 'out\nerr', error: null });
    expect(await runCommand(['no-such-command-xyz'], 5, tmpdir(), () => 0)).toMatchObject({ ok: false, status: null, error: 'cannot run no-such-command-xyz: ENOENT' });
  });

  it('judges a drill: phases, peak p99, failed share, recovery, rollback, exit code', async () => {
    const drill = await demoDrill({ workersDown: 2 }); // 30 s, baseline 10, fault [10, 18), SLO p99 3 s
    // A triangle of latency during the fault, back to 30 ms two seconds after the rollback.
    const p99At = (t: number) => (t < 10 ? 0.03 : t < 18 ? 0.2 * (t - 9) : t < 20 ? 1.6 - 0.7 * (t - 17) : 0.03);
    const measured: MeasuredSecond[] = Array.from({ length: 30 }, (_, t) => ({
      t, offered: 120, achieved: 120, p50: p99At(t) / 2, p99: p99At(t) * 1.1, errors: 0, timeouts: 0, retries: 0, inFlight: t >= 10 && t < 20 ? 20 * (t - 9) : 3, oldestInFlight: 0,
    }));
    const est = (x: number) => ({ mean: x, ci95: [x, x] as const });
    const lat = (x: number) => ({ median: x, ci95: [x, x] as const, unanswered: 0 });
    const seconds: PredictedSecond[] = Array.from({ length: 30 }, (_, t) => ({
      t, offered: est(120), achieved: est(120), p50: lat(p99At(t) / 2), p99: lat(p99At(t)), errors: est(0), timeouts: est(0), retries: est(0), inFlight: est(3),
    }));
    const phase = (from: number, to: number) => ({ from, to, p99: lat(Math.max(...seconds.filter((x) => x.t >= from && x.t < to).map((x) => x.p99.median))), errorShare: est(0) });
    const prediction: DrillPrediction = { replicas: 8, seed: 1, seconds, phases: { before: phase(1, 10), during: phase(10, 18), after: phase(18, 30) }, faultNotPredicted: null };
    const measuredPhase = (from: number, to: number) => ({ from, to, p99: Math.max(...measured.filter((x) => x.t >= from && x.t < to).map((x) => x.p99)), errorShare: 0, resolved: 120 * (to - from) });
    const v = judgeDrill({ drill, measured, measuredPhase, prediction, rollback: { ran: true, ok: true }, aborted: null });
    expect(v.peakP99).toMatchObject({ measured: expect.closeTo(1.76, 9), predicted: expect.closeTo(1.6, 9), ok: true }); // +10% within ±35%
    expect(v.recoverySeconds).toMatchObject({ measured: 2, predicted: 2, ok: true });
    expect(v.errorShare).toMatchObject({ measured: 0, predicted: 0, ok: true });
    expect(v.phases.map((p) => [p.name, p.measured.held, p.asPredicted])).toEqual([['before', true, true], ['during', true, true], ['after', true, true]]);
    expect(v).toMatchObject({ hypothesisHeld: true, predictionHeld: true, ok: true, exitCode: 0 });
    expect(v.message).toBe('the SLO (p99 3000 ms, errors 1.0%) held in every phase; the prediction held');

    const failed = judgeDrill({ drill, measured, measuredPhase, prediction, rollback: { ran: true, ok: false }, aborted: null });
    expect(failed.exitCode).toBe(1);
    expect(failed.message).toMatch(/^the ROLLBACK FAILED: the fault may still be in force; /);
    const slower = measured.map((m) => ({ ...m, p99: m.p99 * 1.5 }));
    const off = judgeDrill({ drill, measured: slower, measuredPhase, prediction, rollback: { ran: true, ok: true }, aborted: null });
    expect(off.peakP99.ok).toBe(false); // +65%
    expect(off.message).toMatch(/the prediction was off: peak p99/);
  });
});
