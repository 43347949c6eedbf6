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
 * The report as a person sees it: the example plan's page, a validation run's page and two failure drills' pages
 * opened in a real headless Chromium (Debian's, driven by playwright-core). Screenshots go to test-output/report/ for
 * a human to look at.
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
  /** Pairs of texts (data labels and axis labels) in the same chart whose boxes overlap: chart id and both texts. */
  overlaps: string[];
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
  // A string: the test's TypeScript has no DOM library.
  const overlaps = (await page.evaluate(`(() => {
    const out = [];
    for (const f of document.querySelectorAll('figure.chart')) {
      const boxes = [...f.querySelectorAll('.svg g.role-mark text, .svg g.role-axis-label text')].filter((t) => t.textContent).map((t) => ({ t: t.textContent, r: t.getBoundingClientRect() }));
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i].r, b = boxes[j].r;
          if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) out.push(f.id + ': ' + boxes[i].t + ' / ' + boxes[j].t);
        }
    }
    return out;
  })()`)) as string[];
  const text = (await page.textContent('body')) ?? '';
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, shot), fullPage: true });
  await page.emulateMedia({ media: 'print' });
  // A string: the test's TypeScript has no DOM library.
  const printStyle = (await page.evaluate(
    `({ figureBreakInside: getComputedStyle(document.querySelector('figure.chart')).breakInside, detailsDisplay: getComputedStyle(document.querySelector('details')).display })`,
  )) as Seen['printStyle'];
  await page.close();
  return { charts, consoleErrors, requests, text: text.replace(/\s+/g, ' '), printStyle, overlaps };
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
      "When to order: when each variant's current fleets first break each rule",
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

  it('says what plan.json says: short now, the date of each rule, order-by dates, reservations, costs', () => {
    const base = plan.variants[0]!;
    const n = base.services.length;
    const lead = plan.leadTimeDays * 86_400_000;
    // The example's current fleets are short of zone-loss cover in the first month: the page says so first.
    expect(base.runsOut.already).toBe(true);
    const short = plan.findings.flatMap((f) => (f.kind === 'short-now' ? [f] : []));
    expect(short.map((f) => f.service)).toEqual(base.services.map((s) => s.service));
    const names = short.map((f) => f.service);
    const adds = short.map((f) => String(f.nodesToAdd));
    expect(seen.text).toContain(`${names.slice(0, -1).join(', ')} and ${names.at(-1)} are short of zone-loss cover now: add ${adds.slice(0, -1).join(', ')} and ${adds.at(-1)} nodes`);
    expect(seen.text.indexOf('Short now')).toBeLessThan(seen.text.indexOf('short now (zone-loss cover)'));
    for (const v of plan.variants) {
      expect(v.runsOut.already, v.name).toBe(true);
      expect(seen.text).toContain(`${v.description} short now (zone-loss cover) Orderorder now`);
      expect(seen.text).toContain(money(v.totalCost, 'USD'));
      for (const y of v.costByYear) expect(seen.text).toContain(money(y.cost, 'USD'));
    }
    // The cap's date, independently: the earliest 'cap' date over the base plan's services.
    const capDates = base.services.flatMap((s) => s.rules.filter((r) => r.rule === 'cap' && r.dateMs != null).map((r) => ({ s: s.service, r })));
    const capMs = Math.min(...capDates.map((x) => x.r.dateMs!));
    const capPeriod = capDates.find((x) => x.r.dateMs === capMs)!.r.period;
    const capFirst = capDates.filter((x) => x.r.dateMs === capMs).map((x) => x.s);
    const sloMs = Math.min(...base.services.flatMap((s) => s.rules.filter((r) => r.rule === 'slo' && r.dateMs != null).map((r) => r.dateMs!)));
    const added = short.reduce((a, f) => a + f.nodesToAdd, 0);
    const cap = seen.charts[3]!.takeaway;
    expect(cap).toContain(`In the base plan zone-loss cover is short now (all ${n} services; add ${added} nodes), utilisation cap 70% from ${capPeriod} (`);
    expect(cap).toContain(`SLO from ${isoDay(sloMs).slice(0, 7)} (`);
    const timeline = seen.charts[0]!.takeaway;
    expect(timeline).toContain(`Short of zone-loss cover now in every variant (all ${n} services in the base plan). Next in the base plan: utilisation cap 70% in ${capPeriod}`);
    expect(timeline).toContain(`order by ${isoDay(capMs - lead)}`);
    // The earliest variant to break the cap, when earlier than the base plan.
    const earliest = plan.variants
      .map((v) => ({ v, ms: Math.min(...v.services.flatMap((s) => s.rules.filter((r) => r.rule === 'cap' && r.dateMs != null).map((r) => r.dateMs!))) }))
      .sort((a, b) => a.ms - b.ms)[0]!;
    if (earliest.ms < capMs) expect(timeline).toContain(`as early as ${isoDay(earliest.ms).slice(0, 7)} under ${earliest.v.name}`);
    expect(capFirst.length).toBeGreaterThan(0);
    // Reservations: the first tranche of every service, summed, with the term.
    const reserved = base.services.reduce((a, s) => a + s.reservations.filter((r) => r.startPeriodIndex === 0).reduce((b, r) => b + r.nodes, 0), 0);
    expect(seen.text).toContain(`In the base plan reserve ${reserved} nodes from ${plan.periods[0]!.label}`);
    expect(seen.text).toContain(`${plan.commitmentTermMonths}-month terms`);
    expect(seen.text).toContain(`85% for the survivors of a failure (degraded ceiling)`);
    const top = [...base.services].sort((a, b) => b.totalCost - a.totalCost)[0]!;
    expect(seen.charts[4]!.takeaway).toContain(`${top.service} costs the most: ${money(top.totalCost, 'USD')} of ${money(base.totalCost, 'USD')}`);
    const dearest = plan.variants.slice(1).sort((a, b) => b.totalCost - a.totalCost)[0]!;
    expect(seen.charts[5]!.takeaway).toContain(`Over 24 months the base plan costs ${money(base.totalCost, 'USD')}; ${dearest.name} costs the most, ${money(dearest.totalCost, 'USD')}`);
    expect(seen.charts[1]!.takeaway).toContain(`in ${plan.periods[0]!.label} to`);
    // The backtest of each driver: a quarter of its 762 daily points held out.
    expect(seen.text).toContain('190 steps, then scored on them): MASE');
  });

  it('draws no label over another', () => {
    expect(seen.overlaps).toEqual([]);
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

describe('failure drills in a browser', () => {
  // Real drill.json files of the bundled drills against serve-demo (see test/report/drill-report.test.ts): one that
  // keeps its SLO through the fault, one that tips into a retry storm where no request succeeds for 13 seconds.
  const cases = [
    { fixture: 'drill-demo.json', shot: 'drill.png', stuck: 0 },
    { fixture: 'drill-demo-retries.json', shot: 'drill-retries.png', stuck: 13 },
  ];
  const seen = new Map<string, Seen & { dir: string; pdf: Buffer }>();
  beforeAll(async () => {
    for (const c of cases) {
      const dir = tempDir();
      writeFileSync(join(dir, 'drill.json'), readFileSync(join(ROOT, 'test', 'fixtures', 'report', c.fixture)));
      const ctx = memoryContext({ cwd: dir, env: process.env });
      expect(await run(['report', dir, '--pdf', join(dir, 'report.pdf')], ctx)).toBe(0);
      seen.set(c.fixture, { ...(await look(join(dir, 'report.html'), c.shot)), dir, pdf: readFileSync(join(dir, 'report.pdf')) });
    }
  }, 120_000);

  it('draws the four timelines as SVGs with marks in them, the verdict above them', () => {
    for (const c of cases) {
      const s = seen.get(c.fixture)!;
      expect(s.charts.map((x) => x.title)).toEqual([
        'p99 latency per second: measured against predicted (ms)',
        'Achieved against offered rate per second (requests/s)',
        'Failed requests, timeouts and retries per second',
        'Backlog: requests in flight at the end of each second',
      ]);
      for (const x of s.charts) {
        expect(x.width, x.title).toBeGreaterThan(400);
        expect(x.height, x.title).toBeGreaterThan(150);
        expect(x.shapes, x.title).toBeGreaterThan(4);
      }
      expect(s.text.indexOf('Verdict')).toBeLessThan(s.text.indexOf('p99 latency per second'));
      expect(s.charts[0]!.takeaway).toMatch(/^p99 rose from \d+ ms before the fault/);
    }
  });

  it('names the phases over the shaded fault, and marks the seconds with no answer', () => {
    for (const c of cases) {
      const s = seen.get(c.fixture)!;
      expect(s.text).toContain('baselinefault: 2 workers downrecovery');
      expect(s.text.includes('no request succeeded ▸'), c.fixture).toBe(c.stuck > 0);
    }
    expect(seen.get('drill-demo-retries.json')!.charts[0]!.takeaway).toContain(`no request succeeded in 13 seconds from 13 s`);
  });

  it('draws no label over another, logs no error, prints no NaN, asks for nothing but the file, prints to PDF', () => {
    for (const c of cases) {
      const s = seen.get(c.fixture)!;
      expect(s.overlaps, c.fixture).toEqual([]);
      expect(s.consoleErrors, c.fixture).toEqual([]);
      expect(s.text, c.fixture).not.toMatch(/NaN|Infinity|undefined|null|\[object Object\]/);
      expect(s.requests, c.fixture).toEqual([pathToFileURL(join(s.dir, 'report.html')).href]);
      expect(s.printStyle).toEqual({ figureBreakInside: 'avoid', detailsDisplay: 'none' });
      expect(s.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
  });
});
