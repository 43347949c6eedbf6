import { describe, expect, it } from 'vitest';
import { centredLine, lineFromSums } from '../../src/stats/least-squares.js';

describe('least-squares lines', () => {
  it('centredLine skips NaN and gives the textbook sums (its doc example)', () => {
    const l = centredLine(new Float64Array([1, 3, NaN, 7]));
    expect(l.n).toBe(3);
    expect(l.tMean).toBeCloseTo(4 / 3, 12);
    expect(l.yMean).toBeCloseTo(11 / 3, 12);
    expect(l.stt).toBeCloseTo(14 / 3, 12);
    expect(l.sty).toBeCloseTo(28 / 3, 12);
  });

  it('lineFromSums solves the normal equations (its doc example) and refuses a degenerate set', () => {
    expect(lineFromSums(3, 3, 9, 5, 13)).toEqual({ slope: 2, intercept: 1 });
    expect(lineFromSums(1, 2, 5, 4, 10)).toBeUndefined();
  });

  it('both forms agree with each other on a noisy line', () => {
    const y = new Float64Array(50).map((_, t) => 3 + 0.5 * t + Math.sin(t * 7.3));
    const c = centredLine(y);
    let sx = 0, sy = 0, sxx = 0, sxy = 0;
    y.forEach((v, t) => { sx += t; sy += v; sxx += t * t; sxy += t * v; });
    const r = lineFromSums(50, sx, sy, sxx, sxy)!;
    expect(r.slope).toBeCloseTo(c.sty / c.stt, 10);
    expect(r.intercept).toBeCloseTo(c.yMean - (c.sty / c.stt) * c.tMean, 10);
  });
});
