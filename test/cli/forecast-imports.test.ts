/**
 * Start-up stays fast only if every command loads its heavy parts (readers, csv-parse, the models, the scenario
 * schemas, the simulator, the load generators) inside its action. These checks read the import lines, so a static
 * import that slips in fails here, not in a benchmark.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

function staticValueImports(path: string): string[] {
  const text = readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
  return [...text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
}

describe('lazy loading in the forecast command', () => {
  it('src/cli/forecast.ts loads no reader, model, csv-parse or the whole library at start-up', () => {
    const imports = staticValueImports('src/cli/forecast.ts');
    expect(imports.length).toBeGreaterThan(0);
    for (const m of imports) {
      expect(m, m).not.toMatch(/^\.\.\/forecast\/|^\.\.\/series\/read-|^\.\.\/index\.js$|^csv-parse|^\.\/progress\.js$/);
    }
  });

  it('src/series/read-csv.ts loads csv-parse only when a file has quotes', () => {
    expect(staticValueImports('src/series/read-csv.ts').filter((m) => m.startsWith('csv-parse'))).toEqual([]);
  });
});

/**
 * What the CLI loads before it parses the arguments (main.ts, or the installed command's bin.ts and launcher.ts; then
 * run.ts): each command's definition, and what those import statically. Each of these is free of third-party code but
 * commander, and of the library's heavy modules.
 */
const START_UP_ALLOWED = [
  /^node:/,
  /^commander$/,
  /^\.\/(run|launcher|program|context|flags|prometheus-history|forecast|serve-demo|validate|calibrate|simulate|plan|report|sweep|worker|drill)\.js$/,
  /^\.\.\/(errors|units|version)\.js$/,
  /^\.\.\/series\/(timestamp|prometheus-labels|prometheus-time)\.js$/,
  /^\.\.\/sim\/scenario\.js$/,
  /^\.\.\/model\/plan-scenario\.js$/,
  /^\.\.\/plan\/limits\.js$/,
  /^\.\.\/drill\/defaults\.js$/,
  /^\.\/out-path\.js$/,
];

describe('lazy loading in every command', () => {
  const files = readdirSync(new URL('../../src/cli/', import.meta.url))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('-run.ts') && f !== 'progress.ts')
    .sort();
  it('covers main, the program and the six commands', () => {
    for (const f of ['main.ts', 'program.ts', 'forecast.ts', 'serve-demo.ts', 'validate.ts', 'calibrate.ts', 'simulate.ts', 'plan.ts']) expect(files).toContain(f);
  });
  for (const f of files) {
    it(`src/cli/${f} imports at start-up only light modules`, () => {
      for (const m of staticValueImports(`src/cli/${f}`)) {
        expect(START_UP_ALLOWED.some((re) => re.test(m)), `${f} imports ${m}`).toBe(true);
      }
    });
  }
});
