// `mirra-scan ci` under the environments of Bitbucket Pipelines, Azure Pipelines, Jenkins (the git
// plugin's variables), CircleCI, Buildkite, and GitHub's merge_group event: each reads its range from
// the variables that system sets, on a real clone; where the system gives no range, exit 2 and --since.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { keySha256 } from '../../src/detector/redact.js';
import { fakeKey } from '../support/fake-keys.js';
import { HistoryRepo, runCli, runJson, tempDir } from '../support/history-repo.js';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

// main: c0, c1 (adds key a). feature, from c1: c2 (adds key c). The CI clone has both as origin/*.
const keys = { a: fakeKey('script', 80), c: fakeKey('install', 90) };
const sha = (k: keyof typeof keys) => keySha256(keys[k]);
const commits: Record<string, string> = {};
let root: string;
let clone: string;

beforeAll(() => {
  root = tempDir('mirra-ci-systems-');
  HistoryRepo.init(path.join(root, 'origin.git'), true);
  const url = 'file://' + path.join(root, 'origin.git');
  const dev = HistoryRepo.clone(url, path.join(root, 'dev'));
  dev.git('checkout', '-q', '-b', 'main');
  commits.c0 = dev.write('README.md', '# app\n').commit('c0');
  commits.c1 = dev.write('a.js', `const k = '${keys.a}';\n`).commit('c1');
  dev.git('push', '-q', 'origin', 'main');
  dev.git('checkout', '-q', '-b', 'feature');
  commits.c2 = dev.write('c.js', `const k = '${keys.c}';\n`).commit('c2');
  dev.git('push', '-q', 'origin', 'feature');
  clone = HistoryRepo.clone(url, path.join(root, 'ci'), '--branch', 'feature').dir;
}, 60_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const found = (env: NodeJS.ProcessEnv) => {
  const r = runJson(['ci'], clone, { CI: 'true', ...env });
  expect(r.status, r.stderr).not.toBe(2);
  return { keys: r.findings.map((f) => f.keySha256).sort(), log: r.stderr };
};
const refused = (env: NodeJS.ProcessEnv) => {
  const r = runCli(['ci'], clone, { CI: 'true', ...env });
  expect(r.status).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  return r.stderr;
};

describe('Bitbucket Pipelines', () => {
  const bb = (vars: NodeJS.ProcessEnv) => ({ BITBUCKET_BUILD_NUMBER: '12', BITBUCKET_BRANCH: 'feature', ...vars });
  it('pull request: BITBUCKET_PR_DESTINATION_COMMIT (a short sha)..BITBUCKET_COMMIT', () => {
    const r = found(bb({ BITBUCKET_COMMIT: commits.c2, BITBUCKET_PR_ID: '4', BITBUCKET_PR_DESTINATION_BRANCH: 'main', BITBUCKET_PR_DESTINATION_COMMIT: commits.c1.slice(0, 12) }));
    expect(r.keys).toEqual([sha('c')]);
    expect(r.log).toContain('Bitbucket pull request #4');
  });
  it('a branch pipeline has no previous commit: exit 2, asking for --since', () => {
    expect(refused(bb({ BITBUCKET_COMMIT: commits.c2 }))).toMatch(/Bitbucket Pipelines gives a branch pipeline no previous commit.*--since REF/);
  });
});

describe('Azure Pipelines', () => {
  const az = (vars: NodeJS.ProcessEnv) => ({ TF_BUILD: 'True', ...vars });
  it('pull request: origin/<SYSTEM_PULLREQUEST_TARGETBRANCH>..BUILD_SOURCEVERSION', () => {
    const r = found(az({ BUILD_REASON: 'PullRequest', SYSTEM_PULLREQUEST_TARGETBRANCH: 'refs/heads/main', SYSTEM_PULLREQUEST_PULLREQUESTNUMBER: '8', BUILD_SOURCEVERSION: commits.c2 }));
    expect(r.keys).toEqual([sha('c')]);
    expect(r.log).toContain('Azure Pipelines pull request #8 origin/main..');
  });
  it('a CI build has no previous commit: exit 2, asking for --since', () => {
    expect(refused(az({ BUILD_REASON: 'IndividualCI', BUILD_SOURCEVERSION: commits.c2 }))).toContain('Azure Pipelines gives a IndividualCI build no previous commit');
  });
  it('a target branch the clone lacks says to fetch it', () => {
    expect(refused(az({ BUILD_REASON: 'PullRequest', SYSTEM_PULLREQUEST_TARGETBRANCH: 'release', BUILD_SOURCEVERSION: commits.c2 }))).toContain('fetch it first');
  });
});

describe('Jenkins (git plugin)', () => {
  const jk = (vars: NodeJS.ProcessEnv) => ({ JENKINS_URL: 'http://127.0.0.1:8080/', GIT_BRANCH: 'origin/main', ...vars });
  it('GIT_PREVIOUS_SUCCESSFUL_COMMIT..GIT_COMMIT, before GIT_PREVIOUS_COMMIT (a failed build is scanned again)', () => {
    const r = found(jk({ GIT_COMMIT: commits.c1, GIT_PREVIOUS_COMMIT: commits.c1, GIT_PREVIOUS_SUCCESSFUL_COMMIT: commits.c0 }));
    expect(r.keys).toEqual([sha('a')]);
    expect(r.log).toContain('since the last successful build');
  });
  it('GIT_PREVIOUS_COMMIT alone', () => {
    expect(found(jk({ GIT_COMMIT: commits.c1, GIT_PREVIOUS_COMMIT: commits.c0 })).keys).toEqual([sha('a')]);
  });
  it('a first build: the commits no other remote branch has', () => {
    const r = found(jk({ GIT_COMMIT: commits.c2, GIT_BRANCH: 'origin/feature' }));
    expect(r.keys).toEqual([sha('c')]);
    expect(r.log).toContain('Jenkins first build of feature');
  });
  it('a multibranch pull request: origin/<CHANGE_TARGET>..GIT_COMMIT', () => {
    expect(found(jk({ GIT_COMMIT: commits.c2, CHANGE_ID: '17', CHANGE_TARGET: 'main' })).keys).toEqual([sha('c')]);
  });
  it('without GIT_COMMIT: exit 2', () => {
    expect(refused(jk({}))).toContain('Jenkins without GIT_COMMIT');
  });
});

describe('CircleCI', () => {
  const cc = (vars: NodeJS.ProcessEnv) => ({ CIRCLECI: 'true', CIRCLE_BRANCH: 'main', ...vars });
  it('MIRRA_SCAN_BASE_REVISION (<< pipeline.git.base_revision >>)..CIRCLE_SHA1', () => {
    expect(found(cc({ CIRCLE_SHA1: commits.c1, MIRRA_SCAN_BASE_REVISION: commits.c0 })).keys).toEqual([sha('a')]);
  });
  it('an empty base revision (a new branch): the commits no other remote branch has', () => {
    expect(found(cc({ CIRCLE_SHA1: commits.c2, CIRCLE_BRANCH: 'feature', MIRRA_SCAN_BASE_REVISION: '' })).keys).toEqual([sha('c')]);
  });
  it('without the pipeline value in the environment: exit 2, saying how to pass it', () => {
    expect(refused(cc({ CIRCLE_SHA1: commits.c1 }))).toContain('MIRRA_SCAN_BASE_REVISION: << pipeline.git.base_revision >>');
  });
});

describe('Buildkite', () => {
  const bk = (vars: NodeJS.ProcessEnv) => ({ BUILDKITE: 'true', BUILDKITE_BRANCH: 'feature', ...vars });
  it('pull request: origin/<BUILDKITE_PULL_REQUEST_BASE_BRANCH>..BUILDKITE_COMMIT', () => {
    const r = found(bk({ BUILDKITE_COMMIT: commits.c2, BUILDKITE_PULL_REQUEST: '21', BUILDKITE_PULL_REQUEST_BASE_BRANCH: 'main' }));
    expect(r.keys).toEqual([sha('c')]);
    expect(r.log).toContain('Buildkite pull request #21');
  });
  it('a branch build has no previous commit: exit 2, asking for --since', () => {
    expect(refused(bk({ BUILDKITE_COMMIT: commits.c2, BUILDKITE_PULL_REQUEST: 'false' }))).toContain('--since REF');
  });
});

describe('GitHub merge queue (merge_group)', () => {
  it('merge_group.base_sha..head_sha', () => {
    const event = path.join(root, 'merge-group.json');
    fs.writeFileSync(event, JSON.stringify({ merge_group: { base_sha: commits.c1, head_sha: commits.c2, head_ref: 'refs/heads/gh-readonly-queue/main/pr-1' } }));
    const r = found({ GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'merge_group', GITHUB_EVENT_PATH: event });
    expect(r.keys).toEqual([sha('c')]);
    expect(r.log).toContain('GitHub merge queue');
  });
});
