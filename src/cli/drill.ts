import { isAbsolute, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { checkFailed, inputError } from '../errors.js';
import { parseDuration } from '../units.js';
import { DEFAULT_DRILL_LIMITS, DEFAULT_STATE_DIR } from '../drill/defaults.js';

interface Flags {
  baseUrl?: string;
  out?: string;
  json?: boolean;
  rollback?: string;
  stateDir: string;
  allowRemote?: boolean;
  maxDuration: string;
  maxRequests: string;
  ceiling: boolean;
}

const numbersOut = (_k: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v);

/** `headroom drill`: inject a fault into a real endpoint under steady load and hold the outcome against the simulator's prediction. */
export function registerDrill(program: Command, ctx: CliContext): void {
  program
    .command('drill')
    .description('Failure drill: steady load on an endpoint, a fault injected and always rolled back, measured against the simulator\'s prediction')
    .argument('[drill]', 'drill file (YAML): target, model, load, fault with its rollback, hypothesis, abort conditions')
    .option('--base-url <URL>', "replaces the origin of the drill's target (the same drill against a demo on another port)")
    .option('--out <DIR>', 'write DIR/drill.json, DIR/timeline.csv and DIR/report.html (atomically: all or none)')
    .option('--json', 'print drill.json on stdout')
    .option('--rollback <STATE>', 'undo what a drill state file records (a drill that was killed) and exit')
    .option('--state-dir <DIR>', 'where drills keep their state file while a fault is applied', DEFAULT_STATE_DIR)
    .option('--allow-remote', 'allow a target that is not this machine')
    .option('--max-duration <T>', 'refuse a drill longer than this', '10m')
    .option('--max-requests <N>', 'refuse a drill that may send more requests than this (retries included)', String(DEFAULT_DRILL_LIMITS.maxRequests))
    .option('--no-ceiling', "skip measuring the load generator's ceiling before the drill")
    .addHelpText(
      'after',
      `
Example (serve-demo in another terminal: headroom serve-demo --port 8080 --workers 4 --fault-control):
  $ headroom drill scenarios/drill-demo.yaml --out runs/drill     # runs/drill/report.html: the page to share
  $ headroom drill --rollback .headroom/drill-drill-demo-12345.state.json

The fault is rolled back at the end of its window, on an abort condition, when a fault action fails, on Ctrl-C or
SIGTERM, and on an error of the drill's own. A drill killed outright leaves its state file in --state-dir: the next
headroom drill run there rolls it back first.

Exit codes: 0 the hypothesis and the prediction held and the rollback succeeded, 1 either did not (or the drill
stopped early, or a rollback failed), 2 bad input (nothing was sent).`,
    )
    .action(async (file: string | undefined, flags: Flags) => {
      // The drill file's schema, the sender, the simulator and the fault actions load here, not at start-up.
      const [{ writeFilesAtomic }, { loadDrill }, { measureGeneratorCeiling }, { runDrill, rollBackStateFile }, { checkDrillPlan }, { formatDrill, timelineCsv }] = await Promise.all([
        import('../write-atomic.js'),
        import('../config/drill.js'),
        import('../validate/ceiling.js'),
        import('../drill/run.js'),
        import('../drill/plan.js'),
        import('../drill/format.js'),
      ]);
      const abs = (p: string) => (isAbsolute(p) ? p : resolve(ctx.cwd, p));
      if (flags.rollback !== undefined) {
        if (file !== undefined) throw inputError('--rollback', `give a drill file or --rollback STATE, not both (got ${file})`);
        const r = await rollBackStateFile(abs(flags.rollback), flags.rollback);
        for (const s of r.steps) ctx.stdout.write(`rolled back ${s.what}: ${s.ok ? 'ok' : `FAILED (${s.error ?? ''})`}\n`);
        if (!r.ok) throw checkFailed(`the rollback of ${r.drill} failed; ${flags.rollback} stays for another try`);
        ctx.stdout.write(`${flags.rollback}: the fault of ${r.drill} is rolled back; state file removed\n`);
        return;
      }
      if (file === undefined) throw inputError('', 'give a drill file (headroom drill scenarios/drill-demo.yaml) or --rollback STATE');
      const maxDuration = parseDuration(flags.maxDuration);
      if (maxDuration === undefined || !(maxDuration > 0)) throw inputError('--max-duration', `expected a positive duration such as 10m, got "${flags.maxDuration}"`);
      const maxRequests = Number(flags.maxRequests);
      if (!Number.isSafeInteger(maxRequests) || maxRequests < 1) throw inputError('--max-requests', `expected a positive integer, got "${flags.maxRequests}"`);
      const limits = { maxDuration, maxRequests };
      const drill = await loadDrill(file, { cwd: ctx.cwd, env: ctx.env, baseUrlOverride: flags.baseUrl });
      const allowRemote = flags.allowRemote === true;
      checkDrillPlan(drill, { allowRemote, limits, generatorCeiling: null });
      const generatorCeiling = flags.ceiling ? (await measureGeneratorCeiling({ duration: 1 })).requestsPerSecond : null;
      const progress = !flags.json ? (line: string) => void ctx.stderr.write(`${line}\n`) : undefined;

      // Ctrl-C and SIGTERM stop the drill through its rollback; the handlers live only while it runs.
      const ac = new AbortController();
      const onSig = (sig: NodeJS.Signals) => () => ac.abort(sig);
      const handlers = { SIGINT: onSig('SIGINT'), SIGTERM: onSig('SIGTERM') };
      process.on('SIGINT', handlers.SIGINT);
      process.on('SIGTERM', handlers.SIGTERM);
      let report;
      try {
        report = await runDrill({ drill, stateDir: abs(flags.stateDir), allowRemote, limits, generatorCeiling, signal: ac.signal, onProgress: progress, now: ctx.now });
      } finally {
        process.off('SIGINT', handlers.SIGINT);
        process.off('SIGTERM', handlers.SIGTERM);
      }
      const json = JSON.stringify(report, numbersOut, 2) + '\n';
      if (flags.out !== undefined) {
        const dir = abs(flags.out);
        // The page is rendered from the JSON as saved (Infinity already null), the same input `headroom report` reads.
        // A drill cannot be run again for free (the fault really happened): should the page fail, its record is
        // still written, and the page can be made later from it.
        const { renderDrillReport } = await import('../report/drill-report.js');
        const page = await renderDrillReport(JSON.parse(json) as typeof report).catch((e: unknown) => {
          ctx.stderr.write(`headroom: report.html not written (${(e as Error).message}); render it later with headroom report ${flags.out}\n`);
          return undefined;
        });
        await writeFilesAtomic([
          { path: join(dir, 'drill.json'), data: json },
          { path: join(dir, 'timeline.csv'), data: timelineCsv(report.timeline) },
          ...(page !== undefined ? [{ path: join(dir, 'report.html'), data: page }] : []),
        ]);
      }
      ctx.stdout.write(flags.json ? json : formatDrill(report));
      if (report.verdict.exitCode !== 0) throw checkFailed(report.verdict.message);
    });
}
