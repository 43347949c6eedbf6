import type { PlanScenario } from '../model/plan-scenario.js';
import { displayPath } from '../paths.js';
import { prometheusQueryFromSpec } from './prometheus-source.js';
import { readPrometheus } from './read-prometheus.js';
import { readHistory } from './read-history.js';
import type { ReadResult } from './types.js';

/**
 * Read the history of every driver of a loaded scenario: files through the series readers (CSV or JSON), Prometheus
 * sources through readPrometheus with times resolved against `nowMs`. Errors name the file (or the scenario field
 * of a Prometheus source) and exit with code 2.
 */
export async function readPlanHistory(
  scenario: PlanScenario,
  options: { cwd?: string; env?: Readonly<Record<string, string | undefined>>; nowMs?: number } = {},
): Promise<Record<string, ReadResult>> {
  const cwd = options.cwd ?? process.cwd();
  const out: Record<string, ReadResult> = {};
  for (const [name, d] of Object.entries(scenario.drivers)) {
    if (d.history !== undefined) {
      out[name] = await readHistory(d.history, {
        source: displayPath(d.history, cwd),
        ...(d.column !== undefined ? { column: d.column } : {}),
        ...(d.timestampColumn !== undefined ? { timestampColumn: d.timestampColumn } : {}),
      });
    } else if (d.prometheus !== undefined) {
      const where = `${scenario.file} drivers.${name}.prometheus`;
      const query = prometheusQueryFromSpec(d.prometheus, options.nowMs ?? Date.now(), where);
      out[name] = await readPrometheus(query, { env: options.env ?? {} });
    }
  }
  return out;
}
