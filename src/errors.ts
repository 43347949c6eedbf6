/**
 * The one error type of Headroom. Every failure the user can act on is a HeadroomError with a stable `code`
 * (tests check the code, not the wording) and the process exit code it maps to. Only `src/cli/run.ts`
 * prints errors and exits; library code throws.
 *
 * Exit codes: 0 success, 1 a check failed (an SLO not met, a prediction off), 2 bad input.
 */
export type ErrorCode =
  | 'INPUT_INVALID' // a malformed file, flag or value
  | 'CONFIG_INVALID' // a model or scenario file that does not match its schema
  | 'FILE_NOT_FOUND'
  | 'SERIES_INVALID' // history that cannot be repaired: unsorted, conflicting duplicates, non-numeric
  | 'SERIES_TOO_SHORT'
  | 'SERIES_GAP'
  | 'SIM_UNSTABLE' // offered load above capacity
  | 'SLO_NOT_MET'
  | 'CHECK_FAILED'
  | 'NETWORK' // unreachable server, refused connection
  | 'INTERNAL';

export class HeadroomError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: 0 | 1 | 2 | 3;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { exitCode?: 1 | 2 | 3; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HeadroomError';
    this.code = code;
    this.exitCode = options.exitCode ?? defaultExitCode(code);
    this.hint = options.hint;
  }
}

function defaultExitCode(code: ErrorCode): 1 | 2 | 3 {
  switch (code) {
    case 'SLO_NOT_MET':
    case 'CHECK_FAILED':
      return 1;
    case 'INTERNAL':
      return 3;
    default:
      return 2;
  }
}

/** Bad input from the user: exit code 2. `where` names the file (and line or field) the problem is in. */
export function inputError(where: string, message: string, code: ErrorCode = 'INPUT_INVALID'): HeadroomError {
  return new HeadroomError(code, where ? `${where}: ${message}` : message, { exitCode: 2 });
}

/** A check the user asked for did not pass: exit code 1. */
export function checkFailed(message: string, code: ErrorCode = 'CHECK_FAILED'): HeadroomError {
  return new HeadroomError(code, message, { exitCode: 1 });
}

export function isHeadroomError(e: unknown): e is HeadroomError {
  return e instanceof HeadroomError;
}
