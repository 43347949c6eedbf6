/**
 * serve-demo's fault control: the faults a failure drill injects into the demo (`headroom drill`), and who may ask for
 * them. It is off unless serve-demo was started with `--fault-control`, and then it answers only clients on this
 * machine (the socket's remote address, not a header a client could forge), so a demo reachable from a network cannot
 * be broken from it.
 *
 *   POST   /_fault  {"workersDown": 2}            take 2 of the worker threads out of service (they finish the request they hold)
 *   POST   /_fault  {"slowdown": 3}               every request started from now holds its worker 3 times as long
 *   POST   /_fault  {"errorShare": 0.2}           answer 20% of requests at once with 500, without using a worker
 *   POST   /_fault  {"pause": true}               no worker takes a new request (they queue) until the fault is cleared
 *   DELETE /_fault                                 clear every fault (idempotent)
 *   GET    /_fault                                 the fault in force, the requests served so far, and the worker
 *                                                  threads' busy time (`busyMs`) over the tasks they finished (`tasks`),
 *                                                  the tasks waiting for a thread (`waiting`) and the process CPU time
 *
 * A POST replaces the whole fault (absent fields mean no such fault). `ttl` (seconds, optional) clears the fault by
 * itself after that long: a dead man's switch in case the drill that applied it dies without rolling back.
 */

/** The fault in force; the neutral value is `NO_FAULT`. */
export interface DemoFault {
  /** Worker threads out of service (the lowest-numbered ones), 0..workers. */
  readonly workersDown: number;
  /** Service time multiplier of requests that start while it is in force (a positive factor; 1 = none). */
  readonly slowdown: number;
  /** Share of requests answered at once with 500, in [0, 1]. */
  readonly errorShare: number;
  /** No worker takes a new request. */
  readonly pause: boolean;
}

export const NO_FAULT: DemoFault = { workersDown: 0, slowdown: 1, errorShare: 0, pause: false };

/** A POST body, read: the fault and its optional time to live (seconds). */
export interface FaultRequest {
  readonly fault: DemoFault;
  readonly ttlSeconds: number | undefined;
}

/** Addresses of this machine as a socket reports them: 127.0.0.0/8, ::1 and IPv4-mapped 127.x. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const a = address.toLowerCase();
  return a === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/**
 * Why a fault-control request is refused, or null when it may go ahead: refused when serve-demo was started without
 * `--fault-control`, and when the client is not on this machine.
 * @example faultControlRefusal(true, '10.0.0.7') // => 'fault control answers only clients on this machine (loopback), not 10.0.0.7'
 */
export function faultControlRefusal(enabled: boolean, remoteAddress: string | undefined): string | null {
  if (!enabled) return 'fault control is disabled: start serve-demo with --fault-control to allow it';
  if (!isLoopbackAddress(remoteAddress)) return `fault control answers only clients on this machine (loopback), not ${remoteAddress ?? 'an unknown address'}`;
  return null;
}

/**
 * Parse a POST /_fault body against a pool of `workers` threads. Throws a RangeError naming the field on bad input
 * (the server answers 400 with its message).
 */
export function parseFaultRequest(text: string, workers: number): FaultRequest {
  let raw: unknown;
  try {
    raw = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new RangeError('expected a JSON object such as {"workersDown": 2}');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new RangeError('expected a JSON object such as {"workersDown": 2}');
  const o = raw as Record<string, unknown>;
  const known = ['workersDown', 'slowdown', 'errorShare', 'pause', 'ttl'];
  for (const k of Object.keys(o)) if (!known.includes(k)) throw new RangeError(`unknown field "${k}" (expected ${known.join(', ')})`);
  const num = (k: string, ok: (v: number) => boolean, expected: string, dflt: number): number => {
    const v = o[k];
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) throw new RangeError(`${k}: expected ${expected}, got ${JSON.stringify(v)}`);
    return v;
  };
  const workersDown = num('workersDown', (v) => Number.isInteger(v) && v >= 0 && v <= workers, `an integer from 0 to ${workers}`, 0);
  const slowdown = num('slowdown', (v) => v > 0 && v <= 1000, 'a factor in (0, 1000]', 1);
  const errorShare = num('errorShare', (v) => v >= 0 && v <= 1, 'a share in [0, 1]', 0);
  const ttl = num('ttl', (v) => v > 0, 'a positive number of seconds', NaN);
  if (o.pause !== undefined && typeof o.pause !== 'boolean') throw new RangeError(`pause: expected true or false, got ${JSON.stringify(o.pause)}`);
  return { fault: { workersDown, slowdown, errorShare, pause: o.pause === true }, ttlSeconds: Number.isNaN(ttl) ? undefined : ttl };
}
