/**
 * The simulator's pending-event set: a binary min-heap over typed arrays, ordered by (time, priority, seq) as SimPy's
 * `Environment.schedule` orders its heap of tuples (cristiklein/simpy src/simpy/core.py), so events at equal times
 * fire in a fixed order (lower priority number first, then first scheduled first).
 *
 * Layout (struct of arrays, nothing allocated per push or pop):
 * - the heap itself is two parallel arrays, `time` (Float64Array, seconds) and `slot` (Int32Array), so a sift moves
 *   two numbers per level;
 * - each event's other fields live in a slot, recycled through a free stack: `kind` and `target` (Int32Array: an integer
 *   event kind and the id it applies to), `aux` (Int32Array: a generation tag, so an event whose target was recycled is
 *   recognised as stale) and `order` (Float64Array: priority × 2^44 + seq, one exact double so the tie-break is one
 *   comparison, read only when two times are equal, and seq can run past 2^31 in long runs).
 * Arrays double when full (amortised O(1), only while the heap grows). Sift-up and sift-down move a hole instead of
 * swapping (Sedgewick & Wayne, Algorithms 4th ed., §2.4; CLRS 3rd ed., ch. 6).
 *
 * The engine's loop uses `take` / `release` instead of `pop`: `take` reads the earliest event but leaves it at the root,
 * and the first `push` made while it is held overwrites the root and sifts down once (the "replace top" operation of
 * heapq.heapreplace), instead of a sift-down to remove it and a sift-up to insert the new one; `release` removes it if
 * nothing replaced it. Keys (time, priority, seq) are all distinct, so the events come out in exactly the same order.
 *
 * One event may also wait outside the tree, in the *side slot* (`pushSideNext`): the model keeps its first arrival
 * source's next arrival there, because a source has exactly one arrival pending at any time. `take` compares the side
 * event with the root by the same (time, priority, seq) key and hands out the earlier one, so the order of events is
 * exactly what it would be with the side event in the tree; but an arrival then costs two field writes instead of a
 * sift through the tree (in an M/M/c run, half the events are arrivals), and the tree is one entry smaller. (A
 * two-level pending-event set, as simulators that keep the next external arrival apart from the calendar do.)
 */

/** Priorities: lower fires first among events at the same time. */
export const URGENT = 0;
export const NORMAL = 1;

const SEQ_SPAN = 17592186044416; // 2^44 sequence numbers per priority; priority × 2^44 + seq stays below 2^53

export class EventHeap {
  /** Number of events in the tree (the side slot's event is not counted). */
  private n = 0;
  private seq = 0;
  /** True when the side slot holds an event. */
  sideFull = false;
  private sideTime = 0;
  private sideOrder = 0;
  private sideKind = 0;
  private sideTarget = 0;
  private sideAux = 0;
  private time: Float64Array;
  private slot: Int32Array;
  private order: Float64Array;
  private kinds: Int32Array;
  private targets: Int32Array;
  private auxs: Int32Array;
  private free: Int32Array;
  private freeTop: number;

  /** Time of the event the next `pushNext` call adds. */
  nextTime = 0;
  /** True between `take()` and the `push` that replaces the taken event or the `release()` that removes it. */
  private held = false;

  /** Fields of the event last removed by `pop()` or read by `take()` (read them right after the call). */
  popTime = 0;
  popKind = 0;
  popTarget = 0;
  popAux = 0;

  constructor(initialCapacity = 1024) {
    const n = Math.max(16, initialCapacity | 0);
    this.time = new Float64Array(n);
    this.slot = new Int32Array(n);
    this.order = new Float64Array(n);
    this.kinds = new Int32Array(n);
    this.targets = new Int32Array(n);
    this.auxs = new Int32Array(n);
    this.free = new Int32Array(n);
    for (let i = 0; i < n; i++) this.free[i] = n - 1 - i;
    this.freeTop = n;
  }

  /** Number of pending events, the side slot's included. */
  get size(): number {
    return this.sideFull ? this.n + 1 : this.n;
  }

  /** Current capacity of the arrays (for memory checks). */
  get capacity(): number {
    return this.time.length;
  }

  /**
   * Earliest pending time, or Infinity when empty. (`1 / 0`, not the global `Infinity`: V8 loads the global as a tagged
   * value, and a function that returns either it or a double boxes the double: 16 bytes per event, measured.)
   */
  peekTime(): number {
    if (this.held) this.release();
    const t = this.n > 0 ? (this.time[0] as number) : 1 / 0;
    return this.sideFull && this.sideTime < t ? this.sideTime : t;
  }

  /** True when no event is pending (in the tree or the side slot). */
  isEmpty(): boolean {
    if (this.held) this.release();
    return this.n === 0 && !this.sideFull;
  }

  /** Add an event at absolute time `t`. */
  push(t: number, priority: number, kind: number, target: number, aux: number): void {
    this.nextTime = t;
    this.pushNext(priority, kind, target, aux);
  }

  /**
   * Add an event at time `nextTime` (set just before the call). The event loop schedules this way because a double
   * passed as an argument to a call V8 does not inline is boxed, a heap allocation per event, and V8 inlines a call
   * only while the caller's inlining budget lasts; a field write is not boxed (as with popTime). No double crosses a
   * call here either: the time goes into the typed array, and the sifts read it from there.
   */
  pushNext(priority: number, kind: number, target: number, aux: number): void {
    // Two small methods rather than one large one, so that V8 can inline the one a call site needs.
    if (this.held) this.replaceHeld(priority, kind, target, aux);
    else this.insertNext(priority, kind, target, aux);
  }

  /** Replace the event held by `take()` with one at `nextTime`: same slot, new fields, sink from the root. */
  private replaceHeld(priority: number, kind: number, target: number, aux: number): void {
    this.held = false;
    this.time[0] = this.nextTime;
    this.setFields(this.slot[0] as number, priority, kind, target, aux);
    this.siftDown(this.n);
  }

  /** Insert an event at `nextTime` at the bottom of the tree and raise it to its place. */
  private insertNext(priority: number, kind: number, target: number, aux: number): void {
    if (this.n === this.time.length) this.grow();
    const i = this.n++;
    const s = this.free[--this.freeTop] as number;
    this.time[i] = this.nextTime;
    this.slot[i] = s;
    this.setFields(s, priority, kind, target, aux);
    this.siftUp(i);
  }

  /**
   * Put an event at time `nextTime` in the side slot (see the header), with its place in the order taken as `pushNext`
   * would take it. The slot must be empty: the caller keeps at most one event there.
   */
  pushSideNext(priority: number, kind: number, target: number, aux: number): void {
    this.sideTime = this.nextTime;
    this.sideOrder = priority * SEQ_SPAN + this.seq++;
    this.sideKind = kind;
    this.sideTarget = target;
    this.sideAux = aux;
    this.sideFull = true;
  }

  private setFields(s: number, priority: number, kind: number, target: number, aux: number): void {
    this.order[s] = priority * SEQ_SPAN + this.seq++;
    this.kinds[s] = kind;
    this.targets[s] = target;
    this.auxs[s] = aux;
  }

  /** Raise the entry at position i to its place: move parents down into the hole until it fits. */
  private siftUp(i: number): void {
    const time = this.time;
    const slot = this.slot;
    const order = this.order;
    const t = time[i] as number;
    const s = slot[i] as number;
    const o = order[s] as number;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = time[p] as number;
      if (pt < t || (pt === t && (order[slot[p] as number] as number) < o)) break;
      time[i] = pt;
      slot[i] = slot[p] as number;
      i = p;
    }
    time[i] = t;
    slot[i] = s;
  }

  /**
   * Remove the earliest event; its fields go to popTime / popKind / popTarget / popAux. Returns false when empty.
   */
  pop(): boolean {
    if (!this.take()) return false;
    this.release();
    return true;
  }

  /**
   * Read the earliest event into popTime / popKind / popTarget / popAux and hold it at the root: the next `push`
   * replaces it, else `release()` removes it. Returns false when empty.
   */
  take(): boolean {
    if (this.held) this.release();
    if (this.sideFull) {
      // The side event goes first when it is earlier than the root by (time, priority, seq); it is never held.
      const st = this.sideTime;
      const rt = this.n > 0 ? (this.time[0] as number) : 1 / 0;
      if (st < rt || (st === rt && (this.n === 0 || this.sideOrder < (this.order[this.slot[0] as number] as number)))) {
        this.sideFull = false;
        this.popTime = st;
        this.popKind = this.sideKind;
        this.popTarget = this.sideTarget;
        this.popAux = this.sideAux;
        return true;
      }
    }
    if (this.n === 0) return false;
    const top = this.slot[0] as number;
    this.popTime = this.time[0] as number;
    this.popKind = this.kinds[top] as number;
    this.popTarget = this.targets[top] as number;
    this.popAux = this.auxs[top] as number;
    this.held = true;
    return true;
  }

  /** Remove the event held by `take()`, unless a `push` has already replaced it. */
  release(): void {
    if (!this.held) return;
    this.held = false;
    const last = this.n - 1;
    this.free[this.freeTop++] = this.slot[0] as number;
    this.n = last;
    if (last > 0) {
      this.time[0] = this.time[last] as number;
      this.slot[0] = this.slot[last] as number;
      this.siftDown(last);
    }
  }

  /**
   * Sink the root entry to its place in the heap of the first `last` positions (moving a hole).
   */
  private siftDown(last: number): void {
    const time = this.time;
    const slot = this.slot;
    const order = this.order;
    const t = time[0] as number;
    const s = slot[0] as number;
    // Sift down: move the smaller child up into the hole until the entry fits.
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      let ct = time[c] as number;
      const r = c + 1;
      if (r < last) {
        const rt = time[r] as number;
        if (rt < ct || (rt === ct && (order[slot[r] as number] as number) < (order[slot[c] as number] as number))) {
          c = r;
          ct = rt;
        }
      }
      if (t < ct || (t === ct && (order[s] as number) < (order[slot[c] as number] as number))) break;
      time[i] = ct;
      slot[i] = slot[c] as number;
      i = c;
    }
    time[i] = t;
    slot[i] = s;
  }

  /** Drop every pending event. */
  clear(): void {
    this.held = false;
    this.sideFull = false;
    for (let i = 0; i < this.n; i++) this.free[this.freeTop++] = this.slot[i] as number;
    this.n = 0;
  }

  private grow(): void {
    const old = this.time.length;
    const n = old * 2;
    this.time = copyF64(this.time, n);
    this.slot = copyI32(this.slot, n);
    this.order = copyF64(this.order, n);
    this.kinds = copyI32(this.kinds, n);
    this.targets = copyI32(this.targets, n);
    this.auxs = copyI32(this.auxs, n);
    // The free stack is empty when the heap is full: the new slots old..n-1 become free.
    this.free = new Int32Array(n);
    for (let i = 0; i < n - old; i++) this.free[i] = n - 1 - i;
    this.freeTop = n - old;
  }
}

function copyF64(a: Float64Array, n: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}
function copyI32(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
