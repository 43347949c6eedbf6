import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { checkFailed, inputError } from '../errors.js';
import {
  calibrateModel,
  describeDistribution,
  loadResourceModel,
  loadYamlFile,
  parseFraction,
  pickService,
  validationInputSchema,
  writeFileAtomic,
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
    .argument('<validation.json>', 'output of headroom validate --out DIR')
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

Exit codes: 0 the calibrated model predicts every step below the knee within --tolerance, 1 it does not, 2 bad input.`,
    )
    .action(async (file: string, flags: Flags) => {
      const validation = await loadYamlFile(file, validationInputSchema, { cwd: ctx.cwd });
      const modelPath = flags.model ?? validation.prediction?.modelPath;
      if (modelPath === undefined) throw inputError('', `${file} was not checked against a model; name one with --model`);
      const model = await loadResourceModel(modelPath, { cwd: ctx.cwd });
      const abs = (p: string) => (isAbsolute(p) ? p : resolve(ctx.cwd, p));
      const modelText = await readFile(abs(modelPath), 'utf8');
      const name = flags.service ?? validation.prediction?.service;
      if (name?.includes(',')) throw inputError('--service', `calibrate fits one service at a time; name one of ${name.split(',').join(', ')}`);
      const service = pickService(model, new URL(validation.url), name, modelPath);
      let nodes = validation.prediction?.nodes ?? 1;
      if (flags.nodes !== undefined) {
        nodes = Number(flags.nodes);
        if (!Number.isSafeInteger(nodes) || nodes < 1) throw inputError('--nodes', `expected a positive integer, got "${flags.nodes}"`);
      }
      const tolerance = parseFraction(flags.tolerance);
      if (tolerance === undefined || tolerance < 0) throw inputError('--tolerance', `expected a percentage such as 20%, got "${flags.tolerance}"`);
      const seed = Number(flags.seed);
      if (!Number.isSafeInteger(seed) || seed < 0) throw inputError('--seed', `expected a non-negative integer, got "${flags.seed}"`);
      const c = await calibrateModel({
        validation,
        model,
        modelText,
        modelPath,
        service,
        nodes,
        tolerance,
        seed,
        note: `calibrated from ${validation.url} (${file}) on ${ctx.now().toISOString().slice(0, 10)}`,
      });
      const out = abs(flags.out ?? join(dirname(file), 'calibrated.yaml'));
      await writeFileAtomic(out, c.yaml);
      if (flags.json) {
        const { yaml: _yaml, ...rest } = c;
        ctx.stdout.write(JSON.stringify({ ...rest, out }, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n');
      } else {
        const rows: [string, string, string][] = [
          ['serviceTime', describeDistribution(c.old.serviceTime), describeDistribution(c.new.serviceTime)],
          ['latencyOffset', offset(c.old.latencyOffset), offset(c.new.latencyOffset)],
          ['usl', usl(c.old.usl), usl(c.new.usl)],
        ];
        const w0 = Math.max(...rows.map((r) => r[0].length));
        const w1 = Math.max(3, ...rows.map((r) => r[1].length));
        ctx.stdout.write(`calibrate ${modelPath} service ${c.service} (${c.nodes} node${c.nodes > 1 ? 's' : ''}) from ${file}\n`);
        ctx.stdout.write(`${''.padEnd(w0)}  ${'old'.padEnd(w1)}  new\n`);
        for (const r of rows) ctx.stdout.write(`${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2]}\n`);
        ctx.stdout.write(`fitted to the low-load steps at ${c.fittedTo.join(', ')}/s\n\n`);
        ctx.stdout.write('re-simulated with the calibrated model, steps at or below the knee (ms):\n');
        ctx.stdout.write('offered/s  measured p50  predicted p50  error  measured p99  predicted p99  error\n');
        for (const s of c.check.steps) {
          ctx.stdout.write(
            `${String(s.offeredRate).padStart(9)}  ${f(s.measured.p50).padStart(12)}  ${f(s.predicted.p50).padStart(13)}  ${pct(s.p50Error).padStart(5)}  ` +
              `${f(s.measured.p99).padStart(12)}  ${f(s.predicted.p99).padStart(13)}  ${pct(s.p99Error).padStart(5)}\n`,
          );
        }
        ctx.stdout.write(`worst error ${(c.check.worstAbsError * 100).toFixed(1)}% (tolerance ${(c.check.tolerance * 100).toFixed(0)}%): ${c.check.ok ? 'passes' : 'fails'}\n`);
        ctx.stdout.write(`wrote ${out}\n`);
      }
      if (!c.check.ok) {
        throw checkFailed(`the calibrated model misses a step below the knee by ${(c.check.worstAbsError * 100).toFixed(1)}% (tolerance ${(c.check.tolerance * 100).toFixed(0)}%)`);
      }
    });
}

const f = (s: number) => (Number.isFinite(s) ? (s * 1000).toFixed(2) : '–');
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)}%`;
const offset = (s: number | undefined) => (s === undefined ? '–' : `${(s * 1000).toPrecision(3)} ms`);
const usl = (u: { lambda: number; sigma: number; kappa: number } | undefined) =>
  u ? `lambda ${u.lambda.toPrecision(4)}/s sigma ${u.sigma.toPrecision(3)} kappa ${u.kappa.toPrecision(3)}` : '–';
