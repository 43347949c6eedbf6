/**
 * `headroom forecast --prometheus …` flag handling, in-process through the CLI entry. Each bad combination ends with
 * exit code 2 and one exact line on stderr, before any request is made. (The end-to-end run against a real Prometheus
 * is in prometheus.integration.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { memoryContext } from '../../src/cli/context.js';

const URL = 'http://127.0.0.1:9/';

async function cli(args: string[]) {
  const ctx = memoryContext();
  const code = await run(['forecast', ...args, '--horizon', '24'], ctx);
  return { code, out: ctx.out(), err: ctx.err() };
}

describe('headroom forecast --prometheus: flags', () => {
  const cases: Array<[string, string[], string]> = [
    ['a Prometheus flag without --prometheus', ['--query', 'up', '--start', '-1d'], '--query, --start need --prometheus URL'],
    ['one Prometheus flag without --prometheus', ['--sum'], '--sum needs --prometheus URL'],
    ['--save without --prometheus', ['history.csv', '--save', 'out.csv'], '--save writes history fetched with --prometheus; a history file is already saved'],
    ['a file and --prometheus', ['history.csv', '--prometheus', URL, '--query', 'up', '--start', '-1d'], `give a history file or --prometheus, not both (got history.csv and --prometheus ${URL})`],
    ['--column with --prometheus', ['--prometheus', URL, '--query', 'up', '--start', '-1d', '--column', 'x'], '--column picks a column of a history file; with --prometheus, pick a series with --select or --sum'],
    ['no --query', ['--prometheus', URL, '--start', '-1d'], "--prometheus needs --query PROMQL, e.g. --query 'sum(rate(http_requests_total[5m]))'"],
    ['no --start', ['--prometheus', URL, '--query', 'up'], '--prometheus needs --start, e.g. --start -8w or --start 2026-01-05'],
    ['a bad --start', ['--prometheus', URL, '--query', 'up', '--start', 'last-week'], '--start must be a time such as 2026-01-05, 2026-01-05T00:00:00Z, 1767571200, -8w or now, got last-week'],
    ['a bad --end', ['--prometheus', URL, '--query', 'up', '--start', '-1d', '--end', '2026-01-05T10:00'], '--end must be a time such as 2026-01-05, 2026-01-05T00:00:00Z, 1767571200, -8w or now, got 2026-01-05T10:00'],
    ['a bad --step', ['--prometheus', URL, '--query', 'up', '--start', '-1d', '--step', 'hourly'], '--step must be a duration such as 1h, 5m or 30s, got hourly'],
    ['--select and --sum', ['--prometheus', URL, '--query', 'up', '--start', '-1d', '--select', 'a=b', '--sum'], 'give --select or --sum, not both'],
    ['a bad --select', ['--prometheus', URL, '--query', 'up', '--start', '-1d', '--select', 'zone'], '--select must be label=value pairs separated by commas (service=api,zone=a), got zone'],
    [
      'two kinds of auth',
      ['--prometheus', URL, '--query', 'up', '--start', '-1d', '--bearer-token-env', 'A', '--basic-auth-env', 'B'],
      'give --bearer-token-env or --basic-auth-env, not both',
    ],
    ['a token variable that is not set', ['--prometheus', URL, '--query', 'up', '--start', '-1d', '--bearer-token-env', 'PROM_TOKEN'], 'prometheus auth: environment variable PROM_TOKEN (bearer token) is not set'],
    ['a bad --max-gap', ['--prometheus', URL, '--query', 'up', '--start', '-1d', '--max-gap', '0'], '--max-gap: expected a positive integer, got "0"'],
    ['an unreachable server', ['--prometheus', URL, '--query', 'up', '--start', '-1d'], 'prometheus http://127.0.0.1:9/: connection refused'],
  ];
  for (const [what, args, message] of cases) {
    it(`reports ${what}`, async () => {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toBe(`headroom: ${message}\n`);
    });
  }

  it('lists the Prometheus flags in --help', async () => {
    const ctx = memoryContext();
    expect(await run(['forecast', '--help'], ctx)).toBe(0);
    for (const flag of ['--prometheus <URL>', '--query <PROMQL>', '--start <T>', '--end <T>', '--step <D>', '--select <label=value,...>', '--sum', '--bearer-token-env <VAR>', '--basic-auth-env <VAR>', '--save <history.csv>']) {
      expect(ctx.out()).toContain(flag);
    }
  });
});
