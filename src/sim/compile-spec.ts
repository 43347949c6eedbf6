/**
 * Spec → the typed-array tables the model runs on: the routing table (hops, fixed next hops, cumulative branch
 * probabilities) and the failures (which (station, node) pairs each one affects). Names were checked by validateSpec.
 */
import type { CompiledFailure } from './failures.js';
import type { CompiledRouting } from './routing.js';
import type { Station } from './station.js';
import type { RoutingSpec, SimSpec } from './types.js';

/**
 * A `path` becomes one hop per position (a station may appear twice); a `network` one hop per station with its
 * branches as cumulative probabilities (the remainder is leaving). Absent routing = a path through all stations.
 */
export function compileRouting(spec: SimSpec, stationIndex: Map<string, number>, routing: RoutingSpec | undefined = spec.routing): CompiledRouting {
  const idx = (name: string): number => stationIndex.get(name) as number;
  const r = routing ?? { kind: 'path' as const, stations: spec.stations.map((s) => s.name) };
  if (r.kind === 'path') {
    const n = r.stations.length;
    return {
      hopStation: Int32Array.from(r.stations, idx),
      hopNext: Int32Array.from(r.stations, (_, i) => (i + 1 < n ? i + 1 : -1)),
      branchStart: new Int32Array(n + 1),
      branchHop: new Int32Array(0),
      branchCum: new Float64Array(0),
      entryHop: Int32Array.of(0),
      entryCum: Float64Array.of(1),
    };
  }
  const ns = spec.stations.length;
  const hopNext = new Int32Array(ns);
  const branchStart = new Int32Array(ns + 1);
  const branchHop: number[] = [];
  const branchCum: number[] = [];
  spec.stations.forEach((s, i) => {
    branchStart[i] = branchHop.length;
    const list = (r.next[s.name] ?? []).filter((b) => b.p > 0);
    const sum = list.reduce((a, b) => a + b.p, 0);
    if (list.length === 0) hopNext[i] = -1;
    else if (list.length === 1 && sum >= 1 - 1e-12) hopNext[i] = idx(list[0]!.station);
    else {
      hopNext[i] = -2;
      let acc = 0;
      for (const b of list) {
        branchHop.push(idx(b.station));
        branchCum.push((acc += b.p));
      }
    }
  });
  branchStart[ns] = branchHop.length;
  const entry = r.entry.filter((b) => b.p > 0);
  let acc = 0;
  const entryCum = Float64Array.from(entry, (b) => (acc += b.p));
  if (entryCum.length > 0) entryCum[entryCum.length - 1] = 1;
  return {
    hopStation: Int32Array.from(spec.stations, (_, i) => i),
    hopNext,
    branchStart,
    branchHop: Int32Array.from(branchHop),
    branchCum: Float64Array.from(branchCum),
    entryHop: Int32Array.from(entry, (b) => idx(b.station)),
    entryCum,
  };
}

/** Each failure as the (station, node) pairs it affects; zones map node i to zones[i mod zones.length]. */
export function compileFailures(spec: SimSpec, stations: Station[], stationIndex: Map<string, number>): CompiledFailure[] {
  return (spec.failures ?? []).map((f): CompiledFailure => {
    const base = { mtbf: 0, mttr: 0, slowdown: 1 };
    switch (f.kind) {
      case 'node-down':
        return { ...base, kind: 'down', stations: Int32Array.of(stationIndex.get(f.station) as number), nodes: Int32Array.of(f.node) };
      case 'degraded':
        return { ...base, kind: 'degraded', slowdown: f.slowdown, stations: Int32Array.of(stationIndex.get(f.station) as number), nodes: Int32Array.of(f.node) };
      case 'random': {
        const s = stationIndex.get(f.station) as number;
        const m = (stations[s] as Station).maxNodes;
        return { ...base, kind: 'random', mtbf: f.mtbf, mttr: f.mttr, stations: new Int32Array(m).fill(s), nodes: Int32Array.from({ length: m }, (_, i) => i) };
      }
      case 'zone-down': {
        const ss: number[] = [];
        const nn: number[] = [];
        spec.stations.forEach((st, s) => {
          const z = st.zones;
          if (z === undefined || z.length === 0) return;
          const m = (stations[s] as Station).maxNodes;
          for (let n = 0; n < m; n++) {
            if (z[n % z.length] === f.zone) {
              ss.push(s);
              nn.push(n);
            }
          }
        });
        return { ...base, kind: 'down', stations: Int32Array.from(ss), nodes: Int32Array.from(nn) };
      }
    }
  });
}
