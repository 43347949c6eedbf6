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
export { prometheusSourceSchema, prometheusQueryFromSpec, parseLabelSelection, type PrometheusSourceSpec } from './series/prometheus-source.js';
export { parseTimeSpec, parseStep, resolveRange } from './series/prometheus-time.js';
export { repairPrometheusGaps } from './series/prometheus-repair.js';
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
export { decompose } from './forecast/mstl.js';
export { fitLinear } from './forecast/linear.js';
export { fitExponential } from './forecast/exponential.js';
export { fitLogistic } from './forecast/logistic.js';
export { fitEts, autoEts } from './forecast/ets.js';
export { fitTheta } from './forecast/theta.js';
export { nelderMead } from './forecast/optimize.js';
export type { FittedModel, Bands } from './forecast/model.js';
export type { BacktestOptions, BacktestPoint, BacktestResult } from './forecast/types.js';
export { parseDuration, parseRate, parseFraction, formatSeconds } from './units.js';
export { simulate, runReplicas, openSimPool, type SimulateOptions, type SimPool } from './sim/runner.js';
export { summarize, estimate, mergeSeries, type Estimate, type SimSummary, type StationSummary, type EndToEndSummary, type InstabilitySummary, type MetricEstimates, type PooledQuantiles } from './sim/summary.js';
export { studentTQuantile, studentTCdf } from './sim/student-t.js';
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
export { loadSimulationScenario, simulationScenarioSchema, readTraceFile, SIMULATION_DEFAULTS, type SimulationScenario } from './config/simulation.js';
export type { RequestTarget, ArrivalKind, StepResult, SweepPoint, UslFit, Knee, Criteria } from './validate/types.js';
export { runOpenLoopStep, openLoopPool, type OpenLoopOptions } from './validate/open-loop.js';
export { schedule } from './validate/schedule.js';
export { runClosedLoop, runSweep } from './validate/closed-loop.js';
export { runSteps, defaultStepSeconds, type StepsOptions, type StepsOutcome } from './validate/steps.js';
export { findKnee, saturationThroughput, stepFailure, failureRate, sentRate, keptUp } from './validate/knee.js';
export { fitUsl, uslThroughput, uslPeak } from './validate/usl-fit.js';
export { measureGeneratorCeiling, generatorWarnings, isLoopbackHost, type GeneratorCeiling } from './validate/ceiling.js';
export { predictSteps, pickService, pickServices, serviceCapacity, type ModelPrediction, type StepPrediction } from './validate/predict.js';
export { compareWithModel, type Comparison, type StepComparison } from './validate/compare.js';
export { checkRemote, checkBudget, DEFAULT_LIMITS, type SafetyLimits } from './validate/safety.js';
export { preflight } from './validate/preflight.js';
export { sampleMachine, busyMachineWarning, type MachineState } from './validate/machine.js';
export { validateEndpoint, DEFAULT_RATE_FRACTIONS, DEFAULT_CONCURRENCY, type ValidateOptions, type ValidationReport } from './validate/validate.js';
export { formatValidation, formatScenarioValidation } from './validate/format.js';
export { validateScenario, endpointOptions, type ScenarioSettings, type ScenarioReport, type EndpointOutcome } from './validate/scenario.js';
export { loadValidationScenario, type ValidationScenario, type ScenarioEndpoint } from './config/validation-scenario.js';
export { loadResourceModel, resourceModelSchema, type ResourceModel, type ServiceModel } from './config/model.js';
export { loadYamlFile, parseYamlText } from './config/load.js';
export { calibrateModel, describeDistribution, validationInputSchema, type Calibration, type CalibrationCheckStep, type ValidationInput } from './validate/calibrate.js';
export { startDemoServer, type DemoServer, type DemoServerOptions } from './demo/server.js';
export { demoCapacities, cpuCapacity, ioCapacity, lockCapacity, mixCapacity, DEMO_DEFAULTS, type DemoConfig, type EndpointCapacity } from './demo/capacity.js';
export { formatDemoBanner } from './demo/banner.js';
export { erlangB } from './plan/erlang-b.js';
export { erlangC, mmcMeanWait, mmcWaitTail } from './plan/erlang-c.js';
export { mgcWait, type WaitModel } from './plan/mgc.js';
export { mmck, type MmckResult } from './plan/mmck.js';
export { uslNode, uslPeakConcurrency, uslResponseTail, uslResponsePercentile, type UslNodeResult } from './plan/usl.js';
export { responsePercentile, responseTail } from './plan/latency.js';
export { serviceShape, shapeOf, distributionQuantile, type ServiceShape } from './plan/service-shape.js';
export { evaluateService, sizeService, nodeCapacity, type SizingService, type Slo, type Sizing, type Evaluation } from './plan/sizing.js';
export { applyRedundancy, redundancyNeed, survivorsOfZoneLoss, nodesForZoneLoss, type RedundancyRule } from './plan/redundancy.js';
export { fleetLimitsOf, ruleDates, runsOutOf, FLEET_RULES, type FleetLimits } from './plan/fleet-rules.js';
export { planReservations, reservedByPeriod, type ReservationPeriod } from './plan/reservations.js';
export { HORIZON_LIMIT_FACTOR, HORIZON_WARN_FACTOR } from './plan/drivers.js';
export { MAX_PLANNED_NODES } from './plan/work.js';
export { periodCost, reservedPeriodCost, type NodePrice, type PeriodCost } from './plan/cost.js';
export { maxDemandWithinSlo, exhaustionOf } from './plan/exhaustion.js';
export { demandQuantile, quantileLabel } from './plan/demand-quantile.js';
export { planCapacity, CONFIRMATION_RULE, type PlanInputs, type PlanOptions, type PlanTimings, type Confirmer, type ConfirmRequest, type ConfirmResult } from './plan/plan.js';
export { simulationConfirmer, type SimulationConfirmer } from './plan/confirm.js';
export type { CapacityPlan, VariantPlan, ServicePlan, ServicePeriod, ResourcePeriod, Confirmation, DemandSeries, DriverAssumption, PlanFinding, ShortNow, Unservable, FleetRule, RuleDate, RunsOut, Reservation } from './plan/types.js';
export { loadPlanScenario, readPlanHistory, FAIL_ON_RULES, DEFAULT_MAX_UTILIZATION_DEGRADED, type PlanScenario, type LoadedPlanInputs, type FailOnRule } from './config/plan-scenario.js';
export { planJson } from './report/plan-json.js';
export { planCsv, PLAN_CSV_COLUMNS } from './report/plan-csv.js';
export { planXlsx } from './report/plan-xlsx.js';
export { VERSION } from './version.js';
