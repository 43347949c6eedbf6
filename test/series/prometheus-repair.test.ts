/**
 * The file readers' gap policy applied to Prometheus history, on an answer recorded from the real server (day 3 of
 * api/a, hourly, whose 07:00 sample is NaN) and replayed on loopback.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repairPrometheusGaps } from '../../src/series/prometheus-repair.js';
import { readPrometheus } from '../../src/series/read-prometheus.js';
import { DAY, HOUR, METRIC, T0, headroomFailure, startReplayServer, type RecordedAnswer, type ReplayServer } from '../helpers/prometheus.js';

const recorded = JSON.parse(readFileSync(new URL('../fixtures/prometheus/recorded.json', import.meta.url), 'utf8')) as RecordedAnswer[];
const D3 = T0 + 3 * DAY;
const API_A = `${METRIC}{service="api",zone="a"}`;

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer(recorded);
});
afterAll(async () => {
  await server.close();
});

const fetchDay = () => readPrometheus({ url: server.url, query: API_A, startMs: D3, endMs: D3 + DAY, stepMs: HOUR }, { env: {} });

describe('repairPrometheusGaps', () => {
  it('fills a short gap by linear interpolation between its neighbours and lists it', async () => {
    const read = await fetchDay();
    expect(read.series.v[7]).toBeNaN();
    const fixed = repairPrometheusGaps(read);
    // The straight line through 06:00 and 08:00, at 07:00 (the values recorded from the server).
    expect(fixed.series.v[7]).toBe(809.787 + (942.519 - 809.787) / 2);
    expect(fixed.repairs.filledGaps).toEqual([{ startMs: D3 + 7 * HOUR, points: 1 }]);
    expect(Array.from(fixed.series.v.subarray(0, 7))).toEqual(Array.from(read.series.v.subarray(0, 7)));
    // The read result itself is left as it was.
    expect(read.series.v[7]).toBeNaN();
    expect(read.repairs.filledGaps).toEqual([]);
  });

  it('refuses a gap longer than allowed, naming the source, the gap and the limit', async () => {
    const e = await headroomFailure(Promise.resolve().then(async () => repairPrometheusGaps(await fetchDay(), { maxGapPoints: 0 })));
    expect(e.message).toBe(
      `${server.url}/ ${API_A}: 1 missing steps of 1h between 2026-01-08T06:00:00Z and 2026-01-08T08:00:00Z; at most 0 can be filled by interpolation`,
    );
    expect(e.code).toBe('SERIES_GAP');
    expect(e.exitCode).toBe(2);
  });

  it("keeps a long gap as NaN when asked, with a note", async () => {
    const fixed = repairPrometheusGaps(await fetchDay(), { maxGapPoints: 0, longGaps: 'keep' });
    expect(fixed.series.v[7]).toBeNaN();
    expect(fixed.repairs.notes?.at(-1)).toBe('1 gap longer than 0 steps left unfilled (1 points)');
  });
});
