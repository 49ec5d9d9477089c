// The promise of issue 4, end to end: real repositories, husky set up by `mirra-scan install`, hooks
// fired by a real `git commit` / `git merge` / `git push` to a bare repository on disk.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { fakeKey } from '../support/fake-keys.js';
import { hookedRepo, linkMirraScanInto, TempRepo } from '../support/git-repo.js';

const made: TempRepo[] = [];
afterAll(() => {
  for (const r of made) r.cleanup();
});

/** Every hook the test does not need costs a node start per commit, so tests ask for theirs. */
function setup(installArgs: string[] = [], subdir?: string): TempRepo {
  const { repo, install } = hookedRepo({ installArgs, subdir });
  made.push(repo);
  expect(install.stderr).toBe('');
  expect(install.status).toBe(0);
  return repo;
}

/** A repository with one commit holding the hooks (committed without running them). */
function setupWithCommit(installArgs?: string[]): TempRepo {
  const repo = setup(installArgs);
  repo.add();
  repo.commit('set up hooks');
  return repo;
}

const line = (key: string) => `export const client = new MirraSDK({ apiKey: "${key}" });\n`;

function expectBlockedCommit(r: { status: number | null; stderr: string }, file: string): void {
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain(file);
  expect(r.stderr).toContain('mirra-scan stopped this commit');
  expect(r.stderr).toContain('MIRRA_API_KEY');
  expect(r.stderr).toContain('.gitignore');
  expect(r.stderr).toContain('rotate it');
  expect(r.stderr).toContain('mirra-scan:allow');
  expect(r.stderr).toContain('git commit --no-verify');
  expect(r.stderr).toContain('pre-push hook');
}

describe('pre-commit: a commit that adds a key does not happen', () => {
  test('first commit with a key is blocked (redacted key, file:line, why, what to do); without it, it goes through', () => {
    const repo = setup();
    const key = fakeKey('script');
    repo.write('src/config.ts', line(key)).add();
    const blocked = repo.commitWithHooks('add config');
    expectBlockedCommit(blocked, 'src/config.ts:1:');
    expect(blocked.stderr).toContain('Mirra script key');
    expect(blocked.stderr).not.toContain(key);
    expect(repo.head()).toBeNull();

    repo.write('src/config.ts', 'export const client = new MirraSDK({ apiKey: process.env.MIRRA_API_KEY });\n').add();
    const ok = repo.commitWithHooks('add config');
    expect(ok.status, ok.stderr).toBe(0);
    expect(repo.filesIn()).toContain('src/config.ts');
  });

  test('blocked on a later commit: HEAD does not move and the file is not committed', () => {
    const repo = setupWithCommit();
    const head = repo.head();
    repo.write('app.js', line(fakeKey('install'))).add();
    const r = repo.commitWithHooks('app');
    expectBlockedCommit(r, 'app.js:1:');
    expect(repo.head()).toBe(head);
    expect(repo.filesIn()).not.toContain('app.js');
  });

  test('partial staging: a key only in the working tree does not block; a staged key deleted from disk does', () => {
    const repo = setupWithCommit();
    const body = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`);
    repo.commitFiles({ 'notes.txt': body.join('\n') + '\n' }, 'notes');

    // Two hunks: stage the harmless first one with `git add -p`, leave the key in the working tree.
    const edited = [...body];
    edited[0] = 'a harmless first line';
    edited[11] = line(fakeKey()).trimEnd();
    repo.write('notes.txt', edited.join('\n') + '\n');
    const addP = repo.gitWith(['add', '-p', 'notes.txt'], { input: 'y\nn\n' });
    expect(addP.status, addP.stderr).toBe(0);
    expect(repo.git('diff', '--cached')).toContain('a harmless first line');
    const ok = repo.commitWithHooks('first line');
    expect(ok.status, ok.stderr).toBe(0);
    expect(repo.git('show', 'HEAD:notes.txt')).not.toContain('mirra_');

    // The other way round: the key is staged, then deleted from the working tree (not re-staged).
    const head = repo.head();
    repo.write('notes.txt', edited.join('\n') + '\n').add('notes.txt');
    repo.write('notes.txt', body.join('\n') + '\n');
    const blocked = repo.commitWithHooks('key staged, gone from disk');
    expectBlockedCommit(blocked, 'notes.txt:12:');
    expect(repo.head()).toBe(head);
  });

  test('rename: only added lines count, reported at the new path', () => {
    const repo = setupWithCommit();
    const key = fakeKey();
    repo.write('old/name.ts', `// mirra-scan:allow fixture\nconst k = "${key}"; // mirra-scan:allow\nexport {};\n`).add();
    repo.commit('an allowed fixture', '--no-verify');
    repo.git('mv', 'old/name.ts', 'renamed.ts');
    const renamed = repo.commitWithHooks('rename');
    expect(renamed.status, renamed.stderr).toBe(0);

    // The same key without its allow comment: a rename with one added line carrying a key.
    repo.write('renamed.ts', `// mirra-scan:allow fixture\nconst k = "${key}"; // mirra-scan:allow\nconst again = "${key}";\nexport {};\n`);
    repo.git('mv', 'renamed.ts', 'final.ts');
    repo.add('final.ts');
    expect(repo.git('diff', '--cached', '-M', '--name-status')).toMatch(/^R\d+\trenamed\.ts\tfinal\.ts/m);
    const blocked = repo.commitWithHooks('rename and edit');
    expectBlockedCommit(blocked, 'final.ts:3:');
    expect(blocked.stderr).not.toContain('final.ts:2:');
  });

  test('merge: a key brought in from another branch blocks the merge commit (clean merge and after a conflict)', () => {
    const repo = setupWithCommit();
    repo.commitFiles({ 'shared.txt': 'base\n' }, 'base');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('feature.ts', line(fakeKey('test'))).add();
    repo.commit('feature with a key (hooks skipped)', '--no-verify');
    repo.write('shared.txt', 'feature side\n').add();
    repo.commit('feature edit');
    repo.git('checkout', '-q', 'main');
    repo.commitFiles({ 'main.txt': 'main work\n' }, 'main work');
    const head = repo.head();

    // A merge without conflicts commits at once: git runs pre-merge-commit, which install writes too.
    const clean = repo.tryGit('merge', '--no-edit', '--no-ff', 'feature~1');
    expect(clean.status).not.toBe(0);
    expect(clean.stderr).toContain('feature.ts:1:');
    expect(clean.stderr).toContain('mirra-scan stopped this commit');
    expect(repo.head()).toBe(head);
    repo.git('merge', '--abort');

    // A conflicting merge, resolved and then committed with `git commit`: pre-commit stops it.
    repo.write('shared.txt', 'main side\n').add();
    repo.commit('main edit');
    const headBefore = repo.head();
    const conflict = repo.tryGit('merge', 'feature');
    expect(conflict.status).not.toBe(0);
    expect(fs.existsSync(repo.path('.git/MERGE_HEAD'))).toBe(true);
    repo.write('shared.txt', 'resolved\n').add('shared.txt');
    const blocked = repo.commitWithHooks('merge feature');
    expectBlockedCommit(blocked, 'feature.ts:1:');
    expect(repo.head()).toBe(headBefore);

    // Without the key on the feature branch the same merge goes through.
    repo.git('merge', '--abort');
    repo.git('checkout', '-q', 'feature');
    repo.remove('feature.ts').add();
    repo.commit('drop the key');
    repo.git('checkout', '-q', 'main');
    repo.tryGit('merge', 'feature');
    repo.write('shared.txt', 'resolved\n').add('shared.txt');
    const ok = repo.commitWithHooks('merge feature');
    expect(ok.status, ok.stderr).toBe(0);
    expect(repo.git('rev-list', '--parents', '-n1', 'HEAD').trim().split(' ')).toHaveLength(3);
  });

  test('a file name with a newline (and one with spaces and non-UTF-8 bytes)', () => {
    const repo = setupWithCommit();
    repo.write('new\nline.ts', line(fakeKey())).add();
    const blocked = repo.commitWithHooks('odd name');
    expect(blocked.status).not.toBe(0);
    expect(blocked.stderr).toContain('new\\nline.ts:1:'); // the newline escaped: a name cannot fake a line of the report
    expect(repo.filesIn()).not.toContain('new\nline.ts');

    repo.write('new\nline.ts', 'no key here\n').add();
    const ok = repo.commitWithHooks('odd name, no key');
    expect(ok.status, ok.stderr).toBe(0);
    expect(repo.filesIn()).toContain('new\nline.ts');

    const latin1Name = Buffer.concat([Buffer.from(repo.path('caf')), Buffer.from([0xe9]), Buffer.from(' with space.txt')]);
    fs.writeFileSync(latin1Name, line(fakeKey()));
    repo.add();
    const odd = repo.commitWithHooks('latin-1 name');
    expect(odd.status).not.toBe(0);
    expect(odd.stderr).toContain(' with space.txt:1:');
  });

  test('10,000 staged files are scanned by one streamed git call; a key among them blocks', () => {
    const repo = setupWithCommit();
    for (let i = 0; i < 10_000; i++) fs.mkdirSync(repo.path(`pkg${i % 100}`), { recursive: true });
    for (let i = 0; i < 10_000; i++) fs.writeFileSync(repo.path(`pkg${i % 100}/file${i}.ts`), `export const value${i} = ${i};\n`);
    fs.writeFileSync(repo.path('pkg42/file7742.ts'), line(fakeKey()));
    repo.add();
    const head = repo.head();
    const trace = repo.path('.git', 'trace.log');
    // Speed is the hook benchmark's job (npm run bench:hook), never a timed test: machines are shared.
    const blocked = repo.gitWith(['commit', '-m', '10k files'], { env: { GIT_TRACE: trace } });
    expectBlockedCommit(blocked, 'pkg42/file7742.ts:1:');
    expect(repo.head()).toBe(head);
    // Every git process the hook started, from git's own trace: one diff for all 10,000 files.
    const gitCalls = fs.readFileSync(trace, 'utf8').split('\n').filter((l) => l.includes('trace: built-in: git '));
    expect(gitCalls.filter((l) => l.includes('built-in: git diff'))).toHaveLength(1);
    expect(gitCalls.filter((l) => / git (cat-file|show|ls-files)/.test(l))).toHaveLength(0);

    fs.writeFileSync(repo.path('pkg42/file7742.ts'), 'export const value7742 = 7742;\n');
    repo.add();
    const ok = repo.commitWithHooks('10k files');
    expect(ok.status, ok.stderr).toBe(0);
    expect(repo.filesIn()).toHaveLength(10_000 + 7); // + .gitignore, package.json, 5 hooks
  }, 240_000);
});

describe('allowing a false positive', () => {
  test('an inline allow comment or the key\'s hash in the config lets the commit through', () => {
    const repo = setupWithCommit();
    const key = fakeKey('test');
    repo.write('docs.ts', `const sample = "${key}"; // mirra-scan:allow documented test key\n`).add();
    const inline = repo.commitWithHooks('inline allow');
    expect(inline.status, inline.stderr).toBe(0);

    const other = fakeKey('test');
    repo.write('fixture.ts', `export const k = "${other}";\n`).add();
    expect(repo.commitWithHooks('not yet allowed').status).not.toBe(0);
    const keySha256 = createHash('sha256').update(other).digest('hex');
    repo.write('.mirrascanrc.json', JSON.stringify({ allowedKeys: [{ keySha256, reason: 'fixture key, never issued' }] }) + '\n').add();
    const allowed = repo.commitWithHooks('allowed by hash');
    expect(allowed.status, allowed.stderr).toBe(0);
  });
});

describe('commit-msg: a key pasted into the message', () => {
  test('blocks the commit; a clean message goes through', () => {
    const repo = setupWithCommit(['--commit-msg']);
    const head = repo.head();
    repo.write('readme.md', 'docs\n').add();
    const blocked = repo.commitWithHooks(`docs\n\nused key ${fakeKey('script')} to test`);
    expect(blocked.status).not.toBe(0);
    expect(blocked.stderr).toContain('COMMIT_EDITMSG:3:');
    expect(blocked.stderr).toContain('its message contains a Mirra API key');
    expect(repo.head()).toBe(head);

    const ok = repo.commitWithHooks('docs');
    expect(ok.status, ok.stderr).toBe(0);
  });
});

describe('pre-push: commits made with --no-verify are stopped before they are shared', () => {
  test('new branch, fast-forward, force push; deletion goes through', () => {
    const repo = setupWithCommit(['--pre-push']);
    const bare = repo.addBareRemote();
    made.push(bare);
    const first = repo.tryGit('push', '-u', 'origin', 'main');
    expect(first.status, first.stderr).toBe(0);

    // A key committed with --no-verify, under a clean commit on top: the push is stopped.
    repo.write('secret.ts', line(fakeKey())).add();
    const bad = repo.commit('key, hooks skipped', '--no-verify');
    repo.commitFiles({ 'later.txt': 'later\n' }, 'later');
    const pushed = bare.git('rev-parse', 'main').trim();
    const r = repo.tryGit('push', 'origin', 'main');
    expect(r.status).not.toBe(0);
    // git push passes the hook's stdout through (git commit folds it into stderr).
    expect(r.stdout).toContain('secret.ts:1:');
    expect(r.stdout).toContain(`in commit ${bad!.slice(0, 12)}`);
    expect(r.stderr).toContain('mirra-scan stopped this push to origin');
    expect(r.stderr).toContain('git push --no-verify');
    expect(bare.git('rev-parse', 'main').trim()).toBe(pushed);

    // A new branch carrying the same commits is stopped too.
    const branch = repo.tryGit('push', 'origin', 'main:refs/heads/topic');
    expect(branch.status).not.toBe(0);
    expect(bare.tryGit('rev-parse', '--verify', '-q', 'topic').status).not.toBe(0);

    // Rewrite the key away and push: fine. Then a force push of a rewritten history with a key: stopped.
    repo.git('reset', '-q', '--hard', 'origin/main');
    repo.commitFiles({ 'clean.txt': 'clean\n' }, 'clean');
    expect(repo.tryGit('push', 'origin', 'main').status).toBe(0);
    repo.git('reset', '-q', '--hard', 'HEAD~1');
    repo.write('forced.ts', line(fakeKey('install'))).add();
    repo.commit('rewritten with a key', '--no-verify');
    const forced = repo.tryGit('push', '--force', 'origin', 'main');
    expect(forced.status).not.toBe(0);
    expect(forced.stdout).toContain('forced.ts:1:');

    // Deleting a remote branch sends no commits.
    repo.git('push', '-q', '--no-verify', 'origin', 'origin/main:refs/heads/old');
    const del = repo.tryGit('push', 'origin', ':old');
    expect(del.status, del.stderr).toBe(0);
  });
});

describe('fail closed', () => {
  test('a missing bin or a failing scanner stops the commit with a clear reason', () => {
    const repo = setupWithCommit();
    const head = repo.head();
    fs.rmSync(repo.path('node_modules/.bin/mirra-scan'));
    repo.write('a.txt', 'no key\n').add();
    const missing = repo.commitWithHooks('a');
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('node_modules/.bin/mirra-scan is missing');
    expect(repo.head()).toBe(head);

    // A scanner that fails (exit 2, as mirra-scan does when git fails) stops the commit too.
    fs.writeFileSync(repo.path('node_modules/.bin/mirra-scan'), '#!/bin/sh\necho "mirra-scan: git: index file corrupt" >&2\nexit 2\n', { mode: 0o755 });
    const failed = repo.commitWithHooks('a');
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toContain('git: index file corrupt');
    expect(failed.stderr).toContain('the scan itself failed (exit 2');
    expect(failed.stderr).toContain('not checked for Mirra API keys and is stopped');
    expect(repo.head()).toBe(head);
  });
});

describe('mirra-scan install', () => {
  test('is idempotent and appends to a hook the user already has', () => {
    const repo = new TempRepo({ prefix: 'mirra-install-' });
    made.push(repo);
    repo.write('.husky/pre-commit', 'echo "user hook ran"\n');
    const { install } = hookedRepoIn(repo);
    expect(install.status, install.stderr).toBe(0);
    expect(install.stdout).toMatch(/^appended +\.husky\/pre-commit$/m);
    const hook = repo.read('.husky/pre-commit');
    expect(hook.startsWith('echo "user hook ran"\n')).toBe(true);
    expect(hook).toContain('"$bin" staged');

    const again = repo.mirraScan(['install']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^unchanged +\.husky\/pre-commit$/m);
    expect(repo.read('.husky/pre-commit')).toBe(hook);
    expect(JSON.parse(repo.read('package.json')).scripts.prepare).toBe('husky');

    repo.write('a.ts', line(fakeKey())).add();
    const blocked = repo.commitWithHooks('a');
    expect(blocked.status).not.toBe(0);
    expect(blocked.stderr).toContain('user hook ran');
    expect(blocked.stderr).toContain('a.ts:1:');
  });

  test('package.json in a subfolder: husky set up from the repository root, the hook runs the subfolder bin', () => {
    const repo = setup([], 'web/app');
    expect(JSON.parse(repo.read('web/app/package.json')).scripts.prepare).toBe('cd ../.. && husky web/app/.husky');
    expect(repo.git('config', 'core.hooksPath').trim()).toBe('web/app/.husky/_');
    expect(repo.read('web/app/.husky/pre-commit')).toContain(`cd 'web/app'`);
    repo.write('server/key.ts', line(fakeKey())).add();
    const blocked = repo.commitWithHooks('server');
    expectBlockedCommit(blocked, 'server/key.ts:1:');
    expect(repo.head()).toBeNull();
  });

  test('--no-install with husky missing says what to run and writes the hooks', () => {
    const repo = new TempRepo({ prefix: 'mirra-install-' });
    made.push(repo);
    repo.write('package.json', JSON.stringify({ name: 'x', version: '1.0.0', scripts: { prepare: 'npm run build' } }, null, 4) + '\n');
    const r = repo.mirraScan(['install', '--no-install']);
    expect(r.status, r.stderr).toBe(2); // not active is not success
    expect(r.stdout).toContain('husky is not installed: run `npm install --save-dev husky`');
    expect(r.stdout).toContain('hooks written but not active');
    expect(fs.existsSync(repo.path('.husky/pre-commit'))).toBe(true);
    expect(repo.read('package.json')).toContain('    "prepare": "npm run build && husky"');
  });

  test('outside a git repository: exit 2 with one line', () => {
    const repo = new TempRepo({ prefix: 'mirra-install-' });
    made.push(repo);
    fs.rmSync(repo.path('.git'), { recursive: true });
    const r = repo.mirraScan(['install']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('not in a git repository');
  });
});

/** hookedRepo's setup, in a repository the test made first. */
function hookedRepoIn(repo: TempRepo) {
  fs.writeFileSync(repo.path('package.json'), JSON.stringify({ name: 'user-app', version: '1.0.0', devDependencies: { husky: '^9.1.7' } }, null, 2) + '\n');
  repo.write('.gitignore', 'node_modules/\n');
  linkMirraScanInto(repo.dir);
  return { install: repo.mirraScan(['install']) };
}
