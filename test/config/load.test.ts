import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseYamlText } from '../../src/config/load.js';
import { HeadroomError } from '../../src/errors.js';

const schema = z.strictObject({
  name: z.string(),
  stations: z.array(
    z.strictObject({
      name: z.string(),
      servers: z.number({ error: 'a positive integer' }).int({ error: 'a positive integer' }).positive({ error: 'a positive integer' }),
      balancer: z.enum(['round-robin', 'random']).default('round-robin'),
    }),
  ),
});

function errorOf(text: string): HeadroomError {
  try {
    parseYamlText(text, 'scenarios/x.yaml', schema);
  } catch (e) {
    if (e instanceof HeadroomError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('parseYamlText', () => {
  it('returns a frozen typed object with defaults filled', () => {
    const v = parseYamlText('name: a\nstations:\n  - name: web\n    servers: 2\n', 'x.yaml', schema);
    expect(v).toEqual({ name: 'a', stations: [{ name: 'web', servers: 2, balancer: 'round-robin' }] });
    expect(Object.isFrozen(v.stations[0])).toBe(true);
  });

  it('reports every issue at once with file, line, field path, expectation and value', () => {
    const e = errorOf('name: a\nstations:\n  - name: web\n    servers: -1\n  - name: db\n    servers: 2\n    balancer: lifo\n    colour: red\n');
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.exitCode).toBe(2);
    expect(e.message.split('\n')).toEqual([
      'scenarios/x.yaml:4 stations[0].servers: expected a positive integer, got -1',
      'scenarios/x.yaml:7 stations[1].balancer: expected one of "round-robin", "random", got "lifo"',
      'scenarios/x.yaml:8 stations[1].colour: unknown field',
    ]);
  });

  it('names a missing field', () => {
    expect(errorOf('stations: []\n').message).toBe('scenarios/x.yaml:1 name: missing; expected string');
  });

  it('reports YAML syntax errors with their line', () => {
    expect(errorOf('name: a\nstations: [\n').message).toMatch(/^scenarios\/x\.yaml:\d+: invalid YAML: /);
  });
});
