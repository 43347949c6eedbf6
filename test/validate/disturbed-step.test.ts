import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findKnee } from '../../src/validate/knee.js';
import { DEFAULT_LIMITS } from '../../src/validate/safety.js';
import { remeasureOutOfOrder, runSteps } from '../../src/validate/steps.js';
import type { Criteria, StepResult } from '../../src/validate/types.js';

const criteria: Criteria = { sloP99: 0.1, maxErrors: 0.01, minAchievedRatio: 0.95 };

/** A step that passes (p99 10 ms) or fails (p99 300 ms) the criteria above. */
function step(rate: number, pass: boolean): StepResult {
  return {
    offeredRate: rate, achievedRate: rate, p50: 0.005, p90: 0.008, p99: pass ? 0.01 : 0.3, max: 0.3, mean: 0.006,
    errors: 0, non2xx: 0, timeouts: 0, dropped: 0, scheduled: rate * 2, succeeded: rate * 2, inFlightAtEnd: 0, duration: 2,
    warmup: 0.5, arrivals: 'poisson', sendLagP50: 0, sendLagP99: 0, aborted: null, statusCodes: { 200: rate * 2 }, histogram: '',
  };
}

describe('one disturbed step does not decide the knee (majority of up to three measurements)', () => {
  it('a step that failed by accident is measured again and passes: the knee moves up', async () => {
    const steps = [step(50, true), step(100, false), step(150, true)];
    const seen: number[] = [];
    const repeats = await remeasureOutOfOrder(steps, criteria, 3, async (r) => (seen.push(r), step(r, true)));
    expect(seen).toEqual([100, 100]); // failed, passed: a third measurement decides
    expect(repeats).toEqual([{ rate: 100, firstFailure: 'at 100/s p99 was 300.0 ms, above the SLO of 100.0 ms', measurements: 3, passed: 2, verdict: 'passed' }]);
    expect(findKnee(steps, criteria).rate).toBe(150);
  });

  it('a step that fails again stays failed, after one more measurement only', async () => {
    const steps = [step(50, true), step(100, false), step(150, true)];
    const repeats = await remeasureOutOfOrder(steps, criteria, 3, async (r) => step(r, false));
    expect(repeats).toEqual([expect.objectContaining({ rate: 100, measurements: 2, passed: 0, verdict: 'failed' })]);
    expect(findKnee(steps, criteria).rate).toBe(50);
  });

  it('monotone verdicts are left alone, and the number of repeated steps is bounded', async () => {
    const monotone = [step(50, true), step(100, true), step(150, false)];
    expect(await remeasureOutOfOrder(monotone, criteria, 3, async () => expect.unreachable())).toEqual([]);
    const zigzag = [step(10, false), step(20, false), step(30, false), step(40, true)];
    const repeats = await remeasureOutOfOrder(zigzag, criteria, 2, async (r) => step(r, false));
    expect(repeats.map((x) => x.rate)).toEqual([10, 20]);
  });
});

describe('runSteps against a target disturbed for one step on purpose', () => {
  const loose: Criteria = { ...criteria, sloP99: 0.5 };
  // Answers at once, except that requests number 175 to 374 (about the measured window of the 100/s step) wait 1.5 s.
  // The SLO here is 500 ms: on a machine shared with other work a trivial server's p99 reaches 150 ms at times.
  let server: Server;
  let url: string;
  let n = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      const i = n++;
      const delay = i >= 175 && i < 375 ? 1500 : 0;
      setTimeout(() => res.end('ok'), delay);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('measures the disturbed step again and reports it; the knee is not the rate below it', async () => {
    const log: string[] = [];
    const out = await runSteps({
      target: { url: new URL(url), method: 'GET', headers: {}, body: undefined },
      rates: [50, 100, 150],
      stepSeconds: 2,
      warmup: 0.5,
      arrivals: 'uniform',
      seed: 1,
      maxInFlight: 1000,
      timeout: 5,
      criteria: loose,
      limits: DEFAULT_LIMITS,
      onStepDone: (s) => log.push(`${s.offeredRate}: ${s.achievedRate.toFixed(1)} p99 ${(s.p99 * 1000).toFixed(0)}`),
      onRepeat: (r, why) => log.push(`repeat ${r}: ${why}`),
    });
    log.push(...out.steps.map((s) => `final ${s.offeredRate}: ${s.achievedRate.toFixed(1)} p99 ${(s.p99 * 1000).toFixed(0)}`));
    expect(out.repeats, log.join('; ')).toHaveLength(1);
    expect(out.repeats[0], log.join('; ')).toMatchObject({ rate: 100, verdict: 'passed', passed: 2, measurements: 3 });
    // The slow answers make the step miss the SLO or fall behind (answers land after its window).
    expect(out.repeats[0]!.firstFailure).toMatch(/^at 100\/s (p99 was 1\d\d\d\.\d ms, above the SLO|only [\d.]+\/s was achieved)/);
    expect(findKnee(out.steps, loose).rate).toBe(150);
  });
});

describe('validate --repeat N: the whole ramp N times, the knee as a range', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('reports the knee of each run, their range, and refuses a plan whose repeats pass the budget', async () => {
    const { validateEndpoint } = await import('../../src/validate/validate.js');
    const common = {
      target: { url: new URL(url), method: 'GET', headers: {}, body: undefined },
      rates: [20, 40],
      stepSeconds: 1,
      warmup: 0.2,
      // What is tested is how the runs are reported, not the server: criteria that a trivial server in the test's own
      // process meets even at a load average of 7 (a 1 s step at 40/s missed 0.9 of its rate there once)
      criteria: { sloP99: 2, maxErrors: 0.01, minAchievedRatio: 0.6 },
      ceiling: false,
      allowRemote: false,
      timeout: 5,
      maxInFlight: 100,
      seed: 1,
    };
    const r = await validateEndpoint({ ...common, limits: DEFAULT_LIMITS, repeat: 3 });
    expect(r.kneeRuns).toMatchObject({ runs: 3, knees: [40, 40, 40], min: 40, max: 40 });
    expect(r.warnings).toContain("the knee over 3 runs of the ramp: 40 (40/s, 40/s, 40/s); the steps shown are run 2's");
    await expect(validateEndpoint({ ...common, limits: { ...DEFAULT_LIMITS, maxDuration: 5 }, repeat: 3 })).rejects.toThrow(/above --max-duration 5 s/);
  });
});
