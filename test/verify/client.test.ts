// The client against a real HTTP server on 127.0.0.1 that behaves like the Mirra API: one test per
// outcome. Nothing here talks to anything outside 127.0.0.0/8.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keySha256 } from '../../src/detector/redact.js';
import { checkKey, parseRetryAfter, describeNetworkError, MAX_ATTEMPTS } from '../../src/verify/client.js';
import { assertSafeApiUrl, resourcesUrl } from '../../src/verify/url.js';
import { fakeKey } from '../support/fake-keys.js';
import { startMirraApiServer, unusedLoopbackPort, type Behaviour, type MirraApiServer } from '../support/mirra-api-server.js';

let api: MirraApiServer;

beforeAll(async () => {
  api = await startMirraApiServer();
});
afterAll(async () => {
  await api.close();
});

/** Checks a fresh key scripted with `behaviour`; returns the result and the requests it took. */
async function check(behaviour: Behaviour, extra: { timeoutMs?: number; retryBudgetMs?: number; type?: Parameters<typeof fakeKey>[0] } = {}) {
  const key = fakeKey(extra.type ?? 'untyped');
  api.setBehaviour(key, behaviour);
  const result = await checkKey(key, {
    apiBase: assertSafeApiUrl(api.url),
    // Generous by default: on a loaded shared machine the first request alone can take over 500 ms.
    timeoutMs: extra.timeoutMs ?? 5_000,
    retryBudgetMs: extra.retryBudgetMs ?? 2_000,
    fetch: globalThis.fetch,
  });
  return { key, result, requests: api.requests(key) };
}

describe('checkKey against the test API', () => {
  it('a 2xx answer means live, asked once with X-API-Key on GET /api/sdk/v1/resources', async () => {
    const { key, result, requests } = await check('live', { type: 'script' });
    expect(result).toMatchObject({ status: 'live', http: 200 });
    expect(result.detail).toContain('HTTP 200');
    expect(requests).toBe(1);
    const sent = api.requestLog().filter((r) => r.keySha256 === keySha256(key));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'GET', path: '/api/sdk/v1/resources', hadAuthorization: false });
    expect(result.detail).not.toContain(key);
  });

  it('401 means invalid (revoked or never valid)', async () => {
    const { result, requests } = await check('revoked');
    expect(result).toMatchObject({ status: 'invalid', http: 401 });
    expect(result.detail).toMatch(/HTTP 401.*revoked/);
    expect(requests).toBe(1);
  });

  it('403 means invalid', async () => {
    const { result } = await check('forbidden');
    expect(result).toMatchObject({ status: 'invalid', http: 403 });
  });

  it('a key nobody scripted is unknown to the API: invalid', async () => {
    const key = fakeKey('install');
    const result = await checkKey(key, { apiBase: new URL(api.url), timeoutMs: 500, retryBudgetMs: 0, fetch });
    expect(result.status).toBe('invalid');
  });

  it('429 with Retry-After is retried, then the real answer counts', async () => {
    const { result, requests } = await check({ kind: 'rate-limited', retryAfter: '0', times: 2, then: 'live' });
    expect(result.status).toBe('live');
    expect(requests).toBe(3);
  });

  it('429 then 401 ends invalid', async () => {
    const { result, requests } = await check({ kind: 'rate-limited', retryAfter: '0', then: 'revoked' });
    expect(result.status).toBe('invalid');
    expect(requests).toBe(2);
  });

  it('429 whose Retry-After is past the retry budget is unknown, without waiting', async () => {
    const started = Date.now();
    const { result, requests } = await check({ kind: 'rate-limited', retryAfter: '60' }, { retryBudgetMs: 500 });
    expect(result.status).toBe('unknown');
    expect(result.detail).toMatch(/429.*retry budget/);
    expect(requests).toBe(1);
    expect(Date.now() - started).toBeLessThan(400);
  });

  it('429 forever gives up after a bounded number of attempts', async () => {
    const { result, requests } = await check({ kind: 'rate-limited', retryAfter: '0', times: 100 });
    expect(result.status).toBe('unknown');
    expect(result.detail).toContain('429');
    expect(requests).toBe(MAX_ATTEMPTS);
  });

  it('429 with an HTTP-date Retry-After in the past is retried at once', async () => {
    const { result, requests } = await check({ kind: 'rate-limited', retryAfter: new Date(Date.now() - 5_000).toUTCString() });
    expect(result.status).toBe('live');
    expect(requests).toBe(2);
  });

  it('500 is unknown, not invalid', async () => {
    const { result, requests } = await check('server-error');
    expect(result).toEqual({ status: 'unknown', detail: 'server error (HTTP 500)' });
    expect(requests).toBe(1);
  });

  it('503 is unknown', async () => {
    const { result } = await check({ kind: 'server-error', status: 503 });
    expect(result.status).toBe('unknown');
    expect(result.detail).toContain('503');
  });

  it('an unexpected status (404) is unknown', async () => {
    const { result } = await check({ kind: 'status', status: 404 });
    expect(result).toEqual({ status: 'unknown', detail: 'unexpected answer (HTTP 404)' });
  });

  it('an answer slower than the timeout is unknown, and the client does not wait for it', async () => {
    const started = Date.now();
    const { result } = await check({ kind: 'slow', delayMs: 2_000 }, { timeoutMs: 200 });
    expect(result.status).toBe('unknown');
    expect(result.detail).toMatch(/200 ms.*timed out/);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('a slow answer within the timeout still counts', async () => {
    const { result } = await check({ kind: 'slow', delayMs: 50 }, { timeoutMs: 1_000 });
    expect(result.status).toBe('live');
  });

  it('a connection dropped before the answer is unknown', async () => {
    const { result } = await check('drop');
    expect(result.status).toBe('unknown');
    expect(result.detail).toMatch(/^network error/);
  });

  it('a 200 cut off mid-body is unknown, never live', async () => {
    const { result } = await check('drop-mid-response');
    expect(result.status).toBe('unknown');
    expect(result.detail).toMatch(/HTTP 200 but the answer was cut off/);
  });

  it('a redirect to another host is unknown and not followed', async () => {
    const other = await startMirraApiServer({ defaultBehaviour: 'live' });
    try {
      const { result, requests } = await check({ kind: 'redirect', location: `${other.url}/api/sdk/v1/resources` });
      expect(result.status).toBe('unknown');
      expect(result.detail).toContain(`another host (${other.url})`);
      expect(requests).toBe(1);
      expect(other.requests()).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('a redirect to another loopback address is unknown and not followed', async () => {
    const { result } = await check({ kind: 'redirect', location: 'http://127.0.0.2:1/' });
    expect(result.status).toBe('unknown');
    expect(result.detail).toContain('another host (http://127.0.0.2:1)');
  });

  it('a redirect on the same host is not followed either', async () => {
    const { result, requests } = await check({ kind: 'redirect', status: 301, location: '/api/sdk/v1/resources/' });
    expect(result.status).toBe('unknown');
    expect(result.detail).toMatch(/HTTP 301.*not followed/);
    expect(requests).toBe(1);
  });

  it('connection refused is unknown', async () => {
    const port = await unusedLoopbackPort();
    const result = await checkKey(fakeKey(), { apiBase: new URL(`http://127.0.0.1:${port}`), timeoutMs: 500, retryBudgetMs: 0, fetch });
    expect(result).toEqual({ status: 'unknown', detail: 'network error: connection refused (ECONNREFUSED)' });
  });

  it('a DNS failure is unknown (injected fetch; no name is looked up)', async () => {
    const calls: string[] = [];
    const failingFetch = (async (input: string | URL | Request) => {
      calls.push(String(input));
      const cause = Object.assign(new Error('getaddrinfo ENOTFOUND api.example.invalid'), { code: 'ENOTFOUND' });
      throw new TypeError('fetch failed', { cause });
    }) as typeof fetch;
    const result = await checkKey(fakeKey(), { apiBase: new URL('https://api.example.invalid'), timeoutMs: 500, retryBudgetMs: 0, fetch: failingFetch });
    expect(result).toEqual({ status: 'unknown', detail: 'network error: DNS lookup failed (ENOTFOUND)' });
    expect(calls).toEqual(['https://api.example.invalid/api/sdk/v1/resources']);
  });

  it('an error whose text holds the key is scrubbed before it becomes the detail', async () => {
    const key = fakeKey('test');
    const leakyFetch = (async () => {
      throw new Error(`header rejected: X-API-Key: ${key} (body ${key.slice('mirra_test_'.length)})`);
    }) as typeof fetch;
    const result = await checkKey(key, { apiBase: new URL(api.url), timeoutMs: 500, retryBudgetMs: 0, fetch: leakyFetch });
    expect(result.status).toBe('unknown');
    expect(result.detail).toContain('network error: header rejected');
    expect(result.detail).not.toContain(key);
    expect(result.detail).not.toContain(key.slice('mirra_test_'.length));
  });

  it('a string that is not key-shaped is never sent', async () => {
    const before = api.requests();
    const result = await checkKey('mirra_abc\r\nX-Evil: 1', { apiBase: new URL(api.url), timeoutMs: 500, retryBudgetMs: 0, fetch });
    expect(result.status).toBe('unknown');
    expect(api.requests()).toBe(before);
  });
});

describe('helpers', () => {
  it('parseRetryAfter reads seconds and HTTP dates, and ignores junk', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(new Date(now + 7_000).toUTCString(), now)).toBe(7_000);
    expect(parseRetryAfter(new Date(now - 7_000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('describeNetworkError names timeouts and socket errors', () => {
    expect(describeNetworkError(new DOMException('signal timed out', 'TimeoutError'), 300)).toBe('no answer within 300 ms (timed out)');
    expect(describeNetworkError(new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }), 1)).toBe(
      'network error: connection closed by the server (UND_ERR_SOCKET)',
    );
    expect(describeNetworkError(new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }), 1)).toBe(
      'network error: connection reset (ECONNRESET)',
    );
  });

  it('resourcesUrl keeps a base path prefix', () => {
    expect(resourcesUrl(new URL('https://api.example.test')).href).toBe('https://api.example.test/api/sdk/v1/resources');
    expect(resourcesUrl(new URL('https://proxy.example.test/mirra/')).href).toBe('https://proxy.example.test/mirra/api/sdk/v1/resources');
    expect(resourcesUrl(new URL('https://proxy.example.test/mirra')).href).toBe('https://proxy.example.test/mirra/api/sdk/v1/resources');
  });
});
