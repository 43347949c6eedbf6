import { z } from 'zod';
import { HeadroomError } from '../errors.js';
import type { SweepSpec } from './spec.js';
import type { PointOutcome } from './outcome.js';
import type { PathOutcome } from './path-plan.js';

/**
 * One unit of sweep work: a grid point (its axis values; null = the scenario's own value) or a batch of Monte-Carlo
 * paths [from, to). A job carries its indices and nothing random: the seed is the spec's, and path k always draws from
 * stream k, so any worker, in any order, gives the same numbers.
 */
export type SweepJob =
  | { readonly kind: 'point'; readonly index: number; readonly values: ReadonlyArray<number | string | null> }
  | { readonly kind: 'paths'; readonly index: number; readonly from: number; readonly to: number };

export type JobResult =
  | { readonly kind: 'point'; readonly index: number; readonly outcome: PointOutcome }
  | { readonly kind: 'paths'; readonly index: number; readonly paths: readonly PathOutcome[] };

const jobSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('point'), index: z.number().int().nonnegative(), values: z.array(z.union([z.number(), z.string().max(200), z.null()])).max(32) }),
  z.strictObject({ kind: z.literal('paths'), index: z.number().int().nonnegative(), from: z.number().int().nonnegative(), to: z.number().int().positive() }),
]);

/**
 * Check a job received from a queue against its spec: the shape, every value one of its axis's values (or null), a
 * path range inside the spec's path count.
 * @throws HeadroomError INPUT_INVALID naming the problem.
 */
export function decodeJob(raw: unknown, spec: SweepSpec): SweepJob {
  const r = jobSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new HeadroomError('INPUT_INVALID', `sweep job ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const job = r.data;
  if (job.kind === 'point') {
    if (job.values.length !== spec.axes.length) {
      throw new HeadroomError('INPUT_INVALID', `sweep job values: expected ${spec.axes.length} (one per axis), got ${job.values.length}`);
    }
    job.values.forEach((v, i) => {
      if (v !== null && !spec.axes[i]!.values.includes(v)) {
        throw new HeadroomError('INPUT_INVALID', `sweep job values[${i}]: expected one of the values of axis ${spec.axes[i]!.name}, got ${String(v)}`);
      }
    });
  } else if (!(job.from < job.to && job.to <= spec.monteCarlo.paths)) {
    throw new HeadroomError('INPUT_INVALID', `sweep job paths: expected 0 <= from < to <= ${spec.monteCarlo.paths}, got ${job.from}..${job.to}`);
  }
  return job;
}
