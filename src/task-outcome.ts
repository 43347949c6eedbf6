import { HeadroomError, type ErrorCode } from './errors.js';

/**
 * A task's failure as plain data, to cross a thread (or queue) boundary: structured clone drops class identity, so a
 * HeadroomError thrown in a worker would arrive as a plain Error with its code gone. The worker returns this instead,
 * and the caller rebuilds the error with `errorFromFailure`. Used by the simulator's pool and the sweep's.
 */
export interface TaskFailure {
  readonly ok: false;
  readonly code: ErrorCode;
  readonly message: string;
  readonly stack: string | undefined;
}

/** What a task threw, as a TaskFailure: a HeadroomError keeps its code, anything else is INTERNAL with its stack. */
export function taskFailure(e: unknown): TaskFailure {
  const err = e as { code?: unknown; message?: unknown; stack?: unknown; name?: unknown };
  const isHeadroom = err !== null && typeof err === 'object' && err.name === 'HeadroomError' && typeof err.code === 'string';
  return {
    ok: false,
    code: isHeadroom ? (err.code as ErrorCode) : 'INTERNAL',
    message: typeof err?.message === 'string' ? err.message : String(e),
    stack: typeof err?.stack === 'string' ? err.stack : undefined,
  };
}

/**
 * The HeadroomError a TaskFailure was, on this side of the boundary. An internal error names the task (`what`, e.g.
 * "replica 3") and keeps the worker's stack as its cause.
 */
export function errorFromFailure(f: TaskFailure, what: string): HeadroomError {
  if (f.code === 'INTERNAL') {
    const cause = new Error(f.message);
    if (f.stack !== undefined) cause.stack = f.stack;
    return new HeadroomError('INTERNAL', `${what} failed: ${f.message}`, { cause });
  }
  return new HeadroomError(f.code, f.message);
}
