import { describe, expect, it } from 'vitest';
import { HeadroomError } from '../../src/errors.js';
import {
  integerFlag,
  nonNegativeIntegerFlag,
  optionalPositiveInteger,
  positiveIntegerFlag,
  positiveNumberFlag,
} from '../../src/cli/flags.js';
import { run } from '../../src/cli/main.js';
import { memoryContext } from '../../src/cli/context.js';

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(HeadroomError);
    expect((e as HeadroomError).exitCode).toBe(2);
    expect((e as HeadroomError).code).toBe('INPUT_INVALID');
    return (e as HeadroomError).message;
  }
  throw new Error('expected an error');
}

describe('numeric flags: one wording for every command', () => {
  it('reads decimal digits, with blanks and a leading +', () => {
    expect(positiveIntegerFlag('--horizon', '168')).toBe(168);
    expect(positiveIntegerFlag('--horizon', ' 7 ')).toBe(7);
    expect(positiveIntegerFlag('--horizon', '+3')).toBe(3);
    expect(nonNegativeIntegerFlag('--seed', '0')).toBe(0);
    expect(integerFlag('--port', '65535', { min: 0, max: 65535 })).toBe(65535);
    expect(optionalPositiveInteger('--replicas', undefined)).toBeUndefined();
    expect(positiveNumberFlag('--ceiling', '2.5e4')).toBe(25_000);
  });

  const refused: Array<[() => unknown, string]> = [
    [() => positiveIntegerFlag('--horizon', 'abc'), '--horizon: expected a positive integer, got "abc"'],
    [() => positiveIntegerFlag('--horizon', '0'), '--horizon: expected a positive integer, got "0"'],
    [() => positiveIntegerFlag('--horizon', '-1'), '--horizon: expected a positive integer, got "-1"'],
    [() => positiveIntegerFlag('--horizon', '1.5'), '--horizon: expected a positive integer, got "1.5"'],
    [() => positiveIntegerFlag('--horizon', '1e3'), '--horizon: expected a positive integer, got "1e3"'],
    [() => positiveIntegerFlag('--horizon', '0x10'), '--horizon: expected a positive integer, got "0x10"'],
    [() => positiveIntegerFlag('--horizon', ''), '--horizon: expected a positive integer, got ""'],
    [() => positiveIntegerFlag('--horizon', '9007199254740993'), '--horizon: expected a positive integer, got "9007199254740993"'],
    [() => nonNegativeIntegerFlag('--seed', '-1'), '--seed: expected a non-negative integer, got "-1"'],
    [() => integerFlag('--port', '70000', { min: 0, max: 65535 }), '--port: expected an integer from 0 to 65535, got "70000"'],
    [() => positiveNumberFlag('--ceiling', '-5'), '--ceiling: expected a positive number, got "-5"'],
    [() => positiveNumberFlag('--ceiling', 'Infinity'), '--ceiling: expected a positive number, got "Infinity"'],
    [() => positiveNumberFlag('--ceiling', ' '), '--ceiling: expected a positive number, got " "'],
  ];
  for (const [f, text] of refused) it(`refuses: ${text}`, () => expect(message(f)).toBe(text));

  it('serve-demo refuses a bad port with the same one line, exit 2', async () => {
    const ctx = memoryContext();
    expect(await run(['serve-demo', '--port', 'x'], ctx)).toBe(2);
    expect(ctx.err()).toBe('headroom: --port: expected an integer from 0 to 65535, got "x"\n');
    expect(ctx.out()).toBe('');
  });
});
