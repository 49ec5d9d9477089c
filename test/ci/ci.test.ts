// `mirra-scan ci` under the environments GitHub Actions and GitLab CI set: variables and event files
// written here, clones of a real (bare) remote made as a CI checkout makes them, full and shallow.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { keySha256 } from '../../src/detector/redact.js';
import { fakeKey } from '../support/fake-keys.js';
import { HistoryRepo, runCli, runJson, tempDir } from '../support/history-repo.js';

// Each test runs git and the CLI several times; a loaded machine must not turn that into a failure.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const ZEROS = '0'.repeat(40);
const keys = {
  old: fakeKey('untyped', 70), // on main before the push: never part of a CI range
  a: fakeKey('script', 80), // pushed to main
  b: fakeKey('test', 72), // pushed to main, added then removed within the push
  c: fakeKey('install', 90), // on the new branch `feature`
  d: fakeKey('untyped', 66), // on `feature` after its force push
};
const sha = (k: keyof typeof keys) => keySha256(keys[k]);

let root: string;
let url: string;
const commits: Record<string, string> = {};
const clones: Record<string, string> = {};

function ciClone(name: string, ...args: string[]): string {
  const dir = path.join(root, name);
  HistoryRepo.clone(url, dir, ...args);
  clones[name] = dir;
  return dir;
}

beforeAll(() => {
  root = tempDir('mirra-ci-');
  HistoryRepo.init(path.join(root, 'origin.git'), true);
  url = 'file://' + path.join(root, 'origin.git'); // file:// so clones get only reachable objects, as from a server
  const dev = HistoryRepo.clone(url, path.join(root, 'dev'));
  dev.git('checkout', '-q', '-b', 'main');
  dev.write('README.md', '# app\n').commit('c0');
  dev.write('old.js', `const k = '${keys.old}';\n`);
  commits.c1 = dev.commit('c1: old key');
  dev.git('push', '-q', 'origin', 'main');
  dev.write('a.js', `const k = '${keys.a}';\n`);
  commits.c2 = dev.commit('c2');
  dev.write('b.js', `const k = '${keys.b}';\n`);
  commits.c3 = dev.commit('c3');
  dev.remove('b.js');
  commits.c4 = dev.commit('c4: remove b');
  dev.git('push', '-q', 'origin', 'main');
  ciClone('main-full');
  ciClone('main-depth1', '--depth', '1');
  ciClone('main-depth2', '--depth', '2');
  ciClone('main-depth4', '--depth', '4');

  dev.git('checkout', '-q', '-b', 'feature');
  dev.write('c.js', `const k = '${keys.c}';\n`);
  commits.c5 = dev.commit('c5: new branch');
  dev.git('push', '-q', 'origin', 'feature');
  ciClone('feature-full', '--branch', 'feature');
  ciClone('feature-depth1', '--depth', '1', '--branch', 'feature');

  dev.git('reset', '-q', '--hard', 'main');
  dev.write('d.js', `const k = '${keys.d}';\n`);
  commits.c6 = dev.commit('c6: after force push');
  dev.git('push', '-q', '-f', 'origin', 'feature');
  ciClone('forced-full', '--branch', 'feature');
  ciClone('forced-depth1', '--depth', '1', '--branch', 'feature');
}, 60_000);

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function githubEnv(event: string, payload: unknown): NodeJS.ProcessEnv {
  const file = path.join(root, `event-${Math.random().toString(16).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(payload));
  return { CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: event, GITHUB_EVENT_PATH: file, GITHUB_SHA: (payload as { after?: string }).after ?? '' };
}

const pushEvent = (before: string, after: string, ref = 'refs/heads/main', forced = false) =>
  githubEnv('push', { before, after, ref, forced, created: before === ZEROS, deleted: false, repository: { default_branch: 'main' } });

const found = (r: { findings: Array<{ keySha256: string }> }) => r.findings.map((f) => f.keySha256).sort();

describe('GitHub Actions', () => {
  it('push: scans before..after, keys added and removed inside it, not older history', () => {
    const r = runJson(['ci'], clones['main-full'], pushEvent(commits.c1, commits.c4));
    expect(r.status).toBe(1);
    expect(found(r)).toEqual([sha('a'), sha('b')].sort());
    expect(r.findings.find((f) => f.keySha256 === sha('b'))?.commit).toBe(commits.c3);
    expect(r.stderr).toContain(`GitHub push ${commits.c1.slice(0, 12)}..${commits.c4.slice(0, 12)}`);
  });

  it('push with nothing new in it passes', () => {
    const r = runJson(['ci'], clones['main-full'], pushEvent(commits.c3, commits.c4));
    expect(r.status).toBe(0);
    expect(r.findings).toEqual([]);
  });

  it('a new branch (before is all zeros): the commits no other remote branch has', () => {
    const r = runJson(['ci'], clones['feature-full'], pushEvent(ZEROS, commits.c5, 'refs/heads/feature'));
    expect(found(r)).toEqual([sha('c')]);
    expect(r.stderr).toContain('new ref feature');
  });

  it('a force push whose old tip the clone never got: the new commits, not the old ones', () => {
    const r = runJson(['ci'], clones['forced-full'], pushEvent(commits.c5, commits.c6, 'refs/heads/feature', true));
    expect(r.status).toBe(1);
    expect(found(r)).toEqual([sha('d')]);
    expect(r.stderr).toMatch(/force push/);
  });

  it('pull_request: base.sha..head.sha', () => {
    const env = githubEnv('pull_request', { number: 7, pull_request: { base: { sha: commits.c4, ref: 'main' }, head: { sha: commits.c6, ref: 'feature' } } });
    const r = runJson(['ci'], clones['forced-full'], env);
    expect(found(r)).toEqual([sha('d')]);
    expect(r.findings[0].commit).toBe(commits.c6);
    expect(r.stderr).toContain('GitHub pull request #7');
  });

  it('a deleted branch has nothing to scan', () => {
    const r = runJson(['ci'], clones['main-full'], pushEvent(commits.c4, ZEROS));
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('nothing to scan');
  });

  it('an event without a commit range asks for --since', () => {
    const r = runCli(['ci'], clones['main-full'], githubEnv('workflow_dispatch', {}));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^mirra-scan: ci: the GitHub event "workflow_dispatch" has no commit range.*--since REF\n$/);
  });

  describe('shallow clones', () => {
    it('fails, saying how to fetch enough history, when the push goes past the clone', () => {
      for (const clone of ['main-depth1', 'main-depth2']) {
        const r = runCli(['ci'], clones[clone], pushEvent(commits.c1, commits.c4));
        expect(r.status).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(/shallow clone/);
        expect(r.stderr).toContain('fetch-depth: 0');
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
      }
    });

    it('scans when the shallow clone holds the whole range', () => {
      const r = runJson(['ci'], clones['main-depth4'], pushEvent(commits.c1, commits.c4));
      expect(r.status).toBe(1);
      expect(found(r)).toEqual([sha('a'), sha('b')].sort());
    });

    it('fails for a pull request whose base the shallow clone lacks', () => {
      const env = githubEnv('pull_request', { number: 8, pull_request: { base: { sha: commits.c4 }, head: { sha: commits.c6 } } });
      const r = runCli(['ci'], clones['forced-depth1'], env);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(
        `mirra-scan: ci: the base commit ${commits.c4.slice(0, 12)} is not in this shallow clone, so the range cannot be scanned; set \`fetch-depth: 0\` on actions/checkout (or run \`git fetch --unshallow\` before mirra-scan)\n`,
      );
    });

    it('fails for a new branch in a shallow clone instead of scanning only what it has', () => {
      const r = runCli(['ci'], clones['feature-depth1'], pushEvent(ZEROS, commits.c5, 'refs/heads/feature'));
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('fetch-depth: 0');
    });
  });

  it('--format github prints workflow annotations', () => {
    const r = runCli(['ci', '--format', 'github'], clones['main-full'], pushEvent(commits.c1, commits.c4));
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('::error file=a.js,line=1,col=12,endLine=1,endColumn=92,title=Mirra API key (script)::Mirra script key '))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('::error file=b.js,line=1,'))).toHaveLength(1);
    expect(r.stdout).toContain(`commit ${commits.c2.slice(0, 12)}`);
    expect(r.stdout).not.toContain(keys.a);
  });

  it('--format sarif --output writes a file for code scanning', () => {
    const out = path.join(root, 'ci.sarif');
    const r = runCli(['ci', '--format', 'sarif', '--output', out], clones['main-full'], pushEvent(commits.c1, commits.c4));
    expect(r.status).toBe(1);
    const sarif = JSON.parse(fs.readFileSync(out, 'utf8')) as { version: string; runs: Array<{ results: Array<{ partialFingerprints: Record<string, string> }> }> };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.map((x) => x.partialFingerprints['mirraKeySha256/v1']).sort()).toEqual([sha('a'), sha('b')].sort());
  });
});

describe('GitLab CI', () => {
  const gitlab = (vars: NodeJS.ProcessEnv) => ({ CI: 'true', GITLAB_CI: 'true', ...vars });

  it('merge request: the diff base..CI_COMMIT_SHA', () => {
    const r = runJson(['ci'], clones['forced-full'], gitlab({ CI_MERGE_REQUEST_DIFF_BASE_SHA: commits.c4, CI_COMMIT_SHA: commits.c6, CI_MERGE_REQUEST_IID: '3', CI_COMMIT_BEFORE_SHA: ZEROS }));
    expect(found(r)).toEqual([sha('d')]);
    expect(r.stderr).toContain('GitLab merge request !3');
  });

  it('push: CI_COMMIT_BEFORE_SHA..CI_COMMIT_SHA', () => {
    const r = runJson(['ci'], clones['main-full'], gitlab({ CI_COMMIT_BEFORE_SHA: commits.c1, CI_COMMIT_SHA: commits.c4, CI_COMMIT_BRANCH: 'main' }));
    expect(found(r)).toEqual([sha('a'), sha('b')].sort());
  });

  it('a new branch (CI_COMMIT_BEFORE_SHA all zeros): the commits no other remote branch has', () => {
    const r = runJson(['ci'], clones['feature-full'], gitlab({ CI_COMMIT_BEFORE_SHA: ZEROS, CI_COMMIT_SHA: commits.c5, CI_COMMIT_BRANCH: 'feature', CI_COMMIT_REF_NAME: 'feature' }));
    expect(found(r)).toEqual([sha('c')]);
  });

  it('a force push (CI_COMMIT_BEFORE_SHA gone from the clone): the new commits only', () => {
    const r = runJson(['ci'], clones['forced-full'], gitlab({ CI_COMMIT_BEFORE_SHA: commits.c5, CI_COMMIT_SHA: commits.c6, CI_COMMIT_BRANCH: 'feature' }));
    expect(found(r)).toEqual([sha('d')]);
  });

  it('a shallow clone (GIT_DEPTH) that lacks the range fails with how to fix it', () => {
    const r = runCli(['ci'], clones['main-depth2'], gitlab({ CI_COMMIT_BEFORE_SHA: commits.c1, CI_COMMIT_SHA: commits.c4 }));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('GIT_DEPTH: 0');
    expect(r.stderr).toContain('git fetch --unshallow');
  });
});

describe('outside a recognised CI', () => {
  it('asks for --since REF', () => {
    const r = runCli(['ci'], clones['main-full']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^mirra-scan: ci: no CI environment recognised.*--since REF/);
  });

  it('--since REF scans REF..HEAD', () => {
    const r = runJson(['ci', '--since', commits.c1], clones['main-full']);
    expect(found(r)).toEqual([sha('a'), sha('b')].sort());
    expect(runJson(['ci', '--since', 'HEAD~1'], clones['main-full']).findings).toEqual([]);
  });

  it('--since with a revision the shallow clone lacks fails with the unshallow advice', () => {
    const r = runCli(['ci', '--since', commits.c1], clones['main-depth1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('git fetch --unshallow');
  });

  it('--since a revision that does not exist in a full clone names it', () => {
    const r = runCli(['ci', '--since', 'no-such-ref'], clones['main-full']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no-such-ref');
  });
});
