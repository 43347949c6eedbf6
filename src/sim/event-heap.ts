/**
 * The simulator's pending-event set: a binary min-heap over parallel typed arrays, ordered by (time, priority, seq)
 * as SimPy's `Environment.schedule` orders its heap of tuples (cristiklein/simpy src/simpy/core.py), so events at equal
 * times fire in a fixed order (lower priority number first, then first scheduled first).
 *
 * Each entry is four numbers in four arrays (struct of arrays): `time` (Float64Array, seconds), `order`
 * (Float64Array: priority × 2^44 + seq, one exact double so the tie-break is a single comparison and seq can run past
 * 2^31 in long runs), `kind` and `target` (Int32Array: an integer event kind and the id it applies to) and `aux`
 * (Int32Array: a generation tag, so an event whose target was recycled can be recognised as stale).
 * Nothing is allocated per push or pop; the arrays double when full (amortised O(1), and only while the heap grows).
 * Sift-up and sift-down move a hole instead of swapping (Sedgewick & Wayne, Algorithms 4th ed., §2.4; CLRS ch. 6).
 */

/** Priorities: lower fires first among events at the same time. */
export const URGENT = 0;
export const NORMAL = 1;

const SEQ_SPAN = 17592186044416; // 2^44 sequence numbers per priority; priority × 2^44 + seq stays below 2^53

export class EventHeap {
  /** Number of pending events. */
  size = 0;
  private seq = 0;
  private time: Float64Array;
  private order: Float64Array;
  private kinds: Int32Array;
  private targets: Int32Array;
  private auxs: Int32Array;

  /** Fields of the event last removed by `pop()` (read them right after the call). */
  popTime = 0;
  popKind = 0;
  popTarget = 0;
  popAux = 0;

  constructor(initialCapacity = 1024) {
    const n = Math.max(16, initialCapacity | 0);
    this.time = new Float64Array(n);
    this.order = new Float64Array(n);
    this.kinds = new Int32Array(n);
    this.targets = new Int32Array(n);
    this.auxs = new Int32Array(n);
  }

  /** Current capacity of the arrays (for memory checks). */
  get capacity(): number {
    return this.time.length;
  }

  /** Earliest pending time, or Infinity when empty. */
  peekTime(): number {
    return this.size > 0 ? (this.time[0] as number) : Infinity;
  }

  /** Add an event at absolute time `t`. */
  push(t: number, priority: number, kind: number, target: number, aux: number): void {
    if (this.size === this.time.length) this.grow();
    const time = this.time;
    const order = this.order;
    const kinds = this.kinds;
    const targets = this.targets;
    const auxs = this.auxs;
    const o = priority * SEQ_SPAN + this.seq++;
    let i = this.size++;
    // Sift up: move parents down into the hole until the new entry's place is found.
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = time[p] as number;
      if (pt < t || (pt === t && (order[p] as number) < o)) break;
      time[i] = pt;
      order[i] = order[p] as number;
      kinds[i] = kinds[p] as number;
      targets[i] = targets[p] as number;
      auxs[i] = auxs[p] as number;
      i = p;
    }
    time[i] = t;
    order[i] = o;
    kinds[i] = kind;
    targets[i] = target;
    auxs[i] = aux;
  }

  /**
   * Remove the earliest event; its fields go to popTime / popKind / popTarget / popAux. Returns false when empty.
   */
  pop(): boolean {
    const n = this.size;
    if (n === 0) return false;
    const time = this.time;
    const order = this.order;
    const kinds = this.kinds;
    const targets = this.targets;
    const auxs = this.auxs;
    this.popTime = time[0] as number;
    this.popKind = kinds[0] as number;
    this.popTarget = targets[0] as number;
    this.popAux = auxs[0] as number;
    const last = n - 1;
    this.size = last;
    if (last === 0) return true;
    const t = time[last] as number;
    const o = order[last] as number;
    const k = kinds[last] as number;
    const g = targets[last] as number;
    const a = auxs[last] as number;
    // Sift down: move the smaller child up into the hole until the last entry fits.
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      const r = c + 1;
      if (r < last) {
        const ct = time[c] as number;
        const rt = time[r] as number;
        if (rt < ct || (rt === ct && (order[r] as number) < (order[c] as number))) c = r;
      }
      const ct = time[c] as number;
      if (t < ct || (t === ct && o < (order[c] as number))) break;
      time[i] = ct;
      order[i] = order[c] as number;
      kinds[i] = kinds[c] as number;
      targets[i] = targets[c] as number;
      auxs[i] = auxs[c] as number;
      i = c;
    }
    time[i] = t;
    order[i] = o;
    kinds[i] = k;
    targets[i] = g;
    auxs[i] = a;
    return true;
  }

  /** Drop every pending event. */
  clear(): void {
    this.size = 0;
  }

  private grow(): void {
    const n = this.time.length * 2;
    const time = new Float64Array(n);
    time.set(this.time);
    const order = new Float64Array(n);
    order.set(this.order);
    const kinds = new Int32Array(n);
    kinds.set(this.kinds);
    const targets = new Int32Array(n);
    targets.set(this.targets);
    const auxs = new Int32Array(n);
    auxs.set(this.auxs);
    this.time = time;
    this.order = order;
    this.kinds = kinds;
    this.targets = targets;
    this.auxs = auxs;
  }
}
