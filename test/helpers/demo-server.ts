import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface RunningDemo {
  readonly url: string;
  readonly banner: string;
  /** The nice value serve-demo's threads run at (TARGET_NICE), or 0 when raising their priority was not allowed. */
  readonly nice: number;
  stop(): Promise<void>;
}

/**
 * Start the real serve-demo in its own process (`headroom serve-demo --port 0 ...` under tsx), so the server's event
 * loop does not share a thread with the load generator in the test, as it would not in real use. Resolves with its
 * URL once it prints the banner; `stop()` sends SIGTERM and waits for the exit. The process also stops by itself
 * after `--duration` (120 s), so a crashed test cannot leave it running.
 *
 * Its threads get priority over the rest of the machine (TARGET_NICE), as a service on cores of its own would have:
 * these tests hold serve-demo to the capacity its configuration gives (workers / ms), which it delivers only while
 * its threads get their cores. On a CI machine with a CPU hog beside the suite (load average 6-8 on 2 cores), a
 * thread burning 5 ms was descheduled for several ms inside the burn and /cpu?ms=5 delivered 97-146/s instead of 200.
 * Without the privilege (not root) the threads keep the default priority, and `nice` says so.
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
    nice: raisePriority(child.pid!),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Nice value for the target's threads: CFS then gives each about 9 times the CPU share of a thread at 0. */
const TARGET_NICE = -10;

/**
 * Set every thread of process `pid` (Linux /proc/PID/task; a nice value is per thread there) to TARGET_NICE. Its
 * worker threads exist once serve-demo prints its banner. Returns the nice value set, or 0 when not allowed.
 */
function raisePriority(pid: number): number {
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) setPriority(Number(tid), TARGET_NICE);
    return TARGET_NICE;
  } catch {
    return 0;
  }
}
