import { readFile } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { HeadroomError } from '../errors.js';
import { displayPath } from '../paths.js';
import { describeIssue, formatPath, type ConfigIssue } from './issues.js';

/**
 * Read a YAML configuration file, validate it against a strict zod schema and hand back a deeply frozen, typed object.
 * Every problem in the file is reported at once, one line each, as
 *   `scenarios/launch.yaml:14 stations[2].servers: expected a positive integer, got -1`
 * and the error is a HeadroomError with code CONFIG_INVALID (exit code 2).
 */
export async function loadYamlFile<S extends z.ZodType>(path: string, schema: S, options: { cwd?: string } = {}): Promise<z.output<S>> {
  const text = await readConfigText(path, displayPath(path, options.cwd));
  return parseYamlText(text, displayPath(path, options.cwd), schema);
}

/**
 * The text of a configuration file; one line naming it (`shown`, as the user wrote it) when it is missing
 * (FILE_NOT_FOUND) or cannot be read (INPUT_INVALID), both exit 2.
 */
export async function readConfigText(path: string, shown: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new HeadroomError('FILE_NOT_FOUND', `${shown}: file not found`);
    throw new HeadroomError('INPUT_INVALID', `${shown}: cannot read file (${err.code ?? err.message})`);
  }
}

/** As loadYamlFile, for text already in memory; `name` is the file name used in messages. */
export function parseYamlText<S extends z.ZodType>(text: string, name: string, schema: S): z.output<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((e) => {
      const line = e.linePos?.[0]?.line;
      const msg = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      return `${name}${line ? `:${line}` : ''}: invalid YAML: ${msg}`;
    });
    throw new HeadroomError('CONFIG_INVALID', lines.join('\n'));
  }
  const data: unknown = doc.toJS();
  const result = schema.safeParse(data ?? {}, { reportInput: true });
  if (!result.success) {
    const issues: ConfigIssue[] = result.error.issues.map((issue) => {
      const { path, message } = describeIssue(issue);
      return { path, message, line: lineOf(doc.contents, path, lineCounter) };
    });
    throw new HeadroomError('CONFIG_INVALID', formatIssues(name, issues));
  }
  return deepFreeze(result.data);
}

/** One line per issue: "file:line path: message". */
export function formatIssues(name: string, issues: readonly ConfigIssue[]): string {
  return issues
    .map((i) => `${name}${i.line ? `:${i.line}` : ''} ${i.path.length ? `${formatPath(i.path)}: ` : ''}${i.message}`)
    .join('\n');
}

/**
 * For checks made after parsing (on the compiled scenario): a function giving the line of a field path in `text`,
 * as the schema's issues are located (the deepest node on the path that exists, 1-based).
 */
export function yamlLineLocator(text: string): (path: ReadonlyArray<string | number>) => number | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  return (path) => lineOf(doc.contents, path, lineCounter);
}

/** The line of the deepest node on `path` that exists in the document (1-based). */
function lineOf(root: unknown, path: ReadonlyArray<string | number>, lc: LineCounter): number | undefined {
  let node = root as YamlNode | null | undefined;
  let found: YamlNode | undefined = node ?? undefined;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => {
        const k = p.key as { value?: unknown } | null;
        return k !== null && typeof k === 'object' && String(k.value) === String(key);
      });
      if (!pair) break;
      // Point at the key of a mapping entry (that is where the user looks), then descend into its value.
      found = (pair.key as YamlNode) ?? found;
      node = pair.value as YamlNode | null;
      if (node) found = node.range ? found : found;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key] as YamlNode | null;
      if (!node) break;
      found = node;
    } else break;
  }
  const offset = found?.range?.[0];
  return offset === undefined ? undefined : lc.linePos(offset).line;
}


export function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}
