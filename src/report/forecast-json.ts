/**
 * The `headroom forecast --json` document of a history's forecast: plain data, ISO timestamps, the contract fields
 * (`model`, `points`) first.
 */
import type { Growth } from '../series/growth.js';
import type { HistoryForecast } from '../forecast/forecast-history.js';
import { formatStep } from '../series/step.js';
import { formatIso } from '../series/timestamp.js';

/**
 * The `--json` document: `model` and `points` (timestamp, mean and the 80% and 95% bounds) first, as the contract,
 * then the model's details, growth, the level shift at the end of the history (`levelShift`, null when none was
 * detected), the history read and its repairs, and the backtest when there was one.
 */
export function forecastJson(o: HistoryForecast): Record<string, unknown> {
  const { series, repairs } = o.read;
  const r = o.result;
  return {
    model: r.model,
    points: r.points.map((p, i) => ({
      timestamp: formatIso(o.times[i]!),
      mean: p.mean,
      lo80: p.lo80,
      hi80: p.hi80,
      lo95: p.lo95,
      hi95: p.hi95,
    })),
    modelName: r.modelName,
    seasonalPeriods: r.seasonalPeriods,
    quality: r.quality,
    // A growth that cannot be told is null with its reason (JSON has no NaN).
    growthPerMonth: growthJson(r.growth),
    growthBasis: r.growth.basis,
    pathGrowthPerMonth: growthJson(r.pathGrowth),
    // a level shift in the last points (forecast/level-shift.ts): where it starts, its direction and size, the test
    // statistic and its critical value, and whether the intervals were widened towards the earlier level
    levelShift: levelShiftJson(o),
    warnings: r.warnings,
    history: {
      source: series.source,
      column: series.name,
      points: series.t.length,
      step: formatStep(series),
      stepMs: series.stepMs,
      first: formatIso(series.t[0]!),
      last: formatIso(series.t[series.t.length - 1]!),
    },
    repairs: {
      filledGaps: repairs.filledGaps.map((g) => ({ start: formatIso(g.startMs), points: g.points })),
      duplicatesDropped: repairs.duplicatesDropped,
      resampled: repairs.resampled,
      notes: repairs.notes ?? [],
    },
    ...(o.backtest === undefined
      ? {}
      : {
          backtest: {
            holdout: o.backtest.holdout,
            model: o.backtest.result.model,
            mase: o.backtest.result.mase,
            smape: o.backtest.result.smape,
            coverage80: o.backtest.result.coverage80,
            coverage95: o.backtest.result.coverage95,
          },
        }),
  };
}

function growthJson(g: Growth): { absolute: number | null; relative: number | null; reason?: string } {
  const finite = Number.isFinite(g.perMonth) && Number.isFinite(g.relativePerMonth);
  return finite ? { absolute: g.perMonth, relative: g.relativePerMonth } : { absolute: null, relative: null, reason: g.reason ?? 'no finite growth' };
}

function levelShiftJson(o: HistoryForecast): Record<string, unknown> | null {
  const ls = o.result.levelShift;
  if (ls === undefined) return null;
  return {
    start: formatIso(ls.startMs),
    pointsBeforeEnd: ls.pointsBeforeEnd,
    direction: ls.direction,
    size: ls.size !== undefined && Number.isFinite(ls.size) ? ls.size : null,
    statistic: ls.statistic,
    threshold: ls.threshold,
    widened: ls.widened,
  };
}
