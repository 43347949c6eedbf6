import type { ScenarioEndpoint, ValidationScenario } from '../model/validation-scenario.js';
import { HeadroomError } from '../errors.js';
import { measureGeneratorCeiling, type GeneratorCeiling } from './ceiling.js';
import { sampleMachine } from './machine.js';
import { preflight } from './preflight.js';
import { checkBudget, checkRemote, type SafetyLimits } from './safety.js';
import { defaultStepSeconds } from './steps.js';
import type { ArrivalKind } from './types.js';
import { validateEndpoint, type ValidateOptions, type ValidationReport } from './validate.js';

/**
 * Settings of a scenario run that the command line gives. `explicit` holds the flags the user typed (they override the
 * scenario); `defaults` holds the command's defaults (the scenario overrides them).
 */
export interface ScenarioSettings {
  readonly explicit: {
    readonly stepSeconds?: number | undefined;
    readonly warmup?: number | undefined;
    readonly arrivals?: ArrivalKind | undefined;
    readonly sloP99?: number | undefined;
    readonly maxErrors?: number | undefined;
    readonly tolerance?: number | undefined;
    readonly concurrency?: readonly number[] | undefined;
  };
  readonly defaults: {
    readonly warmup: number;
    readonly arrivals: ArrivalKind;
    readonly sloP99: number;
    readonly maxErrors: number;
    readonly tolerance: number;
  };
  readonly sweepSeconds: number;
  readonly replicas: number;
  readonly ceiling: boolean;
  readonly ceilingSeconds: number;
  readonly limits: SafetyLimits;
  readonly allowRemote: boolean;
  readonly timeout: number;
  readonly maxInFlight: number;
  readonly seed: number;
  /** Runs of each endpoint's ramp (default 1); see ValidateOptions.repeat. */
  readonly repeat?: number | undefined;
}

/** One endpoint's outcome: its report, or the check that failed before there was one (every request failed). */
export interface EndpointOutcome {
  readonly name: string;
  readonly url: string;
  readonly service: string | null;
  readonly report: ValidationReport | null;
  readonly error: string | null;
  readonly ok: boolean;
}

/** The document `validate <scenario.yaml> --json` prints; each endpoint's report is also its own validation.json. */
export interface ScenarioReport {
  readonly scenario: string;
  readonly name: string | null;
  readonly modelPath: string | null;
  readonly generatorCeiling: number | null;
  readonly endpoints: EndpointOutcome[];
  readonly verdict: { readonly ok: boolean; readonly message: string };
}

/** The options of one endpoint's run: a flag typed on the command line, else the endpoint, else the scenario, else the default. */
export function endpointOptions(scenario: ValidationScenario, e: ScenarioEndpoint, s: ScenarioSettings): Omit<ValidateOptions, 'generator' | 'preflightDone' | 'onProgress'> {
  const x = s.explicit;
  return {
    target: { url: e.url, method: e.method, headers: { ...e.headers }, body: e.body },
    rates: e.rates,
    stepSeconds: x.stepSeconds ?? e.stepSeconds,
    warmup: x.warmup ?? scenario.warmup ?? s.defaults.warmup,
    arrivals: x.arrivals ?? scenario.arrivals ?? s.defaults.arrivals,
    criteria: {
      sloP99: x.sloP99 ?? e.sloP99 ?? s.defaults.sloP99,
      maxErrors: x.maxErrors ?? e.maxErrors ?? s.defaults.maxErrors,
      minAchievedRatio: 0.95,
    },
    concurrency: x.concurrency ?? e.concurrency,
    sweepSeconds: s.sweepSeconds,
    model:
      scenario.model && e.service !== undefined
        ? { model: scenario.model, path: scenario.modelPath!, service: e.service, nodes: e.nodes, replicas: s.replicas }
        : undefined,
    tolerance: x.tolerance ?? e.tolerance ?? s.defaults.tolerance,
    ceiling: s.ceiling,
    ceilingSeconds: s.ceilingSeconds,
    limits: s.limits,
    allowRemote: s.allowRemote,
    timeout: s.timeout,
    maxInFlight: s.maxInFlight,
    seed: s.seed,
    repeat: s.repeat,
  };
}

/**
 * Validate every endpoint of a scenario in turn (never two at once: each would be the other's noise). Before any load,
 * every endpoint must be allowed (loopback unless allowRemote) and answer one request, so a typo in the fifth URL
 * fails in a second with exit 2 rather than after four endpoints' worth of load. The generator's ceiling is measured
 * once. An endpoint whose every request failed is recorded as a failed check and the others still run; the verdict
 * holds only when every endpoint's does.
 */
export async function validateScenario(
  scenario: ValidationScenario,
  settings: ScenarioSettings,
  options: { readonly only?: readonly string[] | undefined; readonly onProgress?: ((line: string) => void) | undefined } = {},
): Promise<ScenarioReport> {
  const say = options.onProgress ?? (() => {});
  let endpoints = scenario.endpoints;
  if (options.only !== undefined) {
    const known = new Set(endpoints.map((e) => e.name));
    const unknown = options.only.filter((n) => !known.has(n));
    if (unknown.length > 0) {
      throw new HeadroomError('INPUT_INVALID', `--only: ${scenario.file} has no endpoint named ${unknown.join(', ')} (it has ${[...known].join(', ')})`);
    }
    endpoints = endpoints.filter((e) => options.only!.includes(e.name));
  }
  const where = (e: ScenarioEndpoint) => `${scenario.file} endpoint ${e.name} (${e.url.toString()})`;
  for (const e of endpoints) {
    checkRemote(e.url, settings.allowRemote, where(e));
    // The budget of an endpoint whose rates are given is known now; one over it must not cost the others their load.
    const o = endpointOptions(scenario, e, settings);
    if (o.rates !== undefined) {
      const len = (r: number) => (o.stepSeconds ?? defaultStepSeconds(r)) + (o.warmup ?? 1);
      try {
        checkBudget(o.rates.map((r) => ({ requests: r * len(r), seconds: len(r) })), settings.limits);
      } catch (err) {
        if (err instanceof HeadroomError) throw new HeadroomError(err.code, `${where(e)}: ${err.message}`, { exitCode: 2 });
        throw err;
      }
    }
  }
  for (const e of endpoints) await preflight({ url: e.url, method: e.method, headers: { ...e.headers }, body: e.body }, settings.timeout, where(e));

  const machine = await sampleMachine();
  let generator: GeneratorCeiling | undefined;
  if (settings.ceiling) {
    say(`measuring the generator's ceiling (${settings.ceilingSeconds} s against a trivial endpoint)`);
    generator = await measureGeneratorCeiling({ duration: settings.ceilingSeconds });
  }

  const outcomes: EndpointOutcome[] = [];
  for (const [i, e] of endpoints.entries()) {
    say(`endpoint ${i + 1}/${endpoints.length}: ${e.name} ${e.method} ${e.url.toString()}`);
    const base = { name: e.name, url: e.url.toString(), service: e.service ?? null };
    try {
      const report = await validateEndpoint({
        ...endpointOptions(scenario, e, settings),
        generator,
        machine,
        preflightDone: true,
        onProgress: (line) => say(`  ${e.name}: ${line}`),
      });
      outcomes.push({ ...base, report, error: null, ok: report.verdict.ok });
    } catch (err) {
      // A failed check (exit 1: every request failed) belongs to this endpoint; bad input stops the run.
      if (err instanceof HeadroomError && err.exitCode === 1) outcomes.push({ ...base, report: null, error: err.message, ok: false });
      else throw err;
    }
  }
  const failed = outcomes.filter((o) => !o.ok);
  const verdict =
    failed.length === 0
      ? { ok: true, message: `all ${outcomes.length} endpoints hold${scenario.model ? ' their prediction' : ''}` }
      : { ok: false, message: `${failed.length} of ${outcomes.length} endpoints failed: ${failed.map((o) => `${o.name} (${o.error ?? o.report!.verdict.message})`).join('; ')}` };
  return {
    scenario: scenario.file,
    name: scenario.name ?? null,
    modelPath: scenario.modelPath ?? null,
    generatorCeiling: generator ? generator.requestsPerSecond : null,
    endpoints: outcomes,
    verdict,
  };
}
