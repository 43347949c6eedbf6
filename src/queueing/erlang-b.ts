/**
 * Erlang B: the probability that an arrival finds all `servers` busy in an M/M/c/c loss system (no waiting room) with
 * offered load `offered` = λ/μ erlangs. Insensitive to the service-time distribution beyond its mean (M/G/c/c).
 *
 * Computed with the standard stable recursion B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1))
 * (e.g. Wikipedia "Erlang (unit)", section "Erlang B formula"; Tijms, A First Course in Stochastic Models, 2003, §5.2),
 * which never forms a^c or c! and so stays finite for thousands of servers. O(servers).
 *
 * @example erlangB(2, 1) // => 0.2   (a²/2 / (1 + a + a²/2) with a = 1)
 * @throws RangeError for a negative or non-integer server count or a negative load.
 */
export function erlangB(servers: number, offered: number): number {
  if (!Number.isInteger(servers) || servers < 0) throw new RangeError(`erlangB: servers must be a non-negative integer, got ${servers}`);
  if (!(offered >= 0)) throw new RangeError(`erlangB: offered load must be >= 0 erlangs, got ${offered}`);
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (offered * b) / (k + offered * b);
  return b;
}
