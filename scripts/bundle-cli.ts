/**
 * The installed `headroom` command, built after `tsc` has built dist/ (the library, its types, and `dist/cli/main.js`,
 * the same CLI unbundled):
 *   - dist/bin/cli.cjs: the CLI (src/cli/run.ts) bundled by esbuild into one CommonJS file;
 *   - dist/bin/cli.cjs.v8cache: V8's code cache of that file, written after running the commands users start most;
 *   - dist/bin/headroom.js (package.json `bin`): the launcher that runs the one from the other (src/cli/launcher.ts).
 *
 * Why one CommonJS file: Node 20 caches compiled code only for scripts, not ES modules, and a forecast in a fresh
 * process spends most of its time running code for the first time. Commands stay lazy inside the file (esbuild wraps
 * each module in a function run on first import), so `--help` does not run a model's code. npm packages stay outside
 * (`require`d from node_modules when used) except commander, which every command parses its arguments with: bundled,
 * it is in the cache too. `npm run bench -- cli` measures the result against the unbundled CLI.
 *
 * Whitespace is minified (the file is read at every start); names are kept, so stack traces stay readable, and the
 * source map maps them back to src/.
 *
 * The bundle sits in dist/bin/, one folder below dist/ like every source folder, so a module that names a file of the
 * build relative to itself (worker-entry.ts: `../sim/worker.js`) finds it from the bundle as from dist/.
 * Run: `tsx scripts/bundle-cli.ts` (part of `npm run build`).
 */
import { build, type BuildOptions } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliContext } from '../src/cli/context.js';
import { BUNDLE_FILE, BUNDLE_HEADER, DYNAMIC_IMPORT, loadCli } from '../src/cli/launcher.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'dist/bin');
/** npm packages bundled into the CLI; every other dependency is loaded from node_modules when a command needs it. */
const BUNDLED = new Set(['commander']);
/** Placeholder of the bundle's content hash: as long as the hash, so that replacing it moves no source map column. */
const HASH_PLACEHOLDER = '0'.repeat(64);

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const external = Object.keys(pkg.dependencies).filter((d) => !BUNDLED.has(d));
const common: BuildOptions = {
  absWorkingDir: ROOT,
  outdir: OUT,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external,
  // a CommonJS file has no import.meta: its URL is the file's own, as an ES module's would be
  define: { 'import.meta.url': '__import_meta_url' },
  logLevel: 'warning',
};
const metaUrl = 'var __import_meta_url = require("node:url").pathToFileURL(__filename).href;';

// a build starts empty, so no cache of an earlier bundle is left behind
rmSync(OUT, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { cli: 'src/cli/run.ts' },
  outExtension: { '.js': '.cjs' },
  banner: { js: `${BUNDLE_HEADER}${HASH_PLACEHOLDER}\n${metaUrl}` },
  minifyWhitespace: true,
  sourcemap: true,
});
const bundlePath = join(OUT, BUNDLE_FILE);
const text = readFileSync(bundlePath, 'utf8');
const rest = servedImports(text.slice(text.indexOf('\n') + 1));
writeFileSync(bundlePath, `${BUNDLE_HEADER}${createHash('sha256').update(rest).digest('hex')}\n${rest}`);

/**
 * A script loaded from a code cache cannot `import()` on Node 20 (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING): the
 * bundle's imports of npm packages that are ES modules only (vega, playwright-core...) call the importer the launcher
 * passes in (`DYNAMIC_IMPORT`, as long as `import`, so that no source map column moves). Any other `import(` fails the
 * build, rather than the command that would run it.
 */
function servedImports(code: string): string {
  const served = code.replace(/\bimport\("([^"]+)"\)/g, (_, id: string) => {
    const name = id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0]!;
    if (!external.includes(name)) throw new Error(`bundle-cli: import("${id}") in the bundle is not of an npm package left outside it`);
    return `${DYNAMIC_IMPORT}("${id}")`;
  });
  const left = /\bimport\(/.exec(served);
  if (left !== null) throw new Error(`bundle-cli: an import( the launcher cannot serve: ${served.slice(left.index - 40, left.index + 40)}`);
  return served;
}

await build({ ...common, entryPoints: { headroom: 'src/cli/bin.ts' }, banner: { js: `#!/usr/bin/env node\n${metaUrl}` } });
// runnable as ./dist/bin/headroom.js too (npm makes its bin links executable itself)
chmodSync(join(OUT, 'headroom.js'), 0o755);
// dist/ is ES modules (package.json "type": "module"); the files of dist/bin/ are CommonJS
writeFileSync(join(OUT, 'package.json'), '{ "type": "commonjs" }\n');

/**
 * The code cache: the commands users start most, run in this process on the bundled example data (their output
 * discarded), then every function they ran is written to the cache as bytecode. A command outside this list still
 * starts from the cache for the code it shares with these (commander, the readers, the models).
 */
const TRAINING: readonly (readonly string[])[] = [
  ['--help'],
  ['forecast', 'scenarios/data/web-requests-hourly.csv', '--horizon', '168'],
  ['plan', 'scenarios/example.yaml', '--no-sim'],
];
const quiet = { write: () => true };
const ctx: CliContext = { stdout: quiet, stderr: quiet, cwd: ROOT, env: {}, now: () => new Date(), isTTY: false };
const cli = loadCli(OUT);
for (const argv of TRAINING) {
  const code = await cli.run(argv, ctx);
  if (code !== 0) throw new Error(`bundle-cli: training the code cache, headroom ${argv.join(' ')} exited ${code}`);
}
cli.writeCache();
