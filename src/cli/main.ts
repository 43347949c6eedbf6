#!/usr/bin/env node
/**
 * The CLI as tsc builds it (`node dist/cli/main.js`), one module per file. The installed `headroom` command is the same
 * CLI bundled (launcher.ts); tests run both and compare what they print.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { main } from './run.js';

export { run } from './run.js';

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) await main(process.argv.slice(2));
