/**
 * The simulation core is pure (STYLE.md, "Direction of imports"): nothing in src/sim/ except the runner and worker
 * entry does I/O, reads the clock or the environment, or draws randomness other than from src/rng.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, '../../src/sim');
const edge = new Set(['runner.ts', 'worker.ts']); // the piscina pool and its entry: they own threads

describe('src/sim purity', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !edge.has(f));
  it('has the core files', () => {
    expect(files).toEqual(expect.arrayContaining(['engine.ts', 'event-heap.ts', 'replica.ts', 'simulation.ts', 'types.ts']));
  });
  for (const f of files) {
    it(`${f} does no I/O and uses no clock, environment or Math.random`, () => {
      const src = readFileSync(join(dir, f), 'utf8');
      expect(src).not.toMatch(/from 'node:/);
      expect(src).not.toMatch(/\bprocess\./);
      expect(src).not.toMatch(/\bconsole\./);
      expect(src).not.toMatch(/Date\.now|new Date\(|performance\.now/);
      expect(src).not.toMatch(/Math\.random/);
    });
  }
});
