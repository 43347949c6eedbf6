/**
 * History from JSON: an array of objects such as `{"timestamp": "2024-01-03T00:00:00Z", "value": 120}`. Timestamps
 * are ISO 8601 text or epoch seconds/milliseconds; the value key is chosen as CSV columns are (the only numeric key,
 * or `column`). Messages name the line each element starts on.
 */
import { HeadroomError } from '../errors.js';
import type { ReadOptions } from './read-csv.js';
import { readHistoryText } from './read-text.js';
import { regularize } from './regularize.js';
import { rowsFromTable, type Table } from './table.js';
import type { ReadResult } from './types.js';

/** Read a JSON history file into a regular series. `source` (default: `path`) names the file in messages. */
export async function readJsonFile(path: string, options: ReadOptions & { cwd?: string; source?: string } = {}): Promise<ReadResult> {
  const source = options.source ?? path;
  return parseJsonText(await readHistoryText(path, source, options.cwd), source, options);
}

/** As readJsonFile, for JSON text already in memory. */
export function parseJsonText(text: string, source: string, options: ReadOptions = {}): ReadResult {
  const table = jsonTable(text, source);
  const { rows, name } = rowsFromTable(table, source, options);
  return regularize(rows, { ...options, name, source });
}

const EXAMPLE = '{"timestamp": "2024-01-03T00:00:00Z", "value": 120}';

/** Parse JSON text into a table: the columns are the keys of the first element, in order. */
export function jsonTable(text: string, source: string): Table {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /at position (\d+)/.exec(msg);
    const line = pos ? lineAt(text, Number(pos[1])) : 0;
    const clean = msg.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*" is not valid JSON$/s, '');
    throw new HeadroomError('INPUT_INVALID', `${source}${line ? `:${line}` : ''}: invalid JSON: ${clean}`);
  }
  if (!Array.isArray(data)) {
    throw new HeadroomError('INPUT_INVALID', `${source}: expected an array of objects such as ${EXAMPLE}, got ${kindOf(data)}`);
  }
  if (data.length === 0) throw new HeadroomError('INPUT_INVALID', `${source}: the array is empty`);
  const lines = elementLines(text, data.length);
  const firstEl: unknown = data[0];
  if (!isObject(firstEl)) {
    throw new HeadroomError('INPUT_INVALID', `${source}:${lines[0]}: element [0]: expected an object such as ${EXAMPLE}, got ${kindOf(firstEl)}`);
  }
  const columns = Object.keys(firstEl);
  const rows = data.map((el: unknown, i) => {
    if (!isObject(el)) {
      throw new HeadroomError('INPUT_INVALID', `${source}:${lines[i]}: element [${i}]: expected an object such as ${EXAMPLE}, got ${kindOf(el)}`);
    }
    return { line: lines[i]!, cells: columns.map((c) => el[c]) };
  });
  return { columns, rows };
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function kindOf(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return 'an object';
  return JSON.stringify(x);
}

/** 1-based line of character offset `pos`. */
function lineAt(text: string, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The line on which each element of the top-level array starts (the text is known to be valid JSON). */
function elementLines(text: string, count: number): number[] {
  const out: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectValue = false;
  for (let i = 0; i < text.length && out.length < count; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') continue;
    if (depth === 1 && expectValue && c !== ']') {
      out.push(line);
      expectValue = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1) expectValue = true;
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expectValue = true;
  }
  while (out.length < count) out.push(line);
  return out;
}
