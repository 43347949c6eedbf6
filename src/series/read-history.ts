/**
 * One entry point for history files: JSON when the name ends in .json or the text starts with `[`, CSV otherwise.
 */
import { parseCsvText, type ReadOptions } from './read-csv.js';
import { parseJsonText } from './read-json.js';
import { readHistoryText } from './read-text.js';
import type { ReadResult } from './types.js';

/**
 * Read a history file (CSV or JSON) into a regular series, with a report of what was repaired.
 * @example
 * const { series, repairs } = await readHistory('scenarios/data/web-requests-hourly.csv');
 * series.stepMs; // => 3600000
 * @throws HeadroomError with a one-line `file:line: problem` message and exit code 2.
 */
export async function readHistory(path: string, options: ReadOptions & { cwd?: string; source?: string } = {}): Promise<ReadResult> {
  const source = options.source ?? path;
  const text = await readHistoryText(path, source, options.cwd);
  const json = /\.json$/i.test(path) || /^\uFEFF?\s*\[/.test(text);
  return json ? parseJsonText(text, source, options) : parseCsvText(text, source, options);
}
