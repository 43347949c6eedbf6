import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The ground floor, the formulas and the forecaster are pure (docs/architecture.md, "Purity"): no file system,
 * network, process, console, clock or Math.random, and no YAML or schema library at run time. The simulator and the
 * planner have purity tests of their own (test/sim/purity.test.ts, test/plan/purity.test.ts).
 */
const src = join(import.meta.dirname, '../../src');
const folders = ['model', 'stats', 'queueing', 'forecast'];

describe.each(folders)('src/%s purity', (folder) => {
  const files = readdirSync(join(src, folder)).filter((f) => f.endsWith('.ts'));
  it('has files', () => expect(files.length).toBeGreaterThan(0));
  it.each(files)('%s does no I/O, reads no clock and loads no schema library', (f) => {
    const text = readFileSync(join(src, folder, f), 'utf8');
    expect(text).not.toMatch(/from 'node:/);
    expect(text).not.toMatch(/from '(zod|yaml|undici|autocannon)'/);
    expect(text).not.toMatch(/\bprocess\.|\bconsole\.|Date\.now\(|new Date\(\)|Math\.random\(|performance\.now\(/);
  });
});
