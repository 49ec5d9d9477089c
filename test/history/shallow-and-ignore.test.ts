// `history` and `diff` in shallow clones (refused, with how to fix it, instead of blaming the boundary
// commit), and `--no-ignore`: `.mirrascanignore` and the config's `ignorePaths` apply to `diff` and
// `history` unless it is given, and never to messages.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { keySha256 } from '../../src/detector/redact.js';
import { fakeKey } from '../support/fake-keys.js';
import { HistoryRepo, runCli, runJson, tempDir } from '../support/history-repo.js';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('shallow clones', () => {
  const early = fakeKey('script', 80); // added and removed before the clone's boundary
  const tree = fakeKey('test', 72); // in the tree since before the boundary
  const recent = fakeKey('install', 90); // added after the boundary
  let shallow: HistoryRepo;
  let full: HistoryRepo;
  let recentCommit: string;

  beforeAll(() => {
    const root = tempDir('mirra-shallow-');
    dirs.push(root);
    const origin = HistoryRepo.init(path.join(root, 'origin'));
    origin.write('tree.js', `const k = '${tree}';\n`).commit('c1');
    origin.write('early.js', `const k = '${early}';\n`).commit('c2');
    origin.remove('early.js').commit('c3');
    origin.write('a.txt', 'a\n').commit('c4');
    origin.write('recent.js', `const k = '${recent}';\n`);
    recentCommit = origin.commit('c5');
    const url = 'file://' + origin.dir;
    shallow = HistoryRepo.clone(url, path.join(root, 'shallow'), '--depth', '2');
    full = HistoryRepo.clone(url, path.join(root, 'full'));
  });

  it('history fails with exit 2 and one line saying the history is incomplete and how to fix it', () => {
    const r = runCli(['history'], shallow.dir);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^mirra-scan: history: this is a shallow clone, so its history is incomplete/);
    for (const fix of ['git fetch --unshallow', 'fetch-depth: 0', 'GIT_DEPTH: 0']) expect(r.stderr).toContain(fix);
  });

  it('history in the full clone finds all three keys, each at the commit that added it', () => {
    const r = runJson(['history'], full.dir);
    expect(new Set(r.findings.map((f) => f.keySha256))).toEqual(new Set([early, tree, recent].map(keySha256)));
  });

  it('after git fetch --unshallow, history works', () => {
    const root = tempDir('mirra-unshallow-');
    dirs.push(root);
    const copy = HistoryRepo.clone('file://' + full.dir, path.join(root, 'c'), '--depth', '1');
    expect(runCli(['history'], copy.dir).status).toBe(2);
    copy.git('fetch', '-q', '--unshallow');
    expect(runJson(['history'], copy.dir).findings).toHaveLength(3);
  });

  it('diff fails the same way when the range reaches the shallow boundary', () => {
    const r = runCli(['diff', 'HEAD'], shallow.dir);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^mirra-scan: diff: the range HEAD reaches the boundary of this shallow clone, so its history is incomplete/);
    expect(r.stderr).toContain('git fetch --unshallow');
  });

  it('diff of a range inside the shallow clone scans normally', () => {
    const r = runJson(['diff', 'HEAD~1..HEAD'], shallow.dir);
    expect(r.status).toBe(1);
    expect(r.findings.map((f) => [f.keySha256, f.commit])).toEqual([[keySha256(recent), recentCommit]]);
  });
});

describe('--no-ignore (diff, history)', () => {
  const hidden = fakeKey('script', 80);
  const vendored = fakeKey('untyped', 70);
  const inMessage = fakeKey('test', 72);
  let repo: HistoryRepo;
  let base: string;

  beforeAll(() => {
    repo = HistoryRepo.init();
    dirs.push(repo.dir);
    base = repo.write('README.md', '# app\n').commit('init');
    // The commit that adds the key also adds the ignore file that hides it.
    repo.write('.mirrascanignore', 'secrets/\n').write('secrets/prod.env', `MIRRA_API_KEY=${hidden}\n`).commit('add secrets');
    repo.write('.mirrascanrc.json', JSON.stringify({ ignorePaths: ['vendor/'] })).write('vendor/lib.js', `k = '${vendored}';\n`).commit('vendor');
    repo.write('x.txt', 'x\n').commit(`message ${inMessage}`);
  });

  it('without it, .mirrascanignore and ignorePaths drop file findings, but never message findings', () => {
    for (const args of [['history'], ['diff', `${base}..HEAD`]]) {
      const r = runJson(args, repo.dir);
      expect(r.findings.map((f) => [f.file, f.keySha256])).toEqual([['(commit message)', keySha256(inMessage)]]);
    }
  });

  it('with it, neither applies', () => {
    for (const args of [['history', '--no-ignore'], ['diff', '--no-ignore', `${base}..HEAD`]]) {
      const r = runJson(args, repo.dir);
      expect(r.status).toBe(1);
      expect(new Set(r.findings.map((f) => f.file))).toEqual(new Set(['secrets/prod.env', 'vendor/lib.js', '(commit message)']));
    }
  });
});
