import type { SweepBlock } from './sweep.js';

/** Where a driver's history comes from when it is a Prometheus range query; times resolve when the plan runs. */
export interface PrometheusSourceSpec {
  readonly url: string;
  readonly query: string;
  readonly start: string | number;
  readonly end?: string | number | undefined;
  readonly step: string | number;
  readonly select?: { readonly labels: Readonly<Record<string, string>> } | 'sum' | undefined;
  readonly auth?: { readonly bearerTokenEnv?: string | undefined; readonly basicAuthEnv?: string | undefined } | undefined;
  readonly maxPointsPerRequest?: number | undefined;
  readonly minPoints?: number | undefined;
  /** Per-request time limit: "30s", or seconds. */
  readonly timeout?: string | number | undefined;
  readonly name?: string | undefined;
}

/**
 * The plan scenario (scenarios/*.yaml): where demand comes from, how it turns into load on each service of a resource
 * model, what the SLOs, redundancy and procurement rules are, and which what-if variants to plan side by side.
 * Paths (the model, history files) are relative to the scenario file. See scenarios/example.yaml for a full example:
 *
 * ```yaml
 * name: web-shop capacity plan
 * model: ../models/example.yaml
 * period: month                   # or quarter
 * horizon: 24                     # periods
 * quantile: p95                   # demand quantile at each period's peak to size for
 * drivers:
 *   users: { history: data/example-users.csv, column: peak_users, unit: users }
 * demand:                         # derived demand: scalar arithmetic over drivers and earlier names (model/demand-expression.ts)
 *   api_rps: users * 0.04
 * services:
 *   api: { demand: api_rps, fleet: 14 }
 * slo: { latency: { percentile: p99, target: 300ms }, maxErrorRate: 0.1% }
 * maxUtilization: 70%
 * maxUtilizationDegraded: 85%     # ceiling for zone-loss and N+k survivors (default 85%, or maxUtilization if higher)
 * redundancy: { spare: 0, zoneLoss: true }
 * leadTime: 45d
 * commitment: { share: 60%, term: 1y }   # reservations: up to 60% of the count at each term's start, 1y or 3y
 * failOn: [slo]                   # exit 1 when the current fleet is short now of these rules: cap, redundancy, slo
 * variants:
 *   - { name: fast-growth, growth: +25% }
 * ```
 */

export type PlanPeriod = 'month' | 'quarter';

/** Rules a CI check can fail on: the utilisation cap, the N+k or zone-loss cover, the SLOs. */
export const FAIL_ON_RULES = ['cap', 'redundancy', 'slo'] as const;
export type FailOnRule = (typeof FAIL_ON_RULES)[number];

/** The degraded-mode ceiling when the scenario names none: 85%, or the planned cap when that is higher. */
export const DEFAULT_MAX_UTILIZATION_DEGRADED = 0.85;

export interface DriverSource {
  /** History file (CSV or JSON), resolved against the scenario's directory. */
  readonly history: string | undefined;
  /** The history path as written in the scenario. */
  readonly historyAsWritten: string | undefined;
  readonly column: string | undefined;
  readonly timestampColumn: string | undefined;
  /** A Prometheus range query instead of a file (series/prometheus-source.ts); times resolve when the plan runs. */
  readonly prometheus: PrometheusSourceSpec | undefined;
  readonly unit: string;
  /** Seasonal periods in steps of the forecast series (daily peaks when the history is finer than a day). */
  readonly seasonality: readonly number[] | undefined;
  readonly model: string;
}

export interface SloSpec {
  readonly latency: { readonly quantile: number; readonly target: number } | undefined;
  readonly maxErrorRate: number | undefined;
}

export interface ServicePlanSpec {
  /** mathjs expression over drivers and derived names giving requests/s at the service. */
  readonly demand: string;
  readonly unit: string;
  /** Nodes running today. */
  readonly fleet: number;
  readonly slo: SloSpec;
}

export interface VariantSpec {
  readonly name: string;
  readonly description: string | undefined;
  /** Extra compound growth per year on top of the forecast (0.25 = 25% a year faster, −0.1 = 10% slower). */
  readonly growth: number;
  readonly launches: ReadonlyArray<{ readonly atMs: number; readonly multiplier: number; readonly drivers: readonly string[] | undefined }>;
  /** Price multiplier from a date (epoch ms; undefined = from the start). */
  readonly price: { readonly multiplier: number; readonly fromMs: number | undefined } | undefined;
  /** Per-service overrides: a different node type, its service-time scale and workers per node. */
  readonly services: Readonly<
    Record<string, { readonly nodeType: string | undefined; readonly serviceTimeScale: number; readonly workersPerNode: number | undefined }>
  >;
}

export interface PlanScenario {
  /** The scenario file as named in messages. */
  readonly file: string;
  /** Directory of the scenario file (absolute). */
  readonly dir: string;
  readonly name: string;
  readonly description: string | undefined;
  /** The model path as written, and resolved. */
  readonly modelPath: string;
  readonly modelFile: string;
  readonly period: PlanPeriod;
  readonly horizon: number;
  /** First period's start, epoch ms (UTC); undefined = the first whole period after the history. */
  readonly startMs: number | undefined;
  /** Demand quantile to size for, in (0, 1). */
  readonly quantile: number;
  readonly drivers: Readonly<Record<string, DriverSource>>;
  /** Derived demand: name → expression, in an order where each uses only names before it. */
  readonly demand: ReadonlyArray<{ readonly name: string; readonly expression: string }>;
  readonly services: Readonly<Record<string, ServicePlanSpec>>;
  readonly maxUtilization: number;
  /** Utilisation ceiling the survivors of a zone loss or of k lost nodes (N+k) must stay under, a fraction. */
  readonly maxUtilizationDegraded: number;
  readonly redundancy: { readonly spare: number; readonly zoneLoss: boolean };
  /** Procurement lead time, seconds. */
  readonly leadTime: number;
  /** Reservations: at most `share` of the planned count at each term's start, for `termMonths` months. */
  readonly commitment: { readonly share: number; readonly termMonths: number };
  /** The rules whose shortfall now makes `headroom plan` exit 1. */
  readonly failOn: readonly FailOnRule[];
  readonly variants: readonly VariantSpec[];
  readonly simulation: { readonly arrivals: number; readonly replicas: number; readonly warmupFraction: number };
  readonly seed: number;
  /** The `sweep:` block: axes to vary and the Monte-Carlo settings (`headroom sweep`); absent when not written. */
  readonly sweep?: SweepBlock | undefined;
}
