/**
 * A station's state: N nodes × c workers, their queues (one ring buffer per node, or one shared), which nodes are up,
 * their slowdown factors, the load balancer, and the time integrals behind utilisation and queue length.
 * The model (simulation.ts) moves requests in and out; this file keeps the bookkeeping in one place.
 *
 * Time averages use the usual area-under-the-curve accumulators (Law, Simulation Modeling and Analysis, 5th ed., §1.4.3:
 * time-average number in queue = ∫Q(t)dt / T): `advance(now)` adds (value × elapsed) for the busy workers, waiting
 * requests, worker capacity up and nodes up, and must be called before any of them changes.
 *
 * Balancers: round-robin over the nodes up; random; least-outstanding (join the shortest queue: fewest in service +
 * waiting, ties broken by a rotating start); power-of-two-choices (Mitzenmacher, "The power of two choices in
 * randomized load balancing", IEEE TPDS 12(10), 2001: two distinct random nodes, the less loaded one).
 */
import { uslThroughput } from '../model/usl.js';
import type { Rng } from '../rng.js';
import type { Sampler } from './distributions.js';
import { LogHistogram } from './histogram.js';
import { LOG_BLOCK, LogUniforms } from './log-uniforms.js';
import { RingQueue } from './ring-queue.js';
import type { StationSpec } from './types.js';

const ROUND_ROBIN = 0;
const RANDOM = 1;
const LEAST_OUTSTANDING = 2;
const POWER_OF_TWO = 3;

export class Station {
  readonly name: string;
  /** Workers per node. */
  readonly c: number;
  readonly maxNodes: number;
  readonly shared: boolean;
  /** Waiting requests allowed per node (per station when shared); Infinity = unbounded. */
  readonly capacity: number;
  readonly shedAbove: number;
  readonly maxQueueTime: number;
  private readonly balancer: number;

  readonly busy: Int32Array;
  readonly queues: RingQueue[];
  /** Failure causes holding each node down (0 = not failed). */
  readonly down: Int32Array;
  /** 1 when the node is part of the fleet (autoscaling adds and removes nodes at the end of the list). */
  readonly active: Uint8Array;
  readonly slowdown: Float64Array;
  readonly up: Uint8Array;
  readonly upList: Int32Array;
  upCount = 0;
  activeCount = 0;
  private cursor = 0;

  waiting = 0;
  busyTotal = 0;
  /** Busy workers on nodes that are up (busyTotal also counts nodes draining after a scale-down). */
  busyUp = 0;
  capUp = 0;

  // cumulative areas since t = 0 (worker-seconds, request-seconds), up to lastT
  lastT = 0;
  busyArea = 0;
  queueArea = 0;
  // Capacity and nodes up change only on failures and scaling: their areas are kept as a base at the last change plus
  // the current level times the time since, so `advance` (called on every event) does not have to add them up.
  private capBase = 0;
  private nodesBase = 0;
  private upSince = 0;

  // counts over the whole run
  arrived = 0;
  completed = 0;
  dropped = 0;
  timedOut = 0;
  retries = 0;
  shed = 0;
  /** Sum and number of service times drawn after warm-up (for the offered load). */
  serviceSum = 0;
  serviceCount = 0;

  readonly respHist = new LogHistogram();
  readonly waitHist = new LogHistogram();

  /** Per class; null entries mean the USL table below gives the mean. */
  readonly samplers: (Sampler | null)[];
  /** USL: mean service time when k workers of a node are busy (index k, 1..c), or null. */
  readonly uslMean: Float64Array | null;
  /** ln U of the service stream, drawn in blocks, when every service time here is exponential (USL ones included). */
  readonly serviceLogs: LogUniforms | null;

  constructor(
    spec: StationSpec,
    samplers: (Sampler | null)[],
    readonly serviceRng: Rng,
    readonly balanceRng: Rng,
  ) {
    this.name = spec.name;
    this.c = spec.workersPerNode;
    this.maxNodes = Math.max(spec.nodes, spec.autoscaling?.maxNodes ?? 0);
    this.shared = spec.queue === 'shared';
    this.capacity = spec.queueCapacity ?? Infinity;
    this.shedAbove = spec.shedding?.queueAbove ?? Infinity;
    this.maxQueueTime = spec.shedding?.maxQueueTime ?? Infinity;
    this.balancer =
      spec.balancer === 'random' ? RANDOM : spec.balancer === 'least-outstanding' ? LEAST_OUTSTANDING : spec.balancer === 'power-of-two' ? POWER_OF_TWO : ROUND_ROBIN;
    const m = this.maxNodes;
    this.busy = new Int32Array(m);
    this.queues = [];
    for (let i = 0; i < (this.shared ? 1 : m); i++) this.queues.push(new RingQueue(64));
    this.down = new Int32Array(m);
    this.active = new Uint8Array(m);
    this.slowdown = new Float64Array(m).fill(1);
    this.up = new Uint8Array(m);
    this.upList = new Int32Array(m);
    for (let i = 0; i < spec.nodes; i++) this.active[i] = 1;
    this.activeCount = spec.nodes;
    this.samplers = samplers;
    if (spec.usl) {
      // With k busy on a USL node, each request takes k / X(k) on average (X from model/usl.ts).
      this.uslMean = new Float64Array(this.c + 1);
      for (let k = 1; k <= this.c; k++) this.uslMean[k] = k / uslThroughput(spec.usl, k);
    } else {
      this.uslMean = null;
    }
    this.serviceLogs = samplers.every((x) => x == null || x.exponentialMean > 0) ? new LogUniforms(serviceRng) : null;
    this.refreshUp(0);
  }

  /** Accumulate the time integrals up to `now`. */
  advance(now: number): void {
    const dt = now - this.lastT;
    if (dt > 0) {
      this.busyArea += this.busyTotal * dt;
      this.queueArea += this.waiting * dt;
      this.lastT = now;
    }
  }

  /** Worker-seconds of capacity up (nodes up × workers), from 0 to lastT. */
  get capArea(): number {
    return this.capBase + this.capUp * (this.lastT - this.upSince);
  }

  /** Node-seconds up, from 0 to lastT. */
  get nodesArea(): number {
    return this.nodesBase + this.upCount * (this.lastT - this.upSince);
  }

  /** Recompute which nodes take new work after a failure, repair or scaling change. */
  refreshUp(now: number): void {
    this.advance(now);
    this.capBase = this.capArea;
    this.nodesBase = this.nodesArea;
    this.upSince = this.lastT;
    let k = 0;
    let busyUp = 0;
    for (let n = 0; n < this.maxNodes; n++) {
      const u = this.active[n] === 1 && this.down[n] === 0 ? 1 : 0;
      this.up[n] = u;
      if (u === 1) {
        this.upList[k++] = n;
        busyUp += this.busy[n] as number;
      }
    }
    this.upCount = k;
    this.busyUp = busyUp;
    this.capUp = k * this.c;
  }

  /** Outstanding work at node n: in service plus waiting. */
  outstanding(n: number): number {
    return this.busy[n]! + (this.shared ? 0 : this.queues[n]!.length);
  }

  /** The node a new request goes to under the balancer; the caller checks upCount > 0. */
  pick(): number {
    const k = this.upCount;
    if (k === 1) return this.upList[0] as number;
    switch (this.balancer) {
      case ROUND_ROBIN: {
        const n = this.upList[this.cursor % k] as number;
        this.cursor = (this.cursor + 1) % k;
        return n;
      }
      case RANDOM:
        return this.upList[this.balanceRng.nextInt(k)] as number;
      case LEAST_OUTSTANDING: {
        const start = this.cursor;
        this.cursor = (this.cursor + 1) % k;
        let best = this.upList[start % k] as number;
        let bestLoad = this.outstanding(best);
        for (let i = 1; i < k && bestLoad > 0; i++) {
          const n = this.upList[(start + i) % k] as number;
          const load = this.outstanding(n);
          if (load < bestLoad) {
            best = n;
            bestLoad = load;
          }
        }
        return best;
      }
      default: {
        const i = this.balanceRng.nextInt(k);
        let j = this.balanceRng.nextInt(k - 1);
        if (j >= i) j++;
        const a = this.upList[i] as number;
        const b = this.upList[j] as number;
        return this.outstanding(b) < this.outstanding(a) ? b : a;
      }
    }
  }

  /** An up node with a free worker (shared queue), scanning round-robin; -1 if none. */
  idleNode(): number {
    const k = this.upCount;
    const c = this.c;
    for (let i = 0; i < k; i++) {
      const n = this.upList[(this.cursor + i) % k] as number;
      if ((this.busy[n] as number) < c) {
        this.cursor = (this.cursor + i + 1) % k;
        return n;
      }
    }
    return -1;
  }

  /**
   * The service time last drawn by `drawServiceTime`, seconds. (A field rather than a return value: a call V8 does not
   * inline returns a double boxed, a heap allocation per request.)
   */
  drawn = 0;

  /** Draw into `drawn` a service time for a request of class `cls` starting on node n (with `busyNow` workers busy, itself included). */
  drawServiceTime(cls: number, n: number, busyNow: number): void {
    const s = this.samplers[cls];
    const logs = this.serviceLogs;
    let base: number;
    if (logs !== null) {
      if (logs.index === LOG_BLOCK) logs.refill();
      base = -(s == null ? (this.uslMean as Float64Array)[busyNow]! : s.exponentialMean) * logs.values[logs.index++]!;
    } else if (s == null) base = -(this.uslMean as Float64Array)[busyNow]! * Math.log(this.serviceRng.nextOpen());
    else if (s.exponentialMean > 0) base = -s.exponentialMean * Math.log(this.serviceRng.nextOpen());
    else base = s.sample(this.serviceRng);
    this.drawn = base * (this.slowdown[n] as number);
  }
}
