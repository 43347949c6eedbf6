/**
 * A regular time series: what every reader produces and every forecast model consumes.
 * Timestamps are epoch milliseconds (UTC), strictly increasing, spaced `stepMs` apart after regularisation.
 */
export interface Series {
  /** Column or metric name, e.g. "requests". */
  readonly name: string;
  /** Epoch milliseconds, strictly increasing. */
  readonly t: Float64Array;
  /** Values; NaN marks a gap that was not filled. */
  readonly v: Float64Array;
  /** Sampling step in milliseconds (inferred from the data when read). For calendar steps, the mean length. */
  readonly stepMs: number;
  /**
   * Set when the step is a whole number of calendar months in UTC (1 monthly, 3 quarterly, 12 yearly): `t` then
   * follows the calendar (months of 28 to 31 days) and `stepMs` is months × the mean Gregorian month (30.436875 days).
   * Use `timestampAt` / `futureTimestamps` (series/calendar.ts) to step such a series forward.
   */
  readonly stepMonths?: number;
  /** Where it came from (file path or URL), for error messages and the Assumptions sheet. */
  readonly source: string;
}

/** What a reader did to make the series regular, so the CLI can tell the user. */
export interface RepairReport {
  /** Gaps filled by interpolation: [start epoch ms, number of points]. */
  readonly filledGaps: ReadonlyArray<{ readonly startMs: number; readonly points: number }>;
  /** Exact duplicate rows dropped. */
  readonly duplicatesDropped: number;
  /** True when irregular input was resampled onto the inferred step. */
  readonly resampled: boolean;
  /** Other things a reader did or assumed, one sentence each (e.g. "timestamps without a time zone were read as UTC"). */
  readonly notes?: readonly string[];
}

export interface ReadResult {
  readonly series: Series;
  readonly repairs: RepairReport;
}
