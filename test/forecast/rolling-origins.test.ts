import { describe, expect, it } from 'vitest';
import { autoEts, decompose, MODELS } from '../../src/internal.js';
import { EtsFit } from '../../src/forecast/ets.js';
import { EtsTrendAverage } from '../../src/forecast/ets-auto.js';
import { LogFit } from '../../src/forecast/log-transform.js';
import { DeseasonalisedFit } from '../../src/forecast/mstl.js';
import { adjustedEtsOf } from '../../src/forecast/registry.js';
import { gen } from './helpers.js';

const DAY = 86_400_000;
const specOf = (f: unknown): string => (f instanceof EtsFit || f instanceof EtsTrendAverage ? `${f.spec.trend},${f.spec.season}` : 'not ets');
/** The adjusted-series model inside an MSTL fit (on y or log y). */
const adjustedModelOf = (f: unknown): unknown => {
  const d = f instanceof LogFit ? f.inner : f;
  return d instanceof DeseasonalisedFit ? d.inner : undefined;
};

/**
 * At auto's rolling origins an MSTL default refits the ETS specification AICc chose for the whole history's seasonally
 * adjusted series (select.ts), instead of searching again, and still chooses between it and the trend + AR(1) model.
 */
describe('the adjusted-series ETS choice carried to the rolling origins', () => {
  // 30 weeks of daily demand with a weekly cycle and a trend (daily steps: ETS is the adjusted-series model, the trend
  // + AR(1) model is offered below a day only)
  const trended = gen(7 * 30, 71, (i, z) => 300 + 1.5 * i + 80 * Math.sin((2 * Math.PI * i) / 7) + 6 * z());
  const ctx = { periods: [7], stepMs: DAY, horizon: 14 };

  it('is what AICc chose for the adjusted series of the whole history', () => {
    const fit = MODELS.mstl.fit(trended, ctx);
    const chosen = adjustedEtsOf(fit);
    expect(chosen).toBeDefined();
    expect(specOf(chosen)).toBe(specOf(adjustedModelOf(fit)));
    expect(specOf(chosen)).not.toBe('N,N');
  });

  it('at an origin the ETS side keeps that specification (no search), its parameters re-estimated on the window', () => {
    const whole = MODELS.mstl.fit(trended, ctx);
    const hint = adjustedEtsOf(whole)!;
    const train = trended.subarray(0, trended.length - 28);
    // a search on the window picks a trend too; given a level-only model, the window keeps it
    expect(specOf(adjustedModelOf(MODELS.mstl.fit(train, ctx)))).not.toBe('N,N');
    const levelOnly = autoEts(decompose(trended, [7]).adjusted, undefined, { trends: ['N'] }) as EtsFit;
    expect(specOf(adjustedModelOf(MODELS.mstl.fit(train, { ...ctx, adjustedEts: levelOnly })))).toBe('N,N');
    // with the whole history's own choice, the window's fit has that specification
    expect(specOf(adjustedModelOf(MODELS.mstl.fit(train, { ...ctx, adjustedEts: hint })))).toBe(specOf(hint));
  });
});
