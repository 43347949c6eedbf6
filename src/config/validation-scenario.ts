import type { ScenarioEndpoint, ValidationScenario } from '../model/validation-scenario.js';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { HeadroomError } from '../errors.js';
import { fraction, identifier, positiveDuration, positiveInt, duration, httpUrl } from './common.js';
import { parseYamlText } from './load.js';
import { readScenarioFile } from './scenario-file.js';
import type { ResourceModel } from '../model/resource-model.js';

/**
 * A validation scenario: the endpoints of a service to load-test with `headroom validate <scenario.yaml>`, each tied to
 * the service of a resource model whose prediction it checks. It is the file form of `validate --url ...` for a whole
 * service at once (every endpoint in turn, one generator ceiling, one summary), so a team can keep the check next to
 * the model and rerun it after every release.
 *
 *   model: ../models/serve-demo.yaml
 *   baseUrl: http://127.0.0.1:8080
 *   slo: { p99: 100ms, maxErrors: 1% }
 *   endpoints:
 *     - { name: cpu, path: /cpu?ms=5, rates: [50, 100, 150, 170, 185, 200, 230] }
 *     - { name: io, path: /io?ms=20, service: io }
 */

const criteriaSchema = z.strictObject({
  p99: positiveDuration.optional(),
  maxErrors: fraction.optional(),
});

const positiveRate = z
  .number({ error: 'a positive rate in requests/s' })
  .positive({ error: 'a positive rate in requests/s' });

const endpointSchema = z.strictObject({
  name: identifier,
  /** An absolute http(s) URL, or `path` joined to the scenario's baseUrl. */
  url: z.string({ error: 'an http(s) URL such as http://127.0.0.1:8080/api' }).optional(),
  path: z.string({ error: 'a path such as /api/search?q=x' }).startsWith('/', { error: 'a path starting with /' }).optional(),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'], { error: 'an HTTP method: GET, POST, PUT, PATCH, DELETE or HEAD' }).default('GET'),
  headers: z.record(z.string(), z.string({ error: 'a header value (text)' })).default({}),
  /** A file with the request body, relative to the scenario. */
  body: z.string({ error: 'a file path' }).min(1).optional(),
  /** The model's service (or `a,b` for a path through several); default: the endpoint's name. */
  service: z.string({ error: 'a service of the model' }).min(1).optional(),
  nodes: positiveInt.default(1),
  rates: z.array(positiveRate).min(1, { error: 'at least one rate' }).optional(),
  concurrency: z.array(positiveInt).min(1, { error: 'at least one concurrency' }).optional(),
  stepSeconds: positiveDuration.optional(),
  slo: criteriaSchema.optional(),
  tolerance: fraction.optional(),
});

const scenarioSchema = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  /** Resource model, relative to the scenario; without it the endpoints are measured but nothing is checked. */
  model: z.string({ error: 'a resource model file (relative to the scenario)' }).min(1).optional(),
  baseUrl: z.string({ error: 'an http(s) URL such as http://127.0.0.1:8080' }).optional(),
  slo: criteriaSchema.optional(),
  tolerance: fraction.optional(),
  stepSeconds: positiveDuration.optional(),
  warmup: duration.optional(),
  arrivals: z.enum(['poisson', 'uniform'], { error: 'poisson or uniform' }).optional(),
  concurrency: z.array(positiveInt).min(1, { error: 'at least one concurrency' }).optional(),
  endpoints: z.array(endpointSchema, { error: 'a list of endpoints' }).min(1, { error: 'at least one endpoint' }),
});

type RawScenario = z.output<typeof scenarioSchema>;


/**
 * Load a validation scenario and the model it names. Schema problems are reported at once as `file:line field:
 * expected …, got …` (CONFIG_INVALID, exit 2), and so are the cross-field rules: each endpoint has exactly one of
 * `url` and `path`, a `path` needs `baseUrl` (or `baseUrlOverride`, from `--base-url`), names are unique, services
 * exist in the model, body files exist. `baseUrlOverride` replaces the file's baseUrl (the same check against staging
 * and production).
 */
export async function loadValidationScenario(path: string, options: { cwd?: string; baseUrlOverride?: string | undefined } = {}): Promise<ValidationScenario> {
  const cwd = options.cwd ?? process.cwd();
  // The model comes first: endpoints are checked against its services.
  const { text, file, dir, model, modelFile } = await readScenarioFile(path, cwd);
  const override = options.baseUrlOverride;
  const schema = scenarioSchema.superRefine((s, ctx) => {
    if (s.model !== undefined && !model) ctx.addIssue({ code: 'custom', path: ['model'], message: 'an existing resource model file (relative to the scenario)', input: s.model });
    if (s.baseUrl !== undefined && !httpUrl(s.baseUrl)) ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'an http(s) URL such as http://127.0.0.1:8080', input: s.baseUrl });
    const seen = new Set<string>();
    s.endpoints.forEach((e, i) => {
      const at = (field: string) => ['endpoints', i, field];
      if (seen.has(e.name)) ctx.addIssue({ code: 'custom', path: at('name'), message: 'a name not used by another endpoint', input: e.name });
      seen.add(e.name);
      if (e.url === undefined && e.path === undefined) {
        ctx.addIssue({ code: 'custom', path: ['endpoints', i], message: 'a url (absolute) or a path (joined to baseUrl)', input: undefined });
      }
      if (e.url !== undefined && e.path !== undefined) {
        ctx.addIssue({ code: 'custom', path: at('path'), message: 'no path when the endpoint gives a url (one or the other)', input: e.path });
      }
      if (e.url !== undefined && !httpUrl(e.url)) ctx.addIssue({ code: 'custom', path: at('url'), message: 'an http(s) URL such as http://127.0.0.1:8080/api', input: e.url });
      if (e.path !== undefined && e.url === undefined && s.baseUrl === undefined && override === undefined) {
        ctx.addIssue({ code: 'custom', path: at('path'), message: 'a baseUrl at the top of the scenario (or --base-url) to join the path to', input: e.path });
      }
      if (e.body !== undefined && !existsSync(resolve(dir, e.body))) ctx.addIssue({ code: 'custom', path: at('body'), message: 'an existing file (relative to the scenario)', input: e.body });
      if (model) {
        const names = (e.service ?? e.name).split(',').map((x) => x.trim());
        for (const n of names) {
          if (!model.services.some((m) => m.name === n)) {
            const known = model.services.map((m) => m.name).join(', ');
            ctx.addIssue({
              code: 'custom',
              path: e.service === undefined ? at('name') : at('service'),
              message: `a service of ${modelFile} (${known})${e.service === undefined ? ', or a service field naming one' : ''}`,
              input: n,
            });
          }
        }
      } else if (e.service !== undefined) {
        ctx.addIssue({ code: 'custom', path: at('service'), message: 'a model at the top of the scenario to take the service from', input: e.service });
      }
    });
  });
  const raw: RawScenario = parseYamlText(text, file, schema);
  const base = override ?? raw.baseUrl;
  if (override !== undefined && !httpUrl(override)) throw new HeadroomError('INPUT_INVALID', `--base-url: expected an http(s) URL such as http://127.0.0.1:8080, got "${override}"`);
  const endpoints: ScenarioEndpoint[] = [];
  for (const e of raw.endpoints) {
    const url = e.url !== undefined ? new URL(e.url) : new URL(base!.replace(/\/+$/, '') + e.path!);
    endpoints.push({
      name: e.name,
      url,
      method: e.method,
      headers: Object.fromEntries(Object.entries(e.headers).map(([k, v]) => [k.toLowerCase(), v])),
      body: e.body === undefined ? undefined : await readFile(resolve(dir, e.body), 'utf8'),
      service: model ? (e.service ?? e.name) : undefined,
      nodes: e.nodes,
      rates: e.rates,
      concurrency: e.concurrency ?? raw.concurrency,
      stepSeconds: e.stepSeconds ?? raw.stepSeconds,
      sloP99: e.slo?.p99 ?? raw.slo?.p99,
      maxErrors: e.slo?.maxErrors ?? raw.slo?.maxErrors,
      tolerance: e.tolerance ?? raw.tolerance,
    });
  }
  return {
    file,
    name: raw.name,
    description: raw.description,
    modelPath: model ? modelFile : undefined,
    model,
    warmup: raw.warmup,
    arrivals: raw.arrivals,
    endpoints,
  };
}
