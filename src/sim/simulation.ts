/**
 * The queueing-network model: the event handler the engine calls, with every request movement in it (the general
 * request path: arrival, routing, queueing, service, departure, drop, client timeout and retry, node failure).
 *
 * Requests are integer ids into struct-of-arrays pools, never objects: a *job* (job-pool.ts) is one attempt
 * travelling through the stations; a *client request* (client.ts, only when the client has a timeout or retries) is
 * what the user sees. Pool ids carry generation tags, so an event for a job killed by a node failure, or a timeout
 * for a client already answered, is recognised as stale when it fires instead of being removed from the heap.
 * Event kinds are in event-kinds.ts, the routing draws in routing.ts, failure scheduling in failures.ts, the snapshot
 * layout in snapshot.ts.
 *
 * For the common simple model, `run` uses the fast loop (fast-loop.ts), a mirror of this request path written out
 * in one function; members it reads are not `private` for that reason, and a change to the request path here must
 * be made there too (test/sim/fast-loop.test.ts holds the two bit-identical).
 *
 * Nothing here allocates per event in steady state: pools and queues grow by doubling until the largest backlog and
 * then stay; per-event work is typed-array reads and writes, sampler calls and heap pushes.
 */
import type { Rng } from '../rng.js';
import type { ArrivalSource } from './arrivals.js';
import { Autoscaler } from './autoscaler.js';
import { ClientPool, retryDelay, usesClient } from './client.js';
import type { Engine, EventHandler } from './engine.js';
import { NORMAL, URGENT, type EventHeap } from './event-heap.js';
import {
  EV_ARRIVAL,
  EV_DEGRADE_OFF,
  EV_DEGRADE_ON,
  EV_DEPART,
  EV_FAIL,
  EV_RANDOM_FAIL,
  EV_RANDOM_REPAIR,
  EV_REPAIR,
  EV_RETRY,
  EV_SAMPLE,
  EV_SCALE_EVAL,
  EV_SCALE_READY,
  EV_TIMEOUT,
  EV_WARMUP,
} from './event-kinds.js';
import { fastLoopApplies, runFastLoop } from './fast-loop.js';
import { degradeNodes, exponentialDuration, scheduleFailureWindow, scheduleRandomFailures, type CompiledFailure } from './failures.js';
import { LogHistogram } from './histogram.js';
import { JOB_ABANDONED, JOB_IN_SERVICE, JOB_MOVING, JOB_QUEUED, JOB_RETRY, JobPool } from './job-pool.js';
import { LOG_BLOCK } from './log-uniforms.js';
import { drawBranchHop, drawEntryHop, type CompiledRouting } from './routing.js';
import { takeSnapshot, type Snapshot } from './snapshot.js';
import type { Station } from './station.js';
import type { AutoscalingSpec, RetryPolicy } from './types.js';

export interface SimulationOptions {
  readonly stations: Station[];
  readonly sources: ArrivalSource[];
  /** Per source: cumulative class weights. */
  readonly sourceClassCum: Float64Array[];
  /** Per class (classes without their own routing share one table). */
  readonly routings: CompiledRouting[];
  readonly timeout: number;
  readonly retries: RetryPolicy | undefined;
  readonly failures: CompiledFailure[];
  readonly autoscaling: (AutoscalingSpec | undefined)[];
  readonly warmupArrivals: number;
  readonly stopArrivals: number;
  readonly sloTarget: number;
  readonly maxInFlight: number;
  readonly rngClass: Rng;
  readonly rngRoute: Rng;
  readonly rngClient: Rng;
  readonly rngFailure: Rng;
}

export class Simulation implements EventHandler {
  readonly engine: Engine;
  /** The engine's heap: the two events of nearly every request are scheduled on it directly (see EventHeap.pushNext). */
  readonly heap: EventHeap;
  readonly stations: Station[];
  readonly sources: ArrivalSource[];
  readonly sourceClassCum: Float64Array[];
  private readonly pendingClass: Int32Array;
  sourcesDone = 0;
  readonly routings: CompiledRouting[];
  readonly clientMode: boolean;
  private readonly timeout: number;
  private readonly retries: RetryPolicy | undefined;
  readonly failures: CompiledFailure[];
  private readonly rngClass: Rng;
  readonly rngRoute: Rng;
  private readonly rngClient: Rng;
  private readonly rngFailure: Rng;

  readonly jobs: JobPool;
  private readonly clients: ClientPool;

  // end to end
  externalArrivals = 0;
  e2eArrived = 0;
  e2eCompleted = 0;
  e2eDropped = 0;
  e2eTimedOut = 0;
  e2eRetries = 0;
  e2eInFlight = 0;
  e2eInFlightArea = 0;
  private e2eLastT = 0;
  e2eWaitSum = 0;
  e2eSloMet = 0;
  readonly e2eHist: LogHistogram;
  /** True when e2eHist is the only station's response histogram (see the constructor), so `succeed` records nothing. */
  readonly e2eHistShared: boolean;
  readonly sloTarget: number;

  // run control
  readonly warmupArrivals: number;
  readonly stopArrivals: number;
  readonly maxInFlight: number;
  private readonly halfBound: number;
  private halfTimeClients = -1;
  measureStart = 0;
  measuring = false;
  start: Snapshot;
  /** Set when the run was stopped by the in-flight bound: [time, inFlight, growth per second]. */
  unstableAt: [number, number, number] | null = null;
  /** Called at each series sample (set by replica.ts when a series is asked for). */
  onSample: ((sim: Simulation) => void) | null = null;
  /** Called just before the histograms are cleared at the end of warm-up (the series rebases its running sums). */
  onMeasureStart: ((sim: Simulation) => void) | null = null;
  sampleInterval = 0;

  readonly autoscalers: (Autoscaler | null)[];

  constructor(engine: Engine, o: SimulationOptions) {
    this.engine = engine;
    this.heap = engine.heap;
    this.stations = o.stations;
    this.sources = o.sources;
    this.sourceClassCum = o.sourceClassCum;
    this.pendingClass = new Int32Array(o.sources.length).fill(-1);
    this.routings = o.routings;
    this.timeout = o.timeout;
    this.retries = o.retries;
    this.clientMode = usesClient(o.timeout, o.retries);
    // One station visited once and no client: a request's end-to-end response time is its response time at the
    // station (sent and arrived at the same instant, answered when it leaves), recorded in the same order, so the
    // end-to-end histogram is the station's own and each request is recorded once instead of twice.
    this.e2eHistShared =
      o.stations.length === 1 && !this.clientMode && o.routings.every((r) => r.entryHop.length === 1 && r.hopNext[r.entryHop[0] as number] === -1);
    this.e2eHist = this.e2eHistShared ? (o.stations[0] as Station).respHist : new LogHistogram();
    this.failures = o.failures;
    this.warmupArrivals = o.warmupArrivals;
    this.stopArrivals = o.stopArrivals;
    this.sloTarget = o.sloTarget;
    this.maxInFlight = o.maxInFlight;
    this.halfBound = Math.max(1, Math.floor(o.maxInFlight / 2));
    this.rngClass = o.rngClass;
    this.rngRoute = o.rngRoute;
    this.rngClient = o.rngClient;
    this.rngFailure = o.rngFailure;
    this.autoscalers = o.autoscaling.map((a, s) => (a ? new Autoscaler(a, o.stations[s] as Station) : null));
    this.jobs = new JobPool(engine, this.halfBound, 1024);
    this.clients = new ClientPool(this.clientMode ? 1024 : 0);
    this.start = this.snapshot();
  }

  /** Schedule the first events: arrivals, failures, autoscaling evaluations. */
  begin(): void {
    const eng = this.engine;
    for (let i = 0; i < this.sources.length; i++) this.scheduleNextArrival(i);
    scheduleRandomFailures(eng, this.failures, this.rngFailure);
    this.autoscalers.forEach((a, s) => {
      if (a) eng.scheduleAt(EV_SCALE_EVAL, a.spec.interval, s, 0, URGENT);
    });
  }

  /** Schedule a failure spec's fixed window [at, at + duration) (node-down, zone-down, degraded). */
  scheduleWindow(index: number, at: number, duration: number): void {
    scheduleFailureWindow(this.engine, this.failures[index] as CompiledFailure, index, at, duration);
  }

  handle(kind: number, target: number, aux: number): void {
    switch (kind) {
      case EV_DEPART:
        this.depart(target, aux);
        break;
      case EV_ARRIVAL:
        this.externalArrival(target);
        break;
      case EV_TIMEOUT:
        this.clientTimeout(target, aux);
        break;
      case EV_RETRY:
        this.clientRetry(target, aux);
        break;
      case EV_WARMUP:
        this.beginMeasure();
        break;
      case EV_SAMPLE:
        if (this.onSample) this.onSample(this);
        this.engine.schedule(EV_SAMPLE, this.sampleInterval, 0, 0, URGENT);
        this.checkDrained();
        break;
      case EV_FAIL:
        this.failWindow(target, true);
        break;
      case EV_REPAIR:
        this.failWindow(target, false);
        break;
      case EV_RANDOM_FAIL: {
        const f = this.failures[target] as CompiledFailure;
        this.nodeDown(f.stations[aux] as number, f.nodes[aux] as number);
        this.engine.schedule(EV_RANDOM_REPAIR, exponentialDuration(f.mttr, this.rngFailure), target, aux, URGENT);
        this.checkDrained();
        break;
      }
      case EV_RANDOM_REPAIR: {
        const f = this.failures[target] as CompiledFailure;
        this.nodeUp(f.stations[aux] as number, f.nodes[aux] as number);
        this.engine.schedule(EV_RANDOM_FAIL, exponentialDuration(f.mtbf, this.rngFailure), target, aux, URGENT);
        this.checkDrained();
        break;
      }
      case EV_DEGRADE_ON:
      case EV_DEGRADE_OFF:
        degradeNodes(this.failures[target] as CompiledFailure, this.stations, kind === EV_DEGRADE_ON);
        break;
      case EV_SCALE_EVAL:
        this.scaleEval(target);
        this.checkDrained();
        break;
      case EV_SCALE_READY:
        this.scaleReady(target, aux);
        break;
    }
  }

  // ───────────────────────────── the run loop ─────────────────────────────

  /**
   * Process events until `until` (as Engine.run), through the fast loop (fast-loop.ts) when the model is the common
   * simple one (`fastLoopApplies`) and `fast` is true, else through the engine's loop and `handle`. Both give the same
   * results.
   */
  run(until: number, fast = true): void {
    if (fast && fastLoopApplies(this)) this.runFast(until);
    else this.engine.run(until, this);
  }

  /** The fast loop (a method, so a test can see which loop ran). */
  private runFast(until: number): void {
    runFastLoop(this, until);
  }

  // ───────────────────────────── arrivals and routing ─────────────────────────────

  /** Schedule source src's next arrival after now. (Methods on the event path take no time argument: see e2eAdvance.) */
  private scheduleNextArrival(src: number): void {
    const now = this.engine.now;
    const s = this.sources[src] as ArrivalSource;
    const r = s.poissonRate;
    let t: number;
    if (r > 0) {
      const logs = s.logs; // read in place (see log-uniforms.ts)
      if (logs.index === LOG_BLOCK) logs.refill();
      t = now - logs.values[logs.index++]! / r;
    } else t = s.next(now);
    this.pendingClass[src] = s.lastClass;
    if (t < Infinity) {
      this.heap.nextTime = t;
      // Source 0's one pending arrival waits in the heap's side slot (an O(1) push and take: see event-heap.ts).
      if (src === 0) this.heap.pushSideNext(NORMAL, EV_ARRIVAL, src, 0);
      else this.heap.pushNext(NORMAL, EV_ARRIVAL, src, 0);
    } else this.sourcesDone++;
  }

  /**
   * A run stopped by a number of arrivals whose sources ran dry first (a short trace) ends when the last request has
   * left; without this, periodic events (failures, autoscaling, series samples) would keep it going for ever.
   */
  private checkDrained(): void {
    if (this.stopArrivals > 0 && this.sourcesDone === this.sources.length && this.jobs.live === 0 && this.e2eInFlight === 0) {
      this.engine.stopped = true;
    }
  }

  private externalArrival(src: number): void {
    const now = this.engine.now;
    let cls = this.pendingClass[src] as number;
    if (cls < 0) {
      const cum = this.sourceClassCum[src] as Float64Array;
      cls = 0;
      if (cum.length > 1) {
        const u = this.rngClass.next();
        while (cls < cum.length - 1 && u >= (cum[cls] as number)) cls++;
      }
    }
    this.scheduleNextArrival(src);
    this.externalArrivals++;
    this.e2eArrived++;
    this.e2eAdvance();
    this.e2eInFlight++;
    let j: number;
    if (this.clientMode) {
      const c = this.clients.take(now, cls);
      if (this.e2eInFlight === this.halfBound) this.halfTimeClients = now; // counted just above
      j = this.jobs.take(cls, c, 0);
      this.clients.job[c] = j;
      if (this.timeout < Infinity) this.engine.schedule(EV_TIMEOUT, this.timeout, c, this.clients.gen[c] as number);
    } else {
      j = this.jobs.take(cls, -1, 0);
    }
    this.enter(j, drawEntryHop(this.routings[cls] as CompiledRouting, this.rngRoute));
    if (this.externalArrivals === this.warmupArrivals) this.beginMeasure();
    if (this.externalArrivals === this.stopArrivals) this.engine.stopped = true;
    if (this.jobs.live >= this.maxInFlight || this.e2eInFlight >= this.maxInFlight) this.stopUnstable();
  }

  private enter(j: number, hop: number): void {
    const jobs = this.jobs;
    jobs.hop[j] = hop;
    const s = (this.routings[jobs.cls[j] as number] as CompiledRouting).hopStation[hop] as number;
    jobs.station[j] = s;
    this.arriveAt(j, this.stations[s] as Station);
  }

  // ───────────────────────────── stations ─────────────────────────────

  private arriveAt(j: number, st: Station): void {
    const jobs = this.jobs;
    const now = this.engine.now;
    st.arrived++;
    if ((jobs.flags[j]! & JOB_RETRY) !== 0) st.retries++;
    jobs.arrive[j] = now;
    if (st.upCount === 0) {
      this.dropAt(j, st);
      return;
    }
    if (st.waiting >= st.shedAbove) {
      st.shed++;
      this.dropAt(j, st);
      return;
    }
    let n: number;
    let q;
    if (st.shared) {
      n = st.busyUp < st.capUp ? st.idleNode() : -1;
      if (n >= 0) {
        this.startService(j, st, n);
        return;
      }
      q = st.queues[0]!;
      if (q.length >= st.capacity) {
        this.dropAt(j, st);
        return;
      }
    } else {
      // One node up needs no balancer (checked here, so the balancers' code is not inlined into the event loop).
      n = st.upCount === 1 ? (st.upList[0] as number) : st.pick();
      if ((st.busy[n] as number) < st.c) {
        this.startService(j, st, n);
        return;
      }
      q = st.queues[n]!;
      if (q.length >= st.capacity) {
        this.dropAt(j, st);
        return;
      }
    }
    st.advance(now);
    q.push(j);
    st.waiting++;
    jobs.node[j] = n;
    jobs.state[j] = JOB_QUEUED;
  }

  private startService(j: number, st: Station, n: number): void {
    const jobs = this.jobs;
    const now = this.engine.now;
    st.advance(now);
    const b = st.busy[n]! + 1;
    st.busy[n] = b;
    st.busyTotal++;
    if (st.up[n] === 1) st.busyUp++;
    const w = now - jobs.arrive[j]!;
    jobs.wait[j]! += w;
    st.waitHist.record(w);
    st.drawServiceTime(jobs.cls[j] as number, n, b);
    const svc = st.drawn;
    st.serviceSum += svc;
    st.serviceCount++;
    jobs.node[j] = n;
    jobs.state[j] = JOB_IN_SERVICE;
    this.heap.nextTime = now + svc;
    this.heap.pushNext(NORMAL, EV_DEPART, j, jobs.gen[j] as number);
  }

  private depart(j: number, gen: number): void {
    const jobs = this.jobs;
    if (jobs.gen[j] !== gen) return; // the job was lost with its node
    const now = this.engine.now;
    const s = jobs.station[j] as number;
    const st = this.stations[s] as Station;
    const n = jobs.node[j] as number;
    st.advance(now);
    st.busy[n]!--;
    st.busyTotal--;
    if (st.up[n] === 1) st.busyUp--;
    st.respHist.record(now - jobs.arrive[j]!);
    if ((jobs.flags[j]! & JOB_ABANDONED) !== 0) st.timedOut++;
    else st.completed++;
    jobs.state[j] = JOB_MOVING;
    // The freed worker takes the next waiting request (a node removed by scale-down still drains its own queue).
    if (st.shared) {
      if (st.waiting > 0 && st.up[n] === 1) this.takeNext(st, n, st.queues[0]!);
    } else {
      const q = st.queues[n]!;
      if (q.length > 0) this.takeNext(st, n, q);
    }
    // Next hop: fixed (read here, the common case) or drawn from the branches.
    const cls = jobs.cls[j] as number;
    const hop = jobs.hop[j] as number;
    const routing = this.routings[cls] as CompiledRouting;
    let next = routing.hopNext[hop] as number;
    if (next === -2) next = drawBranchHop(routing, hop, this.rngRoute);
    if (next >= 0) this.enter(j, next);
    else this.finishJob(j);
  }

  private takeNext(st: Station, n: number, q: { length: number; shift(): number }): void {
    const jobs = this.jobs;
    const now = this.engine.now;
    st.advance(now);
    while (q.length > 0) {
      const k = q.shift();
      st.waiting--;
      if (now - jobs.arrive[k]! > st.maxQueueTime) {
        st.shed++;
        this.dropAt(k, st);
        continue;
      }
      this.startService(k, st, n);
      return;
    }
  }

  dropAt(j: number, st: Station): void {
    const jobs = this.jobs;
    st.dropped++;
    jobs.state[j] = JOB_MOVING;
    if (this.clientMode) {
      if ((jobs.flags[j]! & JOB_ABANDONED) === 0) {
        const c = jobs.client[j] as number;
        this.clients.job[c] = -1;
        this.attemptFailed(c, false);
      }
    } else {
      this.e2eAdvance();
      this.e2eInFlight--;
      this.e2eDropped++;
    }
    jobs.release(j);
  }

  private finishJob(j: number): void {
    const jobs = this.jobs;
    if (this.clientMode) {
      if ((jobs.flags[j]! & JOB_ABANDONED) === 0) {
        const c = jobs.client[j] as number;
        this.succeed(j, c);
        this.clients.job[c] = -1;
        this.clients.release(c);
      }
    } else {
      this.succeed(j, -1);
    }
    jobs.release(j);
  }

  /** A request (client request c, or job j itself when c is −1) succeeded with job j's answer. */
  private succeed(j: number, c: number): void {
    const jobs = this.jobs;
    const now = this.engine.now;
    const response = now - (c >= 0 ? this.clients.born[c]! : jobs.born[j]!);
    this.e2eAdvance();
    this.e2eInFlight--;
    this.e2eCompleted++;
    if (!this.e2eHistShared) this.e2eHist.record(response);
    this.e2eWaitSum += jobs.wait[j] as number;
    if (response <= this.sloTarget) this.e2eSloMet++;
  }

  // ───────────────────────────── client: timeouts and retries ─────────────────────────────

  private clientTimeout(c: number, gen: number): void {
    if (this.clients.gen[c] !== gen) return; // answered or failed already
    const j = this.clients.job[c] as number;
    if (j >= 0) this.jobs.flags[j]! |= JOB_ABANDONED; // the servers keep working on it
    this.clients.job[c] = -1;
    this.attemptFailed(c, true);
  }

  /** An attempt failed (dropped, or timed out): retry after a backoff (`retryDelay`) if attempts remain, else fail for good. */
  private attemptFailed(c: number, timedOut: boolean): void {
    this.clients.gen[c]!++;
    const r = this.retries;
    const attempt = this.clients.attempt[c] as number;
    if (r !== undefined && attempt <= r.max) {
      this.engine.schedule(EV_RETRY, retryDelay(r, attempt, this.rngClient), c, this.clients.gen[c] as number);
      return;
    }
    this.e2eAdvance();
    this.e2eInFlight--;
    if (timedOut) this.e2eTimedOut++;
    else this.e2eDropped++;
    this.clients.release(c);
  }

  private clientRetry(c: number, gen: number): void {
    if (this.clients.gen[c] !== gen) return;
    this.clients.attempt[c]!++;
    this.e2eRetries++;
    this.clients.gen[c]!++;
    const j = this.jobs.take(this.clients.cls[c] as number, c, JOB_RETRY);
    this.clients.job[c] = j;
    if (this.timeout < Infinity) this.engine.schedule(EV_TIMEOUT, this.timeout, c, this.clients.gen[c] as number);
    this.enter(j, drawEntryHop(this.routings[this.clients.cls[c] as number] as CompiledRouting, this.rngRoute));
    if (this.jobs.live >= this.maxInFlight || this.e2eInFlight >= this.maxInFlight) this.stopUnstable();
  }

  // ───────────────────────────── failures ─────────────────────────────

  private failWindow(index: number, down: boolean): void {
    const f = this.failures[index] as CompiledFailure;
    for (let k = 0; k < f.nodes.length; k++) {
      if (down) this.nodeDown(f.stations[k] as number, f.nodes[k] as number);
      else this.nodeUp(f.stations[k] as number, f.nodes[k] as number);
    }
  }

  /** A node fails: it takes no new work, and the requests it holds (in service, and queued at it) are lost. */
  nodeDown(s: number, n: number): void {
    const st = this.stations[s] as Station;
    st.down[n]!++;
    if (st.down[n] !== 1) return;
    const now = this.engine.now;
    st.refreshUp(now);
    // Rare event: scan the pool for the jobs in service on this node.
    for (let j = 0; j < this.jobs.cap; j++) {
      if (this.jobs.state[j] === JOB_IN_SERVICE && this.jobs.station[j] === s && this.jobs.node[j] === n) {
        st.busy[n]!--;
        st.busyTotal--;
        this.dropAt(j, st);
      }
    }
    if (!st.shared) {
      const q = st.queues[n]!;
      while (q.length > 0) {
        const k = q.shift();
        st.waiting--;
        this.dropAt(k, st);
      }
    }
  }

  nodeUp(s: number, n: number): void {
    const st = this.stations[s] as Station;
    st.down[n]!--;
    if (st.down[n] !== 0) return;
    st.refreshUp(this.engine.now);
    if (st.shared && st.up[n] === 1) this.fillFromShared(st, n);
  }

  private fillFromShared(st: Station, n: number): void {
    const q = st.queues[0]!;
    while (q.length > 0 && st.busy[n]! < st.c) this.takeNext(st, n, q);
  }

  // ───────────────────────────── autoscaling (rule in autoscaler.ts) ─────────────────────────────

  private scaleEval(s: number): void {
    const a = this.autoscalers[s] as Autoscaler;
    this.engine.schedule(EV_SCALE_EVAL, a.spec.interval, s, 0, URGENT);
    const add = a.evaluate(this.engine.now);
    if (add > 0) this.engine.schedule(EV_SCALE_READY, a.spec.scaleUpDelay, s, add, URGENT);
  }

  private scaleReady(s: number, add: number): void {
    const st = this.stations[s] as Station;
    const from = (this.autoscalers[s] as Autoscaler).ready(add, this.engine.now);
    if (st.shared) for (let k = from; k < st.activeCount; k++) if (st.up[k] === 1) this.fillFromShared(st, k);
  }

  // ───────────────────────────── measurement ─────────────────────────────

  /**
   * Bring the in-flight integral up to the engine's clock. It reads the clock rather than taking it as an argument:
   * V8 boxes a double argument of a call it does not inline (a heap allocation per event), and whether it inlines
   * depends on the caller's inlining budget.
   */
  e2eAdvance(): void {
    const now = this.engine.now;
    const dt = now - this.e2eLastT;
    if (dt > 0) {
      this.e2eInFlightArea += this.e2eInFlight * dt;
      this.e2eLastT = now;
    }
  }

  /** Bring every time integral up to `now`. */
  advanceAll(now: number): void {
    for (const st of this.stations) st.advance(now);
    const dt = now - this.e2eLastT;
    if (dt > 0) {
      this.e2eInFlightArea += this.e2eInFlight * dt;
      this.e2eLastT = now;
    }
  }

  /** Start the measured window: snapshot counters and areas, clear the histograms. */
  beginMeasure(): void {
    const now = this.engine.now;
    this.advanceAll(now);
    if (this.onMeasureStart) this.onMeasureStart(this);
    this.start = this.snapshot();
    this.measureStart = now;
    this.measuring = true;
    for (const st of this.stations) {
      st.respHist.reset();
      st.waitHist.reset();
      st.serviceSum = 0;
      st.serviceCount = 0;
    }
    this.e2eHist.reset();
    this.e2eWaitSum = 0;
  }

  /** Counters and areas now (time integrals must be advanced first). */
  snapshot(): Snapshot {
    return takeSnapshot(this.engine.now, this.stations, this, this.jobs.created);
  }

  /** The in-flight bound was reached: stop, and keep the time, the level and its growth since half the bound. */
  stopUnstable(): void {
    const now = this.engine.now;
    const byJobs = this.jobs.live >= this.maxInFlight;
    const half = byJobs ? this.jobs.halfTime : this.halfTimeClients;
    const level = byJobs ? this.jobs.live : this.e2eInFlight;
    const growth = half >= 0 && now > half ? (level - this.halfBound) / (now - half) : level / Math.max(now, 1e-12);
    this.unstableAt = [now, level, growth];
    this.engine.stopped = true;
  }

  /** Requests currently at station s (queued or in service), counted from the pool (independent of the counters). */
  jobsAt(s: number): number {
    return this.jobs.countAt(s);
  }

  /** Client requests in flight, counted from the pools. */
  liveRequests(): number {
    return this.clientMode ? this.clients.countLive() : this.jobs.countLive();
  }
}
