/**
 * The report page: render time and size of the example plan's report (plan.json + forecast.json to report.html, as
 * `headroom report` does), of a validation run's, and of a synthetic plan of 50 services × 24 months × 4 variants with
 * 3 confirmed cases per service. Goal: the 50-service plan renders in under 2 s.
 *
 * The first render of a process includes loading vega and vega-lite; the median of 5 further renders is the steady
 * state. CPU time is printed beside wall time, as this machine is shared. Run: npm run bench -- report
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  captureForecasts,
  forecast,
  forecastsJson,
  loadPlanScenario,
  planCapacity,
  planJson,
  readPlanHistory,
  readReportInput,
  renderReport,
} from '../src/internal.js';
import { syntheticPlan } from './synthetic-plan.js';

const root = join(import.meta.dirname, '..');
const loadBefore = loadavg();
const dir = mkdtempSync(join(tmpdir(), 'headroom-report-bench-'));

/**
 * Time `f` once cold, then 5 times: the cold wall time, and the median wall time with the process's CPU time of that
 * same run (user + system; on a shared machine the wall time also counts the neighbours' work), ms.
 */
async function time(f: () => Promise<unknown>): Promise<{ cold: number; coldCpu: number; median: number; medianCpu: number; range: string }> {
  const c0 = performance.now();
  const u0 = process.cpuUsage();
  await f();
  const cold = performance.now() - c0;
  const cu = process.cpuUsage(u0);
  const runs: Array<{ wall: number; cpu: number }> = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const v0 = process.cpuUsage();
    await f();
    const v = process.cpuUsage(v0);
    runs.push({ wall: performance.now() - t0, cpu: (v.user + v.system) / 1000 });
  }
  runs.sort((a, b) => a.wall - b.wall);
  return { cold, coldCpu: (cu.user + cu.system) / 1000, median: runs[2]!.wall, medianCpu: runs[2]!.cpu, range: `${runs[0]!.wall.toFixed(0)}–${runs[4]!.wall.toFixed(0)} ms` };
}

/** Read the saved result in `from`, render, write report.html: what `headroom report DIR` does. */
async function reportOf(from: string): Promise<number> {
  const html = await renderReport(await readReportInput(from));
  writeFileSync(join(from, 'report.html'), html);
  return Buffer.byteLength(html);
}

try {
  // The example plan as `npm start` makes it, without simulation (the page has one chart more with it).
  const exampleDir = join(dir, 'example');
  const { scenario, model } = await loadPlanScenario(join(root, 'scenarios', 'example.yaml'), { cwd: root });
  const history = await readPlanHistory(scenario, { cwd: root });
  const captured = captureForecasts(forecast);
  const { plan } = await planCapacity({ scenario, model, history }, { forecast: captured.forecast });
  mkdirSync(exampleDir);
  writeFileSync(join(exampleDir, 'plan.json'), planJson(plan));
  writeFileSync(join(exampleDir, 'forecast.json'), forecastsJson(captured.forecasts(plan)));

  const synthDir = join(dir, 'synthetic');
  mkdirSync(synthDir);
  writeFileSync(join(synthDir, 'plan.json'), planJson(syntheticPlan(50, 24, 4)));

  const valDir = join(dir, 'validation');
  mkdirSync(valDir);
  writeFileSync(join(valDir, 'validation.json'), readFileSync(join(root, 'test', 'fixtures', 'report', 'validation.json')));

  const rows = ['| report | input | first render, wall (CPU) | median of 5, wall (CPU) | range | report.html |', '| --- | ---: | ---: | ---: | ---: | ---: |'];
  const kb = (p: string) => `${Math.round(statSync(p).size / 1024)} KB`;
  for (const [label, d, input] of [
    ['example plan (5 services × 24 months × 4 variants, --no-sim)', exampleDir, `plan.json ${kb(join(exampleDir, 'plan.json'))} + forecast.json ${kb(join(exampleDir, 'forecast.json'))}`],
    ['synthetic plan (50 services × 24 months × 4 variants, 150 confirmations)', synthDir, `plan.json ${kb(join(synthDir, 'plan.json'))}`],
    ['validation (serve-demo /cpu, 5 steps, 4-point sweep)', valDir, `validation.json ${kb(join(valDir, 'validation.json'))}`],
  ] as const) {
    const t = await time(() => reportOf(d));
    rows.push(`| ${label} | ${input} | ${t.cold.toFixed(0)} ms (${t.coldCpu.toFixed(0)} ms) | ${t.median.toFixed(0)} ms (${t.medianCpu.toFixed(0)} ms) | ${t.range} | ${kb(join(d, 'report.html'))} |`);
  }
  console.log(rows.join('\n'));
  console.log('\ngoal: the 50-service plan renders in under 2 s (read plan.json, render, write report.html)');
  console.log(`load average before: ${loadBefore.map((x) => x.toFixed(1)).join(' ')}; after: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (${availableParallelism()} cores)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
