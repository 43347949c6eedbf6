import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryContext } from '../../src/cli/context.js';
import { run } from '../../src/cli/main.js';
import { describeRepairs } from '../../src/report/forecast-text.js';
import { webRequestsCsv } from '../../scripts/make-example-data.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIX = fileURLToPath(new URL('../fixtures/series/', import.meta.url));
const H = 3_600_000;
let dir = '';

interface JsonPoint { timestamp: string; mean: number; lo80: number; hi80: number; lo95: number; hi95: number }
interface JsonOut { model: string; points: JsonPoint[]; backtest?: Record<string, number | string> }

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'headroom-forecast-cli-'));
  // three weeks of the example service (known daily peak at 15:00 UTC, weekends lower), last point 2025-09-21T23:00Z
  writeFileSync(join(dir, 'three-weeks.csv'), webRequestsCsv({ points: 21 * 24, seed: 7 }));
  writeFileSync(join(dir, 'short.csv'), webRequestsCsv({ points: 10, seed: 7 }));
  // three days at a 5-minute step with a daily cycle
  const rows = Array.from({ length: 3 * 288 }, (_, i) => `${new Date(Date.UTC(2025, 0, 1) + i * 300_000).toISOString()},${(100 + 50 * Math.sin((2 * Math.PI * i) / 288)).toFixed(3)}`);
  writeFileSync(join(dir, 'five-minutes.csv'), `timestamp,rps\n${rows.join('\n')}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[], cwd = dir) {
  const ctx = memoryContext({ cwd });
  const code = await run(argv, ctx);
  return { code, out: ctx.out(), err: ctx.err() };
}

function checkPoints(points: JsonPoint[], lastMs: number, stepMs: number, n: number): void {
  expect(points).toHaveLength(n);
  points.forEach((p, i) => {
    expect(p.timestamp).toBe(new Date(lastMs + (i + 1) * stepMs).toISOString().replace('.000Z', 'Z'));
    for (const x of [p.mean, p.lo80, p.hi80, p.lo95, p.hi95]) expect(Number.isFinite(x)).toBe(true);
    expect(p.lo95).toBeLessThanOrEqual(p.lo80);
    expect(p.lo80).toBeLessThanOrEqual(p.mean);
    expect(p.mean).toBeLessThanOrEqual(p.hi80);
    expect(p.hi80).toBeLessThanOrEqual(p.hi95);
  });
}

describe('headroom forecast --json (the contract)', () => {
  it('prints {"model", "points"} with exactly N points at the step after the last input', async () => {
    const r = await cli(['forecast', 'three-weeks.csv', '--horizon', '48', '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as JsonOut;
    expect(Object.keys(out).slice(0, 2)).toEqual(['model', 'points']);
    expect(typeof out.model).toBe('string');
    expect(out.model.length).toBeGreaterThan(0);
    for (const p of out.points) expect(Object.keys(p)).toEqual(['timestamp', 'mean', 'lo80', 'hi80', 'lo95', 'hi95']);
    checkPoints(out.points, Date.UTC(2025, 8, 21, 23), H, 48);
    // the generator peaks at 15:00 UTC on weekdays: the forecast's busiest hour of Monday 2025-09-22 is 14–16h
    const monday = out.points.slice(0, 24);
    const peak = monday.reduce((a, b) => (b.mean > a.mean ? b : a));
    expect(['14', '15', '16']).toContain(peak.timestamp.slice(11, 13));
  });

  it('reports what it repaired, the fit and the backtest after the contract fields', async () => {
    const r = await cli(['forecast', 'scenarios/data/web-requests-hourly.csv', '--horizon', '24', '--backtest', '24', '--season', '24,168', '--json'], ROOT);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as JsonOut & Record<string, unknown>;
    checkPoints(out.points, Date.UTC(2025, 10, 9, 23), H, 24);
    expect(out.repairs).toEqual({ filledGaps: [{ start: '2025-10-09T10:00:00Z', points: 2 }], duplicatesDropped: 0, resampled: false, notes: ['2 of 1680 points (0.12%) are interpolated, not measured'] });
    expect(out.seasonalPeriods).toEqual([24, 168]);
    expect(out.history).toMatchObject({ column: 'requests_per_s', points: 1680, step: '1h', first: '2025-09-01T00:00:00Z', last: '2025-11-09T23:00:00Z' });
    const bt = out.backtest!;
    expect(bt.holdout).toBe(24);
    for (const k of ['coverage80', 'coverage95'] as const) {
      expect(bt[k]).toBeGreaterThanOrEqual(0);
      expect(bt[k]).toBeLessThanOrEqual(1);
    }
    expect(bt.mase).toBeGreaterThan(0);
  });

  it('stamps a monthly (month-end) history with calendar month ends', async () => {
    const r = await cli(['forecast', 'monthly-end.csv', '--horizon', '3', '--model', 'linear', '--season', 'none', '--json'], FIX);
    expect(r.err).toBe('');
    const out = JSON.parse(r.out) as JsonOut;
    expect(out.points.map((p) => p.timestamp)).toEqual(['2024-04-30T00:00:00Z', '2024-05-31T00:00:00Z', '2024-06-30T00:00:00Z']);
  });

  it('a multiplier event scales the forecast from its date: x1.5 gives exactly 1.5 times the means', async () => {
    const base = JSON.parse((await cli(['forecast', 'three-weeks.csv', '--horizon', '48', '--model', 'ets', '--season', '24', '--json'])).out) as JsonOut;
    const ev = JSON.parse(
      (await cli(['forecast', 'three-weeks.csv', '--horizon', '48', '--model', 'ets', '--season', '24', '--json', '--event', 'launch@2025-09-23:x1.5'])).out,
    ) as JsonOut;
    for (let i = 0; i < 48; i++) {
      const factor = i < 24 ? 1 : 1.5; // 2025-09-23T00:00Z is the 25th point
      expect(ev.points[i]!.mean).toBeCloseTo(base.points[i]!.mean * factor, 6);
    }
  });
});

describe('headroom forecast (text)', () => {
  it('prints a summary and the peak of each day for a week of hourly forecast', async () => {
    const r = await cli(['forecast', 'scenarios/data/web-requests-hourly.csv', '--horizon', '168'], ROOT);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('Forecast of requests_per_s from scenarios/data/web-requests-hourly.csv');
    expect(lines[1]).toBe('  history  1680 points at 1h, 2025-09-01T00:00:00Z to 2025-11-09T23:00:00Z');
    expect(lines[2]).toBe('  repairs  filled 1 gap by linear interpolation (2 points from 2025-10-09T10:00:00Z); 2 of 1680 points (0.12%) are interpolated, not measured');
    expect(lines[3]).toMatch(/^ {2}model {4}\S/);
    expect(lines[4]).toMatch(/^ {2}fit {6}RMSE \d+(\.\d+)?, MASE \d+\.\d\d \(one step ahead, in sample\)$/);
    expect(lines[5]).toMatch(/^ {2}growth {3}[+-]\d+(\.\d+)? per month \([+-]\d+\.\d% per month\), the model's own rate$/);
    // The mean path's growth as a second figure, when it differs from the model's rate: a week of forecast is read with
    // the history's three weeks before it (the window is four whole weeks), and says so.
    expect(lines[6]).toMatch(/^ {11}[+-]\d+(\.\d+)? per month \([+-]\d+\.\d% per month\), the last 4 weeks of history and forecast joined$/);
    expect(lines[7]).toBe('  horizon  168 steps of 1h, 2025-11-10T00:00:00Z to 2025-11-16T23:00:00Z');
    expect(lines[9]).toBe('Peak of each day (the step with the highest mean; 7 of 168 points; --all prints every point, --json all as JSON):');
    const rows = lines.slice(11).filter((l) => l.trim() !== '');
    expect(rows).toHaveLength(7);
    // weekday peaks at 14–16h UTC, and the weekend (15th, 16th) lower than Monday
    const mean = (l: string): number => Number(l.trim().split(/\s+/)[1]);
    rows.forEach((l, i) => expect(l.trim().startsWith(`2025-11-${String(10 + i)}T1`)).toBe(true));
    expect(mean(rows[5]!)).toBeLessThan(mean(rows[0]!));
    expect(mean(rows[6]!)).toBeLessThan(mean(rows[0]!));
  });

  it('describes every repair in one line, each gap up to five', () => {
    const series = { name: 'x', t: Float64Array.of(0, H), v: Float64Array.of(1, 2), stepMs: H, source: 'x.csv' };
    const none = { filledGaps: [], duplicatesDropped: 0, resampled: false };
    expect(describeRepairs({ series, repairs: none })).toBe('none');
    const gaps = [1, 2, 3, 4, 5, 6, 7].map((k) => ({ startMs: Date.UTC(2024, 0, k), points: k === 1 ? 1 : 2 }));
    expect(describeRepairs({ series, repairs: { filledGaps: gaps, duplicatesDropped: 2, resampled: true, notes: ['timestamps without a time zone were read as UTC'] } })).toBe(
      'filled 7 gaps by linear interpolation (1 point from 2024-01-01T00:00:00Z, 2 points from 2024-01-02T00:00:00Z, ' +
        '2 points from 2024-01-03T00:00:00Z, 2 points from 2024-01-04T00:00:00Z, 2 points from 2024-01-05T00:00:00Z, and 2 more (--json lists all)); ' +
        'dropped 2 exact duplicate rows; resampled irregular timestamps onto the 1h step; timestamps without a time zone were read as UTC',
    );
  });

  it('groups by the smallest calendar period that keeps the table short: hours for a day of 5-minute steps', async () => {
    const r = await cli(['forecast', 'five-minutes.csv', '--horizon', '288', '--model', 'snaive', '--season', '288']);
    expect(r.out).toContain('Peak of each hour (the step with the highest mean; 24 of 288 points;');
    expect(r.out.split('\n').filter((l) => /^ {2}2025-01-04T/.test(l))).toHaveLength(24);
  });

  it('prints every point rather than a handful of peaks: 72 hourly steps are 72 rows', async () => {
    const r = await cli(['forecast', 'three-weeks.csv', '--horizon', '72', '--model', 'snaive', '--season', '24']);
    expect(r.out).not.toContain('Peak of each');
    expect(r.out.split('\n').filter((l) => /^ {2}2025-/.test(l))).toHaveLength(72);
  });

  it('prints every point with --all, aligned', async () => {
    const r = await cli(['forecast', 'three-weeks.csv', '--horizon', '60', '--all', '--model', 'snaive', '--season', '24']);
    const rows = r.out.split('\n').filter((l) => /^ {2}2025-/.test(l));
    expect(rows).toHaveLength(60);
    expect(new Set(rows.map((l) => l.length)).size).toBe(1);
  });

  it('shows an example in --help', async () => {
    const r = await cli(['forecast', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('$ headroom forecast scenarios/data/web-requests-hourly.csv --horizon 168');
  });
});

describe('headroom forecast: bad input exits 2 with one exact line', () => {
  const cases: Array<[string[], string]> = [
    [['three-weeks.csv'], '--horizon is required: the number of steps to forecast, e.g. --horizon 168'],
    [['three-weeks.csv', '--horizon', '-3'], '--horizon: expected a positive integer, got "-3"'],
    [['three-weeks.csv', '--horizon', '0'], '--horizon: expected a positive integer, got "0"'],
    [['three-weeks.csv', '--horizon', '1.5'], '--horizon: expected a positive integer, got "1.5"'],
    [['three-weeks.csv', '--horizon', 'week'], '--horizon: expected a positive integer, got "week"'],
    [['three-weeks.csv', '--horizon', '24', '--model', 'prophet'], '--model: expected one of auto, linear, exponential, logistic, damped, ets, theta, mstl, naive, snaive, arima, ensemble, got "prophet"'],
    [['three-weeks.csv', '--horizon', '24', '--season', '24,x'], '--season: expected periods of at least 2 steps separated by commas (24,168 or 365.25), or none, got "24,x"'],
    [['three-weeks.csv', '--horizon', '24', '--season', '1'], '--season: expected periods of at least 2 steps separated by commas (24,168 or 365.25), or none, got "1"'],
    [['three-weeks.csv', '--horizon', '24', '--season', '0'], '--season: expected periods of at least 2 steps separated by commas (24,168 or 365.25), or none, got "0"'],
    [['three-weeks.csv', '--horizon', '24', '--season', '-1'], '--season: expected periods of at least 2 steps separated by commas (24,168 or 365.25), or none, got "-1"'],
    [['three-weeks.csv', '--horizon', '24', '--season', 'abc'], '--season: expected periods of at least 2 steps separated by commas (24,168 or 365.25), or none, got "abc"'],
    [['three-weeks.csv', '--horizon', '24', '--ceiling', '-5'], '--ceiling: expected a positive number, got "-5"'],
    [
      ['three-weeks.csv', '--horizon', '24', '--event', 'launch'],
      '--event: expected NAME@DATE:xMULT or NAME@DATE:+SHIFT (launch@2025-12-01:x1.3, migration@2025-12-01..2026-01-01:-200), got "launch"',
    ],
    [['three-weeks.csv', '--horizon', '24', '--event', 'launch@2025-13-01:x1.5'], '--event launch@2025-13-01:x1.5: timestamp "2025-13-01" is not a valid date'],
    [['three-weeks.csv', '--horizon', '24', '--event', 'launch@2025-12-01:x0'], '--event launch@2025-12-01:x0: the multiplier must be positive'],
    [['three-weeks.csv', '--horizon', '24', '--event', 'm@2025-12-01..2025-11-01:+5'], '--event m@2025-12-01..2025-11-01:+5: the end must be after the start'],
    [['three-weeks.csv', '--horizon', '24', '--mask', '2025-09-05'], '--mask: expected FROM..TO (2025-10-03..2025-10-05 or 2025-10-03T10:00Z..2025-10-03T14:00Z), got "2025-09-05"'],
    [['three-weeks.csv', '--horizon', '24', '--mask', '2025-09-05..2025-09-03'], '--mask 2025-09-05..2025-09-03: the end must be after the start'],
    [['three-weeks.csv', '--horizon', '24', '--backtest', '0'], '--backtest: expected a positive integer, got "0"'],
    [['three-weeks.csv', '--horizon', '24', '--seed', '-1'], '--seed: expected a non-negative integer, got "-1"'],
    [['--horizon', '24'], 'a history file is required, e.g. headroom forecast history.csv --horizon 24'],
    [['nope.csv', '--horizon', '24'], 'nope.csv: file not found'],
    [['three-weeks.csv', '--horizon', '24', '--column', 'cpu'], 'three-weeks.csv: no column "cpu"; the columns are timestamp, requests_per_s'],
    [['three-weeks.csv', '--horizon', '24', '--backtest', '504'], 'three-weeks.csv: backtest holdout must be a whole number of steps from 1 to 503, got 504'],
  ];
  for (const [argv, message] of cases) {
    it(argv.slice(1).join(' ') || argv.join(' '), async () => {
      const r = await cli(['forecast', ...argv]);
      expect(r.err).toBe(`headroom: ${message}\n`);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
    });
  }

  it('names the file and line of history that cannot be repaired', async () => {
    const r = await cli(['forecast', 'unsorted.csv', '--horizon', '3'], FIX);
    expect(r.err).toBe("headroom: unsorted.csv:14: timestamp 2024-01-03T01:00:00Z is earlier than the previous row's 2024-01-03T02:00:00Z\n");
    expect(r.code).toBe(2);
  });

  it('says how to fill a gap longer than the default limit, and fills it with --max-gap', async () => {
    const r = await cli(['forecast', 'long-gap.csv', '--horizon', '3'], FIX);
    expect(r.err).toBe(
      'headroom: long-gap.csv:22: 5 missing steps of 1h between 2024-01-01T19:00:00Z and 2024-01-02T01:00:00Z; ' +
        'at most 3 can be filled by interpolation (--max-gap N fills longer ones)\n',
    );
    expect(r.code).toBe(2);
    const ok = await cli(['forecast', 'long-gap.csv', '--horizon', '3', '--max-gap', '5', '--model', 'linear', '--season', 'none', '--json'], FIX);
    expect(ok.code).toBe(0);
    const out = JSON.parse(ok.out) as JsonOut & { repairs: { filledGaps: unknown[] } };
    expect(out.repairs.filledGaps).toEqual([{ start: '2024-01-01T20:00:00Z', points: 5 }]);
    // the history is the line y = hour index (gap filled on it): a linear forecast continues it exactly
    expect(out.points.map((p) => Math.round(p.mean * 1e6) / 1e6)).toEqual([30, 31, 32]);
    const bad = await cli(['forecast', 'long-gap.csv', '--horizon', '3', '--max-gap', '-1'], FIX);
    expect(bad.err).toBe('headroom: --max-gap: expected a positive integer, got "-1"\n');
  });

  it('names the file when the history is too short for the model', async () => {
    const r = await cli(['forecast', 'short.csv', '--horizon', '3', '--model', 'ets', '--season', '24']);
    expect(r.err).toMatch(/^headroom: short\.csv: history has 10 points; model ets with season 24 needs at least \d+\n$/);
    expect(r.code).toBe(2);
  });
});

describe('headroom forecast of several histories in one call', () => {
  it('prints what one call per history prints, in the order given: text blocks a blank line apart, JSON one line each', async () => {
    const files = ['three-weeks.csv', 'five-minutes.csv'];
    const one = await Promise.all(files.map((f) => cli(['forecast', f, '--horizon', '24'])));
    const both = await cli(['forecast', ...files, '--horizon', '24']);
    expect(both.code).toBe(0);
    expect(both.err).toBe('');
    expect(both.out).toBe(one.map((r) => r.out).join('\n'));
    const oneJson = await Promise.all(files.map((f) => cli(['forecast', f, '--horizon', '24', '--json'])));
    const bothJson = await cli(['forecast', ...files, '--horizon', '24', '--json']);
    expect(bothJson.out).toBe(oneJson.map((r) => r.out).join(''));
    const lines = bothJson.out.trimEnd().split('\n').map((l) => JSON.parse(l) as JsonOut);
    expect(lines.map((l) => l.points.length)).toEqual([24, 24]);
  });

  it('prints nothing when one of them is bad: the one-line error of that file, exit 2', async () => {
    const r = await cli(['forecast', 'three-weeks.csv', 'short.csv', '--horizon', '24', '--model', 'ets', '--season', '24']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(r.err).toContain('short.csv');
    const missing = await cli(['forecast', 'three-weeks.csv', 'no-such.csv', '--horizon', '24']);
    expect(missing.code).toBe(2);
    expect(missing.out).toBe('');
    expect(missing.err).toContain('no-such.csv');
  });
});
