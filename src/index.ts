/**
 * Headroom's public library API: named re-exports only. The CLI (src/cli) uses nothing that is not reachable from here.
 */
export { HeadroomError, inputError, checkFailed, isHeadroomError, type ErrorCode } from './errors.js';
export { createRng, type Rng } from './rng.js';
export { writeFileAtomic, writeFilesAtomic } from './report/write-atomic.js';
export type { Series, ReadResult, RepairReport } from './series/types.js';
export { readHistory } from './series/read-history.js';
export { readCsvFile, parseCsvText, type ReadOptions } from './series/read-csv.js';
export { readJsonFile, parseJsonText } from './series/read-json.js';
export { regularize, type RawRows, type RegularizeOptions } from './series/regularize.js';
export { fillShortGaps, defaultMaxGap, type GapRun } from './series/gaps.js';
export { inferStep, formatStep, MEAN_MONTH_MS, type Step } from './series/step.js';
export { parseTimestamp, formatIso, type TimestampKind } from './series/timestamp.js';
export { addUtcMonths, timestampAt, futureTimestamps } from './series/calendar.js';
export { formatSeriesCsv, writeSeriesCsv } from './series/write-csv.js';
export { aggregate, dailyPeak, percentileSorted, periodStart, type Period, type Reducer, type AggregateOptions } from './series/aggregate.js';
export { forecastGrowth, type Growth } from './series/growth.js';
export {
  readPrometheus,
  PROMETHEUS_MAX_POINTS,
  type PrometheusQuery,
  type PrometheusReadOptions,
  type PrometheusReadResult,
  type SeriesGap,
} from './series/read-prometheus.js';
export { prometheusSourceSchema, prometheusQueryFromSpec, parseLabelSelection, type PrometheusSourceSpec } from './series/prometheus-source.js';
export { parseTimeSpec, parseStep, resolveRange } from './series/prometheus-time.js';
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
export { simulate, runReplicas, type SimulateOptions } from './sim/runner.js';
export { summarize, estimate, type Estimate, type SimSummary, type StationSummary, type EndToEndSummary, type InstabilitySummary, type MetricEstimates } from './sim/summary.js';
export { studentTQuantile, studentTCdf } from './sim/student-t.js';
export { stationFromService, classesFromServices } from './sim/from-model.js';
export { loadSimulationScenario, simulationScenarioSchema, readTraceFile, SIMULATION_DEFAULTS, type SimulationScenario } from './config/simulation.js';
export { VERSION } from './version.js';
