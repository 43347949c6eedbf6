import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { checkOutPath } from './out-path.js';
import { checkFailed, inputError } from '../errors.js';
import { z } from 'zod';
import {
  calibrateModel,
  describeDistribution,
  loadResourceModel,
  loadYamlFile,
  parseFraction,
  parseYamlText,
  pickService,
  resourceModelSchema,
  validationInputSchema,
  writeFileAtomic,
  type Calibration,
} from '../index.js';

interface Flags {
  model?: string;
  service?: string;
  nodes?: string;
  out?: string;
  tolerance: string;
  seed: string;
  json?: boolean;
}

/** `headroom calibrate validation.json`: write a resource model fitted to what a validation run measured. */
export function registerCalibrate(program: Command, ctx: CliContext): void {
  program
    .command('calibrate')
    .description('Fit a resource model to a validation run (service time from low-load latencies, USL from the sweep) and check it')
    .argument('<validation.json>', 'output of headroom validate --out DIR (or DIR/validation-scenario.json: every endpoint of a scenario run)')
    .option('--model <FILE>', 'model to calibrate (default: the one the validation run checked)')
    .option('--service <NAME>', 'service to calibrate (default: the one the validation run checked)')
    .option('--nodes <N>', 'nodes behind the URL (default: as in the validation run, else 1)')
    .option('--out <FILE>', 'calibrated model file (default: calibrated.yaml next to validation.json)')
    .option('--tolerance <F>', 'largest relative p50/p99 error of the re-simulation at each step below the knee', '20%')
    .option('--seed <S>', 'simulator seed', '1')
    .option('--json', 'print the calibration as JSON')
    .addHelpText(
      'after',
      `
Example:
  $ headroom validate --url 'http://127.0.0.1:8080/cpu?ms=5' --model models/serve-demo.yaml --out runs/cpu
  $ headroom calibrate runs/cpu/validation.json --out models/serve-demo.calibrated.yaml
  $ headroom validate scenarios/validate-demo.yaml --out runs/demo
  $ headroom calibrate runs/demo/validation-scenario.json      # every endpoint's service into one model

Exit codes: 0 the calibrated model predicts every step below the knee within --tolerance, 1 it does not, 2 bad input.`,
    )
    .action(async (file: string, flags: Flags) => {
      const tolerance = parseFraction(flags.tolerance);
      if (tolerance === undefined || tolerance < 0) throw inputError('--tolerance', `expected a percentage such as 20%, got "${flags.tolerance}"`);
      const seed = Number(flags.seed);
      if (!Number.isSafeInteger(seed) || seed < 0) throw inputError('--seed', `expected a non-negative integer, got "${flags.seed}"`);
      const abs = (p: string) => (isAbsolute(p) ? p : resolve(ctx.cwd, p));
      if (flags.out !== undefined) checkOutPath('--out', flags.out, ctx.cwd, 'file');
      const out = abs(flags.out ?? join(dirname(file), 'calibrated.yaml'));
      const note = (url: string, from: string) => `calibrated from ${url} (${from}) on ${ctx.now().toISOString().slice(0, 10)}`;

      // A scenario run (validation-scenario.json) calibrates every endpoint's service into one model.
      const raw = await loadYamlFile(file, z.unknown(), { cwd: ctx.cwd });
      if (raw !== null && typeof raw === 'object' && 'endpoints' in raw) {
        for (const f of ['service', 'nodes'] as const) {
          if (flags[f] !== undefined) throw inputError(`--${f}`, `applies to one validation.json; ${file} is a scenario run, whose endpoints name their services`);
        }
        const run = await loadYamlFile(file, scenarioRunInputSchema, { cwd: ctx.cwd });
        const modelPath = flags.model ?? run.modelPath ?? undefined;
        if (modelPath === undefined) throw inputError('', `${file} was not checked against a model; name one with --model`);
        let modelText = await readFile(abs(modelPath), 'utf8');
        let model = await loadResourceModel(modelPath, { cwd: ctx.cwd });
        const done: Calibration[] = [];
        const skipped: { endpoint: string; why: string }[] = [];
        const seen = new Map<string, string>();
        for (const e of run.endpoints) {
          const v = e.report;
          const name = v?.prediction?.service ?? e.service;
          if (!v) skipped.push({ endpoint: e.name, why: 'no measurement (every request failed)' });
          else if (!v.prediction || name === null || name === undefined) skipped.push({ endpoint: e.name, why: 'not checked against a model service' });
          else if (name.includes(',')) skipped.push({ endpoint: e.name, why: `a path through ${name}: calibrate fits one service at a time` });
          else if (v.knee.rate === null) skipped.push({ endpoint: e.name, why: 'no step at or below a knee to calibrate from' });
          else if (seen.has(name)) skipped.push({ endpoint: e.name, why: `service ${name} was calibrated from endpoint ${seen.get(name)}` });
          else {
            const service = pickService(model, new URL(v.url), name, modelPath);
            const c = await calibrateModel({ validation: v, model, modelText, modelPath, service, nodes: v.prediction.nodes, tolerance, seed, note: note(v.url, `${file}, endpoint ${e.name}`) });
            done.push(c);
            seen.set(name, e.name);
            // The next endpoint calibrates the model as this one left it.
            modelText = c.yaml;
            model = parseYamlText(modelText, modelPath, resourceModelSchema);
          }
        }
        if (done.length === 0) throw inputError(file, `no endpoint could be calibrated: ${skipped.map((x) => `${x.endpoint}: ${x.why}`).join('; ')}`);
        await writeFileAtomic(out, modelText);
        const failed = done.filter((c) => !c.check.ok);
        if (flags.json) {
          const calibrations = done.map(({ yaml: _yaml, ...rest }) => rest);
          ctx.stdout.write(JSON.stringify({ calibrations, skipped, out }, numbersOut, 2) + '\n');
        } else {
          for (const c of done) ctx.stdout.write(formatCalibration(c, modelPath, file) + '\n');
          for (const x of skipped) ctx.stdout.write(`skipped endpoint ${x.endpoint}: ${x.why}\n`);
          ctx.stdout.write(`wrote ${out} (${done.length} service${done.length > 1 ? 's' : ''} calibrated)\n`);
        }
        if (failed.length > 0) {
          throw checkFailed(
            `the calibrated model misses a step below the knee for ${failed.map((c) => `${c.service} (${(c.check.worstAbsError * 100).toFixed(1)}%)`).join(', ')} (tolerance ${(tolerance * 100).toFixed(0)}%)`,
          );
        }
        return;
      }

      const validation = await loadYamlFile(file, validationInputSchema, { cwd: ctx.cwd });
      const modelPath = flags.model ?? validation.prediction?.modelPath;
      if (modelPath === undefined) throw inputError('', `${file} was not checked against a model; name one with --model`);
      const model = await loadResourceModel(modelPath, { cwd: ctx.cwd });
      const modelText = await readFile(abs(modelPath), 'utf8');
      const name = flags.service ?? validation.prediction?.service;
      if (name?.includes(',')) throw inputError('--service', `calibrate fits one service at a time; name one of ${name.split(',').join(', ')}`);
      const service = pickService(model, new URL(validation.url), name, modelPath);
      let nodes = validation.prediction?.nodes ?? 1;
      if (flags.nodes !== undefined) {
        nodes = Number(flags.nodes);
        if (!Number.isSafeInteger(nodes) || nodes < 1) throw inputError('--nodes', `expected a positive integer, got "${flags.nodes}"`);
      }
      const c = await calibrateModel({ validation, model, modelText, modelPath, service, nodes, tolerance, seed, note: note(validation.url, file) });
      await writeFileAtomic(out, c.yaml);
      if (flags.json) {
        const { yaml: _yaml, ...rest } = c;
        ctx.stdout.write(JSON.stringify({ ...rest, out }, numbersOut, 2) + '\n');
      } else {
        ctx.stdout.write(formatCalibration(c, modelPath, file));
        ctx.stdout.write(`wrote ${out}\n`);
      }
      if (!c.check.ok) {
        throw checkFailed(`the calibrated model misses a step below the knee by ${(c.check.worstAbsError * 100).toFixed(1)}% (tolerance ${(c.check.tolerance * 100).toFixed(0)}%)`);
      }
    });
}

/** The parts of validation-scenario.json that calibration reads: each endpoint's report is a validation.json. */
const scenarioRunInputSchema = z.object({
  scenario: z.string(),
  modelPath: z.string().nullable().default(null),
  endpoints: z.array(z.object({ name: z.string(), service: z.string().nullable().default(null), report: validationInputSchema.nullable() })),
});

const numbersOut = (_k: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v);

/** Old and new values side by side, then the re-simulated steps against the measured ones. */
function formatCalibration(c: Calibration, modelPath: string, file: string): string {
  const lines: string[] = [];
  const rows: [string, string, string][] = [
    ['serviceTime', describeDistribution(c.old.serviceTime), describeDistribution(c.new.serviceTime)],
    ['latencyOffset', offset(c.old.latencyOffset), offset(c.new.latencyOffset)],
    ['usl', usl(c.old.usl), usl(c.new.usl)],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(3, ...rows.map((r) => r[1].length));
  lines.push(`calibrate ${modelPath} service ${c.service} (${c.nodes} node${c.nodes > 1 ? 's' : ''}) from ${file}`);
  lines.push(`${''.padEnd(w0)}  ${'old'.padEnd(w1)}  new`);
  for (const r of rows) lines.push(`${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2]}`);
  lines.push(`fitted to the low-load steps at ${c.fittedTo.join(', ')}/s`, '');
  lines.push('re-simulated with the calibrated model, steps below the knee and the knee (ms):');
  lines.push('offered/s  measured p50  predicted p50  error  measured p99  predicted p99  error');
  for (const s of c.check.steps) {
    lines.push(
      `${String(s.offeredRate).padStart(9)}  ${f(s.measured.p50).padStart(12)}  ${f(s.predicted.p50).padStart(13)}  ${pct(s.p50Error).padStart(5)}  ` +
        `${f(s.measured.p99).padStart(12)}  ${f(s.predicted.p99).padStart(13)}  ${pct(s.p99Error).padStart(5)}${s.checked ? '' : '  (the knee: shown, not checked)'}`,
    );
  }
  lines.push(`worst error ${(c.check.worstAbsError * 100).toFixed(1)}% (tolerance ${(c.check.tolerance * 100).toFixed(0)}%): ${c.check.ok ? 'passes' : 'fails'}`);
  return lines.join('\n') + '\n';
}

const f = (s: number) => (Number.isFinite(s) ? (s * 1000).toFixed(2) : '–');
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)}%`;
const offset = (s: number | undefined) => (s === undefined ? '–' : `${(s * 1000).toPrecision(3)} ms`);
const usl = (u: { lambda: number; sigma: number; kappa: number } | undefined) =>
  u ? `lambda ${u.lambda.toPrecision(4)}/s sigma ${u.sigma.toPrecision(3)} kappa ${u.kappa.toPrecision(3)}` : '–';
