// Attack class: commits git makes without running pre-commit. `git revert`, `git cherry-pick`,
// `git rebase` (and `--continue` after a conflict) commit through git's sequencer, which skips
// pre-commit; `git am` applies patches without it. Each must be stopped by a hook git does run
// (prepare-commit-msg, pre-applypatch), with HEAD left where it was.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { fakeKey } from '../support/fake-keys.js';
import { hookedRepo, type TempRepo } from '../support/git-repo.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

const line = (key: string) => `export const client = new MirraSDK({ apiKey: "${key}" });\n`;

/** A hooked repository with a first commit holding the hooks. */
function setup(): TempRepo {
  const { repo, install } = hookedRepo();
  made.push(repo.dir);
  expect(install.status, install.stderr).toBe(0);
  repo.add();
  repo.commit('set up hooks');
  return repo;
}

function expectStopped(r: { status: number | null; stdout: string; stderr: string }, file: string): void {
  expect(r.status, r.stdout + r.stderr).not.toBe(0);
  expect(r.stdout + r.stderr).toContain(`${file}:1:`);
  expect(r.stdout + r.stderr).toContain('mirra-scan stopped this commit');
}

/** Branches `main` and `other` that both change shared.txt, with `main` checked out. */
function conflicting(other: string): TempRepo {
  const repo = setup();
  repo.commitFiles({ 'shared.txt': 'base\n' }, 'base');
  repo.git('checkout', '-q', '-b', other);
  repo.commitFiles({ 'shared.txt': `${other}\n` }, `${other} edit`);
  repo.git('checkout', '-q', 'main');
  repo.commitFiles({ 'shared.txt': 'main\n' }, 'main edit');
  return repo;
}

/** Resolves the conflict with a key and runs `git <command> --continue`, which must be stopped. */
function continueWithKey(repo: TempRepo, command: string) {
  repo.write('shared.txt', line(fakeKey('install'))).add('shared.txt');
  const r = repo.gitWith([command, '--continue'], { env: { GIT_EDITOR: 'true' } });
  expect(r.status).not.toBe(0);
  expect(r.stdout + r.stderr).toContain('shared.txt:1:');
  return r;
}

describe('commits made by the sequencer are stopped (prepare-commit-msg)', () => {
  test('git revert of a commit that removed a key', () => {
    const repo = setup();
    repo.commitFiles({ 'config.ts': line(fakeKey()) }, 'a key (hooks skipped)');
    repo.remove('config.ts').add();
    repo.commit('remove the key');
    const head = repo.head();
    const r = repo.tryGit('revert', '--no-edit', 'HEAD');
    expectStopped(r, 'config.ts');
    expect(r.stderr).toContain('git revert --abort');
    expect(repo.head()).toBe(head);
  });

  test('git cherry-pick of a commit with a key, one commit and a range', () => {
    const repo = setup();
    repo.git('checkout', '-q', '-b', 'side');
    repo.commitFiles({ 'clean.txt': 'clean\n' }, 'clean');
    repo.commitFiles({ 'picked.ts': line(fakeKey('test')) }, 'key on the side branch (hooks skipped)');
    repo.git('checkout', '-q', 'main');
    const head = repo.head();
    const one = repo.tryGit('cherry-pick', 'side');
    expectStopped(one, 'picked.ts');
    expect(one.stderr).toContain('git cherry-pick --abort');
    expect(repo.head()).toBe(head);
    repo.git('cherry-pick', '--abort');

    const range = repo.tryGit('cherry-pick', 'side~1', 'side');
    expectStopped(range, 'picked.ts');
    expect(repo.filesIn()).toContain('clean.txt'); // the clean pick before it went through
    expect(repo.filesIn()).not.toContain('picked.ts');
  });

  test('git rebase --continue after a conflict resolved with a key', () => {
    const repo = conflicting('topic');
    repo.git('checkout', '-q', 'topic');
    expect(repo.tryGit('rebase', 'main').status).not.toBe(0);
    const r = continueWithKey(repo, 'rebase');
    expect(repo.git('log', '--format=%s', '-1', 'HEAD').trim()).toBe('main edit');
    expect(r.stderr).toContain('git rebase --abort');
  });

  test('git rebase that replays a commit made with --no-verify', () => {
    const repo = setup();
    repo.git('checkout', '-q', '-b', 'topic');
    repo.commitFiles({ 'rebased.ts': line(fakeKey()) }, 'key (hooks skipped)');
    repo.git('checkout', '-q', 'main');
    repo.commitFiles({ 'other.txt': 'other\n' }, 'other');
    repo.git('checkout', '-q', 'topic');
    const r = repo.tryGit('rebase', 'main');
    expectStopped(r, 'rebased.ts');
  });

  test('git rebase --apply (pre-applypatch) and rebase -i squash (prepare-commit-msg)', () => {
    const repo = setup();
    repo.git('checkout', '-q', '-b', 'topic');
    repo.commitFiles({ 'applied.ts': line(fakeKey()) }, 'key (hooks skipped)');
    repo.git('checkout', '-q', 'main');
    repo.commitFiles({ 'other.txt': 'other\n' }, 'other');
    repo.git('checkout', '-q', 'topic');
    const apply = repo.tryGit('rebase', '--apply', 'main');
    expectStopped(apply, 'applied.ts');
    repo.git('rebase', '--abort');

    repo.git('reset', '-q', '--hard', 'main');
    repo.commitFiles({ 'one.txt': 'one\n' }, 'one');
    repo.commitFiles({ 'squashed.ts': line(fakeKey('test')) }, 'key to squash (hooks skipped)');
    const head = repo.head();
    const squash = repo.gitWith(['rebase', '-i', 'HEAD~2'], { env: { GIT_SEQUENCE_EDITOR: 'sed -i -e "2s/^pick/squash/"', GIT_EDITOR: 'true' } });
    expectStopped(squash, 'squashed.ts');
    repo.git('rebase', '--abort');
    expect(repo.head()).toBe(head);
  });

  test('git cherry-pick --continue after a conflict resolved with a key', () => {
    const repo = conflicting('side');
    const head = repo.head();
    expect(repo.tryGit('cherry-pick', 'side').status).not.toBe(0);
    continueWithKey(repo, 'cherry-pick');
    expect(repo.head()).toBe(head);
  });

  test('git am of a patch that adds a key; HUSKY=0 is the skip (git 2.39 has no `am --no-verify`)', () => {
    const repo = setup();
    repo.git('checkout', '-q', '-b', 'patches');
    repo.commitFiles({ 'patched.ts': line(fakeKey('script')) }, 'key (hooks skipped)');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-patches-'));
    made.push(dir);
    repo.git('format-patch', '-q', '-1', 'HEAD', '-o', dir);
    repo.git('checkout', '-q', 'main');
    const head = repo.head();
    const patch = path.join(dir, fs.readdirSync(dir)[0]);
    const r = repo.tryGit('am', patch);
    expectStopped(r, 'patched.ts');
    expect(r.stderr).toContain('git am --abort');
    expect(repo.head()).toBe(head);
    repo.git('am', '--abort');
    const skipped = repo.gitWith(['am', patch], { env: { HUSKY: '0' } });
    expect(skipped.status, skipped.stderr).toBe(0);
  });

  test('a plain commit is scanned once (pre-commit), and --no-verify still skips', () => {
    const repo = setup();
    repo.write('a.ts', line(fakeKey())).add();
    const blocked = repo.commitWithHooks('a');
    expect(blocked.status).not.toBe(0);
    expect(blocked.stderr.match(/mirra-scan stopped this commit/g)).toHaveLength(1);
    const skipped = repo.commitWithHooks('a', '--no-verify');
    expect(skipped.status, skipped.stderr).toBe(0);
    // A clean revert goes through.
    const revert = repo.tryGit('revert', '--no-edit', 'HEAD');
    expect(revert.status, revert.stderr).toBe(0);
  });
});
