/**
 * Reading a history file's text, with the errors a user can act on: the file is missing, is a directory, is empty.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { HeadroomError } from '../errors.js';

/**
 * The text of `path` (resolved against `cwd`); `source` is the name used in messages (the path as the user typed it).
 * @throws HeadroomError FILE_NOT_FOUND, or INPUT_INVALID for a directory, an unreadable file or an empty file.
 */
export async function readHistoryText(path: string, source: string, cwd?: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(cwd === undefined ? path : resolve(cwd, path), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new HeadroomError('FILE_NOT_FOUND', `${source}: file not found`);
    if (code === 'EISDIR') throw new HeadroomError('INPUT_INVALID', `${source}: is a directory, expected a CSV or JSON file`);
    throw new HeadroomError('INPUT_INVALID', `${source}: cannot read file (${code ?? (e as Error).message})`);
  }
  if (text.trim() === '') throw new HeadroomError('INPUT_INVALID', `${source}: the file is empty`);
  return text;
}
