import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { inputError } from '../errors.js';

/**
 * Check an `--out` path before any work is done, so a wrong path is a one-line bad-input error (exit 2) rather than a
 * file-system error after minutes of planning: a directory (`kind` 'dir') must not be an existing file, a file must
 * not be an existing directory, and no folder on the way may be an existing file.
 */
export function checkOutPath(flag: string, path: string, cwd: string, kind: 'dir' | 'file'): void {
  const abs = resolve(cwd, path);
  const here = statOf(abs);
  if (kind === 'dir' && here !== undefined && !here.isDirectory()) {
    throw inputError('', `${flag} ${path}: expected a directory (existing or new), got an existing file`);
  }
  if (kind === 'file' && here?.isDirectory()) {
    throw inputError('', `${flag} ${path}: expected a file path, got an existing directory`);
  }
  for (let d = dirname(abs); d !== dirname(d); d = dirname(d)) {
    const st = statOf(d);
    if (st === undefined) continue;
    if (!st.isDirectory()) throw inputError('', `${flag} ${path}: expected a path inside a directory, but ${d} is a file`);
    break;
  }
}

function statOf(p: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}
