// Attack: a key must never leave the GitHub Action in full: not in the log (annotations, the range
// line, errors), not in the step outputs, not in the SARIF file, however the key was placed: in a
// line, in a file's name, in a commit message, base64-encoded, in a branch name the event reports.

import fs from 'node:fs';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { ActionRunner } from '../support/action-runner.js';
import { fakeKey } from '../support/fake-keys.js';
import { TempRepo } from '../support/git-repo.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let runner: ActionRunner;
let repo: TempRepo;
beforeAll(() => {
  runner = new ActionRunner();
  repo = new TempRepo({ prefix: 'mirra-action-attack-' });
});
afterAll(() => {
  runner.cleanup();
  repo.cleanup();
});

test('keys in lines, names, messages and encodings appear only redacted in the log, outputs and SARIF', () => {
  const keys = { line: fakeKey('script'), name: fakeKey('install'), message: fakeKey('test'), base64: fakeKey('script') };
  const base = repo.commitFiles({ 'README.md': '# app\n' }, 'base');
  repo.write('src/config.js', `export const k = '${keys.line}';\n`);
  repo.write(`fixtures/${keys.name}.json`, '{}\n');
  repo.write('src/encoded.js', `export const e = '${Buffer.from(keys.base64).toString('base64')}';\n`);
  repo.add();
  const head = repo.commit(`deploy with ${keys.message}`);

  const branch = `refs/heads/leak-${keys.line}`;
  for (const [event, payload] of [
    ['push', { before: base, after: head, ref: branch }],
    ['pull_request', { pull_request: { base: { sha: base }, head: { sha: head, ref: branch } } }],
  ] as const) {
    const run = runner.run(repo.dir, event, payload);
    expect(run.status, run.log).toBe(1);
    expect(Number(run.outputs.findings)).toBeGreaterThanOrEqual(3);
    const sarif = fs.readFileSync(repo.path('mirra-scan.sarif'), 'utf8');
    for (const key of Object.values(keys)) {
      expect(run.log).not.toContain(key);
      expect(JSON.stringify(run.outputs)).not.toContain(key);
      expect(sarif).not.toContain(key);
    }
  }
});
