/**
 * Standard normal draws for tests, from a generator of their own (mulberry32, Tommy Ettinger 2017, and the
 * Box–Muller transform), apart from src/rng.ts: a test that checks the library's randomness against series drawn with
 * the library's own stream could pass on a shared mistake.
 */
export function independentNormal(seed: number): () => number {
  let a = seed >>> 0;
  const u = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}
