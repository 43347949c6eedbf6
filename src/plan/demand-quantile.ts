import type { ForecastPoint } from '../forecast/types.js';
import { normalQuantile } from '../stats/normal.js';

const Z80 = normalQuantile(0.9);
const Z95 = normalQuantile(0.975);

/**
 * The q-quantile of a forecast step, from the central 80% and 95% intervals the forecast gives.
 *
 * The forecast's `mean` is taken as the median (p50). For q > 0.5 a normal scale σ is fitted to the two upper bounds by
 * least squares through the median — σ = (z₈₀·d₈₀ + z₉₅·d₉₅) / (z₈₀² + z₉₅²) with d the bound's distance above the
 * median and z₈₀ = Φ⁻¹(0.9), z₉₅ = Φ⁻¹(0.975) — and the quantile is median + Φ⁻¹(q)·σ. For q < 0.5 the same with the
 * lower bounds, so a skewed forecast keeps its skew. For q = 0.9 or 0.975 on a normal forecast this gives the bound back
 * exactly. Quantiles are floored at 0 (demand is never negative).
 *
 * @example demandQuantile({ timestampMs: 0, mean: 100, lo80: 87.18, hi80: 112.82, lo95: 80.4, hi95: 119.6 }, 0.975) // ≈ 119.6
 */
export function demandQuantile(p: ForecastPoint, q: number): number {
  if (q === 0.5) return Math.max(0, p.mean);
  const z = normalQuantile(q);
  const upper = q > 0.5;
  const d80 = upper ? p.hi80 - p.mean : p.mean - p.lo80;
  const d95 = upper ? p.hi95 - p.mean : p.mean - p.lo95;
  const sigma = Math.max(0, (Z80 * d80 + Z95 * d95) / (Z80 * Z80 + Z95 * Z95));
  return Math.max(0, p.mean + z * sigma);
}

/** "p95" for 0.95, "p99.9" for 0.999. */
export function quantileLabel(q: number): string {
  return `p${Number((q * 100).toPrecision(6))}`;
}
