/**
 * External arrival processes. Each source is a small state machine whose `next(now)` returns the time of its next
 * arrival (Infinity when it has no more), so the model keeps exactly one pending ARRIVAL event per source.
 * One class with an integer kind (monomorphic in the loop); state changes of MMPP and spike windows are handled
 * inside `next` by the memorylessness of the exponential (a draw that crosses a boundary restarts from the boundary),
 * so they need no events of their own.
 *
 * - Poisson: exponential gaps, rate λ (inversion: −ln U / λ).
 * - Rate profile: non-homogeneous Poisson by thinning (Lewis & Shedler, "Simulation of nonhomogeneous Poisson processes
 *   by thinning", Naval Res. Logistics Q. 26(3), 1979): candidates at rate λ* = max λ(t), each kept with
 *   probability λ(t)/λ*.
 * - MMPP: Markov-modulated Poisson (Fischer & Meier-Hellstern, "The MMPP cookbook", Perf. Eval. 18, 1993), states
 *   visited cyclically with exponential sojourns.
 * - Spikes: Poisson at a rate inside given windows only.
 * - Trace: replay of recorded times (optionally scaled and looped), with the recorded class when given.
 */
import type { Rng } from '../rng.js';
import { LogUniforms } from './log-uniforms.js';
import type { ArrivalSpec } from './types.js';

/**
 * "No more arrivals", as a number literal rather than the global `Infinity`: V8 loads the global as a tagged value, so a
 * function returning either it or a double boxes every double it returns (measured: 8 bytes per event); `1 / 0` is
 * folded to a float constant.
 */
const NEVER = 1 / 0;

const POISSON = 0;
const PROFILE = 1;
const TRACE = 2;
const MMPP = 3;
const SPIKES = 4;

export class ArrivalSource {
  private readonly kind: number;
  private readonly rate: number;
  /** The rate when the source is a homogeneous Poisson process, else 0 (the event loop draws that case inline). */
  readonly poissonRate: number;
  /** ln U of this source's stream drawn in blocks, for the event loop's inline Poisson draw (its only use then). */
  readonly logs: LogUniforms;
  // profile
  private readonly pt: Float64Array;
  private readonly pr: Float64Array;
  private readonly linear: boolean;
  private readonly period: number;
  private readonly rateMax: number;
  // trace
  private readonly times: Float64Array;
  private readonly traceClass: Int32Array;
  private readonly loop: boolean;
  private index = 0;
  private offset = 0;
  // mmpp
  private readonly mRates: Float64Array;
  private readonly mMeans: Float64Array;
  private state = 0;
  private switchAt = 0;
  // spikes (windows as start/end pairs)
  private readonly wStart: Float64Array;
  private readonly wEnd: Float64Array;
  private window = 0;
  /** Class of the arrival last returned by `next` from a trace with classes; -1 = draw from the mix. */
  lastClass = -1;

  /**
   * @param classIndex maps a class name (trace `classes`) to its index; unknown names were rejected by validation.
   */
  constructor(spec: ArrivalSpec, readonly rng: Rng, classIndex: (name: string) => number) {
    this.kind = POISSON;
    this.rate = 0;
    this.poissonRate = 0;
    this.pt = new Float64Array(0);
    this.pr = new Float64Array(0);
    this.linear = false;
    this.period = 0;
    this.rateMax = 0;
    this.times = new Float64Array(0);
    this.traceClass = new Int32Array(0);
    this.loop = false;
    this.mRates = new Float64Array(0);
    this.mMeans = new Float64Array(0);
    this.wStart = new Float64Array(0);
    this.wEnd = new Float64Array(0);
    this.logs = new LogUniforms(rng);
    switch (spec.kind) {
      case 'poisson':
        this.rate = spec.rate;
        this.poissonRate = spec.rate;
        break;
      case 'profile':
        this.kind = PROFILE;
        this.pt = Float64Array.from(spec.points, (p) => p.t);
        this.pr = Float64Array.from(spec.points, (p) => p.rate);
        this.linear = spec.interpolation === 'linear';
        this.period = spec.period ?? 0;
        this.rateMax = Math.max(...spec.points.map((p) => p.rate));
        break;
      case 'trace': {
        this.kind = TRACE;
        const scale = spec.scale ?? 1;
        this.times = Float64Array.from(spec.times, (t) => t * scale);
        this.traceClass = spec.classes ? Int32Array.from(spec.classes, classIndex) : new Int32Array(0);
        this.loop = spec.loop ?? false;
        break;
      }
      case 'mmpp':
        this.kind = MMPP;
        this.mRates = Float64Array.from(spec.rates);
        this.mMeans = Float64Array.from(spec.meanDurations);
        this.switchAt = -this.mMeans[0]! * Math.log(rng.nextOpen());
        break;
      case 'spikes': {
        this.kind = SPIKES;
        this.rate = spec.rate;
        const w = [...spec.windows].sort((a, b) => a.start - b.start);
        this.wStart = Float64Array.from(w, (x) => x.start);
        this.wEnd = Float64Array.from(w, (x) => x.start + x.duration);
        break;
      }
    }
  }

  /** Time of the next arrival after `now`, seconds; Infinity when the source is exhausted. */
  next(now: number): number {
    switch (this.kind) {
      case POISSON:
        return this.rate > 0 ? now - Math.log(this.rng.nextOpen()) / this.rate : NEVER;
      case PROFILE:
        return this.nextThinned(now);
      case TRACE:
        return this.nextTrace();
      case MMPP:
        return this.nextMmpp(now);
      default:
        return this.nextSpike(now);
    }
  }

  /** Rate of the profile at time t (requests/s). */
  profileRate(t: number): number {
    const pt = this.pt;
    const pr = this.pr;
    if (this.period > 0) t = t % this.period;
    const n = pt.length;
    // The profile has few points: a linear scan from the end is fast enough (it runs once per candidate).
    let i = n - 1;
    while (i > 0 && (pt[i] as number) > t) i--;
    if (!this.linear || i === n - 1) {
      if (this.linear && this.period > 0 && i === n - 1) {
        // wrap: interpolate from the last point to the first point of the next period
        const t0 = pt[i] as number;
        const span = this.period - t0;
        return (pr[i] as number) + (((pr[0] as number) - (pr[i] as number)) * (t - t0)) / span;
      }
      return pr[i] as number;
    }
    const t0 = pt[i] as number;
    const t1 = pt[i + 1] as number;
    return (pr[i] as number) + (((pr[i + 1] as number) - (pr[i] as number)) * (t - t0)) / (t1 - t0);
  }

  private nextThinned(now: number): number {
    if (!(this.rateMax > 0)) return NEVER;
    let t = now;
    for (;;) {
      t -= Math.log(this.rng.nextOpen()) / this.rateMax;
      if (this.rng.next() * this.rateMax < this.profileRate(t)) return t;
      // A profile that stays at 0 forever (no period, last rate 0) never produces another arrival.
      if (this.period === 0 && t >= (this.pt[this.pt.length - 1] as number) && (this.pr[this.pr.length - 1] as number) === 0) return NEVER;
    }
  }

  private nextTrace(): number {
    const n = this.times.length;
    if (n === 0) return NEVER;
    if (this.index === n) {
      if (!this.loop) return NEVER;
      this.offset += this.times[n - 1] as number;
      this.index = 0;
    }
    const i = this.index++;
    this.lastClass = this.traceClass.length > 0 ? (this.traceClass[i] as number) : -1;
    return this.offset + (this.times[i] as number);
  }

  private nextMmpp(now: number): number {
    let t = now;
    for (let guard = 0; guard < 1_000_000; guard++) {
      const r = this.mRates[this.state] as number;
      const cand = r > 0 ? t - Math.log(this.rng.nextOpen()) / r : NEVER;
      if (cand <= this.switchAt) return cand;
      t = this.switchAt;
      this.state = (this.state + 1) % this.mRates.length;
      this.switchAt = t - (this.mMeans[this.state] as number) * Math.log(this.rng.nextOpen());
    }
    return NEVER; // every state has rate 0
  }

  private nextSpike(now: number): number {
    let t = now;
    while (this.window < this.wStart.length) {
      const s = this.wStart[this.window] as number;
      const e = this.wEnd[this.window] as number;
      if (t < s) t = s;
      if (t < e && this.rate > 0) {
        const cand = t - Math.log(this.rng.nextOpen()) / this.rate;
        if (cand < e) return cand;
      }
      t = Math.max(t, e);
      this.window++;
    }
    return NEVER;
  }
}
