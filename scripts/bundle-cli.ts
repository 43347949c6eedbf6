/**
 * The installed `headroom` command (`dist/bin/headroom.js`, package.json `bin`): the CLI bundled by esbuild from
 * src/cli/main.ts, after `tsc` has built dist/ (the library, its types, and `dist/cli/main.js`, the same CLI unbundled).
 *
 * Why a bundle: Node's ES module loader reads, resolves and links each module in its own round trip, and a forecast
 * goes through some 90 of them; in one file per command (code splitting keeps `--version` and `--help` from loading a
 * command, each command from loading another's) a 1,000-point forecast starts about 15 ms sooner (`npm run bench --
 * cli` prints both). npm packages stay outside the bundle (`packages: 'external'`) and load as they do from dist/:
 * they are resolved from node_modules at run time, as tsc's output does.
 *
 * The chunks sit in dist/bin/, one folder below dist/ like every source folder, so a module that names a file of the
 * build relative to itself (worker-entry.ts: `../sim/worker.js`) finds it from a chunk as from dist/.
 * Run: `tsx scripts/bundle-cli.ts` (part of `npm run build`).
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = `${ROOT}dist/bin`;

// old chunks carry content hashes in their names: start empty so none is left behind
rmSync(OUT, { recursive: true, force: true });
await build({
  absWorkingDir: ROOT,
  entryPoints: { headroom: 'src/cli/main.ts' },
  outdir: OUT,
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
