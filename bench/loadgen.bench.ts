/**
 * The load generator's own limits on this machine, against a trivial endpoint in a separate Node process:
 * - autocannon in closed loop (the generator ceiling `validate` measures and warns about);
 * - the open-model sender (undici) at fixed rates: achieved rate, how late its sends were against the schedule, the
 *   sender's own CPU per request and the trivial target's (its process, from /proc), and how busy the machine was.
 *   On a 2-core machine the generator and a local target share the cores: what the sender spends per request is
 *   capacity the target does not get.
 * Prints a markdown table. Figures depend on the machine and on what else runs on it.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { measureGeneratorCeiling } from '../src/validate/ceiling.js';
import { runOpenLoopStep } from '../src/validate/open-loop.js';

const TRIVIAL = `
const s = require('node:http').createServer((q, r) => { q.resume(); r.end('ok'); });
s.keepAliveTimeout = 30000;
s.listen(0, '127.0.0.1', () => process.stdout.write('port ' + s.address().port + '\\n'));
setTimeout(() => process.exit(0), 120000).unref();
`;

const child = spawn(process.execPath, ['-e', TRIVIAL], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<number>((resolve) => {
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /port (\d+)/.exec(out);
    if (m) resolve(Number(m[1]));
  });
});
/** CPU time the target process has used so far, milliseconds (Linux /proc: utime + stime in clock ticks of 10 ms). */
function targetCpuMs(): number {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

try {
  console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const ceiling = await measureGeneratorCeiling({ duration: 3 });
  console.log('');
  console.log('| generator | offered/s | achieved/s | send lag p50 | send lag p99 | p50 latency | p99 latency | dropped | stopped early | sender CPU ms/request | target CPU ms/request | machine busy |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  console.log(`| autocannon closed loop, ${ceiling.connections} connections | – | ${ceiling.requestsPerSecond.toFixed(0)} | – | – | – | – | – | – | – | – | – |`);
  const target = { url: new URL(`http://127.0.0.1:${port}/`), method: 'GET', headers: {}, body: undefined };
  for (const rate of [50, 200, 1000, 2000, 4000, 8000]) {
    const target0 = targetCpuMs();
    const r = await runOpenLoopStep({ target, rate, duration: 3, warmup: 0.5, arrivals: 'uniform', maxInFlight: 256 });
    const targetPerRequest = (targetCpuMs() - target0) / (rate * 3.5);
    const ms = (s: number) => `${(s * 1000).toFixed(2)} ms`;
    console.log(
      `| open model (undici), uniform | ${rate} | ${r.achievedRate.toFixed(0)} | ${ms(r.sendLagP50)} | ${ms(r.sendLagP99)} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.dropped} | ${r.aborted ?? 'no'} | ` +
        `${r.generatorCpuMsPerRequest?.toFixed(3)} | ${targetPerRequest.toFixed(3)} | ${((r.machineBusyShare ?? 0) * 100).toFixed(0)}% |`,
    );
  }
  console.log(`\nload average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
} finally {
  child.kill('SIGTERM');
}
