/**
 * The M/M/c/K queue: c servers, room for K customers in all (c in service plus K − c waiting); arrivals that find K
 * present are lost. Stationary probabilities by the birth–death balance equations p_k = p_{k−1} · a / min(k, c)
 * (Kleinrock, Queueing Systems vol. 1, 1975, §3.6; Gross & Harris, Fundamentals of Queueing Theory, §2.5), with the
 * running product rescaled so that thousands of servers neither overflow nor underflow.
 *
 * Headroom uses it for the drop rate of a service with a bounded queue; for non-exponential service it is an
 * approximation (the loss probability of M/G/c/K depends on the whole service distribution), which the simulation
 * confirms.
 */
export interface MmckResult {
  /** P(an arrival is dropped) = p_K (PASTA). */
  readonly blocking: number;
  /** Mean number in the system. */
  readonly meanInSystem: number;
  /** Busy fraction of each server: λ(1 − p_K) E[S] / c. */
  readonly utilization: number;
}

/**
 * @param servers c >= 1
 * @param capacity K >= c, total customers the system holds
 * @param offered a = λ/μ erlangs
 * @example mmck(1, 1, 1).blocking // => 0.5   (M/M/1/1 = Erlang B with one server)
 */
export function mmck(servers: number, capacity: number, offered: number): MmckResult {
  if (!Number.isInteger(servers) || servers < 1) throw new RangeError(`mmck: servers must be a positive integer, got ${servers}`);
  if (!Number.isInteger(capacity) || capacity < servers) throw new RangeError(`mmck: capacity must be an integer >= servers, got ${capacity}`);
  // Unnormalised p_k with p_0 = 1, rescaled when large; `scale` tracks the factor divided out so far (log space).
  let p = 1;
  let sum = 1;
  let weighted = 0;
  for (let k = 1; k <= capacity; k++) {
    p *= offered / Math.min(k, servers);
    sum += p;
    weighted += k * p;
    if (sum > 1e250) {
      p /= 1e250;
      sum /= 1e250;
      weighted /= 1e250;
    }
  }
  const blocking = p / sum;
  return { blocking, meanInSystem: weighted / sum, utilization: (offered * (1 - blocking)) / servers };
}
