import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryContext } from '../../src/cli/context.js';

interface Est {
  mean: number;
  ci95: [number, number];
}

/** Erlang C (Kleinrock, Queueing Systems vol. 1, eq. 3.40): probability that an arrival waits in M/M/c with offered load a = λ/μ. */
function erlangC(c: number, a: number): number {
  let term = 1;
  let sum = 1; // Σ_{k<c} a^k / k!
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const last = ((term * a) / c) * (c / (c - a)); // a^c / c! · c / (c − a)
  return last / (sum + last);
}

const inside = (e: Est, x: number): boolean => e.ci95[0] <= x && x <= e.ci95[1];

describe('headroom simulate', () => {
  it('M/M/4 at 90%: utilisation and mean wait match Erlang C within the replicas\' 95% interval', async () => {
    const ctx = memoryContext();
    const code = await run(['simulate', 'scenarios/sim-mmc.yaml', '--json', '--arrivals', '300000', '--warmup', '10000', '--replicas', '4', '--seed', '5', '--workers', '2'], ctx);
    expect(ctx.err()).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(ctx.out()) as {
      scenario: string;
      replicas: number;
      seed: number;
      stations: Record<string, Record<string, Est> & { counts: Record<string, number> }>;
      endToEnd: Record<string, Est> & { counts: Record<string, number> };
      unstable: unknown;
      intervalNote: unknown;
    };
    expect(out.scenario).toBe('scenarios/sim-mmc.yaml');
    expect(out.replicas).toBe(4);
    expect(out.seed).toBe(5);
    expect(out.unstable).toBeNull();
    expect(out.intervalNote).toBeNull();
    const api = out.stations.api!;
    for (const k of ['utilization', 'meanWait', 'meanResponse', 'p50Response', 'p95Response', 'p99Response', 'throughput', 'dropFraction', 'meanQueueLength']) {
      expect(api[k]).toHaveProperty('mean');
      expect(api[k]!.ci95).toHaveLength(2);
      expect(out.endToEnd[k]).toHaveProperty('mean');
    }
    // Independent truth: λ = 360/s, μ = 100/s, c = 4.
    const lambda = 360;
    const mu = 100;
    const c = 4;
    const pWait = erlangC(c, lambda / mu);
    const wq = pWait / (c * mu - lambda);
    expect(pWait).toBeCloseTo(0.787753, 5);
    expect(inside(api.utilization!, lambda / mu / c)).toBe(true);
    expect(inside(api.meanWait!, wq)).toBe(true);
    expect(inside(api.meanResponse!, wq + 1 / mu)).toBe(true);
    expect(inside(api.meanQueueLength!, lambda * wq)).toBe(true);
    expect(Math.abs(api.meanWait!.mean / wq - 1)).toBeLessThan(0.05);
    expect(api.dropFraction!.mean).toBe(0);
    // Conservation, totals over the 4 replicas.
    const k = api.counts;
    expect(k.arrived).toBe(4 * 300_000);
    expect(k.arrived).toBe(k.completed! + k.dropped! + k.timedOut! + k.inFlight!);
  });

  it('prints a table per station and end to end, times in ms, with mean ± CI half-width', async () => {
    const ctx = memoryContext();
    expect(await run(['simulate', 'scenarios/sim-tandem.yaml', '--arrivals', '20000', '--replicas', '2', '--workers', '1'], ctx)).toBe(0);
    const lines = ctx.out().split('\n');
    expect(lines[0]).toBe('scenarios/sim-tandem.yaml (tandem): 2 replica(s), seed 1, ' + lines[0]!.split('seed 1, ')[1]);
    expect(lines[0]).toMatch(/ s measured per replica; mean ± 95% CI half-width$/);
    expect(lines[2]).toMatch(/^metric\s+web\s+db\s+end to end$/);
    expect(lines.find((l) => l.startsWith('mean wait (ms)'))).toMatch(/^mean wait \(ms\)\s+\d+\.?\d* ± [\d.]+\s+\d+\.?\d* ± [\d.]+\s+\d+\.?\d* ± [\d.]+$/);
    expect(lines.find((l) => l.startsWith('arrived (total)'))).toMatch(/^arrived \(total\)\s+40000\s+\d+\s+40000$/);
  });

  it('prints the same JSON whatever the number of workers', async () => {
    const outs: string[] = [];
    for (const workers of ['1', '2']) {
      const ctx = memoryContext();
      expect(await run(['simulate', 'scenarios/sim-mmck.yaml', '--json', '--arrivals', '20000', '--replicas', '3', '--workers', workers], ctx)).toBe(0);
      outs.push(ctx.out());
    }
    expect(outs[1]).toBe(outs[0]);
  });

  it('says the interval needs 2 replicas when run with 1', async () => {
    const ctx = memoryContext();
    expect(await run(['simulate', 'scenarios/sim-mm1.yaml', '--arrivals', '5000', '--replicas', '1', '--workers', '1'], ctx)).toBe(0);
    expect(ctx.out()).toContain('note: a 95% confidence interval needs at least 2 replicas; with 1 replica the interval is [mean, mean]');
  });

  it('exits 1 and warns loudly when the system is unstable', async () => {
    const ctx = memoryContext();
    expect(await run(['simulate', 'test/fixtures/sim/unstable.yaml', '--workers', '1'], ctx)).toBe(1);
    expect(ctx.out()).toContain('!! UNSTABLE: the offered load exceeds capacity; 2 of 2 replica(s) stopped early.');
    expect(ctx.out()).toMatch(/!! bottleneck: api, offered utilisation 2\.\d{3} \(≥ 1 cannot keep up\)/);
    expect(ctx.err()).toMatch(/^headroom: test\/fixtures\/sim\/unstable\.yaml: UNSTABLE: offered load exceeds capacity at station api: [\d.]+ req\/s offered vs [\d.]+ req\/s capacity \(offered utilisation 2\.\d+\); requests in flight grew by [\d.]+\/s/);
    expect(ctx.err().trim().split('\n')).toHaveLength(1);
    const json = memoryContext();
    expect(await run(['simulate', 'test/fixtures/sim/unstable.yaml', '--json', '--workers', '1'], json)).toBe(1);
    const u = (JSON.parse(json.out()) as { unstable: { replicasStopped: number; queueGrowthPerSecond: number; offeredUtilization: number } }).unstable;
    expect(u.replicasStopped).toBe(2);
    // Arrivals at 200/s, departures at most 100/s: the backlog grows by about 100/s.
    expect(u.queueGrowthPerSecond).toBeGreaterThan(70);
    expect(u.queueGrowthPerSecond).toBeLessThan(130);
    expect(u.offeredUtilization).toBeGreaterThan(1.8);
  });

  it('exits 1 when the scenario\'s SLO target is not met, after printing the result', async () => {
    const ctx = memoryContext();
    expect(await run(['simulate', 'test/fixtures/sim/slo.yaml', '--json', '--workers', '1'], ctx)).toBe(1);
    const out = JSON.parse(ctx.out()) as { slo: { latency: number; target: number; attainment: Est; met: boolean } };
    expect(out.slo.latency).toBe(0.05);
    expect(out.slo.target).toBe(0.99);
    expect(out.slo.met).toBe(false);
    // M/M/1 response time is exponential with rate μ − λ = 20/s: P(T ≤ 50 ms) = 1 − e^{−1}.
    expect(Math.abs(out.slo.attainment.mean - (1 - Math.exp(-1)))).toBeLessThan(0.02);
    expect(ctx.err()).toMatch(/^headroom: test\/fixtures\/sim\/slo\.yaml: SLO not met: 6\d\.\d\d% of requests within 50\.00 ms, target 99\.00%\n$/);
  });

  it('exits 2 with one line for bad flags and bad files', async () => {
    const cases: Array<[string[], string]> = [
      [['--replicas', '0'], 'headroom: --replicas: expected a positive integer, got "0"\n'],
      [['--replicas', 'many'], 'headroom: --replicas: expected a positive integer, got "many"\n'],
      [['--seed', '1.5'], 'headroom: --seed: expected a non-negative integer, got "1.5"\n'],
      [['--workers', '0'], 'headroom: --workers: expected a positive integer, got "0"\n'],
      [['--arrivals', '1000', '--warmup', '1000'], 'headroom: --warmup must be below the number of arrivals (1000), got 1000\n'],
      [['--warmup', 'soon'], 'headroom: --warmup must be a number of arrivals or a duration such as 5min, got soon\n'],
    ];
    for (const [flags, message] of cases) {
      const ctx = memoryContext();
      expect(await run(['simulate', 'scenarios/sim-mm1.yaml', ...flags], ctx)).toBe(2);
      expect(ctx.err()).toBe(message);
    }
    const missing = memoryContext();
    expect(await run(['simulate', 'scenarios/nope.yaml'], missing)).toBe(2);
    expect(missing.err()).toBe('headroom: scenarios/nope.yaml: file not found\n');
    const bad = memoryContext();
    expect(await run(['simulate', 'test/fixtures/sim/models/web.yaml'], bad)).toBe(2);
    expect(bad.err().split('\n')).toEqual([
      'headroom: test/fixtures/sim/models/web.yaml:2 arrivals: missing; expected an arrival process: one of poisson, profile, trace, mmpp, spikes',
      'test/fixtures/sim/models/web.yaml:2 stations: missing; expected a list of stations',
      'test/fixtures/sim/models/web.yaml:2 run: missing; expected a mapping such as { arrivals: 1000000, warmup: 50000 } or { duration: 1h, warmup: 5min }',
      'test/fixtures/sim/models/web.yaml:2 unknown fields zones, nodeTypes, services',
      '',
    ]);
  });

  it('writes the per-interval series as CSV (atomically) and prints it per interval', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-sim-series-'));
    try {
      const ctx = memoryContext();
      const csvPath = join(dir, 'out', 'series.csv');
      expect(await run(['simulate', 'test/fixtures/sim/series.yaml', '--json', '--workers', '1', '--series', csvPath], ctx)).toBe(0);
      const out = JSON.parse(ctx.out()) as { series: { t: number[]; interval: number }; endToEnd: { counts: { arrived: number } } };
      expect(out.series.interval).toBe(10);
      expect(out.series.t).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
      const lines = readFileSync(csvPath, 'utf8').trim().split('\n');
      expect(lines[0]).toBe(
        't_s,endToEnd.arrivals,endToEnd.completions,endToEnd.failures,endToEnd.meanResponse_s,endToEnd.inFlight,' +
          'api.arrivals,api.completions,api.drops,api.utilization,api.meanQueueLength,api.meanResponse_s,api.nodes',
      );
      expect(lines).toHaveLength(11);
      // Per-interval arrivals (means over the 2 replicas) add up to the run's total count.
      const arrivals = lines.slice(1).reduce((a, l) => a + Number(l.split(',')[1]), 0);
      expect(arrivals * 2).toBeCloseTo(out.endToEnd.counts.arrived, 6);
      const text = memoryContext();
      expect(await run(['simulate', 'test/fixtures/sim/series.yaml', '--workers', '1'], text)).toBe(0);
      expect(text.out()).toContain('per interval of 10.00 s (mean over replicas; t is the end of the interval):');
      expect(text.out()).toMatch(/\nt \(s\)\s+arrivals\/s\s+failures\/s\s+mean resp \(ms\)\s+in flight\s+api util\n/);
      const none = memoryContext();
      expect(await run(['simulate', 'scenarios/sim-mm1.yaml', '--series', join(dir, 'x.csv')], none)).toBe(2);
      expect(none.err()).toBe('headroom: --series needs a series interval: add seriesInterval (e.g. 1min) under run: in scenarios/sim-mm1.yaml\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('documents its flags, defaults, exit codes and an example in --help', async () => {
    const ctx = memoryContext();
    expect(await run(['simulate', '--help'], ctx)).toBe(0);
    const help = ctx.out().replace(/\s+/g, ' ');
    expect(help).toContain('Usage: headroom simulate [options] <scenario>');
    expect(help).toContain('default: run.replicas in the file, else 8');
    expect(help).toContain('$ headroom simulate scenarios/sim-mmc.yaml --replicas 8 --seed 1');
    expect(help).toContain('Exit codes: 0 done, 1 unstable (load above capacity) or the scenario\'s slo.target not met, 2 bad flags or file.');
  });
});
