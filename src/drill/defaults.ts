/** A drill's defaults, in a module that imports nothing, so `headroom drill --help` names them without loading the drill. */

/** Bounds of a drill, checked before anything is sent. */
export interface DrillLimits {
  /** Seconds. */
  readonly maxDuration: number;
  /** Requests the drill may send at most, retries included (rate × duration × (1 + retries)). */
  readonly maxRequests: number;
}

export const DEFAULT_DRILL_LIMITS: DrillLimits = { maxDuration: 600, maxRequests: 200_000 };

/** Where a drill keeps its state file while a fault is applied (relative to the working directory). */
export const DEFAULT_STATE_DIR = '.headroom';
