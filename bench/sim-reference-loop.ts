/**
 * The reference limit for bench/sim-events.bench.ts: a minimal hand-written event loop for one M/M/c queue, with no
 * engine, no pools and no metrics beyond a busy count and a sum of waits. A binary heap over parallel typed arrays
 * (time, kind), a ring buffer of arrival times, and the same xoshiro stream as the engine. What it leaves out is what
 * the engine adds (routing, balancers, client, failures, histograms, time integrals); its rate is the ceiling.
 */
import { createRng } from '../src/rng.js';

export interface ReferenceResult {
  readonly events: number;
  readonly meanWait: number;
}

export function referenceMmc(lambda: number, mu: number, c: number, arrivals: number, seed: number): ReferenceResult {
  const rngA = createRng(seed, 0, 1, 0);
  const rngS = createRng(seed, 0, 6, 0);
  let cap = 1024;
  let time = new Float64Array(cap);
  let kind = new Int32Array(cap);
  let size = 0;
  const push = (t: number, k: number): void => {
    if (size === cap) {
      cap *= 2;
      const nt = new Float64Array(cap);
      nt.set(time);
      time = nt;
      const nk = new Int32Array(cap);
      nk.set(kind);
      kind = nk;
    }
    let i = size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (time[p]! <= t) break;
      time[i] = time[p]!;
      kind[i] = kind[p]!;
      i = p;
    }
    time[i] = t;
    kind[i] = k;
  };
  let popT = 0;
  let popK = 0;
  const pop = (): void => {
    popT = time[0]!;
    popK = kind[0]!;
    const last = --size;
    const t = time[last]!;
    const k = kind[last]!;
    let i = 0;
    for (;;) {
      let ch = 2 * i + 1;
      if (ch >= last) break;
      if (ch + 1 < last && time[ch + 1]! < time[ch]!) ch++;
      if (t <= time[ch]!) break;
      time[i] = time[ch]!;
      kind[i] = kind[ch]!;
      i = ch;
    }
    time[i] = t;
    kind[i] = k;
  };
  let qcap = 1024;
  let q = new Float64Array(qcap);
  let qh = 0;
  let qn = 0;
  let busy = 0;
  let n = 0;
  let events = 0;
  let waitSum = 0;
  let served = 0;
  push(-Math.log(rngA.nextOpen()) / lambda, 0);
  while (size > 0) {
    pop();
    events++;
    const now = popT;
    if (popK === 0) {
      n++;
      if (n < arrivals) push(now - Math.log(rngA.nextOpen()) / lambda, 0);
      if (busy < c) {
        busy++;
        served++;
        push(now - Math.log(rngS.nextOpen()) / mu, 1);
      } else {
        if (qn === qcap) {
          const nq = new Float64Array(qcap * 2);
          for (let i = 0; i < qn; i++) nq[i] = q[(qh + i) & (qcap - 1)]!;
          q = nq;
          qcap *= 2;
          qh = 0;
        }
        q[(qh + qn) & (qcap - 1)] = now;
        qn++;
      }
    } else if (qn > 0) {
      const a = q[qh]!;
      qh = (qh + 1) & (qcap - 1);
      qn--;
      waitSum += now - a;
      served++;
      push(now - Math.log(rngS.nextOpen()) / mu, 1);
    } else {
      busy--;
    }
  }
  return { events, meanWait: waitSum / served };
}
