// The patch parser on its own, fed patches as git prints them: which lines a file gains, at which
// line numbers, for plain diffs, several hunks, combined (merge) diffs, renames, binaries, quoted
// names, bytes that are not UTF-8, and input cut into chunks anywhere.

import { describe, expect, it } from 'vitest';
import { PatchParser, type AddedRun, type CommitHeader, type PatchFile } from '../../src/sources/git/patch-parser.js';

interface Parsed {
  commits: CommitHeader[];
  files: PatchFile[];
  runs: Array<{ file: string; startLine: number; text: string; commit: string | null }>;
}

function parse(patch: string | Buffer, chunkSize = Infinity): Parsed {
  const out: Parsed = { commits: [], files: [], runs: [] };
  const parser = new PatchParser({
    onCommit: (c) => out.commits.push(c),
    onFile: (f) => out.files.push({ ...f }),
    onAdded: (r: AddedRun) => out.runs.push({ file: r.file.path, startLine: r.startLine, text: r.text, commit: r.commit?.sha ?? null }),
  });
  const bytes = Buffer.isBuffer(patch) ? patch : Buffer.from(patch, 'latin1');
  const step = Math.min(chunkSize, bytes.length || 1);
  for (let i = 0; i < bytes.length; i += step) parser.push(bytes.subarray(i, i + step));
  parser.end();
  return out;
}

const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);
const SHA_C = 'c'.repeat(40);

const twoHunks = [
  'diff --git a/src/app.ts b/src/app.ts',
  `index ${'1'.repeat(40)}..${'2'.repeat(40)} 100644`,
  '--- a/src/app.ts',
  '+++ b/src/app.ts',
  '@@ -3,0 +4,2 @@',
  '+const a = 1;',
  '+const b = 2;',
  '@@ -10 +12 @@',
  '-old line',
  '+new line',
  '',
].join('\n');

describe('PatchParser', () => {
  it('yields the added lines of each hunk with their line numbers in the new file', () => {
    const { runs, files } = parse(twoHunks);
    expect(files.map((f) => f.path)).toEqual(['src/app.ts']);
    expect(runs).toEqual([
      { file: 'src/app.ts', startLine: 4, text: 'const a = 1;\nconst b = 2;', commit: null },
      { file: 'src/app.ts', startLine: 12, text: 'new line', commit: null },
    ]);
  });

  it('context and removed lines (a diff with -U3) split runs and count toward the hunk\'s end', () => {
    const patch = [
      'diff --git a/a.txt b/a.txt',
      '--- a/a.txt',
      '+++ b/a.txt',
      '@@ -1,3 +1,5 @@',
      ' kept',
      '-removed',
      '+added two',
      '+added three',
      ' kept four',
      '+added five',
      '\\ No newline at end of file',
      'diff --git a/b.txt b/b.txt',
      '--- a/b.txt',
      '+++ b/b.txt',
      '@@ -0,0 +1 @@',
      '+z',
      '',
    ].join('\n');
    expect(parse(patch).runs).toEqual([
      { file: 'a.txt', startLine: 2, text: 'added two\nadded three', commit: null },
      { file: 'a.txt', startLine: 5, text: 'added five', commit: null },
      { file: 'b.txt', startLine: 1, text: 'z', commit: null },
    ]);
  });

  it('gives the same result however the input is cut into chunks', () => {
    const whole = parse(twoHunks);
    for (const size of [1, 2, 3, 7, 64]) expect(parse(twoHunks, size)).toEqual(whole);
  });

  it('reads the commit lines of our log format', () => {
    const log = `commit ${SHA_B} ${SHA_A}\t2024-01-02T03:04:05+00:00\tAda <ada@example.test>\n\n${twoHunks}`;
    const { commits, runs } = parse(log);
    expect(commits).toEqual([{ sha: SHA_B, parents: [SHA_A], date: '2024-01-02T03:04:05+00:00', author: 'Ada <ada@example.test>' }]);
    expect(runs.every((r) => r.commit === SHA_B)).toBe(true);
  });

  it('a combined (merge) diff: only lines in no parent (`++`) are added', () => {
    const cc = [
      `commit ${SHA_C} ${SHA_A} ${SHA_B}\t2024-01-02T03:04:05+00:00\tAda <ada@example.test>`,
      '',
      'diff --cc f.txt',
      `index ${'1'.repeat(40)},${'2'.repeat(40)}..${'3'.repeat(40)}`,
      '--- a/f.txt',
      '+++ b/f.txt',
      '@@@ -1,1 -1,1 +1,3 @@@',
      '- from main',
      ' -from topic',
      '++resolved by hand',
      '+ kept from topic',
      ' +kept from main',
      '',
    ].join('\n');
    const { runs } = parse(cc);
    expect(runs).toEqual([{ file: 'f.txt', startLine: 1, text: 'resolved by hand', commit: SHA_C }]);
  });

  it('renames: only the added lines count, under the new path', () => {
    const rename = [
      'diff --git a/old.ts b/new.ts',
      'similarity index 90%',
      'rename from old.ts',
      'rename to new.ts',
      `index ${'1'.repeat(40)}..${'2'.repeat(40)} 100644`,
      '--- a/old.ts',
      '+++ b/new.ts',
      '@@ -2 +2 @@',
      '-x',
      '+y',
      '',
    ].join('\n');
    const { files, runs } = parse(rename);
    expect(files[0]).toMatchObject({ path: 'new.ts', oldPath: 'old.ts', deleted: false });
    expect(runs).toEqual([{ file: 'new.ts', startLine: 2, text: 'y', commit: null }]);
  });

  it('binary files and deletions add no lines; a binary file names its new blob', () => {
    const patch = [
      'diff --git a/logo.png b/logo.png',
      'new file mode 100644',
      `index ${'0'.repeat(40)}..${'9'.repeat(40)}`,
      'Binary files /dev/null and b/logo.png differ',
      'diff --git a/gone.ts b/gone.ts',
      'deleted file mode 100644',
      `index ${'1'.repeat(40)}..${'0'.repeat(40)}`,
      '--- a/gone.ts',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-bye',
      '',
    ].join('\n');
    const { files, runs } = parse(patch);
    expect(files[0]).toMatchObject({ path: 'logo.png', binary: true, newBlob: '9'.repeat(40) });
    expect(files[1]).toMatchObject({ path: 'gone.ts', deleted: true });
    expect(runs).toEqual([]);
  });

  it('quoted names (spaces, tabs, non-UTF-8 bytes) and non-UTF-8 content are kept byte for byte', () => {
    const name = '"sp ace\\tna\\303\\257ve.ts"';
    const patch = Buffer.concat([
      Buffer.from(`diff --git ${name.replace('"sp', '"a/sp')} ${name.replace('"sp', '"b/sp')}\n--- /dev/null\n+++ ${name.replace('"sp', '"b/sp')}\n@@ -0,0 +1 @@\n+`, 'latin1'),
      Buffer.from([0xff, 0xfe, 0x41]),
      Buffer.from('\n', 'latin1'),
    ]);
    const { files, runs } = parse(patch);
    expect(files[0].path).toBe('sp ace\tnaïve.ts'); // names are decoded (UTF-8), content is not
    expect(Buffer.from(runs[0].text, 'latin1')).toEqual(Buffer.from([0xff, 0xfe, 0x41]));
  });

  it('"\\ No newline at end of file" is not a line', () => {
    const patch = ['diff --git a/f b/f', '--- a/f', '+++ b/f', '@@ -1 +1,2 @@', ' same', '+last', '\\ No newline at end of file', ''].join('\n');
    expect(parse(patch).runs).toEqual([{ file: 'f', startLine: 2, text: 'last', commit: null }]);
  });
});
