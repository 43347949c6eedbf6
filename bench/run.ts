/**
 * Runs every benchmark in bench/ (files named *.bench.ts), one child process each so that one benchmark's heap and JIT
 * state do not colour the next, and prints the machine they ran on. `npm run bench -- sim` runs only files whose name
 * contains "sim"; arguments after it go to each benchmark (`npm run bench -- forecast-accuracy -- --half=tuning`).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
// what follows the filter goes to each benchmark (`npm run bench -- forecast-accuracy -- --half=tuning`)
const flags = process.argv.slice(3).filter((a) => a !== '--');
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort();

const cpu = cpus();
console.log(
  `machine: ${cpu.length} x ${cpu[0]?.model ?? 'unknown cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
    `${platform()} ${release()}, node ${process.version}`,
);
let failed = 0;
for (const f of files) {
  console.log(`\n## ${f}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, f), ...flags], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
if (files.length === 0) console.log(`no benchmark matches "${filter}"`);
process.exitCode = failed > 0 ? 1 : 0;
