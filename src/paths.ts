import { isAbsolute, relative } from 'node:path';

/**
 * A path as messages show it: relative to `cwd` when it lies below it, as given otherwise (and when already relative).
 * @example displayPath('/work/scenarios/a.yaml', '/work') // => 'scenarios/a.yaml'
 */
export function displayPath(path: string, cwd = process.cwd()): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(cwd, path);
  return rel.startsWith('..') ? path : rel;
}
