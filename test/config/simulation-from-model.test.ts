import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { classesFromServices, stationFromService } from '../../src/internal.js';
import { loadResourceModel } from '../../src/config/model.js';

const model = await loadResourceModel(fileURLToPath(new URL('../fixtures/sim/models/web.yaml', import.meta.url)));
const api = model.services.find((s) => s.name === 'api')!;
const db = model.services.find((s) => s.name === 'db')!;

describe('stationFromService: a model service on N nodes as a simulator station', () => {
  it('carries workers, service time, queue, capacity and balancer; zones place the nodes', () => {
    expect(stationFromService(api, 6, { zones: model.zones })).toEqual({
      name: 'api',
      nodes: 6,
      workersPerNode: 8,
      serviceTime: { kind: 'lognormal', mean: 0.012, cv: 1.2 },
      usl: undefined,
      queue: 'per-node',
      queueCapacity: 100,
      balancer: 'least-outstanding',
      zones: ['a', 'b', 'c'],
    });
    expect(stationFromService(db, 2, { name: 'db-replicas', zones: [] })).toMatchObject({ name: 'db-replicas', nodes: 2, queue: 'shared', zones: undefined });
  });

  it('rejects a node count that is not a positive integer', () => {
    expect(() => stationFromService(api, 0)).toThrow('nodes must be a positive integer, got 0');
    expect(() => stationFromService(api, 2.5)).toThrow('nodes must be a positive integer, got 2.5');
  });

  it('merges request classes by name with their cost at each station', () => {
    expect(classesFromServices([{ station: 'api', service: api }])).toEqual([]);
    expect(classesFromServices([{ station: 'api', service: api }, { station: 'db', service: db }])).toEqual([
      { name: 'read', weight: 0.75, serviceTime: { db: { kind: 'exponential', mean: 0.002 } } },
      { name: 'write', weight: 0.25, serviceTime: { db: { kind: 'deterministic', value: 0.01 } } },
    ]);
  });
});
