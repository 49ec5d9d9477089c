// Asks the Mirra API whether one key works: `GET {base}/api/sdk/v1/resources` with `X-API-Key`.
// Three outcomes, never two: a network error or an odd answer is `unknown`, not `invalid`.

import type { Verification } from '../finding.js';
import { resourcesUrl } from './url.js';
import { scrubSecrets } from './scrub.js';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_RETRY_BUDGET_MS = 10_000;
/** At most this many requests per key, however generous the retry budget. */
export const MAX_ATTEMPTS = 4;
/** The wait after a 429 without a usable Retry-After header (doubled on each retry). */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 1_000;
/** A 2xx body is read to its end (so a cut-off answer is not taken as `live`), up to this size. */
const MAX_BODY_BYTES = 1 << 20;

/** A key is sent only if it looks like one: this also keeps header injection out. */
const SENDABLE_KEY = /^mirra_[0-9A-Za-z_]{1,200}$/;

export interface CheckOptions {
  /** Already checked by `assertSafeApiUrl`. */
  apiBase: URL;
  timeoutMs: number;
  retryBudgetMs: number;
  fetch: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface KeyCheck extends Verification {
  /** The HTTP status behind a `live` or `invalid` answer (what the cache keeps). */
  http?: number;
}

export async function checkKey(key: string, options: CheckOptions): Promise<KeyCheck> {
  if (!SENDABLE_KEY.test(key)) return { status: 'unknown', detail: 'not shaped like a Mirra key; not sent' };
  const { apiBase, timeoutMs, retryBudgetMs, fetch: fetchImpl } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const url = resourcesUrl(apiBase);
  const started = now();
  const scrub = (text: string) => scrubSecrets(text, [key]);

  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method: 'GET',
        headers: { 'X-API-Key': key, Accept: 'application/json', 'User-Agent': 'mirra-scan' },
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      return { status: 'unknown', detail: scrub(describeNetworkError(error, timeoutMs)) };
    }
    const http = response.status;

    if (http >= 200 && http < 300) {
      try {
        await readBounded(response);
      } catch (error) {
        return { status: 'unknown', detail: scrub(`HTTP ${http} but the answer was cut off: ${describeNetworkError(error, timeoutMs)}`) };
      }
      return { status: 'live', detail: `accepted by the API (HTTP ${http})`, http };
    }
    await discard(response);

    if (http === 401 || http === 403) {
      return { status: 'invalid', detail: `rejected by the API (HTTP ${http}): revoked or never valid`, http };
    }
    if (http >= 300 && http < 400) {
      return { status: 'unknown', detail: scrub(describeRedirect(http, response.headers.get('location'), url)) };
    }
    if (http === 429) {
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'), now());
      const wait = retryAfter ?? DEFAULT_RATE_LIMIT_WAIT_MS * 2 ** (attempt - 1);
      const elapsed = now() - started;
      if (attempt >= MAX_ATTEMPTS) {
        return { status: 'unknown', detail: `rate limited (HTTP 429) after ${attempt} attempts` };
      }
      if (elapsed + wait > retryBudgetMs) {
        return {
          status: 'unknown',
          detail: `rate limited (HTTP 429); waiting ${Math.ceil(wait / 1000)} s would exceed the retry budget of ${retryBudgetMs} ms`,
        };
      }
      await sleep(wait);
      continue;
    }
    if (http >= 500) return { status: 'unknown', detail: `server error (HTTP ${http})` };
    return { status: 'unknown', detail: `unexpected answer (HTTP ${http})` };
  }
}

/** Milliseconds to wait from a Retry-After header (seconds or an HTTP date); undefined if absent or unusable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function describeRedirect(http: number, location: string | null, from: URL): string {
  if (!location) return `redirect (HTTP ${http}) without a Location; not followed`;
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    return `redirect (HTTP ${http}) to an invalid Location; not followed`;
  }
  // Only the origin is reported: a Location's path or query is the server's text and could hold anything.
  if (target.origin !== from.origin) {
    return `redirect (HTTP ${http}) to another host (${target.origin}); not followed, the key was not sent there`;
  }
  return `redirect (HTTP ${http}) within ${from.origin}; redirects are not followed`;
}

/** One line saying why a request failed, from the error Node's fetch (undici) throws. */
export function describeNetworkError(error: unknown, timeoutMs: number): string {
  const err = error as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown } | null;
  if (err && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms (timed out)` : 'request aborted';
  }
  const cause = (err?.cause ?? err) as { code?: unknown; message?: unknown; name?: unknown } | null;
  if (cause && cause.name === 'TimeoutError') return `no answer within ${timeoutMs} ms (timed out)`;
  const code = typeof cause?.code === 'string' ? cause.code : typeof err?.code === 'string' ? err.code : undefined;
  const meaning = code ? NETWORK_CODES[code] ?? (code.startsWith('ERR_TLS') || code.includes('CERT') ? 'TLS problem' : undefined) : undefined;
  if (code && meaning) return `network error: ${meaning} (${code})`;
  const message = typeof cause?.message === 'string' && cause.message ? cause.message : typeof err?.message === 'string' ? err.message : String(error);
  return `network error: ${message}${code ? ` (${code})` : ''}`;
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ENOTFOUND: 'DNS lookup failed',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
  UND_ERR_BODY_TIMEOUT: 'answer stalled',
  UND_ERR_CLOSED: 'connection closed',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'answer cut off',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host',
};

async function readBounded(response: Response): Promise<void> {
  if (!response.body) return;
  const reader = response.body.getReader();
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    total += value.byteLength;
    if (total > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      return;
    }
  }
}

async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // the connection is gone already; nothing to free
  }
}
