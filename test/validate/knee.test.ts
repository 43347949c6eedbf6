import { describe, expect, it } from 'vitest';
import { findKnee, saturationThroughput, stepFailure } from '../../src/validate/knee.js';
import type { Criteria } from '../../src/validate/types.js';

const c: Criteria = { sloP99: 0.1, maxErrors: 0.01, minAchievedRatio: 0.95 };
const step = (offeredRate: number, achievedRate: number, p99: number, errors = 0, scheduled = offeredRate * 10) => ({
  offeredRate,
  achievedRate,
  p99,
  errors,
  timeouts: 0,
  dropped: 0,
  scheduled,
  duration: 10,
});

describe('findKnee', () => {
  it('is the highest rate before the first step that fails, with the reason of that failure', () => {
    const steps = [step(50, 50, 0.01), step(100, 99, 0.02), step(150, 148, 0.05), step(200, 170, 0.9)];
    expect(findKnee(steps, c)).toEqual({ rate: 150, reason: 'at 200/s only 170/s was achieved (below 95% of the 200/s sent)' });
  });

  it('names each criterion exactly: SLO, errors, and no passing step at all', () => {
    expect(stepFailure(step(100, 100, 0.25), c)).toBe('at 100/s p99 was 250.0 ms, above the SLO of 100.0 ms');
    expect(stepFailure(step(100, 100, 0.05, 20, 1000), c)).toBe('at 100/s 2.0% of requests failed, above the budget of 1.0%');
    expect(findKnee([step(50, 40, 0.01)], c)).toEqual({ rate: null, reason: 'no step passed: at 50/s only 40/s was achieved (below 95% of the 50/s sent)' });
    expect(findKnee([step(50, 50, 0.01)], c)).toEqual({ rate: 50, reason: 'every step passed: the knee is at or above the highest step' });
  });

  it('does not move the knee up when a step after a failure passes by chance, and sorts by offered rate', () => {
    const steps = [step(150, 150, 0.3), step(50, 50, 0.01), step(200, 199, 0.05)];
    expect(findKnee(steps, c).rate).toBe(50);
  });

  it('counts a step exactly at 95% achieved and exactly at the SLO as passing', () => {
    expect(stepFailure(step(100, 95, 0.1), c)).toBeNull();
  });

  it('judges the achieved rate against the rate the Poisson schedule really sent', () => {
    // 50/s offered, but the schedule drew 440 arrivals in 10 s (44/s): 43/s achieved kept up.
    expect(stepFailure(step(50, 43, 0.01, 0, 440), c)).toBeNull();
    expect(stepFailure(step(50, 40, 0.01, 0, 440), c)).toBe('at 50/s only 40/s was achieved (below 95% of the 44/s sent)');
  });
});

describe('saturationThroughput', () => {
  it('is the highest achieved rate among saturated steps (the plateau)', () => {
    const steps = [step(100, 100, 0.01), step(200, 180, 1), step(250, 184, 2), step(300, 181, 3)];
    expect(saturationThroughput(steps)).toEqual({ value: 184, reached: true });
  });

  it('counts a step that only just kept up when heavier overload lowered the throughput (congestion)', () => {
    const steps = [step(150, 150, 0.05), step(200, 192, 0.2), step(230, 178, 1.6)];
    expect(saturationThroughput(steps)).toEqual({ value: 192, reached: true });
  });

  it('is a lower bound, flagged, when every step kept up', () => {
    expect(saturationThroughput([step(50, 50, 0.01), step(100, 99, 0.01)])).toEqual({ value: 99, reached: false });
    expect(saturationThroughput([])).toEqual({ value: null, reached: false });
  });
});
