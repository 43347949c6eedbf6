#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { HeadroomError } from '../errors.js';
import { type CliContext, processContext } from './context.js';
import { VERSION } from '../version.js';
// One import and one register call per command (each command file holds only argument handling and printing):
import { registerForecast } from './forecast.js';
import { registerServeDemo } from './serve-demo.js';
import { registerValidate } from './validate.js';
import { registerCalibrate } from './calibrate.js';
import { registerSimulate } from './simulate.js';
import { registerPlan } from './plan.js';
// Failure drills (a separate block: the command owns its signal handlers while a fault is applied).
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
  registerDrill(program, ctx);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({
    writeOut: (s) => void ctx.stdout.write(s),
    writeErr: (s) => void ctx.stderr.write(s),
  });
  return program;
}

/**
 * Run the CLI with `argv` (without the node and script names) and return the exit code. This is the one place that
 * turns errors into messages and exit codes: 0 ok, 1 a check failed, 2 bad input, 3 an internal error.
 */
export async function run(argv: readonly string[], ctx: CliContext = processContext()): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version end with exitCode 0; usage errors (commander already printed the message) are bad input.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof HeadroomError) {
      ctx.stderr.write(`headroom: ${e.message}\n`);
      if (e.hint) ctx.stderr.write(`hint: ${e.hint}\n`);
      return e.exitCode;
    }
    const err = e as NodeJS.ErrnoException;
    ctx.stderr.write(`headroom: internal error: ${err?.stack ?? String(e)}\n`);
    return 3;
  }
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  // A reader that stops early (`headroom forecast ... | head`) closes the pipe: that is not an error of ours.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  const code = await run(process.argv.slice(2));
  process.exitCode = code;
}
