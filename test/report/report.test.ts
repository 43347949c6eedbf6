import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryContext } from '../../src/cli/context.js';
import { run } from '../../src/cli/main.js';
import { backtestHoldout, classifyReportInput, escapeHtml, findChromium, readReportInput, renderPlanReport, variantExhaustion, type CapacityPlan, type PlanForecasts } from '../../src/internal.js';
import { standardFixture } from '../plan/fixtures.js';
import { planScenario } from './plan-example.js';

/** Money as the page writes it, formatted here independently: "EUR 12,345". */
const money = (x: number, cur: string) => `${cur} ${String(Math.round(x)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The page's text with tags removed and entities of the five escaped characters decoded. */
const text = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describe('escapeHtml', () => {
  it('escapes the five characters of element content and quoted attributes', () => {
    expect(escapeHtml('<b>"x" & y</b>')).toBe('&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;');
    expect(escapeHtml("it's")).toBe('it&#39;s');
  });
});

describe('the plan page', () => {
  const hostile = '<script>alert(1)</script>';
  let plan: CapacityPlan;
  let forecasts: PlanForecasts;
  let html: string;
  beforeAll(async () => {
    // Fleets that last a few months: mm loses its zone-loss cover within the horizon.
    const f = standardFixture({
      fleetMm: 5,
      fleetMmr: 4,
      extra: `variants:\n  - { name: fast, description: "a & b <i>c</i>", growth: +50% }\n`,
    });
    const yaml = readFileSync(f.scenario, 'utf8').replace('name: test plan', `name: "${hostile}"\ndescription: "\\"quoted\\" <b>bold</b>"`);
    writeFileSync(f.scenario, yaml);
    ({ plan, forecasts } = await planScenario('scenario.yaml', f.dir));
    // plan.json may also be edited by hand: names the scenario schema would refuse reach the page too.
    const edited = JSON.parse(JSON.stringify(plan)) as {
      variants: Array<{ name: string; services: Array<{ service: string }>; exhaustion: { service?: string }; runsOut: { service?: string } }>;
      warnings: string[];
    };
    edited.variants[1]!.name = '<img src=x onerror=alert(2)>';
    for (const v of edited.variants) {
      for (const s of v.services) if (s.service === 'mm') s.service = '<svg onload=alert(3)>';
      if (v.exhaustion.service === 'mm') v.exhaustion.service = '<svg onload=alert(3)>';
      if (v.runsOut.service === 'mm') v.runsOut.service = '<svg onload=alert(3)>';
    }
    edited.warnings = ['history <short> & thin'];
    plan = edited as unknown as CapacityPlan;
    html = await renderPlanReport(plan, forecasts);
  });

  it('shows user strings as text: no script, no element from a name', () => {
    expect(plan.scenario.name).toBe(hostile);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<svg onload/i);
    expect(html).toContain('&lt;svg onload=alert(3)&gt;');
    expect(html).not.toMatch(/<i>c<\/i>/);
    expect(html).toContain('Capacity plan: &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('a &amp; b &lt;i&gt;c&lt;/i&gt;');
    expect(html).toContain('&quot;quoted&quot; &lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('<li>history &lt;short&gt; &amp; thin</li>');
  });

  it('is self-contained: a policy that forbids scripts and requests, no URL but the SVG namespace', () => {
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    const urls = [...html.matchAll(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'<)]*/gi)].map((m) => m[0]);
    expect(urls.filter((u) => !/^http:\/\/www\.w3\.org\/(2000\/svg|1999\/xlink)$/.test(u))).toEqual([]);
  });

  it('gives every element its own id, so a link to a section lands on it (a chart once shared its section\'s id)', () => {
    const ids = [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]!);
    expect(ids.length).toBeGreaterThan(5);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('says when each variant runs out, by which rule, the order-by date and the cost, as plan.json has them', () => {
    const t = text(html);
    const words: Record<string, string> = { cap: 'utilisation cap 85%', redundancy: 'zone-loss cover', slo: 'SLO' };
    for (const v of plan.variants) {
      // Independent of the adapter: the earliest date of an asked rule over the variant's services.
      const dated = v.services.flatMap((s) => s.rules.filter((r) => r.asked && r.dateMs != null).map((r) => ({ s, r })));
      const first = dated.sort((a, b) => a.r.dateMs! - b.r.dateMs!)[0]!;
      expect(first, v.name).toBeDefined();
      expect(t).toContain(`runs out ${first.r.period} (${words[first.r.rule]})`);
      expect(t).toContain(`order by ${isoDay(first.r.dateMs! - 30 * 86_400_000)}`);
      expect(t).toContain(money(v.totalCost, plan.currency));
      expect(v.costByPeriod.reduce((a, b) => a + b, 0)).toBeCloseTo(v.totalCost, 6);
    }
    const base = plan.variants[0]!;
    expect(t).toContain(`Over 6 months the base plan costs ${money(base.totalCost, plan.currency)}`);
    const e = variantExhaustion(base, plan);
    expect(t).toContain(`In the base plan ${e.binding} breaks from ${e.period} (${e.service})`);
    expect(html).not.toContain('id="short-now"');
  });

  it('states the degraded ceiling, the reservations with their term, and what fails the check', () => {
    const t = text(html);
    expect(plan.maxUtilizationDegraded).toBe(0.85);
    expect(t).toContain('Utilisation cap 85% per node; 85% for the survivors of a failure (degraded ceiling)');
    expect(t).toContain(`Reservations: 1-year terms, up to 50% of the planned count`);
    expect(t).toContain(`The check fails (exit 1) on a shortfall now of: ${plan.failOn.includes('slo') ? 'the SLO' : ''}`);
    // Every tranche of the base plan is a row: service, start, term, nodes.
    const base = plan.variants[0]!;
    for (const s of base.services) {
      for (const r of s.reservations) expect(t).toContain(`${s.service} small ${r.startPeriod} ${r.termMonths} months ${r.nodes} ${s.periods[r.startPeriodIndex]!.nodesWithRedundancy}`);
    }
    const reserved = base.services.reduce((a, s) => a + (s.reservations[0]?.nodes ?? 0), 0);
    expect(t).toContain(`In the base plan reserve ${reserved} nodes from ${plan.periods[0]!.label}`);
  });

  it('draws a chart per driver and section, each with a takeaway and a collapsed data table', () => {
    const figures = html.match(/<figure class="chart"/g) ?? [];
    // the order timeline, users fan, capacity, cost stacked, cost cumulative (no simulation: --no-sim)
    expect(figures).toHaveLength(5);
    expect((html.match(/<details><summary>Data table<\/summary><div class="table"><table>/g) ?? []).length).toBe(5);
    expect((html.match(/<svg role="img"/g) ?? []).length).toBe(5);
    expect(html).toContain('Off for this plan (--no-sim): the counts are analytic.');
  });

  it('renders the same bytes from the same JSON', async () => {
    expect(await renderPlanReport(plan, forecasts)).toBe(html);
  });
});

describe('a plan whose fleets are short now', () => {
  let plan: CapacityPlan;
  let t: string;
  beforeAll(async () => {
    // mm (3 nodes) and mmr (2 nodes) cannot lose a zone of 3 at the first month's peak.
    const f = standardFixture({ fleetMm: 3, fleetMmr: 2 });
    ({ plan } = await planScenario('scenario.yaml', f.dir));
    const edited = JSON.parse(JSON.stringify(plan)) as { findings: unknown[] };
    edited.findings.push({ kind: 'unservable', variant: 'base', service: 'mm', periodIndex: 2, period: plan.periods[2]!.label, demand: 2.5e6, unit: 'req/s', maxNodes: 10_000, maxDemand: 1.7e6 });
    plan = edited as unknown as CapacityPlan;
    t = text(await renderPlanReport(plan));
  });

  it('says so first, from plan.json findings: which services, which rule, how many nodes to add', () => {
    const short = plan.findings.flatMap((f) => (f.kind === 'short-now' ? [f] : []));
    expect(short.map((f) => [f.service, f.rule, f.cover, f.fleet, f.nodesNeeded])).toEqual([
      ['mm', 'redundancy', 'zone-loss', 3, 5],
      ['mmr', 'redundancy', 'zone-loss', 2, 3],
    ]);
    const callout = `mm and mmr are short of zone-loss cover now: add 2 and 1 nodes (3 → 5, 2 → 3) to hold it through ${short[0]!.throughPeriod}.`;
    expect(t).toContain(`Short now The current fleet in the base plan, at the ${plan.periods[0]!.label} peak; an order placed today arrives after the 30-day lead time. ${callout}`);
    expect(t).toContain(`mm (base) cannot be served in ${plan.periods[2]!.label}: it needs 2,500,000 req/s, and 10,000 nodes serve 1,700,000 req/s within the SLOs and the cap.`);
    // The callout comes before the cards.
    expect(t.indexOf(callout)).toBeLessThan(t.indexOf('short now (zone-loss cover)'));
  });

  it('cards and sentences say short now and order now, then the next rule with its date', () => {
    expect(t).toContain('short now (zone-loss cover) Order order now Short now both services');
    const cap = plan.variants[0]!.services.find((s) => s.service === 'mm')!.rules.find((r) => r.rule === 'cap')!;
    expect(cap.status).toBe('date');
    expect(t).toContain(`Next ${cap.period}: cap 85%`);
    expect(t).toContain(`In the base plan zone-loss cover is short now (both services; add 3 nodes) and utilisation cap 85% from ${cap.period} (mm).`);
    expect(t).toContain(`Short of zone-loss cover now in the base plan (both services). Next in the base plan: utilisation cap 85% in ${cap.period} (mm; order by ${isoDay(cap.dateMs! - 30 * 86_400_000)}).`);
    expect(t).not.toMatch(/NaN|Infinity|undefined|\[object Object\]/);
  });

  it('lists the nodes to buy and what sets the count per period', () => {
    const mm = plan.variants[0]!.services.find((s) => s.service === 'mm')!;
    const p0 = mm.periods[0]!;
    expect(p0.nodesToBuy).toBe(2);
    expect(p0.countSetBy).toBe('zone-loss');
    expect(t).toContain(`${plan.periods[0]!.label} mm 3 ${p0.nodesWithRedundancy} 2 zone-loss cover zone-loss cover`);
  });
});

describe('headroom report', () => {
  let dir: string;
  beforeAll(async () => {
    const f = standardFixture();
    const { json, forecasts } = await planScenario('scenario.yaml', f.dir);
    dir = join(f.dir, 'out');
    mkdirSync(dir);
    writeFileSync(join(dir, 'plan.json'), json);
    writeFileSync(join(dir, 'forecast.json'), JSON.stringify(forecasts));
  });

  it('renders report.html beside plan.json from a directory', async () => {
    const ctx = memoryContext({ cwd: dir });
    expect(await run(['report', '.'], ctx)).toBe(0);
    expect(ctx.out()).toMatch(/^wrote report\.html \(\d+ KB\)\n$/);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('history and forecast');
  });

  it('--pdf without a Chromium is bad input, one line, exit 2', async () => {
    const ctx = memoryContext({ cwd: dir, env: { CHROMIUM_PATH: '/nonexistent/chromium' } });
    expect(await run(['report', 'plan.json', '--out', 'x.html', '--pdf', 'x.pdf'], ctx)).toBe(2);
    expect(existsSync(join(dir, 'x.html'))).toBe(false);
    expect(ctx.err()).toBe('headroom: --pdf: no Chromium to print with: $CHROMIUM_PATH (/nonexistent/chromium) does not exist (install one, e.g. apt-get install chromium, or set CHROMIUM_PATH)\n');
  });

  it('refuses a file that is not a saved result, naming it', async () => {
    const other = join(mkdtempSync(join(tmpdir(), 'headroom-report-')), 'other.json');
    writeFileSync(other, '{"hello": 1}');
    const ctx = memoryContext({ cwd: dir });
    expect(await run(['report', other], ctx)).toBe(2);
    expect(ctx.err()).toBe(`headroom: ${other}: expected plan.json (format headroom-plan/2), validation.json, validation-scenario.json or drill.json\n`);
  });

  it('refuses a directory without a result', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'headroom-report-'));
    await expect(readReportInput(empty)).rejects.toThrow(`${empty}: the directory holds none of plan.json, validation-scenario.json, validation.json, drill.json`);
  });

  it('classifies by shape and names an unknown format', () => {
    expect(classifyReportInput('a.json', { steps: [], knee: {}, criteria: {} })).toBe('validation');
    expect(classifyReportInput('a.json', { endpoints: [], verdict: {} })).toBe('validation-scenario');
    expect(classifyReportInput('a.json', { kind: 'headroom-drill', version: 1, drill: {}, timeline: [{}], verdict: {} })).toBe('drill');
    expect(() => classifyReportInput('d.json', { kind: 'headroom-drill', version: 2, drill: {}, timeline: [{}], verdict: {} })).toThrow('d.json version: expected 1 (a drill.json this headroom writes), got 2');
    expect(() => classifyReportInput('d.json', { kind: 'headroom-drill', version: 1, drill: {}, timeline: [], verdict: {} })).toThrow('d.json: a drill.json with no timeline or no verdict');
    expect(() => classifyReportInput('a.json', { format: 'headroom-plan/9' })).toThrow('a.json format: expected headroom-plan/2, got "headroom-plan/9"');
    expect(() => classifyReportInput('old/plan.json', { format: 'headroom-plan/1', variants: [{}], periods: [{}] })).toThrow(
      'old/plan.json format: expected headroom-plan/2, got "headroom-plan/1" (written by an older headroom, before dates per rule): run headroom plan again',
    );
  });
});

describe('backtestHoldout', () => {
  it('holds out a quarter of the history, at most the horizon', () => {
    expect(backtestHoldout(762, 738)).toBe(190);
    expect(backtestHoldout(400, 60)).toBe(60);
    expect(backtestHoldout(3, 10)).toBe(0);
  });
});

describe('findChromium', () => {
  it('takes $CHROMIUM_PATH first, then the usual paths in order, else undefined', () => {
    const has = (set: string[]) => (p: string) => set.includes(p);
    expect(findChromium({ CHROMIUM_PATH: '/opt/c' }, has(['/opt/c', '/usr/bin/chromium']))).toBe('/opt/c');
    expect(findChromium({ CHROMIUM_PATH: '/opt/c' }, has(['/usr/bin/chromium']))).toBeUndefined();
    expect(findChromium({}, has(['/usr/bin/google-chrome', '/usr/bin/chromium-browser']))).toBe('/usr/bin/chromium-browser');
    expect(findChromium({}, has([]))).toBeUndefined();
  });
});

describe('the validation scenario page', () => {
  it('shows every endpoint, escapes names and URLs, and says why one did not run', async () => {
    const { readFileSync: read } = await import('node:fs');
    const { renderScenarioReport } = await import('../../src/internal.js');
    const one = JSON.parse(read(join(import.meta.dirname, '..', 'fixtures', 'report', 'validation.json'), 'utf8'));
    const html = await renderScenarioReport({
      scenario: 'scenarios/<b>demo</b>.yaml',
      name: 'demo & co',
      modelPath: 'models/serve-demo.yaml',
      generatorCeiling: 21117,
      endpoints: [
        { name: 'cpu', url: one.url, service: 'cpu', report: one, error: null, ok: false },
        { name: '<i>io</i>', url: 'http://127.0.0.1:8080/io?a=1&b=2', service: null, report: null, error: 'connection refused <x>', ok: false },
      ],
      verdict: { ok: false, message: '1 of 2 endpoints failed' },
    });
    expect(html).toContain('<title>Validation: demo &amp; co</title>');
    expect(html).toContain('scenarios/&lt;b&gt;demo&lt;/b&gt;.yaml');
    expect(html).toContain('Endpoint &lt;i&gt;io&lt;/i&gt;');
    expect(html).toContain('http://127.0.0.1:8080/io?a=1&amp;b=2');
    expect(html).toContain('<p class="fail">connection refused &lt;x&gt;</p>');
    expect((html.match(/<svg role="img"/g) ?? []).length).toBe(3);
    expect(html).not.toMatch(/<(b|i|x)>/);
  });
});

describe('pages at the edges', () => {
  const bad = /NaN|Infinity|undefined|\[object Object\]/;

  it('a quarterly plan with one variant whose fleets last the horizon', async () => {
    const f = standardFixture({ fleetMm: 200, fleetMmr: 200, horizon: 4 });
    writeFileSync(f.scenario, readFileSync(f.scenario, 'utf8').replace('period: month', 'period: quarter'));
    const { plan, forecasts } = await planScenario('scenario.yaml', f.dir);
    expect(plan.period).toBe('quarter');
    const html = await renderPlanReport(plan, forecasts);
    const t = text(html);
    expect(t).not.toMatch(bad);
    expect(t).toContain(`In the base plan every current fleet lasts beyond ${plan.periods[plan.periods.length - 1]!.label}.`);
    expect(t).toContain('the quarterly bill goes from');
    expect(t).toContain(`Over 4 quarters the base plan costs ${money(plan.variants[0]!.totalCost, 'EUR')}.`);
  });

  it('a validation without a sweep, a model or a knee', async () => {
    const { renderValidationReport } = await import('../../src/internal.js');
    const one = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'report', 'validation.json'), 'utf8'));
    const bare = { ...one, sweep: null, usl: null, prediction: null, generatorCeiling: null, generator: null, knee: { rate: null, reason: 'no step passed' }, saturationThroughput: null, saturationReached: false };
    const html = await renderValidationReport(bare);
    const t = text(html);
    expect(t).not.toMatch(bad);
    expect(t).toContain('No step met the criteria (no step passed); no step saturated.');
    expect(t).toContain('Generator ceiling: not measured');
    expect((html.match(/<svg role="img"/g) ?? []).length).toBe(2);
  });
});

describe('the exhaustion adapter', () => {
  const periods = [0, 1, 2].map((i) => ({ index: i, label: `2027-0${i + 1}`, startMs: Date.UTC(2027, i, 1), endMs: Date.UTC(2027, i + 1, 1), hours: 720 }));
  const plan = { maxUtilization: 0.7, redundancy: { spare: 0, zoneLoss: true, zones: 3 } };

  it('reads the headline rule and the date of every rule from plan.json, earliest first', async () => {
    const { serviceExhaustion, ruleDates, runsOutOf } = await import('../../src/internal.js');
    // Demand 100, 200, 300 against a fleet whose limits are: zone-loss cover 150, cap 250, SLO 280, saturation 400.
    const rules = ruleDates({ saturation: 400, slo: 280, cap: 250, redundancy: 150, sloByMemory: false }, [100, 200, 300], periods);
    const runsOut = runsOutOf(rules, periods, 14 * 86_400_000);
    const e = serviceExhaustion({ service: 'api', rules, runsOut } as never, plan);
    expect(e.period).toBe('2027-02');
    expect(e.binding).toBe('zone-loss cover');
    expect(e.orderByMs).toBe(Date.UTC(2027, 1, 1) - 14 * 86_400_000);
    expect(e.byRule).toEqual([
      { rule: 'zone-loss cover', period: '2027-02', dateMs: Date.UTC(2027, 1, 1) },
      { rule: 'utilisation cap 70%', period: '2027-03', dateMs: Date.UTC(2027, 2, 1) },
      { rule: 'SLO', period: '2027-03', dateMs: Date.UTC(2027, 2, 1) },
      { rule: 'saturation', period: undefined, dateMs: undefined },
    ]);
  });

  it('says nothing binds when the fleet keeps every rule', async () => {
    const { serviceExhaustion, ruleDates, runsOutOf } = await import('../../src/internal.js');
    const rules = ruleDates({ saturation: 1000, slo: 900, cap: 800, redundancy: 700, sloByMemory: false }, [100, 200, 300], periods);
    const e = serviceExhaustion({ service: 'api', rules, runsOut: runsOutOf(rules, periods, 0) } as never, plan);
    expect(e.period).toBeUndefined();
    expect(e.binding).toBeUndefined();
  });
});

