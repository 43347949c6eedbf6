import { HeadroomError } from '../errors.js';
import type { JobRunner } from './local-pool.js';

/** Placeholder until the queue runner lands. */
export async function openQueueRunner(_url: string, _o: { sweepId: string; log: (s: string) => void }): Promise<JobRunner> {
  throw new HeadroomError('INPUT_INVALID', '--queue is not available yet');
}
