// eslint-plugin-mirra/scanner in a real repository: each scan returns what the matching CLI command
// prints with --format json; verifyKeys against the test API on 127.0.0.1; errors are MirraScanError.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { detectKeys, MirraScanError, scanCommits, scanIndex, scanPaths, verifyKeys } from '../../src/scanner/index.js';
import { fakeKey } from '../support/fake-keys.js';
import { TempRepo } from '../support/git-repo.js';
import { startMirraApiServer, type MirraApiServer } from '../support/mirra-api-server.js';

let repo: TempRepo;
let api: MirraApiServer;
const keys = { committed: fakeKey('script'), staged: fakeKey('install'), live: fakeKey('test'), revoked: fakeKey('script') };
let base: string;
let head: string;

beforeAll(async () => {
  repo = new TempRepo({ prefix: 'mirra-api-' });
  base = repo.commitFiles({ 'README.md': '# app\n' }, 'base');
  head = repo.commitFiles({ 'src/a.js': `const k = '${keys.committed}';\n` }, 'key');
  repo.write('src/b.js', `const k = '${keys.staged}';\n`).add('src/b.js');
  api = await startMirraApiServer({ keys: [[keys.live, 'live'], [keys.revoked, 'revoked']] });
});
afterAll(async () => {
  repo.cleanup();
  await api.close();
});

/** The CLI's JSON report for the same scan, without the duration. */
function cliReport(args: string[]): unknown {
  const r = repo.mirraScan([...args, '--format', 'json']);
  return withoutTimes(JSON.parse(r.stdout));
}
function withoutTimes(report: unknown): unknown {
  const r = structuredClone(report) as { stats: { durationMs: number } };
  r.stats.durationMs = 0;
  return r;
}

describe('each scan returns the JSON report of its CLI command', () => {
  test('scanPaths = mirra-scan scan', async () => {
    expect(withoutTimes(await scanPaths(['src'], { cwd: repo.dir }))).toEqual(cliReport(['scan', 'src']));
  });
  test('scanIndex = mirra-scan staged', async () => {
    const report = await scanIndex({ cwd: repo.dir });
    expect(report.findings.map((f) => f.file)).toEqual(['src/b.js']);
    expect(withoutTimes(report)).toEqual(cliReport(['staged']));
  });
  test('scanCommits = mirra-scan diff', async () => {
    const report = await scanCommits(`${base}..${head}`, { cwd: repo.dir });
    expect(report.findings.map((f) => [f.file, f.commit])).toEqual([['src/a.js', head]]);
    expect(withoutTimes(report)).toEqual(cliReport(['diff', `${base}..${head}`]));
  });
  test('reveal: true adds the key; the default never has it', async () => {
    const plain = await scanPaths(['src/a.js'], { cwd: repo.dir });
    expect(plain.findings[0].key).toBeUndefined();
    const revealed = await scanPaths(['src/a.js'], { cwd: repo.dir, reveal: true });
    expect(revealed.findings[0].key).toBe(keys.committed);
  });
});

describe('detectKeys and verifyKeys', () => {
  test('detectKeys on a string and on bytes', () => {
    const text = `const a = '${keys.committed}';\n`;
    const fromText = detectKeys(text, { file: 'x.js' });
    const fromBytes = detectKeys(new TextEncoder().encode(text), { file: 'x.js' });
    expect(fromText).toHaveLength(1);
    expect(fromBytes).toEqual(fromText);
    expect(fromText[0]).toMatchObject({ file: 'x.js', line: 1, keyType: 'script', encoding: 'plain' });
    expect(fromText[0].hint).not.toBe('');
    expect(detectKeys(`const a = '${keys.committed}'; // mirra-scan:allow`)).toEqual([]);
  });
  test('verifyKeys: live, invalid, and unknown when the API cannot be reached', async () => {
    const verdicts = await verifyKeys([keys.live, keys.revoked], { apiUrl: api.url, cache: false });
    expect(verdicts.map((v) => v.status)).toEqual(['live', 'invalid']);
    expect(JSON.stringify(verdicts)).not.toContain(keys.live);
    const down = await verifyKeys([keys.live], { apiUrl: 'http://127.0.0.1:9', cache: false, timeoutMs: 2000 });
    expect(down[0].status).toBe('unknown');
  });
  test('errors are MirraScanError with one line: a bad range, a non-loopback http URL, not a repository', async () => {
    await expect(scanCommits('--output=x', { cwd: repo.dir })).rejects.toBeInstanceOf(MirraScanError);
    await expect(verifyKeys([keys.live], { apiUrl: 'http://example.com' })).rejects.toBeInstanceOf(MirraScanError);
    const outside = repo.path('..');
    await expect(scanIndex({ cwd: outside })).rejects.toThrow(MirraScanError);
  });
});
