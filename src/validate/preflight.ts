import { lazyRequire } from '../lazy-require.js';

const undici = lazyRequire<typeof import('undici')>('undici');
import { inputError } from '../errors.js';
import type { RequestTarget } from './types.js';

/**
 * One request before any load, so that a target that is not there fails fast with one clear line (exit 2: the URL the
 * user gave does not lead to a service) instead of a step full of errors. A target that answers, even with an error
 * status, passes: a 100% error rate is found by the first step and is a failed check (exit 1), not bad input.
 * Returns the status code of the answer. `where` names the target in messages (default `--url URL`).
 */
export async function preflight(target: RequestTarget, timeoutSeconds: number, where = `--url ${target.url.toString()}`): Promise<number> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutSeconds * 1000);
  try {
    const res = await undici().request(target.url, {
      method: target.method as 'GET',
      headers: target.headers,
      body: target.body ?? null,
      signal: ac.signal,
    });
    await res.body.dump({ limit: 1 << 20 }).catch(() => undefined);
    return res.statusCode;
  } catch (e) {
    if (ac.signal.aborted) throw inputError(where, `no answer within ${timeoutSeconds} s (unreachable, or too slow for --timeout)`, 'NETWORK');
    const code = errorCode(e);
    switch (code) {
      case 'ECONNREFUSED':
        throw inputError(where, `connection refused by ${target.url.host} (is the service running?)`, 'NETWORK');
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        throw inputError(where, `cannot resolve host "${target.url.hostname}"`, 'NETWORK');
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
      case 'UND_ERR_CONNECT_TIMEOUT':
      case 'ETIMEDOUT':
        throw inputError(where, `${target.url.host} is unreachable (${code})`, 'NETWORK');
      default:
        throw inputError(where, `cannot reach ${target.url.host}: ${e instanceof Error ? e.message : String(e)}${code ? ` (${code})` : ''}`, 'NETWORK');
    }
  } finally {
    clearTimeout(timer);
  }
}

function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const c = (cur as { code?: unknown }).code;
    if (typeof c === 'string' && c !== 'UND_ERR_SOCKET') return c;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}
