import type * as MathJs from 'mathjs';

let loaded: typeof MathJs | undefined;

/**
 * mathjs, imported on first use: loading it costs a few hundred milliseconds of start-up that commands without demand
 * expressions (and `headroom --version`) should not pay. Later calls return the same module.
 */
export async function loadMathjs(): Promise<typeof MathJs> {
  loaded ??= await import('mathjs');
  return loaded;
}
