/**
 * The source of serve-demo's worker threads, as a string evaluated with `new Worker(src, { eval: true })`. Keeping it
 * plain CommonJS JavaScript means the same worker runs under tsx, vitest and the compiled dist, with no loader.
 *
 * Workers take tasks from ONE first-come-first-served queue in a SharedArrayBuffer (see thread-pool.ts for the layout)
 * without a round trip through the main thread: a worker that finishes a task takes the next one at once, so a busy
 * main thread (parsing HTTP) cannot stretch the service time, and the capacity is workers / ms.
 *
 * A task is (id, op, ms, serialMs); times are stored in microseconds.
 *
 * Fault control (fault-control.ts) reaches the workers through a second shared array of int32 words
 * [generation, workersDown, slowdown × 1000, paused]: worker `index` stays out of service while index < workersDown or
 * paused (it finishes the task it holds first, then waits on `generation`, which the main thread bumps on every
 * change), and a task's time is multiplied by the slowdown read when it starts. An out-of-service worker woken for a
 * task passes the wake-up on to the next waiting worker, so the task is not left waiting.
 *
 * Each worker adds the wall-clock time it held each task to its own slot of a shared Float64Array [busyMs, tasks]
 * (one writer per slot), so serve-demo can report the service time it really delivered: on a busy machine a thread
 * that sleeps 20 ms may hold its task longer, waiting for a core to wake it.
 * - op 1, `cpu`: busy-loops for `ms` of wall-clock time (the thread is on a core the whole time). Wall-clock, not CPU
 *   time, so the endpoint's capacity (workers / ms) holds on a shared machine as long as the thread gets a core.
 * - op 2, `lock`: waits `ms - serialMs` (the parallel part), then takes a process-wide lock shared by all workers
 *   (Atomics.compareExchange / Atomics.wait / Atomics.notify, the futex mutex of Drepper's "Futexes Are Tricky", §2)
 *   and holds it for `serialMs`. The waits use Atomics.wait with a timeout, which blocks precisely (no 1 ms timer
 *   granularity) and burns no CPU, so the lock, not the cores, limits throughput: the USL's sigma is serialMs / ms.
 */
export const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const hdr = new Int32Array(workerData.header);
const slots = new Int32Array(workerData.slots);
const ctl = new Int32Array(workerData.control);
const stats = new Float64Array(workerData.stats);
const MASK = workerData.mask;
const INDEX = workerData.index;
const HEAD = 0, COUNT = 2, LOCK = 3;
const GEN = 0, DOWN = 1, SLOW = 2, PAUSED = 3;
function outOfService() { return Atomics.load(ctl, PAUSED) === 1 || INDEX < Atomics.load(ctl, DOWN); }
const sleeper = new Int32Array(new SharedArrayBuffer(4));
function burn(ms) { const end = performance.now() + ms; while (performance.now() < end) { /* spin */ } }
function sleep(ms) {
  const end = performance.now() + ms;
  let left = ms;
  while (left > 0) { Atomics.wait(sleeper, 0, 0, left); left = end - performance.now(); }
}
function acquire() { while (Atomics.compareExchange(hdr, LOCK, 0, 1) !== 0) Atomics.wait(hdr, LOCK, 1); }
function release() { Atomics.store(hdr, LOCK, 0); Atomics.notify(hdr, LOCK, 1); }
for (;;) {
  const gen = Atomics.load(ctl, GEN);
  if (outOfService()) { Atomics.notify(hdr, COUNT, 1); Atomics.wait(ctl, GEN, gen); continue; }
  const c = Atomics.load(hdr, COUNT);
  if (c <= 0) { Atomics.wait(hdr, COUNT, c); continue; }
  if (Atomics.compareExchange(hdr, COUNT, c, c - 1) !== c) continue;
  const i = (Atomics.add(hdr, HEAD, 1) & MASK) * 4;
  const id = Atomics.load(slots, i), op = Atomics.load(slots, i + 1);
  const slow = Atomics.load(ctl, SLOW) / 1000;
  const ms = (Atomics.load(slots, i + 2) / 1000) * slow, serialMs = (Atomics.load(slots, i + 3) / 1000) * slow;
  if (op === 0) break; // shutdown
  const t0 = performance.now();
  if (op === 1) burn(ms);
  else if (op === 2) { sleep(ms - serialMs); acquire(); try { sleep(serialMs); } finally { release(); } }
  stats[2 * INDEX] += performance.now() - t0;
  stats[2 * INDEX + 1] += 1;
  parentPort.postMessage(id);
}
`;
