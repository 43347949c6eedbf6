import { findKnee } from './knee.js';
import type { ModelPrediction, StepPrediction } from './predict.js';
import type { Criteria, Knee, StepResult } from './types.js';

export interface StepComparison {
  readonly offeredRate: number;
  readonly measured: { readonly p50: number; readonly p99: number; readonly achievedRate: number };
  readonly predicted: { readonly p50: number; readonly p99: number; readonly achievedRate: number };
  /** (predicted − measured) / measured. */
  readonly p50Error: number;
  readonly p99Error: number;
  /** Whether the step is below the measured knee (only those count in the overall errors). */
  readonly compared: boolean;
  /** Whether the step is the knee itself: its errors are shown but not counted (see compareWithModel). */
  readonly atKnee: boolean;
}

export interface Comparison {
  readonly steps: StepComparison[];
  /** Mean and worst |relative error| of p50 and p99 over the compared steps; null when no step is compared. */
  readonly overall: { readonly meanAbsError: number; readonly worstAbsError: number; readonly steps: number } | null;
  /** The knee the model predicts on the same steps (same criteria, predicted p99 and achieved rate). */
  readonly predictedKnee: Knee;
  readonly measuredKnee: number | null;
  /** (predicted knee − measured knee) / measured knee; null when either is missing. */
  readonly kneeError: number | null;
  readonly tolerance: number;
  readonly kneeWithinTolerance: boolean;
  /** (model capacity − measured saturation throughput) / measured; null when saturation was not reached. */
  readonly capacityError: number | null;
}

/** The predicted steps as knee inputs: no errors (the model's client sends no failing requests), predicted p99, and the rate simulated as the rate sent. */
function asKneeSteps(steps: readonly StepPrediction[], seconds: number) {
  return steps.map((s) => ({ offeredRate: s.offeredRate, achievedRate: s.achievedRate, p99: s.p99, errors: 0, timeouts: 0, dropped: 0, scheduled: s.simulatedRate * seconds, duration: seconds }));
}

/**
 * Predicted vs measured per step and overall. A measured step past the knee holds a backlog that grows with the
 * length of the step, which no steady-state prediction describes, so only steps below the measured knee enter the
 * overall errors (a model is judged where it is meant to hold). The knee step itself is the highest load that passed, often at 75-85% utilisation,
 * where a p99 rests on the slowest handful of one step's requests and moves by ±20% between runs of the same server:
 * its errors are reported, not counted. The knee check compares the knee the model predicts on the same rates with
 * the measured one.
 */
export function compareWithModel(
  measured: readonly StepResult[],
  prediction: ModelPrediction,
  criteria: Criteria,
  measuredKnee: Knee,
  saturation: { value: number | null; reached: boolean },
  tolerance: number,
): Comparison {
  const steps: StepComparison[] = [];
  for (const m of measured) {
    const p = prediction.steps.find((x) => x.offeredRate === m.offeredRate);
    if (!p) continue;
    const compared = measuredKnee.rate !== null && m.offeredRate < measuredKnee.rate;
    const atKnee = measuredKnee.rate !== null && m.offeredRate === measuredKnee.rate;
    steps.push({
      offeredRate: m.offeredRate,
      measured: { p50: m.p50, p99: m.p99, achievedRate: m.achievedRate },
      predicted: { p50: p.p50, p99: p.p99, achievedRate: p.achievedRate },
      p50Error: (p.p50 - m.p50) / m.p50,
      p99Error: (p.p99 - m.p99) / m.p99,
      compared,
      atKnee,
    });
  }
  const errs = steps.filter((s) => s.compared).flatMap((s) => [Math.abs(s.p50Error), Math.abs(s.p99Error)]);
  const ranRates = new Set(measured.map((m) => m.offeredRate));
  const predictedKnee = findKnee(asKneeSteps(prediction.steps.filter((s) => ranRates.has(s.offeredRate)), prediction.simulatedSeconds), criteria);
  const kneeError =
    predictedKnee.rate !== null && measuredKnee.rate !== null ? (predictedKnee.rate - measuredKnee.rate) / measuredKnee.rate : null;
  return {
    steps,
    overall: errs.length > 0 ? { meanAbsError: errs.reduce((a, b) => a + b, 0) / errs.length, worstAbsError: Math.max(...errs), steps: errs.length / 2 } : null,
    predictedKnee,
    measuredKnee: measuredKnee.rate,
    kneeError,
    tolerance,
    kneeWithinTolerance: kneeError !== null && Math.abs(kneeError) <= tolerance,
    capacityError: saturation.reached && saturation.value ? (prediction.capacity - saturation.value) / saturation.value : null,
  };
}
