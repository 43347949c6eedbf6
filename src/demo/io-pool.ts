/**
 * A bounded pool of `size` slow-I/O slots (a connection pool to a slow backend, say): a request takes a slot, waits
 * `ms` milliseconds on a timer, and gives the slot back; requests beyond `size` wait in one FIFO queue. An M/D/c station
 * with c = size, all in the main thread's event loop (no CPU is used while waiting). Node timers fire at or after their
 * delay with about 1 ms of granularity (libuv's loop time is in milliseconds), so a slot is held `ms` to `ms + 1` ms.
 */
export class IoPool {
  private busy = 0;
  private readonly queue: Array<() => void> = [];
  private head = 0;

  constructor(readonly size: number) {}

  async run(ms: number): Promise<void> {
    if (this.busy >= this.size) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.busy++;
    try {
      await new Promise<void>((resolve) => setTimeout(resolve, ms));
    } finally {
      if (this.head < this.queue.length) {
        const next = this.queue[this.head]!;
        this.head++;
        if (this.head > 1024 && this.head * 2 > this.queue.length) {
          this.queue.splice(0, this.head);
          this.head = 0;
        }
        next(); // the slot passes straight to the next waiter
      } else {
        this.busy--;
      }
    }
  }
}
