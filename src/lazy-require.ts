import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A CommonJS dependency loaded on first use instead of at import. The load-test libraries (autocannon ~140 ms,
 * undici ~95 ms, hdr-histogram-js and ml-levenberg-marquardt ~50 ms each) sit behind the public API that every command
 * imports, so loading them eagerly made `headroom --version` and `headroom forecast` pay for `validate`.
 * @example
 * const undici = lazyRequire<typeof import('undici')>('undici');
 * new (undici().Pool)(origin); // undici is loaded here, once
 */
export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
