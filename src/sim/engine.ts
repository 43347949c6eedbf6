/**
 * The discrete-event engine, in SimPy's vocabulary (cristiklein/simpy src/simpy/core.py, `Environment`): a clock `now`,
 * `schedule` an event after a delay, `step` to the next event, `run` until a time. Unlike SimPy there are no event
 * objects or generator processes: an event is (time, priority, kind, target, aux) in the typed-array heap, and the
 * model dispatches on the integer `kind` with a switch in its `handle` method, so the loop allocates nothing per event.
 */
import { EventHeap, NORMAL } from './event-heap.js';

/** The model side of the loop: one method called once per event with its integer kind, target id and aux tag. */
export interface EventHandler {
  handle(kind: number, target: number, aux: number): void;
}

export class Engine {
  /** Simulated time, seconds. */
  now = 0;
  /** Events processed so far. */
  events = 0;
  /** Set by the model to end `run` after the current event. */
  stopped = false;
  readonly heap: EventHeap;

  constructor(initialCapacity = 1024) {
    this.heap = new EventHeap(initialCapacity);
  }

  /** Schedule an event `delay` seconds from now (SimPy `schedule(event, priority, delay)`). */
  schedule(kind: number, delay: number, target: number, aux: number, priority: number = NORMAL): void {
    this.heap.push(this.now + delay, priority, kind, target, aux);
  }

  /** Schedule an event at absolute time `time` (≥ now). */
  scheduleAt(kind: number, time: number, target: number, aux: number, priority: number = NORMAL): void {
    this.heap.push(time, priority, kind, target, aux);
  }

  /** Process the next event. Returns false when there is none (SimPy raises EmptySchedule). */
  step(handler: EventHandler): boolean {
    const heap = this.heap;
    if (!heap.pop()) return false;
    this.now = heap.popTime;
    this.events++;
    handler.handle(heap.popKind, heap.popTarget, heap.popAux);
    return true;
  }

  /**
   * Process events in order until the next one is later than `until` (then `now = until`), none is left, or the
   * handler sets `stopped`. Events at exactly `until` are processed.
   */
  run(until: number, handler: EventHandler): void {
    const heap = this.heap;
    while (!this.stopped) {
      if (heap.size === 0 || heap.peekTime() > until) {
        if (until !== Infinity) this.now = until;
        return;
      }
      heap.take();
      this.now = heap.popTime;
      this.events++;
      handler.handle(heap.popKind, heap.popTarget, heap.popAux);
      heap.release(); // a no-op when the handler's first schedule call replaced the event (see event-heap.ts)
    }
  }
}
