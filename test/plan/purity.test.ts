import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The planner's core is pure (STYLE: I/O at the edges): no file system, process, console, clock or Math.random in
 * src/plan. The one exception is confirm.ts, which owns the simulation worker pool (as src/sim/runner.ts does) and
 * reads the machine's parallelism for its default size.
 */
describe('src/plan purity', () => {
  const dir = join(import.meta.dirname, '../../src/plan');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'confirm.ts');
  it.each(files)('%s does no I/O and reads no clock', (f) => {
    const text = readFileSync(join(dir, f), 'utf8');
    expect(text).not.toMatch(/from 'node:/);
    expect(text).not.toMatch(/\bprocess\.|\bconsole\.|Date\.now\(|Math\.random\(|performance\.now\(/);
  });
});
