/**
 * History from CSV: a header row, a timestamp column and one or more numeric columns. Parsed with csv-parse
 * (RFC 4180 quoting, a byte-order mark, `#` comment lines and blank lines are accepted); the delimiter is a comma, a
 * semicolon or a tab, whichever the first line uses most.
 */
import { parse } from 'csv-parse/sync';
import { HeadroomError } from '../errors.js';
import { readHistoryText } from './read-text.js';
import { regularize, type RegularizeOptions } from './regularize.js';
import { rowsFromTable, type ColumnChoice, type Table } from './table.js';
import { parseTimestamp } from './timestamp.js';
import type { ReadResult } from './types.js';

/** Options of every history reader: which columns, and how strict the repair is. */
export type ReadOptions = ColumnChoice & Omit<RegularizeOptions, 'name' | 'source'>;

/**
 * Read a CSV history file into a regular series. `source` (default: `path`) names the file in messages.
 * @example
 * // history.csv:  timestamp,requests \n 2024-01-03T00:00:00Z,120 \n 2024-01-03T01:00:00Z,131 \n …
 * const { series, repairs } = await readCsvFile('history.csv');
 * @throws HeadroomError with a one-line message `file:line: problem` (exit code 2).
 */
export async function readCsvFile(path: string, options: ReadOptions & { cwd?: string; source?: string } = {}): Promise<ReadResult> {
  const source = options.source ?? path;
  return parseCsvText(await readHistoryText(path, source, options.cwd), source, options);
}

/** As readCsvFile, for CSV text already in memory; `source` names it in messages. */
export function parseCsvText(text: string, source: string, options: ReadOptions = {}): ReadResult {
  const table = csvTable(text, source);
  const { rows, name } = rowsFromTable(table, source, options);
  return regularize(rows, { ...options, name, source });
}

/** Parse CSV text into a table with column names; a file without a header gets "timestamp", "value" (or value1…). */
export function csvTable(text: string, source: string): Table {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      delimiter: guessDelimiter(text),
      bom: true,
      comment: '#',
      comment_no_infix: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (e) {
    const err = e as Error & { lines?: number };
    const msg = err.message.replace(/\s+(?:on|at) line \d+$/, '');
    throw new HeadroomError('INPUT_INVALID', `${source}${err.lines ? `:${err.lines}` : ''}: malformed CSV: ${msg}`);
  }
  const first = records[0];
  if (first === undefined) throw new HeadroomError('INPUT_INVALID', `${source}: the file is empty`);
  const c0 = first.record[0] ?? '';
  const headerless = parseTimestamp(c0).ok;
  const width = first.record.length;
  const columns = headerless
    ? ['timestamp', ...(width === 2 ? ['value'] : Array.from({ length: width - 1 }, (_, i) => `value${i + 1}`))]
    : first.record;
  const body = headerless ? records : records.slice(1);
  if (body.length === 0) throw new HeadroomError('INPUT_INVALID', `${source}: no data rows after the header`);
  return { columns, rows: body.map((r) => ({ line: r.info.lines, cells: r.record })) };
}

/** The delimiter the first non-comment line uses most: comma (default), semicolon or tab. */
function guessDelimiter(text: string): string {
  const lines = text.split(/\r?\n/, 20);
  const head = lines.find((l) => l.trim() !== '' && !l.trimStart().startsWith('#')) ?? '';
  let best = ',';
  let bestCount = count(head, ',');
  for (const d of [';', '\t']) {
    const c = count(head, d);
    if (c > bestCount) {
      best = d;
      bestCount = c;
    }
  }
  return best;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}
