import { describe, expect, it } from 'vitest';
import { checkBudget, checkRemote, DEFAULT_LIMITS } from '../../src/validate/safety.js';
import { generatorWarnings, isLoopbackHost } from '../../src/validate/ceiling.js';

describe('safety', () => {
  it('knows loopback hosts', () => {
    for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['example.com', '10.0.0.1', '128.0.0.1', '0.0.0.0']) expect(isLoopbackHost(h)).toBe(false);
  });

  it('refuses a remote target without --allow-remote, and allows it with', () => {
    expect(() => checkRemote(new URL('http://example.com:8080/x'), false)).toThrow(
      '--url: example.com:8080 is not this machine; load-testing a remote service needs --allow-remote (make sure you may load it)',
    );
    expect(() => checkRemote(new URL('http://example.com/x'), true)).not.toThrow();
    expect(() => checkRemote(new URL('http://127.0.0.1:9/x'), false)).not.toThrow();
  });

  it('bounds the planned run in requests and time before anything is sent', () => {
    const limits = { ...DEFAULT_LIMITS, maxRequests: 1000, maxDuration: 30 };
    expect(checkBudget([{ requests: 400, seconds: 10 }, { requests: 500, seconds: 10 }], limits)).toEqual({ requests: 900, seconds: 20 });
    expect(() => checkBudget([{ requests: 800, seconds: 5 }, { requests: 300.5, seconds: 5 }], limits)).toThrow(
      '--rates: the planned run sends about 1,101 requests, above --max-requests 1,000; lower the rates or --step-seconds, or raise --max-requests',
    );
    expect(() => checkBudget([{ requests: 10, seconds: 25 }, { requests: 10, seconds: 5.5 }], limits)).toThrow(
      '--step-seconds: the planned run takes about 31 s, above --max-duration 30 s; use fewer or shorter steps, or raise --max-duration',
    );
  });

  it('names the length first when a step is far beyond any budget, and writes huge amounts as powers of ten', () => {
    // --step-seconds 1e300 at 10/s: the length is what to fix, not the 1e301 requests that follow from it
    expect(() => checkBudget([{ requests: 1e301, seconds: 1e300 }], DEFAULT_LIMITS)).toThrow(
      '--step-seconds: the planned run takes about 1.0×10^300 s, above --max-duration 600 s; use fewer or shorter steps, or raise --max-duration',
    );
    expect(() => checkBudget([{ requests: 6e300, seconds: 5 }], DEFAULT_LIMITS)).toThrow(
      '--rates: the planned run sends about 6.0×10^300 requests, above --max-requests 1,000,000; lower the rates',
    );
  });

  it('warns when a step nears the generator ceiling and when the target shares the machine', () => {
    const w = generatorWarnings([100, 6000], { requestsPerSecond: 10000, connections: 32, duration: 2, cores: 2 }, '127.0.0.1');
    expect(w[0]).toBe("the step at 6000/s is 60% of the generator's ceiling (10000/s on this machine): its figures may measure the generator");
    expect(w[1]).toMatch(/^the target is on this machine: generator and target share its \d+ cores, so each can slow the other$/);
    expect(generatorWarnings([100], null, 'example.com')).toEqual([]);
  });
});
