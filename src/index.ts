/**
 * Headroom's public library API, curated: what a program needs to forecast demand, simulate and plan capacity, and
 * check a model against a real endpoint. Named re-exports only; each name's documentation is on its declaration.
 * Building blocks not listed here (the event heap, samplers, optimisers, loaders' internals) are in src/internal.ts
 * for the CLI, tests and benchmarks, and may change without notice.
 *
 * @example
 * import { loadPlanScenario, readPlanHistory, planCapacity, planCsv } from 'headroom';
 * const { scenario, model } = await loadPlanScenario('scenarios/example.yaml');
 * const { plan } = await planCapacity({ scenario, model, history: await readPlanHistory(scenario) });
 * process.stdout.write(planCsv(plan));
 */

// Errors: every failure the library reports is a HeadroomError with a stable code and the CLI's exit code.
export { HeadroomError, isHeadroomError, type ErrorCode } from './errors.js';
export { VERSION } from './version.js';

// Units: durations ("250ms", "45d") and rates ("1200/s") as the files write them, in seconds and per second.
export { parseDuration, parseRate, parseFraction, formatSeconds } from './units.js';

// The domain nouns (src/model): what the files describe, as frozen typed objects.
export type { Distribution } from './model/distribution.js';
export { distributionMean, distributionScv } from './model/distribution.js';
export type { ResourceModel, ServiceModel, NodeType, UslParams } from './model/resource-model.js';
export type { PlanScenario, VariantSpec, SloSpec, FailOnRule } from './model/plan-scenario.js';
export type { ValidationScenario } from './model/validation-scenario.js';
export { uslThroughput, uslPeak } from './model/usl.js';

// Reading the files: YAML into the domain nouns, every problem reported at once with its line.
export { loadResourceModel } from './config/model.js';
export { loadPlanScenario, type LoadedPlanInputs } from './config/plan-scenario.js';
export { loadSimulationScenario } from './config/simulation.js';
export { type SimulationScenario } from './sim/scenario.js';
export { loadValidationScenario } from './config/validation-scenario.js';

// Time series: history from CSV, JSON or Prometheus, and writing one back.
export type { Series, ReadResult } from './series/types.js';
export { readHistory } from './series/read-history.js';
export { readPrometheus, type PrometheusQuery, type PrometheusReadResult } from './series/read-prometheus.js';
export { readPlanHistory } from './series/read-plan-history.js';
export { writeSeriesCsv } from './series/write-csv.js';

// Forecasting: growth models with prediction intervals, and their accuracy on held-out history.
export type { ModelName, ForecastOptions, ForecastPoint, ForecastResult, LevelShiftReport, BacktestOptions, BacktestResult } from './forecast/types.js';
export { forecast } from './forecast/forecast.js';
export { backtest } from './forecast/backtest.js';
export { mase, coverage } from './forecast/metrics.js';
export { forecastHistory, type HistoryForecast, type HistoryForecastOptions } from './forecast/forecast-history.js';
export { forecastText } from './report/forecast-text.js';
export { forecastJson } from './report/forecast-json.js';

// Queueing formulas: the analytic answers the planner sizes with and the simulator is held to.
export { erlangB } from './queueing/erlang-b.js';
export { erlangC } from './queueing/erlang-c.js';
export { mgcWait } from './queueing/mgc.js';
export { mmck, type MmckResult } from './queueing/mmck.js';
export { responsePercentile } from './queueing/latency.js';
export { uslNode, type UslNodeResult } from './queueing/usl-node.js';

// Simulation: replicas of a discrete-event model on worker threads, means with 95% intervals.
export type { SimSpec, StationSpec } from './sim/types.js';
export { simulate, type SimulateOptions } from './sim/runner.js';
export type { SimSummary, Estimate } from './sim/summary.js';
export { stationFromService } from './sim/from-model.js';
export { sloVerdict, type SloVerdict } from './sim/slo-verdict.js';
export { formatSimulation } from './report/simulation-text.js';
export { simulationJson } from './report/simulation-json.js';

// Planning: forecast, size under SLOs and redundancy, confirm by simulation, date and cost.
export { planCapacity, type PlanInputs, type PlanOptions } from './plan/plan.js';
export { simulationConfirmer } from './plan/confirm.js';
export { sizeService, type Sizing } from './plan/sizing.js';
export type { CapacityPlan, VariantPlan, ServicePlan, ServicePeriod, PlanFinding, RuleDate, RunsOut } from './plan/types.js';

// Reports: text as the commands print it, and exports for finance and machines, written all or nothing.
export { planJson } from './report/plan-json.js';
export { planCsv } from './report/plan-csv.js';
export { planXlsx } from './report/plan-xlsx.js';
export { formatPlan } from './report/plan-text.js';
export { renderReport } from './report/render-report.js';
export { readReportInput, type ReportInput } from './report/report-input.js';
export { renderPlanReport } from './report/plan-report.js';
export { renderValidationReport, renderScenarioReport } from './report/validation-report.js';
export { printPdf } from './report/print-pdf.js';
export { writeFileAtomic, writeFilesAtomic } from './write-atomic.js';

// Validation: load-test a real endpoint, find the knee, fit the USL, hold the model to it, calibrate.
export { validateEndpoint, type ValidateOptions, type ValidationReport } from './validate/validate.js';
export { validateScenario, type ScenarioReport } from './validate/scenario.js';
export { fitUsl } from './validate/usl-fit.js';
export type { UslFit, Knee } from './validate/types.js';
export { calibrateModel, type Calibration } from './validate/calibrate.js';
export { calibrateScenarioRun } from './validate/calibrate-scenario.js';
export { formatCalibration } from './report/calibration-text.js';
export { startDemoServer, type DemoServer, type DemoServerOptions } from './demo/server.js';
