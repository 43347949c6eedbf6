import { erlangB } from './erlang-b.js';

/**
 * Erlang C: the probability that an arrival has to wait in an M/M/c queue with `servers` = c and offered load
 * `offered` = a = λ/μ erlangs. From Erlang B by C = c·B / (c − a·(1 − B)) (Tijms 2003, §5.1; Wikipedia "Erlang (unit)",
 * "Erlang C formula"). Returns 1 when a >= c (the queue is unstable: everybody waits, without bound).
 *
 * @example erlangC(1, 0.5) // => 0.5   (an M/M/1 arrival waits with probability ρ)
 */
export function erlangC(servers: number, offered: number): number {
  if (servers < 1) return 1;
  if (offered >= servers) return 1;
  const b = erlangB(servers, offered);
  return (servers * b) / (servers - offered * (1 - b));
}

/**
 * Mean waiting time in queue of an M/M/c queue, seconds: E[Wq] = C(c, a) / (cμ − λ). Infinity when unstable.
 * @param lambda arrival rate, 1/s
 * @param mu service rate of one server, 1/s
 * @example mmcMeanWait(1, 0.5, 1) // => 1   (M/M/1: ρ/(μ − λ))
 */
export function mmcMeanWait(servers: number, lambda: number, mu: number): number {
  const slack = servers * mu - lambda;
  if (!(slack > 0)) return Infinity;
  return erlangC(servers, lambda / mu) / slack;
}

/**
 * Tail of the M/M/c waiting time, exact: P(Wq > t) = C(c, a) · e^{−(cμ − λ)t} (Kleinrock, Queueing Systems vol. 1, 1975,
 * §3.5; Tijms 2003, §5.1). 1 when the queue is unstable.
 * @example mmcWaitTail(1, 0.5, 1, 0) // => 0.5
 */
export function mmcWaitTail(servers: number, lambda: number, mu: number, t: number): number {
  const slack = servers * mu - lambda;
  if (!(slack > 0)) return 1;
  return erlangC(servers, lambda / mu) * Math.exp(-slack * t);
}
