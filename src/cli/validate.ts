import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { checkFailed, inputError } from '../errors.js';
import { parseDuration, parseFraction, parseRate } from '../units.js';
import type { SafetyLimits } from '../validate/safety.js';
import type { ScenarioReport, ScenarioSettings } from '../validate/scenario.js';
import type { ArrivalKind, RequestTarget } from '../validate/types.js';
import { nonNegativeIntegerFlag, positiveIntegerFlag } from './flags.js';

interface Flags {
  url?: string;
  method: string;
  header: string[];
  body?: string;
  rates?: string;
  stepSeconds?: string;
  warmup: string;
  arrivals: string;
  sloP99: string;
  maxErrors: string;
  concurrency?: string;
  sweepSeconds: string;
  model?: string;
  service?: string;
  nodes: string;
  replicas: string;
  tolerance: string;
  ceiling: boolean;
  ceilingSeconds: string;
  timeout: string;
  maxInFlight: string;
  maxDuration: string;
  maxRequests: string;
  abortErrors: string;
  abortLatency: string;
  allowRemote?: boolean;
  seed: string;
  out?: string;
  json?: boolean;
  baseUrl?: string;
  only?: string;
  repeat: string;
}

/** Flags that describe one endpoint: with a scenario, the endpoints say these themselves. */
const URL_ONLY_FLAGS = ['method', 'header', 'body', 'rates', 'model', 'service', 'nodes'] as const;
const kebab = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
const numbersOut = (_k: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v);

const collect = (v: string, prev: string[]): string[] => [...prev, v];

function duration(flag: string, text: string, positive = true): number {
  const s = parseDuration(text);
  if (s === undefined || s < 0 || (positive && s === 0)) throw inputError(flag, `expected a ${positive ? 'positive ' : ''}duration such as 250ms or 8s, got "${text}"`);
  return s;
}

function fraction(flag: string, text: string): number {
  const f = parseFraction(text);
  if (f === undefined || f < 0 || f > 1) throw inputError(flag, `expected a percentage such as 1% or a fraction in [0, 1], got "${text}"`);
  return f;
}

function list<T>(flag: string, text: string, parse: (s: string) => T | undefined, what: string): T[] {
  const parts = text.split(',').map((s) => s.trim());
  const out = parts.map(parse);
  if (parts.length === 0 || out.some((x) => x === undefined)) throw inputError(flag, `expected ${what}, got "${text}"`);
  return out as T[];
}

function parseUrl(text: string | undefined): URL {
  if (text === undefined) throw inputError('', 'give --url URL (e.g. --url http://127.0.0.1:8080/cpu?ms=5) or a scenario file (headroom validate scenarios/validate-demo.yaml)');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw inputError('--url', `expected an http(s) URL such as http://127.0.0.1:8080/cpu?ms=5, got "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw inputError('--url', `expected an http(s) URL such as http://127.0.0.1:8080/cpu?ms=5, got "${text}"`);
  }
  return url;
}

function parseHeaders(items: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of items) {
    const i = h.indexOf(':');
    if (i <= 0) throw inputError('--header', `expected NAME:VALUE such as "authorization: Bearer x", got "${h}"`);
    out[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
  }
  return out;
}

/** `headroom validate`: load-test an endpoint, find its knee, and check the resource model's prediction. */
export function registerValidate(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('Load-test an endpoint (open-model rate steps, closed-loop concurrency sweep), find the knee, fit the USL, check a model')
    .argument('[scenario]', 'validation scenario (YAML): the endpoints of a service and its model, validated in turn')
    .option('--url <URL>', 'endpoint to load (loopback unless --allow-remote)')
    .option('--base-url <URL>', "with a scenario: replaces its baseUrl (the same check against another deployment)")
    .option('--only <NAME[,NAME2...]>', 'with a scenario: validate only these endpoints')
    .option('--method <M>', 'HTTP method', 'GET')
    .option('--header <K:V>', 'request header (repeatable)', collect, [])
    .option('--body <FILE>', 'request body read from FILE')
    .option('--rates <R1,R2,...>', 'offered rates per step, requests/s (default: 25%..115% of the model capacity or of the sweep peak)')
    .option('--step-seconds <S>', 'measured length of each step (default: 1600 requests worth, 3 s to 30 s)')
    .option('--warmup <S>', 'warm-up before each step, not measured', '1s')
    .option('--arrivals <kind>', 'arrival schedule: poisson or uniform', 'poisson')
    .option('--slo-p99 <T>', 'p99 latency SLO of the knee', '100ms')
    .option('--max-errors <F>', 'error budget of the knee (errors + timeouts + dropped)', '1%')
    .option('--concurrency <N1,N2,...>', 'closed-loop concurrency sweep (autocannon) for the USL fit')
    .option('--sweep-seconds <S>', 'measured length of each sweep point', '2s')
    .option('--model <FILE>', 'resource model whose prediction to check')
    .option('--service <NAME[,NAME2...]>', 'service of the model (default: the only one, or the one named after the URL path); several = a path the request visits in order')
    .option('--nodes <N>', 'nodes of the service behind the URL', '1')
    .option('--replicas <R>', 'simulator replicas per step', '4')
    .option('--tolerance <F>', 'largest relative error of the predicted knee', '15%')
    .option('--no-ceiling', "skip measuring the generator's ceiling")
    .option('--ceiling-seconds <S>', "length of the generator's ceiling measurement", '2s')
    .option('--timeout <T>', 'per-request timeout', '5s')
    .option('--max-in-flight <N>', 'bound on outstanding requests (sends beyond it are counted as dropped)', '1000')
    .option('--max-duration <T>', 'refuse a plan longer than this', '10m')
    .option('--max-requests <N>', 'refuse a plan that sends more requests than this', '1000000')
    .option('--abort-errors <F>', 'stop a step when this share of its requests failed', '50%')
    .option('--abort-latency <T>', 'stop a step when a request is outstanding this long', '10s')
    .option('--allow-remote', 'allow a target that is not this machine')
    .option('--seed <S>', 'seed of the Poisson schedule and the simulator', '1')
    .option('--repeat <N>', 'run the whole ramp N times and give the knee as a range (each run re-measures out-of-order steps)', '1')
    .option('--out <DIR>', 'write validation.json and report.html into DIR (atomically)')
    .option('--json', 'print validation.json on stdout')
    .addHelpText(
      'after',
      `
Example (serve-demo in another terminal: headroom serve-demo --port 8080):
  $ headroom validate --url 'http://127.0.0.1:8080/cpu?ms=5' --model models/serve-demo.yaml \\
      --rates 50,100,150,170,185,200,230 --step-seconds 4 --concurrency 1,2,4,8 --out runs/cpu
  $ headroom validate scenarios/validate-demo.yaml --out runs/demo     # every endpoint of the scenario in turn

With a scenario, the endpoints give their URL, method, headers, body, rates, service and nodes; the flags that
apply to every endpoint (--step-seconds, --slo-p99, --concurrency, --seed, the limits, ...) override the scenario
when given. --out DIR then holds DIR/<endpoint>/validation.json (for calibrate), DIR/validation-scenario.json and
DIR/report.html (every endpoint on one page).

Exit codes: 0 the prediction holds (or no model), 1 the predicted knee is off by more than --tolerance or every
request failed, 2 bad input (flags, model file, a URL that cannot be reached).`,
    )
    .action(async (scenarioFile: string | undefined, flags: Flags, cmd: Command) => {
      if (scenarioFile !== undefined) return validateScenarioCommand(scenarioFile, flags, cmd, ctx);
      for (const f of ['baseUrl', 'only'] as const) {
        if (flags[f] !== undefined) throw inputError(kebab(f), 'applies to a scenario file (headroom validate scenario.yaml ...)');
      }
      const url = parseUrl(flags.url);
      // The load generators, the model schema and the simulator load here, not at start-up.
      const [{ DEFAULT_LIMITS }, { validateEndpoint }, { formatValidation }, { loadResourceModel }, { writeFilesAtomic }] = await Promise.all([
        import('../validate/safety.js'),
        import('../validate/validate.js'),
        import('../validate/format.js'),
        import('../config/model.js'),
        import('../write-atomic.js'),
      ]);
      const rates =
        flags.rates === undefined
          ? undefined
          : list('--rates', flags.rates, (s) => {
              const r = parseRate(s);
              return r !== undefined && r > 0 ? r : undefined;
            }, 'positive rates separated by commas, such as 50,100,150 (requests/s)');
      const settings = runSettings(flags, cmd, DEFAULT_LIMITS);
      let body: string | undefined;
      if (flags.body !== undefined) {
        const p = isAbsolute(flags.body) ? flags.body : resolve(ctx.cwd, flags.body);
        try {
          body = await readFile(p, 'utf8');
        } catch {
          throw inputError(flags.body, 'cannot read the request body file', 'FILE_NOT_FOUND');
        }
      }
      const target: RequestTarget = { url, method: flags.method.toUpperCase(), headers: parseHeaders(flags.header), body };
      const model = flags.model === undefined ? undefined : await loadResourceModel(flags.model, { cwd: ctx.cwd });
      const progress = ctx.isTTY && !flags.json ? (line: string) => void ctx.stderr.write(`${line}\n`) : undefined;

      // With --url every flag is the setting itself: the parsed values, typed or default.
      const { explicit, defaults, ...common } = settings;
      const report = await validateEndpoint({
        ...common,
        target,
        rates,
        stepSeconds: explicit.stepSeconds,
        warmup: defaults.warmup,
        arrivals: defaults.arrivals,
        criteria: { sloP99: defaults.sloP99, maxErrors: defaults.maxErrors, minAchievedRatio: 0.95 },
        concurrency: explicit.concurrency,
        model: model && {
          model,
          path: flags.model!,
          service: flags.service,
          nodes: positiveIntegerFlag('--nodes', flags.nodes),
          replicas: settings.replicas,
        },
        tolerance: defaults.tolerance,
        onProgress: progress,
      });
      const json = JSON.stringify(report, numbersOut, 2) + '\n';
      if (flags.out !== undefined) {
        const dir = isAbsolute(flags.out) ? flags.out : resolve(ctx.cwd, flags.out);
        // The page is rendered from the JSON as saved (Infinity already null), the same input `headroom report` reads.
        const { renderValidationReport } = await import('../report/validation-report.js');
        await writeFilesAtomic([
          { path: join(dir, 'validation.json'), data: json },
          { path: join(dir, 'report.html'), data: await renderValidationReport(JSON.parse(json) as typeof report) },
        ]);
      }
      ctx.stdout.write(flags.json ? json : formatValidation(report));
      if (!report.verdict.ok) throw checkFailed(report.verdict.message);
    });
}

/**
 * The flags common to every endpoint, parsed once. `explicit` holds those typed on the command line (with a scenario
 * they override it); `defaults` holds every value, typed or default.
 */
function runSettings(flags: Flags, cmd: Command, defaultLimits: SafetyLimits): ScenarioSettings {
  const typed = (name: string) => cmd.getOptionValueSource(name) === 'cli';
  const arrivals = flags.arrivals as ArrivalKind;
  if (arrivals !== 'poisson' && arrivals !== 'uniform') throw inputError('--arrivals', `expected poisson or uniform, got "${flags.arrivals}"`);
  const sloP99 = duration('--slo-p99', flags.sloP99);
  const maxErrors = fraction('--max-errors', flags.maxErrors);
  const tolerance = fraction('--tolerance', flags.tolerance);
  const warmup = duration('--warmup', flags.warmup, false);
  const seed = nonNegativeIntegerFlag('--seed', flags.seed);
  return {
    explicit: {
      stepSeconds: flags.stepSeconds === undefined ? undefined : duration('--step-seconds', flags.stepSeconds),
      warmup: typed('warmup') ? warmup : undefined,
      arrivals: typed('arrivals') ? arrivals : undefined,
      sloP99: typed('sloP99') ? sloP99 : undefined,
      maxErrors: typed('maxErrors') ? maxErrors : undefined,
      tolerance: typed('tolerance') ? tolerance : undefined,
      concurrency:
        flags.concurrency === undefined
          ? undefined
          : list('--concurrency', flags.concurrency, (x) => {
              const n = Number(x);
              return Number.isSafeInteger(n) && n >= 1 ? n : undefined;
            }, 'positive integers separated by commas, such as 1,2,4,8'),
    },
    defaults: { warmup, arrivals, sloP99, maxErrors, tolerance },
    sweepSeconds: duration('--sweep-seconds', flags.sweepSeconds),
    replicas: positiveIntegerFlag('--replicas', flags.replicas),
    ceiling: flags.ceiling,
    ceilingSeconds: duration('--ceiling-seconds', flags.ceilingSeconds),
    limits: {
      ...defaultLimits,
      maxDuration: duration('--max-duration', flags.maxDuration),
      maxRequests: positiveIntegerFlag('--max-requests', flags.maxRequests),
      abortErrorRate: fraction('--abort-errors', flags.abortErrors),
      abortLatency: duration('--abort-latency', flags.abortLatency),
    },
    allowRemote: flags.allowRemote === true,
    timeout: duration('--timeout', flags.timeout),
    maxInFlight: positiveIntegerFlag('--max-in-flight', flags.maxInFlight),
    seed,
    repeat: positiveIntegerFlag('--repeat', flags.repeat),
  };
}

/**
 * `headroom validate <scenario.yaml>`: every endpoint of the scenario in turn. All output is written at once when the
 * run ends (each endpoint's validation.json and the scenario's summary), so an interrupted run leaves nothing half-written.
 */
async function validateScenarioCommand(file: string, flags: Flags, cmd: Command, ctx: CliContext): Promise<void> {
  if (flags.url !== undefined) throw inputError('--url', `give a scenario file or --url, not both (got ${file} and --url ${flags.url})`);
  for (const f of URL_ONLY_FLAGS) {
    if (cmd.getOptionValueSource(f) === 'cli') throw inputError(kebab(f), `applies to --url; in a scenario each endpoint gives its own (${file})`);
  }
  const [{ DEFAULT_LIMITS }, { validateScenario }, { formatScenarioValidation }, { loadValidationScenario }, { writeFilesAtomic }] = await Promise.all([
    import('../validate/safety.js'),
    import('../validate/scenario.js'),
    import('../validate/format.js'),
    import('../config/validation-scenario.js'),
    import('../write-atomic.js'),
  ]);
  const settings = runSettings(flags, cmd, DEFAULT_LIMITS);
  const only = flags.only === undefined ? undefined : flags.only.split(',').map((x) => x.trim()).filter((x) => x !== '');
  const scenario = await loadValidationScenario(file, { cwd: ctx.cwd, baseUrlOverride: flags.baseUrl });
  const progress = ctx.isTTY && !flags.json ? (line: string) => void ctx.stderr.write(`${line}\n`) : undefined;
  const report: ScenarioReport = await validateScenario(scenario, settings, { only, onProgress: progress });
  const json = JSON.stringify(report, numbersOut, 2) + '\n';
  if (flags.out !== undefined) {
    const dir = isAbsolute(flags.out) ? flags.out : resolve(ctx.cwd, flags.out);
    const { renderScenarioReport } = await import('../report/validation-report.js');
    await writeFilesAtomic([
      ...report.endpoints.filter((e) => e.report).map((e) => ({ path: join(dir, e.name, 'validation.json'), data: JSON.stringify(e.report, numbersOut, 2) + '\n' })),
      { path: join(dir, 'validation-scenario.json'), data: json },
      { path: join(dir, 'report.html'), data: await renderScenarioReport(JSON.parse(json) as ScenarioReport) },
    ]);
  }
  ctx.stdout.write(flags.json ? json : formatScenarioValidation(report));
  if (!report.verdict.ok) throw checkFailed(report.verdict.message);
}
