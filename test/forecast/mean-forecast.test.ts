import { describe, expect, it } from 'vitest';
import { autoEts, createRng, fitEts, MODELS, type FittedModel } from '../../src/internal.js';
import { EnsembleFit } from '../../src/forecast/ensemble.js';
import { EtsTrendAverage } from '../../src/forecast/ets-auto.js';
import { LogFit, logOf } from '../../src/forecast/log-transform.js';
import { meanForecast } from '../../src/forecast/model.js';
import { fitDeseasonalised } from '../../src/forecast/mstl.js';
import { gen } from './helpers.js';

/**
 * `meanForecast` stands in for `predict(h).mean` wherever only the point forecast is scored (auto's rolling origins),
 * so it must be the same numbers to the last bit for every kind of model, wrappers included, or auto would choose
 * differently when bands are skipped.
 */
const H = 60;
// positive hourly traffic: a daily cycle whose swing scales with a rising level, lognormal noise
const y = gen(24 * 30, 7, (i, z) => (100 + 0.2 * i) * (1 + 0.4 * Math.sin((2 * Math.PI * i) / 24)) * Math.exp(0.05 * z()));

function expectSameMean(fit: FittedModel): void {
  const bands = fit.predict(H, createRng(3));
  const mean = meanForecast(fit, H, createRng(3));
  expect(mean.length).toBe(H);
  expect(Array.from(mean)).toEqual(Array.from(bands.mean));
}

describe('meanForecast: the point forecast without the bands, identical to predict().mean', () => {
  it('multiplicative-seasonal ETS, whose bands are simulated paths (the case it saves)', () => {
    const fit = fitEts(y, { trend: 'Ad', season: 'M', m: 24 });
    expect(fit.predictMean).toBeDefined();
    expectSameMean(fit);
  });

  it('Akaike-weighted trend forms, on y and on log y', () => {
    const forms = [fitEts(y, { trend: 'A', season: 'M', m: 24 }), fitEts(y, { trend: 'Ad', season: 'M', m: 24 })];
    expectSameMean(new EtsTrendAverage(forms, [0.3, 0.7]));
    const l = logOf(y)!;
    expectSameMean(new LogFit(autoEts(l.logY, 24), l.sumLogY));
  });

  it('MSTL wrappers, with and without the daily amplitude check, and the median ensemble', () => {
    expectSameMean(fitDeseasonalised(y, [24], (adj) => fitEts(adj, { trend: 'A', season: 'N' }), 'mstl'));
    expectSameMean(fitDeseasonalised(y, [24, 168].filter((p) => 2 * p <= y.length), (adj) => fitEts(adj, { trend: 'N', season: 'N' }), 'mstl', 'local', true));
    expectSameMean(new EnsembleFit([fitEts(y, { trend: 'N', season: 'M', m: 24 }), MODELS.theta.fit(y, { periods: [24] }), MODELS.snaive.fit(y, { periods: [24] })]));
  });

  it('every registered model, through predict where it has no shortcut', () => {
    for (const name of Object.keys(MODELS) as Array<keyof typeof MODELS>) {
      expectSameMean(MODELS[name].fit(y, { periods: [24], stepMs: 3_600_000, horizon: H }));
    }
  });
});
