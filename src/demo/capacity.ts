/**
 * serve-demo's theoretical capacity per endpoint: the arrival rate (requests/s) at which its bottleneck resource is
 * busy all the time (utilisation 1). Capacity follows from configuration alone, which is what makes the demo a target
 * with a known answer: with c servers each holding a request for s seconds, the most a station completes is c / s
 * (the utilisation law U = X S / c, Denning & Buzen 1978, "The Operational Analysis of Queueing Network Models").
 */

export interface DemoConfig {
  /** CPU worker threads (one shared FIFO queue in front of them). */
  readonly workers: number;
  /** Slots of the slow-I/O pool. */
  readonly ioPool: number;
  /** Cores of the machine, for the CPU bound: more busy threads than cores cannot run at once. */
  readonly cores: number;
}

export interface EndpointCapacity {
  readonly path: string;
  /** Requests/s at utilisation 1 of the bottleneck. */
  readonly capacity: number;
  readonly bottleneck: string;
  /** Service time of one request at its bottleneck when alone, seconds. */
  readonly serviceTime: number;
}

function workersText(n: number): string {
  return n === 1 ? '1 worker thread' : `${n} worker threads`;
}

/** `/cpu?ms=N`: min(workers, cores) threads each busy N ms per request. */
export function cpuCapacity(cfg: DemoConfig, ms: number): EndpointCapacity {
  const c = Math.min(cfg.workers, cfg.cores);
  return { path: `/cpu?ms=${ms}`, capacity: (c * 1000) / ms, bottleneck: workersText(c), serviceTime: ms / 1000 };
}

/** `/io?ms=N`: ioPool slots each held N ms per request. */
export function ioCapacity(cfg: DemoConfig, ms: number): EndpointCapacity {
  return { path: `/io?ms=${ms}`, capacity: (cfg.ioPool * 1000) / ms, bottleneck: `${cfg.ioPool} I/O slots`, serviceTime: ms / 1000 };
}

/**
 * `/lock?ms=N&serial=F`: a worker is held N ms, of which F·N under one process-wide lock. Bound by the workers (W / N)
 * and by the lock (1 / (F N)); Amdahl's law, which is the USL with kappa = 0: X(n) = n/N / (1 + F (n - 1)).
 */
export function lockCapacity(cfg: DemoConfig, ms: number, serial: number): EndpointCapacity {
  const byWorkers = (cfg.workers * 1000) / ms;
  const byLock = serial > 0 ? 1000 / (serial * ms) : Infinity;
  return byLock < byWorkers
    ? { path: `/lock?ms=${ms}&serial=${serial}`, capacity: byLock, bottleneck: 'the lock', serviceTime: ms / 1000 }
    : { path: `/lock?ms=${ms}&serial=${serial}`, capacity: byWorkers, bottleneck: workersText(cfg.workers), serviceTime: ms / 1000 };
}

/** `/mix?cpu=A&io=B&p=P`: a share P of requests is `/cpu?ms=A`, the rest `/io?ms=B`; the tighter of the two resources bounds the total. */
export function mixCapacity(cfg: DemoConfig, cpuMs: number, ioMs: number, p: number): EndpointCapacity {
  const c = Math.min(cfg.workers, cfg.cores);
  const byCpu = p > 0 ? (c * 1000) / (p * cpuMs) : Infinity;
  const byIo = p < 1 ? (cfg.ioPool * 1000) / ((1 - p) * ioMs) : Infinity;
  return {
    path: `/mix?cpu=${cpuMs}&io=${ioMs}&p=${p}`,
    capacity: Math.min(byCpu, byIo),
    bottleneck: byCpu <= byIo ? workersText(c) : `${cfg.ioPool} I/O slots`,
    serviceTime: (p * cpuMs + (1 - p) * ioMs) / 1000,
  };
}

export const DEMO_DEFAULTS = { cpuMs: 5, ioMs: 20, lockMs: 10, lockSerial: 0.25, mixP: 0.5 } as const;

/** The capacity table serve-demo prints on start, for the default parameters of each endpoint. */
export function demoCapacities(cfg: DemoConfig): EndpointCapacity[] {
  const d = DEMO_DEFAULTS;
  return [cpuCapacity(cfg, d.cpuMs), ioCapacity(cfg, d.ioMs), lockCapacity(cfg, d.lockMs, d.lockSerial), mixCapacity(cfg, d.cpuMs, d.ioMs, d.mixP)];
}
