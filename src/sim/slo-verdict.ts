/**
 * Whether a simulation met its scenario's SLO: the share of requests that finished within the SLO's latency, with its
 * 95% interval over replicas, against the target when the scenario sets one.
 */
import type { SimulationScenario } from './scenario.js';
import type { Estimate, SimSummary } from './summary.js';

/** The SLO of a scenario and how the simulation did against it; latency in seconds, attainment a fraction. */
export interface SloVerdict {
  readonly latency: number;
  readonly target: number | undefined;
  readonly attainment: Estimate;
  /** Null without a target (nothing to check). */
  readonly met: boolean | null;
}

/**
 * The verdict of `summary` against the SLO of `s`: null when the scenario has no SLO; `met` null when it has no
 * target (nothing to check), else whether the mean attainment reaches the target.
 */
export function sloVerdict(s: SimulationScenario, summary: SimSummary): SloVerdict | null {
  if (!s.slo) return null;
  const attainment = summary.endToEnd.sloAttainment;
  const met = s.slo.target === undefined ? null : attainment.mean >= s.slo.target;
  return { latency: s.slo.latency, target: s.slo.target, attainment, met };
}
