/**
 * The `headroom` program: every command registered with its options, help and examples. Each command file imports at
 * start-up only what its definition needs; the command's work is imported inside its action.
 */
import { Command } from 'commander';
import type { CliContext } from './context.js';
import { VERSION } from '../version.js';
export { CommanderError } from 'commander';
// One import and one register call per command (each command file holds only argument handling and printing):
import { registerForecast } from './forecast.js';
import { registerServeDemo } from './serve-demo.js';
import { registerValidate } from './validate.js';
import { registerCalibrate } from './calibrate.js';
import { registerSimulate } from './simulate.js';
import { registerPlan } from './plan.js';
import { registerReport } from './report.js';
import { registerSweep } from './sweep.js';
import { registerWorker } from './worker.js';
import { registerDrill } from './drill.js';

/** Build the program with every command registered against `ctx`. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command();
  program
    .name('headroom')
    .description('Capacity planning and load simulation: forecast demand, simulate the fleet, plan nodes and cost, validate endpoints.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => void ctx.stdout.write(s),
      writeErr: (s) => void ctx.stderr.write(s),
    })
    .exitOverride();
  // commands:
  registerForecast(program, ctx);
  registerServeDemo(program, ctx);
  registerValidate(program, ctx);
  registerCalibrate(program, ctx);
  registerSimulate(program, ctx);
  registerPlan(program, ctx);
  registerReport(program, ctx);
  registerSweep(program, ctx);
  registerWorker(program, ctx);
  registerDrill(program, ctx);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({
    writeOut: (s) => void ctx.stdout.write(s),
    writeErr: (s) => void ctx.stderr.write(s),
  });
  return program;
}
