import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryContext } from '../../src/cli/context.js';
import { run } from '../../src/cli/main.js';
import { findChromium, openChromium, renderValidationReport, type CapacityPlan, type ValidationReport } from '../../src/internal.js';
import { planScenario, ROOT } from './plan-example.js';

/**
 * The report as a person sees it: the example plan's page and a validation run's page opened in a real headless
 * Chromium (Debian's, driven by playwright-core). Screenshots go to test-output/report/ for a human to look at.
 */

const SHOTS = join(ROOT, 'test-output', 'report');

function chromium(): string {
  const p = findChromium(process.env);
  if (p === undefined) throw new Error('Chromium not found: install the Debian package "chromium" (bash scripts/install-test-deps.sh) or set CHROMIUM_PATH');
  return p;
}

interface Seen {
  /** Per chart: its title, takeaway sentence, SVG size and the number of drawn data-mark shapes. */
  charts: Array<{ title: string; takeaway: string; width: number; height: number; shapes: number }>;
  consoleErrors: string[];
  /** Every URL the page asked for. */
  requests: string[];
  text: string;
  printStyle: { figureBreakInside: string; detailsDisplay: string };
}

let browser: Awaited<ReturnType<typeof openChromium>>;
const tempDirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'headroom-report-browser-'));
  tempDirs.push(d);
  return d;
};

async function look(file: string, shot: string): Promise<Seen> {
  const page = await browser.context.newPage();
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  // Anything that is not the file itself would leave the machine: refuse it (and it is recorded above).
  await page.route((url) => url.protocol !== 'file:', (route) => route.abort());
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const charts = await page.$$eval('figure.chart', (figs) =>
    figs.map((f) => {
      const svg = f.querySelector('.svg > svg');
      const box = svg?.getBoundingClientRect();
      // Vega puts data marks in <g class="role-mark ...">; axes, legends and titles have other roles.
      const shapes = svg ? svg.querySelectorAll('g.role-mark path[d]:not([d=""]), g.role-mark line, g.role-mark rect, g.role-mark text').length : 0;
      return { title: f.querySelector('h3')?.textContent ?? '', takeaway: f.querySelector('p.takeaway')?.textContent ?? '', width: box?.width ?? 0, height: box?.height ?? 0, shapes };
    }),
  );
  const text = (await page.textContent('body')) ?? '';
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, shot), fullPage: true });
  await page.emulateMedia({ media: 'print' });
  // A string: the test's TypeScript has no DOM library.
  const printStyle = (await page.evaluate(
    `({ figureBreakInside: getComputedStyle(document.querySelector('figure.chart')).breakInside, detailsDisplay: getComputedStyle(document.querySelector('details')).display })`,
  )) as Seen['printStyle'];
  await page.close();
  return { charts, consoleErrors, requests, text: text.replace(/\s+/g, ' '), printStyle };
}

const money = (x: number, cur: string) => `${cur} ${String(Math.round(x)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

beforeAll(async () => {
  browser = await openChromium(chromium());
});
afterAll(async () => {
  await browser?.close();
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

describe('the example plan in a browser', () => {
  let plan: CapacityPlan;
  let seen: Seen;
  let dir: string;
  beforeAll(async () => {
    const made = await planScenario('scenarios/example.yaml', ROOT);
    plan = made.plan;
    dir = tempDir();
    writeFileSync(join(dir, 'plan.json'), made.json);
    writeFileSync(join(dir, 'forecast.json'), JSON.stringify(made.forecasts));
    const ctx = memoryContext({ cwd: dir, env: process.env });
    expect(await run(['report', dir, '--pdf', join(dir, 'report.pdf')], ctx)).toBe(0);
    seen = await look(join(dir, 'report.html'), 'plan.png');
  }, 120_000);

  it('draws every chart as an SVG with marks in it', () => {
    // the order timeline, two demand fans, capacity, cost stacked, cost cumulative (made without simulation)
    expect(seen.charts.map((c) => c.title)).toEqual([
      'When to order: run-out and order-by dates per variant',
      'Demand: users (users), history and forecast',
      'Demand: checkout (req/s), history and forecast',
      'Nodes required per month (with redundancy) against the current fleet',
      'Cost per month, stacked by service (USD)',
      'Cumulative cost per variant (USD)',
    ]);
    for (const c of seen.charts) {
      expect(c.width, c.title).toBeGreaterThan(400);
      expect(c.height, c.title).toBeGreaterThan(150);
      expect(c.shapes, c.title).toBeGreaterThan(4);
    }
  });

  it('says what plan.json says: run-out and order-by dates, costs', () => {
    const base = plan.variants[0]!;
    const first = base.services.find((s) => s.service === base.runsOut.service)!;
    const cap = seen.charts[3]!.takeaway;
    // The example's current fleet is short of zone-loss cover in the first month: the page says so, not a date to order by.
    expect(base.runsOut.already).toBe(true);
    expect(cap.startsWith(`${first.service} is short now, in ${first.runsOut.period} (binds: zone-loss cover): order now`)).toBe(true);
    const later = plan.variants.filter((v) => v.runsOut.orderByMs !== undefined);
    const fastest = [...later].slice(1).sort((a, b) => a.runsOut.orderByMs! - b.runsOut.orderByMs!)[0];
    if (fastest && fastest.runsOut.orderByMs! < base.runsOut.orderByMs!) {
      expect(seen.charts[0]!.takeaway).toContain(`Order by ${isoDay(fastest.runsOut.orderByMs!)} if ${fastest.name} comes true (${fastest.runsOut.service} runs out ${fastest.runsOut.period})`);
    } else {
      expect(seen.charts[0]!.takeaway).toContain(`rder by ${isoDay(base.runsOut.orderByMs!)} in the base plan (${base.runsOut.service} runs out ${base.runsOut.period})`);
    }
    const top = [...base.services].sort((a, b) => b.totalCost - a.totalCost)[0]!;
    expect(seen.charts[4]!.takeaway).toContain(`${top.service} costs the most: ${money(top.totalCost, 'USD')} of ${money(base.totalCost, 'USD')}`);
    const dearest = plan.variants.slice(1).sort((a, b) => b.totalCost - a.totalCost)[0]!;
    expect(seen.charts[5]!.takeaway).toContain(`Over 24 months the base plan costs ${money(base.totalCost, 'USD')}; ${dearest.name} costs the most, ${money(dearest.totalCost, 'USD')}`);
    for (const v of plan.variants) {
      expect(seen.text).toContain(`${v.runsOut.service} runs out ${v.runsOut.period}`);
      expect(seen.text).toContain(money(v.totalCost, 'USD'));
      for (const y of v.costByYear) expect(seen.text).toContain(money(y.cost, 'USD'));
    }
    expect(seen.charts[1]!.takeaway).toContain(`in ${plan.periods[0]!.label} to`);
    // The backtest of each driver: a quarter of its 762 daily points held out.
    expect(seen.text).toContain('190 steps, then scored on them): MASE');
  });

  it('logs no error, prints no NaN or undefined, and asks for nothing but the file', () => {
    expect(seen.text).not.toMatch(/NaN|Infinity|undefined|\[object Object\]/);
    expect(seen.consoleErrors).toEqual([]);
    expect(seen.requests).toEqual([pathToFileURL(join(dir, 'report.html')).href]);
  });

  it('prints: charts kept whole, data tables left out, a PDF', () => {
    expect(seen.printStyle).toEqual({ figureBreakInside: 'avoid', detailsDisplay: 'none' });
    const pdf = readFileSync(join(dir, 'report.pdf'));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.byteLength).toBeGreaterThan(20_000);
  });
});

describe('a validation run in a browser', () => {
  let report: ValidationReport;
  let seen: Seen;
  beforeAll(async () => {
    // A real 3 s-per-step run of serve-demo's /cpu?ms=5 on a busy 2-core machine (latency histograms removed).
    report = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'report', 'validation.json'), 'utf8')) as ValidationReport;
    const dir = tempDir();
    writeFileSync(join(dir, 'report.html'), await renderValidationReport(report));
    seen = await look(join(dir, 'report.html'), 'validation.png');
  }, 60_000);

  it('draws throughput, latency and the sweep with marks in them', () => {
    expect(seen.charts.map((c) => c.title)).toEqual([
      'Offered against achieved throughput (requests/s)',
      'Latency against offered rate: p50 and p99, measured and predicted (ms)',
      'Closed-loop concurrency sweep and the USL fit (responses/s)',
    ]);
    for (const c of seen.charts) expect(c.shapes, c.title).toBeGreaterThan(2);
  });

  it('states the knee, the saturation and the USL peak of validation.json', () => {
    const sig = (x: number) => String(Number(x.toPrecision(3)));
    const t = seen.charts[0]!.takeaway;
    expect(t).toContain(report.knee.rate === null ? 'No step met the criteria' : `keeps up to ${sig(report.knee.rate)} requests/s (the knee)`);
    expect(t).toContain(`saturates at ${sig(report.saturationThroughput!)} responses/s`);
    if (report.usl?.peakThroughput != null && report.usl.peakConcurrency != null) expect(seen.charts[2]!.takeaway).toContain(`peak ${sig(report.usl.peakThroughput)} responses/s`);
    for (const w of report.warnings) expect(seen.text).toContain(w);
    expect(seen.consoleErrors).toEqual([]);
    expect(seen.requests).toHaveLength(1);
  });
});
