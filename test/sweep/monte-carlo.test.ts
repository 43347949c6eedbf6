import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPlanScenario, prepareSweep, runJob, summarizePaths, readPlanHistory, type PathOutcome } from '../../src/internal.js';
import type { ForecastFn, ForecastPoint } from '../../src/forecast/types.js';
import { buildSpec, encodeSpec } from '../../src/sweep/spec.js';
import { basePlan } from '../../src/sweep/execute.js';
import { pathJobs } from '../../src/sweep/grid.js';
import { dailyHistory, fixtureDir, MODEL_YAML } from '../plan/fixtures.js';
import { independentNormal } from '../helpers/independent-normal.js';

/**
 * A Monte-Carlo plan against a known answer. The driver's predictive distribution is given exactly (a Gaussian random
 * walk with drift: mean y0 + d·h, sd σ·√h at h days ahead), so the distribution of the month in which the current fleet
 * runs out is the first-passage distribution of that walk over the fleet's limit, which the test computes by brute
 * force with its own generator.
 */
const Y0 = 4000;
const DRIFT = 6; // users per day
const SIGMA = 40; // users per √day

const knownWalk: ForecastFn = (series, options) => {
  const last = series.t[series.t.length - 1]!;
  const points: ForecastPoint[] = [];
  for (let i = 1; i <= options.horizon; i++) {
    const mean = Y0 + DRIFT * i;
    const sd = SIGMA * Math.sqrt(i);
    points.push({ timestampMs: last + i * series.stepMs, mean, lo80: mean - 1.2815515655446004 * sd, hi80: mean + 1.2815515655446004 * sd, lo95: mean - 1.959963984540054 * sd, hi95: mean + 1.959963984540054 * sd });
  }
  return { model: 'known walk', modelName: 'naive', seasonalPeriods: [], points, fitted: new Float64Array(series.t.length).fill(NaN), quality: { rmse: 0, mase: 0 }, growth: { perMonth: 0, relativePerMonth: 0, basis: 'model' as const }, pathGrowth: { perMonth: 0, relativePerMonth: 0 }, warnings: [] };
};


async function setup(paths: number) {
  const fx = fixtureDir();
  fx.write('model.yaml', MODEL_YAML);
  fx.write('data/users.csv', dailyHistory(400, 4000, 0));
  const file = fx.write(
    'plan.yaml',
    `name: known walk
model: model.yaml
period: month
horizon: 12
quantile: p90
drivers:
  users: { history: data/users.csv, column: users, unit: users }
demand:
  mm_rps: users * 0.1
services:
  mm: { demand: mm_rps, fleet: 3 }
slo:
  latency: { percentile: p99, target: 200ms }
maxUtilization: 95%
leadTime: 30d
seed: 3
`,
  );
  const { scenario, model } = await loadPlanScenario(file, { cwd: fx.dir });
  const history = await readPlanHistory(scenario, { cwd: fx.dir, env: {}, nowMs: 0 });
  const spec = await buildSpec(scenario, history, [], { seed: 3, paths, batch: 500, confidence: 0.9, scenarioText: readFileSync(file, 'utf8'), simulate: false });
  const prepared = await prepareSweep(encodeSpec(spec).text, { forecast: knownWalk });
  return { scenario, model, prepared };
}

describe('Monte-Carlo plan', () => {
  it('gives the first-passage distribution of a known random walk (brute force reference)', async () => {
    const N = 4000;
    const { scenario, prepared } = await setup(N);
    const base = await basePlan(prepared);
    // The fleet runs out at the first rule the scenario asks for to fail (cap, cover, SLO): the smallest of their limits.
    const svc = base.variants[0]!.services[0]!;
    const limit = Math.min(...svc.rules.filter((r) => r.asked && r.maxDemand !== undefined).map((r) => r.maxDemand!)) / 0.1; // in users
    const periods = base.periods;
    const results: PathOutcome[] = [];
    for (const job of pathJobs(N, 500)) {
      const r = await runJob(prepared, job);
      if (r.kind === 'paths') results.push(...r.paths);
    }
    const summary = summarizePaths(results, ['mm'], periods, scenario.leadTime * 1000, 0.9);

    // Brute force: walk day by day from the last history day; a month is exhausted when any of its days is above the limit.
    const lastMs = Date.UTC(2025, 0, 1) + 399 * 86_400_000;
    const days = Math.ceil((periods.at(-1)!.endMs - lastMs) / 86_400_000);
    const periodOfDay = Array.from({ length: days }, (_, i) => periods.findIndex((p) => lastMs + (i + 1) * 86_400_000 >= p.startMs && lastMs + (i + 1) * 86_400_000 < p.endMs));
    const REF = 100_000;
    const z = independentNormal(12345);
    const refCounts = new Array(periods.length + 1).fill(0);
    for (let r = 0; r < REF; r++) {
      let w = 0;
      let hit = periods.length;
      for (let i = 0; i < days; i++) {
        w += SIGMA * z();
        const k = periodOfDay[i]!;
        if (k >= 0 && Y0 + DRIFT * (i + 1) + w > limit) {
          hit = k;
          break;
        }
      }
      refCounts[hit]++;
    }
    const mcCounts = new Array(periods.length + 1).fill(0);
    for (const p of results) mcCounts[p.exhaustion[0]! < 0 ? periods.length : p.exhaustion[0]!]++;
    expect(limit).toBeGreaterThan(Y0);
    // The CDFs agree within the sampling error of N paths (sd <= 0.008; 4 sd allowed).
    let refCdf = 0;
    let mcCdf = 0;
    for (let k = 0; k < periods.length; k++) {
      refCdf += refCounts[k] / REF;
      mcCdf += mcCounts[k] / N;
      expect(Math.abs(mcCdf - refCdf)).toBeLessThan(0.032);
    }
    // The quantiles land in the same month as the reference's (or the next, at a boundary).
    const refQuantile = (q: number): number => {
      let c = 0;
      for (let k = 0; k <= periods.length; k++) {
        c += refCounts[k] / REF;
        if (c >= q) return k;
      }
      return periods.length;
    };
    const idx = (ms: number | null): number => (ms === null ? periods.length : periods.findIndex((p) => p.startMs === ms));
    for (const [q, got] of [
      [0.1, summary.services[0]!.exhaustion.p10],
      [0.5, summary.services[0]!.exhaustion.p50],
      [0.9, summary.services[0]!.exhaustion.p90],
    ] as const) {
      expect(Math.abs(idx(got) - refQuantile(q))).toBeLessThanOrEqual(1);
    }
    // The case is not degenerate: the walk runs out within the horizon on some paths and not on others.
    expect(summary.services[0]!.exhaustedShare).toBeGreaterThan(0.2);
    expect(summary.services[0]!.exhaustedShare).toBeLessThan(0.95);
  });

  it('gives the same paths whatever the batching', async () => {
    const { prepared } = await setup(40);
    const one = await runJob(prepared, { kind: 'paths', index: 0, from: 0, to: 40 });
    const parts = [await runJob(prepared, { kind: 'paths', index: 0, from: 0, to: 13 }), await runJob(prepared, { kind: 'paths', index: 1, from: 13, to: 40 })];
    const flat = parts.flatMap((r) => (r.kind === 'paths' ? r.paths : []));
    expect(one.kind === 'paths' ? one.paths : []).toEqual(flat);
  });
});
