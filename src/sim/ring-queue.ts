/**
 * A FIFO of integer ids in a ring buffer (Int32Array, power-of-two size, index masked), as Node core's FixedQueue that
 * piscina borrows: push and shift allocate nothing; the buffer doubles when full and never shrinks, so in steady state
 * a queue stops growing after its longest backlog.
 */
export class RingQueue {
  private buf: Int32Array;
  private mask: number;
  private head = 0;
  /** Number of ids waiting. */
  length = 0;

  constructor(initialCapacity = 16) {
    let n = 16;
    while (n < initialCapacity) n *= 2;
    this.buf = new Int32Array(n);
    this.mask = n - 1;
  }

  push(id: number): void {
    if (this.length === this.buf.length) this.grow();
    this.buf[(this.head + this.length) & this.mask] = id;
    this.length++;
  }

  /** Remove and return the oldest id; -1 when empty. */
  shift(): number {
    if (this.length === 0) return -1;
    const id = this.buf[this.head] as number;
    this.head = (this.head + 1) & this.mask;
    this.length--;
    return id;
  }

  /** The id at position i from the head (0 = oldest), for scans on rare events (failures). */
  at(i: number): number {
    return this.buf[(this.head + i) & this.mask] as number;
  }

  clear(): void {
    this.head = 0;
    this.length = 0;
  }

  private grow(): void {
    const n = this.buf.length * 2;
    const next = new Int32Array(n);
    for (let i = 0; i < this.length; i++) next[i] = this.buf[(this.head + i) & this.mask] as number;
    this.buf = next;
    this.mask = n - 1;
    this.head = 0;
  }
}
