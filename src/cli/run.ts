import { HeadroomError } from '../errors.js';
import { type CliContext, processContext } from './context.js';
import { VERSION } from '../version.js';

/**
 * Run the CLI with `argv` (without the node and script names) and return the exit code. This is the one place that
 * turns errors into messages and exit codes: 0 ok, 1 a check failed, 2 bad input, 3 an internal error.
 */
export async function run(argv: readonly string[], ctx: CliContext = processContext()): Promise<number> {
  try {
    // Imported here, so that `headroom --version` (below) does not load commander and the command definitions.
    const { buildProgram } = await import('./program.js');
    const program = await buildProgram(ctx, argv);
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    const { CommanderError } = await import('./program.js');
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

/**
 * The `headroom` process: run `argv` against the real stdout, stderr and environment and set the process's exit code.
 * Both ways of starting the CLI end here: the installed command (launcher.ts, the bundle) and `node dist/cli/main.js`.
 */
export async function main(argv: readonly string[]): Promise<void> {
  // A reader that stops early (`headroom forecast ... | head`) closes the pipe: that is not an error of ours.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    // What commander prints for these, without loading it: a tenth of a bare node's start-up.
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  process.exitCode = await run(argv);
}
