/**
 * The `headroom` program. Only the command that runs is defined in full (its options, help and examples, from its own
 * file); the others are listed by name, usage and description from the table below, which is all the top-level help
 * and commander's "did you mean" need. So `headroom --help` loads no command file, and `headroom plan` loads one.
 * A test holds the table equal to what each command file defines.
 */
import { Command } from 'commander';
import type { CliContext } from './context.js';
import { VERSION } from '../version.js';
export { CommanderError } from 'commander';

/** Registers one command on the program (each command file exports one). */
export type Register = (program: Command, ctx: CliContext) => void;

/** A command as the top-level help lists it, and where its full definition lives. */
export interface CommandEntry {
  readonly name: string;
  /** The usage term of the top-level listing: name, `[options]`, arguments. */
  readonly term: string;
  readonly description: string;
  readonly load: () => Promise<Register>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'forecast', term: 'forecast [options] [history...]', description: 'Forecast demand from a usage history (CSV, JSON or Prometheus) with 80% and 95% prediction intervals', load: async () => (await import('./forecast.js')).registerForecast },
  { name: 'serve-demo', term: 'serve-demo [options]', description: 'Serve a demo HTTP service on 127.0.0.1 whose capacity follows from its configuration (a target for validate)', load: async () => (await import('./serve-demo.js')).registerServeDemo },
  { name: 'validate', term: 'validate [options] [scenario]', description: 'Load-test an endpoint (open-model rate steps, closed-loop concurrency sweep), find the knee, fit the USL, check a model', load: async () => (await import('./validate.js')).registerValidate },
  { name: 'calibrate', term: 'calibrate [options] <validation.json>', description: 'Fit a resource model to a validation run (service time from low-load latencies, USL from the sweep) and check it', load: async () => (await import('./calibrate.js')).registerCalibrate },
  { name: 'simulate', term: 'simulate [options] <scenario>', description: 'Simulate traffic against stations (queues, workers, failures, retries) with replicas on worker threads; means with 95% intervals', load: async () => (await import('./simulate.js')).registerSimulate },
  { name: 'plan', term: 'plan [options] <scenario>', description: 'Capacity plan: forecast demand, size each service per period under SLOs and redundancy, cost it, date when the current fleet breaks each rule', load: async () => (await import('./plan.js')).registerPlan },
  { name: 'report', term: 'report [options] <input>', description: 'Render the HTML report (and optionally a PDF) of a saved plan, validation or drill, without recomputing it', load: async () => (await import('./report.js')).registerReport },
  { name: 'sweep', term: 'sweep [options] <scenario>', description: 'Sweep assumptions of a plan: a grid of plans, a sensitivity ranking (tornado), a Monte-Carlo plan', load: async () => (await import('./sweep.js')).registerSweep },
  { name: 'worker', term: 'worker [options]', description: 'Run sweep jobs from a Redis queue (see headroom sweep --queue) on local threads, until stopped', load: async () => (await import('./worker.js')).registerWorker },
  { name: 'drill', term: 'drill [options] [drill]', description: "Failure drill: steady load on an endpoint, a fault injected and always rolled back, measured against the simulator's prediction", load: async () => (await import('./drill.js')).registerDrill },
];

/**
 * The command `argv` runs (its first word, or the word after `help`), if it names one; undefined for the top-level
 * help, the version, or an unknown word (which commander then reports with a suggestion).
 * @example commandNamed(['help', 'plan']) // => 'plan'
 */
export function commandNamed(argv: readonly string[]): string | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  const word = words[0] === 'help' ? words[1] : words[0];
  return COMMANDS.some((c) => c.name === word) ? word : undefined;
}

/**
 * Build the program for `argv`: the command it names in full, every other command listed by its table entry.
 * `only: 'all'` defines every command in full (for the test that holds the table to the command files).
 */
export async function buildProgram(ctx: CliContext, argv: readonly string[], only?: 'all'): Promise<Command> {
  const program = new Command();
  const output = {
    writeOut: (s: string) => void ctx.stdout.write(s),
    writeErr: (s: string) => void ctx.stderr.write(s),
    outputError: (s: string, write: (s: string) => void) => write(usageError(s)),
  };
  const terms = new Map([...COMMANDS.map((c) => [c.name, c.term] as const), ['help', 'help [command]'] as const]);
  program
    .name('headroom')
    .description('Capacity planning and load simulation: forecast demand, simulate the fleet, plan nodes and cost, validate endpoints.')
    .version(VERSION, '-V, --version')
    .configureOutput(output)
    // A command listed by its entry has no options or arguments defined: the listing takes its term from the table.
    .configureHelp({ subcommandTerm: (cmd) => terms.get(cmd.name()) ?? cmd.name() })
    .exitOverride();
  const named = commandNamed(argv);
  for (const entry of COMMANDS) {
    if (only === 'all' || entry.name === named) (await entry.load())(program, ctx);
    else program.command(entry.name).description(entry.description);
  }
  for (const cmd of program.commands) cmd.exitOverride().configureOutput(output);
  return program;
}

/**
 * A usage error from commander (an unknown option or command, a missing argument) as every other bad input is told:
 * one line, `headroom: ` first, with commander's suggestion and the way to the usage on the same line.
 * @example usageError("error: unknown command 'foreca'\n(Did you mean forecast?)\n")
 * // => "headroom: unknown command 'foreca'; did you mean forecast? (run with --help for usage)\n"
 */
export function usageError(text: string): string {
  const [first = '', ...rest] = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const more = rest.map((l) => l.replace(/^\((.*)\)$/, '$1')).map((l) => l.charAt(0).toLowerCase() + l.slice(1));
  return `headroom: ${[first.replace(/^error: /, ''), ...more].join('; ')} (run with --help for usage)\n`;
}
