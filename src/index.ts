/**
 * Headroom's public library API: named re-exports only. The CLI (src/cli) uses nothing that is not reachable from here.
 */
export { HeadroomError, inputError, checkFailed, isHeadroomError, type ErrorCode } from './errors.js';
export { createRng, type Rng } from './rng.js';
export { writeFileAtomic, writeFilesAtomic } from './report/write-atomic.js';
export type { Series, ReadResult, RepairReport } from './series/types.js';
export type {
  ModelName,
  ForecastEvent,
  MaskedRange,
  ForecastOptions,
  ForecastPoint,
  ForecastResult,
} from './forecast/types.js';
export { forecast } from './forecast/forecast.js';
export { backtest } from './forecast/backtest.js';
export { mase, smape, coverage, meanAbsError } from './forecast/metrics.js';
export { detectSeasonality, candidatePeriods } from './forecast/seasonality.js';
export { stl } from './forecast/stl.js';
export type { BacktestOptions, BacktestPoint, BacktestResult } from './forecast/types.js';
export { VERSION } from './version.js';
