import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomUUID } from 'node:crypto';

/**
 * Write a file atomically: the data goes to a temporary file in the same directory, which is then renamed over the
 * target. A crash or an error part-way leaves either the old file or none, never a half-written one.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.tmp-${process.pid}-${randomUUID().slice(0, 8)}`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Write several files so that either all of them appear or none do: each is written to a temporary name first, and
 * the renames happen only once every write has succeeded.
 */
export async function writeFilesAtomic(files: ReadonlyArray<{ path: string; data: string | Uint8Array }>): Promise<void> {
  const staged: Array<{ tmp: string; path: string }> = [];
  try {
    for (const f of files) {
      const dir = dirname(f.path);
      await mkdir(dir, { recursive: true });
      const tmp = join(dir, `.${basename(f.path)}.tmp-${process.pid}-${randomUUID().slice(0, 8)}`);
      staged.push({ tmp, path: f.path });
      await writeFile(tmp, f.data);
    }
    for (const s of staged) await rename(s.tmp, s.path);
  } catch (e) {
    await Promise.all(staged.map((s) => rm(s.tmp, { force: true })));
    throw e;
  }
}
