import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryContext } from '../../src/cli/context.js';
import { startDemo, type RunningDemo } from '../helpers/demo-server.js';
import { demoFault } from './helpers.js';

const SCENARIO = join(import.meta.dirname, '../../scenarios/drill-demo-retries.yaml');

interface Row {
  t: number;
  measured: { achieved: number; offered: number; errors: number; retries: number } | null;
  predicted: { achieved: number; errors: number; retries: number; p99: number | null };
}

/**
 * Impatient clients (800 ms timeout, 3 retries) and the same fault: once the queue holds more than 800 ms of work,
 * every attempt times out while the threads still serve it, retries add load, and the service stays down after the
 * threads are back (a metastable failure: 120/s of new requests plus their retries exceed the 200/s the threads serve,
 * and each served attempt is one its client has already abandoned). In 32 of 32 simulated replicas it collapses.
 */
describe('headroom drill scenarios/drill-demo-retries.yaml: a retry storm that outlasts the fault', () => {
  let demo: RunningDemo;
  beforeAll(async () => {
    demo = await startDemo(['--workers', '4', '--fault-control']);
  });
  afterAll(async () => {
    await demo.stop();
  });

  it('is measured and predicted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-drill-storm-'));
    const ctx = memoryContext({ env: process.env, cwd: dir });
    const code = await run(['drill', SCENARIO, '--base-url', demo.url, '--no-ceiling', '--state-dir', join(dir, 'state'), '--json'], ctx);
    expect(code).toBe(1); // the SLO does not hold after the fault: that is the finding
    const report = JSON.parse(ctx.out());
    expect(report.verdict.rollback).toEqual({ ran: true, ok: true });
    expect((await demoFault(demo.url)).fault.workersDown).toBe(0);
    // From 3 s after the rollback to the end: measured, almost nothing succeeds while retries keep coming.
    const after: Row[] = report.timeline.filter((r: Row) => r.t >= 19);
    const measuredOk = after.reduce((a, r) => a + r.measured!.achieved, 0);
    const measuredOffered = after.reduce((a, r) => a + r.measured!.offered, 0);
    expect(measuredOk / measuredOffered).toBeLessThan(0.1);
    expect(after.every((r) => r.measured!.retries > 100)).toBe(true);
    // Predicted: the same collapse (no answer in most replicas: median p99 unbounded, written as null) and retries.
    expect(after.every((r) => r.predicted.p99 === null)).toBe(true);
    expect(after.every((r) => r.predicted.retries > 100)).toBe(true);
    const after2 = report.verdict.phases.find((p: { name: string }) => p.name === 'after');
    expect(after2.measured.held).toBe(false);
    expect(after2.predicted.held).toBe(false);
    expect(report.verdict.recoverySeconds).toMatchObject({ measured: null, predicted: null, ok: true });
  });
});
