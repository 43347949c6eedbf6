import { describe, expect, it } from 'vitest';
import { parseYamlText } from '../../src/config/load.js';
import { resourceModelSchema } from '../../src/config/model.js';
import { calibrateModel, validationInputSchema } from '../../src/validate/calibrate.js';
import { simulate } from '../../src/sim/runner.js';

/**
 * Calibration against a service whose truth is known: "measurements" are long simulations of a single-worker server
 * with a gamma service time (mean 5 ms, cv 0.45) plus a fixed 1 ms delay outside the capacity (loopback HTTP), so the
 * fit must recover those parameters from a model that says deterministic 5 ms and no delay. The saturation throughput
 * is the true one (1 / 5 ms = 200/s), as a run that reached the plateau would measure it.
 */
const TRUE_MEAN = 0.005;
const TRUE_CV = 0.45;
const TRUE_OFFSET = 0.001;

async function measured(rate: number): Promise<{ p50: number; p99: number }> {
  const seconds = 400;
  const s = await simulate(
    {
      arrivals: [{ kind: 'poisson', rate }],
      stations: [{ name: 'cpu', nodes: 1, workersPerNode: 1, serviceTime: { kind: 'gamma', mean: TRUE_MEAN, cv: TRUE_CV }, queue: 'per-node', balancer: 'round-robin' }],
      run: { stop: { kind: 'time', time: seconds + 5 }, warmup: { kind: 'time', time: 5 } },
    },
    { replicas: 2, seed: 99, inProcess: true },
  );
  return { p50: s.endToEnd.p50Response.mean + TRUE_OFFSET, p99: s.endToEnd.p99Response.mean + TRUE_OFFSET };
}

const modelText = `
name: demo
nodeTypes: [{ name: n, hourlyPrice: 0 }]
services:
  - name: cpu
    nodeType: n
    workersPerNode: 1
    serviceTime: { distribution: deterministic, value: 5ms }
`;

describe('calibrate: recovers a known service from its latencies', () => {
  it('fits mean = c / saturation, the cv and the delay from the steps under 50% utilisation, and predicts the rest within 20%', async () => {
    const rates = [50, 90, 150];
    const steps = [];
    for (const rate of rates) {
      const m = await measured(rate);
      steps.push({ offeredRate: rate, achievedRate: rate, p50: m.p50, p99: m.p99, scheduled: rate * 5, duration: 5, succeeded: rate * 5 });
    }
    const validation = validationInputSchema.parse({
      url: 'http://127.0.0.1:8080/cpu?ms=5',
      steps,
      knee: { rate: 150, reason: 'synthetic' },
      saturationThroughput: 200,
      saturationReached: true,
      usl: null,
      prediction: { modelPath: 'demo.yaml', service: 'cpu', nodes: 1 },
    });
    const model = parseYamlText(modelText, 'demo.yaml', resourceModelSchema);
    const c = await calibrateModel({
      validation,
      model,
      modelText,
      modelPath: 'demo.yaml',
      service: model.services[0]!,
      nodes: 1,
      tolerance: 0.2,
      seed: 1,
      note: 'test',
    });
    // By the utilisation law, 50/s and 90/s are at 25% and 45% of the 200/s plateau: both are "low load".
    expect(c.fittedTo).toEqual([50, 90]);
    expect(c.new.serviceTime).toMatchObject({ kind: 'gamma', cv: TRUE_CV });
    expect((c.new.serviceTime as { mean: number }).mean).toBeCloseTo(TRUE_MEAN, 12);
    expect(Math.abs(c.new.latencyOffset! - TRUE_OFFSET)).toBeLessThan(0.0003);
    expect(c.check.steps.map((s) => s.offeredRate)).toEqual(rates);
    expect(c.check.worstAbsError).toBeLessThan(0.05);
    expect(c.check.ok).toBe(true);
    expect(c.yaml).toMatch(/serviceTime: \{ distribution: gamma, mean: 5\.000ms, cv: 0\.45 \}/);
  }, 60_000);
});
