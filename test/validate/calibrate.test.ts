import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryContext } from '../../src/cli/context.js';
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

async function measured(rate: number, truth = { mean: TRUE_MEAN, cv: TRUE_CV, offset: TRUE_OFFSET }): Promise<{ p50: number; p99: number }> {
  const seconds = 400;
  const s = await simulate(
    {
      arrivals: [{ kind: 'poisson', rate }],
      stations: [{ name: 'cpu', nodes: 1, workersPerNode: 1, serviceTime: { kind: 'gamma', mean: truth.mean, cv: truth.cv }, queue: 'per-node', balancer: 'round-robin' }],
      run: { stop: { kind: 'time', time: seconds + 5 }, warmup: { kind: 'time', time: 5 } },
    },
    { replicas: 2, seed: 99, inProcess: true },
  );
  return { p50: s.endToEnd.p50Response.mean + truth.offset, p99: s.endToEnd.p99Response.mean + truth.offset };
}

/** A validation.json as `validate` writes it, from "measurements" of a known service at `rates` (the last is the knee). */
async function validationOf(url: string, service: string, rates: number[], saturation: number, truth?: { mean: number; cv: number; offset: number }) {
  const steps = [];
  for (const rate of rates) {
    const m = await measured(rate, truth);
    steps.push({ offeredRate: rate, achievedRate: rate, p50: m.p50, p99: m.p99, scheduled: rate * 5, duration: 5, succeeded: rate * 5 });
  }
  return {
    url,
    steps,
    knee: { rate: rates[rates.length - 1], reason: 'synthetic' },
    saturationThroughput: saturation,
    saturationReached: true,
    usl: null,
    prediction: { modelPath: 'demo.yaml', service, nodes: 1 },
  };
}

const modelText = `
name: demo
nodeTypes: [{ name: n, hourlyPrice: 0 }]
services:
  - name: cpu
    nodeType: n
    workersPerNode: 1
    serviceTime: { distribution: deterministic, value: 5ms }
  - name: db
    nodeType: n
    workersPerNode: 1
    serviceTime: { distribution: deterministic, value: 10ms }
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

  it('calibrates every endpoint of a scenario run into one model, and says which it skipped and why', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'headroom-calibrate-'));
    try {
      await writeFile(join(dir, 'demo.yaml'), modelText);
      const cpu = await validationOf('http://127.0.0.1:8080/cpu?ms=5', 'cpu', [50, 90, 150], 200);
      const db = await validationOf('http://127.0.0.1:8080/db', 'db', [25, 45, 70], 100, { mean: 0.01, cv: 0.2, offset: 0.0005 });
      const scenarioRun = {
        scenario: 'scenarios/x.yaml',
        modelPath: join(dir, 'demo.yaml'),
        endpoints: [
          { name: 'cpu', service: 'cpu', report: cpu, error: null, ok: true },
          { name: 'gone', service: 'cpu', report: null, error: 'every request failed', ok: false },
          { name: 'db', service: 'db', report: db, error: null, ok: true },
          { name: 'cpu-again', service: 'cpu', report: cpu, error: null, ok: true },
        ],
      };
      await writeFile(join(dir, 'validation-scenario.json'), JSON.stringify(scenarioRun));
      const ctx = memoryContext();
      const code = await run(['calibrate', join(dir, 'validation-scenario.json'), '--json'], ctx);
      expect(code, ctx.err()).toBe(0);
      const r = JSON.parse(ctx.out());
      expect(r.calibrations.map((c: { service: string }) => c.service)).toEqual(['cpu', 'db']);
      expect(r.skipped).toEqual([
        { endpoint: 'gone', why: 'no measurement (every request failed)' },
        { endpoint: 'cpu-again', why: 'service cpu was calibrated from endpoint cpu' },
      ]);
      expect(r.out).toBe(join(dir, 'calibrated.yaml'));
      const yaml = await readFile(r.out, 'utf8');
      // Both services in one file, each fitted to its own truth (db's cv 0.2 to it or its neighbour on the cv grid:
      // at cv 0.15-0.2 the low-load p50 and p99 barely tell them apart).
      expect(yaml).toMatch(/name: cpu[\s\S]*serviceTime: \{ distribution: gamma, mean: 5\.000ms, cv: 0\.45 \}[\s\S]*name: db[\s\S]*serviceTime: \{ distribution: gamma, mean: 10\.000ms, cv: 0\.(15|2) \}/);
      expect(r.calibrations[1].check.worstAbsError).toBeLessThan(0.05);
      const bad = memoryContext();
      expect(await run(['calibrate', join(dir, 'validation-scenario.json'), '--service', 'cpu'], bad)).toBe(2);
      expect(bad.err()).toBe(`headroom: --service: applies to one validation.json; ${join(dir, 'validation-scenario.json')} is a scenario run, whose endpoints name their services\n`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
