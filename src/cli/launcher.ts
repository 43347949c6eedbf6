/**
 * What the installed `headroom` command (package.json `bin`: dist/bin/headroom.js, built from bin.ts by
 * scripts/bundle-cli.ts) starts with. It runs the CLI bundled into one CommonJS file beside it (`cli.cjs`) from V8's
 * code cache of that file (`cli.cjs.v8cache`), which the build writes after running the commands users start most (a
 * forecast, a plan, the help).
 *
 * Why: a process starts with a cold JIT, and a forecast spends most of its time running code for the first time. From
 * the cache, V8 neither parses nor compiles to bytecode the functions the build already ran: the 1,000-point hourly
 * forecast of `npm run bench -- cli` takes ~180 ms instead of ~215 ms as ES modules, which Node 20 cannot cache.
 *
 * The cache holds bytecode only, and V8 checks it against its own version and flags: another Node, or a V8 flag in
 * NODE_OPTIONS, rejects it and the bundle compiles as usual, only slower. It is paired with the bundle it was made
 * from by the bundle's first line (`//headroom-cli <sha256 of the rest>`), which starts the cache file too: V8's own
 * check compares source lengths only, and a cache from another bundle of the same length would run stale code.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import type { CliContext } from './context.js';

/** The bundle's exports (run.ts). */
interface CliBundle {
  run(argv: readonly string[], ctx?: CliContext): Promise<number>;
  main(argv: readonly string[]): Promise<void>;
}

export interface LoadedCli extends CliBundle {
  /** What became of the code cache: used, refused by V8 (another Node, other flags), or absent or not its own. */
  readonly cache: 'accepted' | 'rejected' | 'absent';
  /** Write the code cache of the bundle as it is now: every function run so far is in it (the build does this). */
  writeCache(): void;
}

/** The bundle's first line: `//headroom-cli ` and the hex SHA-256 of the rest of the file. */
export const BUNDLE_HEADER = '//headroom-cli ';
export const BUNDLE_FILE = 'cli.cjs';
export const CACHE_FILE = 'cli.cjs.v8cache';
/** What the bundle calls in place of `import(`: as long as it, so that no column of the source map moves. */
export const DYNAMIC_IMPORT = 'impEsm';

/** Load the CLI bundle of `dir` (the launcher's own folder by default), from its code cache when V8 accepts it. */
export function loadCli(dir: string = fileURLToPath(new URL('.', import.meta.url))): LoadedCli {
  const file = join(dir, BUNDLE_FILE);
  const source = readFileSync(file, 'utf8');
  const header = source.slice(0, source.indexOf('\n') + 1);
  const tag = Buffer.from(header);
  let cachedData: Buffer | undefined;
  try {
    const data = readFileSync(join(dir, CACHE_FILE));
    if (header.startsWith(BUNDLE_HEADER) && data.subarray(0, tag.length).equals(tag)) cachedData = data.subarray(tag.length);
  } catch {
    // no cache (a build without it, or removed): compile as usual
  }
  // CommonJS's own wrapper, so that the bundle sees the require, module and __filename it would under `require`, and
  // the importer its import() calls were given (bundle-cli.ts): a script from a code cache has no import() of its own
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, ${DYNAMIC_IMPORT}) {${source}\n})`, {
    filename: file,
    ...(cachedData !== undefined ? { cachedData } : {}),
  });
  const module = { exports: {} as CliBundle };
  const body = script.runInThisContext() as (e: object, r: NodeJS.Require, m: object, f: string, d: string, i: (id: string) => Promise<unknown>) => void;
  body(module.exports, createRequire(file), module, file, dir, (id) => import(id));
  const { run, main } = module.exports;
  return {
    run,
    main,
    cache: cachedData === undefined ? 'absent' : script.cachedDataRejected === true ? 'rejected' : 'accepted',
    writeCache: () => writeFileSync(join(dir, CACHE_FILE), Buffer.concat([tag, script.createCachedData()])),
  };
}
