/**
 * The README's two pictures of the example's report, taken from the page as the code renders it now: plan the
 * bundled example (with simulation, as `npm start` does) into a temporary directory, open its report.html in the
 * Debian chromium the browser tests use, and save the Summary down to its order timeline and the capacity chart as
 * docs/report-summary.png and docs/report-capacity.png (a 1,124-pixel viewport at a device scale of 0.8: 848 pixels
 * wide, small enough for a README). Run: `npx tsx scripts/report-screenshots.ts`. Needs chromium (bash scripts/install-test-deps.sh).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { memoryContext } from '../src/cli/context.js';
import { run } from '../src/cli/main.js';
import { findChromium } from '../src/report/chromium.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Each picture: from the top of one element to the bottom of another (the summary down to its order timeline). */
const PICTURES = [
  { from: '#summary', to: '#chart-timeline .svg', file: 'docs/report-summary.png' },
  { from: '#chart-capacity', to: '#chart-capacity .svg', file: 'docs/report-capacity.png' },
] as const;

const executablePath = findChromium(process.env);
if (executablePath === undefined) {
  console.error('report-screenshots: chromium not found; install the Debian package "chromium" (bash scripts/install-test-deps.sh) or set CHROMIUM_PATH');
  process.exit(2);
}
const out = mkdtempSync(join(tmpdir(), 'headroom-screenshots-'));
try {
  const ctx = memoryContext({ cwd: ROOT });
  const code = await run(['plan', 'scenarios/example.yaml', '--out', out], ctx);
  if (code !== 0) throw new Error(`headroom plan exited ${code}: ${ctx.err()}`);
  const browser = await chromium.launch({ executablePath, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1124, height: 900 }, deviceScaleFactor: 0.8 });
    await page.goto(pathToFileURL(join(out, 'report.html')).href);
    // the charts are drawn after load: wait until every figure of both sections holds its SVG
    await page.waitForFunction(`[...document.querySelectorAll('#chart-timeline, #chart-capacity')].every((f) => f.querySelector('svg') !== null)`);
    for (const p of PICTURES) {
      const top = (await page.locator(p.from).boundingBox())!;
      const bottom = (await page.locator(p.to).boundingBox())!;
      await page.screenshot({ path: join(ROOT, p.file), fullPage: true, clip: { x: top.x, y: top.y, width: top.width, height: bottom.y + bottom.height - top.y + 8 } });
      console.log(`wrote ${p.file}`);
    }
  } finally {
    await browser.close();
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
