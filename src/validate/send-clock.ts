import { performance } from 'node:perf_hooks';

/**
 * How early a scheduled send may go, milliseconds. Node's timers fire on a 1 ms clock, so a sender cannot sleep until
 * a send time exactly: it either spins through the last millisecond (precise, but on a 2-core machine the spin took
 * 1.0–2.9 ms of the sender's CPU per request at 50–400/s, 80% of its cost, which it took from the target it measures)
 * or it sends a request that is due within this much of now at once. The second is what the senders do: a send is
 * at most this early, and its latency is measured from the moment it really left (`latencyOrigin`), so an early send
 * never shortens a latency, and a late one is still charged its lateness.
 */
export const EARLY_SEND_MS = 1;

/**
 * The moment a request's latency is measured from: its intended send time, or the moment it really left when that
 * was earlier than intended. A sender that falls behind charges its lateness to the latency (coordinated omission;
 * Gil Tene, "How NOT to Measure Latency", 2015); a send up to EARLY_SEND_MS early is measured from when it left.
 */
export function latencyOrigin(intendedMs: number, sentMs: number): number {
  return intendedMs > sentMs ? sentMs : intendedMs;
}

export interface SendClock {
  /** Stop calling `send` (the schedule's remaining sends are skipped); `onEnd` runs once. */
  stop(): void;
}

/**
 * Call `send(intended, now)` for each time of `times` (performance.now() milliseconds, ascending) when it is due: the
 * clock sleeps with setTimeout until about EARLY_SEND_MS before the next send, then sends every request due by then
 * (a wake-up that comes late sends all that are overdue at once; their lateness is theirs to report). `onTick(now)`
 * runs on every wake-up (for cut-off checks and per-second samples); returning true from it stops the clock. `onEnd`
 * runs once, after the last send or on `stop()`.
 */
export function startSendClock(
  times: Float64Array,
  send: (intendedMs: number, nowMs: number) => void,
  hooks: { readonly onTick?: (nowMs: number) => boolean | void; readonly onEnd: () => void },
): SendClock {
  let idx = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const end = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    hooks.onEnd();
  };
  const tick = (): void => {
    timer = undefined;
    if (stopped) return;
    const now = performance.now();
    while (idx < times.length && times[idx]! <= now + EARLY_SEND_MS) {
      send(times[idx]!, now);
      idx++;
      if (stopped) return;
    }
    if (hooks.onTick?.(now) === true) stopped = true;
    if (stopped || idx >= times.length) {
      stopped = true;
      return end();
    }
    // Wake EARLY_SEND_MS before the next send: a timer of less than 1 ms waits 1 ms, so the wake-up lands within
    // about a millisecond either side of that moment.
    timer = setTimeout(tick, Math.max(0, times[idx]! - performance.now() - EARLY_SEND_MS));
  };
  timer = setTimeout(tick, 1);
  return {
    stop: () => {
      if (stopped) return;
      stopped = true;
      end();
    },
  };
}
