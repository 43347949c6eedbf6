/**
 * Closed-form queueing results, written from their textbook definitions and independent of the simulator: the truth
 * the simulation tests compare against. Times in seconds, rates per second.
 *
 * Sources: Gross, Shortle, Thompson & Harris, "Fundamentals of Queueing Theory", 4th ed. (Wiley 2008) — GSTH below;
 * Kleinrock, "Queueing Systems, Vol. 1" (1975); Jackson, "Networks of waiting lines", Oper. Res. 5(4), 1957.
 */

/** M/M/1 (GSTH §2.2): ρ = λ/μ, W = 1/(μ − λ), Wq = ρ/(μ − λ), L = ρ/(1 − ρ), Lq = ρ²/(1 − ρ). */
export function mm1(lambda: number, mu: number): { rho: number; W: number; Wq: number; L: number; Lq: number } {
  const rho = lambda / mu;
  return { rho, W: 1 / (mu - lambda), Wq: rho / (mu - lambda), L: rho / (1 - rho), Lq: (rho * rho) / (1 - rho) };
}

/** Quantile of the M/M/1 FCFS response time, which is exponential with rate μ − λ (Kleinrock §3.2): −ln(1 − q)/(μ − λ). */
export function mm1ResponseQuantile(lambda: number, mu: number, q: number): number {
  return -Math.log(1 - q) / (mu - lambda);
}

/** Σ_{k=0}^{n} a^k / k!, summed term by term. */
function poissonSum(a: number, n: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k <= n; k++) {
    term *= a / k;
    sum += term;
  }
  return sum;
}

/** a^n / n! */
function powFact(a: number, n: number): number {
  let t = 1;
  for (let k = 1; k <= n; k++) t *= a / k;
  return t;
}

/**
 * M/M/c (GSTH §2.3), offered load a = λ/μ, ρ = a/c < 1:
 * p0 = [Σ_{n=0}^{c−1} aⁿ/n! + a^c/(c!(1 − ρ))]⁻¹; Erlang C: P(wait) = a^c/(c!(1 − ρ)) · p0;
 * Wq = P(wait)/(cμ − λ); W = Wq + 1/μ; Lq = λ Wq; L = λ W.
 */
export function mmc(lambda: number, mu: number, c: number): { pWait: number; Wq: number; W: number; Lq: number; L: number; rho: number } {
  const a = lambda / mu;
  const rho = a / c;
  const tail = powFact(a, c) / (1 - rho);
  const p0 = 1 / (poissonSum(a, c - 1) + tail);
  const pWait = tail * p0;
  const Wq = pWait / (c * mu - lambda);
  return { pWait, Wq, W: Wq + 1 / mu, Lq: lambda * Wq, L: lambda * (Wq + 1 / mu), rho };
}

/** Erlang B (GSTH §2.6, M/M/c/c; insensitive to the service distribution): B = (a^c/c!) / Σ_{k=0}^{c} a^k/k!. */
export function erlangB(a: number, c: number): number {
  return powFact(a, c) / poissonSum(a, c);
}

/**
 * M/M/c/K (GSTH §2.5), K = c + queue capacity places in total: pₙ = p0 aⁿ/n! for n ≤ c, p0 aⁿ/(c! c^{n−c}) for
 * c < n ≤ K; blocking = p_K; λ_eff = λ(1 − p_K); L = Σ n pₙ, Lq = Σ (n − c) pₙ; W = L/λ_eff, Wq = Lq/λ_eff.
 */
export function mmck(lambda: number, mu: number, c: number, K: number): { block: number; L: number; Lq: number; W: number; Wq: number; throughput: number } {
  const a = lambda / mu;
  const p: number[] = [];
  for (let n = 0; n <= K; n++) p.push(n <= c ? powFact(a, n) : powFact(a, c) * Math.pow(a / c, n - c));
  const z = p.reduce((x, y) => x + y, 0);
  const pn = p.map((x) => x / z);
  const L = pn.reduce((s, x, n) => s + n * x, 0);
  const Lq = pn.reduce((s, x, n) => s + Math.max(0, n - c) * x, 0);
  const block = pn[K] as number;
  const lEff = lambda * (1 - block);
  return { block, L, Lq, W: L / lEff, Wq: Lq / lEff, throughput: lEff };
}

/**
 * M/G/1, Pollaczek–Khinchine mean-value formula (GSTH §5.1.1; Kleinrock §5.6):
 * Wq = λ E[S²] / (2(1 − ρ)) = ρ (1 + c_s²) E[S] / (2(1 − ρ)), with c_s² the squared coefficient of variation of the
 * service time (0 for M/D/1, cv² for a lognormal given its cv). W = Wq + E[S].
 */
export function mg1(lambda: number, meanService: number, scv: number): { Wq: number; W: number; Lq: number; L: number } {
  const rho = lambda * meanService;
  const Wq = (rho * (1 + scv) * meanService) / (2 * (1 - rho));
  return { Wq, W: Wq + meanService, Lq: lambda * Wq, L: lambda * (Wq + meanService) };
}

/**
 * Two-sided 95% Student t quantiles t_{0.975, ν} for ν = 1..10 (standard table, e.g. NIST/SEMATECH e-Handbook §1.3.6.7.2).
 */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

/** Mean and 95% confidence interval over replicas: mean ± t_{0.975, R−1} s/√R. */
export function ci95(xs: readonly number[]): { mean: number; lo: number; hi: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const s = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const h = (T975[n - 2] as number) * (s / Math.sqrt(n));
  return { mean, lo: mean - h, hi: mean + h };
}

/**
 * GI/M/1 (GSTH §6.2; Kleinrock §6.4): with A*(s) the Laplace–Stieltjes transform of the inter-arrival time, σ is the
 * root in (0, 1) of σ = A*(μ − μσ), found here by fixed-point iteration from 0 (monotone convergence for ρ < 1);
 * the response time is exponential with mean W = 1 / (μ(1 − σ)), and Wq = σ / (μ(1 − σ)).
 * For round-robin splitting of a Poisson(λ) stream over N nodes, each node's inter-arrival time is Erlang(N, λ):
 * A*(s) = (λ / (λ + s))^N.
 */
export function giM1(lst: (s: number) => number, mu: number): { sigma: number; W: number; Wq: number } {
  let sigma = 0;
  for (let i = 0; i < 100_000; i++) {
    const next = lst(mu - mu * sigma);
    if (Math.abs(next - sigma) < 1e-15) break;
    sigma = next;
  }
  return { sigma, W: 1 / (mu * (1 - sigma)), Wq: sigma / (mu * (1 - sigma)) };
}
