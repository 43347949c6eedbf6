import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { inputError } from '../errors.js';
import { parseFraction } from '../units.js';
import { nonNegativeIntegerFlag } from './flags.js';

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
      const { runCalibrate } = await import('./calibrate-run.js');
      await runCalibrate(file, flags, { tolerance, seed }, ctx);
    });
}
