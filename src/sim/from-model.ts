import type { ServiceModel } from '../model/resource-model.js';
import type { Distribution, RequestClassSpec, StationSpec } from './types.js';

/**
 * Resource model → simulator: a service of a resource model (src/config/model.ts) run on a given number of nodes
 * becomes a station of a SimSpec. Shared by `headroom simulate`, the planner (sizing by simulation) and validation
 * (the prediction it checks), so the three read a model the same way.
 */

/**
 * The station for `service` on `nodes` nodes: its workers per node, service time (or USL curve), queue discipline and
 * capacity, and balancer. `name` defaults to the service name; `zones`, when given and non-empty, places node i in
 * zone zones[i mod zones.length] (for zone failures).
 * @throws RangeError when `nodes` is not a positive integer.
 * @example
 * stationFromService(api, 6) // => { name: 'api', nodes: 6, workersPerNode: 8, serviceTime: { kind: 'lognormal', ... }, ... }
 */
export function stationFromService(
  service: ServiceModel,
  nodes: number,
  options: { readonly name?: string | undefined; readonly zones?: readonly string[] | undefined } = {},
): StationSpec {
  if (!Number.isSafeInteger(nodes) || nodes < 1) throw new RangeError(`nodes must be a positive integer, got ${nodes}`);
  const zones = options.zones !== undefined && options.zones.length > 0 ? options.zones : undefined;
  return {
    name: options.name ?? service.name,
    nodes,
    workersPerNode: service.workersPerNode,
    serviceTime: service.serviceTime,
    usl: service.usl,
    queue: service.queue,
    queueCapacity: service.queueCapacity,
    balancer: service.balancer,
    zones,
  };
}

/**
 * The request classes of a set of stations built from model services, merged by class name: a class's weight is
 * taken from the first service that declares it (the services' weights are already normalised), and its service time
 * at each station is that service's class cost. Returns [] when no service declares classes.
 * @example
 * classesFromServices([{ station: 'api', service: api }]) // => [{ name: 'read', weight: 0.8, serviceTime: { api: {...} } }, ...]
 */
export function classesFromServices(entries: readonly { readonly station: string; readonly service: ServiceModel }[]): RequestClassSpec[] {
  const order: string[] = [];
  const weights = new Map<string, number>();
  const times = new Map<string, Record<string, Distribution>>();
  for (const { station, service } of entries) {
    for (const c of service.requestClasses) {
      if (!weights.has(c.name)) {
        order.push(c.name);
        weights.set(c.name, c.weight);
        times.set(c.name, {});
      }
      times.get(c.name)![station] = c.serviceTime;
    }
  }
  return order.map((name) => ({ name, weight: weights.get(name)!, serviceTime: times.get(name)! }));
}
