import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { EARLY_SEND_MS, latencyOrigin, startSendClock } from '../../src/validate/send-clock.js';

describe('the send clock', () => {
  it('sends every scheduled time once, in order, never more than EARLY_SEND_MS early, and ends once', async () => {
    const t0 = performance.now() + 20;
    const times = Float64Array.from({ length: 120 }, (_, i) => t0 + i * 2.5 + (i % 3) * 0.4); // 400/s, uneven gaps
    const sent: Array<[number, number]> = [];
    let ends = 0;
    await new Promise<void>((resolve) => {
      startSendClock(times, (intended, now) => sent.push([intended, now]), { onEnd: () => (ends++, resolve()) });
    });
    expect(sent.map(([i]) => i)).toEqual([...times]);
    for (const [intended, now] of sent) expect(now).toBeGreaterThanOrEqual(intended - EARLY_SEND_MS);
    expect(ends).toBe(1);
  });

  it('stops on stop() or when onTick says so, and sends nothing after', async () => {
    const t0 = performance.now() + 10;
    const times = Float64Array.from({ length: 200 }, (_, i) => t0 + i * 5); // one second at 200/s
    let count = 0;
    let ends = 0;
    await new Promise<void>((resolve) => {
      startSendClock(times, () => count++, { onTick: () => count >= 10, onEnd: () => (ends++, resolve()) });
    });
    const atStop = count;
    expect(atStop).toBeGreaterThanOrEqual(10);
    expect(atStop).toBeLessThan(200);
    const clock = startSendClock(Float64Array.from([performance.now() + 50]), () => count++, { onEnd: () => ends++ });
    clock.stop();
    clock.stop();
    await new Promise((r) => setTimeout(r, 100));
    expect(count).toBe(atStop);
    expect(ends).toBe(2);
  });

  it('measures an early send from when it left and a late one from when it was due', () => {
    expect(latencyOrigin(100, 99.4)).toBe(99.4);
    expect(latencyOrigin(100, 103)).toBe(100);
  });
});
