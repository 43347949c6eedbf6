/**
 * How many events a run of a SimSpec will process, estimated before it starts, so a command can refuse a run that
 * would not finish (`arrivals: 1e15`, `duration: 100000000h`) instead of running it without a word. Pure: the spec in,
 * numbers out; nothing here runs per event.
 *
 * events per replica ≈ arrivals × (1 + visits per request × events per visit), where
 * - arrivals: `run.arrivals`, or the expected count of each source over `run.duration` (the integral of its rate);
 * - visits per request: the mean number of station visits, from the routing (a path's length; for a network, the
 *   visit ratios v solving v = e + vP, the traffic equations of a Jackson network: Jackson 1957, Kleinrock vol. 1
 *   §4.8), averaged over the request classes by weight;
 * - one event per arrival and one per visit (the departure; a request moves on to its next station in the same
 *   event), plus one for the client's timer per request when there is a timeout.
 * - the clock's own events over the run's expected length (its duration, or its arrivals over the mean arrival
 *   rate): one per autoscaling evaluation, per series sample and two per random failure cycle of each node (down and up), so that an
 *   `interval: 1e-300s` is refused rather than run.
 * Retries and fixed failure windows add events the estimate leaves out; drops and shedding remove some. On the bundled scenarios the measured count is 0.94–1.00 times the estimate (sim-mmck drops 6%; test/sim/steady-state.test.ts).
 */
import type { ArrivalSpec, RoutingSpec, SimSpec } from './types.js';

/** The estimate for one replica, with its parts (all finite or +Infinity; never NaN for a spec that passed specProblems). */
export interface EventEstimate {
  /** Expected arrivals in one replica (external requests). */
  readonly arrivalsPerReplica: number;
  /** Mean station visits per request. */
  readonly visitsPerRequest: number;
  /** Events per request: its arrival, one per visit, and the client's timer when there is a timeout. */
  readonly eventsPerRequest: number;
  /** Events of the clock (autoscaling evaluations, series samples, random failures) in one replica. */
  readonly timerEventsPerReplica: number;
  /** arrivalsPerReplica × eventsPerRequest + timerEventsPerReplica. */
  readonly eventsPerReplica: number;
}

/**
 * Estimate the events of one replica of `spec`.
 * @example estimateEvents(tandem) // 1e6 arrivals through 2 stations => { visitsPerRequest: 2, eventsPerRequest: 3, eventsPerReplica: 3e6, ... }
 */
export function estimateEvents(spec: SimSpec): EventEstimate {
  const stop = spec.run.stop;
  const arrivalsPerReplica = stop.kind === 'arrivals' ? stop.arrivals : spec.arrivals.reduce((s, a) => s + expectedArrivals(a, stop.time), 0);
  const classes = spec.classes ?? [];
  const stationNames = spec.stations.map((s) => s.name);
  let visitsPerRequest: number;
  if (classes.length === 0) visitsPerRequest = meanVisits(spec.routing, stationNames);
  else {
    const total = classes.reduce((s, c) => s + c.weight, 0);
    visitsPerRequest = classes.reduce((s, c) => s + (c.weight / total) * meanVisits(c.routing ?? spec.routing, stationNames), 0);
  }
  const timer = spec.client?.timeout !== undefined ? 1 : 0;
  const eventsPerRequest = 1 + visitsPerRequest + timer;
  // The run's expected length: its duration, or its arrivals at the sources' long-run rate (per second).
  const ratePerSec = spec.arrivals.reduce((s, a) => s + expectedArrivals(a, 1e6) / 1e6, 0);
  const seconds = stop.kind === 'time' ? stop.time : ratePerSec > 0 ? stop.arrivals / ratePerSec : 0;
  let timersPerSec = spec.run.seriesInterval !== undefined ? 1 / spec.run.seriesInterval : 0;
  for (const st of spec.stations) if (st.autoscaling !== undefined) timersPerSec += 1 / st.autoscaling.interval;
  for (const f of spec.failures ?? []) {
    if (f.kind !== 'random') continue;
    const nodes = spec.stations.find((st) => st.name === f.station)?.nodes ?? 1;
    timersPerSec += (2 * nodes) / (f.mtbf + f.mttr); // each node: one failure and one repair per cycle
  }
  const timerEventsPerReplica = seconds * timersPerSec;
  return {
    arrivalsPerReplica,
    visitsPerRequest,
    eventsPerRequest,
    timerEventsPerReplica,
    eventsPerReplica: arrivalsPerReplica * eventsPerRequest + timerEventsPerReplica,
  };
}

/** Expected arrivals of one source in [0, duration] seconds: the integral of its (mean) rate. */
export function expectedArrivals(a: ArrivalSpec, duration: number): number {
  switch (a.kind) {
    case 'poisson':
      return a.rate * duration;
    case 'spikes':
      return a.windows.reduce((s, w) => s + a.rate * Math.max(0, Math.min(w.start + w.duration, duration) - w.start), 0);
    case 'mmpp': {
      // The states follow one another in a cycle; the long-run rate weighs each state's rate by its mean duration.
      const time = a.meanDurations.reduce((s, d) => s + d, 0);
      return (a.rates.reduce((s, r, i) => s + r * (a.meanDurations[i] ?? 0), 0) / time) * duration;
    }
    case 'trace': {
      const scale = a.scale ?? 1;
      const n = a.times.length;
      const last = (a.times[n - 1] ?? 0) * scale;
      if (a.loop === true && last > 0) return (n * duration) / last;
      return a.times.filter((t) => t * scale <= duration).length;
    }
    case 'profile':
      return profileIntegral(a, duration);
  }
}

/**
 * ∫₀ᵀ rate(t) dt of a rate profile, with the same rate function as the arrival source (arrivals.ts `profileRate`): step
 * or linear between points; after the last point the last rate holds, or, with a period, the profile repeats (linear
 * profiles wrap from the last point back to the first rate at the period's end).
 */
function profileIntegral(a: Extract<ArrivalSpec, { kind: 'profile' }>, T: number): number {
  const pts = a.points;
  const n = pts.length;
  if (n === 0 || !(T > 0)) return 0;
  const period = a.period ?? 0;
  const linear = a.interpolation === 'linear';
  // The integral over [0, x] for x within one cycle (x ≤ period when there is one).
  const within = (x: number): number => {
    let area = 0;
    for (let i = 0; i < n; i++) {
      const t0 = pts[i]!.t;
      if (t0 >= x) break;
      const last = i === n - 1;
      const t1 = last ? (period > 0 ? period : Infinity) : pts[i + 1]!.t;
      const r0 = pts[i]!.rate;
      const r1 = !linear ? r0 : last ? (period > 0 ? pts[0]!.rate : r0) : pts[i + 1]!.rate;
      const end = Math.min(t1, x);
      const rEnd = t1 === Infinity ? r0 : r0 + ((r1 - r0) * (end - t0)) / (t1 - t0);
      area += ((r0 + rEnd) / 2) * (end - t0);
    }
    return area;
  };
  if (period <= 0) return within(T);
  return Math.floor(T / period) * within(period) + within(T % period);
}

/**
 * Mean station visits of a request under `routing` (absent: a path through every station once). For a network, the
 * visit counts v solve v = e + vP (e the entry probabilities, P the branch probabilities; Jackson's traffic
 * equations), by Gaussian elimination with partial pivoting; +Infinity when no solution exists (a loop without exit,
 * which specProblems rejects before any run).
 */
export function meanVisits(routing: RoutingSpec | undefined, stationNames: readonly string[]): number {
  if (routing === undefined) return stationNames.length;
  if (routing.kind === 'path') return routing.stations.length;
  const index = new Map(stationNames.map((name, i) => [name, i]));
  const k = stationNames.length;
  // Row j of (I − Pᵀ) v = e: v_j − Σ_i v_i P[i][j] = e_j.
  const m = Array.from({ length: k }, (_, j) => Array.from({ length: k + 1 }, (_, c) => (c === j ? 1 : 0)));
  for (const b of routing.entry) {
    const j = index.get(b.station);
    if (j !== undefined) m[j]![k]! += b.p;
  }
  for (const [from, branches] of Object.entries(routing.next)) {
    const i = index.get(from);
    if (i === undefined) continue;
    for (const b of branches) {
      const j = index.get(b.station);
      if (j !== undefined) m[j]![i]! -= b.p;
    }
  }
  for (let c = 0; c < k; c++) {
    let pivot = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    if (!(Math.abs(m[pivot]![c]!) > 1e-12)) return Infinity;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      if (f !== 0) for (let col = c; col <= k; col++) m[r]![col]! -= f * m[c]![col]!;
    }
  }
  let visits = 0;
  for (let j = 0; j < k; j++) visits += m[j]![k]! / m[j]![j]!;
  return visits;
}
