import type { EvalFunction } from 'mathjs';
import type { ResourceModel, ServiceModel } from '../config/model.js';
import type { PlanScenario, VariantSpec } from '../config/plan-scenario.js';
import { HeadroomError } from '../errors.js';
import { forecast as defaultForecast } from '../forecast/forecast.js';
import type { ForecastFn, ForecastResult } from '../forecast/types.js';
import type { ReadResult } from '../series/types.js';
import { periodCost } from './cost.js';
import {
  compileExpression,
  defaultStart,
  evaluateExpression,
  horizonSteps,
  periodPeaks,
  planPeriods,
  prepareDriverSeries,
  stepDemand,
  type StepDemand,
} from './demand.js';
import { quantileLabel } from './demand-quantile.js';
import { loadMathjs } from './math.js';
import { exhaustionOf, maxDemandWithinSlo } from './exhaustion.js';
import { applyRedundancy, survivorsOfZoneLoss } from './redundancy.js';
import { serviceForVariant, sizingServiceOf, nodeTypeOf } from './service-variant.js';
import { evaluateService, nodeCapacity, pooled, sizeService, UnreachableSlo, type Slo, type SizingService } from './sizing.js';
import type {
  CapacityPlan,
  Confirmation,
  DemandSeries,
  DriverAssumption,
  Exhaustion,
  PlanPeriod,
  ResourcePeriod,
  ServicePeriod,
  ServicePlan,
  VariantPlan,
} from './types.js';
import { BASE_VARIANT, describeVariant, priceFactor, variantFactor } from './variants.js';

/** A simulation asked for by the planner: one service on `nodes` nodes at `demand` requests/s. */
export interface ConfirmRequest {
  readonly service: ServiceModel;
  readonly demand: number;
  readonly nodes: number;
  /** Zones the nodes are spread over, and the one that is down for the whole run (zone-loss case). */
  readonly zones: readonly string[] | undefined;
  readonly zoneDown: string | undefined;
  readonly slo: Slo;
  readonly replicas: number;
  readonly arrivals: number;
  readonly warmupFraction: number;
  readonly seed: number;
}

export interface ConfirmResult {
  readonly passed: boolean;
  readonly latency: { readonly mean: number; readonly ci95: readonly [number, number] };
  readonly errorRate: { readonly mean: number; readonly ci95: readonly [number, number] };
  readonly utilization: { readonly mean: number; readonly ci95: readonly [number, number] };
  readonly marginal: boolean;
}

/** Runs one confirmation; the CLI passes the simulator's (confirm.ts), tests may pass their own. */
export type Confirmer = (request: ConfirmRequest) => Promise<ConfirmResult>;

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

export const CONFIRMATION_RULE =
  'Per variant and service, the simulator confirms the binding period (the period with the highest sized demand, ' +
  'which needs the most nodes): the sized count must pass, one fewer must fail (an SLO or the utilisation cap), and ' +
  'with zone-loss redundancy the survivors of losing the largest zone must meet the SLO. When the simulation ' +
  'disagrees, it decides: the count moves to the smallest that passes in simulation (at most 3 steps). The current ' +
  'fleet is simulated at its exhaustion period (expected to fail) and at the busiest period before it (expected to ' +
  'pass), unless that is within 5% of saturation, where a short run cannot reach steady state; disagreement there is ' +
  'reported as a warning. Runs are stretched (up to 400,000 arrivals per replica) to at least 1,000 arrivals per node ' +
  'where nodes queue separately and to 20 relaxation times of the queue (Whitt 1989), so queues reach steady state. ' +
  'Identical (service, demand, nodes, failure) cases are simulated once.';

/** Fewest arrivals per node per replica when each node has its own queue, and the most any run is stretched to. */
export const MIN_ARRIVALS_PER_NODE = 1000;
export const MAX_STRETCHED_ARRIVALS = 400_000;
/** Run length in relaxation times (Whitt 1989 suggests tens of them for steady-state estimates). */
export const RELAXATION_TIMES = 20;

/**
 * Arrivals per replica for a confirming run: the scenario's number, stretched (up to MAX_STRETCHED_ARRIVALS) so that
 * - each node sees at least MIN_ARRIVALS_PER_NODE arrivals when nodes queue separately, and
 * - the run lasts RELAXATION_TIMES relaxation times of the queue, τ = 1 / (cμ (1 − √ρ)²) with cμ the service capacity
 *   of one queue (a node, or the pool) and ρ its load: the heavy-traffic relaxation time of W. Whitt, "Planning queueing
 *   simulations", Management Science 35(11), 1989 (exact for M/M/1, used here for M/G/c as an order of magnitude).
 * Near saturation τ grows without bound; such cases are not simulated at all (see the fleet checks).
 */
export function arrivalsFor(service: ServiceModel, nodes: number, demand: number, arrivals: number): number {
  const sz = sizingServiceOf(service);
  const pool = pooled(service);
  const capacity = nodeCapacity(sz) * (pool ? nodes : 1);
  const rate = pool ? demand : demand / nodes;
  const rho = rate / capacity;
  let need = arrivals;
  if (!pool) need = Math.max(need, MIN_ARRIVALS_PER_NODE * nodes);
  if (rho > 0 && rho < 1) {
    const tau = 1 / (capacity * (1 - Math.sqrt(rho)) ** 2);
    need = Math.max(need, Math.ceil(demand * RELAXATION_TIMES * tau));
  }
  return Math.min(MAX_STRETCHED_ARRIVALS, need);
}

interface Prepared {
  readonly drivers: ReadonlyMap<string, StepDemand>;
  readonly assumptions: DriverAssumption[];
  readonly periods: PlanPeriod[];
}

function forecastDrivers(inputs: PlanInputs, forecastFn: ForecastFn, seed: number): Prepared {
  const { scenario } = inputs;
  let lastMs = -Infinity;
  for (const name of Object.keys(scenario.drivers)) {
    const read = inputs.history[name];
    if (!read) throw new HeadroomError('INPUT_INVALID', `${scenario.file} drivers.${name}: no history was read for this driver`);
    lastMs = Math.max(lastMs, read.series.t[read.series.t.length - 1]!);
  }
  const startMs = scenario.startMs ?? defaultStart(lastMs, scenario.period);
  const periods = planPeriods(startMs, scenario.period, scenario.horizon);
  const endMs = periods[periods.length - 1]!.endMs;
  if (periods[0]!.endMs <= lastMs) {
    const what = scenario.period === 'month' ? 'a month' : 'a quarter';
    throw new HeadroomError(
      'INPUT_INVALID',
      `${scenario.file} start: expected ${what} that ends after the history does (last point ${new Date(lastMs).toISOString().slice(0, 10)}), got ${periods[0]!.label}`,
    );
  }
  const prepared = new Map<string, { series: ReturnType<typeof prepareDriverSeries>; read: ReadResult }>();
  for (const name of Object.keys(scenario.drivers)) {
    const read = inputs.history[name]!;
    prepared.set(name, { series: prepareDriverSeries(read.series, endMs), read });
  }
  const drivers = new Map<string, StepDemand>();
  const assumptions: DriverAssumption[] = [];
  for (const [name, { series: p, read }] of prepared) {
    const spec = scenario.drivers[name]!;
    const s = p.series;
    let fc: ForecastResult;
    try {
      fc = forecastFn(s, {
        horizon: horizonSteps(s, endMs),
        model: spec.model as ForecastResult['modelName'] | 'auto',
        seed,
        ...(spec.seasonality !== undefined ? { seasonalPeriods: spec.seasonality } : {}),
      });
    } catch (e) {
      if (e instanceof HeadroomError) throw new HeadroomError(e.code, `${scenario.file} drivers.${name}: ${e.message}`, { exitCode: e.exitCode === 0 ? 2 : e.exitCode });
      throw e;
    }
    drivers.set(name, stepDemand(fc, scenario.quantile));
    const r = read.repairs;
    const repairs = [
      ...(r.filledGaps.length ? [`${r.filledGaps.reduce((a, g) => a + g.points, 0)} missing points filled by interpolation`] : []),
      ...(r.duplicatesDropped ? [`${r.duplicatesDropped} duplicate rows dropped`] : []),
      ...(r.resampled ? ['irregular timestamps resampled onto the step'] : []),
      ...(r.notes ?? []),
    ];
    assumptions.push({
      name,
      unit: spec.unit,
      source: spec.historyAsWritten ?? read.series.source,
      historyPoints: read.series.t.length,
      historyStartMs: read.series.t[0]!,
      historyEndMs: read.series.t[read.series.t.length - 1]!,
      forecastStepMs: s.stepMs,
      dailyPeaks: p.dailyPeaks,
      model: fc.model,
      seasonalPeriods: fc.seasonalPeriods,
      rmse: fc.quality.rmse,
      mase: fc.quality.mase,
      repairs,
    });
  }
  return { drivers, assumptions, periods };
}

/** Demand of every name (drivers, derived, services) for one variant. */
function variantDemand(
  inputs: PlanInputs,
  prepared: Prepared,
  variant: VariantSpec,
  compile: (text: string) => EvalFunction,
): { all: Map<string, DemandSeries>; services: Map<string, DemandSeries> } {
  const { scenario } = inputs;
  const start = prepared.periods[0]!.startMs;
  const all = new Map<string, DemandSeries>();
  for (const [name, d] of prepared.drivers) {
    all.set(name, periodPeaks(name, scenario.drivers[name]!.unit, d, prepared.periods, variantFactor(variant, name, start)));
  }
  for (const { name, expression } of scenario.demand) {
    all.set(name, evaluateExpression(compileExpression(name, expression, compile), '', all, prepared.periods, `${scenario.file} demand.${name}`));
  }
  const services = new Map<string, DemandSeries>();
  for (const [name, svc] of Object.entries(scenario.services)) {
    services.set(name, evaluateExpression(compileExpression(name, svc.demand, compile), svc.unit, all, prepared.periods, `${scenario.file} services.${name}.demand`));
  }
  return { all, services };
}

interface SizedPeriod {
  nodesSlo: number;
  nodesRequired: number;
  binding: string;
  /** Compute alone (SLOs and utilisation cap; SLOs only). */
  computeRequired: number;
  computeSlo: number;
  memory: { need: number; required: number } | undefined;
}

/** Size a service at one demand: compute by the queueing formulas, memory by arithmetic, the larger count wins. */
function sizeAt(sizing: SizingService, lambda: number, slo: Slo, maxUtilization: number, memPerUnit: number | undefined, nodeMemoryGiB: number | undefined): SizedPeriod {
  const z = sizeService(sizing, lambda, slo, maxUtilization);
  let nodesRequired = z.nodesRequired;
  let binding: string = z.binding;
  let memory: SizedPeriod['memory'];
  if (memPerUnit !== undefined && nodeMemoryGiB !== undefined) {
    const gib = lambda * memPerUnit;
    // All of it must fit (the SLO-side need); the planned cap applies on top.
    const need = Math.max(1, Math.ceil((gib / nodeMemoryGiB) * (1 - 1e-12)));
    const required = Math.max(1, Math.ceil((gib / (nodeMemoryGiB * maxUtilization)) * (1 - 1e-12)));
    memory = { need, required };
    if (required > nodesRequired) {
      nodesRequired = required;
      binding = 'memory';
    }
  }
  return {
    nodesSlo: Math.max(z.nodesSlo, memory?.need ?? 0),
    nodesRequired,
    binding,
    computeRequired: z.nodesRequired,
    computeSlo: z.nodesSlo,
    memory,
  };
}

/**
 * Plan capacity: forecast every driver once, then for every variant, service and period size the service at the
 * period's sized peak demand (analytic), apply redundancy, price it, find when the current fleet runs out, and — when a
 * confirmer is given — confirm the binding counts by simulation (see CONFIRMATION_RULE).
 *
 * Pure apart from the injected confirmer: the same inputs and seed give the same plan.
 * @throws HeadroomError for history too short to forecast, expressions that give negative or non-numeric demand.
 */
export async function planCapacity(inputs: PlanInputs, options: PlanOptions = {}): Promise<{ plan: CapacityPlan; timings: PlanTimings }> {
  const { scenario, model } = inputs;
  const clock = options.clock ?? (() => 0);
  const seed = options.seed ?? scenario.seed;
  const replicas = options.replicas ?? scenario.simulation.replicas;
  const arrivals = options.arrivals ?? scenario.simulation.arrivals;
  const math = await loadMathjs();
  const compile = (text: string): EvalFunction => math.compile(text);
  const t0 = clock();
  const prepared = forecastDrivers(inputs, options.forecast ?? defaultForecast, seed);
  const t1 = clock();
  const { periods } = prepared;
  const variants = [BASE_VARIANT, ...scenario.variants];
  const zones = scenario.redundancy.zoneLoss ? model.zones.length : undefined;
  const rule = { spare: scenario.redundancy.spare, zones };
  const warnings: string[] = [];
  const serviceNames = Object.keys(scenario.services);
  const totalWork = variants.length * serviceNames.length;
  let done = 0;
  let simMs = 0;
  let simulations = 0;
  let cacheHits = 0;
  const variantPlans: VariantPlan[] = [];

  // Phase 1 (analytic, synchronous): demand and sizing of every variant × service × period.
  interface Item {
    readonly variant: VariantSpec;
    readonly name: string;
    readonly service: ServiceModel;
    readonly baseService: ServiceModel;
    readonly sizing: SizingService;
    readonly baseSizing: SizingService;
    readonly demand: DemandSeries;
    readonly slo: Slo;
    readonly sized: SizedPeriod[];
    readonly peakIndex: number;
    /** What the current fleet serves within the SLOs, and the analytic exhaustion. */
    readonly fleetMax: number;
    readonly fleetMaxByMemory: boolean;
    readonly exhaustion: ReturnType<typeof exhaustionOf>;
    confirmations: Confirmation[];
    confirmationNote: string;
  }
  const items: Item[] = [];
  const demandByVariant = new Map<string, DemandSeries[]>();
  for (const variant of variants) {
    const { all, services: serviceDemand } = variantDemand(inputs, prepared, variant, compile);
    demandByVariant.set(variant.name, [...all.values(), ...[...serviceDemand.values()].filter((d) => !all.has(d.name))]);
    for (const name of serviceNames) {
      const spec = scenario.services[name]!;
      const baseService = model.services.find((s) => s.name === name)!;
      const service = serviceForVariant(baseService, variant);
      const sizing = sizingServiceOf(service);
      const nodeType = nodeTypeOf(model, service.nodeType);
      const demand = serviceDemand.get(name)!;
      const memPerUnit = service.memoryGiBPerUnit;
      if (memPerUnit !== undefined && nodeType.memoryGiB === undefined) {
        throw new HeadroomError(
          'CONFIG_INVALID',
          `${scenario.modelFile} nodeTypes[${model.nodeTypes.indexOf(nodeType)}].memoryGiB: missing; expected the memory of a ${nodeType.name} node, since service ${name} has memoryGiBPerUnit`,
        );
      }
      let sized: SizedPeriod[];
      try {
        sized = demand.sized.map((l) => sizeAt(sizing, l, spec.slo, scenario.maxUtilization, memPerUnit, nodeType.memoryGiB));
      } catch (e) {
        if (e instanceof UnreachableSlo) {
          throw new HeadroomError('INPUT_INVALID', `${scenario.file} services.${name}.slo: ${e.message}${variant === BASE_VARIANT ? '' : ` (variant ${variant.name})`}; loosen the SLO or make requests cheaper`);
        }
        throw e;
      }
      const peakIndex = demand.sized.reduce((best, v, i, a) => (v > a[best]! ? i : best), 0);
      // Fleet headroom and exhaustion: the current fleet runs the model's service as it is today.
      const baseSizing = variant === BASE_VARIANT ? sizing : sizingServiceOf(baseService);
      let fleetMax = maxDemandWithinSlo(baseSizing, spec.fleet, spec.slo, nodeCapacity(baseSizing));
      let fleetMaxByMemory = false;
      if (baseService.memoryGiBPerUnit !== undefined) {
        const baseType = nodeTypeOf(model, baseService.nodeType);
        const byMemory = (spec.fleet * (baseType.memoryGiB ?? Infinity)) / baseService.memoryGiBPerUnit;
        if (byMemory < fleetMax) {
          fleetMax = byMemory;
          fleetMaxByMemory = true;
        }
      }
      const exhaustion = exhaustionOf(
        periods.map((p) => p.startMs),
        demand.sized,
        fleetMax,
        scenario.leadTime * 1000,
      );
      items.push({
        variant,
        name,
        service,
        baseService,
        sizing,
        baseSizing,
        demand,
        slo: spec.slo,
        sized,
        peakIndex,
        fleetMax,
        fleetMaxByMemory,
        exhaustion,
        confirmations: [],
        confirmationNote: 'not confirmed by simulation (--no-sim)',
      });
    }
  }
  const t2a = clock();

  // Phase 2 (simulation): confirm every item's binding period, all items at once (the confirmer queues the replicas).
  if (options.confirm) {
    const confirm = options.confirm;
    const cache = new Map<string, Promise<ConfirmResult>>();
    let confirmed = 0;
    options.onProgress?.(0, items.length, 'simulating');
    await Promise.all(
      items.map(async (item) => {
        const { service, slo, peakIndex, sized } = item;
        const lambda = item.demand.sized[peakIndex]!;
        const label = periods[peakIndex]!.label;
        const runAt = (svc: ServiceModel, demand: number, nodes: number, zoneDown: string | undefined): Promise<ConfirmResult> => {
          const n = arrivalsFor(svc, zoneDown !== undefined ? survivorsOfZoneLoss(nodes, model.zones.length) : nodes, demand, arrivals);
          const key = JSON.stringify([svc, demand, nodes, zoneDown, slo, replicas, n, seed]);
          const hit = cache.get(key);
          if (hit) {
            cacheHits++;
            return hit;
          }
          simulations++;
          const p = confirm({
            service: svc,
            demand,
            nodes,
            zones: zoneDown !== undefined ? model.zones : undefined,
            zoneDown,
            slo,
            replicas,
            arrivals: n,
            warmupFraction: scenario.simulation.warmupFraction,
            seed,
          });
          cache.set(key, p);
          return p;
        };
        const run = (nodes: number, zoneDown: string | undefined): Promise<ConfirmResult> => runAt(service, lambda, nodes, zoneDown);
        // The utilisation cap is arithmetic (λ·E[S]/(n·c)); the simulation decides the SLOs.
        const capOk = (n: number): boolean => evaluateService(item.sizing, lambda, n, slo).utilization <= scenario.maxUtilization * (1 + 1e-9);
        const record = (
          c: Confirmation['case'],
          nodes: number,
          nodesUp: number,
          r: ConfirmResult,
          passed: boolean,
          at: { periodIndex: number; demand: number; expected: boolean; service: ServiceModel } = {
            periodIndex: peakIndex,
            demand: lambda,
            expected: c !== 'one-fewer',
            service,
          },
        ): void => {
          item.confirmations.push({
            periodIndex: at.periodIndex,
            case: c,
            demand: at.demand,
            nodes,
            nodesUp,
            passed,
            asExpected: passed === at.expected,
            latency: r.latency,
            errorRate: r.errorRate,
            utilization: r.utilization,
            marginal: r.marginal,
            replicas,
            arrivalsPerReplica: arrivalsFor(at.service, nodesUp, at.demand, arrivals),
          });
        };
        const analytic = sized[peakIndex]!;
        const memoryBound = analytic.binding === 'memory';
        let n = analytic.nodesRequired;
        let r = await run(n, undefined);
        let steps = 0;
        while (!(r.passed && capOk(n)) && steps < 3) {
          record('sized', n, n, r, false);
          n++;
          steps++;
          r = await run(n, undefined);
        }
        const sizedOk = r.passed && capOk(n);
        record('sized', n, n, r, sizedOk);
        let lower: ConfirmResult | undefined;
        if (sizedOk && n > 1 && !memoryBound) {
          let down = 0;
          lower = await run(n - 1, undefined);
          while (lower.passed && capOk(n - 1) && n - 1 > 1 && down < 3) {
            record('one-fewer', n - 1, n - 1, lower, true);
            n--;
            down++;
            lower = await run(n - 1, undefined);
          }
          record('one-fewer', n - 1, n - 1, lower, lower.passed && capOk(n - 1));
        }
        if (sizedOk && n !== analytic.nodesRequired) {
          warnings.push(`${item.variant.name}/${item.name}: simulation moved the count at ${label} from ${analytic.nodesRequired} (analytic) to ${n}`);
          sized[peakIndex] = { ...analytic, nodesRequired: n, nodesSlo: Math.min(analytic.nodesSlo, n), binding: `${analytic.binding}, simulation` };
        }
        let zoneNote = '';
        if (zones !== undefined) {
          // The survivors of losing the largest zone must meet the SLO in simulation too; if they do not, the planner
          // asks for more survivors (at most 3 steps) and the period's SLO count rises with them.
          let fin = sized[peakIndex]!;
          let red = applyRedundancy(fin.nodesRequired, fin.nodesSlo, rule);
          let zr = await run(red.nodes, model.zones[0]!);
          let up = 0;
          while (!zr.passed && up < 3) {
            record('zone-loss', red.nodes, red.survivors!, zr, false);
            const need = red.survivors! + 1;
            fin = { ...fin, nodesSlo: need, nodesRequired: Math.max(fin.nodesRequired, need), binding: `${fin.binding}, zone loss in simulation` };
            red = applyRedundancy(fin.nodesRequired, fin.nodesSlo, rule);
            zr = await run(red.nodes, model.zones[0]!);
            up++;
          }
          record('zone-loss', red.nodes, red.survivors!, zr, zr.passed);
          if (up > 0 && zr.passed) {
            sized[peakIndex] = fin;
            warnings.push(`${item.variant.name}/${item.name}: zone-loss survivors at ${label} needed ${red.survivors} nodes in simulation; the count rises to ${red.nodes}`);
          }
          zoneNote = `; with zone ${model.zones[0]} lost, ${red.survivors} of ${red.nodes} ${zr.passed ? 'meet' : 'do NOT meet'} the SLO${zr.marginal ? ' (marginal)' : ''}`;
          if (!zr.passed) warnings.push(`${item.variant.name}/${item.name}: the survivors of a zone loss at ${label} miss the SLO in simulation`);
        }
        // The current fleet at the exhaustion period (must fail) and at the busiest period before it (must pass).
        let fleetNote = '';
        const ex = item.exhaustion.periodIndex;
        const fleet = scenario.services[item.name]!.fleet;
        // Within 5% of saturation a short run starts far from steady state and cannot tell (queues need a time of the
        // order of 1/(μ(1 − √ρ)²) to fill), so those cases are left to the analytic result.
        const nearSaturation = ex !== undefined && evaluateService(item.baseSizing, item.demand.sized[ex]!, fleet, slo, false).utilization > 0.95;
        if (ex !== undefined && nearSaturation) {
          fleetNote = `; the current ${fleet} node${fleet === 1 ? '' : 's'} run out near saturation at ${periods[ex]!.label} (not simulated: too close to saturation for a short run)`;
        } else if (ex !== undefined && fleet >= 1 && !item.fleetMaxByMemory) {
          const atEx = item.demand.sized[ex]!;
          const rEx = await runAt(item.baseService, atEx, fleet, undefined);
          record('fleet-at-exhaustion', fleet, fleet, rEx, rEx.passed, { periodIndex: ex, demand: atEx, expected: false, service: item.baseService });
          let before: number | undefined;
          for (let i = 0; i < ex; i++) if (before === undefined || item.demand.sized[i]! > item.demand.sized[before]!) before = i;
          let rBefore: ConfirmResult | undefined;
          if (before !== undefined) {
            rBefore = await runAt(item.baseService, item.demand.sized[before]!, fleet, undefined);
            record('fleet-before-exhaustion', fleet, fleet, rBefore, rBefore.passed, { periodIndex: before, demand: item.demand.sized[before]!, expected: true, service: item.baseService });
          }
          const exLabel = periods[ex]!.label;
          const m = (r: ConfirmResult) => (r.marginal ? ' (marginal)' : '');
          fleetNote =
            `; the current ${fleet} node${fleet === 1 ? '' : 's'} ${rEx.passed ? 'still PASS' : 'fail'}${m(rEx)} at ${exLabel}` +
            (rBefore && before !== undefined ? ` and ${rBefore.passed ? 'pass' : 'already FAIL'}${m(rBefore)} at ${periods[before]!.label}` : '');
          // A marginal verdict (the interval straddles the target) is no evidence against the analytic date.
          if (rEx.passed && !rEx.marginal) warnings.push(`${item.variant.name}/${item.name}: in simulation the current fleet still meets the SLO at ${exLabel}, the analytic exhaustion period; it may come later`);
          if (rBefore && !rBefore.passed && !rBefore.marginal) warnings.push(`${item.variant.name}/${item.name}: in simulation the current fleet already misses the SLO at ${periods[before!]!.label}, before the analytic exhaustion period ${exLabel}`);
        }
        const q = slo.latency ? quantileLabel(slo.latency.quantile) : 'p99';
        const fmt = (x: ConfirmResult) =>
          `${q} ${(x.latency.mean * 1000).toFixed(1)} ms, errors ${(x.errorRate.mean * 100).toFixed(2)}%, util ${(x.utilization.mean * 100).toFixed(0)}%` +
          (x.marginal ? ', marginal: a 95% interval straddles the target' : '');
        item.confirmationNote = sizedOk
          ? `simulated at ${label} (${lambda.toFixed(1)} ${scenario.services[item.name]!.unit}): ${n} nodes pass (${fmt(r)})` +
            (lower ? `, ${n - 1} fail (${fmt(lower)}${capOk(n - 1) ? '' : '; over the utilisation cap'})` : '') +
            (memoryBound ? `; the count is set by memory (${analytic.memory!.required} nodes for ${(lambda * (service.memoryGiBPerUnit ?? 0)).toFixed(0)} GiB at the cap), not by queueing` : '') +
            zoneNote +
            fleetNote
          : `simulated at ${label}: even ${n} nodes fail in simulation (${fmt(r)}); the analytic count stands, check the model`;
        if (!sizedOk) warnings.push(`${item.variant.name}/${item.name}: ${item.confirmationNote}`);
        confirmed++;
        options.onProgress?.(confirmed, items.length, `simulating ${item.variant.name}/${item.name}`);
      }),
    );
  }
  const t2b = clock();
  simMs = t2b - t2a;

  // Phase 3: redundancy, fleet headroom, exhaustion and cost.
  for (const variant of variants) {
    const servicePlans: ServicePlan[] = [];
    for (const item of items.filter((x) => x.variant === variant)) {
      const { name, service, sizing, demand, slo, sized } = item;
      const spec = scenario.services[name]!;
      const nodeType = nodeTypeOf(model, service.nodeType);
      const memPerUnit = service.memoryGiBPerUnit;
      const fleet = spec.fleet;
      const fleetMax = item.fleetMax;
      const ex = item.exhaustion;
      const exhaustion: Exhaustion = { ...ex, period: ex.periodIndex === undefined ? undefined : periods[ex.periodIndex]!.label };
      const servicePeriods: ServicePeriod[] = periods.map((per, i) => {
        const z = sized[i]!;
        const lambda = demand.sized[i]!;
        const red = applyRedundancy(z.nodesRequired, z.nodesSlo, rule);
        const ev = evaluateService(sizing, lambda, red.nodes, slo);
        const pf = priceFactor(variant, per.startMs);
        const price = {
          hourly: nodeType.hourlyPrice * pf,
          committedHourly: nodeType.committedHourlyPrice === undefined ? undefined : nodeType.committedHourlyPrice * pf,
        };
        const c = periodCost(red.nodes, per.hours, price, scenario.commitment.share);
        const memoryBinding = z.binding === 'memory';
        const resources: ResourcePeriod[] = [
          {
            resource: 'compute',
            unit: spec.unit,
            demandP50: demand.p50[i]!,
            demandSized: lambda,
            nodesRequired: z.computeRequired,
            nodesWithRedundancy: applyRedundancy(z.computeRequired, z.computeSlo, rule).nodes,
            utilization: ev.utilization,
            cost: memoryBinding ? 0 : c.cost,
          },
        ];
        if (z.memory && memPerUnit !== undefined) {
          resources.push({
            resource: 'memory',
            unit: 'GiB',
            demandP50: demand.p50[i]! * memPerUnit,
            demandSized: lambda * memPerUnit,
            nodesRequired: z.memory.required,
            nodesWithRedundancy: applyRedundancy(z.memory.required, z.memory.need, rule).nodes,
            utilization: (lambda * memPerUnit) / (red.nodes * nodeType.memoryGiB!),
            cost: memoryBinding ? c.cost : 0,
          });
        }
        return {
          periodIndex: i,
          demandP50: demand.p50[i]!,
          demandSized: lambda,
          peakMs: demand.peakMs[i]!,
          nodesSlo: z.nodesSlo,
          nodesRequired: z.nodesRequired,
          binding: z.binding,
          nodesWithRedundancy: red.nodes,
          redundancyRule: red.rule,
          zoneLossSurvivors: zones !== undefined ? survivorsOfZoneLoss(red.nodes, zones) : undefined,
          utilization: ev.utilization,
          latency: ev.latency,
          errorRate: ev.errorRate,
          fleetMeetsSlo: lambda <= fleetMax,
          headroom: lambda > 0 ? fleetMax / lambda - 1 : Infinity,
          committedNodes: c.committedNodes,
          onDemandNodes: c.onDemandNodes,
          cost: c.cost,
          resources,
        };
      });
      servicePlans.push({
        service: name,
        nodeType: nodeType.name,
        unit: spec.unit,
        demandExpression: spec.demand,
        hourlyPrice: nodeType.hourlyPrice,
        committedHourlyPrice: nodeType.committedHourlyPrice,
        fleet,
        fleetMaxDemand: fleetMax,
        slo: { latency: slo.latency, maxErrorRate: slo.maxErrorRate },
        exhaustion,
        periods: servicePeriods,
        costByYear: byYear(periods, servicePeriods.map((p) => p.cost)),
        totalCost: servicePeriods.reduce((a, p) => a + p.cost, 0),
        confirmations: item.confirmations,
        confirmationNote: item.confirmationNote,
      });
      if (!options.confirm) {
        done++;
        options.onProgress?.(done, totalWork, `${variant.name}/${name}`);
      }
    }
    const costByPeriod = periods.map((_, i) => servicePlans.reduce((a, s) => a + s.periods[i]!.cost, 0));
    let first: ServicePlan | undefined;
    for (const s of servicePlans) {
      if (s.exhaustion.periodIndex !== undefined && (first === undefined || s.exhaustion.periodIndex < first.exhaustion.periodIndex!)) first = s;
    }
    variantPlans.push({
      name: variant.name,
      description: describeVariant(variant),
      demand: demandByVariant.get(variant.name)!,
      services: servicePlans,
      exhaustion: first
        ? { ...first.exhaustion, service: first.service }
        : { periodIndex: undefined, period: undefined, dateMs: undefined, orderByMs: undefined, overdue: false, service: undefined },
      costByPeriod,
      costByYear: byYear(periods, costByPeriod),
      totalCost: costByPeriod.reduce((a, b) => a + b, 0),
    });
  }
  const t2 = clock();

  const plan: CapacityPlan = {
    format: 'headroom-plan/1',
    scenario: { name: scenario.name, file: scenario.file, description: scenario.description, seed },
    model: {
      name: model.name,
      file: scenario.modelFile,
      zones: model.zones,
      nodeTypes: model.nodeTypes.map((t) => ({
        name: t.name,
        vcpus: t.vcpus,
        memoryGiB: t.memoryGiB,
        hourlyPrice: t.hourlyPrice,
        committedHourlyPrice: t.committedHourlyPrice,
      })),
    },
    currency: model.currency,
    period: scenario.period,
    periods,
    quantile: scenario.quantile,
    quantileLabel: quantileLabel(scenario.quantile),
    maxUtilization: scenario.maxUtilization,
    redundancy: { spare: scenario.redundancy.spare, zoneLoss: scenario.redundancy.zoneLoss, zones: model.zones.length },
    leadTimeDays: scenario.leadTime / 86400,
    committedShare: scenario.commitment.share,
    drivers: prepared.assumptions,
    derived: scenario.demand,
    variants: variantPlans,
    simulation: {
      enabled: options.confirm !== undefined,
      rule: CONFIRMATION_RULE,
      runs: simulations,
      replicas,
      arrivalsPerReplica: arrivals,
    },
    method: METHOD,
    warnings,
  };
  return { plan, timings: { forecastMs: t1 - t0, analyticMs: t2 - t1 - simMs, simulationMs: simMs, simulations, cacheHits } };
}

/** Sum `costs` (one per period) by the calendar year each period starts in. */
function byYear(periods: readonly PlanPeriod[], costs: readonly number[]): Array<{ year: number; cost: number }> {
  const years = new Map<number, number>();
  periods.forEach((p, i) => {
    const y = new Date(p.startMs).getUTCFullYear();
    years.set(y, (years.get(y) ?? 0) + costs[i]!);
  });
  return [...years].map(([year, cost]) => ({ year, cost }));
}

/** How the plan's numbers are derived; copied into plan.json and the Assumptions sheet. */
export const METHOD: readonly string[] = [
  'History finer than a day is reduced to daily peaks when the plan reaches more than about two months past it (shorter plans forecast the sub-daily series with its daily and weekly cycles); each driver is forecast once to the end of the horizon.',
  "A period's demand is its peak step (day, or hour for short plans): the largest median (the forecast mean) and the largest sized quantile over the period.",
  'Quantiles other than the forecast bounds come from a normal fitted by least squares to the 80% and 95% bounds on the same side of the median.',
  'Derived demand is evaluated per period on the peaks (exact for a function increasing in one driver; conservative when peaks of several drivers do not coincide).',
  'Sizing: Erlang C with the Allen-Cunneen correction for general service times; the response-time percentile from the exponential conditional wait convolved with the service time (exact for M/M/c); drops from M/M/c/K; USL services as load-dependent birth-death queues (exponential wait, per-concurrency exponential service).',
  'The reported count is the smallest meeting the SLOs and the planned utilisation cap; with zone-loss redundancy the survivors of losing the largest zone must meet the SLO.',
  'Cost: nodes with redundancy x hours in the period x price per node-hour; the committed share (whole nodes, rounded down) at the committed price.',
  'Exhaustion: the first period whose sized peak exceeds what the current fleet serves within the SLOs; order-by = its start minus the lead time.',
];
