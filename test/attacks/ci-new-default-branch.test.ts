// Attack class: `ci` scanning nothing on the push that creates the default branch. A plain
// `git clone` (as many CI systems check out) has `origin/HEAD` pointing at the branch just pushed;
// the new-branch range excluded the branch but not `origin/HEAD`, so every pushed commit counted as
// "already on a remote" and `ci` exited 0 with a key in them. Same with GitLab's all-zero before.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { keySha256 } from '../../src/detector/redact.js';
import { fakeKey } from '../support/fake-keys.js';
import { HistoryRepo, runJson, tempDir } from '../support/history-repo.js';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const ZEROS = '0'.repeat(40);
const key = fakeKey('script', 80);
let root: string;
let head: string;
let clone: string;

beforeAll(() => {
  root = tempDir('mirra-ci-first-');
  HistoryRepo.init(path.join(root, 'origin.git'), true);
  const url = 'file://' + path.join(root, 'origin.git');
  const dev = HistoryRepo.clone(url, path.join(root, 'dev'));
  dev.git('checkout', '-q', '-b', 'main');
  dev.write('README.md', '# app\n').commit('first');
  dev.write('config.js', `const k = '${key}';\n`);
  head = dev.commit('a key in the first push');
  dev.git('push', '-q', 'origin', 'main');
  clone = path.join(root, 'ci');
  HistoryRepo.clone(url, clone);
}, 60_000);

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('the push that creates the default branch, in a clone with origin/HEAD', () => {
  it('the clone has origin/HEAD (what made the range empty)', () => {
    expect(new HistoryRepo(clone).git('symbolic-ref', 'refs/remotes/origin/HEAD').trim()).toBe('refs/remotes/origin/main');
  });

  it('GitHub: before is all zeros', () => {
    const file = path.join(root, 'event.json');
    fs.writeFileSync(file, JSON.stringify({ before: ZEROS, after: head, ref: 'refs/heads/main', created: true, deleted: false, forced: false }));
    const r = runJson(['ci'], clone, { CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: file, GITHUB_SHA: head });
    expect(r.status, r.stderr).toBe(1);
    expect(r.findings.map((f) => f.keySha256)).toEqual([keySha256(key)]);
  });

  it('GitLab: CI_COMMIT_BEFORE_SHA is all zeros', () => {
    const r = runJson(['ci'], clone, { CI: 'true', GITLAB_CI: 'true', CI_COMMIT_SHA: head, CI_COMMIT_BEFORE_SHA: ZEROS, CI_COMMIT_BRANCH: 'main', CI_COMMIT_REF_NAME: 'main' });
    expect(r.status, r.stderr).toBe(1);
    expect(r.findings.map((f) => f.keySha256)).toEqual([keySha256(key)]);
  });
});
