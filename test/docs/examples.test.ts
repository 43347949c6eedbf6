/**
 * The doctest habit for the command examples of README.md and docs/*.md: every example marked `<!-- example: … -->`
 * (deterministic and quick; see scripts/docs-examples.ts) is run from dist/ and must print what the docs show.
 * When a change of output is intended, `npx tsx scripts/docs-examples.ts` rewrites the blocks.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyFilter, describeDiff, docFiles, findExamples, renderExample, ROOT, runAll } from '../../scripts/docs-examples.js';

const examples = docFiles().flatMap((f) => findExamples(f, readFileSync(join(ROOT, f), 'utf8')));
const quick = examples.filter((e) => e.kind === 'quick');

describe('command examples in the docs', () => {
  let outputs = new Map<string, string>();
  beforeAll(async () => {
    if (existsSync(join(ROOT, 'dist/bin/headroom.js'))) outputs = await runAll(quick);
  }, 120_000);

  it('exist, and dist/ is built (npm ci builds it; run `npm run build` after changing src/)', () => {
    expect(quick.length).toBeGreaterThanOrEqual(8);
    expect(existsSync(join(ROOT, 'dist/bin/headroom.js'))).toBe(true);
  });

  for (const ex of quick) {
    it(`${ex.file}:${ex.line} headroom ${ex.commands.map((c) => c.args).join('; headroom ')}`, () => {
      const now = renderExample(ex, (args) => outputs.get(args) ?? '');
      const message =
        now === ex.shown
          ? ''
          : `${ex.file}:${ex.line}: the example no longer shows what the command prints ` +
            `(refresh with: npx tsx scripts/docs-examples.ts --file ${ex.file})\n${describeDiff(ex, now)}`;
      expect(now, message).toBe(ex.shown);
    });
  }
});

describe('the example markers and filters', () => {
  const out = ['Title', '  a 1', '  a 2', '', 'Next', '  b 1', '  b 2'];

  it('lines keeps lines by number and puts an elision at the indentation of the next kept line', () => {
    expect(applyFilter(out, 'lines 1-2,...,5,...,7')).toEqual(['Title', '  a 1', '...', 'Next', '  ...', '  b 2']);
    expect(applyFilter(out, 'lines 6-,...')).toEqual(['  b 1', '  b 2', '  ...']);
  });

  it('grep keeps matching lines, cut shortens long ones', () => {
    expect(applyFilter(out, 'grep ^  b')).toEqual(['  b 1', '  b 2']);
    expect(applyFilter(['abcdef', 'abc'], 'cut 4')).toEqual(['abcd...', 'abc']);
  });

  it('a block takes the output of each of its markers, with the prompt unless noprompt', () => {
    const md = ['text', '<!-- example: one || grep 1 -->', '<!-- example: two || noprompt -->', '```', 'old', '```', ''].join('\n');
    const [ex] = findExamples('x.md', md);
    expect(ex!.line).toBe(2);
    expect(ex!.shown).toBe('old');
    expect(renderExample(ex!, (args) => `${args} 1\n${args} 2\n`)).toBe(['$ headroom one', 'one 1', 'two 1', 'two 2'].join('\n'));
  });

  it('a marker must stand right before a fenced block', () => {
    expect(() => findExamples('x.md', '<!-- example: one -->\n\n```\n```\n')).toThrow('x.md:2: an example marker must stand right before a fenced block');
  });
});
