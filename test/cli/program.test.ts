import { Help } from 'commander';
import { describe, expect, it } from 'vitest';
import { memoryContext } from '../../src/cli/context.js';
import { buildProgram, commandNamed, COMMANDS } from '../../src/cli/program.js';

/**
 * The top-level help lists commands from a table, so that `headroom --help` loads no command file. The table must say
 * what each command file defines: the same names in the same order, usage terms and descriptions.
 */
describe('the command table', () => {
  it('matches every command as its own file defines it', async () => {
    const program = await buildProgram(memoryContext(), [], 'all');
    const help = new Help();
    const defined = program.commands.map((c) => ({ name: c.name(), term: help.subcommandTerm(c), description: c.description() }));
    expect(defined).toEqual(COMMANDS.map((c) => ({ name: c.name, term: c.term, description: c.description })));
  });

  it('defines in full only the command that runs', async () => {
    const program = await buildProgram(memoryContext(), ['plan', 'x.yaml', '--no-sim']);
    const options = (name: string) => program.commands.find((c) => c.name() === name)!.options.length;
    expect(options('plan')).toBeGreaterThan(5);
    expect(options('forecast')).toBe(0);
  });

  it('finds the command in the words, after help, and not in an unknown word', () => {
    expect(commandNamed(['plan', 'x.yaml'])).toBe('plan');
    expect(commandNamed(['--json', 'simulate'])).toBe('simulate');
    expect(commandNamed(['help', 'drill'])).toBe('drill');
    expect(commandNamed(['--help'])).toBeUndefined();
    expect(commandNamed(['plna'])).toBeUndefined();
  });
});

describe('usage errors (commander)', () => {
  it('are one line each, like every other bad input, with exit 2', async () => {
    const { run } = await import('../../src/cli/main.js');
    const cases: Array<[string[], string]> = [
      [['forecast', '--foo'], "headroom: unknown option '--foo' (run with --help for usage)\n"],
      [['foreca'], "headroom: unknown command 'foreca'; did you mean forecast? (run with --help for usage)\n"],
      [['plan'], "headroom: missing required argument 'scenario' (run with --help for usage)\n"],
      [['forecast', 'x.csv', '--horizon'], "headroom: option '--horizon <N>' argument missing (run with --help for usage)\n"],
    ];
    for (const [argv, message] of cases) {
      const ctx = memoryContext();
      expect(await run(argv, ctx)).toBe(2);
      expect(ctx.err()).toBe(message);
      expect(ctx.out()).toBe('');
    }
  });
});
