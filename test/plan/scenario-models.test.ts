import { describe, expect, it } from 'vitest';
import { memoryContext } from '../../src/cli/context.js';
import { run } from '../../src/cli/main.js';
import { scenarioYaml, standardFixture } from './fixtures.js';

describe('forecast models in a plan scenario', () => {
  it('come from the forecast registry: ensemble is accepted', async () => {
    const f = standardFixture();
    f.write('scenario.yaml', scenarioYaml().replace('model: exponential', 'model: ensemble'));
    const ctx = memoryContext({ cwd: f.dir });
    expect(await run(['plan', 'scenario.yaml', '--no-sim', '--json'], ctx)).toBe(0);
    expect(ctx.err()).toBe('');
  });

  it('an unknown model names the registry list', async () => {
    const f = standardFixture();
    f.write('scenario.yaml', scenarioYaml().replace('model: exponential', 'model: prophet'));
    const ctx = memoryContext({ cwd: f.dir });
    expect(await run(['plan', 'scenario.yaml', '--no-sim', '--json'], ctx)).toBe(2);
    expect(ctx.err()).toBe(
      'headroom: scenario.yaml:7 drivers.users.model: expected a forecast model: auto, naive, snaive, linear, exponential, logistic, damped, ets, theta, mstl, arima, ensemble, got "prophet"\n',
    );
  });
});
