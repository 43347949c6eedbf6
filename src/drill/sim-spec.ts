import type { Drill, FaultEffect } from '../model/drill.js';
import type { ServiceModel } from '../model/resource-model.js';
import { classesFromServices, stationFromService } from '../sim/from-model.js';
import { drillSchedule } from './schedule.js';
import type { ArrivalSpec, FailureSpec, RoutingSpec, SimSpec, StationSpec } from '../sim/types.js';

/** Name of the pass-through station that fails a share of requests while an `errorShare` fault is in force. */
export const FAULT_GATE = 'fault-gate';

/** The faults of a drill's actions added together: workers and nodes down add, slowdowns multiply, error shares compound. */
export function combinedEffect(effects: readonly FaultEffect[]): FaultEffect {
  return effects.reduce<FaultEffect>(
    (a, e) => ({
      workersDown: a.workersDown + e.workersDown,
      nodesDown: a.nodesDown + e.nodesDown,
      slowdown: a.slowdown * e.slowdown,
      errorShare: 1 - (1 - a.errorShare) * (1 - e.errorShare),
      pause: a.pause || e.pause,
    }),
    { workersDown: 0, nodesDown: 0, slowdown: 1, errorShare: 0, pause: false },
  );
}

/**
 * Why the simulator cannot predict the drill's fault, or null when it can: a pause (the simulator has no paused
 * server: its failures lose the requests a node holds), or a command whose effect in the model's terms is not given.
 */
export function unpredictableReason(drill: Drill): string | null {
  for (const a of drill.fault.actions) {
    if (a.kind === 'command' && a.effect === undefined) return `the command ${a.run.join(' ')} has no effect in the model's terms (give effect: ...)`;
    const e = a.kind === 'demo' ? a.effect : a.effect!;
    if (e.pause) return 'a pause has no equivalent in the simulator (its failures lose the requests a node holds)';
  }
  return null;
}

/**
 * The drill as a simulation: the same model, path of services and nodes, the same arrivals (the generator's own send
 * times, replayed) and client, and the same fault at the same time, stopped at `stop` seconds with the first `warmup` seconds left out of the measured
 * metrics (the counts cover the whole run). Deterministic given the seed, so runs that differ only in `stop` and
 * `warmup` follow the same trajectory up to the earlier stop: the per-second prediction is read from such windows.
 *
 * The fault in the simulator's terms:
 * - `workersDown: k`: the first station's node of W workers becomes W single-worker nodes behind one shared queue
 *   (the same M/G/W station while all are up; serve-demo's pool is one FIFO queue in front of its threads), and k of
 *   them go down for the window. A node going down in the simulator loses the request in service (counted as dropped)
 *   where serve-demo's thread finishes it first: at most k requests apart.
 * - `nodesDown: n`: the first n nodes of the first station are down for the window (with all their workers).
 * - `slowdown: f`: every node of the first station is `degraded` by f for the window (service times × f).
 * - `errorShare: p`: a share p of arrivals first visits a pass-through station (`fault-gate`, zero service time, as
 *   many workers as can ever be busy) which is down for the window: its arrivals are dropped, as serve-demo answers
 *   them 500 at once without a worker; outside the window it passes them on at no cost.
 */
export function drillSimSpec(drill: Drill, options: { readonly stop: number; readonly warmup: number }): SimSpec {
  const effect = combinedEffect(drill.fault.actions.flatMap((a) => (a.effect ? [a.effect] : [])));
  const first: ServiceModel = { ...drill.services[0]!, workersPerNode: drill.workersPerNode };
  const path = [first, ...drill.services.slice(1)];
  const W = first.workersPerNode;
  const split = effect.workersDown > 0;
  const stations: StationSpec[] = path.map((s, i) => {
    const st = stationFromService(s, drill.nodes);
    if (i > 0 || !split) return st;
    return { ...st, nodes: drill.nodes * W, workersPerNode: 1, queue: 'shared' };
  });
  const at = drill.fault.at;
  const dur = drill.fault.for;
  const name = stations[0]!.name;
  const failures: FailureSpec[] = [];
  const perNode = split ? W : 1;
  const down = new Set<number>();
  for (let n = 0; n < Math.min(drill.nodes, effect.nodesDown); n++) for (let w = 0; w < perNode; w++) down.add(n * perNode + w);
  // Workers down on the first node that is still up.
  const firstUp = Math.min(drill.nodes - 1, effect.nodesDown) * perNode;
  for (let w = 0; w < effect.workersDown && w < W; w++) down.add(firstUp + w);
  for (const node of [...down].sort((a, b) => a - b)) failures.push({ kind: 'node-down', station: name, node, at, duration: dur });
  if (effect.slowdown !== 1) {
    for (let node = 0; node < stations[0]!.nodes; node++) failures.push({ kind: 'degraded', station: name, node, at, duration: dur, slowdown: effect.slowdown });
  }
  let routing: RoutingSpec | undefined;
  const allStations = [...stations];
  if (effect.errorShare > 0) {
    // As many workers as requests can ever be in flight: the gate never queues.
    const workers = Math.max(1000, Math.ceil(drill.ratePerSec * 30));
    allStations.unshift({ name: FAULT_GATE, nodes: 1, workersPerNode: workers, serviceTime: { kind: 'deterministic', value: 0 }, queue: 'shared', balancer: 'round-robin' });
    failures.push({ kind: 'node-down', station: FAULT_GATE, node: 0, at, duration: dur });
    const next: Record<string, { station: string; p: number }[]> = { [FAULT_GATE]: [{ station: name, p: 1 }] };
    for (let i = 0; i + 1 < stations.length; i++) next[stations[i]!.name] = [{ station: stations[i + 1]!.name, p: 1 }];
    const entry = effect.errorShare >= 1 ? [{ station: FAULT_GATE, p: 1 }] : [{ station: FAULT_GATE, p: effect.errorShare }, { station: name, p: 1 - effect.errorShare }];
    routing = { kind: 'network', entry, next };
  }
  const classes = classesFromServices(path.map((s, i) => ({ station: stations[i]!.name, service: s })));
  return {
    arrivals: [arrivalsOf(drill, options.stop)],
    ...(classes.length > 0 ? { classes } : {}),
    stations: allStations,
    ...(routing ? { routing } : {}),
    client: { timeout: drill.client.timeout, retries: drill.client.retries },
    failures,
    run: {
      stop: { kind: 'time', time: options.stop },
      warmup: { kind: 'time', time: options.warmup },
      seriesInterval: 1,
      maxInFlight: Math.max(10_000, Math.ceil(drill.ratePerSec * drill.duration * 2)),
    },
  };
}

/** The very send times of the generator (drillSchedule), replayed as a trace. */
function arrivalsOf(drill: Drill, stop: number): ArrivalSpec {
  const times = Array.from(drillSchedule(drill.arrivals, drill.ratePerSec, drill.duration, drill.seed)).filter((t) => t < stop);
  return { kind: 'trace', times };
}
