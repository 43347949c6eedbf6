/**
 * Everything a command needs from the outside world, injected so that commands run in-process in tests with
 * stdout, stderr, the clock and the environment under the test's control (as k6's GlobalState does).
 */
export interface Output {
  write(chunk: string): unknown;
}

export interface CliContext {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Wall-clock now; commands read the time only through this. */
  readonly now: () => Date;
  /** True when stderr is a terminal: progress bars are drawn only then. */
  readonly isTTY: boolean;
}

export function processContext(): CliContext {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
    now: () => new Date(),
    isTTY: Boolean(process.stderr.isTTY),
  };
}

/** A context that records what a command printed; for tests. */
export function memoryContext(overrides: Partial<CliContext> = {}): CliContext & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    cwd: process.cwd(),
    env: {},
    now: () => new Date('2026-01-01T00:00:00Z'),
    isTTY: false,
    ...overrides,
    out: () => out,
    err: () => err,
  };
}
