import type { Drill } from '../model/drill.js';
import type { MeasuredPhase, MeasuredSecond } from './load.js';
import type { DrillPrediction, PredictedPhase } from './predict.js';

/** One phase of the drill judged against the SLO, measured and predicted. */
export interface PhaseCheck {
  readonly name: 'before' | 'during' | 'after';
  /** Seconds from the drill's start: [from, to). */
  readonly from: number;
  readonly to: number;
  readonly measured: { readonly p99: number; readonly errorShare: number; readonly held: boolean };
  readonly predicted: { readonly p99: number; readonly errorShare: number; readonly held: boolean };
  /** Whether the SLO held (or not) as predicted. */
  readonly asPredicted: boolean;
}

/** A figure measured and predicted, and whether they agree within the tolerance (null: not judged, and why). */
export interface Comparison {
  readonly measured: number | null;
  readonly predicted: number | null;
  /** 95% interval of the prediction, when it has one. */
  readonly predictedCi: readonly [number, number] | null;
  readonly tolerance: string;
  readonly ok: boolean | null;
  readonly note: string | null;
}

export interface DrillVerdict {
  readonly phases: readonly PhaseCheck[];
  /** The SLO held in every phase, measured. */
  readonly hypothesisHeld: boolean;
  /** Largest per-second p99 from the fault's start to the end, seconds. */
  readonly peakP99: Comparison;
  /** Share of requests that failed for good from the fault's start to the end. */
  readonly errorShare: Comparison;
  /** Seconds from the rollback until p99 is back within the margin of the baseline (and stays 3 s); null = not within the drill. */
  readonly recoverySeconds: Comparison;
  /** Largest backlog (client requests in flight at a second's end): information, not judged. */
  readonly peakInFlight: { readonly measured: number; readonly predicted: number };
  /** The prediction held: the phases as predicted and the three figures within tolerance. */
  readonly predictionHeld: boolean;
  readonly rollback: { readonly ran: boolean; readonly ok: boolean };
  readonly aborted: string | null;
  readonly ok: boolean;
  /** 0 when the hypothesis and the prediction held and the rollback succeeded, else 1. */
  readonly exitCode: 0 | 1;
  readonly message: string;
}

/** Seconds a recovered p99 must hold before the drill calls it recovered. */
export const RECOVERY_HOLD_SECONDS = 3;

/**
 * The first second at or after `from` that starts a run of `hold` seconds whose p99 are all at or below `threshold`
 * (and, when `shares` is given, whose failed share is at most `maxShare`: a few lucky answers amid failures are not a
 * recovery), as seconds after `from`; null when there is none inside the timeline. A second with no answer is not
 * recovered.
 * @example recoverySeconds([0.9, 0.5, 0.02, 0.02, 0.03, 0.02], 1, 0.05) // => 1
 */
export function recoverySeconds(
  p99s: readonly number[],
  from: number,
  threshold: number,
  options: { readonly shares?: readonly number[]; readonly maxShare?: number; readonly hold?: number } = {},
): number | null {
  const hold = options.hold ?? RECOVERY_HOLD_SECONDS;
  const start = Math.ceil(from);
  for (let k = Math.max(0, start); k + hold <= p99s.length; k++) {
    let ok = true;
    for (let j = k; j < k + hold; j++) {
      const v = p99s[j]!;
      const shareOk = options.shares === undefined || (options.shares[j] ?? 0) <= (options.maxShare ?? 1);
      if (!(v <= threshold) || !shareOk) {
        ok = false;
        break;
      }
    }
    if (ok) return k - start;
  }
  return null;
}

/**
 * The p99 a recovered second must be back under: the worst per-second p99 of the baseline (its first second, the
 * start-up, left out) times (1 + margin). The worst second rather than a typical one, because a second's p99 rests on
 * a few requests (at 120/s, about the largest of 120) and wanders with them even in steady state.
 */
export function recoveryThreshold(p99s: readonly number[], baseline: number, margin: number): number {
  let worst = NaN;
  for (let k = 1; k < Math.min(p99s.length, Math.floor(baseline)); k++) {
    const v = p99s[k]!;
    if (Number.isFinite(v) && !(v <= worst)) worst = v;
  }
  return worst * (1 + margin);
}

const fmt = (s: number): string => (Number.isFinite(s) ? `${(s * 1000).toFixed(0)} ms` : 'n/a');
const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a');

/**
 * Judge a drill: the hypothesis (the SLO in each phase, measured), the prediction (each phase held or not as
 * predicted; peak p99 within a relative tolerance, the failed share within an absolute one, the recovery time within
 * an absolute one), the rollback, and whether the drill ran to its end.
 */
export function judgeDrill(input: {
  readonly drill: Drill;
  readonly measured: readonly MeasuredSecond[];
  readonly measuredPhase: (from: number, to: number) => MeasuredPhase;
  readonly prediction: DrillPrediction;
  readonly rollback: { readonly ran: boolean; readonly ok: boolean };
  readonly aborted: string | null;
}): DrillVerdict {
  const { drill, measured, prediction } = input;
  const h = drill.hypothesis;
  const at = drill.fault.at;
  const end = at + drill.fault.for;
  const D = drill.duration;
  const held = (p99: number, share: number): boolean => p99 <= h.sloP99 && (Number.isNaN(share) || share <= h.maxErrors);
  const phaseCheck = (name: PhaseCheck['name'], from: number, to: number, p: PredictedPhase): PhaseCheck => {
    const m = input.measuredPhase(from, to);
    const mHeld = held(m.p99, m.errorShare);
    const pHeld = held(p.p99.median, p.errorShare.mean);
    return { name, from, to, measured: { p99: m.p99, errorShare: m.errorShare, held: mHeld }, predicted: { p99: p.p99.median, errorShare: p.errorShare.mean, held: pHeld }, asPredicted: mHeld === pHeld };
  };
  const complete = input.aborted === null && measured.length >= Math.ceil(D);
  const phases = complete
    ? [phaseCheck('before', 1, drill.baseline, prediction.phases.before), phaseCheck('during', at, end, prediction.phases.during), phaseCheck('after', end, D, prediction.phases.after)]
    : [phaseCheck('before', 1, drill.baseline, prediction.phases.before)];
  const hypothesisHeld = phases.every((p) => p.measured.held);

  const predicted = prediction.seconds;
  const notJudged = prediction.faultNotPredicted !== null ? `not predicted: ${prediction.faultNotPredicted}` : !complete ? 'the drill did not run to its end' : null;
  const faultSeconds = <T extends { readonly t: number }>(xs: readonly T[]): T[] => xs.filter((s) => s.t >= Math.floor(at));

  // Peak p99 from the fault's start on.
  const mPeak = maxOf(faultSeconds(measured).map((s) => s.p99));
  const pPeakSecond = argMax(faultSeconds(predicted), (s) => s.p99.median);
  const peakP99 = compare(
    mPeak,
    pPeakSecond ? pPeakSecond.p99.median : NaN,
    pPeakSecond ? pPeakSecond.p99.ci95 : null,
    `±${(h.p99Tolerance * 100).toFixed(0)}%`,
    (m, p) => Math.abs(m - p) <= h.p99Tolerance * p,
    notJudged,
  );

  // Failed share from the fault's start on.
  const mShare = input.measuredPhase(at, D).errorShare;
  const ps = faultSeconds(predicted);
  const pFailed = ps.reduce((a, s) => a + s.errors.mean, 0);
  const pResolved = ps.reduce((a, s) => a + s.errors.mean + s.achieved.mean, 0);
  const pShare = pResolved > 0 ? pFailed / pResolved : NaN;
  const errorShare = compare(mShare, pShare, null, `±${(h.errorTolerance * 100).toFixed(1)} points`, (m, p) => Math.abs(m - p) <= h.errorTolerance, notJudged);

  // Recovery after the rollback.
  const mP99s = measured.map((s) => s.p99);
  const pP99s = predicted.map((s) => s.p99.median);
  const share = (failed: number, ok: number): number => (failed + ok > 0 ? failed / (failed + ok) : 0);
  const mShares = measured.map((s) => share(s.errors, s.achieved));
  const pShares = predicted.map((s) => share(s.errors.mean, s.achieved.mean));
  const mRec = recoverySeconds(mP99s, end, recoveryThreshold(mP99s, drill.baseline, h.recoveryMargin), { shares: mShares, maxShare: h.maxErrors });
  const pRec = recoverySeconds(pP99s, end, recoveryThreshold(pP99s, drill.baseline, h.recoveryMargin), { shares: pShares, maxShare: h.maxErrors });
  const recNote = notJudged ?? (mRec === null && pRec === null ? 'neither recovered within the drill' : null);
  const recovery: Comparison = {
    measured: mRec,
    predicted: pRec,
    predictedCi: null,
    tolerance: `±${h.recoveryTolerance} s`,
    ok: notJudged !== null ? null : mRec === null || pRec === null ? mRec === pRec : Math.abs(mRec - pRec) <= h.recoveryTolerance,
    note: recNote,
  };

  const peakInFlight = { measured: Math.max(0, ...measured.map((s) => s.inFlight)), predicted: Math.max(0, ...predicted.map((s) => s.inFlight.mean)) };
  const predictionHeld = phases.every((p) => p.asPredicted) && [peakP99, errorShare, recovery].every((c) => c.ok !== false);
  const ok = hypothesisHeld && predictionHeld && input.rollback.ok && input.aborted === null;

  const parts: string[] = [];
  if (input.aborted !== null) parts.push(`the drill stopped early: ${input.aborted}`);
  if (!input.rollback.ran) parts.push('no fault was applied');
  else if (!input.rollback.ok) parts.push('the ROLLBACK FAILED: the fault may still be in force');
  const broken = phases.filter((p) => !p.measured.held).map((p) => p.name);
  const slo = `the SLO (p99 ${fmt(h.sloP99)}, errors ${pct(h.maxErrors)})`;
  parts.push(hypothesisHeld ? `${slo} held ${complete ? 'in every phase' : 'before the fault (the only phase judged)'}` : `${slo} did not hold ${broken.join(' and ')} the fault`);
  const off = [peakP99.ok === false ? 'peak p99' : null, errorShare.ok === false ? 'failed share' : null, recovery.ok === false ? 'recovery time' : null, ...phases.filter((p) => !p.asPredicted).map((p) => `the SLO ${p.name} the fault`)].filter((x) => x !== null);
  parts.push(predictionHeld ? (notJudged ? `the prediction held where judged (${notJudged})` : 'the prediction held') : `the prediction was off: ${off.join(', ')}`);
  return {
    phases,
    hypothesisHeld,
    peakP99,
    errorShare,
    recoverySeconds: recovery,
    peakInFlight,
    predictionHeld,
    rollback: input.rollback,
    aborted: input.aborted,
    ok,
    exitCode: ok ? 0 : 1,
    message: parts.join('; '),
  };
}

function compare(
  measured: number,
  predicted: number,
  ci: readonly [number, number] | null,
  tolerance: string,
  within: (m: number, p: number) => boolean,
  notJudged: string | null,
): Comparison {
  const m = Number.isNaN(measured) ? null : measured;
  const p = Number.isNaN(predicted) ? null : predicted;
  if (notJudged !== null) return { measured: m, predicted: p, predictedCi: ci, tolerance, ok: null, note: notJudged };
  if (m === Infinity || p === Infinity) {
    // No request answered at the peak: a collapse. Agreement is that both collapsed.
    const both = m === Infinity && p === Infinity;
    return { measured: m, predicted: p, predictedCi: ci, tolerance, ok: both, note: both ? 'no request answered at the peak, measured and predicted (a collapse)' : 'a collapse on one side only' };
  }
  if (m === null || p === null) return { measured: m, predicted: p, predictedCi: ci, tolerance, ok: false, note: m === null ? 'nothing measured' : 'nothing predicted' };
  return { measured: m, predicted: p, predictedCi: ci, tolerance, ok: within(m, p), note: null };
}

function maxOf(xs: readonly number[]): number {
  let best = NaN;
  for (const x of xs) if (!Number.isNaN(x) && !(x <= best)) best = x;
  return best;
}

function argMax<T>(xs: readonly T[], f: (x: T) => number): T | undefined {
  let best: T | undefined;
  let v = -Infinity;
  for (const x of xs) {
    const y = f(x);
    if (!Number.isNaN(y) && (y > v || best === undefined)) {
      v = y;
      best = x;
    }
  }
  return best;
}

