import type { ReadResult } from './types.js';

/**
 * What to read from Prometheus: a PromQL expression evaluated by the HTTP API's range query
 * (`/api/v1/query_range`, https://prometheus.io/docs/prometheus/latest/querying/api/#range-queries) on the grid
 * `startMs, startMs + stepMs, …` up to `endMs` inclusive.
 */
export interface PrometheusQuery {
  /** Base URL of the server, e.g. "http://127.0.0.1:9090" or "https://prom.example.com/prometheus/". No credentials. */
  readonly url: string;
  /** The PromQL expression, e.g. `sum(rate(http_requests_total{job="api"}[5m]))`. */
  readonly query: string;
  /** First evaluation time, epoch milliseconds (UTC). */
  readonly startMs: number;
  /** Last evaluation time, epoch milliseconds (UTC), inclusive when it falls on the grid. */
  readonly endMs: number;
  /** Resolution step in milliseconds, a positive whole number. */
  readonly stepMs: number;
  /**
   * When the result holds several series: keep the one whose labels include all of `labels`, or add them up
   * ('sum', with PromQL `sum()` semantics: a series absent at a time is left out, a NaN sample makes the sum NaN).
   * Without it a result of several series is an error that lists their label sets.
   */
  readonly select?: { readonly labels: Readonly<Record<string, string>> } | 'sum';
  /** Credentials, named by environment variable so that they never appear in files, outputs or messages. */
  readonly auth?: {
    /** Variable holding a bearer token, sent as `Authorization: Bearer <token>`. */
    readonly bearerTokenEnv?: string;
    /** Variable holding "user:password", sent as HTTP basic auth (RFC 7617). */
    readonly basicAuthEnv?: string;
  };
  /**
   * Most points one request may ask for per series; longer ranges are split into several requests. Default 11000:
   * Prometheus refuses a range query when (end - start) / step > 11000 (web/api/v1/api.go, "exceeded maximum
   * resolution of 11,000 points per timeseries").
   */
  readonly maxPointsPerRequest?: number;
  /** Fewest points with data the result must hold (default 2: fewer cannot define a step). */
  readonly minPoints?: number;
  /** Name for the series; default the metric name (`__name__`) when the chosen series share one, else "value". */
  readonly name?: string;
  /** Per-request time limit in milliseconds (default 30000). */
  readonly timeoutMs?: number;
}

export interface PrometheusReadOptions {
  /** Where credential variables named in `auth` are looked up (the CLI passes its context's env). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Called after each request with (requests done, requests in all); for a progress bar. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** A run of consecutive missing points inside the returned series. */
export interface SeriesGap {
  /** Time of the first missing point, epoch ms. */
  readonly startMs: number;
  /** Number of consecutive missing points. */
  readonly points: number;
}

/** What `readPrometheus` returns: the regular series plus an account of what was fetched and what is missing. */
export interface PrometheusReadResult extends ReadResult {
  /** Runs of NaN in `series.v` (no sample at that time, a stale series, or a NaN/±Inf sample), in time order. */
  readonly gaps: readonly SeriesGap[];
  /** Grid points where no chosen series had a sample. */
  readonly missingPoints: number;
  /** Grid points whose sample (or sum) was NaN or infinite. */
  readonly nanPoints: number;
  /** Points without data cut from the start and end of the requested range. */
  readonly trimmed: { readonly leading: number; readonly trailing: number };
  /** HTTP requests made (one per chunk of at most `maxPointsPerRequest` points). */
  readonly requests: number;
  /** Label sets of the series used (one, or several when summed). */
  readonly labels: ReadonlyArray<Readonly<Record<string, string>>>;
  /** Warnings Prometheus attached to its answers, without repeats. */
  readonly warnings: readonly string[];
}
