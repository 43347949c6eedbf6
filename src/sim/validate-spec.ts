/**
 * Checks a SimSpec that did not come through the scenario schema (library callers): every problem is collected
 * (k6's `Validate() []error` habit) and reported in one HeadroomError (code CONFIG_INVALID, exit 2) whose message
 * names each field path, e.g. `invalid simulation spec: stations[0].nodes: expected a positive integer, got 0`.
 */
import type { Distribution } from '../model/distribution.js';
import { HeadroomError } from '../errors.js';
import type { RoutingSpec, SimSpec } from './types.js';

type Issues = string[];

const show = (x: unknown): string => (typeof x === 'string' ? JSON.stringify(x) : x === undefined ? 'nothing' : Array.isArray(x) ? 'a list' : typeof x === 'object' && x !== null ? 'an object' : String(x));

function expect(issues: Issues, ok: boolean, path: string, what: string, got: unknown): void {
  if (!ok) issues.push(`${path}: expected ${what}, got ${show(got)}`);
}
/** The names a reference may use, for messages: "a, b" or "none are defined". */
const known = (names: Set<string>): string => (names.size > 0 ? [...names].join(', ') : 'none are defined');
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const positive = (x: unknown): boolean => isNum(x) && x > 0;
const nonNegative = (x: unknown): boolean => isNum(x) && x >= 0;
const posInt = (x: unknown): boolean => Number.isSafeInteger(x) && (x as number) > 0;
const nonNegInt = (x: unknown): boolean => Number.isSafeInteger(x) && (x as number) >= 0;

function checkDistribution(issues: Issues, d: Distribution, path: string): void {
  switch (d.kind) {
    case 'exponential':
    case 'lognormal':
    case 'gamma':
    case 'erlang':
    case 'pareto':
      expect(issues, positive(d.mean), `${path}.mean`, 'a positive duration', d.mean);
      if (d.kind === 'lognormal' || d.kind === 'gamma') expect(issues, positive(d.cv), `${path}.cv`, 'a positive number', d.cv);
      if (d.kind === 'erlang') expect(issues, posInt(d.k), `${path}.k`, 'a positive integer', d.k);
      if (d.kind === 'pareto') expect(issues, isNum(d.alpha) && d.alpha > 1, `${path}.alpha`, 'a shape alpha > 1', d.alpha);
      break;
    case 'deterministic':
      expect(issues, nonNegative(d.value), `${path}.value`, 'a non-negative duration', d.value);
      break;
    case 'uniform':
      expect(issues, nonNegative(d.min), `${path}.min`, 'a non-negative duration', d.min);
      expect(issues, isNum(d.max) && d.max > d.min, `${path}.max`, 'a duration greater than min', d.max);
      break;
    case 'empirical':
      expect(issues, Array.isArray(d.samples) && d.samples.length > 0 && d.samples.every(nonNegative), `${path}.samples`, 'a non-empty list of non-negative durations', d.samples);
      break;
    default:
      issues.push(`${path}.kind: expected one of exponential, deterministic, uniform, lognormal, gamma, erlang, pareto, empirical, got ${show((d as { kind: unknown }).kind)}`);
  }
}

/** Throw a HeadroomError listing every problem of `spec`; return quietly when it is consistent. */
export function validateSpec(spec: SimSpec): void {
  const issues: Issues = [];
  const stationNames = new Set<string>();
  const zones = new Set<string>();
  const classes = spec.classes ?? [];
  const classNames = new Set(classes.map((c) => c.name));

  expect(issues, Array.isArray(spec.stations) && spec.stations.length > 0, 'stations', 'at least one station', spec.stations);
  (spec.stations ?? []).forEach((s, i) => {
    const p = `stations[${i}]`;
    expect(issues, typeof s.name === 'string' && s.name.length > 0 && !stationNames.has(s.name), `${p}.name`, 'a station name not used before', s.name);
    stationNames.add(s.name);
    expect(issues, posInt(s.nodes), `${p}.nodes`, 'a positive integer', s.nodes);
    expect(issues, posInt(s.workersPerNode), `${p}.workersPerNode`, 'a positive integer', s.workersPerNode);
    if (s.serviceTime !== undefined) checkDistribution(issues, s.serviceTime, `${p}.serviceTime`);
    const allOverride = classes.length > 0 && classes.every((c) => c.serviceTime?.[s.name] !== undefined);
    expect(issues, s.serviceTime !== undefined || s.usl !== undefined || allOverride, `${p}.serviceTime`, 'a service-time distribution (or usl)', undefined);
    if (s.usl !== undefined) {
      expect(issues, positive(s.usl.lambda), `${p}.usl.lambda`, 'a positive number', s.usl.lambda);
      expect(issues, isNum(s.usl.sigma) && s.usl.sigma >= 0 && s.usl.sigma < 1, `${p}.usl.sigma`, 'a number in [0, 1)', s.usl.sigma);
      expect(issues, nonNegative(s.usl.kappa), `${p}.usl.kappa`, 'a non-negative number', s.usl.kappa);
    }
    expect(issues, s.queue === 'per-node' || s.queue === 'shared', `${p}.queue`, 'per-node or shared', s.queue);
    if (s.queueCapacity !== undefined) expect(issues, nonNegInt(s.queueCapacity), `${p}.queueCapacity`, 'a non-negative integer', s.queueCapacity);
    expect(issues, ['round-robin', 'random', 'least-outstanding', 'power-of-two'].includes(s.balancer), `${p}.balancer`, 'one of round-robin, random, least-outstanding, power-of-two', s.balancer);
    if (s.shedding?.queueAbove !== undefined) expect(issues, nonNegInt(s.shedding.queueAbove), `${p}.shedding.queueAbove`, 'a non-negative integer', s.shedding.queueAbove);
    if (s.shedding?.maxQueueTime !== undefined) expect(issues, nonNegative(s.shedding.maxQueueTime), `${p}.shedding.maxQueueTime`, 'a non-negative duration', s.shedding.maxQueueTime);
    if (s.zones !== undefined) {
      expect(issues, s.zones.length > 0 && s.zones.every((z) => typeof z === 'string' && z.length > 0), `${p}.zones`, 'a non-empty list of zone names', s.zones);
      for (const z of s.zones) zones.add(z);
    }
    const a = s.autoscaling;
    if (a !== undefined) {
      const q = `${p}.autoscaling`;
      expect(issues, isNum(a.targetUtilization) && a.targetUtilization > 0 && a.targetUtilization <= 1, `${q}.targetUtilization`, 'a fraction in (0, 1]', a.targetUtilization);
      expect(issues, positive(a.interval), `${q}.interval`, 'a positive duration', a.interval);
      expect(issues, nonNegative(a.scaleUpDelay), `${q}.scaleUpDelay`, 'a non-negative duration', a.scaleUpDelay);
      expect(issues, nonNegative(a.cooldown), `${q}.cooldown`, 'a non-negative duration', a.cooldown);
      expect(issues, posInt(a.minNodes), `${q}.minNodes`, 'a positive integer', a.minNodes);
      expect(issues, posInt(a.maxNodes) && a.maxNodes >= a.minNodes, `${q}.maxNodes`, 'an integer ≥ minNodes', a.maxNodes);
    }
  });

  const seenClass = new Set<string>();
  classes.forEach((c, i) => {
    const p = `classes[${i}]`;
    expect(issues, typeof c.name === 'string' && c.name.length > 0 && !seenClass.has(c.name), `${p}.name`, 'a class name not used before', c.name);
    seenClass.add(c.name);
    expect(issues, positive(c.weight), `${p}.weight`, 'a positive number', c.weight);
    for (const [st, d] of Object.entries(c.serviceTime ?? {})) {
      expect(issues, stationNames.has(st), `${p}.serviceTime.${st}`, `a station name (${known(stationNames)})`, st);
      checkDistribution(issues, d, `${p}.serviceTime.${st}`);
    }
  });

  expect(issues, Array.isArray(spec.arrivals) && spec.arrivals.length > 0, 'arrivals', 'at least one arrival source', spec.arrivals);
  (spec.arrivals ?? []).forEach((a, i) => {
    const p = `arrivals[${i}]`;
    switch (a.kind) {
      case 'poisson':
        expect(issues, nonNegative(a.rate), `${p}.rate`, 'a non-negative rate', a.rate);
        break;
      case 'profile':
        expect(issues, a.points.length > 0, `${p}.points`, 'at least one point', a.points);
        a.points.forEach((pt, k) => {
          expect(issues, nonNegative(pt.t) && (k === 0 || pt.t > a.points[k - 1]!.t), `${p}.points[${k}].t`, 'a time after the previous point', pt.t);
          expect(issues, nonNegative(pt.rate), `${p}.points[${k}].rate`, 'a non-negative rate', pt.rate);
        });
        expect(issues, a.interpolation === 'step' || a.interpolation === 'linear', `${p}.interpolation`, 'step or linear', a.interpolation);
        if (a.period !== undefined) {
          const last = a.points[a.points.length - 1]?.t ?? 0;
          expect(issues, isNum(a.period) && a.period > last, `${p}.period`, `a duration longer than the last point (${last} s)`, a.period);
        }
        break;
      case 'trace':
        expect(issues, a.times.every((t, k) => nonNegative(t) && (k === 0 || t >= a.times[k - 1]!)), `${p}.times`, 'non-negative times in ascending order', a.times);
        if (a.classes !== undefined) {
          expect(issues, a.classes.length === a.times.length, `${p}.classes`, `one class per time (${a.times.length})`, a.classes.length);
          const bad = a.classes.find((c) => !classNames.has(c));
          expect(issues, bad === undefined, `${p}.classes`, `class names from classes (${known(classNames)})`, bad);
        }
        if (a.scale !== undefined) expect(issues, positive(a.scale), `${p}.scale`, 'a positive number', a.scale);
        if (a.loop === true) expect(issues, (a.times[a.times.length - 1] ?? 0) > 0, `${p}.loop`, 'a trace whose last time is after 0', a.loop);
        break;
      case 'mmpp':
        expect(issues, a.rates.length > 0 && a.rates.every(nonNegative), `${p}.rates`, 'a non-empty list of non-negative rates', a.rates);
        expect(issues, a.meanDurations.length === a.rates.length && a.meanDurations.every(positive), `${p}.meanDurations`, 'one positive duration per rate', a.meanDurations);
        break;
      case 'spikes':
        expect(issues, nonNegative(a.rate), `${p}.rate`, 'a non-negative rate', a.rate);
        a.windows.forEach((w, k) => {
          expect(issues, nonNegative(w.start), `${p}.windows[${k}].start`, 'a non-negative time', w.start);
          expect(issues, positive(w.duration), `${p}.windows[${k}].duration`, 'a positive duration', w.duration);
        });
        break;
      default:
        issues.push(`${p}.kind: expected one of poisson, profile, trace, mmpp, spikes, got ${show((a as { kind: unknown }).kind)}`);
    }
    if (a.mix !== undefined) {
      const entries = Object.entries(a.mix);
      for (const [name, w] of entries) {
        expect(issues, classNames.has(name), `${p}.mix.${name}`, `a class name (${known(classNames)})`, name);
        expect(issues, nonNegative(w), `${p}.mix.${name}`, 'a non-negative weight', w);
      }
      expect(issues, entries.reduce((s, [, w]) => s + (isNum(w) ? w : 0), 0) > 0, `${p}.mix`, 'weights with a positive sum', a.mix);
    }
  });

  const checkRouting = (r: RoutingSpec, at: string): void => {
    if (r.kind === 'path') {
      expect(issues, r.stations.length > 0, `${at}.stations`, 'at least one station', r.stations);
      r.stations.forEach((s, i) => expect(issues, stationNames.has(s), `${at}.stations[${i}]`, `a station name (${known(stationNames)})`, s));
    } else if (r.kind === 'network') {
      const checkBranches = (branches: readonly { station: string; p: number }[], path: string, mustSumToOne: boolean): void => {
        branches.forEach((b, i) => {
          expect(issues, stationNames.has(b.station), `${path}[${i}].station`, `a station name (${known(stationNames)})`, b.station);
          expect(issues, isNum(b.p) && b.p >= 0 && b.p <= 1, `${path}[${i}].p`, 'a probability in [0, 1]', b.p);
        });
        const sum = branches.reduce((s, b) => s + (isNum(b.p) ? b.p : 0), 0);
        if (mustSumToOne) expect(issues, Math.abs(sum - 1) < 1e-9, path, 'probabilities summing to 1', sum);
        else expect(issues, sum <= 1 + 1e-9, path, 'probabilities summing to at most 1', sum);
      };
      checkBranches(r.entry, `${at}.entry`, true);
      for (const [name, branches] of Object.entries(r.next)) {
        expect(issues, stationNames.has(name), `${at}.next.${name}`, `a station name (${known(stationNames)})`, name);
        checkBranches(branches, `${at}.next.${name}`, false);
      }
    } else {
      issues.push(`${at}.kind: expected path or network, got ${show((r as { kind: unknown }).kind)}`);
    }
  };
  if (spec.routing !== undefined) checkRouting(spec.routing, 'routing');
  classes.forEach((c, i) => {
    if (c.routing !== undefined) checkRouting(c.routing, `classes[${i}].routing`);
  });

  const c = spec.client;
  if (c?.timeout !== undefined) expect(issues, positive(c.timeout), 'client.timeout', 'a positive duration', c.timeout);
  if (c?.retries !== undefined) {
    expect(issues, nonNegInt(c.retries.max), 'client.retries.max', 'a non-negative integer', c.retries.max);
    expect(issues, nonNegative(c.retries.backoff), 'client.retries.backoff', 'a non-negative duration', c.retries.backoff);
    expect(issues, nonNegative(c.retries.maxBackoff), 'client.retries.maxBackoff', 'a non-negative duration', c.retries.maxBackoff);
    expect(issues, ['none', 'full', 'equal'].includes(c.retries.jitter), 'client.retries.jitter', 'none, full or equal', c.retries.jitter);
  }

  (spec.failures ?? []).forEach((f, i) => {
    const p = `failures[${i}]`;
    if (f.kind === 'zone-down') {
      expect(issues, zones.has(f.zone), `${p}.zone`, zones.size > 0 ? `a zone named in stations[].zones (${[...zones].join(', ')})` : 'a zone named in stations[].zones (none are)', f.zone);
    } else if (f.kind === 'node-down' || f.kind === 'random' || f.kind === 'degraded') {
      const st = spec.stations.find((s) => s.name === f.station);
      expect(issues, st !== undefined, `${p}.station`, `a station name (${known(stationNames)})`, f.station);
      if (f.kind !== 'random' && st !== undefined) {
        const max = Math.max(st.nodes, st.autoscaling?.maxNodes ?? 0);
        expect(issues, nonNegInt(f.node) && f.node < max, `${p}.node`, `a node index from 0 to ${max - 1}`, f.node);
      }
    } else {
      issues.push(`${p}.kind: expected one of node-down, zone-down, random, degraded, got ${show((f as { kind: unknown }).kind)}`);
      return;
    }
    if (f.kind === 'random') {
      expect(issues, positive(f.mtbf), `${p}.mtbf`, 'a positive duration', f.mtbf);
      expect(issues, positive(f.mttr), `${p}.mttr`, 'a positive duration', f.mttr);
    } else {
      expect(issues, nonNegative(f.at), `${p}.at`, 'a non-negative time', f.at);
      expect(issues, positive(f.duration), `${p}.duration`, 'a positive duration', f.duration);
      if (f.kind === 'degraded') expect(issues, positive(f.slowdown), `${p}.slowdown`, 'a positive factor', f.slowdown);
    }
  });

  const run = spec.run;
  if (run === undefined) {
    issues.push('run: expected a stop condition, got nothing');
  } else {
    if (run.stop?.kind === 'time') expect(issues, positive(run.stop.time), 'run.stop.time', 'a positive duration', run.stop.time);
    else if (run.stop?.kind === 'arrivals') expect(issues, posInt(run.stop.arrivals), 'run.stop.arrivals', 'a positive integer', run.stop.arrivals);
    else issues.push(`run.stop: expected { kind: time, time } or { kind: arrivals, arrivals }, got ${show(run.stop)}`);
    const w = run.warmup;
    if (w?.kind === 'time') {
      expect(issues, nonNegative(w.time), 'run.warmup.time', 'a non-negative duration', w.time);
      if (run.stop?.kind === 'time') expect(issues, w.time < run.stop.time, 'run.warmup.time', `less than the stop time (${run.stop.time} s)`, w.time);
    } else if (w?.kind === 'arrivals') {
      expect(issues, nonNegInt(w.arrivals), 'run.warmup.arrivals', 'a non-negative integer', w.arrivals);
      if (run.stop?.kind === 'arrivals') expect(issues, w.arrivals < run.stop.arrivals, 'run.warmup.arrivals', `fewer than the stop arrivals (${run.stop.arrivals})`, w.arrivals);
    } else if (w !== undefined) issues.push(`run.warmup: expected { kind: time, time } or { kind: arrivals, arrivals }, got ${show(w)}`);
    if (run.sloTarget !== undefined) expect(issues, positive(run.sloTarget), 'run.sloTarget', 'a positive duration', run.sloTarget);
    if (run.seriesInterval !== undefined) expect(issues, positive(run.seriesInterval), 'run.seriesInterval', 'a positive duration', run.seriesInterval);
    if (run.maxInFlight !== undefined) expect(issues, posInt(run.maxInFlight), 'run.maxInFlight', 'a positive integer', run.maxInFlight);
  }

  if (issues.length > 0) throw new HeadroomError('CONFIG_INVALID', `invalid simulation spec: ${issues.join('; ')}`, { exitCode: 2 });
}
