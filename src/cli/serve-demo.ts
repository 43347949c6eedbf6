import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { integerFlag } from './flags.js';

/** Commander's parser for an integer option in [min, max]; a bad value is the one-line InputError of every flag. */
function intOption(name: string, min: number, max: number) {
  return (raw: string): number => integerFlag(name, raw, { min, max });
}

/** `headroom serve-demo`: the bundled target service with a known capacity (src/demo/server.ts). */
export function registerServeDemo(program: Command, ctx: CliContext): void {
  program
    .command('serve-demo')
    .description('Serve a demo HTTP service on 127.0.0.1 whose capacity follows from its configuration (a target for validate)')
    .option('--port <port>', 'TCP port (0 picks a free one)', intOption('--port', 0, 65535), 8080)
    .option('--workers <n>', 'CPU worker threads behind one FIFO queue', intOption('--workers', 1, 256), 1)
    .option('--io-pool <n>', 'slots of the slow-I/O pool used by /io', intOption('--io-pool', 1, 10000), 4)
    .option('--seed <n>', 'seed of the /mix endpoint choices', intOption('--seed', 0, 2 ** 31), 1)
    .option('--fault-control', 'answer POST/DELETE /_fault from this machine (worker threads down, slowdown, error share, pause) for headroom drill')
    .option('--duration <seconds>', 'stop after this many seconds (default: run until interrupted)', intOption('--duration', 1, 86400))
    .addHelpText(
      'after',
      `
Example:
  $ headroom serve-demo --port 8080 --workers 1
  $ headroom validate --url 'http://127.0.0.1:8080/cpu?ms=5' --model models/serve-demo.yaml`,
    )
    .action(async (opts: { port: number; workers: number; ioPool: number; seed: number; duration?: number; faultControl?: boolean }) => {
      const [{ startDemoServer }, { formatDemoBanner }] = await Promise.all([import('../demo/server.js'), import('../demo/banner.js')]);
      const server = await startDemoServer({
        port: opts.port,
        workers: opts.workers,
        ioPool: opts.ioPool,
        seed: opts.seed,
        faultControl: opts.faultControl === true,
      });
      ctx.stdout.write(formatDemoBanner(server));
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          if (timer) clearTimeout(timer);
          resolve();
        };
        const timer = opts.duration !== undefined ? setTimeout(stop, opts.duration * 1000) : undefined;
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await server.close();
      ctx.stdout.write('serve-demo stopped\n');
    });
}
