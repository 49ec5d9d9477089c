// Attack class: `ci` scanning nothing on a push that creates two branches at one commit
// (`git push origin HEAD:a HEAD:b`, both new, the same sha), in a plain clone with `origin/HEAD`. A
// new branch's range is "what no other remote branch has"; the other new branch points at the same
// commit, so every pushed commit counted as already on a remote and each run exited 0 with a key in
// them. Same when one new branch is ahead of the other (`HEAD~1:a HEAD:b`), and when the push creates
// the default branch and another one at once (the default branch's run must find the key).
// What must hold: each run finds the keys of the commits no branch outside the push has (a commit
// that a branch behind it in the same push has is that branch's run's) and exits 1; a branch created
// at the default branch's tip
// still scans nothing new (its commits are the default branch's, checked when they were pushed).

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { keySha256 } from '../../src/detector/redact.js';
import { fakeKey } from '../support/fake-keys.js';
import { HistoryRepo, runJson, tempDir } from '../support/history-repo.js';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const ZEROS = '0'.repeat(40);
const key = fakeKey('script', 81);
const early = fakeKey('install', 82);
let root: string;
let url: string;
let base: string;
let first: string;
let head: string;

beforeAll(() => {
  root = tempDir('mirra-ci-two-');
  HistoryRepo.init(path.join(root, 'origin.git'), true);
  url = 'file://' + path.join(root, 'origin.git');
  const dev = HistoryRepo.clone(url, path.join(root, 'dev'));
  dev.git('checkout', '-q', '-b', 'main');
  dev.write('README.md', '# app\n');
  base = dev.commit('first');
  dev.git('push', '-q', 'origin', 'main');
  dev.write('early.js', `const e = '${early}';\n`);
  first = dev.commit('a key one commit before the tip');
  dev.write('config.js', `const k = '${key}';\n`);
  head = dev.commit('a key at the tip');
  // One push, two new branches at one commit, and a third one commit behind them.
  dev.git('push', '-q', 'origin', `${head}:refs/heads/feature-a`, `${head}:refs/heads/feature-b`, `${first}:refs/heads/feature-c`, `${base}:refs/heads/from-main`);
}, 60_000);

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function github(clone: string, branch: string, after: string) {
  const file = path.join(root, `event-${branch}.json`);
  fs.writeFileSync(file, JSON.stringify({ before: ZEROS, after, ref: `refs/heads/${branch}`, created: true, deleted: false, forced: false }));
  return runJson(['ci'], clone, { CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: file, GITHUB_SHA: after });
}

function gitlab(clone: string, branch: string, after: string) {
  return runJson(['ci'], clone, { CI: 'true', GITLAB_CI: 'true', CI_COMMIT_SHA: after, CI_COMMIT_BEFORE_SHA: ZEROS, CI_COMMIT_BRANCH: branch, CI_COMMIT_REF_NAME: branch });
}

describe('a push that creates two branches at one commit, in a clone with origin/HEAD', () => {
  let clone: string;
  beforeAll(() => {
    clone = path.join(root, 'ci');
    HistoryRepo.clone(url, clone);
  });

  it('the clone has origin/HEAD and both new branches at the same commit (what made the range empty)', () => {
    const c = new HistoryRepo(clone);
    expect(c.git('symbolic-ref', 'refs/remotes/origin/HEAD').trim()).toBe('refs/remotes/origin/main');
    expect(c.git('rev-parse', 'origin/feature-a', 'origin/feature-b').trim().split('\n')).toEqual([head, head]);
  });

  // The commit below the tip is on feature-c too, whose own run reports its key.
  it.each(['feature-a', 'feature-b'])('GitHub, the run for %s: the key, exit 1', (branch) => {
    const r = github(clone, branch, head);
    expect(r.status, r.stderr).toBe(1);
    expect(r.findings.map((f) => f.keySha256)).toEqual([keySha256(key)]);
  });

  it.each(['feature-a', 'feature-b'])('GitLab, the pipeline for %s: the key, exit 1', (branch) => {
    const r = gitlab(clone, branch, head);
    expect(r.status, r.stderr).toBe(1);
    expect(r.findings.map((f) => f.keySha256)).toEqual([keySha256(key)]);
  });

  it('the branch created one commit behind the others: its key, exit 1', () => {
    const r = github(clone, 'feature-c', first);
    expect(r.status, r.stderr).toBe(1);
    expect(r.findings.map((f) => f.keySha256)).toEqual([keySha256(early)]);
  });

  it("a branch created at the default branch's tip scans nothing new", () => {
    const r = github(clone, 'from-main', base);
    expect(r.status, r.stderr).toBe(0);
    expect(r.findings).toEqual([]);
  });
});

describe('a push that creates the default branch and another branch at one commit', () => {
  let clone: string;
  beforeAll(() => {
    const origin = path.join(root, 'origin2.git');
    HistoryRepo.init(origin, true);
    const url2 = 'file://' + origin;
    const dev = HistoryRepo.clone(url2, path.join(root, 'dev2'));
    dev.git('checkout', '-q', '-b', 'main');
    dev.write('config.js', `const k = '${key}';\n`);
    const tip = dev.commit('a key in the first push');
    dev.git('push', '-q', 'origin', `${tip}:refs/heads/main`, `${tip}:refs/heads/develop`);
    clone = path.join(root, 'ci2');
    HistoryRepo.clone(url2, clone);
  });

  it("the default branch's run finds the key, exit 1", () => {
    const c = new HistoryRepo(clone);
    expect(c.git('symbolic-ref', 'refs/remotes/origin/HEAD').trim()).toBe('refs/remotes/origin/main');
    const tip = c.git('rev-parse', 'origin/main').trim();
    const r = github(clone, 'main', tip);
    expect(r.status, r.stderr).toBe(1);
    expect(r.findings.map((f) => f.keySha256)).toEqual([keySha256(key)]);
  });
});
