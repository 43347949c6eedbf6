import type { VariantSpec } from '../model/plan-scenario.js';
import type { DemandFactor } from './demand.js';

/**
 * What-if variants. The plan itself is the variant named `base`; each scenario variant changes some of:
 * - `growth`: extra compound growth per year on top of the forecast, counted from the first period's start
 *   (factor (1 + g)^(years since start); +25% makes demand 25% higher after a year, 56% after two);
 * - `launch`: from a date on, demand of all drivers (or the listed ones) times a multiplier (as a forecast event);
 * - `price`: node prices times a multiplier, from a date or from the start;
 * - `services`: a service on a different node type, with its service time scaled (0.8 = 20% faster per request) and
 *   optionally a different number of workers per node.
 * One forecast per driver serves every variant: variants act on the forecast's quantiles, not on the history.
 */
export const BASE_VARIANT: VariantSpec = {
  name: 'base',
  description: 'the forecast as it is',
  growth: 0,
  launches: [],
  price: undefined,
  services: {},
};

const YEAR_MS = 365.2425 * 86_400_000;

/** The demand factor a variant applies to `driver` at time t. */
export function variantFactor(v: VariantSpec, driver: string, startMs: number): DemandFactor {
  const launches = v.launches.filter((l) => l.drivers === undefined || l.drivers.includes(driver));
  if (v.growth === 0 && launches.length === 0) return () => 1;
  const logG = Math.log1p(v.growth);
  return (t) => {
    let f = v.growth === 0 ? 1 : Math.exp((logG * (t - startMs)) / YEAR_MS);
    for (const l of launches) if (t >= l.atMs) f *= l.multiplier;
    return f;
  };
}

/** The price multiplier a variant applies in a period starting at `periodStartMs`. */
export function priceFactor(v: VariantSpec, periodStartMs: number): number {
  if (!v.price) return 1;
  return v.price.fromMs === undefined || periodStartMs >= v.price.fromMs ? v.price.multiplier : 1;
}

/** One line describing a variant, for the summary and the Assumptions sheet. */
export function describeVariant(v: VariantSpec): string {
  if (v.description) return v.description;
  const parts: string[] = [];
  if (v.growth !== 0) parts.push(`${v.growth > 0 ? '+' : ''}${Math.round(v.growth * 1000) / 10}% growth a year on top of the forecast`);
  for (const l of v.launches) {
    parts.push(`launch on ${new Date(l.atMs).toISOString().slice(0, 10)} x${l.multiplier}${l.drivers ? ` (${l.drivers.join(', ')})` : ''}`);
  }
  if (v.price) parts.push(`prices x${v.price.multiplier}${v.price.fromMs !== undefined ? ` from ${new Date(v.price.fromMs).toISOString().slice(0, 10)}` : ''}`);
  for (const [s, o] of Object.entries(v.services)) {
    const bits = [o.nodeType ? `on ${o.nodeType}` : '', o.serviceTimeScale !== 1 ? `service time x${o.serviceTimeScale}` : '', o.workersPerNode ? `${o.workersPerNode} workers/node` : '']
      .filter(Boolean)
      .join(', ');
    parts.push(`${s} ${bits}`);
  }
  return parts.join('; ') || 'no change';
}
