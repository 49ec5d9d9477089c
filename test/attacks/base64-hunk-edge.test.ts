// Attack: a base64-wrapped key split over two commits. The first encoded line (which holds the
// encoded `mirra_`) is committed first, the rest of the lines by the next commit (or the other way
// round), so the lines each commit adds hold half a key. The staged scan (the pre-commit hook),
// `diff` and `history` must read enough of the blob around the added lines to see across the edge.

import { afterAll, describe, expect, it } from 'vitest';
import { keySha256 } from '../../src/detector/index.js';
import { fakeKey } from '../support/fake-keys.js';
import { TempRepo } from '../support/git-repo.js';

const KEY = fakeKey('script', 90, 71);
/** The key in a JSON document, base64-encoded and wrapped at 64 columns, as PEM and `base64 -w 64` write it. */
const LINES = Buffer.from(`{"service":"billing","apiKey":"${KEY}","region":"eu"}`)
  .toString('base64')
  .match(/.{1,64}/g) as string[];

const made: TempRepo[] = [];
afterAll(() => made.forEach((r) => r.cleanup()));

interface Report {
  findings: Array<{ keySha256: string; commit: string | null; file: string; encoding: string; line: number }>;
}
const json = (stdout: string) => JSON.parse(stdout) as Report;

function repoWith(first: string[]): { repo: TempRepo; base: string } {
  const repo = new TempRepo({ prefix: 'mirra-b64-edge-' });
  made.push(repo);
  repo.commitFiles({ 'README.md': 'app\n' }, 'start');
  const base = repo.commitFiles({ 'config/token.b64': first.join('\n') + '\n' }, 'part of a blob');
  return { repo, base };
}

describe('a base64-wrapped key whose lines are added by two commits', () => {
  it('the encoded prefix alone is not a key (so the first commit passes)', () => {
    expect(LINES[0]).toMatch(/bWlycmFf|1pcnJhX|taXJyYV/); // the encoded `mirra_` is whole in the first line
    const { repo } = repoWith(LINES.slice(0, 1));
    const r = repo.mirraScan(['history', '--format', 'json']);
    expect(r.status, r.stderr).toBe(0);
  });

  it.each([
    ['the first line committed, the rest added', LINES.slice(0, 1), LINES],
    ['the rest committed, the first line added above it', LINES.slice(1), LINES],
    ['the first and last lines committed, the middle added', [LINES[0], ...LINES.slice(2)], LINES],
  ])('%s: the staged scan, diff and history find it in the commit that completes it', (_name, first, all) => {
    const { repo, base } = repoWith(first);
    repo.write('config/token.b64', all.join('\n') + '\n').add();
    const staged = repo.mirraScan(['staged', '--format', 'json']);
    expect(staged.status, staged.stderr).toBe(1);
    expect(json(staged.stdout).findings.map((f) => [f.keySha256, f.file, f.encoding, f.line])).toEqual([[keySha256(KEY), 'config/token.b64', 'base64', 1]]);
    const completes = repo.commit('the rest of the blob');
    const diff = repo.mirraScan(['diff', `${base}..HEAD`, '--format', 'json']);
    expect(diff.status, diff.stderr).toBe(1);
    expect(json(diff.stdout).findings.map((f) => [f.keySha256, f.commit])).toEqual([[keySha256(KEY), completes]]);
    const history = repo.mirraScan(['history', '--format', 'json']);
    expect(history.status, history.stderr).toBe(1);
    expect(json(history.stdout).findings.map((f) => [f.keySha256, f.commit])).toEqual([[keySha256(KEY), completes]]);
  });

  it('a key wholly in lines that were already there is not blamed on a commit that adds lines beside it', () => {
    const { repo } = repoWith(LINES);
    repo.commitFiles({ 'config/token.b64': [...LINES, ...Buffer.alloc(96, 7).toString('base64').match(/.{1,64}/g)!].join('\n') + '\n' }, 'more lines');
    const r = repo.mirraScan(['history', '--format', 'json']);
    expect(r.status, r.stderr).toBe(1);
    const commits = json(r.stdout).findings.map((f) => f.commit);
    expect(commits).toHaveLength(1);
    expect(commits[0]).toBe(repo.git('rev-parse', 'HEAD~1').trim());
  });
});
