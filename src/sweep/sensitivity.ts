import type { SweepAxis } from '../model/sweep.js';
import type { SweepJob } from './job.js';
import type { PointOutcome } from './outcome.js';

/**
 * One-at-a-time sensitivity (a tornado): the base plan, then each axis alone at its first (low) and last (high) value
 * with every other input as the scenario has it. Job 0 is the base; axis i is jobs 1 + 2i (low) and 2 + 2i (high).
 */
export function sensitivityJobs(axes: readonly SweepAxis[]): SweepJob[] {
  const none = axes.map(() => null);
  const jobs: SweepJob[] = [{ kind: 'point', index: 0, values: none }];
  axes.forEach((a, i) => {
    for (const [k, v] of [a.values[0]!, a.values.at(-1)!].entries()) {
      const values: Array<number | string | null> = [...none];
      values[i] = v;
      jobs.push({ kind: 'point', index: 1 + 2 * i + k, values });
    }
  });
  return jobs;
}

export interface TornadoRow {
  readonly axis: string;
  readonly low: number | string;
  readonly high: number | string;
  readonly costLow: number;
  readonly costHigh: number;
  /** |costHigh − costLow|. */
  readonly costSwing: number;
  /** Earliest exhaustion at low and high (null: not within the horizon). */
  readonly exhaustionLowMs: number | null;
  readonly exhaustionHighMs: number | null;
  /** Days between the two earliest exhaustion dates; a date beyond the horizon counts as the horizon's end. */
  readonly exhaustionSwingDays: number;
}

/**
 * The tornado table, ranked by cost swing (ties by exhaustion swing); `horizonEndMs` stands in for "not within the
 * horizon" when measuring a date swing.
 */
export function tornado(axes: readonly SweepAxis[], outcomes: readonly PointOutcome[], horizonEndMs: number): TornadoRow[] {
  const at = (i: number): PointOutcome => outcomes.find((o) => o.index === i)!;
  const rows = axes.map((a, i) => {
    const lo = at(1 + 2 * i);
    const hi = at(2 + 2 * i);
    const d = (x: number | null): number => x ?? horizonEndMs;
    return {
      axis: a.name,
      low: a.values[0]!,
      high: a.values.at(-1)!,
      costLow: lo.totalCost,
      costHigh: hi.totalCost,
      costSwing: Math.abs(hi.totalCost - lo.totalCost),
      exhaustionLowMs: lo.exhaustionMs,
      exhaustionHighMs: hi.exhaustionMs,
      exhaustionSwingDays: Math.abs(d(hi.exhaustionMs) - d(lo.exhaustionMs)) / 86_400_000,
    };
  });
  return rows.sort((a, b) => b.costSwing - a.costSwing || b.exhaustionSwingDays - a.exhaustionSwingDays);
}

/** The interaction grid of the two top-ranked axes: every value of one against every value of the other. */
export function interactionJobs(axes: readonly SweepAxis[], top: readonly [string, string], firstIndex: number): SweepJob[] {
  const ia = axes.findIndex((a) => a.name === top[0]);
  const ib = axes.findIndex((a) => a.name === top[1]);
  const jobs: SweepJob[] = [];
  let index = firstIndex;
  for (const va of axes[ia]!.values) {
    for (const vb of axes[ib]!.values) {
      const values: Array<number | string | null> = axes.map(() => null);
      values[ia] = va;
      values[ib] = vb;
      jobs.push({ kind: 'point', index: index++, values });
    }
  }
  return jobs;
}
