/**
 * MIRROR of the general request path in simulation.ts (`externalArrival`, `enter`, `arriveAt`, `startService`,
 * `depart`, `takeNext`, `finishJob`, `succeed`, and the job pool's `take` and `release`), written out in one loop for
 * the common simple model. Any change to those methods must be made here too: test/sim/fast-loop.test.ts runs random
 * models through both loops and requires bit-identical results.
 *
 * The loop does exactly what the general path does, in the same order, with the same arithmetic, minus what cannot
 * happen in such a model (a client, retries, other hops, stale events, classes). Why a copy: V8 inlines a call only
 * while the caller's inlining budget lasts, and the general loop's `handle` → `depart` → `takeNext` → `startService`
 * chain outgrows it, so each event paid for several real calls and reloaded every field after each. Doubles never
 * cross a call here (field writes instead, as in EventHeap.pushNext and LogHistogram.recordNext): a double argument
 * of a call V8 does not inline is boxed, a heap allocation per event. Moving this function into a module of its own
 * changes none of that: V8 inlines across ES modules as within one, and the loop's structure is the one it had as a
 * method of Simulation (the simulation, the job pool and the station are held in locals; the calls made per event are
 * the same).
 * Events other than arrivals and departures (a warm-up by time) go to `Simulation.handle`. Job fields that nothing
 * reads in such a model (class, client, flags, hop, birth = arrival time) are not written.
 *
 * Measured (bench/sim-events.bench.ts, M/M/16 at ρ = 0.9, 10^7 arrivals): about 8 M events/s through the general
 * loop, about 11 through this one; see docs/tour-sim-core.md.
 */
import type { ArrivalSource } from './arrivals.js';
import { EV_ARRIVAL, EV_DEPART } from './event-kinds.js';
import { NORMAL } from './event-heap.js';
import { JOB_FREE, JOB_IN_SERVICE, JOB_MOVING, JOB_QUEUED } from './job-pool.js';
import { LOG_BLOCK } from './log-uniforms.js';
import { drawEntryHop, type CompiledRouting } from './routing.js';
import type { Simulation } from './simulation.js';
import type { Station } from './station.js';

/**
 * True (checked once per run) for one station visited once, one Poisson source, one class, no client timeouts or
 * retries, no failures, no autoscaling and no series: then requests only arrive and depart, and `runFastLoop`
 * handles both.
 */
export function fastLoopApplies(sim: Simulation): boolean {
  const st = sim.stations[0];
  const src = sim.sources[0];
  return (
    sim.stations.length === 1 &&
    st !== undefined &&
    sim.sources.length === 1 &&
    src !== undefined &&
    src.poissonRate > 0 &&
    (sim.sourceClassCum[0] as Float64Array).length === 1 &&
    sim.routings.length === 1 &&
    sim.e2eHistShared &&
    !sim.clientMode &&
    sim.failures.length === 0 &&
    sim.autoscalers.every((a) => a === null) &&
    sim.onSample === null
  );
}

/**
 * Process events until `until` (as Engine.run) for a model `fastLoopApplies` accepts, with the same results as
 * `sim.engine.run(until, sim)`.
 */
export function runFastLoop(sim: Simulation, until: number): void {
  const eng = sim.engine;
  const jobs = sim.jobs;
  const heap = sim.heap;
  const st = sim.stations[0] as Station;
  const src = sim.sources[0] as ArrivalSource;
  const rate = src.poissonRate;
  const arrivalLogs = src.logs;
  const sampler = st.samplers[0];
  // Service times read in place from the block of ln U when they are exponential, else drawn by the station.
  const serviceLogs = sampler != null ? st.serviceLogs : null;
  const serviceMean = sampler != null ? sampler.exponentialMean : 0;
  const routing = sim.routings[0] as CompiledRouting;
  const stationIndex = routing.hopStation[drawEntryHop(routing, sim.rngRoute)] as number;
  const respHist = st.respHist;
  const waitHist = st.waitHist;
  const busy = st.busy;
  const c = st.c;
  const shared = st.shared;
  // The job pool's arrays, reloaded after the pool grows (growJobs replaces them).
  let jArrive = jobs.arrive;
  let jWait = jobs.wait;
  let jState = jobs.state;
  let jNode = jobs.node;
  let jGen = jobs.gen;
  let jStation = jobs.station;
  let jFree = jobs.free;
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
      } else sim.sourcesDone++;
      sim.externalArrivals++;
      sim.e2eArrived++;
      sim.e2eAdvance();
      sim.e2eInFlight++;
      // newJob (its state is set below, once it is known)
      if (jobs.freeTop === 0) {
        jobs.grow(jobs.cap * 2);
        jArrive = jobs.arrive;
        jWait = jobs.wait;
        jState = jobs.state;
        jNode = jobs.node;
        jGen = jobs.gen;
        jStation = jobs.station;
        jFree = jobs.free;
      }
      const j = jFree[--jobs.freeTop] as number;
      jWait[j] = 0;
      jobs.created++;
      if (++jobs.live === jobs.halfBound) jobs.halfTime = now;
      // enter, arriveAt
      jStation[j] = stationIndex;
      st.arrived++;
      jArrive[j] = now;
      let n = -1;
      if (st.upCount === 0) sim.dropAt(j, st);
      else if (st.waiting >= st.shedAbove) {
        st.shed++;
        sim.dropAt(j, st);
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
          jState[j] = JOB_IN_SERVICE;
          heap.nextTime = now + svc;
          heap.pushNext(NORMAL, EV_DEPART, j, jGen[j] as number);
        } else {
          const q = st.queues[shared ? 0 : n]!;
          if (q.length >= st.capacity) {
            jState[j] = JOB_MOVING;
            sim.dropAt(j, st);
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
            jState[j] = JOB_QUEUED;
          }
        }
      }
      if (sim.externalArrivals === sim.warmupArrivals) sim.beginMeasure();
      if (sim.externalArrivals === sim.stopArrivals) eng.stopped = true;
      if (jobs.live >= sim.maxInFlight || sim.e2eInFlight >= sim.maxInFlight) sim.stopUnstable();
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
            sim.dropAt(k, st);
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
          jState[k] = JOB_IN_SERVICE;
          heap.nextTime = now + svc;
          heap.pushNext(NORMAL, EV_DEPART, k, jGen[k] as number);
          break;
        }
      }
      // finishJob → succeed (the end-to-end histogram is the station's: nothing more to record), freeJob
      sim.e2eAdvance();
      sim.e2eInFlight--;
      sim.e2eCompleted++;
      sim.e2eWaitSum += jWait[j] as number;
      if (response <= sim.sloTarget) sim.e2eSloMet++;
      jState[j] = JOB_FREE;
      jStation[j] = -1;
      jGen[j] = (jGen[j]! + 1) | 0;
      jFree[jobs.freeTop++] = j;
      jobs.live--;
    } else sim.handle(kind, heap.popTarget, heap.popAux);
    heap.release();
  }
}
