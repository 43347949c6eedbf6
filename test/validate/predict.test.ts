import { describe, expect, it } from 'vitest';
import { loadResourceModel } from '../../src/config/model.js';
import { pickService, pickServices, predictSteps, serviceCapacity } from '../../src/validate/predict.js';
import { compareWithModel } from '../../src/validate/compare.js';
import type { StepResult } from '../../src/validate/types.js';

const model = await loadResourceModel('models/serve-demo.yaml');
const svc = (name: string) => model.services.find((s) => s.name === name)!;

describe('the model side of validation', () => {
  it('picks the service named after the URL path, or the one named, with exact messages otherwise', () => {
    expect(pickService(model, new URL('http://127.0.0.1/cpu?ms=5'), undefined, 'models/serve-demo.yaml').name).toBe('cpu');
    expect(pickService(model, new URL('http://127.0.0.1/lock'), 'lock-w4', 'models/serve-demo.yaml').name).toBe('lock-w4');
    expect(() => pickService(model, new URL('http://127.0.0.1/other'), undefined, 'models/serve-demo.yaml')).toThrow(
      'models/serve-demo.yaml has several services (cpu, io, lock, lock-w4, lock-w4-work, lock-w4-lock) and none is named after the URL path "/other"; name one with --service',
    );
    expect(() => pickService(model, new URL('http://127.0.0.1/cpu'), 'gpu', 'models/serve-demo.yaml')).toThrow(
      '--service: expected one of the services of models/serve-demo.yaml (cpu, io, lock, lock-w4, lock-w4-work, lock-w4-lock), got "gpu"',
    );
  });

  it('a path of services: --service a,b resolves each, and the path is as fast as its slowest station', async () => {
    const path = pickServices(model, new URL('http://127.0.0.1/lock'), 'lock-w4-work,lock-w4-lock', 'models/serve-demo.yaml');
    expect(path.map((s) => s.name)).toEqual(['lock-w4-work', 'lock-w4-lock']);
    const p = await predictSteps({ model, service: path[0]!, then: path.slice(1), nodes: 1, rates: [100], sloP99: 0.1, replicas: 2, workers: 1, simulatedSeconds: 30 });
    expect(p.service).toBe('lock-w4-work,lock-w4-lock');
    // 4 workers × 5 ms = 800/s, then one lock holder × 5 ms = 200/s.
    expect(p.capacity).toBe(200);
    // At 100/s the lock is half busy (M/D/1, rho 0.5): mean response 5 + (5 + 2.5) = 12.5 ms, no wait at the 4 workers to speak of.
    expect(p.steps[0]!.mean).toBeGreaterThan(0.0125 * 0.95);
    expect(p.steps[0]!.mean).toBeLessThan(0.0125 * 1.05);
    expect(p.steps[0]!.utilization).toBeCloseTo(0.5, 1);
    expect(p.steps[0]!.analytic).toBeNull();
  });

  it('capacity: workers / mean service time, or the USL at the workers a node runs', () => {
    expect(serviceCapacity(svc('cpu'), 1)).toBe(200);
    expect(serviceCapacity(svc('io'), 3)).toBeCloseTo(600, 9);
    // lambda 100, sigma 0.5, kappa 0, 4 workers: X(4) = 400 / (1 + 0.5 · 3) = 160.
    expect(serviceCapacity(svc('lock-w4'), 1)).toBeCloseTo(160, 9);
  });

  it('predicts an M/D/1 step as Pollaczek–Khinchine says: mean response S + rho S / (2 (1 - rho))', async () => {
    // /cpu: deterministic 5 ms on one worker. At 100/s (rho 0.5): 5 + 2.5 = 7.5 ms. At 160/s (rho 0.8): 5 + 10 = 15 ms.
    const p = await predictSteps({ model, service: svc('cpu'), nodes: 1, rates: [100, 160], sloP99: 0.1, replicas: 2, workers: 1, simulatedSeconds: 120 });
    expect(p.capacity).toBe(200);
    expect(p.steps[0]!.mean).toBeGreaterThan(0.0075 * 0.95);
    expect(p.steps[0]!.mean).toBeLessThan(0.0075 * 1.05);
    expect(p.steps[1]!.mean).toBeGreaterThan(0.015 * 0.92);
    expect(p.steps[1]!.mean).toBeLessThan(0.015 * 1.08);
    // The analytic path agrees on the median: with P(wait) = rho, the median of an M/D/1 at rho 0.5 is the bare 5 ms.
    expect(p.steps[0]!.analytic!.p50).toBeCloseTo(0.005, 4);
    expect(p.steps[0]!.utilization).toBeCloseTo(0.5, 1);
  });

  it('counts only steps below the measured knee (the knee step is shown, not counted), and checks the knee against the one predicted on the same rates', async () => {
    const p = await predictSteps({ model, service: svc('cpu'), nodes: 1, rates: [50, 150, 195], sloP99: 0.1, replicas: 2, workers: 1, simulatedSeconds: 30 });
    const m = (offeredRate: number, achievedRate: number, p50: number, p99: number): StepResult =>
      ({ offeredRate, achievedRate, p50, p99, errors: 0, timeouts: 0, dropped: 0, scheduled: offeredRate * 4, duration: 4 }) as StepResult;
    const measured = [m(50, 50, p.steps[0]!.p50 * 1.1, p.steps[0]!.p99), m(150, 150, p.steps[1]!.p50, p.steps[1]!.p99 * 0.8), m(195, 170, 1, 2)];
    const knee = { rate: 150, reason: 'x' };
    const c = compareWithModel(measured, p, { sloP99: 0.1, maxErrors: 0.01, minAchievedRatio: 0.95 }, knee, { value: 170, reached: true }, 0.15);
    expect(c.steps.map((s) => s.compared)).toEqual([true, false, false]);
    expect(c.steps.map((s) => s.atKnee)).toEqual([false, true, false]);
    expect(c.steps[0]!.p50Error).toBeCloseTo(1 / 1.1 - 1, 9);
    expect(c.steps[1]!.p99Error).toBeCloseTo(1 / 0.8 - 1, 9);
    expect(c.overall!.steps).toBe(1);
    // Only the 50/s step counts: its p50 was measured 10% above the prediction, its p99 equal.
    expect(c.overall!.worstAbsError).toBeCloseTo(1 - 1 / 1.1, 9);
    // The model's p99 at 195/s (rho 0.975) is far above 100 ms: it predicts the knee at 150/s too.
    expect(c.predictedKnee.rate).toBe(150);
    expect(c.kneeError).toBe(0);
    expect(c.kneeWithinTolerance).toBe(true);
    expect(c.capacityError).toBeCloseTo(30 / 170, 9);
  });
});
