import { describe, expect, it } from 'vitest';
import { parseYamlText } from '../../src/config/load.js';
import { resourceModelSchema } from '../../src/config/model.js';
import { distributionScv } from '../../src/model/distribution.js';
import { HeadroomError } from '../../src/errors.js';

const good = `name: shop
zones: [a, b, c]
nodeTypes:
  - { name: c6i.xlarge, vcpus: 4, hourlyPrice: 0.17, committedHourlyPrice: 0.107 }
services:
  - name: api
    nodeType: c6i.xlarge
    workersPerNode: 8
    serviceTime: { distribution: lognormal, mean: 12ms, cv: 1.5 }
    client: { timeout: 2s, retries: { max: 2 } }
  - name: db
    nodeType: c6i.xlarge
    requestClasses:
      - { name: read, weight: 3, serviceTime: { distribution: exponential, mean: 2ms } }
      - { name: write, weight: 1, serviceTime: { distribution: deterministic, value: 10ms } }
`;

function messageOf(text: string): string {
  try {
    parseYamlText(text, 'models/m.yaml', resourceModelSchema);
  } catch (e) {
    if (e instanceof HeadroomError) return e.message;
    throw e;
  }
  throw new Error('expected an error');
}

describe('resource model schema', () => {
  it('parses durations into seconds, fills defaults and normalises class weights', () => {
    const m = parseYamlText(good, 'models/m.yaml', resourceModelSchema);
    const api = m.services[0]!;
    expect(api.serviceTime).toEqual({ kind: 'lognormal', mean: 0.012, cv: 1.5 });
    expect(api.balancer).toBe('round-robin');
    expect(api.queue).toBe('per-node');
    expect(api.client).toEqual({ timeout: 2, retries: { max: 2, backoff: 0.1, maxBackoff: 10, jitter: 'full' } });
    expect(m.currency).toBe('USD');
    const db = m.services[1]!;
    expect(db.workersPerNode).toBe(1);
    expect(db.requestClasses.map((c) => c.weight)).toEqual([0.75, 0.25]);
    expect(distributionScv(api.serviceTime!)).toBeCloseTo(2.25, 12);
  });

  it('names every bad field with its line', () => {
    const bad = good
      .replace('workersPerNode: 8', 'workersPerNode: -2')
      .replace('mean: 12ms', 'mean: fast');
    expect(messageOf(bad).split('\n')).toEqual([
      'models/m.yaml:8 services[0].workersPerNode: expected a positive integer, got -2',
      'models/m.yaml:9 services[0].serviceTime.mean: expected a positive duration such as 250ms or 2s, got "fast"',
    ]);
  });

  it('rejects a service whose node type is not defined', () => {
    expect(messageOf(good.replace('nodeType: c6i.xlarge\n    requestClasses', 'nodeType: m5.large\n    requestClasses'))).toBe(
      'models/m.yaml:12 services[1].nodeType: expected a node type defined under nodeTypes (c6i.xlarge), got "m5.large"',
    );
  });

  it('rejects an unknown distribution and a service with no cost', () => {
    expect(messageOf(good.replace('distribution: lognormal', 'distribution: weibull'))).toBe(
      'models/m.yaml:9 services[0].serviceTime.distribution: expected a distribution: one of exponential, deterministic, uniform, lognormal, gamma, erlang, pareto, empirical, got "weibull"',
    );
  });
});
