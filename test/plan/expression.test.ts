import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate as mathjsEvaluate, parse } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { memoryContext } from '../../src/cli/context.js';
import { run } from '../../src/cli/main.js';
import { isHeadroomError } from '../../src/errors.js';
import { compileDemandExpression, evaluateDemandAst, readDemandExpression } from '../../src/model/demand-expression.js';
import { scenarioYaml, standardFixture } from './fixtures.js';

/** Read an expression that must be allowed and evaluate it on `scope`. */
function value(text: string, scope: Record<string, number> = {}): number | boolean {
  const read = readDemandExpression(text, parse);
  if (!read.ok) throw new Error(`refused ${text}: ${read.expected}`);
  return evaluateDemandAst(read.expression.ast, scope);
}

/** The CLI's one-line error for a scenario whose mmr_rps demand reads `expression` (line 10 of the fixture). */
async function planError(expression: string): Promise<{ code: number; err: string; wrote: boolean }> {
  const f = standardFixture();
  f.write('scenario.yaml', scenarioYaml().replace('mmr_rps: mm_rps * 0.5', `mmr_rps: ${JSON.stringify(expression)}`));
  const ctx = memoryContext({ cwd: f.dir });
  const code = await run(['plan', 'scenario.yaml', '--out', 'out', '--no-sim'], ctx);
  return { code, err: ctx.err(), wrote: existsSync(join(f.dir, 'out')) };
}

const FUNCTIONS = 'min, max, abs, ceil, floor, round, sqrt, exp, log';
const notAllowed = (what: string): string => `expected arithmetic over demand names (${what} is not allowed)`;
const fnNotAllowed = (name: string): string => `expected arithmetic over demand names (the function ${name} is not allowed; allowed are ${FUNCTIONS})`;

describe('demand expressions outside scalar arithmetic are refused when the scenario loads', () => {
  const deepParens = `${'('.repeat(10_000)}mm_rps${')'.repeat(10_000)}`;
  const cases: Array<[string, string, string]> = [
    ['the expression that once took 4.3 GB', 'mm_rps * 0.008 + size(zeros(30000,30000))[1]*0', `${notAllowed('property or index access')}, got "mm_rps * 0.008 + size(zeros(30000,300..."`],
    ['a matrix constructor', 'zeros(3,3)', `${fnNotAllowed('zeros')}, got "zeros(3,3)"`],
    ['a matrix literal', '[1,2]', `${notAllowed('a matrix')}, got "[1,2]"`],
    ['matrix()', 'matrix([1, 2])', `${fnNotAllowed('matrix')}, got "matrix([1, 2])"`],
    ['import()', 'import({x: 1})', `${fnNotAllowed('import')}, got "import({x: 1})"`],
    ['createUnit()', 'createUnit("knot")', `${fnNotAllowed('createUnit')}, got "createUnit(\\"knot\\")"`],
    ['evaluate()', 'evaluate("1")', `${fnNotAllowed('evaluate')}, got "evaluate(\\"1\\")"`],
    ['parse()', 'parse("1 + 1")', `${fnNotAllowed('parse')}, got "parse(\\"1 + 1\\")"`],
    ['a string literal', '"mm_rps"', `${notAllowed('a string')}, got "\\"mm_rps\\""`],
    ['property access', 'mm_rps.length', `${notAllowed('property or index access')}, got "mm_rps.length"`],
    ['indexing', 'mm_rps[1]', `${notAllowed('property or index access')}, got "mm_rps[1]"`],
    ['an assignment', 'x = mm_rps', `${notAllowed('an assignment')}, got "x = mm_rps"`],
    ['a function definition', 'f(x) = x * 2', `${notAllowed('a function definition')}, got "f(x) = x * 2"`],
    ['several statements', 'mm_rps; mm_rps', `${notAllowed('more than one statement')}, got "mm_rps; mm_rps"`],
    ['a range', '1:3', `${notAllowed('a range')}, got "1:3"`],
    ['an object', '{a: 1}', `${notAllowed('an object')}, got "{a: 1}"`],
    ['a boolean constant', 'true', `${notAllowed('the constant true')}, got "true"`],
    ['a number that is not finite', '1e400 * mm_rps', `${notAllowed('a number that is not finite')}, got "1e400 * mm_rps"`],
    ['the factorial operator', 'mm_rps!', `${notAllowed('the operator !')}, got "mm_rps!"`],
    ['a chained comparison', '1 < mm_rps < 2', `${notAllowed('a chained comparison (write a < b and b < c)')}, got "1 < mm_rps < 2"`],
    ['a call of a method', 'mm_rps.toString(2)', `${notAllowed('a call of property or index access')}, got "mm_rps.toString(2)"`],
    ['a call of a demand name', 'mm_rps(2)', `${fnNotAllowed('mm_rps')}, got "mm_rps(2)"`],
    ['a unit', '5 cm', 'expected an expression over users, mm_rps (unknown name "cm"), got "5 cm"'],
    ['the wrong number of arguments', 'round(mm_rps, 2)', 'expected arithmetic over demand names (round takes 1 argument, not 2), got "round(mm_rps, 2)"'],
    ['min of nothing', 'min()', 'expected arithmetic over demand names (min takes at least 1 argument, not 0), got "min()"'],
    ['10,000 nested parentheses', deepParens, `expected an expression of at most 1000 characters (this one has 20006), got "${'('.repeat(37)}..."`],
    ['51 nested parentheses', `${'('.repeat(51)}mm_rps${')'.repeat(51)}`, `expected an expression nested at most 50 levels deep, got "${'('.repeat(37)}..."`],
    ['60 unary minus signs (deep without brackets)', `${'-'.repeat(60)}mm_rps`, `expected an expression nested at most 50 levels deep, got "${'-'.repeat(37)}..."`],
  ];
  for (const [what, expression, message] of cases) {
    it(what, async () => {
      const r = await planError(expression);
      expect(r.err).toBe(`headroom: scenario.yaml:10 demand.mmr_rps: ${message}\n`);
      expect(r.code).toBe(2);
      expect(r.wrote).toBe(false);
    });
  }

  it('in a service demand too', async () => {
    const f = standardFixture();
    f.write('scenario.yaml', scenarioYaml().replace('mm: { demand: mm_rps,', 'mm: { demand: "ones(2) * mm_rps",'));
    const ctx = memoryContext({ cwd: f.dir });
    expect(await run(['plan', 'scenario.yaml', '--no-sim', '--json'], ctx)).toBe(2);
    expect(ctx.err()).toBe(`headroom: scenario.yaml:12 services.mm.demand: ${fnNotAllowed('ones')}, got "ones(2) * mm_rps"\n`);
  });

  it('499 nested parentheses, within the length limit, are refused before mathjs parses them (its parser overflows the stack there)', () => {
    const text = `${'('.repeat(499)}1${')'.repeat(499)}`;
    expect(() => parse(text)).toThrow(RangeError);
    expect(readDemandExpression(text, parse)).toEqual({ ok: false, expected: 'an expression nested at most 50 levels deep' });
  });

  it('50 levels are allowed', () => {
    expect(value(`${'('.repeat(49)}2${')'.repeat(49)}`)).toBe(2);
    expect(readDemandExpression(`${'('.repeat(50)}2${')'.repeat(50)}`, parse).ok).toBe(false);
  });

  it('compiling a refused expression outside a scenario throws INPUT_INVALID', () => {
    let caught: unknown;
    try {
      compileDemandExpression('zeros(3,3)', parse);
    } catch (e) {
      caught = e;
    }
    expect(isHeadroomError(caught) && caught.code).toBe('INPUT_INVALID');
    expect((caught as Error).message).toBe(`demand expression "zeros(3,3)": ${fnNotAllowed('zeros')}`);
  });
});

describe('allowed demand expressions, with values worked out by hand', () => {
  const scope = { users: 1000, checkout: 10 };
  const cases: Array<[string, number | boolean]> = [
    ['users * 0.04 + checkout * 3', 70],
    ['(users + 10) / 2', 505],
    ['-users + 2^10', 24],
    ['+checkout', 10],
    ['2 users', 2000],
    ['users % 7', 6], // 1000 = 142 · 7 + 6
    ['-7 % 3', 2], // mathjs mod is floored: −7 = −3 · 3 + 2
    ['users mod 7', 6],
    ['users > 500 ? users * 2 : 0', 2000],
    ['users < 500 ? users * 2 : checkout', 10],
    ['min(users, 300, checkout * 50)', 300],
    ['max(users / 4, 100)', 250],
    ['max(checkout)', 10],
    ['abs(checkout - 13.5)', 3.5],
    ['ceil(checkout / 4)', 3],
    ['floor(checkout / 4)', 2],
    ['round(checkout / 4)', 3], // 2.5 rounds away from zero
    ['round(-checkout / 4)', -3],
    ['ceil(0.1 * 3 * 10)', 3], // 3.0000000000000004 is float noise around 3, as in mathjs
    ['sqrt(users * 0.016)', 4],
    ['exp(0) * checkout', 10],
    ['log(exp(2))', 2],
    ['log(8, 2)', 3],
    ['users >= 1000 and checkout != 10', false],
    ['users >= 1000 or checkout != 10', true],
    ['not (users < 10)', true],
    ['users == 1000.0000000001', true], // within mathjs's relative tolerance 1e-12
    ['(users > 10) * checkout', 10],
  ];
  for (const [text, expected] of cases) {
    it(`${text} = ${String(expected)}`, () => {
      expect(value(text, scope)).toBe(expected);
    });
  }

  it('pi and e are constants; a driver of the same name wins', () => {
    expect(value('2 * pi')).toBeCloseTo(6.283185307179586, 15);
    expect(value('e')).toBe(Math.E);
    expect(value('e * 2', { e: 5 })).toBe(10);
  });

  it('a name missing from the scope fails like mathjs does', () => {
    expect(() => value('nobody + 1')).toThrow('Undefined symbol nobody');
  });

  it('names are listed in order of first use, constants included', () => {
    const read = readDemandExpression('checkout * users + users * pi', parse);
    expect(read.ok && read.expression.names).toEqual(['checkout', 'users', 'pi']);
  });

  it('agrees with mathjs itself on every operator and function (mathjs as the reference)', () => {
    const scopes = [
      { a: 3, b: 7 },
      { a: -2.5, b: 0.5 },
      { a: 0, b: 0 },
      { a: 1e6, b: 1e-6 },
      { a: 2.4999999999999996, b: -3 },
    ];
    const texts = [
      'a + b',
      'a - b',
      'a * b',
      'a / b',
      'a ^ 2',
      'b ^ a',
      'a % b',
      '-a',
      'a < b',
      'a <= b',
      'a > b',
      'a >= b',
      'a == b',
      'a != b',
      'a and b',
      'a or b',
      'not a',
      'a > b ? a : b',
      'min(a, b, 1)',
      'max(a, b, 1)',
      'abs(a)',
      'ceil(a)',
      'floor(a)',
      'round(a)',
      'round(b)',
      'sqrt(abs(a))',
      'exp(b)',
      'log(abs(a) + 1)',
      'log(abs(a) + 1, 10)',
    ];
    for (const s of scopes) {
      for (const t of texts) {
        const ours = value(t, s);
        const theirs = mathjsEvaluate(t, { ...s }) as unknown;
        if (typeof theirs === 'number' || typeof theirs === 'boolean') expect(ours, `${t} at ${JSON.stringify(s)}`).toBe(theirs);
        else expect(ours, `${t} at ${JSON.stringify(s)} (mathjs: complex)`).toBeNaN();
      }
    }
  });
});
