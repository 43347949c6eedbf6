import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * The file a worker-thread pool starts: `path` is relative to the source root (`sim/worker`), resolved from the
 * calling module one folder below that root (`src/sim/runner.ts`, `dist/sim/runner.js`, or a chunk of the bundled CLI
 * in `dist/bin/`; every caller sits one folder deep, so `../<path>` lands on the same file from each). `<path>.ts` when
 * the caller runs as TypeScript (under tsx or vitest), `<path>.js` after the build. Worker threads do not inherit
 * vitest's transform, so a `.ts` worker is started with tsx's loader (`--import <tsx>`, resolved from this package so
 * the working directory does not matter); the built `.js` worker needs nothing and inherits the process's execArgv.
 * The one place that makes this choice, for the simulator's pool and the sweep's.
 * @example new Piscina({ ...workerEntry(import.meta.url, 'sim/worker'), maxThreads: 2 })
 */
export function workerEntry(callerUrl: string, path: string): { filename: string; execArgv?: string[] } {
  const isTs = callerUrl.endsWith('.ts');
  const filename = new URL(`../${path}${isTs ? '.ts' : '.js'}`, callerUrl).href;
  if (!isTs) return { filename };
  return { filename, execArgv: ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] };
}
