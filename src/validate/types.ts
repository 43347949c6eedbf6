/**
 * Types shared by the validation engine (src/validate): what is sent, what one open-model step measured, what a
 * closed-loop concurrency sweep measured, and the `validation.json` document. Times are seconds, rates requests/s.
 */

/** One HTTP request template: every request of a run is this request. */
export interface RequestTarget {
  readonly url: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

/** Arrival schedule of an open-model step: evenly spaced, or a Poisson process (exponential gaps). */
export type ArrivalKind = 'uniform' | 'poisson';

/**
 * What one open-model step measured. Latencies are from the INTENDED send time (so a late send counts against the
 * latency, as in wrk2 and k6's constant-arrival-rate), over requests scheduled in the measured window (after warm-up).
 */
export interface StepResult {
  /** Requests/s the schedule offered. */
  readonly offeredRate: number;
  /** Successful (2xx) responses completed inside the measured window, per second. */
  readonly achievedRate: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
  /** Failed requests other than timeouts: connection errors plus non-2xx answers. */
  readonly errors: number;
  /** Of `errors`: answers with a status outside 200–299. */
  readonly non2xx: number;
  /** Requests that passed the per-request timeout (counted apart from errors). */
  readonly timeouts: number;
  /** Scheduled sends skipped because `maxInFlight` requests were already outstanding (never silently dropped). */
  readonly dropped: number;
  /** Requests scheduled in the measured window. */
  readonly scheduled: number;
  /** Requests of the measured window that got a 2xx answer (whenever it came). */
  readonly succeeded: number;
  /** Requests outstanding when the step stopped sending. */
  readonly inFlightAtEnd: number;
  /** Measured window, seconds (shorter than asked when the step was aborted). */
  readonly duration: number;
  readonly warmup: number;
  readonly arrivals: ArrivalKind;
  /** How late the sender was against its schedule: p50 and p99 of (actual send − intended send), seconds. */
  readonly sendLagP50: number;
  readonly sendLagP99: number;
  /** Why the step stopped early (error or latency cut-off), or null. */
  readonly aborted: string | null;
  /**
   * Share of all this machine's cores (0..1) that every process together kept busy while the step ran, warm-up
   * included: near 1, the generator, a local target and other work competed for CPU (absent in older files).
   */
  readonly machineBusyShare?: number;
  /** CPU the generator's own process used per request it sent in the step, milliseconds (absent in older files). */
  readonly generatorCpuMsPerRequest?: number;
  /** Answers per HTTP status code (requests of the measured window). */
  readonly statusCodes: Readonly<Record<number, number>>;
  /** The latency histogram (microseconds), HdrHistogram compressed base64, for calibration. */
  readonly histogram: string;
}

/** One point of a closed-loop (autocannon) concurrency sweep. Latencies are closed-loop figures (no CO correction). */
export interface SweepPoint {
  readonly concurrency: number;
  /** 2xx responses per second after the warm-up. */
  readonly throughput: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly duration: number;
  readonly label: 'closed-loop';
}

/** Universal Scalability Law fitted to a sweep: X(N) = lambda N / (1 + sigma (N-1) + kappa N (N-1)). */
export interface UslFit {
  readonly lambda: number;
  readonly sigma: number;
  readonly kappa: number;
  /** N* = sqrt((1 - sigma) / kappa); null when kappa = 0 (no peak: throughput rises to lambda / sigma). */
  readonly peakConcurrency: number | null;
  /** X(N*), or the asymptote lambda / sigma when kappa = 0; null when both are 0 (linear scaling). */
  readonly peakThroughput: number | null;
  readonly r2: number;
  /** max |fitted - measured| / measured over the sweep points. */
  readonly worstRelativeError: number;
  readonly points: number;
}

export interface Knee {
  /** The highest offered rate that passed every criterion, or null when none did. */
  readonly rate: number | null;
  /** Why the next step (or the first) failed, in words. */
  readonly reason: string;
}

export interface Criteria {
  /** p99 SLO, seconds. */
  readonly sloP99: number;
  /** Error budget as a fraction (errors + timeouts + dropped over scheduled). */
  readonly maxErrors: number;
  /** Achieved/offered below which a step is saturated (0.95). */
  readonly minAchievedRatio: number;
}
