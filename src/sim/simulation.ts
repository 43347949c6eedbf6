/**
 * The queueing-network model: the event handler the engine calls, with every request movement in it.
 *
 * Requests are integer ids into struct-of-arrays pools (typed arrays with a free list), never objects:
 * - a *job* is one attempt travelling through the stations (hop, station, node, class, arrival time at the station,
 *   accumulated wait, generation tag);
 * - a *client request* (only when the client has a timeout or retries) is what the user sees: first send time,
 *   attempts, the job it currently waits for. A timed-out client abandons its job, which the servers still finish.
 * A pool id's generation tag goes up whenever the id is released, and events carry the tag they were scheduled with,
 * so an event for a job killed by a node failure, or a timeout for a client already answered, is recognised as stale
 * when it fires instead of being removed from the heap.
 *
 * Nothing here allocates per event in steady state: pools and queues grow by doubling until the largest backlog and
 * then stay; per-event work is typed-array reads and writes, sampler calls and heap pushes.
 */
import type { Rng } from '../rng.js';
import { ArrivalSource } from './arrivals.js';
import { Autoscaler } from './autoscaler.js';
import type { Engine, EventHandler } from './engine.js';
import { NORMAL, URGENT, type EventHeap } from './event-heap.js';
import { LogHistogram } from './histogram.js';
import { LOG_BLOCK } from './log-uniforms.js';
import type { Station } from './station.js';
import type { AutoscalingSpec, RetryPolicy } from './types.js';

// Event kinds (integers, dispatched by a switch in `handle`).
export const EV_ARRIVAL = 1;
export const EV_DEPART = 2;
export const EV_TIMEOUT = 3;
export const EV_RETRY = 4;
export const EV_WARMUP = 5;
export const EV_SAMPLE = 6;
export const EV_FAIL = 7;
export const EV_REPAIR = 8;
export const EV_RANDOM_FAIL = 9;
export const EV_RANDOM_REPAIR = 10;
export const EV_DEGRADE_ON = 11;
export const EV_DEGRADE_OFF = 12;
export const EV_SCALE_EVAL = 13;
export const EV_SCALE_READY = 14;

const FREE = 0;
const QUEUED = 1;
const IN_SERVICE = 2;
const MOVING = 3;

const F_ABANDONED = 1;
const F_RETRY = 2;

/** A compiled failure: which (station, node) pairs it affects. */
export interface CompiledFailure {
  readonly kind: 'down' | 'random' | 'degraded';
  readonly stations: Int32Array;
  readonly nodes: Int32Array;
  readonly mtbf: number;
  readonly mttr: number;
  readonly slowdown: number;
}

/** The routing table: hops are positions of a path or stations of a network. */
export interface CompiledRouting {
  readonly hopStation: Int32Array;
  /** Next hop when fixed (−1 = leave), or −2 when drawn from the branches. */
  readonly hopNext: Int32Array;
  readonly branchStart: Int32Array;
  readonly branchHop: Int32Array;
  readonly branchCum: Float64Array;
  readonly entryHop: Int32Array;
  readonly entryCum: Float64Array;
}

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

/** Counters and areas snapshotted at the start of the measured window and at each series sample. */
export interface Snapshot {
  t: number;
  st: Float64Array; // per station: arrived, completed, dropped, busyArea, capArea, queueArea, nodesArea, respSum, respCount
  e2e: Float64Array; // arrived, completed, failed(dropped+timedOut), respSum, inFlightArea, jobsCreated, dropped, timedOut, sloMet
}
export const ST_FIELDS = 9;

export class Simulation implements EventHandler {
  readonly engine: Engine;
  /** The engine's heap: the two events of nearly every request are scheduled on it directly (see EventHeap.pushNext). */
  private readonly heap: EventHeap;
  readonly stations: Station[];
  private readonly sources: ArrivalSource[];
  private readonly sourceClassCum: Float64Array[];
  private readonly pendingClass: Int32Array;
  private sourcesDone = 0;
  private readonly routings: CompiledRouting[];
  private readonly clientMode: boolean;
  private readonly timeout: number;
  private readonly retries: RetryPolicy | undefined;
  private readonly failures: CompiledFailure[];
  private readonly rngClass: Rng;
  private readonly rngRoute: Rng;
  private readonly rngClient: Rng;
  private readonly rngFailure: Rng;

  // job pool (struct of arrays)
  private jCap = 0;
  private jHop = new Int32Array(0);
  private jStation = new Int32Array(0);
  private jNode = new Int32Array(0);
  private jClass = new Int32Array(0);
  private jClient = new Int32Array(0);
  private jGen = new Int32Array(0);
  private jState = new Uint8Array(0);
  private jFlags = new Uint8Array(0);
  private jArrive = new Float64Array(0);
  private jBorn = new Float64Array(0);
  private jWait = new Float64Array(0);
  private jFree = new Int32Array(0);
  private jFreeTop = 0;
  jobsLive = 0;
  jobsCreated = 0;

  // client pool
  private cCap = 0;
  private cBorn = new Float64Array(0);
  private cJob = new Int32Array(0);
  private cGen = new Int32Array(0);
  private cAttempt = new Int32Array(0);
  private cClass = new Int32Array(0);
  private cLive = new Uint8Array(0);
  private cFree = new Int32Array(0);
  private cFreeTop = 0;

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
  private readonly e2eHistShared: boolean;
  private readonly sloTarget: number;

  // run control
  private readonly warmupArrivals: number;
  private readonly stopArrivals: number;
  private readonly maxInFlight: number;
  private readonly halfBound: number;
  private halfTimeJobs = -1;
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

  private readonly autoscalers: (Autoscaler | null)[];

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
    this.clientMode = o.timeout < Infinity || (o.retries !== undefined && o.retries.max > 0);
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
    this.growJobs(1024);
    if (this.clientMode) this.growClients(1024);
    this.start = this.snapshot();
  }

  /** Schedule the first events: arrivals, failures, autoscaling evaluations. */
  begin(): void {
    const eng = this.engine;
    for (let i = 0; i < this.sources.length; i++) this.scheduleNextArrival(i);
    this.failures.forEach((f, i) => {
      if (f.kind === 'random') {
        for (let k = 0; k < f.nodes.length; k++) {
          eng.scheduleAt(EV_RANDOM_FAIL, -f.mtbf * Math.log(this.rngFailure.nextOpen()), i, k, URGENT);
        }
      }
    });
    this.autoscalers.forEach((a, s) => {
      if (a) eng.scheduleAt(EV_SCALE_EVAL, a.spec.interval, s, 0, URGENT);
    });
  }

  /** Schedule a failure spec's fixed window [at, at + duration) (node-down, zone-down, degraded). */
  scheduleWindow(index: number, at: number, duration: number): void {
    const f = this.failures[index] as CompiledFailure;
    const on = f.kind === 'degraded' ? EV_DEGRADE_ON : EV_FAIL;
    const off = f.kind === 'degraded' ? EV_DEGRADE_OFF : EV_REPAIR;
    this.engine.scheduleAt(on, at, index, 0, URGENT);
    this.engine.scheduleAt(off, at + duration, index, 0, URGENT);
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
        this.engine.schedule(EV_RANDOM_REPAIR, -f.mttr * Math.log(this.rngFailure.nextOpen()), target, aux, URGENT);
        this.checkDrained();
        break;
      }
      case EV_RANDOM_REPAIR: {
        const f = this.failures[target] as CompiledFailure;
        this.nodeUp(f.stations[aux] as number, f.nodes[aux] as number);
        this.engine.schedule(EV_RANDOM_FAIL, -f.mtbf * Math.log(this.rngFailure.nextOpen()), target, aux, URGENT);
        this.checkDrained();
        break;
      }
      case EV_DEGRADE_ON:
      case EV_DEGRADE_OFF: {
        const f = this.failures[target] as CompiledFailure;
        for (let k = 0; k < f.nodes.length; k++) {
          const st = this.stations[f.stations[k] as number] as Station;
          const n = f.nodes[k] as number;
          st.slowdown[n] = kind === EV_DEGRADE_ON ? st.slowdown[n]! * f.slowdown : st.slowdown[n]! / f.slowdown;
        }
        break;
      }
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
   * Process events until `until` (as Engine.run), through the fast loop when the model is the common simple one
   * (`fastLoopApplies`) and `fast` is true, else through the engine's loop and `handle`. Both give the same results.
   */
  run(until: number, fast = true): void {
    if (fast && this.fastLoopApplies()) this.runFast(until);
    else this.engine.run(until, this);
  }

  /**
   * True (checked once per run) for one station visited once, one Poisson source, one class, no client timeouts or
   * retries, no failures, no autoscaling and no series: then requests only arrive and depart, and `runFast` handles both.
   */
  private fastLoopApplies(): boolean {
    const st = this.stations[0];
    const src = this.sources[0];
    return (
      this.stations.length === 1 &&
      st !== undefined &&
      this.sources.length === 1 &&
      src !== undefined &&
      src.poissonRate > 0 &&
      (this.sourceClassCum[0] as Float64Array).length === 1 &&
      this.routings.length === 1 &&
      this.e2eHistShared &&
      !this.clientMode &&
      this.failures.length === 0 &&
      this.autoscalers.every((a) => a === null) &&
      this.onSample === null
    );
  }

  /**
   * The event loop for the models `fastLoopApplies` accepts: the engine's loop with `externalArrival`, `depart` and the
   * methods they call written out in one function. It does exactly what they do, in the same order, with the same
   * arithmetic (so the results are bit-identical; test/sim/fast-loop.test.ts compares the two loops on random models),
   * minus what cannot happen in such a model (a client, retries, other hops, stale events, classes). Why a copy: V8
   * inlines a call only while the caller's inlining budget lasts, and the general loop's `handle` → `depart` →
   * `takeNext` → `startService` chain outgrows it, so each event paid for several real calls and reloaded every field
   * after each. Doubles never cross a call here (field writes instead, as in pushNext and recordNext): a double
   * argument of a call V8 does not inline is boxed, a heap allocation per event.
   * Events other than arrivals and departures (a warm-up by time) go to `handle`. Job fields that nothing reads in such
   * a model (class, client, flags, hop, birth = arrival time) are not written.
   *
   * Measured (bench/sim-events.bench.ts, M/M/16 at ρ = 0.9, 10^7 arrivals): about 8 M events/s through the general
   * loop, about 11 through this one; see docs/tour-sim-core.md.
   */
  private runFast(until: number): void {
    const eng = this.engine;
    const heap = this.heap;
    const st = this.stations[0] as Station;
    const src = this.sources[0] as ArrivalSource;
    const rate = src.poissonRate;
    const arrivalLogs = src.logs;
    const sampler = st.samplers[0];
    // Service times read in place from the block of ln U when they are exponential, else drawn by the station.
    const serviceLogs = sampler != null ? st.serviceLogs : null;
    const serviceMean = sampler != null ? sampler.exponentialMean : 0;
    const stationIndex = (this.routings[0] as CompiledRouting).hopStation[this.entryHop(0)] as number;
    const respHist = st.respHist;
    const waitHist = st.waitHist;
    const busy = st.busy;
    const c = st.c;
    const shared = st.shared;
    // The job pool's arrays, reloaded after the pool grows (growJobs replaces them).
    let jArrive = this.jArrive;
    let jWait = this.jWait;
    let jState = this.jState;
    let jNode = this.jNode;
    let jGen = this.jGen;
    let jStation = this.jStation;
    let jFree = this.jFree;
    const bounded = until !== Infinity;
    while (!eng.stopped) {
      if (bounded && heap.peekTime() > until) {
        eng.now = until;
        return;
      }
      if (!heap.take()) return;
      const now = heap.popTime;
      eng.now = now;
      eng.events++;
      const kind = heap.popKind;
      if (kind === EV_ARRIVAL) {
        // ── externalArrival(0) ──
        if (arrivalLogs.index === LOG_BLOCK) arrivalLogs.refill();
        const ta = now - arrivalLogs.values[arrivalLogs.index++]! / rate;
        if (ta < Infinity) {
          heap.nextTime = ta;
          heap.pushSideNext(NORMAL, EV_ARRIVAL, 0, 0);
        } else this.sourcesDone++;
        this.externalArrivals++;
        this.e2eArrived++;
        this.e2eAdvance();
        this.e2eInFlight++;
        // newJob (its state is set below, once it is known)
        if (this.jFreeTop === 0) {
          this.growJobs(this.jCap * 2);
          jArrive = this.jArrive;
          jWait = this.jWait;
          jState = this.jState;
          jNode = this.jNode;
          jGen = this.jGen;
          jStation = this.jStation;
          jFree = this.jFree;
        }
        const j = jFree[--this.jFreeTop] as number;
        jWait[j] = 0;
        this.jobsCreated++;
        if (++this.jobsLive === this.halfBound) this.halfTimeJobs = now;
        // enter, arriveAt
        jStation[j] = stationIndex;
        st.arrived++;
        jArrive[j] = now;
        let n = -1;
        if (st.upCount === 0) this.dropAt(j, st);
        else if (st.waiting >= st.shedAbove) {
          st.shed++;
          this.dropAt(j, st);
        } else {
          if (shared) n = st.busyUp < st.capUp ? st.idleNode() : -1;
          else n = st.upCount === 1 ? (st.upList[0] as number) : st.pick();
          if (n >= 0 && (busy[n] as number) < c) {
            // startService: the request arrived now, so its wait is +0 (jWait stays 0 + 0 = 0)
            const dt = now - st.lastT; // st.advance(now), written out: a double argument is boxed when not inlined
            if (dt > 0) {
              st.busyArea += st.busyTotal * dt;
              st.queueArea += st.waiting * dt;
              st.lastT = now;
            }
            const b = busy[n]! + 1;
            busy[n] = b;
            st.busyTotal++;
            if (st.up[n] === 1) st.busyUp++;
            waitHist.recordZero();
            if (serviceLogs !== null) {
              if (serviceLogs.index === LOG_BLOCK) serviceLogs.refill();
              st.drawn = -serviceMean * serviceLogs.values[serviceLogs.index++]! * (st.slowdown[n] as number);
            } else st.drawServiceTime(0, n, b);
            const svc = st.drawn;
            st.serviceSum += svc;
            st.serviceCount++;
            jNode[j] = n;
            jState[j] = IN_SERVICE;
            heap.nextTime = now + svc;
            heap.pushNext(NORMAL, EV_DEPART, j, jGen[j] as number);
          } else {
            const q = st.queues[shared ? 0 : n]!;
            if (q.length >= st.capacity) {
              jState[j] = MOVING;
              this.dropAt(j, st);
            } else {
              const dt = now - st.lastT; // st.advance(now)
              if (dt > 0) {
                st.busyArea += st.busyTotal * dt;
                st.queueArea += st.waiting * dt;
                st.lastT = now;
              }
              q.push(j);
              st.waiting++;
              jNode[j] = n;
              jState[j] = QUEUED;
            }
          }
        }
        if (this.externalArrivals === this.warmupArrivals) this.beginMeasure();
        if (this.externalArrivals === this.stopArrivals) eng.stopped = true;
        if (this.jobsLive >= this.maxInFlight || this.e2eInFlight >= this.maxInFlight) this.stopUnstable();
      } else if (kind === EV_DEPART) {
        // ── depart(j) ── (no event goes stale: nothing here kills a job)
        const j = heap.popTarget;
        const n = jNode[j] as number;
        const dt = now - st.lastT; // st.advance(now)
        if (dt > 0) {
          st.busyArea += st.busyTotal * dt;
          st.queueArea += st.waiting * dt;
          st.lastT = now;
        }
        busy[n]!--;
        st.busyTotal--;
        if (st.up[n] === 1) st.busyUp--;
        const response = now - jArrive[j]!;
        respHist.next = response;
        respHist.recordNext();
        st.completed++;
        // takeNext: the freed worker takes the next waiting request
        const q = st.queues[shared ? 0 : n]!;
        if (shared ? st.waiting > 0 && st.up[n] === 1 : q.length > 0) {
          while (q.length > 0) {
            const k = q.shift();
            st.waiting--;
            if (now - jArrive[k]! > st.maxQueueTime) {
              st.shed++;
              this.dropAt(k, st);
              continue;
            }
            // startService(k)
            const b = busy[n]! + 1;
            busy[n] = b;
            st.busyTotal++;
            if (st.up[n] === 1) st.busyUp++;
            const w = now - jArrive[k]!;
            jWait[k]! += w;
            waitHist.next = w;
            waitHist.recordNext();
            if (serviceLogs !== null) {
              if (serviceLogs.index === LOG_BLOCK) serviceLogs.refill();
              st.drawn = -serviceMean * serviceLogs.values[serviceLogs.index++]! * (st.slowdown[n] as number);
            } else st.drawServiceTime(0, n, b);
            const svc = st.drawn;
            st.serviceSum += svc;
            st.serviceCount++;
            jNode[k] = n;
            jState[k] = IN_SERVICE;
            heap.nextTime = now + svc;
            heap.pushNext(NORMAL, EV_DEPART, k, jGen[k] as number);
            break;
          }
        }
        // finishJob → succeed (the end-to-end histogram is the station's: nothing more to record), freeJob
        this.e2eAdvance();
        this.e2eInFlight--;
        this.e2eCompleted++;
        this.e2eWaitSum += jWait[j] as number;
        if (response <= this.sloTarget) this.e2eSloMet++;
        jState[j] = FREE;
        jStation[j] = -1;
        jGen[j] = (jGen[j]! + 1) | 0;
        jFree[this.jFreeTop++] = j;
        this.jobsLive--;
      } else this.handle(kind, heap.popTarget, heap.popAux);
      heap.release();
    }
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
    if (this.stopArrivals > 0 && this.sourcesDone === this.sources.length && this.jobsLive === 0 && this.e2eInFlight === 0) {
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
      const c = this.newClient(now, cls);
      j = this.newJob(cls, c, 0);
      this.cJob[c] = j;
      if (this.timeout < Infinity) this.engine.schedule(EV_TIMEOUT, this.timeout, c, this.cGen[c] as number);
    } else {
      j = this.newJob(cls, -1, 0);
    }
    this.enter(j, this.entryHop(cls));
    if (this.externalArrivals === this.warmupArrivals) this.beginMeasure();
    if (this.externalArrivals === this.stopArrivals) this.engine.stopped = true;
    if (this.jobsLive >= this.maxInFlight || this.e2eInFlight >= this.maxInFlight) this.stopUnstable();
  }

  private entryHop(cls: number): number {
    const r = this.routings[cls] as CompiledRouting;
    if (r.entryHop.length === 1) return r.entryHop[0] as number;
    const u = this.rngRoute.next();
    let i = 0;
    while (i < r.entryHop.length - 1 && u >= (r.entryCum[i] as number)) i++;
    return r.entryHop[i] as number;
  }

  /** The hop after `hop` when it is drawn from the branches (hopNext = −2); −1 = leave. */
  private branchHop(cls: number, hop: number): number {
    const r = this.routings[cls] as CompiledRouting;
    const u = this.rngRoute.next();
    const end = r.branchStart[hop + 1] as number;
    for (let b = r.branchStart[hop] as number; b < end; b++) if (u < (r.branchCum[b] as number)) return r.branchHop[b] as number;
    return -1;
  }

  private enter(j: number, hop: number): void {
    this.jHop[j] = hop;
    const s = (this.routings[this.jClass[j] as number] as CompiledRouting).hopStation[hop] as number;
    this.jStation[j] = s;
    this.arriveAt(j, this.stations[s] as Station);
  }

  // ───────────────────────────── stations ─────────────────────────────

  private arriveAt(j: number, st: Station): void {
    const now = this.engine.now;
    st.arrived++;
    if ((this.jFlags[j]! & F_RETRY) !== 0) st.retries++;
    this.jArrive[j] = now;
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
    this.jNode[j] = n;
    this.jState[j] = QUEUED;
  }

  private startService(j: number, st: Station, n: number): void {
    const now = this.engine.now;
    st.advance(now);
    const b = st.busy[n]! + 1;
    st.busy[n] = b;
    st.busyTotal++;
    if (st.up[n] === 1) st.busyUp++;
    const w = now - this.jArrive[j]!;
    this.jWait[j]! += w;
    st.waitHist.record(w);
    st.drawServiceTime(this.jClass[j] as number, n, b);
    const svc = st.drawn;
    st.serviceSum += svc;
    st.serviceCount++;
    this.jNode[j] = n;
    this.jState[j] = IN_SERVICE;
    this.heap.nextTime = now + svc;
    this.heap.pushNext(NORMAL, EV_DEPART, j, this.jGen[j] as number);
  }

  private depart(j: number, gen: number): void {
    if (this.jGen[j] !== gen) return; // the job was lost with its node
    const now = this.engine.now;
    const s = this.jStation[j] as number;
    const st = this.stations[s] as Station;
    const n = this.jNode[j] as number;
    st.advance(now);
    st.busy[n]!--;
    st.busyTotal--;
    if (st.up[n] === 1) st.busyUp--;
    st.respHist.record(now - this.jArrive[j]!);
    if ((this.jFlags[j]! & F_ABANDONED) !== 0) st.timedOut++;
    else st.completed++;
    this.jState[j] = MOVING;
    // The freed worker takes the next waiting request (a node removed by scale-down still drains its own queue).
    if (st.shared) {
      if (st.waiting > 0 && st.up[n] === 1) this.takeNext(st, n, st.queues[0]!);
    } else {
      const q = st.queues[n]!;
      if (q.length > 0) this.takeNext(st, n, q);
    }
    // Next hop: fixed (read here, the common case) or drawn from the branches.
    const cls = this.jClass[j] as number;
    const hop = this.jHop[j] as number;
    let next = (this.routings[cls] as CompiledRouting).hopNext[hop] as number;
    if (next === -2) next = this.branchHop(cls, hop);
    if (next >= 0) this.enter(j, next);
    else this.finishJob(j);
  }

  private takeNext(st: Station, n: number, q: { length: number; shift(): number }): void {
    const now = this.engine.now;
    st.advance(now);
    while (q.length > 0) {
      const k = q.shift();
      st.waiting--;
      if (now - this.jArrive[k]! > st.maxQueueTime) {
        st.shed++;
        this.dropAt(k, st);
        continue;
      }
      this.startService(k, st, n);
      return;
    }
  }

  private dropAt(j: number, st: Station): void {
    st.dropped++;
    this.jState[j] = MOVING;
    if (this.clientMode) {
      if ((this.jFlags[j]! & F_ABANDONED) === 0) {
        const c = this.jClient[j] as number;
        this.cJob[c] = -1;
        this.attemptFailed(c, false);
      }
    } else {
      this.e2eAdvance();
      this.e2eInFlight--;
      this.e2eDropped++;
    }
    this.freeJob(j);
  }

  private finishJob(j: number): void {
    if (this.clientMode) {
      if ((this.jFlags[j]! & F_ABANDONED) === 0) {
        const c = this.jClient[j] as number;
        this.succeed(j, c);
        this.cJob[c] = -1;
        this.freeClient(c);
      }
    } else {
      this.succeed(j, -1);
    }
    this.freeJob(j);
  }

  /** A request (client request c, or job j itself when c is −1) succeeded with job j's answer. */
  private succeed(j: number, c: number): void {
    const now = this.engine.now;
    const response = now - (c >= 0 ? this.cBorn[c]! : this.jBorn[j]!);
    this.e2eAdvance();
    this.e2eInFlight--;
    this.e2eCompleted++;
    if (!this.e2eHistShared) this.e2eHist.record(response);
    this.e2eWaitSum += this.jWait[j] as number;
    if (response <= this.sloTarget) this.e2eSloMet++;
  }

  // ───────────────────────────── client: timeouts and retries ─────────────────────────────

  private clientTimeout(c: number, gen: number): void {
    if (this.cGen[c] !== gen) return; // answered or failed already
    const j = this.cJob[c] as number;
    if (j >= 0) this.jFlags[j]! |= F_ABANDONED; // the servers keep working on it
    this.cJob[c] = -1;
    this.attemptFailed(c, true);
  }

  /**
   * An attempt failed (dropped, or timed out): retry after a backoff if attempts remain, else fail for good.
   * Backoff for retry r (1-based): b = min(maxBackoff, backoff × 2^(r−1)); jitter none → b, full → U·b,
   * equal → b/2 + U·b/2 (Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015).
   */
  private attemptFailed(c: number, timedOut: boolean): void {
    const now = this.engine.now;
    this.cGen[c]!++;
    const r = this.retries;
    const attempt = this.cAttempt[c] as number;
    if (r !== undefined && attempt <= r.max) {
      const b = Math.min(r.maxBackoff, r.backoff * Math.pow(2, attempt - 1));
      const delay = r.jitter === 'none' ? b : r.jitter === 'full' ? this.rngClient.next() * b : b / 2 + (this.rngClient.next() * b) / 2;
      this.engine.schedule(EV_RETRY, delay, c, this.cGen[c] as number);
      return;
    }
    this.e2eAdvance();
    this.e2eInFlight--;
    if (timedOut) this.e2eTimedOut++;
    else this.e2eDropped++;
    this.freeClient(c);
  }

  private clientRetry(c: number, gen: number): void {
    if (this.cGen[c] !== gen) return;
    this.cAttempt[c]!++;
    this.e2eRetries++;
    this.cGen[c]!++;
    const j = this.newJob(this.cClass[c] as number, c, F_RETRY);
    this.cJob[c] = j;
    if (this.timeout < Infinity) this.engine.schedule(EV_TIMEOUT, this.timeout, c, this.cGen[c] as number);
    this.enter(j, this.entryHop(this.cClass[c] as number));
    if (this.jobsLive >= this.maxInFlight || this.e2eInFlight >= this.maxInFlight) this.stopUnstable();
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
    for (let j = 0; j < this.jCap; j++) {
      if (this.jState[j] === IN_SERVICE && this.jStation[j] === s && this.jNode[j] === n) {
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
  private e2eAdvance(): void {
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
    const ns = this.stations.length;
    const st = new Float64Array(ns * ST_FIELDS);
    this.stations.forEach((x, i) => {
      st.set([x.arrived, x.completed + x.timedOut, x.dropped, x.busyArea, x.capArea, x.queueArea, x.nodesArea, x.respHist.sum, x.respHist.count], i * ST_FIELDS);
    });
    const e2e = Float64Array.from([
      this.e2eArrived,
      this.e2eCompleted,
      this.e2eDropped + this.e2eTimedOut,
      this.e2eHist.sum,
      this.e2eInFlightArea,
      this.jobsCreated,
      this.e2eDropped,
      this.e2eTimedOut,
      this.e2eSloMet,
    ]);
    return { t: this.engine.now, st, e2e };
  }

  /** The in-flight bound was reached: stop, and keep the time, the level and its growth since half the bound. */
  private stopUnstable(): void {
    const now = this.engine.now;
    const byJobs = this.jobsLive >= this.maxInFlight;
    const half = byJobs ? this.halfTimeJobs : this.halfTimeClients;
    const level = byJobs ? this.jobsLive : this.e2eInFlight;
    const growth = half >= 0 && now > half ? (level - this.halfBound) / (now - half) : level / Math.max(now, 1e-12);
    this.unstableAt = [now, level, growth];
    this.engine.stopped = true;
  }

  /** Requests currently at station s (queued or in service), counted from the pool (independent of the counters). */
  jobsAt(s: number): number {
    let k = 0;
    for (let j = 0; j < this.jCap; j++) if (this.jStation[j] === s && (this.jState[j] === QUEUED || this.jState[j] === IN_SERVICE)) k++;
    return k;
  }

  /** Client requests in flight, counted from the pools. */
  liveRequests(): number {
    let k = 0;
    if (this.clientMode) {
      for (let c = 0; c < this.cCap; c++) if (this.cLive[c] === 1) k++;
    } else {
      for (let j = 0; j < this.jCap; j++) if (this.jState[j] !== FREE) k++;
    }
    return k;
  }

  // ───────────────────────────── pools ─────────────────────────────

  private newJob(cls: number, client: number, flags: number): number {
    const now = this.engine.now;
    if (this.jFreeTop === 0) this.growJobs(this.jCap * 2);
    const j = this.jFree[--this.jFreeTop] as number;
    this.jClass[j] = cls;
    this.jClient[j] = client;
    this.jFlags[j] = flags;
    this.jBorn[j] = now;
    this.jWait[j] = 0;
    this.jState[j] = MOVING;
    this.jobsCreated++;
    if (++this.jobsLive === this.halfBound) this.halfTimeJobs = now;
    return j;
  }

  private freeJob(j: number): void {
    this.jState[j] = FREE;
    this.jStation[j] = -1;
    this.jGen[j] = (this.jGen[j]! + 1) | 0;
    this.jFree[this.jFreeTop++] = j;
    this.jobsLive--;
  }

  private newClient(now: number, cls: number): number {
    if (this.cFreeTop === 0) this.growClients(this.cCap * 2);
    const c = this.cFree[--this.cFreeTop] as number;
    this.cBorn[c] = now;
    this.cAttempt[c] = 1;
    this.cClass[c] = cls;
    this.cJob[c] = -1;
    this.cLive[c] = 1;
    this.cGen[c] = (this.cGen[c]! + 1) | 0;
    if (this.e2eInFlight === this.halfBound) this.halfTimeClients = now; // counted by the caller just before
    return c;
  }

  private freeClient(c: number): void {
    this.cLive[c] = 0;
    this.cGen[c] = (this.cGen[c]! + 1) | 0;
    this.cFree[this.cFreeTop++] = c;
  }

  private growJobs(n: number): void {
    const old = this.jCap;
    this.jHop = growI32(this.jHop, n);
    this.jStation = growI32(this.jStation, n);
    this.jNode = growI32(this.jNode, n);
    this.jClass = growI32(this.jClass, n);
    this.jClient = growI32(this.jClient, n);
    this.jGen = growI32(this.jGen, n);
    this.jState = growU8(this.jState, n);
    this.jFlags = growU8(this.jFlags, n);
    this.jArrive = growF64(this.jArrive, n);
    this.jBorn = growF64(this.jBorn, n);
    this.jWait = growF64(this.jWait, n);
    this.jFree = growI32(this.jFree, n);
    // New ids go on the free stack so that the lowest id is handed out first.
    for (let j = n - 1; j >= old; j--) {
      this.jFree[this.jFreeTop++] = j;
      this.jStation[j] = -1;
    }
    this.jCap = n;
  }

  private growClients(n: number): void {
    const old = this.cCap;
    this.cBorn = growF64(this.cBorn, n);
    this.cJob = growI32(this.cJob, n);
    this.cGen = growI32(this.cGen, n);
    this.cAttempt = growI32(this.cAttempt, n);
    this.cClass = growI32(this.cClass, n);
    this.cLive = growU8(this.cLive, n);
    this.cFree = growI32(this.cFree, n);
    for (let c = n - 1; c >= old; c--) this.cFree[this.cFreeTop++] = c;
    this.cCap = n;
  }
}

function growI32(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
function growU8(a: Uint8Array, n: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(n);
  b.set(a);
  return b;
}
function growF64(a: Float64Array, n: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}
