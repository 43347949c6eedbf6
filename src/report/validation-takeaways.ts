import type { ValidationReport } from '../validate/validate.js';
import { ms, num, signedPct } from './format.js';

/**
 * The sentences above the validation charts, from validation.json's own figures (knee, saturation, prediction, USL fit).
 */

/** "Keeps up to 185/s (the knee); saturates at 198/s achieved; the model's capacity 200/s is +1% off." */
export function throughputTakeaway(r: ValidationReport): string {
  const knee = r.knee.rate === null ? `No step met the criteria (${r.knee.reason})` : `The endpoint keeps up to ${num(r.knee.rate)} requests/s (the knee)`;
  const sat =
    r.saturationThroughput === null
      ? '; no step saturated'
      : r.saturationReached
        ? `; it saturates at ${num(r.saturationThroughput)} responses/s`
        : `; it served at least ${num(r.saturationThroughput)} responses/s without saturating`;
  const p = r.prediction;
  const model = p ? `; the model's capacity is ${num(p.capacity)}/s${p.comparison.capacityError === null ? '' : ` (${signedPct(p.comparison.capacityError)} against the measured saturation)`}` : '';
  return `${knee}${sat}${model}.`;
}

/** "p99 stays within the 100 ms SLO up to 185/s; the model predicts the knee at 180/s (−3%, within the 15% tolerance)." */
export function latencyTakeaway(r: ValidationReport): string {
  const slo = ms(r.criteria.sloP99);
  const first = r.steps.find((s) => s.p99 > r.criteria.sloP99);
  let out =
    first === undefined
      ? `p99 stays within the ${slo} SLO at every step`
      : `p99 first exceeds the ${slo} SLO at ${num(first.offeredRate)}/s (${ms(first.p99)})`;
  const c = r.prediction?.comparison;
  if (c) {
    const pk = c.predictedKnee.rate;
    out += pk === null ? '; the model predicts no knee on these steps' : `; the model predicts the knee at ${num(pk)}/s`;
    if (c.kneeError !== null) out += ` (${signedPct(c.kneeError)}, ${c.kneeWithinTolerance ? 'within' : 'outside'} the ${Math.round(c.tolerance * 100)}% tolerance)`;
    if (c.overall) out += `; below the knee p50/p99 are off by ${Math.round(c.overall.meanAbsError * 100)}% on average`;
  }
  return `${out}.`;
}

/** "USL fit: peak 210 responses/s at 12 in flight (σ 0.03, κ 0.001, R² 0.98)." */
export function sweepTakeaway(r: ValidationReport): string {
  const u = r.usl;
  if (!u) return r.sweep && r.sweep.length > 0 ? `Measured at ${r.sweep.length} concurrencies; too few points for a USL fit.` : 'No concurrency sweep in this run.';
  const peak =
    u.peakConcurrency !== null && u.peakThroughput !== null
      ? `peak ${num(u.peakThroughput)} responses/s at ${num(u.peakConcurrency)} in flight`
      : u.peakThroughput !== null
        ? `no peak: throughput rises towards ${num(u.peakThroughput)} responses/s`
        : 'linear scaling';
  return `USL fit: ${peak} (σ ${num(u.sigma)}, κ ${num(u.kappa)}, R² ${num(u.r2)}, worst point off by ${Math.round(u.worstRelativeError * 100)}%).`;
}
