import { join } from 'node:path';
import { captureForecasts, forecast, loadPlanScenario, planCapacity, planJson, readPlanHistory, type CapacityPlan, type PlanForecasts } from '../../src/internal.js';

/** The repository root (scenarios/, models/). */
export const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Plan a scenario through the library as `headroom plan --no-sim` does, and return plan.json as saved (parsed back, so
 * Infinity is null as in the file) with the forecasts and backtests forecast.json keeps.
 */
export async function planScenario(file: string, cwd: string): Promise<{ plan: CapacityPlan; forecasts: PlanForecasts; json: string }> {
  const { scenario, model } = await loadPlanScenario(file, { cwd });
  const history = await readPlanHistory(scenario, { cwd, env: {}, nowMs: Date.UTC(2026, 11, 1) });
  const captured = captureForecasts(forecast);
  const { plan } = await planCapacity({ scenario, model, history }, { forecast: captured.forecast });
  const json = planJson(plan);
  return { plan: JSON.parse(json) as CapacityPlan, forecasts: captured.forecasts(plan, { backtest: true }), json };
}
