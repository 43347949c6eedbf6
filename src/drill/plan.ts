import { inputError } from '../errors.js';
import type { DrillLimits } from './defaults.js';
export { DEFAULT_DRILL_LIMITS, type DrillLimits } from './defaults.js';
import type { Drill } from '../model/drill.js';
import { isLoopbackHost } from '../validate/ceiling.js';
import { checkRemote } from '../validate/safety.js';


/** Share of the generator's measured ceiling a drill may offer: above it the timeline would measure the generator. */
export const CEILING_SHARE = 0.5;

/** Bad plans, refused before anything is sent: a remote target without consent, too long, too many requests, too fast for the generator. */
export function checkDrillPlan(drill: Drill, o: { readonly allowRemote: boolean; readonly limits: DrillLimits; readonly generatorCeiling: number | null }): void {
  checkRemote(drill.target.url, o.allowRemote, `${drill.file}: target`);
  drill.fault.actions.forEach((a, i) => {
    // serve-demo answers its fault control only to clients on its own machine, so a remote one could never be undone.
    if (a.kind === 'demo' && !isLoopbackHost(a.controlUrl.hostname)) {
      throw inputError(`${drill.file}: fault.actions[${i}]`, `serve-demo's fault control answers only on this machine; ${a.controlUrl.host} is not (a remote target needs a command action)`);
    }
  });
  if (drill.duration > o.limits.maxDuration) {
    throw inputError(`${drill.file}: duration`, `the drill takes ${drill.duration} s, above --max-duration ${o.limits.maxDuration} s; shorten it or raise --max-duration`);
  }
  const attempts = 1 + (drill.client.retries?.max ?? 0);
  const requests = Math.ceil(drill.ratePerSec * drill.duration * attempts);
  if (requests > o.limits.maxRequests) {
    throw inputError(
      `${drill.file}: load.rate`,
      `the drill may send ${requests} requests (${drill.ratePerSec}/s for ${drill.duration} s, ${attempts} attempt${attempts === 1 ? '' : 's'} each at most), above --max-requests ${o.limits.maxRequests}`,
    );
  }
  if (o.generatorCeiling !== null && drill.ratePerSec > CEILING_SHARE * o.generatorCeiling) {
    throw inputError(
      `${drill.file}: load.rate`,
      `${drill.ratePerSec}/s is beyond what this machine's load generator can send faithfully (ceiling ${o.generatorCeiling.toFixed(0)}/s measured; a drill may offer at most ${(CEILING_SHARE * 100).toFixed(0)}% of it)`,
    );
  }
}
