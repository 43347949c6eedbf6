import type { Command } from 'commander';
import { parseDuration } from '../units.js';
import { flagError, optionalPositiveInteger } from './flags.js';
import type { CliContext } from './context.js';

/**
 * `headroom worker --queue redis://HOST:PORT [--concurrency N] [--stall-timeout 30s]`
 *
 * Take sweep jobs from a Redis queue and run them on this machine's threads until stopped (SIGINT or SIGTERM; a job in
 * progress is finished first). Start as many as you like, on as many machines.
 */
export function registerWorker(program: Command, ctx: CliContext, signals: { once(event: 'SIGINT' | 'SIGTERM', fn: () => void): unknown } = process): void {
  program
    .command('worker')
    .description('Run sweep jobs from a Redis queue (see headroom sweep --queue) on local threads, until stopped')
    .requiredOption('--queue <url>', 'the Redis queue, redis://HOST:PORT')
    .option('--concurrency <N>', 'jobs at once, each on its own thread (default 1)')
    .option('--stall-timeout <duration>', "how long a dead worker's job waits before another worker retries it (default 30s)")
    .addHelpText(
      'after',
      `
Example:
  $ headroom worker --queue redis://10.0.0.5:6379 --concurrency 2
Exit codes: 0 stopped by a signal; 2 bad flags, Redis unreachable, or a queue of another headroom version.`,
    )
    .action(async (opts: { queue: string; concurrency?: string; stallTimeout?: string }) => {
      const concurrency = optionalPositiveInteger('--concurrency', opts.concurrency) ?? 1;
      const stall = opts.stallTimeout === undefined ? 30 : parseDuration(opts.stallTimeout);
      if (stall === undefined || !(stall >= 0.1)) flagError('--stall-timeout', 'a duration of at least 100ms, such as 30s', opts.stallTimeout ?? '');
      const { startQueueWorker } = await import('../sweep/queue.js');
      const worker = await startQueueWorker(opts.queue, { concurrency, stallTimeoutMs: Math.round(stall * 1000), log: (s) => void ctx.stderr.write(s) });
      ctx.stderr.write(`headroom worker: taking sweep jobs from ${opts.queue} on ${concurrency} thread${concurrency === 1 ? '' : 's'}\n`);
      await new Promise<void>((resolve) => {
        signals.once('SIGINT', resolve);
        signals.once('SIGTERM', resolve);
      });
      await worker.close();
      ctx.stderr.write(`headroom worker: stopped after ${worker.processed()} jobs\n`);
    });
}
