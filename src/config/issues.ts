import type { z } from 'zod';

/** One problem in a configuration file, located by field path and (when known) line. */
export interface ConfigIssue {
  readonly path: ReadonlyArray<string | number>;
  readonly line: number | undefined;
  readonly message: string;
}

/** "stations[2].servers" from ["stations", 2, "servers"]. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

/** A value as a message shows it: strings quoted (cut at 40 characters), lists and mappings by their shape. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return typeof v;
}

/**
 * Turn a zod issue into "expected …, got …" text. Schemas may set their own message with `{ error: 'a duration such
 * as 250ms' }`; such a message is used as the "expected" part.
 */
export function describeIssue(issue: z.core.$ZodIssue): { path: Array<string | number>; message: string } {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  let input = (issue as { input?: unknown }).input;
  // A discriminated union reports the whole mapping as input with the discriminator key on the path: show its value.
  const last = path[path.length - 1];
  if (issue.code === 'invalid_union' && typeof last === 'string' && input !== null && typeof input === 'object' && !Array.isArray(input)) {
    input = (input as Record<string, unknown>)[last];
  }
  const got = `got ${describeValue(input)}`;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const keys = issue.keys;
      return {
        path: [...path, ...(keys.length === 1 ? [keys[0]!] : [])],
        message: keys.length === 1 ? 'unknown field' : `unknown fields ${keys.join(', ')}`,
      };
    }
    case 'invalid_type':
      if (input === undefined) return { path, message: `missing; expected ${customOr(issue, issue.expected)}` };
      return { path, message: `expected ${customOr(issue, issue.expected)}, ${got}` };
    case 'invalid_value':
      return { path, message: `expected ${customOr(issue, `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`)}, ${got}` };
    case 'too_small': {
      const bound = issue.origin === 'array' ? `at least ${String(issue.minimum)} entries` : `${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}`;
      return { path, message: `expected ${customOr(issue, issue.origin === 'array' ? bound : `a number ${bound}`)}, ${got}` };
    }
    case 'too_big': {
      const bound = issue.origin === 'array' ? `at most ${String(issue.maximum)} entries` : `${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}`;
      return { path, message: `expected ${customOr(issue, issue.origin === 'array' ? bound : `a number ${bound}`)}, ${got}` };
    }
    case 'invalid_format':
      return { path, message: `expected ${customOr(issue, issue.format)}, ${got}` };
    case 'not_multiple_of':
      return { path, message: `expected ${customOr(issue, `a multiple of ${String(issue.divisor)}`)}, ${got}` };
    case 'custom':
      return { path, message: `expected ${issue.message}, ${got}` };
    case 'invalid_union':
      return { path, message: `expected ${customOr(issue, 'one of the documented forms')}, ${got}` };
    default:
      return { path, message: `${issue.message}, ${got}` };
  }
}

/** Zod's built-in messages start with "Invalid" or "Too"; anything else was written by us in the schema. */
function customOr(issue: z.core.$ZodIssue, fallback: string): string {
  const m = issue.message;
  if (!m || /^(Invalid|Too (small|big)|Expected|Unrecognized|Required)/.test(m)) {
    if (issue.code === 'invalid_type' && fallback === 'int') return 'an integer';
    return fallback;
  }
  return m;
}
