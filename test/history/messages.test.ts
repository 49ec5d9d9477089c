// Keys in commit and tag messages: `history`, `diff` (and, in test/ci and test/hooks, `ci` and
// `pre-push`) scan every message of the commits they scan, in one more streamed `git log`.

import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { keySha256 } from '../../src/detector/redact.js';
import { COMMIT_MESSAGE_FILE } from '../../src/sources/git/messages.js';
import { scanCommitRange } from '../../src/sources/git/commits.js';
import { fakeKey } from '../support/fake-keys.js';
import { HistoryRepo, runCli, runJson } from '../support/history-repo.js';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const inMessage = fakeKey('script', 80);
const inSubject = fakeKey('untyped', 70);
const inTag = fakeKey('install', 90);
const inLightTagCommit = fakeKey('test', 72);
const inFile = fakeKey('test', 80);
let repo: HistoryRepo;
let base: string;
let messageCommit: string;
let subjectCommit: string;
let fileCommit: string;

beforeAll(() => {
  repo = HistoryRepo.init();
  base = repo.write('README.md', '# app\n').commit('init');
  messageCommit = repo.write('app.js', 'run();\n').commit(`deploy\n\nused the key\n${inMessage}\nfor the deploy`);
  fileCommit = repo.write('k.js', `const k = '${inFile}';\n`).commit('a key in a file');
  subjectCommit = repo.write('b.js', 'b();\n').commit(`hotfix with ${inSubject}`);
  repo.git('tag', '-a', 'v1', '-m', `release 1\n\nkey: ${inTag}`);
  // A lightweight tag has no message of its own; its commit's message is scanned like any other.
  repo.git('tag', 'light');
  repo.write('c.js', 'c();\n').commit('clean message');
  repo.git('tag', '-a', 'v2', '-m', `message mentions ${inLightTagCommit.slice(0, 20)} only partly`);
});

afterAll(() => {
  fs.rmSync(repo.dir, { recursive: true, force: true });
});

describe('commit messages', () => {
  it('history reports a key in a commit message, with the commit, its author and date, at its line in the message', () => {
    const r = runJson(['history'], repo.dir);
    expect(r.status).toBe(1);
    const f = r.findings.find((x) => x.keySha256 === keySha256(inMessage));
    expect(f).toMatchObject({ file: '(commit message)', line: 4, column: 1, source: 'commit', commit: messageCommit, author: 'Ada Tester <ada@example.test>' });
    expect(f?.date).toMatch(/^2024-01-\d\dT/);
    expect(r.findings.find((x) => x.keySha256 === keySha256(inSubject))).toMatchObject({ file: COMMIT_MESSAGE_FILE, line: 1, column: 13, commit: subjectCommit });
    expect(r.stdout).not.toContain(inMessage);
  });

  it('diff scans the messages of the range only', () => {
    const all = runJson(['diff', `${base}..HEAD`], repo.dir);
    expect(all.findings.map((f) => [f.file, f.commit])).toEqual([
      ['k.js', fileCommit],
      [COMMIT_MESSAGE_FILE, subjectCommit],
      [COMMIT_MESSAGE_FILE, messageCommit],
    ]);
    const later = runJson(['diff', `${subjectCommit}..HEAD`], repo.dir);
    expect(later.status).toBe(0);
    expect(later.findings).toEqual([]);
  });

  it('the order is deterministic: file findings in git log order, then messages in git log order, then tags by name', () => {
    const a = runJson(['history'], repo.dir).findings.map((f) => `${f.file}@${f.commit}`);
    const b = runJson(['history'], repo.dir).findings.map((f) => `${f.file}@${f.commit}`);
    expect(a).toEqual(b);
    expect(a.map((x) => x.split('@')[0])).toEqual(['k.js', COMMIT_MESSAGE_FILE, COMMIT_MESSAGE_FILE, '(tag message v1)']);
  });

  it('marks a message finding unpushed or pushed like the commit’s file findings', async () => {
    repo.git('update-ref', 'refs/remotes/origin/main', messageCommit);
    try {
      const r = await scanCommitRange({ cwd: repo.dir, revisions: ['HEAD'], place: 'auto' });
      const place = (k: string) => r.findings.find((f) => f.keySha256 === keySha256(k))?.place;
      expect(place(inMessage)).toBe('pushed');
      expect(place(inSubject)).toBe('unpushed');
    } finally {
      repo.git('update-ref', '-d', 'refs/remotes/origin/main');
    }
  });

  it('text report names the message and the commit, never the key', () => {
    const r = runCli(['history'], repo.dir);
    expect(r.stdout).toContain(`(commit message):4:1 in commit ${messageCommit.slice(0, 12)}`);
    expect(r.stdout).not.toContain(inMessage);
  });

  it('a non-ASCII author reads the same on the file finding and the message finding of one commit', () => {
    const other = HistoryRepo.init();
    try {
      const sha = other.write('a.txt', `${fakeKey('untyped', 70, 6)}\n`).commit(`msg ${fakeKey('untyped', 70, 7)}`, { name: 'José Núñez', email: 'jn@example.test' });
      const r = runJson(['history'], other.dir);
      expect(r.findings.map((f) => [f.file, f.commit, f.author])).toEqual([
        ['a.txt', sha, 'José Núñez <jn@example.test>'],
        ['(commit message)', sha, 'José Núñez <jn@example.test>'],
      ]);
    } finally {
      fs.rmSync(other.dir, { recursive: true, force: true });
    }
  });

  it('mirra-scan:allow never counts in a message (a commit message is not code)', () => {
    const other = HistoryRepo.init();
    try {
      other.write('a.txt', 'a\n').commit(`key ${fakeKey('untyped', 70, 5)} // mirra-scan:allow`);
      expect(runJson(['history'], other.dir).findings.map((f) => f.file)).toEqual(['(commit message)']);
      expect(runJson(['history', '--no-inline-allow'], other.dir).findings).toHaveLength(1);
    } finally {
      fs.rmSync(other.dir, { recursive: true, force: true });
    }
  });
});

describe('tag messages (history)', () => {
  it('reports a key in an annotated tag’s message, with the tag object, the tagger and the date', () => {
    const r = runJson(['history'], repo.dir);
    const tagObject = repo.git('rev-parse', 'refs/tags/v1');
    const f = r.findings.find((x) => x.keySha256 === keySha256(inTag));
    expect(f).toMatchObject({ file: '(tag message v1)', line: 3, column: 6, source: 'commit', commit: tagObject, author: 'Ada Tester <ada@example.test>' });
    expect(f?.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
  });

  it('lightweight tags and clean tag messages add nothing; each key is reported once', () => {
    const r = runJson(['history'], repo.dir);
    expect(r.findings).toHaveLength(4);
    expect(r.findings.filter((f) => f.file.startsWith('(tag message')).map((f) => f.file)).toEqual(['(tag message v1)']);
  });
});
