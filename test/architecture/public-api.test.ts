import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import * as internal from '../../src/internal.js';

/**
 * The public API is curated (src/index.ts): a name added or removed there is a decision, so this list changes with it.
 * Only run-time values are listed; types vanish at run time and are checked by the compiler.
 */
const PUBLIC_VALUES = [
  'HeadroomError', 'isHeadroomError', 'VERSION',
  'parseDuration', 'parseRate', 'parseFraction', 'formatSeconds',
  'distributionMean', 'distributionScv', 'uslThroughput', 'uslPeak',
  'loadResourceModel', 'loadPlanScenario', 'loadSimulationScenario', 'loadValidationScenario',
  'readHistory', 'readPrometheus', 'readPlanHistory', 'writeSeriesCsv',
  'forecast', 'backtest', 'mase', 'coverage', 'forecastHistory', 'forecastText', 'forecastJson',
  'erlangB', 'erlangC', 'mgcWait', 'mmck', 'responsePercentile', 'uslNode',
  'simulate', 'stationFromService', 'sloVerdict', 'formatSimulation', 'simulationJson',
  'planCapacity', 'simulationConfirmer', 'sizeService',
  'planJson', 'planCsv', 'planXlsx', 'formatPlan', 'renderReport', 'readReportInput', 'renderPlanReport', 'renderValidationReport', 'renderScenarioReport', 'printPdf', 'writeFileAtomic', 'writeFilesAtomic',
  'validateEndpoint', 'validateScenario', 'fitUsl', 'calibrateModel', 'calibrateScenarioRun', 'formatCalibration', 'startDemoServer',
];

describe('public API (src/index.ts)', () => {
  it('exports exactly the curated values', () => {
    expect(Object.keys(api).sort()).toEqual([...PUBLIC_VALUES].sort());
  });
  it('exports nothing undefined', () => {
    for (const [name, value] of Object.entries(api)) expect(value, name).toBeDefined();
  });
  it('is a subset of the internal entry, so the CLI and the library see the same functions', () => {
    for (const name of Object.keys(api)) expect((internal as Record<string, unknown>)[name], name).toBe((api as Record<string, unknown>)[name]);
  });
});
