/**
 * History the readers must not pass on silently: values too large for a double, a history that is mostly invented by
 * interpolation, negative values where a rate or count cannot be negative.
 */
import { describe, expect, it } from 'vitest';
import { errorOf } from '../helpers/error-of.js';
import { formatIso, parseCsvText, parseJsonText, regularize, type RawRows } from '../../src/internal.js';
import { repairPrometheusGaps } from '../../src/series/prometheus-repair.js';
import type { PrometheusReadResult } from '../../src/series/prometheus-types.js';


const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 0, 1);

function rows(t: number[], v: number[]): RawRows {
  return { t, v, line: t.map((_, i) => i + 2), text: t.map(formatIso), kind: 'datetime-zoned' };
}

describe('values that are not finite', () => {
  it('a CSV value that overflows a double (1e400) is refused with file:line, exit 2', () => {
    const e = errorOf(() => parseCsvText('timestamp,value\n2025-01-01,1\n2025-01-02,1e400\n2025-01-03,3\n2025-01-04,4\n', 'inf.csv'));
    expect(e.code).toBe('SERIES_INVALID');
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('inf.csv:3: value "1e400" in column value is too large to compute with; values must be finite numbers within ±1.8e308');
  });

  it('a negative overflow too', () => {
    const e = errorOf(() => parseCsvText('timestamp,value\n2025-01-01,1\n2025-01-02,2\n2025-01-03,-1e999\n', 'inf.csv'));
    expect(e.message).toBe('inf.csv:4: value "-1e999" in column value is too large to compute with; values must be finite numbers within ±1.8e308');
  });

  it('a JSON number that overflows is refused with its line', () => {
    const text = '[\n{"timestamp": "2025-01-01", "value": 1},\n{"timestamp": "2025-01-02", "value": 1e400},\n{"timestamp": "2025-01-03", "value": 3}\n]\n';
    const e = errorOf(() => parseJsonText(text, 'inf.json'));
    expect(e.code).toBe('SERIES_INVALID');
    expect(e.message).toBe('inf.json:3: value Infinity in column value is too large to compute with; values must be finite numbers within ±1.8e308');
  });
});

describe('the share of interpolated points', () => {
  // 200 hourly points with 11 holes of 2: each within the default longest gap (4), 22 points (11%) invented
  const t: number[] = [];
  const v: number[] = [];
  for (let k = 0; k < 200; k++) {
    if (k % 18 === 5 || k % 18 === 6) continue;
    t.push(T0 + k * HOUR);
    v.push(100 + k);
  }

  it('more than 10% invented under the default limit is refused, naming how much', () => {
    const e = errorOf(() => regularize(rows(t, v), { name: 'x', source: 'holes.csv' }));
    expect(e.code).toBe('SERIES_GAP');
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('holes.csv: 22 of 200 points (11.0%) would be invented by interpolation; at most 10% are filled unless the longest gap to fill is given explicitly');
  });

  it('with the longest gap given, it is filled and the share is said', () => {
    const r = regularize(rows(t, v), { name: 'x', source: 'holes.csv', maxGapPoints: 2 });
    expect(r.repairs.notes).toContain('22 of 200 points (11.0%) are interpolated, not measured');
    expect(r.series.v[5]).toBe(105);
  });

  it('a few filled points are said too', () => {
    const r = parseCsvText('timestamp,value\n2025-01-01T00:00Z,1\n2025-01-01T02:00Z,3\n2025-01-01T03:00Z,4\n2025-01-01T04:00Z,5\n', 'one.csv');
    expect(r.repairs.notes).toEqual(['1 of 5 points (20.0%) are interpolated, not measured']);
  });
});

describe('negative values', () => {
  it('are noted with the line of the first', () => {
    const r = parseCsvText('timestamp,requests\n2025-01-01,10\n2025-01-02,12\n2025-01-03,-3\n2025-01-04,11\n2025-01-05,-1\n', 'neg.csv');
    expect(r.repairs.notes).toEqual(['2 values are negative (the first at neg.csv:4): a rate, count or utilisation cannot be negative; check the source']);
  });
});

describe('the share of interpolated points in a Prometheus read', () => {
  // a 1 s step over 2 hours with a 55-second hole every minute: each hole is within the default longest gap (2% of
  // 7,200 points = 144), and 92% of the history would be invented (120 holes of 55 points but the last point's)
  const n = 7200;
  const v = new Float64Array(n);
  const gaps: Array<{ startMs: number; points: number }> = [];
  for (let i = 0; i < n; i++) v[i] = i % 60 < 5 || i === n - 1 ? 100 + (i % 7) : NaN;
  for (let i = 5; i < n - 1; i += 60) gaps.push({ startMs: T0 + i * 1000, points: Math.min(55, n - 1 - i) });
  const read = {
    series: { name: 'rps', t: Float64Array.from({ length: n }, (_, i) => T0 + i * 1000), v, stepMs: 1000, source: 'http://prom:9090/ rate(x[1m])' },
    repairs: { filledGaps: [], duplicatesDropped: 0, resampled: false, notes: [] },
    gaps,
  } as unknown as PrometheusReadResult;

  it('is refused under the default limit, saying how much would be invented', () => {
    const e = errorOf(() => repairPrometheusGaps(read));
    expect(e.code).toBe('SERIES_GAP');
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe(
      'http://prom:9090/ rate(x[1m]): 6599 of 7200 points (91.7%) would be invented by interpolation; at most 10% are filled unless the longest gap to fill is given explicitly',
    );
  });

  it('is filled when the longest gap is given, and the share is said', () => {
    const r = repairPrometheusGaps(read, { maxGapPoints: 60 });
    expect(r.repairs.notes).toEqual(['6599 of 7200 points (91.7%) are interpolated, not measured']);
  });
});
