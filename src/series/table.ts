/**
 * The part of reading history that CSV and JSON share: a table of named columns becomes timestamped values. Picks
 * the timestamp column and the value column, parses every cell, and names the line of the first bad one.
 */
import { HeadroomError } from '../errors.js';
import type { RawRows } from './regularize.js';
import { KIND_WORDS, parseTimestamp, type TimestampKind } from './timestamp.js';

/** Rows as a reader found them: cells are strings (CSV) or JSON values. */
export interface Table {
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<{ readonly line: number; readonly cells: readonly unknown[] }>;
}

export interface ColumnChoice {
  /** The value column. Default: the only numeric column. */
  readonly column?: string;
  /**
   * The timestamp column. Default: the first column named timestamp, time, date, datetime, ts or ds; else the first
   * whose name contains "time" or "date"; else the first whose first value reads as a timestamp; else the first.
   */
  readonly timestampColumn?: string;
}

/** Column names taken to hold timestamps, lower case. */
const TIME_NAMES = new Set(['timestamp', 'time', 'date', 'datetime', 'ts', 'ds', 'period', 'when']);
/** Cells that mean "no value here": a missing point, filled like a gap. */
const MISSING = new Set(['', 'nan', 'null', 'na', 'n/a', 'none', '-']);
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A cell as a number: NaN for a missing value, undefined when it is not a number. */
export function cellNumber(x: unknown): number | undefined {
  if (x === null || x === undefined) return NaN;
  // a JSON number too large for a double (1e400) arrives as Infinity: kept, so the reader names it as such
  if (typeof x === 'number') return Number.isNaN(x) ? undefined : x;
  if (typeof x !== 'string') return undefined;
  const s = x.trim();
  if (MISSING.has(s.toLowerCase())) return NaN;
  return NUMBER.test(s) ? Number(s) : undefined;
}

function findTimestampColumn(table: Table): number {
  const names = table.columns.map((c) => c.trim().toLowerCase());
  let i = names.findIndex((c) => TIME_NAMES.has(c));
  if (i >= 0) return i;
  i = names.findIndex((c) => c.includes('time') || c.includes('date'));
  if (i >= 0) return i;
  const first = table.rows[0]?.cells ?? [];
  i = first.findIndex((x) => (typeof x === 'string' || typeof x === 'number') && parseTimestamp(x).ok);
  return i >= 0 ? i : 0;
}

function showCell(x: unknown): string {
  if (typeof x === 'number' && !Number.isFinite(x)) return String(x);
  return typeof x === 'string' ? `"${x}"` : JSON.stringify(x) ?? String(x);
}

/**
 * Pick the columns and parse the rows of `table` read from `source`.
 * @throws HeadroomError INPUT_INVALID for an unknown column, no or several numeric columns, a bad timestamp, mixed
 *   timestamp formats; SERIES_INVALID for a value that is not a number.
 */
export function rowsFromTable(table: Table, source: string, choice: ColumnChoice = {}): { rows: RawRows; name: string } {
  const { columns } = table;
  const list = columns.join(', ');
  const index = (name: string): number => {
    const i = columns.indexOf(name);
    if (i < 0) throw new HeadroomError('INPUT_INVALID', `${source}: no column "${name}"; the columns are ${list}`);
    return i;
  };
  const ti = choice.timestampColumn !== undefined ? index(choice.timestampColumn) : findTimestampColumn(table);
  let vi: number;
  if (choice.column !== undefined) {
    vi = index(choice.column);
    if (vi === ti) throw new HeadroomError('INPUT_INVALID', `${source}: column "${choice.column}" holds the timestamps; choose a value column`);
  } else {
    const numeric: number[] = [];
    for (let c = 0; c < columns.length; c++) {
      if (c === ti) continue;
      let kind: 'number' | 'other' | 'empty' = 'empty';
      for (const r of table.rows) {
        const x = cellNumber(r.cells[c]);
        if (x === undefined) kind = 'other';
        else if (!Number.isNaN(x)) kind = 'number';
        else continue;
        break;
      }
      if (kind === 'number') numeric.push(c);
    }
    if (numeric.length === 0) throw new HeadroomError('INPUT_INVALID', `${source}: no numeric column; the columns are ${list}`);
    if (numeric.length > 1) {
      const names = numeric.map((c) => columns[c]).join(', ');
      throw new HeadroomError('INPUT_INVALID', `${source}: ${numeric.length} numeric columns (${names}); choose one with --column`);
    }
    vi = numeric[0]!;
  }
  const name = columns[vi]!;

  const n = table.rows.length;
  const t: number[] = new Array<number>(n);
  const v: number[] = new Array<number>(n);
  const line: number[] = new Array<number>(n);
  const text: string[] = new Array<string>(n);
  let kind: TimestampKind | undefined;
  let kindLine = 0;
  for (let i = 0; i < n; i++) {
    const r = table.rows[i]!;
    const at = `${source}:${r.line}`;
    const cell = r.cells[ti];
    if (cell === undefined || cell === null) throw new HeadroomError('INPUT_INVALID', `${at}: timestamp is missing`);
    if (typeof cell !== 'string' && typeof cell !== 'number') {
      throw new HeadroomError('INPUT_INVALID', `${at}: timestamp ${showCell(cell)} is not a string or a number`);
    }
    const p = parseTimestamp(cell);
    if (!p.ok) throw new HeadroomError('INPUT_INVALID', `${at}: ${p.problem}`);
    if (kind === undefined) {
      kind = p.kind;
      kindLine = r.line;
    } else if (p.kind !== kind) {
      throw new HeadroomError(
        'INPUT_INVALID',
        `${at}: timestamp ${String(cell).trim()} is ${KIND_WORDS[p.kind]}, but line ${kindLine} has ${KIND_WORDS[kind]}; use one format for every row`,
      );
    }
    const x = cellNumber(r.cells[vi]);
    if (x === undefined) throw new HeadroomError('SERIES_INVALID', `${at}: value ${showCell(r.cells[vi])} in column ${name} is not a number`);
    if (x === Infinity || x === -Infinity) {
      // 1e400 parses as Infinity, and one infinite value turns every fitted value and forecast point into NaN.
      throw new HeadroomError(
        'SERIES_INVALID',
        `${at}: value ${showCell(r.cells[vi])} in column ${name} is too large to compute with; values must be finite numbers within ±1.8e308`,
      );
    }
    t[i] = p.ms;
    v[i] = x;
    line[i] = r.line;
    text[i] = String(cell).trim();
  }
  return { rows: { t, v, line, text, kind: kind ?? 'datetime-zoned' }, name };
}
