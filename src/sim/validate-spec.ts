/**
 * Checks a SimSpec that did not come through the scenario loader (library callers, and every replica before it
 * runs): the rules are specProblems' (spec-problems.ts, the one rule set the loader uses too); this edge reports
 * every problem in one HeadroomError (code CONFIG_INVALID, exit 2) whose message names each field path, e.g.
 * `invalid simulation spec: stations[0].nodes: expected a positive integer, got 0`.
 */
import { HeadroomError } from '../errors.js';
import { specProblems, type SpecProblem } from './spec-problems.js';
import type { SimSpec } from './types.js';

/** A value as a message shows it: strings quoted, lists and objects by their shape, undefined as "nothing". */
const show = (x: unknown): string => (typeof x === 'string' ? JSON.stringify(x) : x === undefined ? 'nothing' : Array.isArray(x) ? 'a list' : typeof x === 'object' && x !== null ? 'an object' : String(x));

/** "stations[0].usl.sigma" from ["stations", 0, "usl", "sigma"]. */
function formatSpecPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out === '' ? k : `.${k}`;
  return out;
}

/** `path: expected …, got …` for one problem. */
export function describeSpecProblem(p: SpecProblem): string {
  return `${formatSpecPath(p.path)}: expected ${p.expected}, got ${show(p.got)}`;
}

/** Throw a HeadroomError listing every problem of `spec`; return quietly when it is consistent. */
export function validateSpec(spec: SimSpec): void {
  const problems = specProblems(spec);
  if (problems.length > 0) throw new HeadroomError('CONFIG_INVALID', `invalid simulation spec: ${problems.map(describeSpecProblem).join('; ')}`, { exitCode: 2 });
}
