import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * The file a worker-thread pool starts, beside the calling module: `<name>.ts` when the caller runs as TypeScript
 * (under tsx or vitest), `<name>.js` after the build. Worker threads do not inherit vitest's transform, so a `.ts`
 * worker is started with tsx's loader (`--import <tsx>`, resolved from this package so the working directory does not
 * matter); the built `.js` worker needs nothing and inherits the process's execArgv. The one place that makes this
 * choice, for the simulator's pool and the sweep's.
 * @example new Piscina({ ...workerEntry(import.meta.url, 'worker'), maxThreads: 2 })
 */
export function workerEntry(callerUrl: string, name: string): { filename: string; execArgv?: string[] } {
  const isTs = callerUrl.endsWith('.ts');
  const filename = new URL(`./${name}${isTs ? '.ts' : '.js'}`, callerUrl).href;
  if (!isTs) return { filename };
  return { filename, execArgv: ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] };
}
