import { describe, expect, it } from 'vitest';
import { parseYamlText } from '../../src/config/load.js';
import { resourceModelSchema } from '../../src/config/model.js';
import { predictSteps } from '../../src/validate/predict.js';

const yaml = (offset: string) => `
name: m
nodeTypes: [{ name: n, hourlyPrice: 0 }]
services:
  - { name: api, nodeType: n, serviceTime: { distribution: deterministic, value: 5ms }${offset} }
`;

describe('latencyOffset: a fixed delay outside the capacity (added to the model schema for calibration)', () => {
  it('is optional, parsed as a duration, and named exactly when wrong', () => {
    expect(parseYamlText(yaml(''), 'm.yaml', resourceModelSchema).services[0]!.latencyOffset).toBeUndefined();
    expect(parseYamlText(yaml(', latencyOffset: 0.5ms'), 'm.yaml', resourceModelSchema).services[0]!.latencyOffset).toBeCloseTo(0.0005, 12);
    expect(() => parseYamlText(yaml(', latencyOffset: soon'), 'm.yaml', resourceModelSchema)).toThrow(
      'm.yaml:5 services[0].latencyOffset: expected a duration such as 250ms, 2s or 1h, got "soon"',
    );
  });

  it('shifts every predicted latency by the offset and leaves capacity and throughput alone', async () => {
    const base = parseYamlText(yaml(''), 'm.yaml', resourceModelSchema);
    const shifted = parseYamlText(yaml(', latencyOffset: 2ms'), 'm.yaml', resourceModelSchema);
    const opts = { nodes: 1, rates: [100], sloP99: 0.1, replicas: 2, workers: 1, simulatedSeconds: 20 } as const;
    const a = await predictSteps({ model: base, service: base.services[0]!, ...opts });
    const b = await predictSteps({ model: shifted, service: shifted.services[0]!, ...opts });
    expect(b.capacity).toBe(a.capacity);
    expect(b.steps[0]!.achievedRate).toBe(a.steps[0]!.achievedRate);
    expect(b.steps[0]!.p50 - a.steps[0]!.p50).toBeCloseTo(0.002, 12);
    expect(b.steps[0]!.p99 - a.steps[0]!.p99).toBeCloseTo(0.002, 12);
    expect(b.steps[0]!.analytic!.p99 - a.steps[0]!.analytic!.p99).toBeCloseTo(0.002, 12);
  });
});
