import type { PrometheusSourceSpec } from '../model/plan-scenario.js';
import { z } from 'zod';
import { HeadroomError } from '../errors.js';
import { parseDuration } from '../units.js';
import { parseStep, parseTimeSpec, resolveRange } from './prometheus-time.js';
import type { PrometheusQuery } from './prometheus-types.js';

export { parseLabelSelection } from './prometheus-labels.js';


const TIME = 'a time such as 2026-01-05, 2026-01-05T00:00:00Z, -8w or now';
const STEP = 'a step such as 1h, 5m or 30s';
const URL_TEXT = 'an http:// or https:// URL without credentials, such as http://127.0.0.1:9090';
const ENV = 'an environment variable name such as PROM_TOKEN';

const timeSpec = z.union([z.string(), z.number()], { error: TIME }).refine((x) => parseTimeSpec(x, 0) !== undefined, { error: TIME });
const envName = z.string({ error: ENV }).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: ENV });
const count = z.number({ error: 'a positive integer' }).int({ error: 'a positive integer' }).positive({ error: 'a positive integer' });

/**
 * Strict zod schema of a Prometheus source, for embedding in scenario schemas (`prometheus: prometheusSourceSchema`).
 * Unknown keys are errors, so a token written into the file by mistake (`token: …`) is refused, not sent.
 */
export const prometheusSourceSchema = z.strictObject({
  url: z.string({ error: URL_TEXT }).superRefine((x, ctx) => {
    if (/^https?:\/\/[^\s/@]+(?:\/\S*)?$/i.test(x)) return;
    // Credentials in the URL are never echoed: the password is shown as ***.
    ctx.addIssue({ code: 'custom', message: URL_TEXT, input: x.replace(/^(\w+:\/\/[^/:@]*):[^/@]*@/, '$1:***@') });
  }),
  query: z.string({ error: 'a PromQL expression' }).trim().min(1, { error: 'a PromQL expression' }),
  start: timeSpec,
  end: timeSpec.optional(),
  step: z.union([z.string(), z.number()], { error: STEP }).refine((x) => parseStep(x) !== undefined, { error: STEP }),
  select: z
    .union([z.literal('sum'), z.strictObject({ labels: z.record(z.string(), z.string()).refine((l) => Object.keys(l).length > 0) })], {
      error: 'sum, or labels: { name: value, … }',
    })
    .optional(),
  auth: z.strictObject({ bearerTokenEnv: envName.optional(), basicAuthEnv: envName.optional() }).optional(),
  maxPointsPerRequest: count.optional(),
  minPoints: count.optional(),
  timeout: z
    .union([z.string(), z.number()], { error: 'a duration such as 30s' })
    .refine((x) => (parseDuration(x) ?? 0) > 0, { error: 'a duration such as 30s' })
    .optional(),
  name: z.string().min(1).optional(),
}) satisfies z.ZodType<PrometheusSourceSpec>;

/**
 * Resolve a source against the clock: relative times become epoch milliseconds rounded down to the step.
 * `where` names the file or flag set in error messages (e.g. "scenarios/launch.yaml history.prometheus").
 * @throws HeadroomError INPUT_INVALID (exit 2) for a time or step that cannot be read.
 * @example prometheusQueryFromSpec({ url: 'http://127.0.0.1:9090', query: 'up', start: '-1d', step: '1h' }, Date.parse('2026-11-25T07:54:00Z'))
 * // => { url: 'http://127.0.0.1:9090', query: 'up', startMs: Date.parse('2026-11-24T07:00:00Z'), endMs: Date.parse('2026-11-25T07:00:00Z'), stepMs: 3600000 }
 */
export function prometheusQueryFromSpec(spec: PrometheusSourceSpec, nowMs: number, where = 'prometheus'): PrometheusQuery {
  const stepMs = parseStep(spec.step);
  if (stepMs === undefined) throw new HeadroomError('INPUT_INVALID', `${where} step: expected ${STEP}, got ${JSON.stringify(spec.step)}`, { exitCode: 2 });
  const range = resolveRange(spec.start, spec.end, stepMs, nowMs);
  if ('error' in range) {
    const got = range.error === 'start' ? spec.start : spec.end;
    throw new HeadroomError('INPUT_INVALID', `${where} ${range.error}: expected ${TIME}, got ${JSON.stringify(got)}`, { exitCode: 2 });
  }
  let timeoutMs: number | undefined;
  if (spec.timeout !== undefined) {
    const seconds = parseDuration(spec.timeout);
    if (seconds === undefined || !(seconds > 0)) {
      throw new HeadroomError('INPUT_INVALID', `${where} timeout: expected a duration such as 30s, got ${JSON.stringify(spec.timeout)}`, { exitCode: 2 });
    }
    timeoutMs = seconds * 1000;
  }
  return {
    url: spec.url,
    query: spec.query,
    startMs: range.startMs,
    endMs: range.endMs,
    stepMs,
    ...(spec.select !== undefined ? { select: spec.select } : {}),
    ...(spec.auth !== undefined ? { auth: definedOnly(spec.auth) } : {}),
    ...(spec.maxPointsPerRequest !== undefined ? { maxPointsPerRequest: spec.maxPointsPerRequest } : {}),
    ...(spec.minPoints !== undefined ? { minPoints: spec.minPoints } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(spec.name !== undefined ? { name: spec.name } : {}),
  };
}

/** The auth object without keys set to undefined (exactOptionalPropertyTypes). */
function definedOnly(auth: NonNullable<PrometheusSourceSpec['auth']>): NonNullable<PrometheusQuery['auth']> {
  return {
    ...(auth.bearerTokenEnv !== undefined ? { bearerTokenEnv: auth.bearerTokenEnv } : {}),
    ...(auth.basicAuthEnv !== undefined ? { basicAuthEnv: auth.basicAuthEnv } : {}),
  };
}
