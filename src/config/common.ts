import { z } from 'zod';
import { parseDuration, parseFraction, parseRate } from '../units.js';

/**
 * Field schemas shared by the model, scenario and validation files. Each parses the human form ("250ms", "1200/s",
 * "1%") into the internal unit (seconds, per second, fraction) and names the expected form when it fails.
 */

const durationText = 'a duration such as 250ms, 2s or 1h';

/** A non-negative duration in seconds; "250ms", "2s", "1h" or a number of seconds. */
export const duration = z.union([z.number(), z.string()], { error: durationText }).transform((x, ctx) => {
  const s = parseDuration(x);
  if (s === undefined || s < 0) {
    ctx.addIssue({ code: 'custom', message: durationText, input: x });
    return z.NEVER;
  }
  return s;
});

/** A duration in seconds that must be > 0. */
export const positiveDuration = z.union([z.number(), z.string()], { error: 'a positive duration such as 250ms or 2s' }).transform((x, ctx) => {
  const s = parseDuration(x);
  if (s === undefined || !(s > 0)) {
    ctx.addIssue({ code: 'custom', message: 'a positive duration such as 250ms or 2s', input: x });
    return z.NEVER;
  }
  return s;
});

/** A rate in requests per second that must be >= 0; "1200/s", "50/min" or a number per second. */
export const rate = z.union([z.number(), z.string()], { error: 'a rate such as 1200/s or 50/min' }).transform((x, ctx) => {
  const r = parseRate(x);
  if (r === undefined || r < 0) {
    ctx.addIssue({ code: 'custom', message: 'a non-negative rate such as 1200/s or 50/min', input: x });
    return z.NEVER;
  }
  return r;
});

/** A fraction in [0, 1]: "1%", "0.5%" or a number. */
export const fraction = z.union([z.number(), z.string()], { error: 'a fraction such as 1% or 0.01' }).transform((x, ctx) => {
  const f = parseFraction(x);
  if (f === undefined || f < 0 || f > 1) {
    ctx.addIssue({ code: 'custom', message: 'a fraction between 0% and 100%', input: x });
    return z.NEVER;
  }
  return f;
});

export const positiveInt = z
  .number({ error: 'a positive integer' })
  .int({ error: 'a positive integer' })
  .positive({ error: 'a positive integer' });

export const nonNegativeInt = z
  .number({ error: 'a non-negative integer' })
  .int({ error: 'a non-negative integer' })
  .nonnegative({ error: 'a non-negative integer' });

export const positiveNumber = z.number({ error: 'a positive number' }).positive({ error: 'a positive number' });
export const nonNegativeNumber = z.number({ error: 'a non-negative number' }).nonnegative({ error: 'a non-negative number' });

/** A name other fields refer to: letters, digits, `_` and `-`, starting with a letter (usable in mathjs expressions when it has no `-`). */
export const identifier = z
  .string({ error: 'a name of letters, digits, _ and -' })
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, { error: 'a name of letters, digits, _ and -, starting with a letter' });

/** An http: or https: URL, or undefined for anything else (a bad URL, another scheme). */
export function httpUrl(text: string): URL | undefined {
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
  } catch {
    return undefined;
  }
}
