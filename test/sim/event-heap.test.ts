import { describe, expect, it } from 'vitest';
import { Engine, type EventHandler } from '../../src/sim/engine.js';
import { EventHeap, NORMAL, URGENT } from '../../src/sim/event-heap.js';
import { createRng } from '../../src/rng.js';

describe('EventHeap', () => {
  it('pops in (time, priority, insertion) order, growing past its initial capacity', () => {
    const heap = new EventHeap(16);
    const rng = createRng(7);
    const entries: { t: number; p: number; id: number }[] = [];
    for (let id = 0; id < 5000; id++) {
      // Few distinct times, so ties on time and on priority are common.
      const t = Math.floor(rng.next() * 50);
      const p = rng.next() < 0.3 ? URGENT : NORMAL;
      entries.push({ t, p, id });
      heap.push(t, p, 1, id, id * 3);
    }
    const expected = [...entries].sort((a, b) => a.t - b.t || a.p - b.p || a.id - b.id);
    const got: number[] = [];
    while (heap.pop()) {
      expect(heap.popAux).toBe(heap.popTarget * 3);
      got.push(heap.popTarget);
    }
    expect(got).toEqual(expected.map((e) => e.id));
    expect(heap.capacity).toBeGreaterThanOrEqual(5000);
  });

  it('interleaved pushes and pops keep the order (slots are recycled)', () => {
    const heap = new EventHeap(16);
    const rng = createRng(8);
    let now = 0;
    let last = -1;
    for (let i = 0; i < 20000; i++) {
      heap.push(now + rng.next(), NORMAL, 0, i, 0);
      if (i % 3 !== 0 && heap.pop()) {
        expect(heap.popTime).toBeGreaterThanOrEqual(last);
        last = heap.popTime;
        now = heap.popTime;
      }
    }
    while (heap.pop()) {
      expect(heap.popTime).toBeGreaterThanOrEqual(last);
      last = heap.popTime;
    }
    expect(heap.size).toBe(0);
    expect(heap.pop()).toBe(false);
  });
});

describe('EventHeap side slot', () => {
  it('hands out the side event in the same (time, priority, insertion) order as if it were in the tree', () => {
    // One stream of events goes through the side slot (at most one pending at a time, as the model's arrivals do), the
    // rest through the tree; a second heap holds them all in the tree. Few distinct times, so ties are common.
    const a = new EventHeap(16);
    const b = new EventHeap(16);
    const rng = createRng(9);
    let now = 0;
    let id = 0;
    const pushBoth = (t: number, p: number, side: boolean): void => {
      a.nextTime = t;
      if (side) a.pushSideNext(p, 2, id, id + 1);
      else a.pushNext(p, 1, id, id + 1);
      b.push(t, p, side ? 2 : 1, id, id + 1);
      id++;
    };
    pushBoth(now + Math.floor(rng.next() * 4), NORMAL, true);
    const got: number[] = [];
    const want: number[] = [];
    for (let i = 0; i < 20000; i++) {
      const r = rng.next();
      if (r < 0.45) pushBoth(now + Math.floor(rng.next() * 4), rng.next() < 0.3 ? URGENT : NORMAL, false);
      else if (a.take()) {
        expect(b.pop()).toBe(true);
        expect([a.popTime, a.popKind, a.popTarget, a.popAux]).toEqual([b.popTime, b.popKind, b.popTarget, b.popAux]);
        got.push(a.popTarget);
        want.push(b.popTarget);
        now = a.popTime;
        // The taken side event is replaced by the stream's next one; a taken tree event is held, so the next tree
        // push replaces it (or `release` removes it).
        if (a.popKind === 2) pushBoth(now + Math.floor(rng.next() * 4), NORMAL, true);
        else if (r < 0.7) pushBoth(now + Math.floor(rng.next() * 4), NORMAL, false);
        a.release();
      }
    }
    expect(a.isEmpty()).toBe(false);
    expect(a.peekTime()).toBe(b.peekTime());
    while (a.pop()) {
      expect(b.pop()).toBe(true);
      got.push(a.popTarget);
      want.push(b.popTarget);
    }
    expect(b.pop()).toBe(false);
    expect(a.isEmpty()).toBe(true);
    expect(got).toEqual(want);
    expect(got.length).toBeGreaterThan(5000);
  });
});

describe('Engine', () => {
  it('run(until) processes events up to and including `until`, in order, with SimPy tie-breaking', () => {
    const log: string[] = [];
    const engine = new Engine(16);
    const handler: EventHandler = {
      handle(kind, target) {
        log.push(`${kind}:${target}@${engine.now}`);
        if (kind === 1 && target < 3) engine.schedule(1, 1, target + 1, 0);
      },
    };
    engine.schedule(1, 1, 0, 0);
    engine.schedule(2, 2, 9, 0); // same time as 1:1, scheduled earlier → fires first
    engine.schedule(3, 2, 8, 0, URGENT); // urgent at t = 2 → before both
    engine.schedule(4, 10, 7, 0);
    engine.run(3, handler);
    expect(log).toEqual(['1:0@1', '3:8@2', '2:9@2', '1:1@2', '1:2@3']);
    expect(engine.now).toBe(3);
    expect(engine.events).toBe(5);
    expect(engine.step(handler)).toBe(true); // 1:3 at t = 4
    expect(log.at(-1)).toBe('1:3@4');
    engine.run(Infinity, handler);
    expect(log.at(-1)).toBe('4:7@10');
    expect(engine.step(handler)).toBe(false);
  });
});
