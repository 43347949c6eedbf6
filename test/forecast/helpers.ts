import { createRng, type Series } from '../../src/internal.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const START = Date.UTC(2024, 0, 1);

/** A Series from plain values at a step, starting 2024-01-01T00:00Z. */
export function series(values: ArrayLike<number>, stepMs = HOUR, name = 'test'): Series {
  const n = values.length;
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = START + i * stepMs;
  return { name, t, v: Float64Array.from(values), stepMs, source: `${name}.csv` };
}

/** n values from f(i, normal deviate) with a seeded stream. */
export function gen(n: number, seed: number, f: (i: number, z: () => number) => number): Float64Array {
  const r = createRng(seed);
  const z = (): number => r.nextNormal();
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f(i, z);
  return out;
}
