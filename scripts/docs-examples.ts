/**
 * Regenerate the command examples of README.md and docs/*.md from real runs, or check that they still match.
 *
 *   npx tsx scripts/docs-examples.ts            # build, rerun the deterministic examples, rewrite the blocks
 *   npx tsx scripts/docs-examples.ts --check    # the same runs, but only report the blocks that differ (exit 1)
 *   npx tsx scripts/docs-examples.ts --all      # also the examples that need a Prometheus or are not reproducible
 *   options: --no-build (use dist/ as it is), --file docs/tour-plan.md (only that file)
 *
 * An example is a fenced block preceded by one or more marker comments, one per command:
 *
 *   <!-- example: forecast scenarios/data/example-users.csv --horizon 180 || grep ^  (model|growth) -->
 *   ```
 *   $ headroom forecast scenarios/data/example-users.csv --horizon 180
 *     model    …
 *   ```
 *
 * The text after `example:` is shell text run as `node dist/bin/headroom.js TEXT 2>&1` from the repository root (so stdout
 * and stderr keep their order; the exit code is not shown). The block becomes `$ headroom TEXT` and the output, through
 * the filters after `||`, in order:
 *   grep RE      keep the lines matching the JavaScript regular expression RE
 *   lines SPEC   keep lines by number, 1-based: `1-15,17,...,24,30-` (`...` stands for an elided line, printed as
 *                `...` at the indentation of the next kept line, or of the previous one at the end)
 *   cut N        cut lines longer than N characters, ending them with `...`
 *   noprompt     leave out the `$ headroom …` line
 * The kind after `example` says when the example is rerun:
 *   example:             deterministic and quick: rerun by default and checked by test/docs/examples.test.ts
 *   example slow:        deterministic but too slow for the test (a plan with simulation): rerun by default
 *   example prometheus:  reads the demo Prometheus (scripts/prometheus-demo.sh, started here on port 9091): --all
 *   example live:        not reproducible (timings, load tests): --all
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

export type ExampleKind = 'quick' | 'slow' | 'prometheus' | 'live';

export interface ExampleCommand {
  /** Shell text after `headroom`. */
  readonly args: string;
  readonly filters: readonly string[];
}

export interface Example {
  /** Path relative to the repository root. */
  readonly file: string;
  /** 1-based line of the first marker. */
  readonly line: number;
  readonly kind: ExampleKind;
  readonly commands: readonly ExampleCommand[];
  /** 0-based indices of the opening and closing fence lines. */
  readonly open: number;
  readonly close: number;
  /** The block's content as the file has it now. */
  readonly shown: string;
}

const MARKER = /^<!-- example(?: (slow|prometheus|live))?: (.*) -->\s*$/;

/** The markdown files that carry examples: README.md and docs/*.md. */
export function docFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

/**
 * The examples of one markdown file.
 * @throws Error naming file and line for a marker that is not followed by a fenced block.
 */
export function findExamples(file: string, text: string): Example[] {
  const lines = text.split('\n');
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!MARKER.test(lines[i]!)) continue;
    const first = i;
    const commands: ExampleCommand[] = [];
    let kind: ExampleKind = 'quick';
    for (; i < lines.length; i++) {
      const m = MARKER.exec(lines[i]!);
      if (!m) break;
      const k = (m[1] ?? 'quick') as ExampleKind;
      if (commands.length > 0 && k !== kind) throw new Error(`${file}:${i + 1}: the markers of one block must be of one kind (${kind}, then ${k})`);
      kind = k;
      const [args, ...filters] = m[2]!.split(' || ');
      commands.push({ args: args!.trim(), filters: filters.map((f) => f.trim()) });
    }
    if (!lines[i]?.startsWith('```')) throw new Error(`${file}:${i + 1}: an example marker must stand right before a fenced block`);
    const open = i;
    let close = open + 1;
    while (close < lines.length && lines[close] !== '```') close++;
    if (close >= lines.length) throw new Error(`${file}:${open + 1}: the fenced block is not closed`);
    out.push({ file, line: first + 1, kind, commands, open, close, shown: lines.slice(open + 1, close).join('\n') });
    i = close;
  }
  return out;
}

function parseLineSpec(spec: string, n: number): Array<number | '...'> {
  const out: Array<number | '...'> = [];
  for (const part of spec.split(',').map((s) => s.trim())) {
    if (part === '...') {
      out.push('...');
      continue;
    }
    const m = /^(\d+)(?:-(\d*))?$/.exec(part);
    if (!m) throw new Error(`lines: cannot read "${part}" (expected N, A-B, A- or ...)`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : m[2] === '' ? n : Number(m[2]);
    for (let k = a; k <= Math.min(b, n); k++) out.push(k);
  }
  return out;
}

const indentOf = (s: string | undefined): string => /^\s*/.exec(s ?? '')![0];

/** Apply one filter (see the header) to the output lines. */
export function applyFilter(lines: readonly string[], filter: string): string[] {
  const [name, ...rest] = filter.split(' ');
  const arg = rest.join(' ');
  switch (name) {
    case 'grep': {
      const re = new RegExp(arg);
      return lines.filter((l) => re.test(l));
    }
    case 'lines': {
      const picked = parseLineSpec(arg, lines.length).map((k) => (k === '...' ? undefined : lines[k - 1]!));
      return picked.map((l, j) => {
        if (l !== undefined) return l;
        const next = picked.slice(j + 1).find((x) => x !== undefined);
        const prev = picked
          .slice(0, j)
          .reverse()
          .find((x) => x !== undefined);
        return `${indentOf(next ?? prev)}...`;
      });
    }
    case 'cut': {
      const n = Number(arg);
      return lines.map((l) => (l.length > n ? `${l.slice(0, n)}...` : l));
    }
    case 'noprompt':
      return [...lines];
    default:
      throw new Error(`unknown filter "${filter}" (expected grep, lines, cut or noprompt)`);
  }
}

/** Run `headroom ARGS` (the installed command, dist/bin/headroom.js) at the repository root; stdout and stderr together, in order. */
export function runHeadroom(args: string): string {
  const r = spawnSync('bash', ['-c', `node dist/bin/headroom.js ${args} 2>&1`], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 600_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  if (r.error) throw r.error;
  return r.stdout;
}

/** runHeadroom without blocking: for running several examples at once. */
export function runHeadroomAsync(args: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `node dist/bin/headroom.js ${args} 2>&1`], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
}

/**
 * The output of every distinct command of `examples`, run `parallel` at a time (each command once, however many
 * examples show it).
 */
export async function runAll(
  examples: readonly Pick<Example, 'commands'>[],
  parallel = 2,
  onDone: (args: string, seconds: number) => void = () => {},
): Promise<Map<string, string>> {
  const todo = [...new Set(examples.flatMap((e) => e.commands.map((c) => c.args)))];
  const out = new Map<string, string>();
  const worker = async (): Promise<void> => {
    for (let args = todo.shift(); args !== undefined; args = todo.shift()) {
      const t0 = performance.now();
      out.set(args, await runHeadroomAsync(args));
      onDone(args, (performance.now() - t0) / 1000);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return out;
}

/** The block content an example should have: per command the prompt line and the filtered output. */
export function renderExample(ex: Pick<Example, 'commands'>, run: (args: string) => string = runHeadroom): string {
  const out: string[] = [];
  for (const c of ex.commands) {
    let lines = run(c.args).replace(/\n$/, '').split('\n');
    for (const f of c.filters) lines = applyFilter(lines, f);
    if (!c.filters.includes('noprompt')) out.push(`$ headroom ${c.args}`);
    out.push(...lines.map((l) => l.replace(/\s+$/, '')));
  }
  return out.join('\n');
}

/** A short line diff: the first lines that differ, with their line numbers in the markdown file. */
export function describeDiff(ex: Example, actual: string): string {
  const shown = ex.shown.split('\n');
  const now = actual.split('\n');
  const rows: string[] = [];
  for (let k = 0; k < Math.max(shown.length, now.length) && rows.length < 12; k++) {
    if (shown[k] === now[k]) continue;
    const at = `${ex.file}:${ex.open + 2 + k}`;
    if (shown[k] !== undefined) rows.push(`  ${at} docs: ${shown[k]}`);
    if (now[k] !== undefined) rows.push(`  ${at.replace(/./g, ' ')} now:  ${now[k]}`);
  }
  return rows.join('\n');
}

// ───────────────────────────── the demo Prometheus ─────────────────────────────

async function startPrometheus(): Promise<ChildProcess> {
  const child = spawn('bash', ['scripts/prometheus-demo.sh'], { cwd: ROOT, env: { ...process.env, PORT: '9091' }, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  for (let k = 0; k < 120; k++) {
    await new Promise((r) => setTimeout(r, 500));
    if (child.exitCode !== null) throw new Error(`scripts/prometheus-demo.sh exited with ${child.exitCode}`);
    try {
      const res = await fetch('http://127.0.0.1:9091/-/ready');
      if (res.ok) return child;
    } catch {
      // not up yet
    }
  }
  throw new Error('the demo Prometheus did not become ready within 60 s');
}

function stopPrometheus(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    // The script traps TERM and removes its data directory; signal its process group (it was started detached).
    process.kill(-child.pid!, 'SIGTERM');
  });
}

// ───────────────────────────── command line ─────────────────────────────

async function main(argv: readonly string[]): Promise<number> {
  const check = argv.includes('--check');
  const all = argv.includes('--all');
  const fileIdx = argv.indexOf('--file');
  const only = fileIdx >= 0 ? argv[fileIdx + 1] : undefined;
  if (!argv.includes('--no-build')) {
    const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (b.status !== 0) return 2;
  }
  const kinds: ExampleKind[] = all ? ['quick', 'slow', 'prometheus', 'live'] : ['quick', 'slow'];
  const files = docFiles().filter((f) => only === undefined || f === only);
  const examples = files.flatMap((f) => findExamples(f, readFileSync(join(ROOT, f), 'utf8')));
  const chosen = examples.filter((e) => kinds.includes(e.kind));
  const skipped = examples.length - chosen.length;
  let prometheus: ChildProcess | undefined;
  const rendered = new Map<Example, string>();
  try {
    if (chosen.some((e) => e.kind === 'prometheus')) prometheus = await startPrometheus();
    // Two at a time: the simulations use worker threads, and the machines this runs on have two cores.
    const outputs = await runAll(chosen, 2, (args, s) => console.error(`ran in ${s.toFixed(1)} s: headroom ${args}`));
    for (const ex of chosen) rendered.set(ex, renderExample(ex, (args) => outputs.get(args)!));
  } finally {
    if (prometheus) await stopPrometheus(prometheus);
  }
  let differ = 0;
  for (const f of files) {
    const lines = readFileSync(join(ROOT, f), 'utf8').split('\n');
    // From the last block up, so the line numbers of earlier blocks stay valid.
    const mine = [...rendered].filter(([e]) => e.file === f).reverse();
    for (const [ex, now] of mine) {
      if (now === ex.shown) continue;
      differ++;
      console.log(`${ex.file}:${ex.line}: ${check ? 'differs from' : 'rewritten from'} a run of: headroom ${ex.commands.map((c) => c.args).join('; headroom ')}`);
      console.log(describeDiff(ex, now));
      lines.splice(ex.open + 1, ex.close - ex.open - 1, ...now.split('\n'));
    }
    if (!check && mine.length > 0) writeFileSync(join(ROOT, f), lines.join('\n'));
  }
  console.log(
    `${chosen.length} examples run, ${differ} ${check ? 'differ' : 'rewritten'}` +
      (skipped > 0 ? `; ${skipped} left as they are (prometheus or live: --all reruns them)` : ''),
  );
  return check && differ > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`docs-examples: ${(e as Error).message}`);
      process.exit(2);
    },
  );
}
