import { describe, expect, it } from 'vitest';
import { gridPoints, parseAxis } from '../../src/internal.js';
import type { AxisContext } from '../../src/model/sweep.js';

const ctx: AxisContext = { services: ['web', 'api'], drivers: ['users'], derived: ['api_rps'], nodeTypes: ['c6i.2xlarge', 'c7g.2xlarge'], latencyServices: ['api'] };

const values = (name: string, raw: unknown): unknown => {
  const r = parseAxis(name, raw, ctx);
  if (!r.ok) throw new Error(r.message);
  return r.axis.values;
};

describe('sweep axes', () => {
  it('reads ranges with percent forms, evenly spaced, both ends included', () => {
    expect(values('growth', '-10%..+40%:6')).toEqual([-0.1, 0, 0.1, 0.2, 0.3, 0.4]);
    expect(values('serviceTimeScale', '0.9..1.2:4')).toEqual([0.9, 1, 1.1, 1.2]);
    expect(values('price', '-10%..+20%:4')).toEqual([0.9, 1, 1.1, 1.2]);
    expect(values('maxUtilization', '60%..80%:3')).toEqual([0.6, 0.7, 0.8]);
    expect(values('sloLatency.api', '150ms..250ms:3')).toEqual([0.15, 0.2, 0.25]);
    expect(values('leadTime', '30d,60d')).toEqual([30 * 86400, 60 * 86400]);
    expect(values('quantile', 'p90,p99')).toEqual([0.9, 0.99]);
  });

  it('reads lists, YAML lists and single values', () => {
    expect(values('nodeType.api', 'c6i.2xlarge,c7g.2xlarge')).toEqual(['c6i.2xlarge', 'c7g.2xlarge']);
    expect(values('launch', [1, '+25%', '90%'])).toEqual([1, 1.25, 0.9]);
    expect(values('workersPerNode.web', 8)).toEqual([8]);
    expect(values('demand.api_rps', '0.8..1.2:3')).toEqual([0.8, 1, 1.2]);
  });

  it('names what it expected, exactly', () => {
    const msg = (name: string, raw: unknown): string => {
      const r = parseAxis(name, raw, ctx);
      return r.ok ? 'ok' : `${r.message}, got ${r.found}`;
    };
    expect(msg('speed', '1..2')).toBe('an axis name: growth, launch, price, demand, serviceTimeScale, workersPerNode, nodeType, maxUtilization, sloLatency, quantile, leadTime, got speed');
    expect(msg('growth', '-120%..0%:3')).toBe('LOW..HIGH:STEPS with LOW and HIGH a yearly rate such as -10% or +40% (above -100%), got -120%..0%:3');
    expect(msg('growth', '0..10%:1')).toBe('STEPS between 2 and 1000 in LOW..HIGH:STEPS, got 0..10%:1');
    expect(msg('nodeType', 'm5.large')).toBe('node types of the model (c6i.2xlarge, c7g.2xlarge), got m5.large');
    expect(msg('serviceTimeScale.db', '1,2')).toBe('serviceTimeScale.NAME with NAME a service of the scenario (web, api), got db');
    expect(msg('sloLatency.web', '100ms')).toBe('sloLatency on a service with a latency SLO (api), got sloLatency.web');
    expect(msg('price.web', '1')).toBe('price without a .target (it applies to the whole plan), got price.web');
    expect(msg('workersPerNode', '1..4:3')).toBe('whole numbers at every step (choose STEPS so that they are), got 1..4:3');
    expect(msg('maxUtilization', '120%')).toBe('a fraction above 0% and at most 100%, such as 70%, got 120%');
  });

  it('makes the full grid, first axis slowest', () => {
    const a = parseAxis('growth', '0,10%', ctx);
    const b = parseAxis('nodeType', 'c6i.2xlarge,c7g.2xlarge', ctx);
    if (!a.ok || !b.ok) throw new Error('parse');
    expect(gridPoints([a.axis, b.axis])).toEqual([
      [0, 'c6i.2xlarge'],
      [0, 'c7g.2xlarge'],
      [0.1, 'c6i.2xlarge'],
      [0.1, 'c7g.2xlarge'],
    ]);
  });
});
