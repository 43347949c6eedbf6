/**
 * The shipped scenario scenarios/plan-prometheus.yaml reads its history from Prometheus. A real Prometheus serves the
 * example history (scenarios/data/web-requests-hourly.csv) as the demo script does; the scenario's Prometheus block,
 * pointed at that server, must give exactly the values of the CSV file itself, with the file's two missing hours as
 * gaps (the CSV reader fills them; Prometheus has no samples there).
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlanScenario } from '../../src/config/plan-scenario.js';
import { readPlanHistory } from '../../src/series/read-plan-history.js';
import { type PlanScenario } from '../../src/model/plan-scenario.js';
import { readHistory } from '../../src/series/read-history.js';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js';

let prom: RunningPrometheus;

beforeAll(async () => {
  const csv = await readFile(new URL('../../scenarios/data/web-requests-hourly.csv', import.meta.url), 'utf8');
  const lines = ['# TYPE web_requests_per_second gauge'];
  for (const row of csv.trim().split('\n').slice(1)) {
    const [ts, value] = row.split(',');
    lines.push(`web_requests_per_second{job="web"} ${Number(value)} ${Date.parse(ts!) / 1000}`);
  }
  prom = await startPrometheus([...lines, '# EOF', ''].join('\n'));
});

afterAll(async () => {
  await prom?.stop();
});

describe('scenarios/plan-prometheus.yaml', () => {
  it('plans from Prometheus history equal to the example file, hour for hour', async () => {
    const { scenario } = await loadPlanScenario('scenarios/plan-prometheus.yaml');
    const driver = scenario.drivers.web_rps!;
    expect(driver.prometheus).toMatchObject({ url: 'http://127.0.0.1:9091', query: 'web_requests_per_second{job="web"}', start: '2025-09-01', step: '1h' });
    // The same scenario, pointed at this test's server instead of the demo port.
    const here: PlanScenario = {
      ...scenario,
      drivers: { web_rps: { ...driver, prometheus: { ...driver.prometheus!, url: prom.url } } },
    };
    const fromPrometheus = (await readPlanHistory(here, { env: {}, nowMs: Date.UTC(2026, 10, 25) })).web_rps!;
    const fromFile = await readHistory('scenarios/data/web-requests-hourly.csv');
    const p = fromPrometheus.series;
    const f = fromFile.series;
    expect(Array.from(p.t)).toEqual(Array.from(f.t));
    const filled = new Set(fromFile.repairs.filledGaps.flatMap((g) => Array.from({ length: g.points }, (_, i) => g.startMs + i * 3_600_000)));
    expect(filled.size).toBe(2);
    for (let k = 0; k < p.t.length; k++) {
      if (filled.has(p.t[k]!)) expect(p.v[k]).toBeNaN();
      else expect(p.v[k]).toBe(f.v[k]);
    }
  });
});
