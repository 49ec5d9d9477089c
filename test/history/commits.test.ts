// `history` and `diff` on real repositories with scripted histories: keys added then removed, in
// merge resolutions, in renamed and binary files, on several branches; one git log per scan.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { keySha256 } from '../../src/detector/redact.js';
import { scanCommitRange } from '../../src/sources/git/commits.js';
import { scanHistory } from '../../src/sources/git/history.js';
import { fakeKey } from '../support/fake-keys.js';
import { CLI, GIT_ENV, HistoryRepo, cleanEnv, runCli, runJson, tempDir } from '../support/history-repo.js';

// Each test runs git and the CLI several times; a loaded machine must not turn that into a failure.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function newRepo(): HistoryRepo {
  const repo = HistoryRepo.init();
  dirs.push(repo.dir);
  return repo;
}

describe('a key added then removed', () => {
  const key = fakeKey('script', 77);
  let repo: HistoryRepo;
  let added: string;

  beforeAll(() => {
    repo = newRepo();
    repo.write('README.md', '# app\n').commit('init');
    repo.write('src/config.js', `export const config = {\n  apiKey: '${key}',\n};\n`);
    added = repo.commit('add config', { name: 'Bob Leaker', email: 'bob@example.test' });
    repo.write('src/config.js', 'export const config = {\n  apiKey: process.env.MIRRA_API_KEY,\n};\n').commit('use env');
  });

  it('is not in the working tree any more', () => {
    const r = runJson(['scan'], repo.dir);
    expect(r.status).toBe(0);
    expect(r.findings).toEqual([]);
  });

  it('is found by history, with the commit that added it, its author and date', () => {
    const r = runJson(['history'], repo.dir);
    expect(r.status).toBe(1);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({
      file: 'src/config.js',
      line: 2,
      column: 12,
      source: 'commit',
      commit: added,
      author: 'Bob Leaker <bob@example.test>',
      keySha256: keySha256(key),
    });
    expect(r.findings[0].date).toMatch(/^2024-01-\d\dT/);
    expect(r.stdout).not.toContain(key);
  });

  it('is found by diff over the range that holds its commit, and not outside it', () => {
    expect(runJson(['diff', 'HEAD~2..HEAD'], repo.dir).findings.map((f) => f.commit)).toEqual([added]);
    const after = runJson(['diff', 'HEAD~1..HEAD'], repo.dir);
    expect(after.status).toBe(0);
    expect(after.findings).toEqual([]);
  });

  it('prints it in the text report with who added it', () => {
    const r = runCli(['history'], repo.dir);
    expect(r.stdout).toContain(`src/config.js:2:12 in commit ${added.slice(0, 12)}`);
    expect(r.stdout).toContain('added by Bob Leaker <bob@example.test>');
  });
});

describe('merges', () => {
  const fromBranch = fakeKey('untyped', 70);
  const inResolution = fakeKey('install', 90);
  const evil = fakeKey('test', 80);
  const evilBinary = fakeKey('script', 96);
  let repo: HistoryRepo;
  let branchCommit: string;
  let conflictMerge: string;
  let cleanMerge: string;

  beforeAll(() => {
    repo = newRepo();
    repo.write('app.conf', 'name = app\nmode = dev\nport = 1\n').commit('init');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('feature.js', `const k = "${fromBranch}";\n`);
    repo.write('app.conf', 'name = app\nmode = feature\nport = 1\n');
    branchCommit = repo.commit('feature work');
    repo.git('checkout', '-q', 'main');
    repo.write('app.conf', 'name = app\nmode = prod\nport = 1\n').commit('main work');
    // Conflict on `mode`; the resolution writes a line that is in neither parent, with a key.
    expect(repo.gitTry('merge', '-q', '--no-edit', 'feature').status).not.toBe(0);
    repo.write('app.conf', `name = app\nmode = both\nkey = ${inResolution}\nport = 1\n`);
    conflictMerge = repo.commit('merge feature, resolving mode');
    // A clean merge whose author slipped a key in ("evil merge"): also only in the merge.
    repo.git('checkout', '-q', '-b', 'other', 'HEAD~1');
    repo.write('other.txt', 'other\n').commit('other work');
    repo.git('checkout', '-q', 'main');
    repo.git('merge', '-q', '--no-commit', '--no-ff', 'other');
    repo.write('notes.md', `token: ${evil}\n`);
    repo.write('assets/merge.bin', Buffer.concat([Buffer.from([0, 1, 0, 2]), Buffer.from(evilBinary, 'latin1'), Buffer.from([0, 0])]));
    cleanMerge = repo.commit('merge other');
  });

  it('finds a key the conflict resolution adds, in the merge commit, at its line', () => {
    const r = runJson(['history'], repo.dir);
    const f = r.findings.find((x) => x.keySha256 === keySha256(inResolution));
    expect(f).toMatchObject({ file: 'app.conf', line: 3, commit: conflictMerge });
  });

  it('finds keys an evil merge adds to files in neither parent, text and binary', () => {
    const r = runJson(['history'], repo.dir);
    expect(r.findings.find((x) => x.keySha256 === keySha256(evil))).toMatchObject({ file: 'notes.md', line: 1, commit: cleanMerge });
    expect(r.findings.find((x) => x.keySha256 === keySha256(evilBinary))).toMatchObject({ file: 'assets/merge.bin', commit: cleanMerge });
  });

  it('reports a key a merge brings in from a branch once, at the branch commit', () => {
    const r = runJson(['history'], repo.dir);
    const hits = r.findings.filter((x) => x.keySha256 === keySha256(fromBranch));
    expect(hits.map((h) => h.commit)).toEqual([branchCommit]);
    expect(r.findings).toHaveLength(4);
  });

  it('diff over the merge alone reports only what its resolution added', () => {
    const r = runJson(['diff', `${conflictMerge}^1..${conflictMerge}`], repo.dir);
    // The range also holds the feature commit (reachable from the merge, not from its first parent).
    expect(r.findings.map((f) => [f.keySha256, f.commit]).sort()).toEqual(
      [
        [keySha256(fromBranch), branchCommit],
        [keySha256(inResolution), conflictMerge],
      ].sort(),
    );
  });
});

describe('renamed and binary files', () => {
  const renamedKey = fakeKey('script', 80);
  const addedOnRename = fakeKey('untyped', 66);
  const binaryKey = fakeKey('test', 72);
  let repo: HistoryRepo;
  let first: string;
  let renameCommit: string;
  let binaryCommit: string;

  beforeAll(() => {
    repo = newRepo();
    const body = Array.from({ length: 30 }, (_, i) => `line ${i} of a longer file`).join('\n');
    repo.write('old/name.js', `const key = '${renamedKey}';\n${body}\n`);
    first = repo.commit('add');
    repo.move('old/name.js', 'new/name.js');
    renameCommit = repo.commit('pure rename');
    repo.move('new/name.js', 'new/other.js');
    repo.write('new/other.js', `${repo.read('new/other.js')}const second = '${addedOnRename}';\n`);
    renameCommit = repo.commit('rename and edit');
    const bin = Buffer.concat([Buffer.from([0, 1, 2, 3, 0, 255, 0]), Buffer.from(`\0key=${binaryKey}\0`, 'latin1'), Buffer.alloc(64, 7)]);
    repo.write('assets/blob.bin', bin);
    binaryCommit = repo.commit('binary');
  });

  it('does not report a renamed key again; a line added while renaming is reported under the new name', () => {
    const r = runJson(['history'], repo.dir);
    const renamed = r.findings.filter((f) => f.keySha256 === keySha256(renamedKey));
    expect(renamed).toEqual([expect.objectContaining({ file: 'old/name.js', line: 1, commit: first })]);
    expect(r.findings.find((f) => f.keySha256 === keySha256(addedOnRename))).toMatchObject({ file: 'new/other.js', line: 32, commit: renameCommit });
  });

  it('searches a binary file’s new blob, as scan searches binary files', () => {
    const r = runJson(['history'], repo.dir);
    expect(r.findings.find((f) => f.keySha256 === keySha256(binaryKey))).toMatchObject({ file: 'assets/blob.bin', commit: binaryCommit, source: 'commit' });
    expect(r.findings).toHaveLength(3);
  });
});

describe('several branches, refs and places', () => {
  const onMain = fakeKey('untyped', 68);
  const onFeature = fakeKey('script', 75);
  const onLoose = fakeKey('install', 88);
  const onTag = fakeKey('test', 70);
  let repo: HistoryRepo;
  let mainCommit: string;
  let featureCommit: string;

  beforeAll(() => {
    repo = newRepo();
    repo.write('a.txt', 'a\n').commit('init');
    repo.write('main.txt', `${onMain}\n`);
    mainCommit = repo.commit('main key');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('feature.txt', `${onFeature}\n`);
    featureCommit = repo.commit('feature key');
    repo.git('checkout', '-q', '-b', 'loose', 'main');
    repo.write('loose.txt', `${onLoose}\n`).commit('loose key');
    repo.git('checkout', '-q', '--detach', 'main');
    repo.write('tag.txt', `${onTag}\n`).commit('tagged only');
    repo.git('tag', 'v1');
    repo.git('checkout', '-q', 'main');
    // main is "pushed": a remote-tracking ref has it; feature is not.
    repo.git('update-ref', 'refs/remotes/origin/main', 'main');
  });

  it('history scans every ref: branches and tags not merged anywhere', () => {
    const r = runJson(['history'], repo.dir);
    expect(new Set(r.findings.map((f) => f.keySha256))).toEqual(new Set([onMain, onFeature, onLoose, onTag].map(keySha256)));
  });

  it('diff scans only the range asked for', () => {
    const r = runJson(['diff', 'main..feature'], repo.dir);
    expect(r.findings.map((f) => f.keySha256)).toEqual([keySha256(onFeature)]);
  });

  it('diff marks commits no remote-tracking branch has as unpushed, the others as pushed', async () => {
    const r = await scanCommitRange({ cwd: repo.dir, revisions: ['feature'], place: 'auto' });
    const place = (k: string) => r.findings.find((f) => f.keySha256 === keySha256(k))?.place;
    expect(place(onFeature)).toBe('unpushed');
    expect(place(onMain)).toBe('pushed');
    expect(r.findings.find((f) => f.commit === featureCommit)?.place).toBe('unpushed');
    expect(r.findings.find((f) => f.commit === mainCommit)?.place).toBe('pushed');
  });

  it('history marks everything as pushed', async () => {
    const r = await scanHistory({ cwd: repo.dir });
    expect(new Set(r.findings.map((f) => f.place))).toEqual(new Set(['pushed']));
  });

  it('refuses a range that git would read as an option, and names a bad range', () => {
    const opt = runCli(['diff', '--', '--output=/tmp/x'], repo.dir);
    expect(opt.status).toBe(2);
    expect(opt.stderr).toMatch(/not a revision range/);
    const bad = runCli(['diff', 'nope..main'], repo.dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/nope/);
  });

  it('fails with exit 2 outside a git repository', () => {
    const dir = tempDir();
    dirs.push(dir);
    const r = runCli(['history'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^mirra-scan: .*not a git repository/);
  });
});

describe('history reads each blob once', () => {
  it('one rev-list and parallel cat-files read the blobs; only commits that brought a key in are diffed (one git log)', () => {
    const repo = newRepo();
    for (let i = 0; i < 25; i++) {
      repo.write(`f${i % 5}.txt`, `line ${i}\n${i % 7 === 0 ? fakeKey('untyped', 70, i + 1) : 'x'}\n`);
      if (i % 10 === 0) repo.write(`b${i}.bin`, Buffer.concat([Buffer.from([0, 0, 1]), Buffer.from(fakeKey('test', 70, i + 100))]));
      repo.commit(`c${i}`);
    }
    // A `git` on PATH that logs each call (its subcommand, and the revisions a `log` reads), then runs the real one.
    const bin = tempDir('mirra-gitlog-');
    dirs.push(bin);
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    const log = path.join(bin, 'calls.log');
    fs.writeFileSync(
      path.join(bin, 'git'),
      `#!/bin/sh\nsub=''; for a in "$@"; do case "$a" in -*|*=*) ;; *) sub="$a"; break;; esac; done\n` +
        `case " $* " in *" --stdin "*) echo "$sub --stdin" >> '${log}';; *" --find-object="*) echo "$sub --find-object" >> '${log}';; *) echo "$sub" >> '${log}';; esac\n` +
        `exec '${realGit}' "$@"\n`,
      { mode: 0o755 },
    );
    const r = runJson(['history'], repo.dir, { PATH: `${bin}${path.delimiter}${process.env.PATH}`, ...GIT_ENV });
    expect(r.status).toBe(1);
    expect(r.findings).toHaveLength(4 + 3);
    const calls = fs.readFileSync(log, 'utf8').trim().split('\n').sort();
    // One for the blobs, one for the trees alone (a lost tree is listed, never passed over: attacks/missing-objects).
    expect(calls.filter((c) => c === 'rev-list')).toHaveLength(2);
    expect(calls.filter((c) => c === 'log --find-object')).toHaveLength(1);
    expect(calls.filter((c) => c === 'log --stdin')).toHaveLength(1);
    expect(calls.filter((c) => c === 'log')).toHaveLength(1); // the messages
    expect(calls.filter((c) => c === 'for-each-ref')).toHaveLength(1);
    // the blob readers (one a core, at most 4), and one more for the binary blobs of the few diffed commits
    expect(calls.filter((c) => c === 'cat-file').length).toBeLessThanOrEqual(5);
  });

  it('on a git without the object:type filter (before 2.32), every object is listed and only blobs are scanned', () => {
    const repo = newRepo();
    repo.write('a.txt', `k=${fakeKey('untyped', 70, 3)}\n`).commit('key');
    repo.write('b/c.txt', 'clean\n').commit('clean');
    const bin = tempDir('mirra-oldgit-');
    dirs.push(bin);
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    fs.writeFileSync(
      path.join(bin, 'git'),
      `#!/bin/sh\ncase " $* " in *" --filter=object:type=blob "*) echo "fatal: invalid filter-spec 'object:type=blob'" >&2; exit 128;; esac\nexec '${realGit}' "$@"\n`,
      { mode: 0o755 },
    );
    const r = runJson(['history'], repo.dir, { PATH: `${bin}${path.delimiter}${process.env.PATH}`, ...GIT_ENV });
    expect(r.status).toBe(1);
    expect(r.findings.map((f) => [f.file, f.line])).toEqual([['a.txt', 1]]);
  });

  it('a clean history diffs nothing: no commit is shown', () => {
    const repo = newRepo();
    for (let i = 0; i < 5; i++) repo.write('a.txt', `${i}\n`).commit(`c${i}`);
    const bin = tempDir('mirra-gitlog-');
    dirs.push(bin);
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    const log = path.join(bin, 'calls.log');
    fs.writeFileSync(path.join(bin, 'git'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
    const r = runJson(['history'], repo.dir, { PATH: `${bin}${path.delimiter}${process.env.PATH}`, ...GIT_ENV });
    expect(r.status).toBe(0);
    expect(fs.readFileSync(log, 'utf8')).not.toMatch(/find-object|--stdin| -p /);
  });
});

describe('history progress', () => {
  let repo: HistoryRepo;
  beforeAll(() => {
    repo = newRepo();
    for (let i = 0; i < 12; i++) repo.write('n.txt', `${i}\n`).commit(`c${i}`);
  });

  it('stays quiet when stderr is not a terminal', () => {
    const r = runCli(['history'], repo.dir);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });

  // `script` gives the CLI a pseudo-terminal, as a developer's shell would.
  const hasScript = (() => {
    try {
      execFileSync('script', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.runIf(hasScript)('draws a progress bar on a terminal, and none when CI is set', () => {
    const inTty = (env: NodeJS.ProcessEnv) =>
      execFileSync('script', ['-qec', `'${process.execPath}' '${CLI}' history`, '/dev/null'], { cwd: repo.dir, env: cleanEnv(env), encoding: 'utf8' });
    // The line waits about a second before it shows (../cli/progress.test.ts); here it shows at once.
    const shown = inTty({ MIRRA_SCAN_PROGRESS_DELAY_MS: '0' });
    expect(shown).toContain('scanning history [');
    expect(shown).toMatch(/\] \d+\/\d+\+? blobs \d+%/);
    // The bar is wiped before the report is printed.
    expect(shown.indexOf('\x1b[K')).toBeLessThan(shown.indexOf('no Mirra keys found'));
    expect(shown.lastIndexOf('\x1b[K')).toBeLessThan(shown.indexOf('no Mirra keys found'));
    expect(inTty({ CI: 'true', MIRRA_SCAN_PROGRESS_DELAY_MS: '0' })).not.toContain('scanning history');
  });
});
