/**
 * Numeric command-line flags, checked one way for every command: a bad value is a one-line InputError (exit 2)
 * `--horizon: expected a positive integer, got "abc"`, naming the flag, what it expects and the text it got.
 * Free of dependencies, so that defining a command's options stays cheap at start-up.
 */
import { inputError } from '../errors.js';

/** Digits only, an optional leading `+` and surrounding blanks: `7`, ` 7 `, `+7`. No sign, point or exponent. */
const DIGITS = /^\s*\+?\d+\s*$/;

function expected(flag: string, what: string, text: string): never {
  throw inputError(flag, `expected ${what}, got "${text}"`);
}

/**
 * A whole number of at least `min` (and at most `max`) written in decimal digits; `1.5`, `1e3`, `-1`, `0x10` and ``
 * are refused, as are numbers beyond 2^53 that a double cannot hold exactly.
 * @example integerFlag('--port', '8080', { min: 0, max: 65535 }) // => 8080
 */
export function integerFlag(flag: string, text: string, range: { readonly min: number; readonly max?: number }): number {
  const n = DIGITS.test(text) ? Number(text) : NaN;
  const ok = Number.isSafeInteger(n) && n >= range.min && (range.max === undefined || n <= range.max);
  if (ok) return n;
  const what =
    range.max !== undefined
      ? `an integer from ${range.min} to ${range.max}`
      : range.min === 1
        ? 'a positive integer'
        : range.min === 0
          ? 'a non-negative integer'
          : `an integer of at least ${range.min}`;
  return expected(flag, what, text);
}

/**
 * An integer of at least 1 (a count: horizon, replicas, workers).
 * @example positiveIntegerFlag('--horizon', '168') // => 168
 */
export function positiveIntegerFlag(flag: string, text: string): number {
  return integerFlag(flag, text, { min: 1 });
}

/**
 * An integer of at least 0 (a seed).
 * @example nonNegativeIntegerFlag('--seed', '0') // => 0
 */
export function nonNegativeIntegerFlag(flag: string, text: string): number {
  return integerFlag(flag, text, { min: 0 });
}

/** `positiveIntegerFlag` for a flag that may be absent. */
export function optionalPositiveInteger(flag: string, text: string | undefined): number | undefined {
  return text === undefined ? undefined : positiveIntegerFlag(flag, text);
}

/** `nonNegativeIntegerFlag` for a flag that may be absent. */
export function optionalNonNegativeInteger(flag: string, text: string | undefined): number | undefined {
  return text === undefined ? undefined : nonNegativeIntegerFlag(flag, text);
}

/**
 * A finite number above 0 in any form `Number` reads (`2.5`, `1e6`); blanks, `Infinity` and `NaN` are refused.
 * @example positiveNumberFlag('--ceiling', '2.5e4') // => 25000
 */
export function positiveNumberFlag(flag: string, text: string): number {
  const n = text.trim() === '' ? NaN : Number(text);
  if (Number.isFinite(n) && n > 0) return n;
  return expected(flag, 'a positive number', text);
}

/**
 * The error for any other flag whose value does not parse, in the same wording:
 * `flagError('--season', 'periods of at least 2 steps', 'x')` reads `--season: expected periods of at least 2 steps, got "x"`.
 */
export function flagError(flag: string, what: string, text: string): never {
  return expected(flag, what, text);
}
