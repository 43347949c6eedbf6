import { availableParallelism } from 'node:os';
import { classesFromServices, stationFromService } from '../sim/from-model.js';
import { encodedQuantile, mergeEncoded } from '../sim/histogram.js';
import { openSimPool, runReplicas, type SimPool } from '../sim/runner.js';
import { estimate } from '../sim/summary.js';
import type { ReplicaResult, SimSpec } from '../sim/types.js';
import { DEFAULT_LATENCY_QUANTILE } from './sizing.js';
import type { ConfirmRequest, ConfirmResult, Confirmer } from './confirmation.js';

/**
 * Confirmation by simulation: one service of the model on n nodes, Poisson arrivals at the sized peak demand, the
 * model's client policy (timeouts, retries), and for the zone-loss case the nodes spread over the model's zones with
 * one zone down for the whole run. R independent replicas (seeded (seed, i)) of `arrivals` external arrivals each,
 * the first `warmupFraction` of them excluded.
 *
 * Pass: the SLO latency quantile of the client's response time, pooled over replicas, is at or under the target, the
 * mean error fraction (dropped or timed out for good) is at or under the maximum, and no replica ran away (unstable).
 * `marginal` is set when a 95% interval over replicas straddles a target: the verdict could flip with more replicas.
 *
 * The planner runs many short simulations, so the confirmer keeps ONE worker pool (over the simulator's own worker
 * entry, src/sim/worker.ts) for the whole plan instead of a pool per run; `close()` ends it.
 */
export interface SimulationConfirmer {
  readonly confirm: Confirmer;
  close(): Promise<void>;
}

/** The SimSpec of a confirmation request. */
export function confirmationSpec(req: ConfirmRequest): SimSpec {
  const station = stationFromService(req.service, req.nodes, { zones: req.zones });
  const classes = classesFromServices([{ station: station.name, service: req.service }]);
  const warm = Math.floor(req.arrivals * req.warmupFraction);
  return {
    arrivals: [{ kind: 'poisson', rate: req.demand }],
    classes: classes.length > 0 ? classes : undefined,
    stations: [station],
    client: { timeout: req.service.client.timeout, retries: req.service.client.retries },
    failures: req.zoneDown !== undefined ? [{ kind: 'zone-down', zone: req.zoneDown, at: 0, duration: 1e12 }] : undefined,
    run: {
      stop: { kind: 'arrivals', arrivals: req.arrivals + warm },
      warmup: warm > 0 ? { kind: 'arrivals', arrivals: warm } : undefined,
      sloTarget: req.slo.latency?.target,
    },
  };
}

/** Judge replica results against the request's SLO. */
export function judge(req: ConfirmRequest, results: readonly ReplicaResult[]): ConfirmResult {
  const q = req.slo.latency?.quantile ?? DEFAULT_LATENCY_QUANTILE;
  const pooled = encodedQuantile(mergeEncoded(results.map((r) => r.endToEnd.responseHistogram)), q);
  const perReplica = results.map((r) => encodedQuantile(r.endToEnd.responseHistogram, q));
  const lat = estimate(perReplica);
  const err = estimate(results.map((r) => r.endToEnd.errorFraction));
  const util = estimate(results.map((r) => r.stations[0]!.utilization));
  const unstable = results.some((r) => r.unstable !== null);
  const latency = unstable || Number.isNaN(pooled) ? Infinity : pooled;
  const errorMean = Number.isNaN(err.mean) ? 1 : err.mean;
  const latencyOk = req.slo.latency === undefined || latency <= req.slo.latency.target;
  const errorsOk = req.slo.maxErrorRate === undefined || errorMean <= req.slo.maxErrorRate;
  const straddles = (ci: readonly [number, number], target: number | undefined): boolean => target !== undefined && ci[0] <= target && ci[1] > target;
  return {
    passed: !unstable && latencyOk && errorsOk,
    latency: { mean: latency, ci95: lat.ci95 },
    errorRate: { mean: errorMean, ci95: err.ci95 },
    utilization: util,
    marginal: !unstable && (straddles(lat.ci95, req.slo.latency?.target) || straddles(err.ci95, req.slo.maxErrorRate)),
  };
}

/**
 * A confirmer that simulates on a pool of `workers` threads (default: the machine's parallelism), or on the calling
 * thread with `inProcess` (same numbers; for tests and tiny runs). The pool is the simulator's own (openSimPool), kept
 * open for the whole plan.
 */
export function simulationConfirmer(options: { workers?: number | undefined; inProcess?: boolean | undefined } = {}): SimulationConfirmer {
  let pool: SimPool | undefined;
  const confirm: Confirmer = async (req) => {
    const spec = confirmationSpec(req);
    const results = options.inProcess
      ? await runReplicas(spec, { replicas: req.replicas, seed: req.seed, inProcess: true })
      : await (pool ??= openSimPool({ workers: Math.max(1, options.workers ?? availableParallelism()) })).runReplicas(spec, {
          replicas: req.replicas,
          seed: req.seed,
        });
    return judge(req, results);
  };
  return {
    confirm,
    close: async () => {
      await pool?.close();
      pool = undefined;
    },
  };
}
