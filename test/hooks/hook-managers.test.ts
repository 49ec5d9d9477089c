// The recipes of docs/hook-managers.md, as written, with the real tools: the pre-commit framework
// (Debian's `pre-commit`: its remote form built from a clone of this repository, `try-repo`, and the
// `repo: local` recipe) and lefthook (the npm package). Each fires on a real `git commit` / `git push`
// in a real repository: a key is stopped, a clean change goes through, and no key is printed.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { fakeKey } from '../support/fake-keys.js';
import { gitEnv, linkMirraScanInto, PROJECT_ROOT, runProgram, TempRepo, writeUserPackageJson } from '../support/git-repo.js';
import { describeWithTool, toolWorks } from '../support/tools.js';

// Building the remote form (npm install + npm pack of this repository) takes tens of seconds.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 240_000 });

const DOC = fs.readFileSync(path.join(PROJECT_ROOT, 'docs/hook-managers.md'), 'utf8');

/** The fenced yaml blocks of the doc whose first line is `# <file>`, in order. */
function recipes(file: string): string[] {
  return [...DOC.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => b.startsWith(`# ${file}\n`));
}

const made: TempRepo[] = [];
afterAll(() => {
  for (const r of made) r.cleanup();
});

const line = (key: string) => `export const client = new MirraSDK({ apiKey: "${key}" });\n`;
const clean = 'export const client = new MirraSDK({ apiKey: process.env.MIRRA_API_KEY });\n';

/** A user project with eslint-plugin-mirra in node_modules (linked to this build), hooks not yet set up. */
function userRepo(): TempRepo {
  const repo = new TempRepo({ prefix: 'mirra-managers-' });
  made.push(repo);
  writeUserPackageJson(repo.dir);
  linkMirraScanInto(repo.dir, { husky: false });
  repo.write('.gitignore', 'node_modules/\n');
  return repo;
}

/** What a blocked commit or push must show: the file, the redacted key, never the key. */
function expectBlocked(r: { status: number | null; stdout: string; stderr: string }, key: string, place: string): void {
  const out = r.stdout + r.stderr;
  expect(r.status, out).not.toBe(0);
  expect(out).toContain(place);
  expect(out).toContain(key.slice(0, 12));
  expect(out).not.toContain(key);
}

/** Commit, message, push: the three hooks, each stopping its key and letting a clean change through. */
function exerciseHooks(repo: TempRepo, env: NodeJS.ProcessEnv = {}): void {
  const git = (...args: string[]) => repo.gitWith(args, { env });
  const bare = repo.addBareRemote();
  made.push(bare);
  repo.add();
  expect(git('commit', '-q', '-m', 'set up hooks').status).toBe(0);

  const key = fakeKey('script');
  repo.write('src/config.ts', line(key)).add();
  const head = repo.head();
  expectBlocked(git('commit', '-m', 'add config'), key, 'src/config.ts');
  expect(repo.head()).toBe(head);

  repo.write('src/config.ts', clean).add();
  const ok = git('commit', '-q', '-m', 'add config');
  expect(ok.status, ok.stdout + ok.stderr).toBe(0);
  expect(repo.head()).not.toBe(head);

  const msgKey = fakeKey('install');
  repo.write('notes.txt', 'notes\n').add();
  expectBlocked(git('commit', '-m', `deploy with ${msgKey}`), msgKey, 'COMMIT_EDITMSG');
  expect(git('commit', '-q', '-m', 'notes').status).toBe(0);

  // A key committed past the hooks is stopped at the push; the clean history pushes.
  const pushed = git('push', '-q', 'origin', 'main');
  expect(pushed.status, pushed.stdout + pushed.stderr).toBe(0);
  const pushKey = fakeKey('test');
  repo.write('src/late.ts', line(pushKey)).add();
  repo.commit('late key');
  expectBlocked(git('push', 'origin', 'main'), pushKey, 'src/late.ts');
  expect(bare.git('rev-parse', 'main').trim()).not.toBe(repo.head());
}

const hasPreCommit = toolWorks('pre-commit');

describeWithTool('pre-commit', hasPreCommit, 'pre-commit framework (docs/hook-managers.md)', () => {
  let home: string;
  beforeAll(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-pre-commit-home-'));
  });
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  /** pre-commit's environment: its own store, npm served from the local cache where it can be. */
  const env = () => ({ PRE_COMMIT_HOME: home, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' });
  const head = () => runProgram('git', ['rev-parse', 'HEAD'], { cwd: PROJECT_ROOT }).stdout.trim();

  test('repo: local recipe, as written: commit, commit-msg and pre-push hooks', () => {
    const [local] = recipes('.pre-commit-config.yaml').filter((r) => r.includes('repo: local'));
    expect(local).toBeDefined();
    const repo = userRepo();
    repo.write('.pre-commit-config.yaml', local);
    const install = repo.run('pre-commit', ['install', '--hook-type', 'pre-commit', '--hook-type', 'commit-msg', '--hook-type', 'pre-push'], { env: env() });
    expect(install.status, install.stderr + install.stdout).toBe(0);
    exerciseHooks(repo, env());
  });

  test('remote recipe (repo: a clone of this repository, rev: its HEAD), built as pre-commit builds node hooks', () => {
    const [remote] = recipes('.pre-commit-config.yaml').filter((r) => !r.includes('repo: local'));
    expect(remote).toMatch(/repo: https:\/\/github\.com\/\S+\n\s+rev: v\d/);
    const config = remote.replace(/repo: https:\/\/\S+/, `repo: ${PROJECT_ROOT}`).replace(/rev: \S+/, `rev: ${head()}`);
    const repo = userRepo();
    repo.remove('node_modules'); // the remote form brings its own copy
    repo.write('.pre-commit-config.yaml', config);
    const install = repo.run('pre-commit', ['install', '--install-hooks', '--hook-type', 'pre-commit', '--hook-type', 'commit-msg', '--hook-type', 'pre-push'], { env: env() });
    expect(install.status, install.stderr + install.stdout).toBe(0);
    exerciseHooks(repo, env());
  }, 240_000);

  test('pre-commit try-repo on this repository: a staged key fails the hook (a clean commit passing is shown above)', () => {
    const repo = userRepo();
    repo.remove('node_modules');
    const key = fakeKey('script');
    repo.write('src/config.ts', line(key)).add();
    const blocked = repo.run('pre-commit', ['try-repo', PROJECT_ROOT, 'mirra-scan', '--ref', head()], { env: env() });
    expectBlocked(blocked, key, 'src/config.ts');
    expect(blocked.stdout).toMatch(/mirra-scan \(staged changes\)\.+Failed/);
  }, 240_000);
});

// lefthook from npm, installed by .ci/run into .ci/tools (not a dev dependency: its postinstall would
// set up lefthook in every clone of this repository), else one on PATH.
const CI_LEFTHOOK = path.join(PROJECT_ROOT, '.ci/tools/node_modules/.bin/lefthook');
const LEFTHOOK = fs.existsSync(CI_LEFTHOOK) ? CI_LEFTHOOK : 'lefthook';
const hasLefthook = toolWorks(LEFTHOOK, ['version']);

describeWithTool('lefthook', hasLefthook, 'lefthook (docs/hook-managers.md)', () => {
  test('lefthook.yml recipe, as written: commit, commit-msg and pre-push hooks', () => {
    const [recipe] = recipes('lefthook.yml');
    expect(recipe).toBeDefined();
    const repo = userRepo();
    repo.write('lefthook.yml', recipe);
    const install = runProgram(LEFTHOOK, ['install'], { cwd: repo.dir, env: gitEnv() });
    expect(install.status, install.stderr + install.stdout).toBe(0);
    exerciseHooks(repo);
  });
});
