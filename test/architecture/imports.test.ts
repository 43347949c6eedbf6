import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The direction of imports between the folders of src/ (docs/architecture.md holds the map, as a table between the
 * import-map markers; this test reads it from there so the document and the rule cannot drift apart).
 */
const repo = join(import.meta.dirname, '../..');
const src = join(repo, 'src');
const ROOT = '(root)';
/** The only root files that may import folders: the public and the internal API. */
const ENTRY_FILES = new Set(['index.ts', 'internal.ts']);

export function readImportMap(markdown: string): Map<string, Set<string>> {
  const start = markdown.indexOf('<!-- import-map:start -->');
  const end = markdown.indexOf('<!-- import-map:end -->');
  if (start < 0 || end < start) throw new Error('docs/architecture.md: the import-map markers are missing');
  const map = new Map<string, Set<string>>();
  for (const line of markdown.slice(start, end).split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || cells[1] === 'folder' || cells[1]!.startsWith('---')) continue;
    map.set(cells[1]!, new Set(cells[2]!.split(',').map((x) => x.trim()).filter(Boolean)));
  }
  return map;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

function folderOf(file: string): string {
  const parts = relative(src, file).split(sep);
  return parts.length === 1 ? ROOT : parts[0]!;
}

/** Relative specifiers of every static import, `export … from` and dynamic `import('…')` of a file, type-only ones included. */
export function importSpecifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?\bfrom\s*'([^']+)'|(?:^|\n)\s*import\s*'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g)) {
    const s = m[1] ?? m[2] ?? m[3];
    if (s !== undefined && s.startsWith('.')) out.push(s);
  }
  return out;
}

export interface Violation {
  readonly file: string;
  readonly imports: string;
  readonly edge: string;
}

/** Every import in `files` that crosses a folder edge the map does not allow. */
export function violations(files: readonly string[], map: Map<string, Set<string>>, read: (f: string) => string): Violation[] {
  const out: Violation[] = [];
  for (const f of files) {
    const from = folderOf(f);
    if (from === ROOT && ENTRY_FILES.has(relative(src, f))) continue;
    const allowed = map.get(from);
    for (const s of importSpecifiers(read(f))) {
      const to = folderOf(resolve(dirname(f), s));
      if (to === from) continue;
      if (!allowed?.has(to)) out.push({ file: relative(repo, f), imports: s, edge: `${from} -> ${to}` });
    }
  }
  return out;
}

describe('import direction (docs/architecture.md)', () => {
  const map = readImportMap(readFileSync(join(repo, 'docs/architecture.md'), 'utf8'));
  const files = walk(src);

  it('names every folder of src/ in the map', () => {
    const folders = new Set(files.map(folderOf));
    expect([...folders].filter((f) => !map.has(f))).toEqual([]);
  });

  it('has no import across an edge the map does not allow', () => {
    const found = violations(files, map, (f) => readFileSync(f, 'utf8'));
    expect(found.map((v) => `${v.file} imports ${v.imports} (${v.edge})`)).toEqual([]);
  });

  it('catches a wrong-way import (the ground floor importing the YAML edge)', () => {
    const fake = join(src, 'model', 'fake.ts');
    const found = violations([fake], map, () => "import { z } from 'zod';\nimport type { X } from '../config/model.js';\n");
    expect(found).toEqual([{ file: 'src/model/fake.ts', imports: '../config/model.js', edge: 'model -> config' }]);
  });

  it('sees type-only, re-export and dynamic imports', () => {
    expect(importSpecifiers("import type { A } from './a.js';\nexport { b } from '../b.js';\nconst c = await import('../c.js');\nimport './d.js';")).toEqual([
      './a.js',
      '../b.js',
      '../c.js',
      './d.js',
    ]);
  });
});
