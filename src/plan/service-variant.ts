import { scaleDistribution } from '../model/distribution.js';
import type { ResourceModel, ServiceModel } from '../model/resource-model.js';
import type { VariantSpec } from '../model/plan-scenario.js';
import { serviceShape } from '../queueing/service-shape.js';
import type { SizingService } from './sizing.js';


/**
 * The model service as a variant runs it: on the variant's node type, with service times scaled and workers per node
 * changed when the variant says so. A USL curve is scaled the same way (throughput λ divided by the scale).
 */
export function serviceForVariant(service: ServiceModel, variant: VariantSpec): ServiceModel {
  const o = variant.services[service.name];
  if (!o) return service;
  const k = o.serviceTimeScale;
  return {
    ...service,
    nodeType: o.nodeType ?? service.nodeType,
    workersPerNode: o.workersPerNode ?? service.workersPerNode,
    serviceTime: service.serviceTime ? scaleDistribution(service.serviceTime, k) : undefined,
    usl: service.usl ? { ...service.usl, lambda: service.usl.lambda / k } : undefined,
    requestClasses: service.requestClasses.map((c) => ({ ...c, serviceTime: scaleDistribution(c.serviceTime, k) })),
  };
}

/** What the analytic sizing needs from a model service. */
export function sizingServiceOf(service: ServiceModel): SizingService {
  return {
    name: service.name,
    workersPerNode: service.workersPerNode,
    shape: serviceShape(service),
    usl: service.usl,
    queue: service.queue,
    balancer: service.balancer,
    queueCapacity: service.queueCapacity,
    timeout: service.client.timeout,
  };
}

/** The node type of a service, which the model schema guarantees exists. */
export function nodeTypeOf(model: ResourceModel, name: string) {
  const t = model.nodeTypes.find((n) => n.name === name);
  if (!t) throw new RangeError(`node type ${name} is not in model ${model.name}`);
  return t;
}
