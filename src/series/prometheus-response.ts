/**
 * Parsing the JSON body of a Prometheus range query. The format (https://prometheus.io/docs/prometheus/latest/querying/api/):
 *
 *   { "status": "success", "data": { "resultType": "matrix",
 *     "result": [ { "metric": { "<label>": "<value>", … }, "values": [ [ <unix seconds>, "<sample value>" ], … ] }, … ] },
 *     "warnings": [ "…" ] }
 *
 * and on failure { "status": "error", "errorType": "<string>", "error": "<string>" } (HTTP 400 bad parameters,
 * 422 an expression that cannot be executed, 503 timeout or abort). Sample values are strings because they may be
 * "NaN", "+Inf" or "-Inf". Times where a series has no sample (never written, or marked stale) are simply absent.
 */

/** One series of a matrix result, with times converted to epoch milliseconds and values to numbers. */
export interface MatrixSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly t: readonly number[];
  readonly v: readonly number[];
}

export type QueryRangeBody =
  | { readonly ok: true; readonly series: readonly MatrixSeries[]; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly errorType: string; readonly error: string };

/**
 * Parse a query_range body. Returns undefined when the text is not a Prometheus API answer at all (not JSON, or JSON of
 * another shape), so the caller can report what it got instead.
 */
export function parseQueryRangeBody(text: string): QueryRangeBody | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(json)) return undefined;
  if (json.status === 'error') {
    return { ok: false, errorType: String(json.errorType ?? 'error'), error: String(json.error ?? '') };
  }
  if (json.status !== 'success' || !isRecord(json.data)) return undefined;
  const data = json.data;
  if (data.resultType !== 'matrix' || !Array.isArray(data.result)) return undefined;
  const series: MatrixSeries[] = [];
  for (const item of data.result) {
    if (!isRecord(item) || !isRecord(item.metric)) return undefined;
    const labels: Record<string, string> = {};
    for (const [k, val] of Object.entries(item.metric)) labels[k] = String(val);
    // Native histograms come back under "histograms"; Headroom reads plain float samples only.
    const values = item.values ?? [];
    if (!Array.isArray(values)) return undefined;
    const t: number[] = [];
    const v: number[] = [];
    for (const pair of values) {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'number' || typeof pair[1] !== 'string') return undefined;
      t.push(Math.round(pair[0] * 1000));
      v.push(parseSampleValue(pair[1]));
    }
    series.push({ labels, t, v });
  }
  const warnings = Array.isArray(json.warnings) ? json.warnings.map(String) : [];
  return { ok: true, series, warnings };
}

/** Prometheus prints floats with Go's strconv.FormatFloat(v, 'f', -1, 64) and ±Inf / NaN by name. */
function parseSampleValue(s: string): number {
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (s === 'NaN') return NaN;
  const x = Number(s);
  return s.trim() === '' ? NaN : x;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** `name{a="1", b="2"}` in Prometheus' own notation, labels sorted; `{}` for a series without labels. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  const name = labels.__name__ ?? '';
  const rest = Object.keys(labels)
    .filter((k) => k !== '__name__')
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `${name}{${rest.join(', ')}}`;
}
