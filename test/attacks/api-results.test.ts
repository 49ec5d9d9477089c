// Attack: what eslint-plugin-mirra/scanner returns never holds a full key unless `reveal: true`,
// however it is serialised or inspected (JSON, util.inspect, structuredClone, string concatenation),
// and an error it throws never quotes one.

import { inspect } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { detectKeys, scanCommits, scanIndex, scanPaths, verifyKeys } from '../../src/scanner/index.js';
import { fakeKey } from '../support/fake-keys.js';
import { TempRepo } from '../support/git-repo.js';

let repo: TempRepo;
const key = fakeKey('script');
const nameKey = fakeKey('install');
beforeAll(() => {
  repo = new TempRepo({ prefix: 'mirra-api-attack-' });
  repo.commitFiles({ 'README.md': '# x\n' }, 'base');
  repo.commitFiles({ 'src/a.js': `const k = '${key}';\n`, [`fixtures/${nameKey}.json`]: '{}\n' }, `deploy ${key}`);
  repo.write('src/b.js', `const k = '${Buffer.from(key).toString('base64')}';\n`).add();
});
afterAll(() => repo.cleanup());

function expectNoKey(value: unknown): void {
  for (const text of [JSON.stringify(value), inspect(value, { depth: 20, showHidden: true }), String(value), JSON.stringify(structuredClone(value))]) {
    expect(text).not.toContain(key);
    expect(text).not.toContain(nameKey);
  }
}

test('reports of every scan, detected findings and verdicts hold only redacted keys', async () => {
  const reports = [
    await scanPaths(['.'], { cwd: repo.dir, ignore: false }),
    await scanIndex({ cwd: repo.dir }),
    await scanCommits('HEAD~1..HEAD', { cwd: repo.dir }),
    detectKeys(`a = "${key}"`),
    await verifyKeys([key], { apiUrl: 'http://127.0.0.1:9', cache: false, timeoutMs: 1000 }),
  ];
  expect((reports[0] as { findings: unknown[] }).findings.length).toBeGreaterThanOrEqual(2);
  for (const r of reports) expectNoKey(r);
});

test('an error about a revision that holds a key does not quote it', async () => {
  const error = await scanCommits(`${key}..HEAD`, { cwd: repo.dir }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  expectNoKey((error as Error).message);
});
