import { describe, expect, it } from 'vitest';
import { autoEts, createRng, fitEts } from '../../src/internal.js';
import { akaikeWeights, EtsTrendAverage } from '../../src/forecast/ets-auto.js';
import type { EtsFit } from '../../src/forecast/ets.js';
import { gen } from './helpers.js';

/** 32 points whose changes carry momentum (AR(1) in the differences, φ = 0.85), as quarterly employment does. */
function momentum(seed: number): Float64Array {
  let d = 0;
  let level = 1000;
  return gen(32, seed, (_, z) => {
    d = 0.85 * d + 3 * z();
    level += d;
    return level;
  });
}

describe('automatic ETS weighs the undamped and the damped trend by their Akaike weights', () => {
  it('weights are exp(−ΔAICc / 2), normalised; an infinite AICc gets none; all infinite: equal', () => {
    const fake = (aicc: number): EtsFit => ({ aicc }) as EtsFit;
    const w = akaikeWeights([fake(100), fake(102), fake(Infinity)]);
    expect(w[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
    expect(w[1]).toBeCloseTo(Math.exp(-1) / (1 + Math.exp(-1)), 12);
    expect(w[2]).toBe(0);
    expect(akaikeWeights([fake(Infinity), fake(Infinity)])).toEqual([0.5, 0.5]);
  });

  it('a trend AICc cannot choose between forms: the forecast is the weighted mean of the A and Ad forecasts', () => {
    let averaged = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const y = momentum(seed);
      const fit = autoEts(y, undefined);
      if (!(fit instanceof EtsTrendAverage)) continue;
      averaged++;
      // recomputed independently from the two specifications fitted on their own
      const a = fitEts(y, { trend: 'A', season: 'N' });
      const ad = fitEts(y, { trend: 'Ad', season: 'N' });
      expect(fit.members.map((f) => f.spec.trend)).toEqual(['A', 'Ad']);
      const wa = 1 / (1 + Math.exp(-(ad.aicc - a.aicc) / 2));
      expect(fit.weights[0]).toBeCloseTo(wa, 12);
      const rng = createRng(1);
      const mean = fit.predict(8, rng).mean;
      const ma = a.predict(8, rng).mean;
      const md = ad.predict(8, rng).mean;
      for (let i = 0; i < 8; i++) expect(mean[i]).toBeCloseTo(wa * ma[i]! + (1 - wa) * md[i]!, 6);
      expect(fit.label).toMatch(/^ets weighted by AICc \[0\.\d\d ets\(A,A,N\) .*; 0\.\d\d ets\(A,Ad,N\) .*\]$/);
      // the refit keeps the two specifications and re-weighs them on the shorter history
      const r = fit.refit(y.subarray(0, 24));
      expect(r.members.map((f) => f.spec.trend)).toEqual(['A', 'Ad']);
      expect(r.weights[0]! + r.weights[1]!).toBeCloseTo(1, 12);
    }
    expect(averaged).toBeGreaterThanOrEqual(3);
  });

  it('a level without a trend stays the one ETS(A,N,N) model AICc chose', () => {
    const y = gen(120, 9, (_, z) => 50 + z());
    const fit = autoEts(y, undefined);
    expect(fit instanceof EtsTrendAverage).toBe(false);
    expect(fit.spec.trend).toBe('N');
  });
});
