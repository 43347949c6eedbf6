/**
 * Every building block, for the CLI, the tests and the benchmarks: named re-exports only. Library users import the
 * curated public API, src/index.ts; what is here and not there may change without notice.
 */
export { HeadroomError, inputError, checkFailed, isHeadroomError, type ErrorCode } from './errors.js';
export { createRng, type Rng } from './rng.js';
export { writeFileAtomic, writeFilesAtomic } from './write-atomic.js';
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
export { aggregate, dailyPeak, percentileSorted, periodStart, nextPeriodStart, type Period, type Reducer, type AggregateOptions } from './series/aggregate.js';
export { forecastGrowth, type Growth } from './series/growth.js';
export {
  readPrometheus,
  PROMETHEUS_MAX_POINTS,
  type PrometheusQuery,
  type PrometheusReadOptions,
  type PrometheusReadResult,
  type SeriesGap,
} from './series/read-prometheus.js';
export { prometheusSourceSchema, prometheusQueryFromSpec, parseLabelSelection } from './series/prometheus-source.js';
export { type PrometheusSourceSpec } from './model/plan-scenario.js';
export { parseTimeSpec, parseStep, resolveRange } from './series/prometheus-time.js';
export { repairPrometheusGaps } from './series/prometheus-repair.js';
export type {
  ModelName,
  ForecastEvent,
  MaskedRange,
  ForecastOptions,
  ForecastPoint,
  ForecastResult,
  LevelShiftReport,
} from './forecast/types.js';
export { forecast } from './forecast/forecast.js';
export { backtest } from './forecast/backtest.js';
export { forecastHistory, type HistoryForecast, type HistoryForecastOptions } from './forecast/forecast-history.js';
export { forecastJson } from './report/forecast-json.js';
export { forecastText, describeRepairs } from './report/forecast-text.js';
export { mase, smape, coverage, meanAbsError } from './forecast/metrics.js';
export { detectSeasonality, candidatePeriods } from './forecast/seasonality.js';
export { stl } from './forecast/stl.js';
export { guerreroLambda } from './forecast/box-cox.js';
export { MODELS } from './forecast/registry.js';
export { decompose } from './forecast/mstl.js';
export { fitLinear } from './forecast/linear.js';
export { fitExponential } from './forecast/exponential.js';
export { fitLogistic } from './forecast/logistic.js';
export { fitEts } from './forecast/ets.js';
export { autoEts } from './forecast/ets-auto.js';
export { fitTheta } from './forecast/theta.js';
export { nelderMead } from './forecast/optimize.js';
export type { FittedModel, Bands } from './forecast/model.js';
export type { BacktestOptions, BacktestPoint, BacktestResult } from './forecast/types.js';
export { parseDuration, parseRate, parseFraction, formatSeconds } from './units.js';
export { simulate, runReplicas, openSimPool, type SimulateOptions, type SimPool } from './sim/runner.js';
export { summarize, estimate, mergeSeries, type Estimate, type SimSummary, type StationSummary, type EndToEndSummary, type InstabilitySummary, type MetricEstimates, type PooledQuantiles } from './sim/summary.js';
export { studentTQuantile, studentTCdf } from './stats/student-t.js';
export { stationFromService, classesFromServices } from './sim/from-model.js';
export { runReplica } from './sim/replica.js';
export { validateSpec } from './sim/validate-spec.js';
export { Engine, type EventHandler } from './sim/engine.js';
export { EventHeap, URGENT, NORMAL } from './sim/event-heap.js';
export { Sampler, createSampler } from './sim/distributions.js';
export { LogHistogram, encodedQuantile, encodedMean, mergeEncoded } from './sim/histogram.js';
export type {
  SimSpec,
  ArrivalSpec,
  RatePoint,
  RequestClassSpec,
  StationSpec,
  SheddingSpec,
  AutoscalingSpec,
  RoutingSpec,
  RouteBranch,
  ClientSpec,
  FailureSpec,
  RunSpec,
  StopSpec,
  WarmupSpec,
  ReplicaResult,
  StationResult,
  EndToEndResult,
  MeasuredMetrics,
  RunCounts,
  EncodedHistogram,
  SeriesResult,
  UnstableReport,
  RunReplica,
} from './sim/types.js';
export { loadSimulationScenario, simulationScenarioSchema, readTraceFile } from './config/simulation.js';
export { SIMULATION_DEFAULTS } from './sim/scenario.js';
export { type SimulationScenario } from './sim/scenario.js';
export { sloVerdict, type SloVerdict } from './sim/slo-verdict.js';
export { formatSimulation, sloNotMetMessage } from './report/simulation-text.js';
export { simulationJson } from './report/simulation-json.js';
export { simulationSeriesCsv } from './report/simulation-series-csv.js';
export type { RequestTarget, ArrivalKind, StepResult, SweepPoint, UslFit, Knee, Criteria } from './validate/types.js';
export { runOpenLoopStep, openLoopPool, type OpenLoopOptions } from './validate/open-loop.js';
export { schedule } from './validate/schedule.js';
export { runClosedLoop, runSweep } from './validate/closed-loop.js';
export { runSteps, defaultStepSeconds, type StepsOptions, type StepsOutcome } from './validate/steps.js';
export { findKnee, saturationThroughput, stepFailure, failureRate, sentRate, keptUp } from './validate/knee.js';
export { fitUsl } from './validate/usl-fit.js';
export { uslThroughput, uslPeak } from './model/usl.js';
export { measureGeneratorCeiling, generatorWarnings, isLoopbackHost, type GeneratorCeiling } from './validate/ceiling.js';
export { predictSteps, pickService, pickServices, serviceCapacity, type ModelPrediction, type StepPrediction } from './validate/predict.js';
export { compareWithModel, type Comparison, type StepComparison } from './validate/compare.js';
export { checkRemote, checkBudget, DEFAULT_LIMITS, type SafetyLimits } from './validate/safety.js';
export { preflight } from './validate/preflight.js';
export { sampleMachine, busyMachineWarning, type MachineState } from './validate/machine.js';
export { validateEndpoint, DEFAULT_RATE_FRACTIONS, DEFAULT_CONCURRENCY, type ValidateOptions, type ValidationReport } from './validate/validate.js';
export { formatValidation, formatScenarioValidation } from './validate/format.js';
export { validateScenario, endpointOptions, type ScenarioSettings, type ScenarioReport, type EndpointOutcome } from './validate/scenario.js';
export { loadValidationScenario } from './config/validation-scenario.js';
export { type ValidationScenario, type ScenarioEndpoint } from './model/validation-scenario.js';
export { loadResourceModel, resourceModelSchema } from './config/model.js';
export { type ResourceModel, type ServiceModel } from './model/resource-model.js';
export { loadYamlFile, parseYamlText } from './config/load.js';
export { calibrateModel, describeDistribution, validationInputSchema, type Calibration, type CalibrationCheckStep, type ValidationInput } from './validate/calibrate.js';
export { calibrateScenarioRun, scenarioRunInputSchema, type ScenarioRunInput, type SkippedEndpoint } from './validate/calibrate-scenario.js';
export { formatCalibration } from './report/calibration-text.js';
export { startDemoServer, type DemoServer, type DemoServerOptions } from './demo/server.js';
export { demoCapacities, cpuCapacity, ioCapacity, lockCapacity, mixCapacity, DEMO_DEFAULTS, type DemoConfig, type EndpointCapacity } from './demo/capacity.js';
export { formatDemoBanner } from './demo/banner.js';
export { erlangB } from './queueing/erlang-b.js';
export { erlangC, mmcMeanWait, mmcWaitTail } from './queueing/erlang-c.js';
export { mgcWait, type WaitModel } from './queueing/mgc.js';
export { mmck, type MmckResult } from './queueing/mmck.js';
export { uslNode, uslResponseTail, uslResponsePercentile, type UslNodeResult } from './queueing/usl-node.js';
export { uslPeakConcurrency } from './model/usl.js';
export { responsePercentile, responseTail } from './queueing/latency.js';
export { serviceShape, shapeOf, distributionQuantile, type ServiceShape } from './queueing/service-shape.js';
export { evaluateService, sizeService, nodeCapacity, type SizingService, type Slo, type Sizing, type Evaluation } from './plan/sizing.js';
export { applyRedundancy, redundancyNeed, survivorsOfZoneLoss, nodesForZoneLoss, type RedundancyRule } from './plan/redundancy.js';
export { fleetLimitsOf, ruleDates, runsOutOf, FLEET_RULES, type FleetLimits } from './plan/fleet-rules.js';
export { planReservations, reservedByPeriod, type ReservationPeriod } from './plan/reservations.js';
export { HORIZON_LIMIT_FACTOR, HORIZON_WARN_FACTOR, MAX_PLANNED_NODES } from './plan/limits.js';
export { periodCost, reservedPeriodCost, type NodePrice, type PeriodCost } from './plan/cost.js';
export { maxDemandWithinSlo, exhaustionOf } from './plan/exhaustion.js';
export { demandQuantile, quantileLabel } from './plan/demand-quantile.js';
export { planCapacity, CONFIRMATION_RULE, type PlanInputs, type PlanOptions, type PlanTimings, type Confirmer, type ConfirmRequest, type ConfirmResult } from './plan/plan.js';
export { simulationConfirmer, type SimulationConfirmer } from './plan/confirm.js';
export type { CapacityPlan, VariantPlan, ServicePlan, ServicePeriod, ResourcePeriod, Confirmation, DemandSeries, DriverAssumption, PlanFinding, ShortNow, Unservable, FleetRule, RuleDate, RunsOut, Reservation } from './plan/types.js';
export { FAIL_ON_RULES, DEFAULT_MAX_UTILIZATION_DEGRADED, type FailOnRule } from './model/plan-scenario.js';
export { loadPlanScenario, type LoadedPlanInputs } from './config/plan-scenario.js';
export { readPlanHistory } from './series/read-plan-history.js';
export { type PlanScenario } from './model/plan-scenario.js';
export { planJson } from './report/plan-json.js';
export { planCsv, PLAN_CSV_COLUMNS } from './report/plan-csv.js';
export { planXlsx } from './report/plan-xlsx.js';
export { formatPlan, formatShortNow, findingText } from './report/plan-text.js';
export { renderPlanReport } from './report/plan-report.js';
export { renderValidationReport, renderScenarioReport } from './report/validation-report.js';
export { renderReport } from './report/render-report.js';
export { renderDrillReport } from './report/drill-report.js';
export { readReportInput, classify as classifyReportInput, REPORT_SOURCES, type ReportInput } from './report/report-input.js';
export { captureForecasts, forecastsJson, backtestDriver, backtestHoldout, type PlanForecasts, type DriverForecast, type DriverBacktest } from './report/driver-forecast.js';
export { serviceExhaustion, variantExhaustion, type ExhaustionView, type RuleDate as ExhaustionRuleDate } from './report/exhaustion-view.js';
export { findChromium, openChromium, CHROMIUM_ARGS, CHROMIUM_CANDIDATES } from './report/chromium.js';
export { printPdf, requireChromium } from './report/print-pdf.js';
export { escapeHtml } from './report/html.js';
export { VERSION } from './version.js';
export { distributionMean, distributionScv, type Distribution } from './model/distribution.js';
export type { NodeType, UslParams } from './model/resource-model.js';
export type { VariantSpec, SloSpec } from './model/plan-scenario.js';

// Sweeps, sensitivity and Monte-Carlo plans (src/sweep)
export { parseAxis, gridPoints, formatAxisValue, AXIS_FIELDS, type SweepAxis, type SweepBlock, type SweepPoint as SweepGridPoint } from './model/sweep.js';
export { prepareRequest, runSweep as runPlanSweep, type SweepRequest, type PreparedRequest, type PartialSweep } from './sweep/sweep.js';
export { poolRunner, inProcessRunner, type JobRunner } from './sweep/local-pool.js';
export { axisContext, prepareSweep, memoForecast } from './sweep/prepare.js';
export { formatPoints, formatTornado, formatMonteCarlo, pointsCsv, type SweepReport } from './sweep/report.js';
export { samplePaths, samplePathInto } from './forecast/sample-paths.js';
export { summarizePaths, type MonteCarloSummary } from './sweep/monte-carlo.js';
export { PathPlanner, MonotoneSizing, type PathOutcome } from './sweep/path-plan.js';
export { runJob } from './sweep/execute.js';
export { applyPoint } from './sweep/apply-point.js';
