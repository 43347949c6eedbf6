/**
 * Start-up stays fast only if `headroom forecast` loads its heavy parts (readers, csv-parse, the models) inside the
 * action. These checks read the import lines, so a static import that slips in fails here, not in a benchmark.
 */
import { readFileSync } from 'node:fs';
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
