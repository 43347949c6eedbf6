import type { ResourceModel } from '../model/resource-model.js';
import type { PlanScenario } from '../model/plan-scenario.js';
import { forecast as defaultForecast } from '../forecast/forecast.js';
import type { ForecastFn } from '../forecast/types.js';
import type { ReadResult } from '../series/types.js';
import { assemblePlan } from './assembly.js';
import { confirmItems, CONFIRMATION_RULE, type Confirmer, type ConfirmedItems } from './confirmation.js';
import { forecastDrivers } from './drivers.js';
import { loadMathjs } from '../model/demand-math.js';
import { redundancyRuleOf } from './redundancy.js';
import { sizeItems } from './size-items.js';
import type { CapacityPlan } from './types.js';

export { CONFIRMATION_RULE, arrivalsFor, MIN_ARRIVALS_PER_NODE, MAX_STRETCHED_ARRIVALS, RELAXATION_TIMES } from './confirmation.js';
export type { Confirmer, ConfirmRequest, ConfirmResult } from './confirmation.js';

export interface PlanInputs {
  readonly scenario: PlanScenario;
  readonly model: ResourceModel;
  /** History per driver name, as read by the series readers. */
  readonly history: Readonly<Record<string, ReadResult>>;
}

export interface PlanOptions {
  /** Simulation confirmation; absent = analytic only (`--no-sim`). */
  readonly confirm?: Confirmer | undefined;
  readonly forecast?: ForecastFn | undefined;
  /** Seed override (default: the scenario's). */
  readonly seed?: number | undefined;
  /** Replicas and arrivals per replica override (default: the scenario's `simulation`). */
  readonly replicas?: number | undefined;
  readonly arrivals?: number | undefined;
  /** Plan further past the history than HORIZON_LIMIT_FACTOR times its length (default: refuse, exit 2). */
  readonly allowLongHorizon?: boolean | undefined;
  /** Progress: (done, total, what). */
  readonly onProgress?: ((done: number, total: number, label: string) => void) | undefined;
  /** A monotonic clock in ms for the timing split (default: none, timings 0). */
  readonly clock?: (() => number) | undefined;
}

export interface PlanTimings {
  readonly forecastMs: number;
  readonly analyticMs: number;
  readonly simulationMs: number;
  readonly simulations: number;
  readonly cacheHits: number;
}

/**
 * Plan capacity in four phases:
 * 1. drivers: forecast every driver once, to the end of the horizon;
 * 2. sizing: for every variant, service and period, size the service at the period's sized peak demand (analytic;
 *    beyond MAX_PLANNED_NODES a finding), and find what the current fleet serves under each rule;
 * 3. confirmation (when a confirmer is given): confirm the binding counts by simulation (see CONFIRMATION_RULE);
 * 4. assembly: apply redundancy, price it with reservations, date when the current fleet breaks each rule, and state
 *    the findings (shortfalls now, demand beyond the node limit).
 *
 * Pure apart from the injected confirmer: the same inputs and seed give the same plan.
 * @throws HeadroomError for history too short to forecast, expressions that give negative or non-numeric demand, an
 *   SLO no count meets, or a plan reaching past HORIZON_LIMIT_FACTOR times the history without allowLongHorizon.
 */
export async function planCapacity(inputs: PlanInputs, options: PlanOptions = {}): Promise<{ plan: CapacityPlan; timings: PlanTimings }> {
  const { scenario, model } = inputs;
  const clock = options.clock ?? (() => 0);
  const seed = options.seed ?? scenario.seed;
  const replicas = options.replicas ?? scenario.simulation.replicas;
  const arrivals = options.arrivals ?? scenario.simulation.arrivals;
  const math = await loadMathjs();

  const t0 = clock();
  const drivers = forecastDrivers(scenario, inputs.history, options.forecast ?? defaultForecast, seed, options.allowLongHorizon === true);
  const t1 = clock();
  const sized = sizeItems(scenario, model, drivers, (text) => math.compile(text), options.confirm ? undefined : options.onProgress);
  const t2 = clock();
  const confirmed: ConfirmedItems = options.confirm
    ? await confirmItems(sized.items, {
        confirm: options.confirm,
        scenario,
        model,
        periods: drivers.periods,
        rule: redundancyRuleOf(scenario, model),
        replicas,
        arrivals,
        seed,
        onProgress: options.onProgress,
      })
    : { items: sized.items, warnings: [], simulations: 0, cacheHits: 0 };
  const t3 = clock();
  const plan = assemblePlan(scenario, model, drivers, confirmed.items, sized.demandByVariant, {
    seed,
    replicas,
    arrivals,
    simulated: options.confirm !== undefined,
    simulations: confirmed.simulations,
    confirmationRule: CONFIRMATION_RULE,
    method: METHOD,
    warnings: [...drivers.warnings, ...confirmed.warnings],
  });
  const t4 = clock();

  const timings: PlanTimings = {
    forecastMs: t1 - t0,
    analyticMs: t2 - t1 + (t4 - t3),
    simulationMs: t3 - t2,
    simulations: confirmed.simulations,
    cacheHits: confirmed.cacheHits,
  };
  return { plan, timings };
}

/** How the plan's numbers are derived; copied into plan.json and the Assumptions sheet. */
export const METHOD: readonly string[] = [
  'History finer than a day is reduced to daily peaks when the plan reaches more than about two months past it (shorter plans forecast the sub-daily series with its daily and weekly cycles); each driver is forecast once to the end of the horizon.',
  "A period's demand is its peak step (day, or hour for short plans): the largest median (the forecast mean) and the largest sized quantile over the period.",
  'Quantiles other than the forecast bounds come from a normal fitted by least squares to the 80% and 95% bounds on the same side of the median.',
  'Derived demand is evaluated per period on the peaks (exact for a function increasing in one driver; conservative when peaks of several drivers do not coincide).',
  'Sizing: Erlang C with the Allen-Cunneen correction for general service times; the response-time percentile from the exponential conditional wait convolved with the service time (exact for M/M/c); drops from M/M/c/K; USL services as load-dependent birth-death queues (exponential wait, per-concurrency exponential service).',
  'The reported count is the smallest meeting the SLOs and the planned utilisation cap (maxUtilization); with redundancy, the survivors of losing the largest zone, and the nodes left after losing k (N+k), must meet the SLOs and stay under the degraded-mode ceiling (maxUtilizationDegraded).',
  'Cost: nodes with redundancy x hours in the period x price per node-hour. Reservations are bought in tranches at the start and every term after it (1 or 3 years): the smaller of the committed share of the count at the tranche start (rounded down) and the largest count the plan runs for at least the break-even fraction of the term (committed over on-demand price); reserved nodes are paid at the committed price for the whole term, the rest on demand.',
  'Dates per rule: for the current fleet (the model service as it runs today), the largest demand it serves under each rule - the SLOs and the cap; the N+k and zone-loss survivors under the SLOs and the degraded ceiling; the SLOs; 100% utilisation - and the first period whose sized peak is above it. Runs out = the first of the rules the scenario asks for (cap, SLO, redundancy when set); order-by = its start minus the lead time; headroom = what the fleet serves within the SLOs and the cap over the sized peak, minus 1. Exhaustion (plan.json) is the SLO rule alone.',
];
