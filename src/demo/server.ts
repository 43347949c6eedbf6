import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { createRng } from '../rng.js';
import { inputError } from '../errors.js';
import { DemoThreadPool, QueueFullError } from './thread-pool.js';
import { IoPool } from './io-pool.js';
import { DEMO_DEFAULTS, demoCapacities, type DemoConfig, type EndpointCapacity } from './capacity.js';
import { faultControlRefusal, NO_FAULT, parseFaultRequest, type DemoFault } from './fault-control.js';

export interface DemoServerOptions {
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** Always a loopback address unless the caller decides otherwise. */
  readonly host?: string;
  /** CPU worker threads, each with its own core when the machine has enough (default 1). */
  readonly workers?: number;
  /** Slow-I/O slots (default 4). */
  readonly ioPool?: number;
  /** Seed of the `/mix` endpoint's choices (and of the injected errors' draws). */
  readonly seed?: number;
  /** Answer `/_fault` (fault-control.ts) to clients on this machine; off by default. */
  readonly faultControl?: boolean;
}

export interface DemoServer {
  readonly url: string;
  readonly port: number;
  readonly config: DemoConfig;
  readonly capacities: readonly EndpointCapacity[];
  /** True when `/_fault` answers (loopback clients only). */
  readonly faultControl: boolean;
  close(): Promise<void>;
}

const MAX_MS = 10_000;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Start serve-demo: an HTTP service on 127.0.0.1 whose capacity follows from its configuration.
 *
 * - `GET /cpu?ms=N` (default 5): N ms of CPU on one of `workers` worker threads (one shared FIFO queue: M/G/c).
 * - `GET /io?ms=N` (default 20): waits N ms holding one of `ioPool` slots (FIFO queue beyond that).
 * - `GET /lock?ms=N&serial=F` (defaults 10, 0.25): holds a worker thread N ms, of which F·N inside a lock shared by all
 *   workers (contention: the USL's sigma = F).
 * - `GET /mix?cpu=A&io=B&p=P` (defaults 5, 20, 0.5): with probability P a `/cpu?ms=A` request, else `/io?ms=B`.
 * - `GET /health`: answers at once.
 * - `/_fault`: fault control for failure drills (fault-control.ts), only with `faultControl` and only from loopback.
 *
 * Why worker threads and not cluster processes: threads behind ONE queue make the service the M/G/c station that
 * `workersPerNode: c` describes, whatever the clients' connections do; cluster workers each accept their own
 * connections, so keep-alive clients pin requests to processes and the queueing depends on the client (several
 * M/G/1 queues with an uneven split). The HTTP handling stays on the main thread, beside the workers: so the
 * capacity is the configured one (c / N ms) even with one worker. Running one worker's burn on the main thread itself
 * (tried first) put the HTTP handling inside the service time: /cpu?ms=5 then measured 5.5 to 6 ms per request and
 * about 180/s on a quiet 2-core machine, where the model (and the printed capacity) say 5 ms and 200/s. The hand-off
 * costs two thread wake-ups per request, which adds latency but no capacity.
 */
export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const workers = options.workers ?? 1;
  const ioSlots = options.ioPool ?? 4;
  const config: DemoConfig = { workers, ioPool: ioSlots, cores: availableParallelism() };
  // Every worker is a worker thread behind one queue (thread-pool.ts); the main thread only handles HTTP.
  const threads = new DemoThreadPool(workers);
  const io = new IoPool(ioSlots);
  const rng = createRng(options.seed ?? 1, 0xde70);
  const faultRng = createRng(options.seed ?? 1, 0xfa17);
  const faultControl = options.faultControl === true;
  let fault: DemoFault = NO_FAULT;
  let faultTimer: NodeJS.Timeout | undefined;
  let served = 0;
  const setFault = (f: DemoFault, ttlSeconds: number | undefined): void => {
    if (faultTimer) clearTimeout(faultTimer);
    faultTimer = ttlSeconds === undefined ? undefined : setTimeout(() => setFault(NO_FAULT, undefined), ttlSeconds * 1000);
    faultTimer?.unref();
    fault = f;
    threads.setFault(f.workersDown, f.slowdown, f.pause);
  };
  const json = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body) + '\n');
  };
  const handleFault = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const refusal = faultControlRefusal(faultControl, req.socket.remoteAddress);
    if (refusal !== null) return json(res, 403, { error: refusal });
    switch (req.method) {
      case 'GET':
        // cpuMs: the process's CPU time (main thread and worker threads), so a drill can say what one request costs it.
        return json(res, 200, { fault, workers, served, ...threads.busy, waiting: threads.waiting, cpuMs: cpuMs() });
      case 'DELETE':
        setFault(NO_FAULT, undefined);
        return json(res, 200, { fault });
      case 'POST': {
        const r = parseFaultRequest(body, workers);
        setFault(r.fault, r.ttlSeconds);
        return json(res, 200, { fault, ttl: r.ttlSeconds ?? null });
      }
      default:
        return json(res, 405, { error: `expected GET, POST or DELETE, got ${req.method ?? ''}` });
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const u = new URL(req.url ?? '/', 'http://demo');
    const num = (name: string, dflt: number, max: number): number => {
      const raw = u.searchParams.get(name);
      if (raw === null) return dflt;
      const v = Number(raw);
      if (!Number.isFinite(v) || v < 0 || v > max) throw new RangeError(`${name} must be a number in [0, ${max}], got ${raw}`);
      return v;
    };
    if (u.pathname !== '/health') {
      served++;
      if (fault.errorShare > 0 && faultRng.next() < fault.errorShare) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('injected fault\n');
        return;
      }
    }
    switch (u.pathname) {
      case '/health':
        break;
      case '/cpu':
        await threads.run({ op: 'cpu', ms: num('ms', DEMO_DEFAULTS.cpuMs, MAX_MS), serialMs: 0 });
        break;
      case '/io':
        await io.run(num('ms', DEMO_DEFAULTS.ioMs, MAX_MS));
        break;
      case '/lock': {
        const ms = num('ms', DEMO_DEFAULTS.lockMs, MAX_MS);
        const serial = num('serial', DEMO_DEFAULTS.lockSerial, 1);
        await threads.run({ op: 'lock', ms, serialMs: ms * serial });
        break;
      }
      case '/mix': {
        const cpuMs = num('cpu', DEMO_DEFAULTS.cpuMs, MAX_MS);
        const ioMs = num('io', DEMO_DEFAULTS.ioMs, MAX_MS);
        const p = num('p', DEMO_DEFAULTS.mixP, 1);
        if (rng.next() < p) await threads.run({ op: 'cpu', ms: cpuMs, serialMs: 0 });
        else await io.run(ioMs);
        break;
      }
      default:
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`no such endpoint: ${u.pathname}\n`);
        return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
  };

  const server = createServer((req, res) => {
    if (req.url === '/_fault' || req.url?.startsWith('/_fault?')) {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => {
        if (body.length < 4096) body += d;
      });
      req.on('end', () => {
        try {
          handleFault(req, res, body);
        } catch (e) {
          json(res, 400, { error: e instanceof Error ? e.message : String(e) });
        }
      });
      return;
    }
    // Drain any request body, then answer; a bad query is a 400, never a crash.
    req.resume();
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(e instanceof QueueFullError ? 503 : 400, { 'content-type': 'text/plain' });
      res.end(`${e instanceof Error ? e.message : String(e)}\n`);
    });
  });
  server.keepAliveTimeout = 30_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? inputError('--port', `port ${options.port} is already in use`) : e),
    );
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    config,
    capacities: demoCapacities(config),
    faultControl,
    close: async () => {
      if (faultTimer) clearTimeout(faultTimer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await threads.close();
    },
  };
}
