// Is the key live? Checks each distinct key once against the Mirra API, with bounded concurrency,
// a per-request timeout and an on-disk cache keyed by the key's SHA-256. Nothing is sent unless a
// caller asks (`--verify`, `mirra-scan verify`), and only to a base URL `assertSafeApiUrl` accepts.

import pLimit from 'p-limit';
import { keySha256 } from '../detector/redact.js';
import { UsageError } from '../errors.js';
import { secretOf, type Finding, type Verification } from '../finding.js';
import { DEFAULT_CACHE_TTL_MS, VerificationCache, defaultCacheDir, untrustedCacheReason } from './cache.js';
import { DEFAULT_RETRY_BUDGET_MS, DEFAULT_TIMEOUT_MS, checkKey } from './client.js';
import { assertSafeApiUrl } from './url.js';

export { DEFAULT_API_URL, assertSafeApiUrl, isLoopbackHost } from './url.js';
export { DEFAULT_CACHE_TTL_MS, CACHE_FILE_NAME, defaultCacheDir } from './cache.js';
export { DEFAULT_RETRY_BUDGET_MS, DEFAULT_TIMEOUT_MS, MAX_ATTEMPTS } from './client.js';

export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 64;

export interface VerifyOptions {
  /** The API base URL; must pass `assertSafeApiUrl`. */
  apiUrl: string;
  /** Per request, in ms (default 10 000). */
  timeoutMs?: number;
  /** Requests in flight at once (default 4, at most 64). */
  concurrency?: number;
  /** Use the on-disk cache (default true; `--no-cache` sets false). */
  cache?: boolean;
  /** Where the cache file lives (default `defaultCacheDir()`). */
  cacheDir?: string;
  /** How long a `live` or `invalid` result is reused, in ms (default one hour). */
  cacheTtlMs?: number;
  /** How long one key may spend waiting on 429 Retry-After, in ms (default 10 000). */
  retryBudgetMs?: number;
  /** The fetch to use (default Node's global fetch); for tests. */
  fetch?: typeof fetch;
  /** Where warnings go (a cache that cannot be trusted); default: a line on stderr. */
  warn?: (message: string) => void;
}

/**
 * Checks each distinct key once. Returns one result per key, by its SHA-256. Throws a UsageError
 * (before anything is sent) if the URL or an option is unacceptable.
 */
export async function verifyKeys(keys: Iterable<string>, options: VerifyOptions): Promise<Map<string, Verification>> {
  const apiBase = assertSafeApiUrl(options.apiUrl);
  const timeoutMs = positiveInteger(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'timeout');
  const concurrency = positiveInteger(options.concurrency ?? DEFAULT_CONCURRENCY, 'concurrency');
  if (concurrency > MAX_CONCURRENCY) throw new UsageError(`concurrency must be at most ${MAX_CONCURRENCY}`);
  const retryBudgetMs = nonNegative(options.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS, 'retry budget');
  const cacheTtlMs = nonNegative(options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS, 'cache TTL');
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const api = apiBase.href;

  const distinct = new Map<string, string>();
  for (const key of keys) {
    const sha = keySha256(key);
    if (!distinct.has(sha)) distinct.set(sha, key);
  }
  const results = new Map<string, Verification>();
  if (distinct.size === 0) return results;

  const cache = options.cache === false ? undefined : await openTrustedCache(options.cacheDir ?? defaultCacheDir(), cacheTtlMs, options.warn ?? warnOnStderr);
  const limit = pLimit(concurrency);
  await Promise.all(
    [...distinct].map(([sha, key]) => {
      const cached = cache?.get(api, sha);
      if (cached) {
        results.set(sha, cached);
        return undefined;
      }
      return limit(async () => {
        const { http, ...verification } = await checkKey(key, { apiBase, timeoutMs, retryBudgetMs, fetch: fetchImpl });
        results.set(sha, verification);
        cache?.set(api, sha, verification.status, http);
      });
    }),
  );
  try {
    await cache?.save();
  } catch {
    // An unwritable cache costs a request next time, nothing more; the results stand.
  }
  // In the order the keys came in.
  return new Map([...distinct.keys()].map((sha) => [sha, results.get(sha)!]));
}

/**
 * Sets `verification` on every finding, checking each distinct key once. Hints depend on the status:
 * attach them afterwards (`attachHints`), as the CLI does.
 */
export async function verifyFindings(findings: Finding[], options: VerifyOptions): Promise<void> {
  const results = await verifyKeys(
    findings.map((f) => secretOf(f)),
    options,
  );
  for (const finding of findings) {
    const verification = results.get(keySha256(secretOf(finding)));
    if (!verification) continue;
    finding.verification = { ...verification };
  }
}

/** The cache in `dir`, or none (with a warning) when someone else could have written it. */
async function openTrustedCache(dir: string, ttlMs: number, warn: (message: string) => void): Promise<VerificationCache | undefined> {
  const untrusted = await untrustedCacheReason(dir);
  if (untrusted === undefined) return VerificationCache.open(dir, ttlMs);
  warn(`${untrusted}: it is ignored (neither read nor written); remove it, or fix its owner and mode (0700 folder, 0600 file)`);
  return undefined;
}

function warnOnStderr(message: string): void {
  process.stderr.write(`mirra-scan: warning: ${message}\n`);
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${what} must be a positive whole number`);
  return value;
}

function nonNegative(value: number, what: string): number {
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`${what} must be zero or more`);
  return value;
}
