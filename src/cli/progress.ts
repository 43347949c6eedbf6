import cliProgress from 'cli-progress';
import type { CliContext } from './context.js';

/** A progress reporter; library code takes one of these as an optional callback target and never draws itself. */
export interface Progress {
  start(total: number, label: string): void;
  update(done: number): void;
  stop(): void;
}

const silent: Progress = { start() {}, update() {}, stop() {} };

/**
 * A progress bar on stderr when it is a terminal and JSON output was not asked for; silent otherwise, so piped output
 * and `--json` stay clean.
 */
export function progressFor(ctx: CliContext, enabled = true): Progress {
  if (!ctx.isTTY || !enabled) return silent;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '{label} [{bar}] {percentage}% | {value}/{total} | {duration_formatted} elapsed, about {eta_formatted} left',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (total, label) => bar.start(total, 0, { label }),
    update: (done) => bar.update(done),
    stop: () => bar.stop(),
  };
}
