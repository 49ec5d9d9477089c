// The on-disk cache: keyed by keySha256, never holding a key; live and invalid kept for a TTL,
// unknown never kept; off with `cache: false`.

import { mkdtemp, readFile, rm, stat, writeFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keySha256 } from '../../src/detector/redact.js';
import { CACHE_FILE_NAME, defaultCacheDir, verifyKeys } from '../../src/verify/index.js';
import { fakeKey } from '../support/fake-keys.js';
import { startMirraApiServer, type MirraApiServer } from '../support/mirra-api-server.js';

let api: MirraApiServer;
let dir: string;
beforeAll(async () => {
  api = await startMirraApiServer();
});
afterAll(async () => {
  await api.close();
});
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mirra-verify-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cacheFile = () => path.join(dir, CACHE_FILE_NAME);

describe('verification cache', () => {
  it('holds hashes and statuses, never a key (nor its hex body)', async () => {
    const live = fakeKey('script', 100);
    const dead = fakeKey('untyped', 64);
    api.setBehaviour(live, 'live');
    api.setBehaviour(dead, 'revoked');
    await verifyKeys([live, dead], { apiUrl: api.url, cacheDir: dir });
    const text = await readFile(cacheFile(), 'utf8');
    for (const key of [live, dead]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(key.replace(/^mirra_(script_)?/, ''));
      expect(text).toContain(keySha256(key));
    }
    expect(text).not.toMatch(/mirra_/);
    const parsed = JSON.parse(text);
    expect(parsed.apis[new URL(api.url).href][keySha256(live)]).toMatchObject({ status: 'live', http: 200 });
    expect(parsed.apis[new URL(api.url).href][keySha256(dead)]).toMatchObject({ status: 'invalid', http: 401 });
  });

  it('a second run answers from the cache without a request, and says so', async () => {
    const key = fakeKey();
    api.setBehaviour(key, 'live');
    await verifyKeys([key], { apiUrl: api.url, cacheDir: dir });
    const again = await verifyKeys([key], { apiUrl: api.url, cacheDir: dir });
    expect(api.requests(key)).toBe(1);
    expect(again.get(keySha256(key))?.status).toBe('live');
    expect(again.get(keySha256(key))?.detail).toMatch(/cached result from \d{4}-/);
  });

  it('never keeps unknown', async () => {
    const key = fakeKey();
    api.setBehaviour(key, 'server-error');
    await verifyKeys([key], { apiUrl: api.url, cacheDir: dir });
    await verifyKeys([key], { apiUrl: api.url, cacheDir: dir });
    expect(api.requests(key)).toBe(2);
    const files = await readdir(dir);
    expect(files).toEqual([]);
  });

  it('cache: false neither reads nor writes', async () => {
    const key = fakeKey();
    api.setBehaviour(key, 'live');
    await verifyKeys([key], { apiUrl: api.url, cacheDir: dir });
    await verifyKeys([key], { apiUrl: api.url, cacheDir: dir, cache: false });
    expect(api.requests(key)).toBe(2);
    await rm(cacheFile());
    await verifyKeys([key], { apiUrl: api.url, cacheDir: dir, cache: false });
    expect(await readdir(dir)).toEqual([]);
  });

  it('asks again once the TTL has passed', async () => {
    const key = fakeKey();
    api.setBehaviour(key, 'revoked');
    await verifyKeys([key], { apiUrl: api.url, cacheDir: dir, cacheTtlMs: 3000 });
    await verifyKeys([key], { apiUrl: api.url, cacheDir: dir, cacheTtlMs: 3000 });
    expect(api.requests(key)).toBe(1);
    await new Promise((r) => setTimeout(r, 3100));
    await verifyKeys([key], { apiUrl: api.url, cacheDir: dir, cacheTtlMs: 3000 });
    expect(api.requests(key)).toBe(2);
  });

  it('keeps results apart per API base URL', async () => {
    const other = await startMirraApiServer({ defaultBehaviour: 'revoked' });
    try {
      const key = fakeKey();
      api.setBehaviour(key, 'live');
      const a = await verifyKeys([key], { apiUrl: api.url, cacheDir: dir });
      const b = await verifyKeys([key], { apiUrl: other.url, cacheDir: dir });
      expect(a.get(keySha256(key))?.status).toBe('live');
      expect(b.get(keySha256(key))?.status).toBe('invalid');
      expect(other.requests(key)).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('ignores a corrupt or foreign cache file and replaces it', async () => {
    const key = fakeKey();
    api.setBehaviour(key, 'live');
    await writeFile(cacheFile(), '{ not json');
    const results = await verifyKeys([key], { apiUrl: api.url, cacheDir: dir });
    expect(results.get(keySha256(key))?.status).toBe('live');
    expect(JSON.parse(await readFile(cacheFile(), 'utf8')).version).toBe(1);

    // A hand-made entry with text of its own is dropped, not shown.
    const sha = keySha256(fakeKey());
    await writeFile(cacheFile(), JSON.stringify({ version: 1, apis: { [new URL(api.url).href]: { [sha]: { status: 'maybe', checkedAt: Date.now() } } } }));
    const other = fakeKey();
    api.setBehaviour(other, 'revoked');
    await verifyKeys([other], { apiUrl: api.url, cacheDir: dir });
    expect(await readFile(cacheFile(), 'utf8')).not.toContain(sha);
  });

  it.skipIf(process.platform === 'win32')('is private to the user (mode 0600)', async () => {
    const key = fakeKey();
    api.setBehaviour(key, 'live');
    await verifyKeys([key], { apiUrl: api.url, cacheDir: path.join(dir, 'nested') });
    expect((await stat(path.join(dir, 'nested', CACHE_FILE_NAME))).mode & 0o777).toBe(0o600);
  });

  it('an unwritable cache does not fail the check', async () => {
    const key = fakeKey();
    api.setBehaviour(key, 'live');
    const blocker = path.join(dir, 'a-file');
    await writeFile(blocker, '');
    const results = await verifyKeys([key], { apiUrl: api.url, cacheDir: path.join(blocker, 'sub') });
    expect(results.get(keySha256(key))?.status).toBe('live');
  });
});

describe('defaultCacheDir', () => {
  it('prefers MIRRA_SCAN_CACHE_DIR, then XDG_CACHE_HOME, then the platform folder', () => {
    expect(defaultCacheDir({ MIRRA_SCAN_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' }, 'linux', '/home/u')).toBe('/c');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x' }, 'linux', '/home/u')).toBe(path.join('/x', 'mirra-scan'));
    expect(defaultCacheDir({}, 'linux', '/home/u')).toBe(path.join('/home/u', '.cache', 'mirra-scan'));
    expect(defaultCacheDir({}, 'darwin', '/Users/u')).toBe(path.join('/Users/u', 'Library', 'Caches', 'mirra-scan'));
    expect(defaultCacheDir({ LOCALAPPDATA: 'C:\\L' }, 'win32', 'C:\\U')).toBe(path.join('C:\\L', 'mirra-scan', 'Cache'));
  });
});
