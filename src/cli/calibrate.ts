import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { checkOutPath } from './out-path.js';
import { checkFailed, inputError } from '../errors.js';
import { parseFraction } from '../units.js';
import { nonNegativeIntegerFlag, positiveIntegerFlag } from './flags.js';

/** The flags as commander hands them over. */
export interface CalibrateFlags {
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
    .action(async (file: string, flags: CalibrateFlags) => {
      const tolerance = parseFraction(flags.tolerance);
      if (tolerance === undefined || tolerance < 0) throw inputError('--tolerance', `expected a percentage such as 20%, got "${flags.tolerance}"`);
      const seed = nonNegativeIntegerFlag('--seed', flags.seed);
      // The model schema, the fit and the simulator load here, not at start-up.
      const [{ loadYamlFile }, { loadResourceModel }, { calibrateModel, validationInputSchema }, { calibrateScenarioRun, scenarioRunInputSchema }] =
        await Promise.all([
          import('../config/load.js'),
          import('../config/model.js'),
          import('../validate/calibrate.js'),
          import('../validate/calibrate-scenario.js'),
        ]);
      const [{ pickService }, { formatCalibration }, { writeFileAtomic }, { z }] = await Promise.all([
        import('../validate/predict.js'),
        import('../report/calibration-text.js'),
        import('../write-atomic.js'),
        import('zod'),
      ]);
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
        const { calibrations: done, skipped, modelText } = await calibrateScenarioRun({
          run,
          model: await loadResourceModel(modelPath, { cwd: ctx.cwd }),
          modelText: await readFile(abs(modelPath), 'utf8'),
          modelPath,
          tolerance,
          seed,
          note: (url, endpoint) => note(url, `${file}, endpoint ${endpoint}`),
        });
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
        nodes = positiveIntegerFlag('--nodes', flags.nodes);
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

const numbersOut = (_k: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v);
