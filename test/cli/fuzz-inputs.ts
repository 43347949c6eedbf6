/**
 * Seeded random inputs for the CLI's property test (test/cli/no-internal-errors.test.ts): mutations of the bundled
 * scenario files and random flag values, drawn from `createRng` so a failing case reproduces from its index.
 */
import { parse, stringify } from 'yaml';
import type { Rng } from '../../src/rng.js';

/** Values that break a field in each way a user can: sign, zero, size, non-numbers, empty, wrong type, bad units. */
export const ODD_VALUES: readonly unknown[] = [
  -1, 0, 1, 0.5, 1e308, -1e308, 1e300, 1e-300, 2 ** 53 + 1, 'NaN', 'Infinity', '-Infinity', '1e999', '', ' ', 'abc', null, true, false,
  [], {}, [1, 2], { x: 1 }, '-5%', '0%', '100000%', '1e300%', '1e300/s', 'NaN/s', '-1/s', '0/s', '0ms', '-1ms', '1e300ms',
  '99999999h', '1e15', 1e15, '2026-13-45', '2026-02-30', '9999-12-31', '0000-01-01', 'p0', 'p100', 'p101', 'p95.5', 'auto',
  'exponential', 'x * 1e308', 'users / 0', 'log(-1)', 'sqrt(-1)', '0/0', 'users ^ 1e6', '__proto__', 'constructor',
];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.nextInt(xs.length)] as T;

/** Every path (keys and indices) to a node of `doc`, the root excluded. */
function paths(doc: Json, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  if (Array.isArray(doc)) doc.forEach((v, i) => out.push([...at, i], ...paths(v, [...at, i])));
  else if (doc !== null && typeof doc === 'object') for (const [k, v] of Object.entries(doc)) out.push([...at, k], ...paths(v, [...at, k]));
  return out;
}

function parentOf(doc: Json, path: readonly (string | number)[]): Json {
  let node = doc;
  for (const k of path.slice(0, -1)) node = (node as Record<string | number, Json>)[k] as Json;
  return node;
}

/** One mutation of `doc` in place: a node replaced by an odd value, a number scaled, a node deleted or duplicated, or an unknown key added. */
export function mutate(doc: Json, rng: Rng): string {
  const all = paths(doc);
  if (all.length === 0) return 'empty';
  const path = pick(rng, all);
  const parent = parentOf(doc, path) as Record<string | number, Json>;
  const key = path[path.length - 1] as string | number;
  const op = rng.nextInt(14);
  const value = parent[key];
  if (op >= 10) {
    // A plausible change: a number (or the number of "12ms", "35%", "50/s") scaled up or down, units kept.
    const factor = pick(rng, [0, 0.001, 0.5, 2, 10, 1000, 1e6]);
    if (typeof value === 'number') parent[key] = value * factor;
    else if (typeof value === 'string' && /^-?\d+(\.\d+)?[a-z%/]*$/i.test(value)) {
      const m = /^(-?\d+(?:\.\d+)?)(.*)$/.exec(value)!;
      parent[key] = `${Number(m[1]) * factor}${m[2]}`;
    } else return 'unchanged';
    return `${path.join('.')} = ${JSON.stringify(parent[key])}`;
  }
  if (op < 6) {
    parent[key] = structuredClone(pick(rng, ODD_VALUES)) as Json;
    return `${path.join('.')} = ${JSON.stringify(parent[key])}`;
  }
  if (op < 8) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
    return `delete ${path.join('.')}`;
  }
  if (op < 9 && Array.isArray(parent)) {
    parent.push(structuredClone(parent[key as number]) as Json);
    return `duplicate ${path.join('.')}`;
  }
  if (!Array.isArray(parent)) {
    parent[`unknown${rng.nextInt(10)}`] = 1;
    return `unknown key under ${path.slice(0, -1).join('.')}`;
  }
  parent[key] = structuredClone(pick(rng, ODD_VALUES)) as Json;
  return `${path.join('.')} = ${JSON.stringify(parent[key])}`;
}

/** `text` (YAML) with 1 to 3 mutations; returns the new text and what was changed. */
export function mutateYaml(text: string, rng: Rng): { yaml: string; changes: string[] } {
  const doc = parse(text) as Json;
  const changes: string[] = [];
  const n = rng.next() < 0.6 ? 1 : 2 + rng.nextInt(2);
  for (let i = 0; i < n; i++) changes.push(mutate(doc, rng));
  return { yaml: stringify(doc), changes };
}

/** Random values for a flag: mostly odd, sometimes sound. */
export function flagValue(rng: Rng, sound: readonly string[]): string {
  const odd = ['0', '-1', '1e3', 'abc', '', 'NaN', 'Infinity', '1.5', '99999999999999999999', '1e300', '-0'];
  return rng.next() < 0.5 ? pick(rng, sound) : pick(rng, odd);
}
