/**
 * The one rule set for a simulation spec: every problem of a SimSpec, collected (k6's `Validate() []error` habit),
 * each as `{ path, expected, got }`. Pure: no zod, no files, no formatting. Two edges word them:
 * - `validateSpec` (validate-spec.ts), for library callers: one HeadroomError listing `path: expected …, got …`;
 * - the scenario loader (config/simulation.ts), which maps each path back to the YAML field the user wrote (e.g.
 *   `run.stop.arrivals` → `run.arrivals`) and prints `file:line path: expected …, got …`.
 * The loader's schema checks each field's form first (units, types, unknown keys); these rules hold the fields
 * together (names that must exist, probabilities that must sum, windows that must fit), and repeat the field rules a
 * library caller could break. Wording is the user's: durations in seconds, probabilities in percent.
 */
import type { Distribution } from '../model/distribution.js';
import type { RoutingSpec, SimSpec } from './types.js';

/** One problem: the field (keys and indices into the SimSpec), what it should be, and the value found. */
export interface SpecProblem {
  readonly path: ReadonlyArray<string | number>;
  readonly expected: string;
  readonly got: unknown;
}

type Path = ReadonlyArray<string | number>;

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const positive = (x: unknown): boolean => isNum(x) && x > 0;
const nonNegative = (x: unknown): boolean => isNum(x) && x >= 0;
const posInt = (x: unknown): boolean => Number.isSafeInteger(x) && (x as number) > 0;

/**
 * The most nodes a simulated station may have (`nodes`, autoscaling `maxNodes`): the simulator keeps a queue and
 * counters per node (about 1 KB each), so 100 000 nodes hold 100 MB, and 16 million would exhaust the heap.
 */
export const MAX_SIM_NODES = 100_000;
/** The most workers per node: the USL's service-time table has one entry per worker. */
export const MAX_SIM_WORKERS_PER_NODE = 1_000_000;
const nonNegInt = (x: unknown): boolean => Number.isSafeInteger(x) && (x as number) >= 0;
/** A sum of probabilities as the user writes it: "90%" (six decimals at most). */
const percent = (p: number): string => `${+(p * 100).toFixed(6)}%`;

/** Every problem of `spec`, in field order (stations, classes, arrivals, routing, client, failures, run); [] when consistent. */
export function specProblems(spec: SimSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const expect = (ok: boolean, path: Path, expected: string, got: unknown): void => {
    if (!ok) problems.push({ path, expected, got });
  };
  const checkDistribution = (d: Distribution, path: Path): void => {
    switch (d.kind) {
      case 'exponential':
      case 'lognormal':
      case 'gamma':
      case 'erlang':
      case 'pareto':
        expect(positive(d.mean), [...path, 'mean'], 'a positive duration', d.mean);
        if (d.kind === 'lognormal' || d.kind === 'gamma') expect(positive(d.cv), [...path, 'cv'], 'a positive number', d.cv);
        if (d.kind === 'erlang') expect(posInt(d.k), [...path, 'k'], 'a positive integer', d.k);
        if (d.kind === 'pareto') expect(isNum(d.alpha) && d.alpha > 1, [...path, 'alpha'], 'a shape alpha > 1', d.alpha);
        break;
      case 'deterministic':
        expect(nonNegative(d.value), [...path, 'value'], 'a non-negative duration', d.value);
        break;
      case 'uniform':
        expect(nonNegative(d.min), [...path, 'min'], 'a non-negative duration', d.min);
        expect(isNum(d.max) && d.max > d.min, [...path, 'max'], 'a duration greater than min', d.max);
        break;
      case 'empirical':
        expect(Array.isArray(d.samples) && d.samples.length > 0 && d.samples.every(nonNegative), [...path, 'samples'], 'a non-empty list of non-negative durations', d.samples);
        break;
      default:
        problems.push({ path: [...path, 'kind'], expected: 'one of exponential, deterministic, uniform, lognormal, gamma, erlang, pareto, empirical', got: (d as { kind: unknown }).kind });
    }
  };

  // Stations.
  const stationNames = new Set<string>();
  const zones = new Set<string>();
  const classes = spec.classes ?? [];
  const classNames = new Set(classes.map((c) => c.name));
  expect(Array.isArray(spec.stations) && spec.stations.length > 0, ['stations'], 'at least one station', spec.stations);
  (spec.stations ?? []).forEach((s, i) => {
    const p = ['stations', i];
    expect(typeof s.name === 'string' && s.name.length > 0 && !stationNames.has(s.name), [...p, 'name'], 'a station name not used before', s.name);
    stationNames.add(s.name);
    expect(posInt(s.nodes), [...p, 'nodes'], 'a positive integer', s.nodes);
    if (posInt(s.nodes)) expect(s.nodes <= MAX_SIM_NODES, [...p, 'nodes'], `at most ${MAX_SIM_NODES} nodes`, s.nodes);
    expect(posInt(s.workersPerNode), [...p, 'workersPerNode'], 'a positive integer', s.workersPerNode);
    if (posInt(s.workersPerNode)) expect(s.workersPerNode <= MAX_SIM_WORKERS_PER_NODE, [...p, 'workersPerNode'], `at most ${MAX_SIM_WORKERS_PER_NODE} workers`, s.workersPerNode);
    if (s.serviceTime !== undefined) checkDistribution(s.serviceTime, [...p, 'serviceTime']);
    const allOverride = classes.length > 0 && classes.every((c) => c.serviceTime?.[s.name] !== undefined);
    expect(
      s.serviceTime !== undefined || s.usl !== undefined || allOverride,
      [...p, 'serviceTime'],
      'a service time such as { distribution: exponential, mean: 10ms } (or usl, or service: from the model)',
      undefined,
    );
    if (s.usl !== undefined) {
      expect(positive(s.usl.lambda), [...p, 'usl', 'lambda'], 'a positive number', s.usl.lambda);
      expect(isNum(s.usl.sigma) && s.usl.sigma >= 0 && s.usl.sigma < 1, [...p, 'usl', 'sigma'], 'a number in [0, 1)', s.usl.sigma);
      expect(nonNegative(s.usl.kappa), [...p, 'usl', 'kappa'], 'a non-negative number', s.usl.kappa);
    }
    expect(s.queue === 'per-node' || s.queue === 'shared', [...p, 'queue'], 'per-node or shared', s.queue);
    if (s.queueCapacity !== undefined) expect(nonNegInt(s.queueCapacity), [...p, 'queueCapacity'], 'a non-negative integer', s.queueCapacity);
    expect(['round-robin', 'random', 'least-outstanding', 'power-of-two'].includes(s.balancer), [...p, 'balancer'], 'one of round-robin, random, least-outstanding, power-of-two', s.balancer);
    if (s.shedding?.queueAbove !== undefined) expect(nonNegInt(s.shedding.queueAbove), [...p, 'shedding', 'queueAbove'], 'a non-negative integer', s.shedding.queueAbove);
    if (s.shedding?.maxQueueTime !== undefined) expect(nonNegative(s.shedding.maxQueueTime), [...p, 'shedding', 'maxQueueTime'], 'a non-negative duration', s.shedding.maxQueueTime);
    if (s.zones !== undefined) {
      expect(s.zones.length > 0 && s.zones.every((z) => typeof z === 'string' && z.length > 0), [...p, 'zones'], 'a non-empty list of zone names', s.zones);
      for (const z of s.zones) zones.add(z);
    }
    const a = s.autoscaling;
    if (a !== undefined) {
      const q = [...p, 'autoscaling'];
      expect(isNum(a.targetUtilization) && a.targetUtilization > 0 && a.targetUtilization <= 1, [...q, 'targetUtilization'], 'a fraction in (0, 1]', a.targetUtilization);
      expect(positive(a.interval), [...q, 'interval'], 'a positive duration', a.interval);
      expect(nonNegative(a.scaleUpDelay), [...q, 'scaleUpDelay'], 'a non-negative duration', a.scaleUpDelay);
      expect(nonNegative(a.cooldown), [...q, 'cooldown'], 'a non-negative duration', a.cooldown);
      expect(posInt(a.minNodes), [...q, 'minNodes'], 'a positive integer', a.minNodes);
      expect(posInt(a.maxNodes) && a.maxNodes >= a.minNodes, [...q, 'maxNodes'], `at least minNodes (${a.minNodes})`, a.maxNodes);
      if (posInt(a.maxNodes)) expect(a.maxNodes <= MAX_SIM_NODES, [...q, 'maxNodes'], `at most ${MAX_SIM_NODES} nodes`, a.maxNodes);
    }
  });
  const knownStation = (n: string): boolean => stationNames.has(n);
  const aStation = `a station (${[...stationNames].join(', ')})`;

  // Classes.
  const seenClass = new Set<string>();
  classes.forEach((c, i) => {
    const p = ['classes', i];
    expect(typeof c.name === 'string' && c.name.length > 0 && !seenClass.has(c.name), [...p, 'name'], 'a class name not used before', c.name);
    seenClass.add(c.name);
    expect(positive(c.weight), [...p, 'weight'], 'a positive number', c.weight);
    for (const [st, d] of Object.entries(c.serviceTime ?? {})) {
      expect(knownStation(st), [...p, 'serviceTime', st], aStation, st);
      checkDistribution(d, [...p, 'serviceTime', st]);
    }
  });
  const aClass = classNames.size > 0 ? `a class (${[...classNames].join(', ')})` : 'no mix (no classes are defined)';

  // Arrivals.
  expect(Array.isArray(spec.arrivals) && spec.arrivals.length > 0, ['arrivals'], 'at least one arrival source', spec.arrivals);
  (spec.arrivals ?? []).forEach((a, i) => {
    const p = ['arrivals', i];
    switch (a.kind) {
      case 'poisson':
        expect(nonNegative(a.rate), [...p, 'rate'], 'a non-negative rate', a.rate);
        break;
      case 'profile':
        expect(a.points.length > 0, [...p, 'points'], 'at least one point', a.points);
        if (a.points.length > 0) expect(a.points[0]!.t === 0, [...p, 'points', 0, 't'], 'the first point at 0s', a.points[0]!.t);
        a.points.forEach((pt, k) => {
          expect(nonNegative(pt.t) && (k === 0 || pt.t > a.points[k - 1]!.t), [...p, 'points', k, 't'], 'a time after the previous point', pt.t);
          expect(nonNegative(pt.rate), [...p, 'points', k, 'rate'], 'a non-negative rate', pt.rate);
        });
        if (a.points.length > 0) expect(a.points.some((pt) => pt.rate > 0), [...p, 'points'], 'at least one point with a rate above 0', undefined);
        expect(a.interpolation === 'step' || a.interpolation === 'linear', [...p, 'interpolation'], 'step or linear', a.interpolation);
        if (a.period !== undefined) {
          const last = a.points[a.points.length - 1]?.t ?? 0;
          expect(isNum(a.period) && a.period > last, [...p, 'period'], 'a period longer than the last point', a.period);
        }
        break;
      case 'trace':
        expect(a.times.every((t, k) => nonNegative(t) && (k === 0 || t >= a.times[k - 1]!)), [...p, 'times'], 'non-negative times in ascending order', a.times);
        if (a.classes !== undefined) {
          expect(a.classes.length === a.times.length, [...p, 'classes'], `one class per time (${a.times.length})`, a.classes.length);
          const bad = a.classes.find((c) => !classNames.has(c));
          expect(bad === undefined, [...p, 'classes'], `class names from classes (${classNames.size > 0 ? [...classNames].join(', ') : 'none are defined'})`, bad);
        }
        if (a.scale !== undefined) expect(positive(a.scale), [...p, 'scale'], 'a positive number', a.scale);
        if (a.loop === true) expect((a.times[a.times.length - 1] ?? 0) > 0, [...p, 'loop'], 'a trace whose last time is after 0', a.loop);
        break;
      case 'mmpp':
        expect(a.rates.length > 0 && a.rates.every(nonNegative), [...p, 'rates'], 'a non-empty list of non-negative rates', a.rates);
        expect(a.meanDurations.length === a.rates.length && a.meanDurations.every(positive), [...p, 'meanDurations'], 'one positive duration per rate', a.meanDurations);
        if (a.rates.length > 0) expect(a.rates.some((r) => r > 0), [...p, 'rates'], 'at least one state with a rate above 0', undefined);
        break;
      case 'spikes':
        expect(nonNegative(a.rate), [...p, 'rate'], 'a non-negative rate', a.rate);
        a.windows.forEach((w, k) => {
          expect(nonNegative(w.start), [...p, 'windows', k, 'start'], 'a non-negative time', w.start);
          expect(positive(w.duration), [...p, 'windows', k, 'duration'], 'a positive duration', w.duration);
        });
        break;
      default:
        problems.push({ path: [...p, 'kind'], expected: 'one of poisson, profile, trace, mmpp, spikes', got: (a as { kind: unknown }).kind });
    }
    if (a.mix !== undefined) {
      const entries = Object.entries(a.mix);
      for (const [name, w] of entries) {
        expect(classNames.has(name), [...p, 'mix', name], aClass, name);
        expect(nonNegative(w), [...p, 'mix', name], 'a non-negative weight', w);
      }
      expect(entries.reduce((s, [, w]) => s + (isNum(w) ? w : 0), 0) > 0, [...p, 'mix'], 'weights with a positive sum', a.mix);
    }
  });

  // Routing (the scenario's, and each class's own).
  const checkRouting = (r: RoutingSpec, at: Path): void => {
    if (r.kind === 'path') {
      expect(r.stations.length > 0, [...at, 'stations'], 'at least one station', r.stations);
      r.stations.forEach((s, k) => expect(knownStation(s), [...at, 'stations', k], aStation, s));
    } else if (r.kind === 'network') {
      const checkBranches = (branches: readonly { station: string; p: number }[], path: Path): number => {
        branches.forEach((b, k) => {
          expect(knownStation(b.station), [...path, k, 'station'], aStation, b.station);
          expect(isNum(b.p) && b.p >= 0 && b.p <= 1, [...path, k, 'p'], 'a probability in [0, 1]', b.p);
        });
        return branches.reduce((s, b) => s + (isNum(b.p) ? b.p : 0), 0);
      };
      const before = problems.length;
      const entrySum = checkBranches(r.entry, [...at, 'entry']);
      expect(Math.abs(entrySum - 1) <= 1e-9, [...at, 'entry'], 'entry probabilities that sum to 100%', percent(entrySum));
      for (const [from, branches] of Object.entries(r.next)) {
        expect(knownStation(from), [...at, 'next', from], aStation, from);
        const sum = checkBranches(branches, [...at, 'next', from]);
        expect(sum <= 1 + 1e-9, [...at, 'next', from], 'probabilities that sum to at most 100% (the rest leaves)', percent(sum));
      }
      // A loop without an exit holds its requests forever (the run would end with them all in flight): checked on
      // branches that are otherwise sound, so a bad sum is reported once.
      const trapped = problems.length === before ? trappedStations(r.next) : new Set<string>();
      const first = Object.keys(r.next).find((n) => trapped.has(n));
      if (first !== undefined) {
        const loop = [...trapped].join(', ');
        const to = r.next[first]!.filter((b) => isNum(b.p) && b.p > 0).map((b) => `${percent(b.p)} to ${b.station}`).join(', ');
        problems.push({
          path: [...at, 'next', first],
          expected: `a way out of the loop through ${loop} (every request there circulates forever: let part of some station's branches leave, i.e. sum below 100%)`,
          got: to,
        });
      }
    } else {
      problems.push({ path: [...at, 'kind'], expected: 'path or network', got: (r as { kind: unknown }).kind });
    }
  };
  if (spec.routing !== undefined) checkRouting(spec.routing, ['routing']);
  classes.forEach((c, i) => {
    if (c.routing !== undefined) checkRouting(c.routing, ['classes', i, 'routing']);
  });

  // Client.
  const c = spec.client;
  if (c?.timeout !== undefined) expect(positive(c.timeout), ['client', 'timeout'], 'a positive duration such as 2s (leave timeout out for none)', c.timeout);
  if (c?.retries !== undefined) {
    expect(nonNegInt(c.retries.max), ['client', 'retries', 'max'], 'a non-negative integer', c.retries.max);
    expect(nonNegative(c.retries.backoff), ['client', 'retries', 'backoff'], 'a non-negative duration', c.retries.backoff);
    expect(nonNegative(c.retries.maxBackoff), ['client', 'retries', 'maxBackoff'], 'a non-negative duration', c.retries.maxBackoff);
    expect(['none', 'full', 'equal'].includes(c.retries.jitter), ['client', 'retries', 'jitter'], 'none, full or equal', c.retries.jitter);
  }

  // Failures.
  (spec.failures ?? []).forEach((f, i) => {
    const p = ['failures', i];
    if (f.kind === 'zone-down') {
      expect(zones.has(f.zone), [...p, 'zone'], zones.size > 0 ? `a zone of the stations (${[...zones].join(', ')})` : 'a zone, but no station has zones', f.zone);
    } else if (f.kind === 'node-down' || f.kind === 'random' || f.kind === 'degraded') {
      const st = (spec.stations ?? []).find((s) => s.name === f.station);
      expect(st !== undefined, [...p, 'station'], aStation, f.station);
      if (f.kind !== 'random' && st !== undefined) {
        const nodes = Math.max(st.nodes, st.autoscaling?.maxNodes ?? 0);
        expect(nonNegInt(f.node) && f.node < nodes, [...p, 'node'], `a node index below ${nodes} (nodes of ${f.station}, counted from 0)`, f.node);
      }
    } else {
      problems.push({ path: [...p, 'kind'], expected: 'one of node-down, zone-down, random, degraded', got: (f as { kind: unknown }).kind });
      return;
    }
    if (f.kind === 'random') {
      expect(positive(f.mtbf), [...p, 'mtbf'], 'a positive duration', f.mtbf);
      expect(positive(f.mttr), [...p, 'mttr'], 'a positive duration', f.mttr);
    } else {
      expect(nonNegative(f.at), [...p, 'at'], 'a non-negative time', f.at);
      expect(positive(f.duration), [...p, 'duration'], 'a positive duration', f.duration);
      if (f.kind === 'degraded') expect(positive(f.slowdown), [...p, 'slowdown'], 'a positive factor', f.slowdown);
    }
  });

  // Run length and warm-up.
  const run = spec.run;
  if (run === undefined) {
    problems.push({ path: ['run'], expected: 'a stop condition', got: undefined });
    return problems;
  }
  if (run.stop?.kind === 'time') expect(positive(run.stop.time), ['run', 'stop', 'time'], 'a positive duration', run.stop.time);
  else if (run.stop?.kind === 'arrivals') expect(posInt(run.stop.arrivals), ['run', 'stop', 'arrivals'], 'a positive integer', run.stop.arrivals);
  else problems.push({ path: ['run', 'stop'], expected: '{ kind: time, time } or { kind: arrivals, arrivals }', got: run.stop });
  const w = run.warmup;
  if (w?.kind === 'time') {
    expect(nonNegative(w.time), ['run', 'warmup', 'time'], 'a non-negative duration', w.time);
    if (run.stop?.kind === 'time') expect(w.time < run.stop.time, ['run', 'warmup', 'time'], `a warm-up shorter than run.duration (${run.stop.time} s)`, `${w.time} s`);
  } else if (w?.kind === 'arrivals') {
    expect(nonNegInt(w.arrivals), ['run', 'warmup', 'arrivals'], 'a non-negative integer', w.arrivals);
    if (run.stop?.kind === 'arrivals') expect(w.arrivals < run.stop.arrivals, ['run', 'warmup', 'arrivals'], `fewer warm-up arrivals than run.arrivals (${run.stop.arrivals})`, w.arrivals);
  } else if (w !== undefined) problems.push({ path: ['run', 'warmup'], expected: '{ kind: time, time } or { kind: arrivals, arrivals }', got: w });
  if (run.sloTarget !== undefined) expect(positive(run.sloTarget), ['run', 'sloTarget'], 'a positive duration', run.sloTarget);
  if (run.seriesInterval !== undefined) expect(positive(run.seriesInterval), ['run', 'seriesInterval'], 'a positive duration', run.seriesInterval);
  if (run.maxInFlight !== undefined) expect(posInt(run.maxInFlight), ['run', 'maxInFlight'], 'a positive integer', run.maxInFlight);
  return problems;
}

/**
 * The stations of a routing network from which no path reaches the exit: the closed classes of the absorbing Markov
 * chain (Kemeny & Snell, "Finite Markov Chains", ch. III: a chain is absorbing when every state reaches an absorbing
 * state). A station leaves with probability 1 − (sum of its branches), and with 1 when it has no `next` entry; a
 * station can exit when it leaves with positive probability or has a positive branch to a station that can. The
 * fixed point takes at most one pass per station. Stations trapped this way would hold their requests forever.
 */
export function trappedStations(next: { readonly [stationName: string]: readonly { station: string; p: number }[] }): Set<string> {
  const positive = (b: { p: number }): boolean => isNum(b.p) && b.p > 0;
  const canExit = new Set<string>();
  const names = new Set<string>(Object.keys(next));
  for (const branches of Object.values(next)) for (const b of branches) names.add(b.station);
  for (const n of names) {
    const branches = next[n];
    const sum = (branches ?? []).reduce((acc, b) => acc + (positive(b) ? b.p : 0), 0);
    if (branches === undefined || sum < 1 - 1e-9) canExit.add(n);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const n of names) {
      if (canExit.has(n) || !(next[n] ?? []).some((b) => positive(b) && canExit.has(b.station))) continue;
      canExit.add(n);
      changed = true;
    }
  }
  return new Set([...names].filter((n) => !canExit.has(n)));
}
