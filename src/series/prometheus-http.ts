import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createGunzip } from 'node:zlib';
import { HeadroomError } from '../errors.js';
import type { PrometheusQuery } from './prometheus-types.js';

/**
 * The network edge of the Prometheus reader: one request to `/api/v1/query_range`, with credentials from the environment.
 * Uses node:http / node:https rather than fetch, whose "bad port" list (WHATWG Fetch, port blocking) would refuse some
 * ports outright and hide the real connection error.
 */

/** The answer to one request: HTTP status and body text (gzip already undone). */
export interface HttpAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly contentType: string;
  readonly body: string;
}

/** Credentials as a header value plus every secret string that must never appear in a message. */
export interface Credentials {
  readonly authorization: string | undefined;
  readonly secrets: readonly string[];
}

/**
 * Read the credentials named in `auth` from `env`. Errors (exit 2) name the variable, never its value.
 * Basic auth follows RFC 7617: base64 of "user:password".
 */
export function credentialsFrom(auth: PrometheusQuery['auth'], env: Readonly<Record<string, string | undefined>>): Credentials {
  if (!auth || (auth.bearerTokenEnv === undefined && auth.basicAuthEnv === undefined)) return { authorization: undefined, secrets: [] };
  if (auth.bearerTokenEnv !== undefined && auth.basicAuthEnv !== undefined) {
    throw new HeadroomError('INPUT_INVALID', 'prometheus auth: give bearerTokenEnv or basicAuthEnv, not both', { exitCode: 2 });
  }
  if (auth.bearerTokenEnv !== undefined) {
    const token = env[auth.bearerTokenEnv]?.trim();
    if (!token) {
      throw new HeadroomError('INPUT_INVALID', `prometheus auth: environment variable ${auth.bearerTokenEnv} (bearer token) is not set`, {
        exitCode: 2,
      });
    }
    // RFC 6750 b64token is a subset of visible ASCII; anything else cannot go into a header (and is not echoed).
    if (!/^[\x21-\x7e]+$/.test(token)) {
      throw new HeadroomError(
        'INPUT_INVALID',
        `prometheus auth: environment variable ${auth.bearerTokenEnv} holds characters a bearer token cannot have (only visible ASCII)`,
        { exitCode: 2 },
      );
    }
    return { authorization: `Bearer ${token}`, secrets: [token] };
  }
  const name = auth.basicAuthEnv!;
  const pair = env[name];
  if (!pair) {
    throw new HeadroomError('INPUT_INVALID', `prometheus auth: environment variable ${name} (basic auth) is not set`, { exitCode: 2 });
  }
  const colon = pair.indexOf(':');
  if (colon <= 0) {
    throw new HeadroomError('INPUT_INVALID', `prometheus auth: environment variable ${name} must hold user:password`, { exitCode: 2 });
  }
  const encoded = Buffer.from(pair, 'utf8').toString('base64');
  const password = pair.slice(colon + 1);
  return { authorization: `Basic ${encoded}`, secrets: [pair, encoded, ...(password.length >= 4 ? [password] : [])] };
}

/** Replace every secret in `text` by "***". */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('***');
  return out;
}

/** Reasons for failed connections, by Node's error code (libuv / getaddrinfo / TLS). */
const CONNECT_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed (temporary)',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed by the server',
};

/**
 * Above this many characters of encoded parameters a request is sent as a form POST, which the Prometheus API accepts
 * for the same endpoints "when specifying a large query that may breach server-side URL character limits"
 * (https://prometheus.io/docs/prometheus/latest/querying/api/); proxies commonly cap request lines at 4 to 8 KiB.
 */
export const MAX_GET_PARAMS = 4000;

/**
 * Ask `endpoint` with `params`: a GET with a query string, or a POST of an application/x-www-form-urlencoded body when
 * the parameters are longer than MAX_GET_PARAMS. Collects the body. `where` prefixes messages
 * ("prometheus http://127.0.0.1:9090/"). Network failures throw HeadroomError NETWORK (exit 2).
 */
export function httpGet(
  endpoint: URL,
  params: URLSearchParams,
  authorization: string | undefined,
  timeoutMs: number,
  where: string,
): Promise<HttpAnswer> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-encoding': 'gzip', 'user-agent': 'headroom' };
  if (authorization) headers.authorization = authorization;
  const encoded = params.toString();
  const post = encoded.length > MAX_GET_PARAMS;
  const url = new URL(endpoint);
  if (post) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers['content-length'] = String(Buffer.byteLength(encoded));
  } else url.search = encoded;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<HttpAnswer>((resolve, reject) => {
    let settled = false;
    const fail = (e: HeadroomError) => {
      if (settled) return;
      settled = true;
      reject(e);
    };
    const req = send(url, { method: post ? 'POST' : 'GET', headers }, (res: IncomingMessage) => {
      const stream = res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res;
      const parts: Buffer[] = [];
      stream.on('data', (b: Buffer) => parts.push(b));
      stream.on('error', (e: NodeJS.ErrnoException) => fail(networkError(where, e)));
      stream.on('end', () => {
        if (settled) return;
        settled = true;
        resolve({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          contentType: String(res.headers['content-type'] ?? ''),
          body: Buffer.concat(parts).toString('utf8'),
        });
      });
      res.on('error', (e: NodeJS.ErrnoException) => fail(networkError(where, e)));
    });
    req.setTimeout(timeoutMs, () => {
      fail(new HeadroomError('NETWORK', `${where}: no answer within ${timeoutMs / 1000} s`, { exitCode: 2 }));
      req.destroy();
    });
    req.on('error', (e: NodeJS.ErrnoException) => fail(networkError(where, e)));
    req.end(post ? encoded : undefined);
  });
}

function networkError(where: string, e: NodeJS.ErrnoException): HeadroomError {
  const code = e.code ?? '';
  const reason = CONNECT_ERRORS[code] ?? (code.includes('CERT') || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') ? `TLS error ${code}` : `cannot connect (${code || e.message})`);
  return new HeadroomError('NETWORK', `${where}: ${reason}`, { exitCode: 2, cause: e });
}
