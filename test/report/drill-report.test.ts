import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryContext } from '../../src/cli/context.js';
import { run } from '../../src/cli/main.js';
import type { DrillReport } from '../../src/drill/report.js';
import { renderDrillReport } from '../../src/internal.js';
import { p99Spec } from '../../src/report/drill-charts.js';
import { latencyWords, measuredLatency, predictedLatency } from '../../src/report/drill-view.js';

/**
 * The drill page from four real drill.json files, each written by `headroom drill ... --out` against serve-demo
 * --workers 4 --fault-control on 127.0.0.1 (a shared 2-core machine): scenarios/drill-demo.yaml keeps its SLO through
 * the fault, as predicted; scenarios/drill-demo-retries.yaml tips into a retry storm in which no request succeeds
 * from second 13 to the end, measured and predicted; drill-aborted.json is test/drill/rollback.test.ts's abort case
 * (serve-demo paused, abort on p99 above 1 s for 1 s); drill-rollback-failed.json its failing rollback command
 * (`sh -c "echo cannot; exit 4"`).
 */

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'report');
const load = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as DrillReport;
/** The page's text with tags removed and the five escaped characters decoded. */
const text = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');

/** Raw JSON rows of the timeline, read without the page's code: null latencies stay null. */
interface RawRow {
  t: number;
  measured: { achieved: number; errors: number; inFlight: number; p99: number | null } | null;
  predicted: { offered: number; achieved: number; errors: number; inFlight: number; p99: number | null };
}
const raw = (name: string) => (JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as { timeline: RawRow[] }).timeline;

describe('drill.json latencies read honestly', () => {
  it('tells an unbounded second (nothing succeeded, requests failed or waited) from an empty one', () => {
    const stuck = { offered: 117, achieved: 0, p50: null, p99: null, errors: 3, timeouts: 3, retries: 312, inFlight: 443, oldestInFlight: 3.6 } as never;
    expect(measuredLatency(stuck, 'p99')).toEqual({ kind: 'unbounded' });
    const idle = { offered: 0, achieved: 0, p50: null, p99: null, errors: 0, timeouts: 0, retries: 0, inFlight: 0, oldestInFlight: 0 } as never;
    expect(measuredLatency(idle, 'p99')).toEqual({ kind: 'none' });
    expect(measuredLatency(null, 'p99')).toEqual({ kind: 'none' });
    expect(predictedLatency({ offered: 0, achieved: 0, p50: null, p99: null, p99Ci95: [null, null], errors: 0, timeouts: 0, retries: 0, inFlight: 0 } as never, 'p99')).toEqual({ kind: 'none' });
    expect(latencyWords({ kind: 'value', seconds: 1.8094 })).toBe('1.81 s');
    expect(latencyWords({ kind: 'value', seconds: 0.045 })).toBe('45 ms');
    expect(latencyWords({ kind: 'unbounded' })).toBe('no answer');
  });

  it('marks exactly the seconds the drill found stuck, and draws no number for them', () => {
    const rows = raw('drill-demo-retries.json');
    // Independently: load.ts's rule (no success while some failed or were in flight) on the raw JSON.
    const mStuck = rows.filter((r) => r.measured !== null && r.measured.p99 === null && r.measured.achieved === 0 && (r.measured.errors > 0 || r.measured.inFlight > 0)).map((r) => r.t + 0.5);
    const pStuck = rows.filter((r) => r.predicted.p99 === null).map((r) => r.t + 0.5);
    expect(mStuck).toEqual([13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25].map((t) => t + 0.5));
    const spec = JSON.stringify(p99Spec(load('drill-demo-retries.json')));
    const layers = (JSON.parse(spec) as { layer: Array<{ mark: { type: string; shape?: string; filled?: boolean }; data: { values: Array<Record<string, unknown>> } }> }).layer;
    const markers = layers.filter((l) => l.mark.type === 'point' && l.mark.shape === 'triangle-up');
    expect(markers.find((l) => l.mark.filled)!.data.values.map((v) => v.x)).toEqual(mStuck);
    expect(markers.find((l) => !l.mark.filled)!.data.values.map((v) => v.x)).toEqual(pStuck);
    // The lines carry null (a break) there, never a number standing in for "no answer".
    const line = layers.find((l) => l.mark.type === 'line')!.data.values;
    for (const x of mStuck) expect(line.find((v) => v.x === x && v.series === 'measured p99')!.ms).toBeNull();
    expect(spec).not.toMatch(/NaN|Infinity/);
  });
});

describe('the drill page', () => {
  let demo: string;
  let storm: string;
  beforeAll(async () => {
    demo = text(await renderDrillReport(load('drill-demo.json')));
    storm = text(await renderDrillReport(load('drill-demo-retries.json')));
  });

  it('gives the verdict first, in words: SLO, prediction, rollback, run', () => {
    const r = load('drill-demo.json');
    expect(r.verdict.ok).toBe(true);
    expect(demo).toContain('Passed: the SLO held through the fault, as the model predicted; the fault was rolled back.');
    expect(demo).toContain('The SLO (p99 under 3 s, at most 1% of requests failed) held before, during and after the fault.');
    // Peak p99 and the recovery as drill.json says them, formatted here: 1.8094 s -> "1.81 s".
    const s3 = (x: number) => `${Number(x.toPrecision(3))} s`;
    expect(demo).toContain(`peak p99 ${s3(r.verdict.peakP99.measured!)} measured against ${s3(r.verdict.peakP99.predicted!)} predicted (within ±35%)`);
    expect(demo).toContain(`time to recover after the rollback ${r.verdict.recoverySeconds.measured} s`);
    expect(demo).toContain('The fault was rolled back (applied at 10 s, rolled back at 18 s) and the rollback succeeded.');
    expect(demo).toContain('The drill ran its full 30 s.');
    expect(demo.indexOf('Passed:')).toBeLessThan(demo.indexOf('p99 latency per second'));
  });

  it('says where the SLO broke and that no request succeeded, as predicted, in the retry storm', () => {
    expect(storm).toContain('Failed: the SLO broke, as the model predicted; the fault was rolled back.');
    expect(storm).toContain('broke during and after the fault (during: p99 790 ms, 16.4% failed; after: p99 no answer, 100.0% failed)');
    expect(storm).toContain('peak p99 no answer, measured and predicted');
    expect(storm).toContain('then no request succeeded in 13 seconds from 13 s (predicted: the same seconds)');
    expect(storm).toContain('a retry storm that outlasted the fault');
  });

  it('lists the fault actions with their statuses, and prints no NaN, Infinity, null or undefined', () => {
    expect(demo).toMatch(/apply 10\.0 s POST http:\/\/127\.0\.0\.1:\d+\/_fault \{"workersDown":2,"ttl":68\} ok 200/);
    expect(demo).toMatch(/rollback 18\.0 s DELETE http:\/\/127\.0\.0\.1:\d+\/_fault ok 200/);
    for (const t of [demo, storm]) expect(t).not.toMatch(/NaN|Infinity|undefined|null|\[object Object\]/);
  });

  it('shows user strings as text', async () => {
    const r = load('drill-demo.json');
    const hostile = { ...r, drill: { ...r.drill, name: '<script>alert(1)</script>', fault: { ...r.drill.fault, actions: ['command: <img src=x onerror=alert(2)>'] } } };
    const html = await renderDrillReport(hostile);
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('the drill page when the drill goes wrong', () => {
  it('says first that the drill stopped early, and that the prediction could not be judged', async () => {
    const r = load('drill-aborted.json');
    expect(r.verdict.aborted).toBe('abort condition: for 1 s p99 above 1 s');
    const t = text(await renderDrillReport(r));
    expect(t).toContain('Failed: the drill stopped early; the SLO held before the fault (the prediction could not be judged); the fault was rolled back.');
    expect(t).toContain('The drill stopped early: abort condition: for 1 s p99 above 1 s.');
    expect(t).toContain(`rolled back at ${Number(r.rolledBack[0]!.startedAt.toPrecision(3))} s`);
    expect(t).toContain('Prediction not judged');
    expect(t).toContain('the drill stopped before the recovery could be seen');
    expect(t).not.toMatch(/NaN|Infinity|undefined|null|\[object Object\]/);
  });

  it('puts a failed rollback first, with its exit status and the state file to retry it with', async () => {
    const r = load('drill-rollback-failed.json');
    const t = text(await renderDrillReport(r));
    expect(t).toContain('Failed: THE ROLLBACK FAILED, the fault may still be in force; the SLO held through the fault (the prediction could not be judged).');
    expect(t).toContain('Rollback FAILED');
    expect(t).toContain('rollback 5.0 s sh -c echo cannot; exit 4 FAILED 4');
    expect(t).toContain(`headroom drill --rollback ${r.stateFile}`);
    expect(t).not.toMatch(/NaN|Infinity|undefined|null|\[object Object\]/);
  });
});

describe('headroom report on a drill', () => {
  it('renders report.html beside drill.json from the --out directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-report-drill-'));
    copyFileSync(join(FIXTURES, 'drill-demo.json'), join(dir, 'drill.json'));
    writeFileSync(join(dir, 'timeline.csv'), '');
    const ctx = memoryContext({ cwd: dir });
    expect(await run(['report', '.'], ctx)).toBe(0);
    expect(ctx.out()).toMatch(/^wrote report\.html \(\d+ KB\)\n$/);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<title>Failure drill: drill-demo</title>');
    expect((html.match(/<svg role="img"/g) ?? []).length).toBe(4);
  });
});
