import { erlangC } from './erlang-c.js';

/**
 * Waiting time in an M/G/c (more generally GI/G/c) queue, by the approximations used for sizing:
 *
 * - probability of waiting P(W > 0) ≈ C(c, a), the Erlang C value of the M/M/c queue with the same mean service time
 *   (exact for exponential service; the standard approximation otherwise — Tijms, A First Course in Stochastic Models,
 *   2003, §5.3, and Whitt, "Approximations for the GI/G/m queue", Production and Operations Management 2(2), 1993);
 * - mean wait by Allen–Cunneen: E[Wq] ≈ E[Wq(M/M/c)] · (ca² + cs²) / 2, with ca² the squared coefficient of variation
 *   of inter-arrival times (1 for Poisson arrivals) and cs² that of service times (A. O. Allen, Probability, Statistics
 *   and Queueing Theory, 2nd ed., 1990, §6.4; Kingman's heavy-traffic formula is the c = 1 case);
 * - the conditional wait W | W > 0 taken as exponential with mean E[Wq] / P(W > 0), which is exact for M/M/c (there it
 *   is 1/(cμ − λ)) and the usual two-moment tail approximation otherwise (Tijms 2003, §5.3.2).
 */
export interface WaitModel {
  /** P(W > 0). */
  readonly pWait: number;
  /** Rate θ of the exponential conditional wait, 1/s: P(W > t) ≈ pWait · e^{−θ t}. 0 when unstable. */
  readonly theta: number;
  /** E[Wq] in seconds (Infinity when unstable). */
  readonly meanWait: number;
  /** Offered load per server, λ E[S] / c. */
  readonly rho: number;
}

/**
 * @param servers c
 * @param lambda arrival rate, 1/s
 * @param meanService E[S], seconds
 * @param scv cs², squared coefficient of variation of the service time
 * @param arrivalScv ca², 1 for Poisson arrivals
 * @example mgcWait(1, 0.5, 1, 1).meanWait // => 1   (M/M/1 with ρ = 0.5: ρ/(μ − λ))
 */
export function mgcWait(servers: number, lambda: number, meanService: number, scv: number, arrivalScv = 1): WaitModel {
  const a = lambda * meanService;
  const rho = a / servers;
  if (!(rho < 1)) return { pWait: 1, theta: 0, meanWait: Infinity, rho };
  if (lambda === 0) return { pWait: 0, theta: Infinity, meanWait: 0, rho: 0 };
  const c = erlangC(servers, a);
  const mmc = c / (servers / meanService - lambda);
  const meanWait = mmc * ((arrivalScv + scv) / 2);
  const theta = meanWait > 0 ? c / meanWait : Infinity;
  return { pWait: c, theta, meanWait, rho };
}
