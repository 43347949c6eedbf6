import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface RunningDemo {
  readonly url: string;
  readonly banner: string;
  stop(): Promise<void>;
}

/**
 * Start the real serve-demo in its own process (`headroom serve-demo --port 0 ...` under tsx), so the server's event
 * loop does not share a thread with the load generator in the test, as it would not in real use. Resolves with its
 * URL once it prints the banner; `stop()` sends SIGTERM and waits for the exit. The process also stops by itself
 * after `--duration` (120 s), so a crashed test cannot leave it running.
 */
export async function startDemo(args: readonly string[] = []): Promise<RunningDemo> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve-demo', '--port', '0', '--duration', '120', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve-demo did not start within 30 s: ${err}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m && out.includes('/health')) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve-demo exited with ${code}: ${err}`));
    });
  });
  return {
    url,
    banner: out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
