/**
 * The simulator's event kinds: small integers carried in the event heap and dispatched by a switch in
 * `Simulation.handle` (and, for the first two, by the fast loop), so no event is an object or a string.
 * Arrivals and departures are the events of nearly every request; the rest are rare (timeouts, retries, the warm-up,
 * series samples, failures, autoscaling).
 */

/** A source's next external arrival (target: source index). */
export const EV_ARRIVAL = 1;
/** A request leaves a worker (target: job id, aux: the job's generation tag when scheduled). */
export const EV_DEPART = 2;
/** A client stops waiting (target: client request id, aux: its generation tag). */
export const EV_TIMEOUT = 3;
/** A client sends its next attempt after the backoff (target: client request id, aux: its generation tag). */
export const EV_RETRY = 4;
/** The warm-up ends by time: the measured window starts. */
export const EV_WARMUP = 5;
/** A series sample is due. */
export const EV_SAMPLE = 6;
/** A failure window opens: its nodes go down (target: failure index). */
export const EV_FAIL = 7;
/** A failure window closes: its nodes come back (target: failure index). */
export const EV_REPAIR = 8;
/** A random failure takes one node down (target: failure index, aux: node position in the failure). */
export const EV_RANDOM_FAIL = 9;
/** A randomly failed node is repaired (target: failure index, aux: node position in the failure). */
export const EV_RANDOM_REPAIR = 10;
/** A degraded window opens: its nodes' service times are multiplied by the slowdown (target: failure index). */
export const EV_DEGRADE_ON = 11;
/** A degraded window closes (target: failure index). */
export const EV_DEGRADE_OFF = 12;
/** An autoscaler evaluates its station (target: station index). */
export const EV_SCALE_EVAL = 13;
/** Nodes added by scale-up are ready (target: station index, aux: nodes added). */
export const EV_SCALE_READY = 14;
