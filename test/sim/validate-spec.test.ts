/**
 * Every problem validateSpec finds, one case each, with its exact message (STYLE habit 14). A spec with several
 * problems gets them all in one error (replica.test.ts checks that).
 */
import { describe, expect, it } from 'vitest';
import { HeadroomError } from '../../src/errors.js';
import { validateSpec } from '../../src/sim/validate-spec.js';
import type { SimSpec } from '../../src/sim/types.js';
import { exp, station } from './helpers.js';

const ok: SimSpec = {
  arrivals: [{ kind: 'poisson', rate: 1 }],
  stations: [station('api', exp(0.1), { zones: ['a'] })],
  run: { stop: { kind: 'time', time: 10 } },
};

function messageOf(spec: unknown): string {
  try {
    validateSpec(spec as SimSpec);
  } catch (e) {
    expect(e).toBeInstanceOf(HeadroomError);
    expect((e as HeadroomError).code).toBe('CONFIG_INVALID');
    return (e as HeadroomError).message.replace(/^invalid simulation spec: /, '');
  }
  return 'no error';
}

const cases: [string, unknown, string][] = [
  ['no stations', { ...ok, stations: [] }, 'stations: expected at least one station, got a list'],
  ['workers', { ...ok, stations: [station('api', exp(0.1), { workersPerNode: 1.5 })] }, 'stations[0].workersPerNode: expected a positive integer, got 1.5'],
  ['no service time', { ...ok, stations: [{ ...station('api', exp(1)), serviceTime: undefined }] }, 'stations[0].serviceTime: expected a service time such as { distribution: exponential, mean: 10ms } (or usl, or service: from the model), got nothing'],
  ['lognormal cv', { ...ok, stations: [station('api', { kind: 'lognormal', mean: 0.1, cv: 0 })] }, 'stations[0].serviceTime.cv: expected a positive number, got 0'],
  ['pareto alpha', { ...ok, stations: [station('api', { kind: 'pareto', mean: 0.1, alpha: 1 })] }, 'stations[0].serviceTime.alpha: expected a shape alpha > 1, got 1'],
  ['queue', { ...ok, stations: [station('api', exp(1), { queue: 'fifo' as 'shared' })] }, 'stations[0].queue: expected per-node or shared, got "fifo"'],
  ['balancer', { ...ok, stations: [station('api', exp(1), { balancer: 'hash' as 'random' })] }, 'stations[0].balancer: expected one of round-robin, random, least-outstanding, power-of-two, got "hash"'],
  ['capacity', { ...ok, stations: [station('api', exp(1), { queueCapacity: -1 })] }, 'stations[0].queueCapacity: expected a non-negative integer, got -1'],
  [
    'autoscaling bounds',
    { ...ok, stations: [station('api', exp(1), { autoscaling: { targetUtilization: 1.5, interval: 1, scaleUpDelay: 0, cooldown: 0, minNodes: 3, maxNodes: 2 } })] },
    'stations[0].autoscaling.targetUtilization: expected a fraction in (0, 1], got 1.5; stations[0].autoscaling.maxNodes: expected at least minNodes (3), got 2',
  ],
  ['class weight', { ...ok, classes: [{ name: 'read', weight: 0 }] }, 'classes[0].weight: expected a positive number, got 0'],
  ['class override station', { ...ok, classes: [{ name: 'read', weight: 1, serviceTime: { db: exp(1) } }] }, 'classes[0].serviceTime.db: expected a station (api), got "db"'],
  ['unknown arrival kind', { ...ok, arrivals: [{ kind: 'gamma' }] }, 'arrivals[0].kind: expected one of poisson, profile, trace, mmpp, spikes, got "gamma"'],
  [
    'profile order',
    { ...ok, arrivals: [{ kind: 'profile', interpolation: 'step', points: [{ t: 0, rate: 1 }, { t: 0, rate: 2 }], period: 0 }] },
    'arrivals[0].points[1].t: expected a time after the previous point, got 0; arrivals[0].period: expected a period longer than the last point, got 0',
  ],
  ['profile start', { ...ok, arrivals: [{ kind: 'profile', interpolation: 'step', points: [{ t: 1, rate: 1 }] }] }, 'arrivals[0].points[0].t: expected the first point at 0s, got 1'],
  ['profile rates', { ...ok, arrivals: [{ kind: 'profile', interpolation: 'step', points: [{ t: 0, rate: 0 }] }] }, 'arrivals[0].points: expected at least one point with a rate above 0, got nothing'],
  ['mmpp rates', { ...ok, arrivals: [{ kind: 'mmpp', rates: [0, 0], meanDurations: [1, 1] }] }, 'arrivals[0].rates: expected at least one state with a rate above 0, got nothing'],
  ['trace order', { ...ok, arrivals: [{ kind: 'trace', times: [2, 1] }] }, 'arrivals[0].times: expected non-negative times in ascending order, got a list'],
  ['trace classes', { ...ok, arrivals: [{ kind: 'trace', times: [1], classes: ['x'] }] }, 'arrivals[0].classes: expected class names from classes (none are defined), got "x"'],
  ['mmpp durations', { ...ok, arrivals: [{ kind: 'mmpp', rates: [1, 2], meanDurations: [1] }] }, 'arrivals[0].meanDurations: expected one positive duration per rate, got a list'],
  ['spike duration', { ...ok, arrivals: [{ kind: 'spikes', rate: 5, windows: [{ start: 1, duration: 0 }] }] }, 'arrivals[0].windows[0].duration: expected a positive duration, got 0'],
  ['mix class', { ...ok, arrivals: [{ kind: 'poisson', rate: 1, mix: { x: 1 } }] }, 'arrivals[0].mix.x: expected no mix (no classes are defined), got "x"'],
  [
    'network probabilities',
    { ...ok, routing: { kind: 'network', entry: [{ station: 'api', p: 0.5 }], next: { api: [{ station: 'api', p: 1.5 }] } } },
    'routing.entry: expected entry probabilities that sum to 100%, got "50%"; routing.next.api[0].p: expected a probability in [0, 1], got 1.5; routing.next.api: expected probabilities that sum to at most 100% (the rest leaves), got "150%"',
  ],
  ['class routing', { ...ok, classes: [{ name: 'read', weight: 1, routing: { kind: 'path', stations: ['cache'] } }] }, 'classes[0].routing.stations[0]: expected a station (api), got "cache"'],
  ['routing kind', { ...ok, routing: { kind: 'mesh' } }, 'routing.kind: expected path or network, got "mesh"'],
  ['timeout', { ...ok, client: { timeout: 0 } }, 'client.timeout: expected a positive duration such as 2s (leave timeout out for none), got 0'],
  ['retry jitter', { ...ok, client: { retries: { max: 1, backoff: 0.1, maxBackoff: 1, jitter: 'some' } } }, 'client.retries.jitter: expected none, full or equal, got "some"'],
  ['node index', { ...ok, failures: [{ kind: 'node-down', station: 'api', node: 1, at: 0, duration: 1 }] }, 'failures[0].node: expected a node index below 1 (nodes of api, counted from 0), got 1'],
  ['failure station', { ...ok, failures: [{ kind: 'random', station: 'db', mtbf: 1, mttr: 1 }] }, 'failures[0].station: expected a station (api), got "db"'],
  ['zone', { ...ok, failures: [{ kind: 'zone-down', zone: 'c', at: 0, duration: 1 }] }, 'failures[0].zone: expected a zone of the stations (a), got "c"'],
  ['slowdown', { ...ok, failures: [{ kind: 'degraded', station: 'api', node: 0, at: 0, duration: 1, slowdown: 0 }] }, 'failures[0].slowdown: expected a positive factor, got 0'],
  ['stop', { ...ok, run: { stop: { kind: 'arrivals', arrivals: 0 } } }, 'run.stop.arrivals: expected a positive integer, got 0'],
  ['warm-up arrivals', { ...ok, run: { stop: { kind: 'arrivals', arrivals: 10 }, warmup: { kind: 'arrivals', arrivals: 10 } } }, 'run.warmup.arrivals: expected fewer warm-up arrivals than run.arrivals (10), got 10'],
  ['slo', { ...ok, run: { ...ok.run, sloTarget: -1 } }, 'run.sloTarget: expected a positive duration, got -1'],
  ['bound', { ...ok, run: { ...ok.run, maxInFlight: 0 } }, 'run.maxInFlight: expected a positive integer, got 0'],
  ['no run', { ...ok, run: undefined }, 'run: expected a stop condition, got nothing'],
];

describe('validateSpec', () => {
  it('accepts a consistent spec', () => {
    expect(messageOf(ok)).toBe('no error');
  });
  for (const [name, spec, message] of cases) {
    it(name, () => {
      expect(messageOf(spec)).toBe(message);
    });
  }
});
