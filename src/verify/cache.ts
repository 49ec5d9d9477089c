// The on-disk cache of verification results. Keyed by the key's SHA-256 and the API base it was
// checked against; it never holds a key, nor any text a server sent. Only `live` and `invalid`
// are kept: `unknown` means "ask again next time".

import { lstat, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Verification } from '../finding.js';

export const CACHE_FILE_NAME = 'verify-cache.json';
export const DEFAULT_CACHE_TTL_MS = 60 * 60 * 1000;

type CachedStatus = 'live' | 'invalid';

interface CacheEntry {
  status: CachedStatus;
  /** The HTTP status the API answered with (a number: no server text is stored). */
  http?: number;
  /** Epoch milliseconds of the check. */
  checkedAt: number;
}

interface CacheFile {
  version: 1;
  /** API base URL -> keySha256 -> entry. */
  apis: Record<string, Record<string, CacheEntry>>;
}

/**
 * Where the cache lives unless `cacheDir` says otherwise: `$MIRRA_SCAN_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/mirra-scan`, else the platform's cache folder (`~/Library/Caches/mirra-scan`,
 * `%LOCALAPPDATA%\mirra-scan\Cache`, `~/.cache/mirra-scan`).
 */
export function defaultCacheDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (env.MIRRA_SCAN_CACHE_DIR) return env.MIRRA_SCAN_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return path.join(env.XDG_CACHE_HOME, 'mirra-scan');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'mirra-scan');
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'mirra-scan', 'Cache');
  return path.join(home, '.cache', 'mirra-scan');
}

/**
 * Why the cache in `dir` must not be trusted, or `undefined` when it can be. A folder or file that
 * another user owns, or that group or others may write, could hold a planted `invalid` that turns a
 * live key into "already dead, nothing to revoke"; the cache file must be a plain file, not a link.
 * A folder that does not exist yet is fine: it is created 0700. (Not checked on Windows.)
 */
export async function untrustedCacheReason(dir: string): Promise<string | undefined> {
  const uid = process.getuid?.();
  if (uid === undefined) return undefined;
  const file = path.join(dir, CACHE_FILE_NAME);
  for (const [what, where, read] of [
    ['folder', dir, stat],
    ['file', file, lstat],
  ] as const) {
    let info;
    try {
      info = await read(where);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return `the verify cache ${what} ${where} cannot be checked (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
    }
    if (what === 'folder' ? !info.isDirectory() : !info.isFile()) return `the verify cache ${what} ${where} is not a plain ${what}`;
    if (info.uid !== uid) return `the verify cache ${what} ${where} belongs to another user (uid ${info.uid})`;
    if (info.mode & 0o022) return `the verify cache ${what} ${where} can be written by ${info.mode & 0o002 ? 'anyone' : 'its group'} (mode ${(info.mode & 0o777).toString(8)})`;
  }
  return undefined;
}

export class VerificationCache {
  private readonly added: CacheFile['apis'] = {};

  private constructor(
    readonly file: string,
    private readonly ttlMs: number,
    private readonly loaded: CacheFile,
    private readonly now: () => number,
  ) {}

  /** Reads the cache in `dir`; a missing, unreadable or malformed file is an empty cache. */
  static async open(dir: string, ttlMs: number, now: () => number = Date.now): Promise<VerificationCache> {
    const file = path.join(dir, CACHE_FILE_NAME);
    return new VerificationCache(file, ttlMs, await readCacheFile(file), now);
  }

  get(api: string, sha: string): Verification | undefined {
    const entry = this.added[api]?.[sha] ?? this.loaded.apis[api]?.[sha];
    if (!entry || !this.fresh(entry)) return undefined;
    const when = new Date(entry.checkedAt).toISOString();
    const what = entry.status === 'live' ? 'accepted by the API' : 'rejected by the API';
    const http = entry.http ? ` (HTTP ${entry.http})` : '';
    return { status: entry.status, detail: `${what}${http}; cached result from ${when}` };
  }

  /** Remembers a result; anything but `live` or `invalid` is not kept. */
  set(api: string, sha: string, status: Verification['status'], http?: number): void {
    if (status !== 'live' && status !== 'invalid') return;
    (this.added[api] ??= {})[sha] = { status, ...(http ? { http } : {}), checkedAt: this.now() };
  }

  get dirty(): boolean {
    return Object.keys(this.added).length > 0;
  }

  /**
   * Writes the new results, merged into what is on disk now (another run may have written since),
   * without expired entries. Atomic (write then rename) and private to the user (mode 0600).
   */
  async save(): Promise<void> {
    if (!this.dirty) return;
    const merged = await readCacheFile(this.file);
    for (const [api, entries] of Object.entries(this.added)) Object.assign((merged.apis[api] ??= {}), entries);
    for (const [api, entries] of Object.entries(merged.apis)) {
      for (const [sha, entry] of Object.entries(entries)) if (!this.fresh(entry)) delete entries[sha];
      if (Object.keys(entries).length === 0) delete merged.apis[api];
    }
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    // node:crypto is loaded only here: a scan without --verify never loads it.
    const { randomBytes } = process.getBuiltinModule('node:crypto');
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, JSON.stringify(merged) + '\n', { mode: 0o600 });
      await rename(tmp, this.file);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  private fresh(entry: CacheEntry): boolean {
    const age = this.now() - entry.checkedAt;
    return age >= 0 && age < this.ttlMs;
  }
}

async function readCacheFile(file: string): Promise<CacheFile> {
  const empty: CacheFile = { version: 1, apis: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return empty;
  }
  if (!isRecord(parsed) || parsed.version !== 1 || !isRecord(parsed.apis)) return empty;
  // Keep only well-formed entries, so a hand-edited or foreign file cannot smuggle text into output.
  for (const [api, entries] of Object.entries(parsed.apis)) {
    if (!isRecord(entries)) continue;
    for (const [sha, entry] of Object.entries(entries)) {
      if (!/^[0-9a-f]{64}$/.test(sha) || !isRecord(entry)) continue;
      const { status, http, checkedAt } = entry;
      if ((status !== 'live' && status !== 'invalid') || typeof checkedAt !== 'number') continue;
      (empty.apis[api] ??= {})[sha] = {
        status,
        ...(typeof http === 'number' && Number.isInteger(http) ? { http } : {}),
        checkedAt,
      };
    }
  }
  return empty;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
