// Attack: objects missing from the repository (a partial or damaged clone, a pruned loose object).
// `git log -p` stops at the first one it cannot read; `history` and `diff` used to exit 2 with no
// report at all. Now they report every key in what could be read, list each unreadable object with
// its commit and path under `errors`, and still exit 2 (the scan is incomplete).

import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { keySha256 } from '../../src/detector/index.js';
import { fakeKey } from '../support/fake-keys.js';
import { TempRepo } from '../support/git-repo.js';

const made: TempRepo[] = [];
afterAll(() => made.forEach((r) => r.cleanup()));

/** Deletes a loose object, as a damaged clone would lack it. */
function dropObject(repo: TempRepo, id: string): void {
  fs.rmSync(repo.path('.git', 'objects', id.slice(0, 2), id.slice(2)));
}

interface Report {
  findings: Array<{ keySha256: string; commit: string; file: string }>;
  errors: Array<{ file: string; message: string; commit?: string; object?: string }>;
  incomplete?: boolean;
}

const KEYS = { before: fakeKey('script', 80, 61), beside: fakeKey('test', 90, 62), after: fakeKey('untyped', 70, 63), merged: fakeKey('install', 100, 64) };
const line = (k: string) => `const k = "${k}";\n`;

/** Four commits: a key; a key beside a file whose blob will be lost; a key after; a clean one. */
function damagedRepo(more?: (repo: TempRepo, shas: string[]) => void): { repo: TempRepo; shas: string[]; lost: string } {
  const repo = new TempRepo({ prefix: 'mirra-missing-' });
  made.push(repo);
  const shas = [
    repo.commitFiles({ 'README.md': 'app\n' }, 'start'),
    repo.commitFiles({ 'src/a.ts': line(KEYS.before) }, 'one key'),
    repo.commitFiles({ 'src/b.ts': line(KEYS.beside), 'data/lost.txt': 'this blob goes missing\n', 'z.ts': 'export {};\n' }, 'a key beside a lost blob'),
    repo.commitFiles({ 'src/c.ts': line(KEYS.after) }, 'a key after'),
  ];
  more?.(repo, shas);
  const lost = repo.git('rev-parse', `${shas[2]}:data/lost.txt`).trim();
  dropObject(repo, lost);
  return { repo, shas, lost };
}

describe('a blob missing from history', () => {
  it.each([['history'], ['diff']])('%s reports every key it could read, lists the lost blob with its commit and path, and exits 2', (command) => {
    const { repo, shas, lost } = damagedRepo();
    const args = command === 'history' ? ['history', '--format', 'json'] : ['diff', `${shas[0]}..HEAD`, '--format', 'json'];
    const r = repo.mirraScan(args);
    expect(r.status, r.stderr).toBe(2);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.incomplete).toBe(true);
    const found = report.findings.map((f) => [f.keySha256, f.commit, f.file]);
    expect(found).toEqual(
      expect.arrayContaining([
        [keySha256(KEYS.before), shas[1], 'src/a.ts'],
        [keySha256(KEYS.beside), shas[2], 'src/b.ts'],
        [keySha256(KEYS.after), shas[3], 'src/c.ts'],
      ]),
    );
    expect(report.findings).toHaveLength(3);
    expect(report.errors).toEqual([{ file: 'data/lost.txt', commit: shas[2], object: lost, message: expect.stringContaining('missing') }]);
  });

  it('the text report lists it and never says "no Mirra keys found"', () => {
    const repo = new TempRepo({ prefix: 'mirra-missing-' });
    made.push(repo);
    const start = repo.commitFiles({ 'README.md': 'app\n' }, 'start');
    const added = repo.commitFiles({ 'data/lost.txt': 'this blob goes missing\n' }, 'lost');
    const lost = repo.git('rev-parse', `${added}:data/lost.txt`).trim();
    dropObject(repo, lost);
    const r = repo.mirraScan(['diff', `${start}..HEAD`]);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain(`data/lost.txt in commit ${added.slice(0, 12)}: object ${lost}`);
    expect(r.stdout).toContain('scan incomplete');
    expect(r.stdout).not.toContain('no Mirra keys found');
  });

  it('a key in a merge resolution beyond a lost blob is still found', () => {
    const { repo, shas, lost } = damagedRepo((r, s) => {
      r.git('checkout', '-q', '-b', 'side', s[1]);
      r.commitFiles({ 'side.txt': 'side\n' }, 'side');
      r.git('checkout', '-q', 'main');
      r.git('merge', '-q', '--no-ff', '--no-commit', 'side');
      r.write('merge.ts', line(KEYS.merged)).add('merge.ts');
      r.commit('merge with a key');
    });
    const r = repo.mirraScan(['history', '--format', 'json']);
    expect(r.status, r.stderr).toBe(2);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings.map((f) => f.keySha256).sort()).toEqual(Object.values(KEYS).map(keySha256).sort());
    // The merge brings the file in against its other parent too: `history` may name it there as well.
    expect(report.errors.map((e) => [e.file, e.commit, e.object])).toContainEqual(['data/lost.txt', shas[2], lost]);
    expect(report.errors.every((e) => e.file === 'data/lost.txt' && e.object === lost)).toBe(true);
  });
});

describe('a tree missing from history', () => {
  it('diff: the commits that need it are listed, the others scanned; history: the tree is listed; exit 2', () => {
    const { repo, shas } = damagedRepo();
    // The tree of src/ in the commit that adds b.ts: both that commit and the next one need it.
    const tree = repo.git('rev-parse', `${shas[2]}:src`).trim();
    dropObject(repo, tree);
    const r = repo.mirraScan(['diff', `${shas[0]}..HEAD`, '--format', 'json']);
    expect(r.status, r.stderr).toBe(2);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings.map((f) => f.keySha256)).toContain(keySha256(KEYS.before));
    const listed = report.errors.map((e) => e.commit);
    expect(listed).toEqual(expect.arrayContaining([shas[2], shas[3]]));
    expect(report.errors.every((e) => e.object !== undefined)).toBe(true);
    // history reads blobs, not patches: it names the lost tree (the commits need the tree to be named).
    const h = repo.mirraScan(['history', '--format', 'json']);
    expect(h.status, h.stderr).toBe(2);
    const hr = JSON.parse(h.stdout) as Report;
    expect(hr.errors.map((e) => e.object)).toContain(tree);
    expect(hr.findings.map((f) => f.keySha256)).toContain(keySha256(KEYS.before));
  });
});
