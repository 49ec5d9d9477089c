// Attack class: a verify cache someone else can write. A planted `invalid` would turn a live key
// into "already dead, nothing to revoke". A cache folder or file that is not the user's own, or
// that group or others may write, is ignored with a warning; a new cache folder is created 0700.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keySha256 } from '../../src/detector/index.js';
import { CACHE_FILE_NAME } from '../../src/verify/index.js';
import { CLI } from '../support/git-repo.js';
import { fakeKey } from '../support/fake-keys.js';
import { startMirraApiServer, type MirraApiServer } from '../support/mirra-api-server.js';

const key = fakeKey('script', 90, 901);
let api: MirraApiServer;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-attack-cache-'));
beforeAll(async () => {
  api = await startMirraApiServer({ keys: [[key, 'live']] });
});
afterAll(async () => {
  await api.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** A cache folder with a planted `invalid` for the key, with the given modes. */
function planted(name: string, dirMode: number, fileMode: number): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { mode: 0o700 });
  const file = path.join(dir, CACHE_FILE_NAME);
  const entry = { status: 'invalid', http: 401, checkedAt: Date.now() };
  fs.writeFileSync(file, JSON.stringify({ version: 1, apis: { [new URL(api.url).href]: { [keySha256(key)]: entry } } }));
  fs.chmodSync(file, fileMode);
  fs.chmodSync(dir, dirMode);
  return dir;
}

/** `mirra-scan verify KEY` (run asynchronously: the API server lives in this process). */
async function verify(cacheDir: string) {
  const r = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [CLI, 'verify', key, '--format', 'json', '--api-url', api.url], { cwd: root, env: { ...process.env, MIRRA_SCAN_CACHE_DIR: cacheDir, MIRRA_API_URL: '' } }, (_e, stdout, stderr) =>
      resolve({ stdout, stderr }),
    );
  });
  const status = r.stdout ? (JSON.parse(r.stdout) as { results: Array<{ verification: { status: string } }> }).results[0].verification.status : undefined;
  return { ...r, verdict: status };
}

describe('a verify cache someone else could have written is not trusted', () => {
  it('a folder anyone may write: ignored, with a warning; the key is asked about', async () => {
    const r = await verify(planted('world-dir', 0o777, 0o600));
    expect(r.verdict, r.stderr).toBe('live');
    expect(r.stderr).toMatch(/warning: the verify cache folder .* can be written by anyone .*ignored/);
  });

  it('a file its group may write: ignored, with a warning', async () => {
    const r = await verify(planted('group-file', 0o700, 0o660));
    expect(r.verdict, r.stderr).toBe('live');
    expect(r.stderr).toMatch(/warning: the verify cache file .* can be written by its group/);
  });

  it.runIf(process.getuid?.() === 0)('a folder and file another user owns: ignored (needs root to set up)', async () => {
    const dir = planted('foreign', 0o700, 0o600);
    fs.chownSync(path.join(dir, CACHE_FILE_NAME), 65534, 65534);
    fs.chownSync(dir, 65534, 65534);
    const r = await verify(dir);
    expect(r.verdict, r.stderr).toBe('live');
    expect(r.stderr).toMatch(/belongs to another user/);
  });

  it('the user’s own private cache is still used', async () => {
    const r = await verify(planted('own', 0o700, 0o600));
    expect(r.verdict, r.stderr).toBe('invalid');
    expect(r.stderr).not.toMatch(/warning/);
  });

  it('a new cache folder is created 0700, its file 0600', async () => {
    const dir = path.join(root, 'fresh', 'mirra-scan');
    expect((await verify(dir)).verdict).toBe('live');
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, CACHE_FILE_NAME)).mode & 0o777).toBe(0o600);
  });
});
