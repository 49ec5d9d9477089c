// Attack class: a key smuggled into the API's URL (`--api-url`, MIRRA_API_URL, the config's
// verify.apiUrl), where it would be sent in the request line and written into the verify cache.
// Refused before anything is sent: exit 2, one masked line that names the setting it came from.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempRepo } from '../support/git-repo.js';
import { fakeKey } from '../support/fake-keys.js';
import { expectNoKey } from '../support/no-key.js';
import { startMirraApiServer, type MirraApiServer } from '../support/mirra-api-server.js';

const key = fakeKey('script', 90, 701);
const found = fakeKey('untyped', 80, 702);
const repo = new TempRepo({ prefix: 'mirra-attack-url-' });
const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-attack-url-cache-'));
let api: MirraApiServer;
beforeAll(async () => {
  api = await startMirraApiServer();
});
afterAll(async () => {
  await api.close();
  repo.cleanup();
  fs.rmSync(cache, { recursive: true, force: true });
});
repo.write('app.js', `const k = '${found}';\n`);
const env = (extra: NodeJS.ProcessEnv = {}) => ({ MIRRA_API_URL: '', MIRRA_SCAN_CACHE_DIR: cache, ...extra });

describe('a URL with a key in it is refused', () => {
  const forms = (base: string): Array<[string, string]> => [
    ['in the path', `${base}/${key}`],
    ['percent-encoded', `${base}/${encodeURIComponent(key).replace(/_/g, '%5F')}`],
    ['glued into a path segment', `${base}/proxy-${key}/`],
  ];

  it('--api-url, in each form', async () => {
    for (const [what, url] of forms(api.url)) {
      const r = repo.mirraScan(['scan', 'app.js', '--verify', '--api-url', url], { env: env() });
      expect(r.status, `${what}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/^mirra-scan: --api-url /);
      expectNoKey(r.stdout + r.stderr, key);
    }
    expect(api.requests()).toBe(0);
  });

  it('MIRRA_API_URL, blamed by its name', () => {
    const r = repo.mirraScan(['scan', 'app.js', '--verify'], { env: env({ MIRRA_API_URL: `${api.url}/${key}` }) });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^mirra-scan: MIRRA_API_URL /);
    expectNoKey(r.stdout + r.stderr, key);
    expect(api.requests()).toBe(0);
  });

  it('mirra-scan verify with MIRRA_API_URL', () => {
    const r = repo.mirraScan(['verify', found], { env: env({ MIRRA_API_URL: `${api.url}/${key}` }) });
    expect(r.status, r.stderr).toBe(2);
    expectNoKey(r.stdout + r.stderr, key);
    expect(api.requests()).toBe(0);
  });
});
