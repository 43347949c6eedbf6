/**
 * The compiled routing table (built by compile-spec.ts) and the two draws made on it: the hop a request enters at, and
 * the hop after a station whose next hop is drawn from branches. Both return integers (hop indices) and take the
 * routing stream, so a model's routing draws stay in one stream whatever else changes.
 */
import type { Rng } from '../rng.js';

/** The routing table: hops are positions of a path or stations of a network. */
export interface CompiledRouting {
  readonly hopStation: Int32Array;
  /** Next hop when fixed (−1 = leave), or −2 when drawn from the branches. */
  readonly hopNext: Int32Array;
  readonly branchStart: Int32Array;
  readonly branchHop: Int32Array;
  readonly branchCum: Float64Array;
  readonly entryHop: Int32Array;
  readonly entryCum: Float64Array;
}

/**
 * The hop a new request enters at: the only entry, with no draw, or the first whose cumulative probability exceeds a
 * uniform draw from `rng` (inverse-transform sampling of a discrete distribution).
 */
export function drawEntryHop(r: CompiledRouting, rng: Rng): number {
  if (r.entryHop.length === 1) return r.entryHop[0] as number;
  const u = rng.next();
  let i = 0;
  while (i < r.entryHop.length - 1 && u >= (r.entryCum[i] as number)) i++;
  return r.entryHop[i] as number;
}

/** The hop after `hop` when it is drawn from the branches (hopNext = −2); −1 = leave (the branches sum to ≤ 1). */
export function drawBranchHop(r: CompiledRouting, hop: number, rng: Rng): number {
  const u = rng.next();
  const end = r.branchStart[hop + 1] as number;
  for (let b = r.branchStart[hop] as number; b < end; b++) if (u < (r.branchCum[b] as number)) return r.branchHop[b] as number;
  return -1;
}
