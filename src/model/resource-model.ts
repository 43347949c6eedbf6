import type { Distribution } from './distribution.js';

/**
 * The resource model (models/*.yaml): what the fleet is made of and what one request costs. Shared by `simulate`
 * (stations), `plan` (sizing and cost) and `validate` (the prediction it checks). Times are seconds, prices per hour.
 *
 * ```yaml
 * name: web-shop
 * currency: USD
 * zones: [a, b, c]
 * nodeTypes:
 *   - { name: c6i.xlarge, vcpus: 4, memoryGiB: 8, hourlyPrice: 0.17, committedHourlyPrice: 0.107 }
 * services:
 *   - name: api
 *     nodeType: c6i.xlarge
 *     workersPerNode: 8                # concurrency per node (c of M/G/c)
 *     serviceTime: { distribution: lognormal, mean: 12ms, cv: 1.2 }
 *     # or instead of serviceTime, a throughput curve per node (Universal Scalability Law):
 *     # usl: { lambda: 900, sigma: 0.03, kappa: 0.0004 }
 *     queue: per-node                  # or shared
 *     queueCapacity: 200               # per node; absent = unbounded
 *     balancer: least-outstanding      # round-robin | random | least-outstanding | power-of-two
 *     requestClasses:                  # optional mix with their own costs
 *       - { name: read, weight: 0.8, serviceTime: { distribution: exponential, mean: 8ms } }
 *       - { name: write, weight: 0.2, serviceTime: { distribution: lognormal, mean: 30ms, cv: 1 } }
 *     client: { timeout: 2s, retries: { max: 2, backoff: 100ms, maxBackoff: 2s, jitter: full } }
 *     memoryGiBPerUnit: 0.002          # memory per unit of demand, when memory and not CPU is the limit
 *     latencyOffset: 0.4ms             # fixed delay outside the capacity (network, HTTP), added to every latency
 * ```
 */

export type Balancer = 'round-robin' | 'random' | 'least-outstanding' | 'power-of-two';
export type QueueDiscipline = 'per-node' | 'shared';

export interface NodeType {
  readonly name: string;
  readonly vcpus: number | undefined;
  readonly memoryGiB: number | undefined;
  /** On-demand price per node-hour, in the model's currency. */
  readonly hourlyPrice: number;
  /** Committed/reserved price per node-hour; absent = no committed pricing. */
  readonly committedHourlyPrice: number | undefined;
}

/** Universal Scalability Law: X(N) = lambda N / (1 + sigma (N - 1) + kappa N (N - 1)), throughput per node at concurrency N. */
export interface UslParams {
  /** Throughput at concurrency 1, requests/s. */
  readonly lambda: number;
  /** Contention (serial fraction). */
  readonly sigma: number;
  /** Coherency (crosstalk) penalty. */
  readonly kappa: number;
}

export interface RequestClass {
  readonly name: string;
  /** Share of the service's requests, normalised to sum 1 over the classes. */
  readonly weight: number;
  readonly serviceTime: Distribution;
}

export interface RetryPolicy {
  readonly max: number;
  /** First backoff in seconds; doubles each attempt up to maxBackoff. */
  readonly backoff: number;
  readonly maxBackoff: number;
  readonly jitter: 'none' | 'full' | 'equal';
}

export interface ClientPolicy {
  /** Seconds after which the client gives up; absent = waits forever. */
  readonly timeout: number | undefined;
  readonly retries: RetryPolicy | undefined;
}

export interface ServiceModel {
  readonly name: string;
  readonly nodeType: string;
  readonly workersPerNode: number;
  /** Service time of one request on one worker; absent when the service is described by `usl` only. */
  readonly serviceTime: Distribution | undefined;
  readonly usl: UslParams | undefined;
  readonly queue: QueueDiscipline;
  /** Requests waiting per node (per service when the queue is shared) beyond which arrivals are dropped. */
  readonly queueCapacity: number | undefined;
  readonly balancer: Balancer;
  readonly requestClasses: readonly RequestClass[];
  readonly client: ClientPolicy;
  readonly memoryGiBPerUnit: number | undefined;
  /**
   * Seconds added to every response outside the service's capacity: network round trip, HTTP handling before the
   * queue. A pure delay (an infinite-server station in series), so it shifts every latency percentile and uses no
   * worker. Written by `headroom calibrate`; absent = 0. Optional, so older code that builds a ServiceModel still types.
   */
  readonly latencyOffset?: number | undefined;
  readonly description: string | undefined;
}

export interface ResourceModel {
  readonly name: string;
  readonly currency: string;
  readonly zones: readonly string[];
  readonly nodeTypes: readonly NodeType[];
  readonly services: readonly ServiceModel[];
  readonly description: string | undefined;
}
