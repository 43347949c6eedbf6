import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { runClosedLoop } from './closed-loop.js';

/** The trivial endpoint: answers every request at once with two bytes. Plain JS, run with `node -e`. */
const TRIVIAL_SERVER = `
const http = require('node:http');
const s = http.createServer((q, r) => { q.resume(); r.end('ok'); });
s.keepAliveTimeout = 30000;
s.listen(0, '127.0.0.1', () => process.stdout.write('port ' + s.address().port + '\\n'));
setTimeout(() => process.exit(0), 60000).unref();
process.on('SIGTERM', () => process.exit(0));
`;

export interface GeneratorCeiling {
  /** 2xx responses/s that autocannon reached in closed loop against the trivial endpoint, on this machine. */
  readonly requestsPerSecond: number;
  readonly connections: number;
  readonly duration: number;
  readonly cores: number;
}

/**
 * The load generator's own ceiling on this machine: autocannon in closed loop (`connections` connections) against a
 * trivial endpoint in a separate Node process on 127.0.0.1, for `duration` seconds. Above a fraction of this rate the
 * numbers measure the generator, not the target. The trivial server shares the machine, so the figure is what one
 * generator process reaches against one Node server process here (a lower bound of the generator alone).
 */
export async function measureGeneratorCeiling(options: { duration?: number; connections?: number } = {}): Promise<GeneratorCeiling> {
  const duration = options.duration ?? 2;
  const connections = options.connections ?? 32;
  const child = spawn(process.execPath, ['-e', TRIVIAL_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /port (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`the trivial endpoint for the ceiling exited with ${code}`)));
    });
    const p = await runClosedLoop({
      target: { url: new URL(`http://127.0.0.1:${port}/`), method: 'GET', headers: {}, body: undefined },
      connections,
      duration,
      warmup: 0.5,
    });
    return { requestsPerSecond: p.throughput, connections, duration, cores: availableParallelism() };
  } finally {
    if (child.exitCode === null) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await gone;
    }
  }
}

/** A host that is this machine: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/**
 * Warnings about the generator's limits: a step offering more than `nearFraction` (default 50%) of the measured
 * ceiling, and a loopback target (generator and target then share this machine's cores, so each slows the other).
 */
export function generatorWarnings(
  rates: readonly number[],
  ceiling: GeneratorCeiling | null,
  targetHost: string,
  nearFraction = 0.5,
): string[] {
  const out: string[] = [];
  if (ceiling) {
    for (const r of rates) {
      if (r > nearFraction * ceiling.requestsPerSecond) {
        out.push(
          `the step at ${r}/s is ${((r / ceiling.requestsPerSecond) * 100).toFixed(0)}% of the generator's ceiling (${ceiling.requestsPerSecond.toFixed(0)}/s on this machine): its figures may measure the generator`,
        );
      }
    }
  }
  if (isLoopbackHost(targetHost)) {
    out.push(
      `the target is on this machine: generator and target share its ${availableParallelism()} cores, so each can slow the other`,
    );
  }
  return out;
}
