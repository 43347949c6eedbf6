/** The planner's bounds, in a module of their own that imports nothing, so `headroom plan --help` can name them without loading the planner. */

/**
 * The most nodes the planner sizes one service to. A demand that needs more is a finding of the plan (which service,
 * which period, what this many nodes serve), not a count: the searches stay bounded (the M/G/c wait over a pool of
 * 1.6 million servers took 37 ms per evaluation, linear in the count, and sizing one period takes about 40).
 */
export const MAX_PLANNED_NODES = 20_000;

/** A plan reaching past the history by more than this many times the history's length is warned about. */
export const HORIZON_WARN_FACTOR = 3;
/** Beyond this many times the history's length a plan needs an explicit allowance (`--allow-long-horizon`). */
export const HORIZON_LIMIT_FACTOR = 10;
