// Attack class: commits from a worktree the hooks do not reach. husky's core.hooksPath is relative
// (`.husky/_`) and its `_` folder is gitignored, so a worktree made by `git worktree add` had no hooks
// and committed and pushed a key with exit 0. Every worktree of the repository must be guarded:
// those that exist when `install` runs, and those `git worktree add` makes afterwards.

import fs from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { fakeKey } from '../support/fake-keys.js';
import { hookedRepo, type TempRepo } from '../support/git-repo.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

const line = (key: string) => `export const client = new MirraSDK({ apiKey: "${key}" });\n`;

function setup(installArgs: string[] = []): TempRepo {
  const { repo, install } = hookedRepo({ installArgs });
  made.push(repo.dir);
  expect(install.status, install.stderr).toBe(0);
  repo.add();
  repo.commit('set up hooks');
  return repo;
}

describe('every worktree of a repository is guarded', () => {
  test('a worktree added after install: commit and push from it are stopped (no npm install there)', () => {
    const repo = setup(['--pre-push']);
    const bare = repo.addBareRemote();
    made.push(bare.dir);
    repo.git('push', '-q', '--no-verify', 'origin', 'main');
    const wt = `${repo.dir}-wt`;
    made.push(wt);
    const added = repo.tryGit('worktree', 'add', '-q', '-b', 'feature', wt);
    expect(added.status, added.stderr).toBe(0);
    expect(fs.existsSync(`${wt}/.husky/_/pre-commit`)).toBe(true);
    expect(fs.existsSync(`${wt}/node_modules`)).toBe(false);

    fs.writeFileSync(`${wt}/key.ts`, line(fakeKey()));
    repo.git('-C', wt, 'add', 'key.ts');
    const commit = repo.tryGit('-C', wt, 'commit', '-m', 'key from a worktree');
    expect(commit.status).not.toBe(0);
    expect(commit.stderr).toContain('key.ts:1:');
    expect(commit.stderr).toContain('mirra-scan stopped this commit');
    expect(repo.tryGit('rev-parse', '-q', '--verify', 'feature').stdout.trim()).toBe(repo.head());

    // Committed with the hooks skipped: the push from the worktree is stopped.
    repo.git('-C', wt, 'commit', '-q', '--no-verify', '-m', 'key, hooks skipped');
    const push = repo.tryGit('-C', wt, 'push', 'origin', 'feature');
    expect(push.status).not.toBe(0);
    expect(push.stdout).toContain('key.ts:1:');
    expect(bare.tryGit('rev-parse', '-q', '--verify', 'feature').status).not.toBe(0);

    // A clean commit from the worktree goes through.
    repo.git('-C', wt, 'reset', '-q', '--hard', 'main');
    fs.writeFileSync(`${wt}/clean.ts`, 'export const x = 1;\n');
    repo.git('-C', wt, 'add', 'clean.ts');
    const ok = repo.tryGit('-C', wt, 'commit', '-m', 'clean');
    expect(ok.status, ok.stderr).toBe(0);
  });

  test('a worktree that existed before install gets the hooks; install says so', () => {
    const repo = setup();
    const wt = `${repo.dir}-old-wt`;
    made.push(wt);
    repo.git('worktree', 'add', '-q', '-b', 'old', wt);
    fs.rmSync(`${wt}/.husky/_`, { recursive: true }); // as a worktree made before install has it
    const install = repo.mirraScan(['install']);
    expect(install.status, install.stderr).toBe(0);
    expect(install.stdout).toContain(`linked worktree ${wt}`);
    fs.writeFileSync(`${wt}/key.ts`, line(fakeKey('test')));
    repo.git('-C', wt, 'add', 'key.ts');
    const commit = repo.tryGit('-C', wt, 'commit', '-m', 'key');
    expect(commit.status).not.toBe(0);
    expect(commit.stderr).toContain('key.ts:1:');
  });

  test('GIT_DIR=<abs>/.git git commit from a subfolder: git runs no hook there; the docs and install say so', () => {
    const repo = setup();
    fs.mkdirSync(repo.path('sub'));
    repo.write('sub/key.ts', line(fakeKey())).add();
    const r = repo.gitWith(['commit', '-m', 'from a subfolder'], { cwd: repo.path('sub'), env: { GIT_DIR: repo.path('.git') } });
    // What git does (no hook is looked up outside the worktree's top) is documented, not hidden:
    const docs = fs.readFileSync(new URL('../../docs/hooks.md', import.meta.url), 'utf8');
    expect(docs).toMatch(/`GIT_DIR=… git commit` from a subfolder/);
    const again = repo.mirraScan(['install']);
    expect(again.stdout).toMatch(/GIT_DIR=… git commit` run from a subfolder/);
    expect(r.status).toBe(0); // if git ever starts running the hook here, make this test expect the block
  });
});
