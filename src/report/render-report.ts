import { renderDrillReport } from './drill-report.js';
import { renderPlanReport } from './plan-report.js';
import type { ReportInput } from './report-input.js';
import { renderScenarioReport, renderValidationReport } from './validation-report.js';

/** The report page of any saved result: the plan page, the validation page or the drill page. */
export function renderReport(input: ReportInput): Promise<string> {
  switch (input.kind) {
    case 'plan':
      return renderPlanReport(input.plan, input.forecasts);
    case 'validation':
      return renderValidationReport(input.report, input.calibrations);
    case 'validation-scenario':
      return renderScenarioReport(input.report, input.calibrations);
    case 'drill':
      return renderDrillReport(input.report);
  }
}
