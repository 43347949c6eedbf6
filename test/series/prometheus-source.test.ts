/** A Prometheus source as written in a scenario file, and the flag forms the CLI maps onto it. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseYamlText } from '../../src/config/load.js';
import { HeadroomError } from '../../src/errors.js';
import { parseLabelSelection, prometheusQueryFromSpec, prometheusSourceSchema } from '../../src/series/prometheus-source.js';

const schema = z.strictObject({ history: z.strictObject({ prometheus: prometheusSourceSchema }) });
const NOW = Date.UTC(2026, 10, 25, 7, 54, 15);

describe('prometheusSourceSchema in a YAML file', () => {
  it('reads a complete source and resolves it against the clock', () => {
    const yaml = [
      'history:',
      '  prometheus:',
      '    url: http://127.0.0.1:9090',
      '    query: sum(rate(http_requests_total{job="api"}[5m]))',
      '    start: -8w',
      '    step: 1h',
      '    select: { labels: { zone: a } }',
      '    auth: { bearerTokenEnv: PROM_TOKEN }',
      '    timeout: 10s',
      '',
    ].join('\n');
    const spec = parseYamlText(yaml, 'scenario.yaml', schema).history.prometheus;
    expect(prometheusQueryFromSpec(spec, NOW)).toEqual({
      url: 'http://127.0.0.1:9090',
      query: 'sum(rate(http_requests_total{job="api"}[5m]))',
      // 8 weeks before 07:54:15, rounded down to the hour; end "now" rounded down likewise.
      startMs: Date.UTC(2026, 8, 30, 7),
      endMs: Date.UTC(2026, 10, 25, 7),
      stepMs: 3_600_000,
      select: { labels: { zone: 'a' } },
      auth: { bearerTokenEnv: 'PROM_TOKEN' },
      timeoutMs: 10_000,
    });
  });

  it('reads absolute dates, select: sum and basic auth', () => {
    const yaml = 'history:\n  prometheus:\n    url: https://prom.example.com/prometheus\n    query: up\n    start: 2026-01-05\n    end: 2026-02-16T00:00:00Z\n    step: 5m\n    select: sum\n    auth: { basicAuthEnv: PROM_AUTH }\n';
    const q = prometheusQueryFromSpec(parseYamlText(yaml, 's.yaml', schema).history.prometheus, NOW);
    expect(q).toEqual({
      url: 'https://prom.example.com/prometheus',
      query: 'up',
      startMs: Date.UTC(2026, 0, 5),
      endMs: Date.UTC(2026, 1, 16),
      stepMs: 300_000,
      select: 'sum',
      auth: { basicAuthEnv: 'PROM_AUTH' },
    });
  });

  it('reports every problem at once, one line each, without echoing a password', () => {
    const yaml = [
      'history:',
      '  prometheus:',
      '    url: http://planner:hunter22@prom:9090',
      "    query: ''",
      '    start: yesterday',
      '    step: hourly',
      '    token: abc',
      '    select: max',
      "    auth: { bearerTokenEnv: 'PROM TOKEN' }",
      '',
    ].join('\n');
    let message = '';
    try {
      parseYamlText(yaml, 'scenario.yaml', schema);
    } catch (e) {
      if (!(e instanceof HeadroomError)) throw e;
      message = e.message;
      expect(e.code).toBe('CONFIG_INVALID');
      expect(e.exitCode).toBe(2);
    }
    expect(message.split('\n').sort()).toEqual(
      [
        'scenario.yaml:3 history.prometheus.url: expected an http:// or https:// URL without credentials, such as http://127.0.0.1:9090, got "http://planner:***@prom:9090"',
        'scenario.yaml:4 history.prometheus.query: expected a PromQL expression, got ""',
        'scenario.yaml:5 history.prometheus.start: expected a time such as 2026-01-05, 2026-01-05T00:00:00Z, -8w or now, got "yesterday"',
        'scenario.yaml:6 history.prometheus.step: expected a step such as 1h, 5m or 30s, got "hourly"',
        'scenario.yaml:7 history.prometheus.token: unknown field',
        'scenario.yaml:8 history.prometheus.select: expected sum, or labels: { name: value, … }, got "max"',
        'scenario.yaml:9 history.prometheus.auth.bearerTokenEnv: expected an environment variable name such as PROM_TOKEN, got "PROM TOKEN"',
      ].sort(),
    );
    expect(message).not.toContain('hunter22');
  });
});

describe('prometheusQueryFromSpec errors (flags reach it unchecked)', () => {
  const spec = { url: 'http://127.0.0.1:9090', query: 'up', start: '-1d', step: '1h' };
  it('names the field and what it expected', () => {
    const msg = (over: object) => {
      try {
        prometheusQueryFromSpec({ ...spec, ...over }, NOW, '--prometheus');
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(msg({ step: 'hourly' })).toBe('--prometheus step: expected a step such as 1h, 5m or 30s, got "hourly"');
    expect(msg({ start: 'soon' })).toBe('--prometheus start: expected a time such as 2026-01-05, 2026-01-05T00:00:00Z, -8w or now, got "soon"');
    expect(msg({ end: '2026-13-01' })).toBe('--prometheus end: expected a time such as 2026-01-05, 2026-01-05T00:00:00Z, -8w or now, got "2026-13-01"');
    expect(msg({ timeout: '0s' })).toBe('--prometheus timeout: expected a duration such as 30s, got "0s"');
  });
});

describe('parseLabelSelection', () => {
  it('reads label=value pairs, with quotes for commas', () => {
    expect(parseLabelSelection('service=api,zone=a')).toEqual({ service: 'api', zone: 'a' });
    expect(parseLabelSelection('a="x,y", b = c')).toEqual({ a: 'x,y', b: 'c' });
  });
  it('refuses malformed text', () => {
    for (const t of ['', 'api', '=b', 'a=b,,c=d', '1a=b']) expect(parseLabelSelection(t)).toBeUndefined();
  });
});
