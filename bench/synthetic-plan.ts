import { ruleDates, runsOutOf, type CapacityPlan, type Confirmation, type ServicePlan, type VariantPlan } from '../src/internal.js';

/**
 * A plan of `services` services × `months` months × `variants` variants, with numbers that grow like a real plan's
 * (demand +3% a month, nodes = ceil(demand / 100 / 0.7), a fleet that runs out part-way) and 3 confirmations per
 * service of the base plan. Only the shape matters here: the renderer never recomputes.
 */
export function syntheticPlan(services: number, months: number, variants: number): CapacityPlan {
  const start = Date.UTC(2027, 0, 1);
  const periods = Array.from({ length: months }, (_, i) => {
    const s = Date.UTC(2027, i, 1);
    const e = Date.UTC(2027, i + 1, 1);
    return { index: i, label: new Date(s).toISOString().slice(0, 7), startMs: s, endMs: e, hours: (e - s) / 3_600_000 };
  });
  const variant = (vi: number): VariantPlan => {
    const growth = 1 + 0.1 * vi;
    const svcs: ServicePlan[] = Array.from({ length: services }, (_, si) => {
      const fleet = 6 + (si % 9) * 2;
      const d0 = 300 + 37 * si;
      const demandAt = (i: number) => d0 * Math.pow(1.03 * growth, i);
      const exIdx = periods.findIndex((_, i) => demandAt(i) > fleet * 100 * 0.7);
      const sp = periods.map((p, i) => {
        const nodes = Math.ceil(demandAt(i) / 70);
        const withRed = Math.ceil(nodes * 1.5);
        const cost = withRed * p.hours * 0.4;
        return {
          periodIndex: i, demandP50: demandAt(i) * 0.9, demandSized: demandAt(i), peakMs: p.startMs + 86_400_000 * 10, nodesSlo: nodes, nodesRequired: nodes,
          nodesSurvive: withRed, countSetBy: 'zone loss', fleetShortOf: demandAt(i) > fleet * 70 ? (['cap'] as const) : [], nodesToBuy: Math.max(0, withRed - fleet),
          hourlyPrice: 0.4, committedHourlyPrice: 0.3, binding: 'utilization', nodesWithRedundancy: withRed, redundancyRule: 'zone-loss' as const, zoneLossSurvivors: Math.floor((withRed * 2) / 3),
          utilization: 0.66, latency: 0.05, errorRate: 0, fleetMeetsSlo: i < exIdx || exIdx < 0, headroom: (fleet * 70) / demandAt(i) - 1,
          committedNodes: Math.floor(withRed / 2), onDemandNodes: withRed - Math.floor(withRed / 2), cost, resources: [],
        };
      });
      const ex = exIdx < 0 ? undefined : exIdx;
      const confirmations: Confirmation[] =
        vi === 0
          ? (['sized', 'one-fewer', 'zone-loss'] as const).map((c, k) => ({
              periodIndex: months - 1, case: c, demand: demandAt(months - 1), nodes: sp[months - 1]!.nodesWithRedundancy, nodesUp: sp[months - 1]!.nodesWithRedundancy - k,
              passed: c !== 'one-fewer', asExpected: true, latency: { mean: 0.08 + 0.01 * k, ci95: [0.075 + 0.01 * k, 0.085 + 0.01 * k] as const },
              errorRate: { mean: 0, ci95: [0, 0] as const }, utilization: { mean: 0.68, ci95: [0.66, 0.7] as const }, marginal: false, replicas: 4, arrivalsPerReplica: 20000,
            }))
          : [];
      const total = sp.reduce((a, p) => a + p.cost, 0);
      // The fleet's limits per rule: 100 per node at saturation, the SLO at 90%, the cap at 70%, zone-loss cover
      // with two of three zones at the 85% ceiling; dated by the same functions the planner uses.
      const rules = ruleDates({ saturation: fleet * 100, slo: fleet * 90, cap: fleet * 70, redundancy: Math.floor((fleet * 2) / 3) * 85, sloByMemory: false }, sp.map((p) => p.demandSized), periods);
      const runsOut = runsOutOf(rules, periods, 45 * 86_400_000);
      return {
        service: `svc-${String(si).padStart(2, '0')}`, nodeType: 'm6i.xlarge', unit: 'req/s', demandExpression: 'rps', hourlyPrice: 0.4, committedHourlyPrice: 0.3, fleet,
        fleetMaxDemand: fleet * 90, fleetMaxDemandAtCap: fleet * 70, rules, runsOut, reservations: [], slo: { latency: { quantile: 0.99, target: 0.2 }, maxErrorRate: 0.001 },
        exhaustion: { periodIndex: ex, period: ex === undefined ? undefined : periods[ex]!.label, dateMs: ex === undefined ? undefined : periods[ex]!.startMs, orderByMs: ex === undefined ? undefined : periods[ex]!.startMs - 45 * 86_400_000, overdue: false },
        redundancyShortfall: undefined, periods: sp, costByYear: [{ year: 2027, cost: sp.slice(0, 12).reduce((a, p) => a + p.cost, 0) }, { year: 2028, cost: sp.slice(12).reduce((a, p) => a + p.cost, 0) }],
        totalCost: total, confirmations, confirmationNote: 'simulated at the last period: the count passes, one fewer fails',
      };
    });
    const first = svcs.filter((s) => s.exhaustion.dateMs !== undefined).sort((a, b) => a.exhaustion.dateMs! - b.exhaustion.dateMs!)[0];
    const firstOut = svcs.filter((s) => s.runsOut.dateMs !== undefined).sort((a, b) => a.runsOut.dateMs! - b.runsOut.dateMs!)[0];
    const costByPeriod = periods.map((_, i) => svcs.reduce((a, s) => a + s.periods[i]!.cost, 0));
    return {
      name: vi === 0 ? 'base' : `variant-${vi}`, description: vi === 0 ? 'the forecast as it is' : `+${vi * 10}% growth`,
      demand: [{ name: 'users', unit: 'users', p50: periods.map((_, i) => 1e5 * Math.pow(1.03 * growth, i)), sized: periods.map((_, i) => 1.1e5 * Math.pow(1.03 * growth, i)), peakMs: periods.map((p) => p.startMs) }],
      services: svcs, runsOut: { ...(firstOut?.runsOut ?? runsOutOf([], periods, 0)), service: firstOut?.service }, exhaustion: { ...(first?.exhaustion ?? { periodIndex: undefined, period: undefined, dateMs: undefined, orderByMs: undefined, overdue: false }), service: first?.service },
      costByPeriod, costByYear: [{ year: 2027, cost: costByPeriod.slice(0, 12).reduce((a, b) => a + b, 0) }, { year: 2028, cost: costByPeriod.slice(12).reduce((a, b) => a + b, 0) }],
      totalCost: costByPeriod.reduce((a, b) => a + b, 0),
    };
  };
  return {
    format: 'headroom-plan/2', scenario: { name: 'synthetic 50-service plan', file: 'synthetic.yaml', description: undefined, seed: 1 },
    model: { name: 'synthetic', file: 'model.yaml', zones: ['a', 'b', 'c'], nodeTypes: [{ name: 'm6i.xlarge', vcpus: 4, memoryGiB: 16, hourlyPrice: 0.4, committedHourlyPrice: 0.3 }] },
    currency: 'USD', period: 'month', periods, quantile: 0.95, quantileLabel: 'p95', maxUtilization: 0.7, redundancy: { spare: 0, zoneLoss: true, zones: 3 },
    leadTimeDays: 45, committedShare: 0.5, maxUtilizationDegraded: 0.85, commitmentTermMonths: 12, failOn: ['slo'], findings: [],
    drivers: [{ name: 'users', unit: 'users', source: 'users.csv', historyPoints: 730, historyStartMs: start - 730 * 86_400_000, historyEndMs: start, forecastStepMs: 86_400_000, dailyPeaks: false, model: 'exponential', seasonalPeriods: [7], rmse: 1000, mase: 0.6, repairs: [] }],
    derived: [], variants: Array.from({ length: variants }, (_, i) => variant(i)),
    simulation: { enabled: true, rule: 'synthetic', runs: services * 3, replicas: 4, arrivalsPerReplica: 20000 }, method: ['synthetic'], warnings: [],
  };
}

