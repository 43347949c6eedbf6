/**
 * History from CSV: a header row, a timestamp column and one or more numeric columns. Parsed with csv-parse
 * (RFC 4180 quoting, a byte-order mark, `#` comment lines and blank lines are accepted); the delimiter is a comma, a
 * semicolon or a tab, whichever the first line uses most. Text without any double quote — nearly every export of
 * numbers — takes a plain split instead, with the same result (a test checks both on every fixture) at about a
 * fifth of the time, which a 10,000-row history in a one-shot CLI process notices.
 */
import { createRequire } from 'node:module';
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

/**
 * Parse CSV text into a table with column names; a file without a header gets "timestamp", "value" (or value1…).
 * `engine` forces one parser (for tests); by default quote-free text is split directly and the rest goes to csv-parse.
 */
export function csvTable(text: string, source: string, engine?: 'csv-parse' | 'split'): Table {
  const delimiter = guessDelimiter(text);
  const records =
    (engine ?? (text.includes('"') ? 'csv-parse' : 'split')) === 'split' ? splitRecords(text, delimiter, source) : csvParseRecords(text, delimiter, source);
  return toTable(records, source);
}

type CsvRecord = { record: string[]; info: { lines: number } };

/**
 * csv-parse, loaded on first use: importing it costs a one-shot CLI process tens of milliseconds, and quote-free
 * files never need it. `require` keeps the reader synchronous (csv-parse ships a CommonJS build for this).
 */
let csvParse: typeof import('csv-parse/sync').parse | undefined;
function loadCsvParse(): typeof import('csv-parse/sync').parse {
  csvParse ??= (createRequire(import.meta.url)('csv-parse/sync') as typeof import('csv-parse/sync')).parse;
  return csvParse;
}

function csvParseRecords(text: string, delimiter: string, source: string): CsvRecord[] {
  let records: CsvRecord[];
  try {
    records = loadCsvParse()(text, {
      delimiter,
      bom: true,
      comment: '#',
      comment_no_infix: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as unknown as CsvRecord[];
  } catch (e) {
    const err = e as Error & { lines?: number; code?: string };
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
      throw new HeadroomError('INPUT_INVALID', `${source}:${openQuoteLine(text)}: malformed CSV: a quote opened on this line is never closed`);
    }
    const msg = err.message.replace(/\s+(?:on|at) line \d+$/, '');
    throw new HeadroomError('INPUT_INVALID', `${source}${err.lines ? `:${err.lines}` : ''}: malformed CSV: ${msg}`);
  }
  return records;
}

/** The line on which the quote that is still open at the end of the text was opened. */
function openQuoteLine(text: string): number {
  let line = 1;
  let openedAt = 1;
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 34) {
      inQuote = !inQuote; // an escaped quote ("") toggles twice
      if (inQuote) openedAt = line;
    }
  }
  return openedAt;
}

/** Quote-free CSV: lines split on the delimiter, cells trimmed; blank and `#` lines skipped, as csv-parse is told to. */
function splitRecords(text: string, delimiter: string, source: string): CsvRecord[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split('\n');
  const out: CsvRecord[] = [];
  let width = -1;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '' || line.startsWith('#')) continue;
    const record = line.split(delimiter).map((c) => c.trim());
    if (width < 0) width = record.length;
    else if (record.length !== width) {
      throw new HeadroomError('INPUT_INVALID', `${source}:${i + 1}: malformed CSV: Invalid Record Length: expect ${width}, got ${record.length}`);
    }
    out.push({ record, info: { lines: i + 1 } });
  }
  return out;
}

function toTable(records: CsvRecord[], source: string): Table {
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
