import { describe, expect, it } from 'vitest';
import { loadPlanScenario } from '../../src/internal.js';
import { dailyHistory, fixtureDir, MODEL_YAML, scenarioYaml } from '../plan/fixtures.js';

function setup(extra: string) {
  const fx = fixtureDir();
  fx.write('model.yaml', MODEL_YAML);
  fx.write('data/users.csv', dailyHistory(200, 1000, 0.2));
  return { fx, file: fx.write('plan.yaml', scenarioYaml({ extra })) };
}

describe('sweep: block of a plan scenario', () => {
  it('parses axes and Monte-Carlo settings', async () => {
    const { fx, file } = setup('sweep:\n  vary:\n    growth: -10%..+20%:4\n    nodeType.mm: [small, big]\n  paths: 200\n  confidence: 80%\n');
    const { scenario } = await loadPlanScenario(file, { cwd: fx.dir });
    expect(scenario.sweep?.axes.map((a) => [a.name, a.values])).toEqual([
      ['growth', [-0.1, 0, 0.1, 0.2]],
      ['nodeType.mm', ['small', 'big']],
    ]);
    expect(scenario.sweep?.paths).toBe(200);
    expect(scenario.sweep?.confidence).toBe(0.8);
  });

  it('reports bad axes and unknown fields with file and line', async () => {
    const { fx, file } = setup('sweep:\n  vary:\n    growth: fast\n    nodeType.mm: [tiny]\n  pathz: 3\n');
    await expect(loadPlanScenario(file, { cwd: fx.dir })).rejects.toThrow(
      [
        'plan.yaml:26 sweep.pathz: unknown field',
        'plan.yaml:24 sweep.vary.growth: expected a yearly rate such as -10% or +40% (above -100%), got "fast"',
        'plan.yaml:25 sweep.vary.nodeType.mm: expected node types of the model (small, big), got "tiny"',
      ].join('\n'),
    );
  });
});
