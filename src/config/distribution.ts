import { z } from 'zod';
import type { Distribution } from '../model/distribution.js';
import { duration, positiveDuration, positiveNumber, positiveInt } from './common.js';

const exponential = z.strictObject({ distribution: z.literal('exponential'), mean: positiveDuration });
const deterministic = z.strictObject({ distribution: z.literal('deterministic'), value: duration });
const uniform = z
  .strictObject({ distribution: z.literal('uniform'), min: duration, max: positiveDuration })
  .refine((d) => d.max > d.min, { message: 'max greater than min', path: ['max'] });
const lognormal = z.strictObject({ distribution: z.literal('lognormal'), mean: positiveDuration, cv: positiveNumber });
const gamma = z.strictObject({ distribution: z.literal('gamma'), mean: positiveDuration, cv: positiveNumber });
const erlang = z.strictObject({ distribution: z.literal('erlang'), mean: positiveDuration, k: positiveInt });
const pareto = z.strictObject({
  distribution: z.literal('pareto'),
  mean: positiveDuration,
  alpha: z.number({ error: 'a shape alpha > 1 (the mean exists only then)' }).gt(1, { error: 'a shape alpha > 1 (the mean exists only then)' }),
});
const empirical = z.strictObject({
  distribution: z.literal('empirical'),
  samples: z.array(duration).min(1, { error: 'at least one sample' }),
});

export const distributionSchema = z
  .discriminatedUnion('distribution', [exponential, deterministic, uniform, lognormal, gamma, erlang, pareto, empirical], {
    error: 'a distribution: one of exponential, deterministic, uniform, lognormal, gamma, erlang, pareto, empirical',
  })
  .transform((d): Distribution => {
    switch (d.distribution) {
      case 'exponential':
        return { kind: 'exponential', mean: d.mean };
      case 'deterministic':
        return { kind: 'deterministic', value: d.value };
      case 'uniform':
        return { kind: 'uniform', min: d.min, max: d.max };
      case 'lognormal':
        return { kind: 'lognormal', mean: d.mean, cv: d.cv };
      case 'gamma':
        return { kind: 'gamma', mean: d.mean, cv: d.cv };
      case 'erlang':
        return { kind: 'erlang', mean: d.mean, k: d.k };
      case 'pareto':
        return { kind: 'pareto', mean: d.mean, alpha: d.alpha };
      case 'empirical':
        return { kind: 'empirical', samples: d.samples };
    }
  });
