import { HeadroomError } from '../../src/errors.js';

/** The HeadroomError `f` throws, for tests that assert its code and exact message; any other outcome fails the test. */
export function errorOf(f: () => unknown): HeadroomError {
  try {
    f();
  } catch (e) {
    if (e instanceof HeadroomError) return e;
    throw e;
  }
  throw new Error('expected a HeadroomError');
}
