import type { ResourceModel, ServiceModel } from '../model/resource-model.js';
import type { PlanScenario } from '../model/plan-scenario.js';
import { quantileLabel } from './demand-quantile.js';
import { applyRedundancy, survivorsOfZoneLoss, type RedundancyRule } from './redundancy.js';
import { sizingServiceOf } from './service-variant.js';
import { evaluateService, nodeCapacity, pooled, type Slo } from './sizing.js';
import type { Confirmation, PlanPeriod } from './types.js';
import type { PlanItem } from './work.js';
import { formatDemand } from '../units.js';

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

export const CONFIRMATION_RULE =
  'Per variant and service, the simulator confirms the binding period (the period with the highest sized demand, ' +
  'which needs the most nodes): the sized count must pass, one fewer must fail (an SLO or the utilisation cap), and ' +
  'with zone-loss redundancy the survivors of losing the largest zone must meet the SLO (and stay under the degraded-mode ' +
  'utilisation ceiling). When the simulation ' +
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

/** What confirmItems needs from the plan around it. */
export interface ConfirmContext {
  readonly confirm: Confirmer;
  readonly scenario: PlanScenario;
  readonly model: ResourceModel;
  readonly periods: readonly PlanPeriod[];
  readonly rule: RedundancyRule;
  readonly replicas: number;
  readonly arrivals: number;
  readonly seed: number;
  readonly onProgress?: ((done: number, total: number, label: string) => void) | undefined;
}

/** The confirmation phase's result: new items (counts moved where the simulation decided), and what it found. */
export interface ConfirmedItems {
  readonly items: readonly PlanItem[];
  /** Sentences for the plan's warnings, in item order. */
  readonly warnings: readonly string[];
  /** Simulations run, and identical cases answered from the cache. */
  readonly simulations: number;
  readonly cacheHits: number;
}

/** Runs one case (service at a demand on a count, optionally with a zone down), once per identical case. */
type RunCase = (service: ServiceModel, demand: number, nodes: number, zoneDown: string | undefined, slo: Slo) => Promise<ConfirmResult>;

/**
 * Phase "confirmation": confirm every item by simulation, all at once (the confirmer queues the replicas on its
 * pool), following CONFIRMATION_RULE. Returns new items: the binding period's count where the simulation decides,
 * the confirmations and the note; the items given are not changed.
 */
export async function confirmItems(items: readonly PlanItem[], ctx: ConfirmContext): Promise<ConfirmedItems> {
  const { confirm, scenario, model, replicas, arrivals, seed } = ctx;
  let simulations = 0;
  let cacheHits = 0;
  // A memo of the runs of this phase: identical cases (service, demand, nodes, failure) are simulated once.
  const cache = new Map<string, Promise<ConfirmResult>>();
  const runCase: RunCase = (svc, demand, nodes, zoneDown, slo) => {
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
  let confirmed = 0;
  ctx.onProgress?.(0, items.length, 'simulating');
  const results = await Promise.all(
    items.map(async (item) => {
      const result = await confirmItem(item, runCase, ctx);
      confirmed++;
      ctx.onProgress?.(confirmed, items.length, `simulating ${item.variant.name}/${item.name}`);
      return result;
    }),
  );
  return { items: results.map((r) => r.item), warnings: results.flatMap((r) => r.warnings), simulations, cacheHits };
}

/** One item's confirmation: the sized count (up and down), the zone-loss survivors, then the current fleet. */
async function confirmItem(item: PlanItem, runCase: RunCase, ctx: ConfirmContext): Promise<{ item: PlanItem; warnings: readonly string[] }> {
  const { scenario, model, periods, rule, replicas, arrivals } = ctx;
  if (item.unservable?.periods.includes(item.peakIndex)) {
    return { item: { ...item, confirmationNote: `not simulated: at ${periods[item.peakIndex]!.label} the demand is beyond what ${item.unservable.maxNodes.toLocaleString('en-US')} nodes serve` }, warnings: [] };
  }
  const { service, slo, peakIndex } = item;
  const sized = [...item.sized];
  const confirmations: Confirmation[] = [];
  const warnings: string[] = [];
  const lambda = item.demand.sized[peakIndex]!;
  const label = periods[peakIndex]!.label;
  const run = (nodes: number, zoneDown: string | undefined): Promise<ConfirmResult> => runCase(service, lambda, nodes, zoneDown, slo);
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
    confirmations.push({
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

  // The sized count must pass; one fewer must fail. The simulation decides (at most 3 steps each way).
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
  if (rule.zones !== undefined) {
    // The survivors of losing the largest zone must meet the SLO in simulation, and stay under the degraded-mode
    // ceiling (arithmetic, as the cap); if they do not, the planner asks for more survivors (at most 3 steps).
    const degradedOk = (survivors: number): boolean =>
      evaluateService(item.sizing, lambda, survivors, slo).utilization <= scenario.maxUtilizationDegraded * (1 + 1e-9);
    let fin = sized[peakIndex]!;
    let red = applyRedundancy(fin.nodesRequired, fin.nodesSurvive, rule);
    let zr = await run(red.nodes, model.zones[0]!);
    let up = 0;
    while (!(zr.passed && degradedOk(red.survivors!)) && up < 3) {
      record('zone-loss', red.nodes, red.survivors!, zr, false);
      const need = red.survivors! + 1;
      fin = { ...fin, nodesSurvive: need, binding: `${fin.binding}, zone loss in simulation` };
      red = applyRedundancy(fin.nodesRequired, fin.nodesSurvive, rule);
      zr = await run(red.nodes, model.zones[0]!);
      up++;
    }
    const zoneOk = zr.passed && degradedOk(red.survivors!);
    record('zone-loss', red.nodes, red.survivors!, zr, zoneOk);
    if (up > 0 && zoneOk) {
      sized[peakIndex] = fin;
      warnings.push(`${item.variant.name}/${item.name}: zone-loss survivors at ${label} needed ${red.survivors} nodes in simulation; the count rises to ${red.nodes}`);
    }
    zoneNote = `; with zone ${model.zones[0]} lost, ${red.survivors} of ${red.nodes} ${zoneOk ? 'meet' : 'do NOT meet'} the SLO and the ${Math.round(scenario.maxUtilizationDegraded * 100)}% degraded ceiling${zr.marginal ? ' (marginal)' : ''}`;
    if (!zoneOk) warnings.push(`${item.variant.name}/${item.name}: the survivors of a zone loss at ${label} miss the SLO or the degraded ceiling in simulation`);
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
    const rEx = await runCase(item.baseService, atEx, fleet, undefined, slo);
    record('fleet-at-exhaustion', fleet, fleet, rEx, rEx.passed, { periodIndex: ex, demand: atEx, expected: false, service: item.baseService });
    let before: number | undefined;
    for (let i = 0; i < ex; i++) if (before === undefined || item.demand.sized[i]! > item.demand.sized[before]!) before = i;
    let rBefore: ConfirmResult | undefined;
    if (before !== undefined) {
      rBefore = await runCase(item.baseService, item.demand.sized[before]!, fleet, undefined, slo);
      record('fleet-before-exhaustion', fleet, fleet, rBefore, rBefore.passed, { periodIndex: before, demand: item.demand.sized[before]!, expected: true, service: item.baseService });
    }
    const exLabel = periods[ex]!.label;
    const m = (x: ConfirmResult) => (x.marginal ? ' (marginal)' : '');
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
  const confirmationNote = sizedOk
    ? `simulated at ${label} (${formatDemand(lambda)} ${scenario.services[item.name]!.unit}): ${n} nodes pass (${fmt(r)})` +
      (lower ? `, ${n - 1} fail (${fmt(lower)}${capOk(n - 1) ? '' : '; over the utilisation cap'})` : '') +
      (memoryBound ? `; the count is set by memory (${analytic.memory!.required} nodes for ${(lambda * (service.memoryGiBPerUnit ?? 0)).toFixed(0)} GiB at the cap), not by queueing` : '') +
      zoneNote +
      fleetNote
    : `simulated at ${label}: even ${n} nodes fail in simulation (${fmt(r)}); the analytic count stands, check the model`;
  if (!sizedOk) warnings.push(`${item.variant.name}/${item.name}: ${confirmationNote}`);
  return { item: { ...item, sized, confirmations: [...item.confirmations, ...confirmations], confirmationNote }, warnings };
}
