/** The `headroom simulate --json` document: the scenario, the summary (times in seconds) and the SLO verdict. */
import type { SimulationScenario } from '../sim/scenario.js';
import type { SloVerdict } from '../sim/slo-verdict.js';
import type { SimSummary } from '../sim/summary.js';

/** Per station and endToEnd each metric as { mean, ci95: [lo, hi] }; `slo` null when the scenario has none. */
export function simulationJson(s: SimulationScenario, summary: SimSummary, slo: SloVerdict | null): unknown {
  return {
    scenario: s.file,
    name: s.name ?? null,
    ...summary,
    slo: slo ? { latency: slo.latency, target: slo.target ?? null, attainment: slo.attainment, met: slo.met } : null,
  };
}
