/**
 * Fit + forecast time in-process, `model: 'auto'` and each family, on hourly series with daily and weekly seasonality
 * and trend (1,000 and 10,000 points, horizon 48; seasonality detected, as the CLI does without --season). Median
 * of repeated runs after warm-up. Targets: auto under 20 ms at 1,000 points and under 250 ms at 10,000.
 * Run: `npm run bench -- forecast-speed`.
 */
import { loadavg } from 'node:os';
import { createRng, forecast, type ModelName, type Series } from '../src/internal.js';

function hourly(n: number, seed: number): Series {
  const r = createRng(seed);
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  const start = Date.UTC(2024, 0, 1);
  let ar = 0;
  for (let i = 0; i < n; i++) {
    ar = 0.5 * ar + 0.04 * r.nextNormal();
    const hod = i % 24;
    const dow = Math.floor(i / 24) % 7;
    t[i] = start + i * 3_600_000;
    v[i] = 500 * (1 + 0.00005 * i) * (1 + 0.4 * Math.sin((2 * Math.PI * (hod - 6)) / 24)) * (dow >= 5 ? 0.8 : 1.08) * (1 + ar);
  }
  return { name: 'requests', t, v, stepMs: 3_600_000, source: 'generated' };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const sizes = [1000, 10000];
const models: Array<ModelName | 'auto'> = ['auto', 'ets', 'theta', 'mstl', 'ensemble', 'snaive', 'linear', 'damped'];
const target: Record<number, number> = { 1000: 20, 10000: 250 };
// CPU time (process.cpuUsage) next to wall time: on a shared, loaded machine the wall clock also counts the time this
// process waited for a core, which CPU time does not; on a quiet machine the two agree.
console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(', ')}`);
console.log('| points | model | chosen | median ms | p90 ms | median CPU ms | runs | target |');
console.log('| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |');
for (const n of sizes) {
  const series = hourly(n, n);
  for (const model of models) {
    const runs = n >= 10000 ? 15 : 40;
    for (let w = 0; w < 5; w++) forecast(series, { horizon: 48, model, seed: w }); // warm-up: JIT
    const ms: number[] = [];
    const cpu: number[] = [];
    let chosen = '';
    for (let i = 0; i < runs; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const f = forecast(series, { horizon: 48, model, seed: i });
      ms.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      chosen = f.modelName;
    }
    const sorted = [...ms].sort((a, b) => a - b);
    const p90 = sorted[Math.floor(0.9 * (sorted.length - 1))]!;
    const tgt = model === 'auto' ? `< ${target[n]} ms` : '';
    console.log(`| ${n} | ${model} | ${chosen} | ${median(ms).toFixed(2)} | ${p90.toFixed(2)} | ${median(cpu).toFixed(2)} | ${runs} | ${tgt} |`);
  }
}
console.log(`load average at end: ${loadavg().map((x) => x.toFixed(2)).join(', ')}`);
