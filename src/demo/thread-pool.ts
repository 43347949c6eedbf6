import { Worker } from 'node:worker_threads';
import { WORKER_SOURCE } from './worker-source.js';

/** A task for a demo worker thread (see worker-source.ts). Milliseconds. */
export interface DemoTask {
  readonly op: 'cpu' | 'lock';
  readonly ms: number;
  readonly serialMs: number;
}

const QUEUE_SLOTS = 1 << 16;
/** Slots kept free between the producer and the slowest reader, so a slot is never rewritten while being read. */
const SLACK = 64;

/**
 * A fixed pool of `size` worker threads behind ONE first-come-first-served queue: the M/G/c station (c = size, one
 * shared queue) that `workersPerNode: c` describes in the resource model.
 *
 * The queue is a ring of 2^16 task slots in a SharedArrayBuffer (4 int32 each: id, op, ms·1000, serialMs·1000) with a
 * header of int32 words [head, tail, count, lock]. The main thread is the only producer: it writes a slot at `tail`
 * and then publishes it with Atomics.add(count, 1) + Atomics.notify. A worker claims one task by decrementing `count`
 * with compareExchange and takes slot Atomics.add(head, 1): workers never wait for the main thread between tasks.
 * When the ring is full `run` rejects (the server answers 503), which only a run far past saturation reaches.
 */
export class DemoThreadPool {
  private readonly workers: Worker[] = [];
  private readonly header = new SharedArrayBuffer(16);
  private readonly hdr = new Int32Array(this.header);
  private readonly slots = new Int32Array(new SharedArrayBuffer(QUEUE_SLOTS * 16));
  /** Fault control words [generation, workersDown, slowdown × 1000, paused] (see worker-source.ts). */
  private readonly control = new Int32Array(new SharedArrayBuffer(16));
  /** Per worker [busyMs, tasks], each slot written by its worker only (see worker-source.ts). */
  private readonly stats: Float64Array;
  private readonly pending = new Map<number, () => void>();
  private tail = 0;
  private nextId = 1;

  constructor(readonly size: number) {
    Atomics.store(this.control, 2, 1000);
    this.stats = new Float64Array(new SharedArrayBuffer(16 * size));
    for (let i = 0; i < size; i++) {
      const w = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { header: this.header, slots: this.slots.buffer, mask: QUEUE_SLOTS - 1, control: this.control.buffer, stats: this.stats.buffer, index: i },
      });
      w.on('message', (id: number) => {
        const done = this.pending.get(id);
        this.pending.delete(id);
        done?.();
      });
      w.unref();
      this.workers.push(w);
    }
  }

  /** Wall-clock milliseconds the threads have held tasks, and the tasks finished, since the start. */
  get busy(): { busyMs: number; tasks: number } {
    let busyMs = 0;
    let tasks = 0;
    for (let i = 0; i < this.size; i++) {
      busyMs += this.stats[2 * i]!;
      tasks += this.stats[2 * i + 1]!;
    }
    return { busyMs, tasks };
  }

  /** Tasks waiting for a thread. */
  get waiting(): number {
    return Math.max(0, Atomics.load(this.hdr, 2));
  }

  /** Run a task; resolves when a thread has finished it. Rejects when the queue is full. */
  run(task: DemoTask): Promise<void> {
    if (this.tail - Atomics.load(this.hdr, 0) >= QUEUE_SLOTS - SLACK) return Promise.reject(new QueueFullError());
    const id = this.nextId++;
    const p = new Promise<void>((resolve) => this.pending.set(id, resolve));
    this.push(id, task.op === 'cpu' ? 1 : 2, task.ms, task.serialMs);
    return p;
  }

  private push(id: number, op: number, ms: number, serialMs: number): void {
    const i = (this.tail & (QUEUE_SLOTS - 1)) * 4;
    Atomics.store(this.slots, i, id);
    Atomics.store(this.slots, i + 1, op);
    Atomics.store(this.slots, i + 2, Math.round(ms * 1000));
    Atomics.store(this.slots, i + 3, Math.round(serialMs * 1000));
    this.tail++;
    Atomics.store(this.hdr, 1, this.tail);
    Atomics.add(this.hdr, 2, 1);
    Atomics.notify(this.hdr, 2, 1);
  }

  /**
   * Put the workers under a fault: the first `workersDown` threads leave service after the task they hold, every
   * task started from now takes `slowdown` times as long, and `pause` keeps every thread from taking a new task.
   * `setFault(0, 1, false)` restores the pool.
   */
  setFault(workersDown: number, slowdown: number, pause: boolean): void {
    Atomics.store(this.control, 1, Math.max(0, Math.min(this.size, Math.round(workersDown))));
    Atomics.store(this.control, 2, Math.round(slowdown * 1000));
    Atomics.store(this.control, 3, pause ? 1 : 0);
    Atomics.add(this.control, 0, 1);
    Atomics.notify(this.control, 0);
    // Idle workers re-check their state; a worker now in service again finds the waiting tasks.
    Atomics.notify(this.hdr, 2);
  }

  async close(): Promise<void> {
    this.setFault(0, 1, false);
    for (let i = 0; i < this.size; i++) this.push(0, 0, 0, 0);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export class QueueFullError extends Error {
  constructor() {
    super('the worker queue is full');
  }
}
