import type { MathNode } from 'mathjs';
import { HeadroomError } from '../errors.js';

/**
 * Demand expressions (`api_rps: users * 0.04 + checkout * 3`): scalar arithmetic over demand names, read with mathjs's
 * parser and evaluated by the small interpreter below, so that no other mathjs function is reachable from a scenario.
 * A scenario once read `users * 0.008 + size(zeros(30000,30000))[1]*0`: mathjs built a 30000 x 30000 matrix for every
 * period, grew to 4.3 GB and died after 51 s. Here that expression is refused when the scenario is loaded.
 *
 * The language, checked on mathjs's syntax tree (node types of mathjs 15, lib/esm/expression/node/):
 * - numbers (finite), names of drivers and derived demand, and the constants pi and e;
 * - parentheses; + - * / ^ % (mod), unary minus and plus; the comparisons < <= > >= == !=; and, or, not;
 * - the conditional `cond ? a : b`;
 * - calls of min, max (one or more arguments), abs, ceil, floor, round, sqrt, exp (one), log (one, or two: the base).
 * Everything else (matrices, indexing, property access, strings, units, assignments, function definitions, several
 * statements, any other function) is refused with the construct named. The text is at most MAX_EXPRESSION_LENGTH
 * characters and MAX_EXPRESSION_DEPTH levels deep; bracket nesting is counted before mathjs parses, since its
 * recursive-descent parser overflows the stack at about 500 nested parentheses.
 */

/** Longest demand expression, in characters. */
export const MAX_EXPRESSION_LENGTH = 1000;
/** Deepest demand expression: levels of its syntax tree (each bracket pair, operator or call is one or more). */
export const MAX_EXPRESSION_DEPTH = 50;

/** Functions a demand expression may call, with the number of arguments each takes. */
export const DEMAND_FUNCTIONS = {
  min: { min: 1, max: Infinity },
  max: { min: 1, max: Infinity },
  abs: { min: 1, max: 1 },
  ceil: { min: 1, max: 1 },
  floor: { min: 1, max: 1 },
  round: { min: 1, max: 1 },
  sqrt: { min: 1, max: 1 },
  exp: { min: 1, max: 1 },
  log: { min: 1, max: 2 },
} as const;
export type DemandFunction = keyof typeof DEMAND_FUNCTIONS;

/** Constants a demand expression may use without declaring them; a driver or demand of the same name wins. */
export const DEMAND_CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E, PI: Math.PI, E: Math.E };

/** mathjs operator function names (OperatorNode.fn) a demand expression may use. */
const BINARY_OPS = ['add', 'subtract', 'multiply', 'divide', 'pow', 'mod', 'smaller', 'smallerEq', 'larger', 'largerEq', 'equal', 'unequal', 'and', 'or'] as const;
const UNARY_OPS = ['unaryMinus', 'unaryPlus', 'not'] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];
export type UnaryOp = (typeof UNARY_OPS)[number];

/** A checked demand expression: plain data, nothing of mathjs left in it. */
export type DemandAst =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly arg: DemandAst }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: DemandAst; readonly right: DemandAst }
  | { readonly kind: 'call'; readonly fn: DemandFunction; readonly args: readonly DemandAst[] }
  | { readonly kind: 'if'; readonly test: DemandAst; readonly then: DemandAst; readonly otherwise: DemandAst };

export interface DemandExpression {
  readonly text: string;
  readonly ast: DemandAst;
  /** Names the expression reads (drivers, derived demand or constants), in order of first use. */
  readonly names: readonly string[];
}

/** A demand expression, or the "expected …" part of the message saying why it is refused. */
export type ReadExpressionResult = { readonly ok: true; readonly expression: DemandExpression } | { readonly ok: false; readonly expected: string };

const FUNCTION_LIST = Object.keys(DEMAND_FUNCTIONS).join(', ');
const tooDeep = `an expression nested at most ${MAX_EXPRESSION_DEPTH} levels deep`;
const refused = (what: string): string => `arithmetic over demand names (${what} is not allowed)`;

/** The fields of mathjs nodes this module reads (mathjs 15, lib/esm/expression/node/*.js). */
interface LooseNode {
  readonly type: string;
  readonly value?: unknown;
  readonly name?: string;
  readonly op?: string;
  readonly fn?: string | LooseNode;
  readonly args?: readonly LooseNode[];
  readonly content?: LooseNode;
  readonly condition?: LooseNode;
  readonly trueExpr?: LooseNode;
  readonly falseExpr?: LooseNode;
}

class Refused extends Error {}

/** Deepest bracket nesting of `text` ( (, [ and { ), counted without parsing. */
function bracketDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) deepest = Math.max(deepest, ++depth);
    else if (c === 41 || c === 93 || c === 125) depth--;
  }
  return deepest;
}

function describeNode(n: LooseNode): string {
  switch (n.type) {
    case 'ArrayNode':
      return 'a matrix';
    case 'ObjectNode':
      return 'an object';
    case 'AccessorNode':
    case 'IndexNode':
      return 'property or index access';
    case 'AssignmentNode':
      return 'an assignment';
    case 'FunctionAssignmentNode':
      return 'a function definition';
    case 'BlockNode':
      return 'more than one statement';
    case 'RangeNode':
      return 'a range';
    case 'RelationalNode':
      return 'a chained comparison (write a < b and b < c)';
    default:
      return `a ${n.type}`;
  }
}

function toAst(n: LooseNode, depth: number, names: string[]): DemandAst {
  if (depth > MAX_EXPRESSION_DEPTH) throw new Refused(tooDeep);
  const next = depth + 1;
  switch (n.type) {
    case 'ConstantNode': {
      const v = n.value;
      if (typeof v === 'number' && Number.isFinite(v)) return { kind: 'number', value: v };
      if (typeof v === 'number') throw new Refused(refused('a number that is not finite'));
      if (typeof v === 'string') throw new Refused(refused('a string'));
      throw new Refused(refused(`the constant ${String(v)}`));
    }
    case 'SymbolNode': {
      const name = n.name!;
      if (!names.includes(name)) names.push(name);
      return { kind: 'name', name };
    }
    case 'ParenthesisNode':
      return toAst(n.content!, next, names);
    case 'ConditionalNode':
      return { kind: 'if', test: toAst(n.condition!, next, names), then: toAst(n.trueExpr!, next, names), otherwise: toAst(n.falseExpr!, next, names) };
    case 'OperatorNode': {
      const fn = n.fn as string;
      const args = n.args ?? [];
      if (args.length === 1 && (UNARY_OPS as readonly string[]).includes(fn)) return { kind: 'unary', op: fn as UnaryOp, arg: toAst(args[0]!, next, names) };
      if (args.length === 2 && (BINARY_OPS as readonly string[]).includes(fn)) {
        return { kind: 'binary', op: fn as BinaryOp, left: toAst(args[0]!, next, names), right: toAst(args[1]!, next, names) };
      }
      throw new Refused(refused(`the operator ${n.op ?? fn}`));
    }
    case 'FunctionNode': {
      const callee = n.fn as LooseNode;
      if (callee.type !== 'SymbolNode') throw new Refused(refused(`a call of ${describeNode(callee)}`));
      const name = callee.name!;
      if (!Object.hasOwn(DEMAND_FUNCTIONS, name)) throw new Refused(`arithmetic over demand names (the function ${name} is not allowed; allowed are ${FUNCTION_LIST})`);
      const arity = DEMAND_FUNCTIONS[name as DemandFunction];
      const args = n.args ?? [];
      if (args.length < arity.min || args.length > arity.max) {
        const takes = arity.max === Infinity ? `at least ${arity.min} argument` : arity.min === arity.max ? `${arity.min} argument` : `${arity.min} or ${arity.max} arguments`;
        throw new Refused(`arithmetic over demand names (${name} takes ${takes}, not ${args.length})`);
      }
      return { kind: 'call', fn: name as DemandFunction, args: args.map((a) => toAst(a, next, names)) };
    }
    default:
      throw new Refused(refused(describeNode(n)));
  }
}

/**
 * Read a demand expression: bound its length and bracket nesting, parse it with mathjs's parser (`parse`, injected
 * because mathjs is loaded lazily, see math.ts), and turn the tree into a DemandAst, allowing only the language above.
 * Never throws for bad input: the result says what was expected instead.
 * @example readDemandExpression('users * 0.04', parse) // => { ok: true, expression: { names: ['users'], … } }
 * @example readDemandExpression('zeros(3,3)', parse).expected
 *   // => 'arithmetic over demand names (the function zeros is not allowed; allowed are min, max, …)'
 */
export function readDemandExpression(text: string, parse: (text: string) => MathNode): ReadExpressionResult {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    return { ok: false, expected: `an expression of at most ${MAX_EXPRESSION_LENGTH} characters (this one has ${text.length})` };
  }
  if (bracketDepth(text) > MAX_EXPRESSION_DEPTH) return { ok: false, expected: tooDeep };
  let node: MathNode;
  try {
    node = parse(text);
  } catch (e) {
    return { ok: false, expected: `a mathjs expression (${(e as Error).message})` };
  }
  const names: string[] = [];
  try {
    const ast = toAst(node as unknown as LooseNode, 1, names);
    return { ok: true, expression: { text, ast, names } };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, expected: e.message };
    throw e;
  }
}

// ───────────────────────────── evaluation ─────────────────────────────
// Number semantics follow mathjs 15 with its default config (relTol 1e-12, absTol 1e-15, predictable false), so a
// scenario gives the same demand as when mathjs evaluated it; sources are lib/esm/function/{arithmetic,relational}/.
// Where mathjs returns a complex number (sqrt(-1), log(-1), (-8)^(1/3)) this returns NaN: a demand must be a real
// number >= 0 either way (demand.ts rejects both).

const REL_TOL = 1e-12;
const ABS_TOL = 1e-15;

/** mathjs utils/number.js `nearlyEqual`: |a − b| <= max(relTol · max(|a|, |b|), absTol). */
function nearlyEqual(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  if (a === b) return true;
  return Math.abs(a - b) <= Math.max(REL_TOL * Math.max(Math.abs(a), Math.abs(b)), ABS_TOL);
}

/** Half away from zero, as mathjs's `roundNumber` (which formats with toFixed) does. */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** mathjs `round(x)`: first to 12 decimals when x is that close to it (float noise), then to an integer. */
function round(x: number): number {
  const at12 = Number(x.toFixed(12));
  return roundHalfAway(nearlyEqual(x, at12) ? at12 : x);
}

/** mathjs `floor(x)`: the rounded value when x is indistinguishable from it but not from Math.floor(x). */
function floor(x: number): number {
  const f = Math.floor(x);
  const r = round(x);
  if (f === r) return f;
  return nearlyEqual(x, r) && !nearlyEqual(x, f) ? r : f;
}

function ceil(x: number): number {
  const c = Math.ceil(x);
  const r = round(x);
  if (c === r) return c;
  return nearlyEqual(x, r) && !nearlyEqual(x, c) ? r : c;
}

/** mathjs `pow` for numbers: real results only (a negative base to a fractional power is complex there, NaN here). */
function pow(x: number, y: number): number {
  if (x * x < 1 && y === Infinity) return 0;
  if (x * x > 1 && y === -Infinity) return 0;
  if (Number.isInteger(y) || x >= 0) return Math.pow(x, y);
  return NaN;
}

const num = (v: number | boolean): number => (typeof v === 'boolean' ? (v ? 1 : 0) : v);

/** mathjs `min`/`max` over numbers: NaN wins, otherwise the first of nearly equal values. */
function extreme(values: readonly number[], better: (a: number, b: number) => boolean): number {
  let out: number | undefined;
  for (const v of values) if (Number.isNaN(v) || out === undefined || (!Number.isNaN(out) && better(v, out))) out = v;
  return out!;
}

const smaller = (a: number, b: number): boolean => a < b && !nearlyEqual(a, b);
const larger = (a: number, b: number): boolean => a > b && !nearlyEqual(a, b);

function callFunction(fn: DemandFunction, a: readonly number[]): number {
  const x = a[0]!;
  switch (fn) {
    case 'min':
      return extreme(a, smaller);
    case 'max':
      return extreme(a, larger);
    case 'abs':
      return Math.abs(x);
    case 'ceil':
      return ceil(x);
    case 'floor':
      return floor(x);
    case 'round':
      return round(x);
    case 'sqrt':
      return x >= 0 || Number.isNaN(x) ? Math.sqrt(x) : NaN;
    case 'exp':
      return Math.exp(x);
    case 'log': {
      const lnX = x >= 0 || Number.isNaN(x) ? Math.log(x) : NaN;
      if (a.length === 1) return lnX;
      const base = a[1]!;
      return lnX / (base >= 0 || Number.isNaN(base) ? Math.log(base) : NaN);
    }
  }
}

function binary(op: BinaryOp, l: number, r: number): number | boolean {
  switch (op) {
    case 'add':
      return l + r;
    case 'subtract':
      return l - r;
    case 'multiply':
      return l * r;
    case 'divide':
      return l / r;
    case 'pow':
      return pow(l, r);
    case 'mod':
      return r === 0 ? l : l - r * floor(l / r);
    case 'smaller':
      return smaller(l, r);
    case 'smallerEq':
      return l <= r || nearlyEqual(l, r);
    case 'larger':
      return larger(l, r);
    case 'largerEq':
      return l >= r || nearlyEqual(l, r);
    case 'equal':
      return nearlyEqual(l, r);
    case 'unequal':
      return !nearlyEqual(l, r);
    case 'and':
      return !!(l && r);
    case 'or':
      return !!(l || r);
  }
}

/**
 * Evaluate a checked expression on `scope` (name → value; constants fill in names the scope lacks). Comparisons and
 * logic give booleans, which count as 1 and 0 in arithmetic, as in mathjs.
 * @throws Error "Undefined symbol x" for a name neither in the scope nor a constant.
 * @example evaluateDemandAst(readDemandExpression('max(users * 0.5, 10)', parse).expression.ast, { users: 100 }) // => 50
 */
export function evaluateDemandAst(ast: DemandAst, scope: Readonly<Record<string, number>>): number | boolean {
  switch (ast.kind) {
    case 'number':
      return ast.value;
    case 'name': {
      if (Object.hasOwn(scope, ast.name)) return scope[ast.name]!;
      if (Object.hasOwn(DEMAND_CONSTANTS, ast.name)) return DEMAND_CONSTANTS[ast.name]!;
      throw new Error(`Undefined symbol ${ast.name}`);
    }
    case 'unary': {
      const v = num(evaluateDemandAst(ast.arg, scope));
      return ast.op === 'unaryMinus' ? -v : ast.op === 'unaryPlus' ? v : !v;
    }
    case 'binary':
      return binary(ast.op, num(evaluateDemandAst(ast.left, scope)), num(evaluateDemandAst(ast.right, scope)));
    case 'call':
      return callFunction(
        ast.fn,
        ast.args.map((a) => num(evaluateDemandAst(a, scope))),
      );
    case 'if':
      return num(evaluateDemandAst(ast.test, scope)) ? evaluateDemandAst(ast.then, scope) : evaluateDemandAst(ast.otherwise, scope);
  }
}

/** A compiled demand expression: `evaluate(scope)` runs the interpreter above. */
export interface DemandEvaluator {
  evaluate(scope: Readonly<Record<string, number>>): number | boolean;
}

/**
 * Read and compile a demand expression for evaluation.
 * @throws HeadroomError INPUT_INVALID naming the expression and what was expected, for one outside the language
 *   (scenarios are checked when loaded, so this is reached only by inputs built in code).
 */
export function compileDemandExpression(text: string, parse: (text: string) => MathNode): DemandEvaluator {
  const read = readDemandExpression(text, parse);
  if (!read.ok) throw new HeadroomError('INPUT_INVALID', `demand expression "${text}": expected ${read.expected}`);
  const { ast } = read.expression;
  return { evaluate: (scope) => evaluateDemandAst(ast, scope) };
}
