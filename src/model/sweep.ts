import { parseDuration } from '../units.js';

/**
 * Sweep axes: which assumption of a plan scenario a sweep varies, and over which values. An axis is written
 * `NAME=LOW..HIGH:STEPS` (STEPS values evenly spaced, both ends included) or `NAME=a,b,c` on the command line
 * (`--vary`), and the same text (or a YAML list) under `sweep.vary` in the scenario.
 *
 * | name                      | value                          | what it changes                                         |
 * | ---                       | ---                            | ---                                                     |
 * | growth                    | yearly rate: -10%, +40%, 0.25  | extra compound growth a year on top of the forecast     |
 * | launch[.DRIVER]           | multiplier                     | demand of all drivers (or one) times it, from the start |
 * | price                     | multiplier                     | every node price times it                               |
 * | demand.NAME               | multiplier                     | a derived demand (a ratio in the expressions) times it  |
 * | serviceTimeScale[.SVC]    | multiplier                     | service time of every service (or one) times it         |
 * | workersPerNode[.SVC]      | positive integer               | workers per node of every service (or one)              |
 * | nodeType[.SVC]            | node type name (a list)        | node type of every service (or one)                     |
 * | maxUtilization            | fraction: 60%, 0.8             | the planned utilisation cap                             |
 * | sloLatency[.SVC]          | duration: 150ms, 0.3s          | latency target of every service with one (or one)       |
 * | quantile                  | p90, 0.99                      | the demand quantile sized for                           |
 * | leadTime                  | duration: 30d, 8w              | procurement lead time                                   |
 *
 * A multiplier is a number (0.9) or a percent: with a sign it is a change (+20% = 1.2, -10% = 0.9), without one a
 * level (90% = 0.9). Growth is a rate, so -10% is -0.1 either way. Ranges are linear in the value as parsed.
 */
export type AxisKind = 'rate' | 'multiplier' | 'fraction' | 'duration' | 'quantile' | 'count' | 'name';

/** What an axis acts on; `target` is the service, driver or derived name after the dot (undefined: all). */
export type AxisField =
  | 'growth'
  | 'launch'
  | 'price'
  | 'demand'
  | 'serviceTimeScale'
  | 'workersPerNode'
  | 'nodeType'
  | 'maxUtilization'
  | 'sloLatency'
  | 'quantile'
  | 'leadTime';

const FIELDS: Readonly<Record<AxisField, { kind: AxisKind; target: 'none' | 'optional' | 'required'; of: 'service' | 'driver' | 'derived' | 'none' }>> = {
  growth: { kind: 'rate', target: 'none', of: 'none' },
  launch: { kind: 'multiplier', target: 'optional', of: 'driver' },
  price: { kind: 'multiplier', target: 'none', of: 'none' },
  demand: { kind: 'multiplier', target: 'required', of: 'derived' },
  serviceTimeScale: { kind: 'multiplier', target: 'optional', of: 'service' },
  workersPerNode: { kind: 'count', target: 'optional', of: 'service' },
  nodeType: { kind: 'name', target: 'optional', of: 'service' },
  maxUtilization: { kind: 'fraction', target: 'none', of: 'none' },
  sloLatency: { kind: 'duration', target: 'optional', of: 'service' },
  quantile: { kind: 'quantile', target: 'none', of: 'none' },
  leadTime: { kind: 'duration', target: 'none', of: 'none' },
};

/** The axis names a sweep knows, for messages. */
export const AXIS_FIELDS: readonly AxisField[] = Object.keys(FIELDS) as AxisField[];

/** One axis of a sweep: its name as written (`serviceTimeScale.api`), what it acts on, and its values in order. */
export interface SweepAxis {
  readonly name: string;
  readonly field: AxisField;
  readonly target: string | undefined;
  readonly kind: AxisKind;
  /** Numbers for every kind but `name` (node types); seconds for durations, fractions for rates and fractions. */
  readonly values: ReadonlyArray<number | string>;
}

/** The `sweep:` block of a plan scenario, as parsed. */
export interface SweepBlock {
  readonly axes: readonly SweepAxis[];
  /** Monte-Carlo paths per driver (0 = no Monte-Carlo plan). */
  readonly paths: number;
  /** Confidence of the order-by date, in (0, 1). */
  readonly confidence: number;
}

/** What the scenario and model offer, to check axis targets and node types against. */
export interface AxisContext {
  readonly services: readonly string[];
  readonly drivers: readonly string[];
  readonly derived: readonly string[];
  readonly nodeTypes: readonly string[];
  /** Services that have a latency SLO. */
  readonly latencyServices: readonly string[];
}

/** Parse result: the axis, or what was expected and what was found (the caller adds where). */
export type AxisParse = { readonly ok: true; readonly axis: SweepAxis } | { readonly ok: false; readonly message: string; readonly found: string };

const MAX_STEPS = 1000;

/**
 * Parse one axis from its name and values (`-10%..+40%:6`, `a,b,c`, a number, or a list from YAML), checking targets
 * against `ctx` when given.
 * @example parseAxis('growth', '-10%..+40%:6') // => { ok: true, axis: { name: 'growth', values: [-0.1, 0, 0.1, 0.2, 0.3, 0.4], ... } }
 */
export function parseAxis(name: string, raw: unknown, ctx?: AxisContext): AxisParse {
  const dot = name.indexOf('.');
  const fieldName = dot < 0 ? name : name.slice(0, dot);
  const target = dot < 0 ? undefined : name.slice(dot + 1);
  if (!(fieldName in FIELDS)) return { ok: false, message: `an axis name: ${AXIS_FIELDS.join(', ')}`, found: name };
  const field = fieldName as AxisField;
  const def = FIELDS[field];
  if (target !== undefined && def.target === 'none') return { ok: false, message: `${field} without a .target (it applies to the whole plan)`, found: name };
  if (target === undefined && def.target === 'required') return { ok: false, message: `${field}.NAME naming a derived demand`, found: name };
  if (target !== undefined && ctx) {
    const known = def.of === 'service' ? ctx.services : def.of === 'driver' ? ctx.drivers : def.of === 'derived' ? ctx.derived : [];
    if (!known.includes(target)) return { ok: false, message: `${field}.NAME with NAME a ${def.of} of the scenario (${known.join(', ')})`, found: target };
  }
  if (field === 'sloLatency' && ctx) {
    const has = target === undefined ? ctx.latencyServices.length > 0 : ctx.latencyServices.includes(target);
    if (!has) return { ok: false, message: `${field} on a service with a latency SLO (${ctx.latencyServices.join(', ') || 'none has one'})`, found: name };
  }
  const values = parseValues(def.kind, raw);
  if (!Array.isArray(values)) return { ok: false, message: values.expected, found: values.found };
  if (def.kind === 'name' && ctx) {
    for (const v of values) if (!ctx.nodeTypes.includes(String(v))) return { ok: false, message: `node types of the model (${ctx.nodeTypes.join(', ')})`, found: String(v) };
  }
  return { ok: true, axis: { name, field, target, kind: def.kind, values } };
}

function parseValues(kind: AxisKind, raw: unknown): Array<number | string> | { expected: string; found: string } {
  const expected = EXPECTED[kind];
  if (Array.isArray(raw)) {
    if (raw.length === 0) return { expected: `at least one value: ${expected}`, found: 'an empty list' };
    const out: Array<number | string> = [];
    for (const x of raw) {
      const v = parseValue(kind, x);
      if (v === undefined) return { expected, found: String(x) };
      out.push(v);
    }
    return out;
  }
  if (typeof raw === 'number') {
    const v = parseValue(kind, raw);
    return v === undefined ? { expected, found: String(raw) } : [v];
  }
  if (typeof raw !== 'string' || raw.trim() === '') return { expected: `values as LOW..HIGH:STEPS or a,b,c: ${expected}`, found: JSON.stringify(raw) ?? String(raw) };
  const text = raw.trim();
  const range = /^(.+?)\.\.(.+?)(?::\s*(\d+))?$/.exec(text);
  if (range && kind !== 'name') {
    const lo = parseValue(kind, range[1]!.trim());
    const hi = parseValue(kind, range[2]!.trim());
    if (lo === undefined || hi === undefined) return { expected: `LOW..HIGH:STEPS with LOW and HIGH ${expected}`, found: text };
    const steps = range[3] === undefined ? 2 : Number(range[3]);
    if (!(steps >= 2 && steps <= MAX_STEPS)) return { expected: `STEPS between 2 and ${MAX_STEPS} in LOW..HIGH:STEPS`, found: text };
    const a = lo as number;
    const b = hi as number;
    const out: number[] = [];
    // 12 significant digits of the range's scale: -10%..+20%:4 gives 0, not 1.4e-17.
    const digits = Math.min(20, Math.max(0, 12 - Math.ceil(Math.log10(Math.max(Math.abs(a), Math.abs(b), 1e-300)))));
    for (let i = 0; i < steps; i++) out.push(Number((a + ((b - a) * i) / (steps - 1)).toFixed(digits)) + 0);
    if (kind === 'count' && out.some((x) => !Number.isInteger(x))) return { expected: 'whole numbers at every step (choose STEPS so that they are)', found: text };
    return out;
  }
  return parseValues(kind, text.split(',').map((s) => s.trim()));
}

/** 12 significant digits: -0.1 + 0.1 * 2 prints as 0.1, not 0.10000000000000003. */
function roundValue(x: number): number {
  return Number(x.toPrecision(12));
}

const EXPECTED: Readonly<Record<AxisKind, string>> = {
  rate: 'a yearly rate such as -10% or +40% (above -100%)',
  multiplier: 'a positive multiplier such as 0.9, +20% or 90%',
  fraction: 'a fraction above 0% and at most 100%, such as 70%',
  duration: 'a duration such as 150ms or 30d',
  quantile: 'a quantile such as p90 or 0.99',
  count: 'a positive whole number',
  name: 'a node type name',
};

function parseValue(kind: AxisKind, x: unknown): number | string | undefined {
  if (kind === 'name') return typeof x === 'string' && x.trim() !== '' ? x.trim() : undefined;
  if (kind === 'duration') {
    const s = parseDuration(x);
    return s !== undefined && Number.isFinite(s) && s >= 0 ? s : undefined;
  }
  if (kind === 'quantile') {
    let q: number | undefined;
    if (typeof x === 'number') q = x;
    else if (typeof x === 'string') {
      const m = /^\s*(?:p(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)%|(0?\.\d+))\s*$/i.exec(x);
      if (m) q = m[3] !== undefined ? Number(m[3]) : Number(m[1] ?? m[2]) / 100;
    }
    return q !== undefined && q > 0 && q < 1 ? q : undefined;
  }
  let n: number | undefined;
  let signedPercent = false;
  if (typeof x === 'number') n = x;
  else if (typeof x === 'string') {
    const m = /^\s*([+-]?)(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(x);
    if (m) {
      n = Number(`${m[1]}${m[2]}`);
      if (m[3] === '%') {
        n /= 100;
        signedPercent = m[1] !== '';
      }
    }
  }
  if (n === undefined || !Number.isFinite(n)) return undefined;
  switch (kind) {
    case 'rate':
      return n > -1 ? n : undefined;
    case 'multiplier': {
      const m = signedPercent ? 1 + n : n;
      return m > 0 ? roundValue(m) : undefined;
    }
    case 'fraction':
      return n > 0 && n <= 1 ? n : undefined;
    case 'count':
      return Number.isInteger(n) && n >= 1 ? n : undefined;
  }
}

/** A grid point: one value per axis, in the order of the axes. */
export type SweepPoint = ReadonlyArray<number | string>;

/** The full grid, first axis slowest (row-major): `[[a0,b0],[a0,b1],[a1,b0],…]`. One point (no values) for no axes. */
export function gridPoints(axes: readonly SweepAxis[]): SweepPoint[] {
  let out: Array<Array<number | string>> = [[]];
  for (const axis of axes) {
    const next: Array<Array<number | string>> = [];
    for (const p of out) for (const v of axis.values) next.push([...p, v]);
    out = next;
  }
  return out;
}

/** A value as the user would write it back (percents for rates and fractions, ms/d for durations). */
export function formatAxisValue(axis: Pick<SweepAxis, 'kind' | 'field'>, v: number | string): string {
  if (typeof v === 'string') return v;
  const r = (x: number): string => String(Number(x.toPrecision(6)));
  switch (axis.kind) {
    case 'rate':
      return `${v >= 0 ? '+' : ''}${r(v * 100)}%`;
    case 'fraction':
      return `${r(v * 100)}%`;
    case 'quantile':
      return `p${r(v * 100)}`;
    case 'duration':
      return v >= 86_400 && axis.field === 'leadTime' ? `${r(v / 86_400)}d` : v < 1 ? `${r(v * 1000)}ms` : `${r(v)}s`;
    default:
      return r(v);
  }
}
