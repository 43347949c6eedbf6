import { z } from 'zod';
import { distributionSchema } from './distribution.js';
import type { ResourceModel, ServiceModel } from '../model/resource-model.js';
import { duration, identifier, nonNegativeInt, nonNegativeNumber, positiveInt, positiveNumber } from './common.js';
import { loadYamlFile } from './load.js';

const nodeTypeSchema = z.strictObject({
  name: z.string().min(1),
  vcpus: positiveNumber.optional(),
  memoryGiB: positiveNumber.optional(),
  hourlyPrice: nonNegativeNumber,
  committedHourlyPrice: nonNegativeNumber.optional(),
});

export const uslSchema = z.strictObject({
  lambda: positiveNumber,
  sigma: z.number({ error: 'a number in [0, 1)' }).min(0, { error: 'a number in [0, 1)' }).lt(1, { error: 'a number in [0, 1)' }),
  kappa: nonNegativeNumber,
});

const retrySchema = z.strictObject({
  max: nonNegativeInt,
  backoff: duration.default(0.1),
  maxBackoff: duration.default(10),
  jitter: z.enum(['none', 'full', 'equal']).default('full'),
});

export const clientSchema = z
  .strictObject({
    timeout: duration.optional(),
    retries: retrySchema.optional(),
  })
  .default({});

const requestClassSchema = z.strictObject({
  name: identifier,
  weight: positiveNumber,
  serviceTime: distributionSchema,
});

export const balancerSchema = z.enum(['round-robin', 'random', 'least-outstanding', 'power-of-two']);

export const serviceSchema = z
  .strictObject({
    name: identifier,
    description: z.string().optional(),
    nodeType: z.string().min(1),
    workersPerNode: positiveInt.default(1),
    serviceTime: distributionSchema.optional(),
    usl: uslSchema.optional(),
    queue: z.enum(['per-node', 'shared']).default('per-node'),
    queueCapacity: nonNegativeInt.optional(),
    balancer: balancerSchema.default('round-robin'),
    requestClasses: z.array(requestClassSchema).default([]),
    client: clientSchema,
    memoryGiBPerUnit: positiveNumber.optional(),
    latencyOffset: duration.optional(),
  })
  .refine((s) => s.serviceTime !== undefined || s.usl !== undefined || s.requestClasses.length > 0, {
    message: 'serviceTime, usl or requestClasses (one of them says what a request costs)',
    path: ['serviceTime'],
  });

const modelSchema = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, { error: 'an ISO 4217 currency code such as USD' }).default('USD'),
    zones: z.array(z.string().min(1)).default([]),
    nodeTypes: z.array(nodeTypeSchema).min(1, { error: 'at least one node type' }),
    services: z.array(serviceSchema).min(1, { error: 'at least one service' }),
  })
  .superRefine((m, ctx) => {
    const types = new Set(m.nodeTypes.map((t) => t.name));
    m.services.forEach((s, i) => {
      if (!types.has(s.nodeType)) {
        ctx.addIssue({
          code: 'custom',
          path: ['services', i, 'nodeType'],
          message: `a node type defined under nodeTypes (${[...types].join(', ')})`,
          input: s.nodeType,
        });
      }
    });
    const seen = new Set<string>();
    m.services.forEach((s, i) => {
      if (seen.has(s.name)) ctx.addIssue({ code: 'custom', path: ['services', i, 'name'], message: 'a service name not used before', input: s.name });
      seen.add(s.name);
    });
  });

/** Normalise the parsed file into the types above (explicit undefineds, class weights summing to 1). */
export function toResourceModel(raw: z.output<typeof modelSchema>): ResourceModel {
  return {
    name: raw.name,
    description: raw.description,
    currency: raw.currency,
    zones: raw.zones,
    nodeTypes: raw.nodeTypes.map((t) => ({
      name: t.name,
      vcpus: t.vcpus,
      memoryGiB: t.memoryGiB,
      hourlyPrice: t.hourlyPrice,
      committedHourlyPrice: t.committedHourlyPrice,
    })),
    services: raw.services.map((s) => toServiceModel(s)),
  };
}

export function toServiceModel(s: z.output<typeof serviceSchema>): ServiceModel {
  const total = s.requestClasses.reduce((a, c) => a + c.weight, 0);
  return {
    name: s.name,
    description: s.description,
    nodeType: s.nodeType,
    workersPerNode: s.workersPerNode,
    serviceTime: s.serviceTime,
    usl: s.usl,
    queue: s.queue,
    queueCapacity: s.queueCapacity,
    balancer: s.balancer,
    requestClasses: s.requestClasses.map((c) => ({ name: c.name, weight: c.weight / total, serviceTime: c.serviceTime })),
    client: { timeout: s.client.timeout, retries: s.client.retries },
    memoryGiBPerUnit: s.memoryGiBPerUnit,
    latencyOffset: s.latencyOffset,
  };
}

export const resourceModelSchema = modelSchema.transform(toResourceModel);

/** Load and validate a resource model file. Errors name the file, line and field (exit code 2). */
export async function loadResourceModel(path: string, options: { cwd?: string } = {}): Promise<ResourceModel> {
  return loadYamlFile(path, resourceModelSchema, options);
}
