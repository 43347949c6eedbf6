import { distributionMean, scaleDistribution } from '../model/distribution.js';
import type { Drill } from '../model/drill.js';
import type { ServiceModel } from '../model/resource-model.js';

/**
 * The service time a drill's target really delivered during the baseline, against the model's: serve-demo reports
 * the wall-clock time its threads held their tasks, and on a busy machine a thread that should hold a task 20 ms may
 * hold it longer while it waits for a core. Near a tipping point that matters a great deal: with two of four threads
 * left at 120/s, 20 ms per task drains 100/s and a queue builds at 20/s, while 21 ms drains 95/s and it builds at 25/s.
 * So the fault is predicted on the service time measured before it, and the report states both.
 */
export interface ServiceCalibration {
  /** The model's mean service time of the first service, seconds. */
  readonly modelSeconds: number;
  /** Mean time the target's workers held a task during the baseline, seconds. */
  readonly measuredSeconds: number;
  /** Tasks the measurement rests on. */
  readonly tasks: number;
  /** measured / model: every service time of the first service is multiplied by it. */
  readonly scale: number;
}

/** Mean service time of a service (over its request classes when it has them), or undefined for a USL-only service. */
export function meanServiceSeconds(s: ServiceModel): number | undefined {
  if (s.requestClasses.length > 0) return s.requestClasses.reduce((a, c) => a + c.weight * distributionMean(c.serviceTime), 0);
  return s.serviceTime ? distributionMean(s.serviceTime) : undefined;
}


/** The drill with its first service's service times multiplied by the calibration's scale (a USL service: lambda divided). */
export function calibratedDrill(drill: Drill, c: ServiceCalibration): Drill {
  const s = drill.services[0]!;
  const scaled: ServiceModel = {
    ...s,
    serviceTime: s.serviceTime ? scaleDistribution(s.serviceTime, c.scale) : undefined,
    usl: s.usl ? { ...s.usl, lambda: s.usl.lambda / c.scale } : undefined,
    requestClasses: s.requestClasses.map((rc) => ({ ...rc, serviceTime: scaleDistribution(rc.serviceTime, c.scale) })),
  };
  return { ...drill, services: [scaled, ...drill.services.slice(1)] };
}
