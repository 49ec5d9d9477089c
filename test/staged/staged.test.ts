// `scanStaged`: what the next commit adds, read from the index, in the states a commit is made in.

import fs from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { policyFor } from '../../src/policy/index.js';
import { scanStaged } from '../../src/sources/git/staged.js';
import { fakeKey } from '../support/fake-keys.js';
import { CLI, TempRepo } from '../support/git-repo.js';

const made: TempRepo[] = [];
afterAll(() => {
  for (const r of made) r.cleanup();
});
function repo(): TempRepo {
  const r = new TempRepo({ prefix: 'mirra-staged-' });
  made.push(r);
  return r;
}
const keyLine = (key = fakeKey()) => `const apiKey = "${key}";\n`;
const where = async (r: TempRepo) => (await scanStaged({ cwd: r.dir })).findings.map((f) => `${f.file}:${f.line}`);

describe('scanStaged', () => {
  test('first commit (unborn HEAD): everything staged counts; findings are staged, with no commit', async () => {
    const r = repo();
    r.write('a.ts', 'x\n' + keyLine()).add();
    const result = await scanStaged({ cwd: r.dir });
    expect(result.findings.map((f) => [f.file, f.line, f.source, f.place, f.commit])).toEqual([['a.ts', 2, 'staged', 'staged', null]]);
  });

  test('reads the index, not the working tree', async () => {
    const r = repo();
    r.commitFiles({ 'a.ts': 'one\n' });
    r.write('a.ts', 'one\n' + keyLine()).add();
    r.write('a.ts', 'one\n');
    expect(await where(r)).toEqual(['a.ts:2']);
    r.add();
    r.write('a.ts', 'one\n' + keyLine());
    expect(await where(r)).toEqual([]);
  });

  test('only added lines count: lines already in HEAD, deletions and pure renames add nothing', async () => {
    const r = repo();
    const key = fakeKey();
    r.commitFiles({ 'old.ts': `a\n${keyLine(key)}b\n`, 'gone.ts': keyLine() }, 'base (hooks skipped)');
    r.git('mv', 'old.ts', 'moved.ts');
    r.git('rm', '-q', 'gone.ts');
    expect(await where(r)).toEqual([]);
    r.write('moved.ts', `a\n${keyLine(key)}b\n${keyLine(key)}`).add();
    expect(await where(r)).toEqual(['moved.ts:4']);
  });

  test('a copy reports only what the copy adds beyond its source... and a copied key counts as added', async () => {
    const r = repo();
    const body = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n') + '\n';
    r.commitFiles({ 'src.ts': body }, 'base');
    r.write('src.ts', body + 'more\n');
    r.write('copy.ts', body + keyLine()).add();
    const names = r.git('diff', '--cached', '-M', '-C', '--name-status');
    expect(names).toMatch(/^C\d+\tsrc\.ts\tcopy\.ts$/m);
    expect(await where(r)).toEqual(['copy.ts:31']);
  });

  test('mode change only: nothing added; binary blob: searched like a binary file', async () => {
    const r = repo();
    r.commitFiles({ 'run.sh': keyLine() }, 'base');
    fs.chmodSync(r.path('run.sh'), 0o755);
    r.add();
    expect(r.git('diff', '--cached', '--summary')).toContain('mode change');
    expect(await where(r)).toEqual([]);

    const bin = Buffer.concat([Buffer.from([0, 1, 2, 3, 0, 255]), Buffer.from(`\0${fakeKey('install')}\0`), Buffer.alloc(64)]);
    r.write('blob.bin', bin).add();
    expect(r.git('diff', '--cached', '--numstat')).toMatch(/^-\t-\tblob\.bin$/m);
    const result = await scanStaged({ cwd: r.dir });
    expect(result.findings.map((f) => [f.file, f.keyType])).toEqual([['blob.bin', 'install']]);
  });

  test('submodules are skipped, and said so', async () => {
    const sub = repo();
    sub.commitFiles({ 'inner.ts': keyLine() }, 'inner');
    const r = repo();
    r.commitFiles({ 'a.txt': 'a\n' });
    r.git('-c', 'protocol.file.allow=always', 'submodule', '-q', 'add', sub.dir, 'vendor/sub');
    const result = await scanStaged({ cwd: r.dir });
    expect(result.findings).toEqual([]);
    expect(result.errors).toEqual([{ file: 'vendor/sub', message: expect.stringContaining('submodule') }]);
  });

  test('names with spaces, newlines, quotes, tabs and non-UTF-8 bytes; paths are root-relative from a subfolder', async () => {
    const r = repo();
    r.commitFiles({ 'sub/keep.txt': 'x\n' });
    r.write('sub/with space.ts', keyLine());
    r.write('sub/new\nline "q"\t.ts', keyLine());
    fs.writeFileSync(Buffer.concat([Buffer.from(r.path('sub/na')), Buffer.from([0xef, 0xff]), Buffer.from('ve.ts')]), keyLine());
    r.add();
    const files = (await scanStaged({ cwd: r.path('sub') })).findings.map((f) => f.file).sort();
    expect(files).toEqual(['sub/na\\xef\\xffve.ts', 'sub/new\nline "q"\t.ts', 'sub/with space.ts'].sort());
  });

  test('an inline allow comment is honoured unless inlineAllow is false', async () => {
    const r = repo();
    r.write('a.ts', `const k = "${fakeKey()}"; // mirra-scan:allow test fixture\n`).add();
    expect(await where(r)).toEqual([]);
    const policy = policyFor({ ignorePaths: [], allowedKeys: [], inlineAllow: true }, { cwd: r.dir, inlineAllow: false });
    expect((await scanStaged({ cwd: r.dir, policy })).findings).toHaveLength(1);
  });

  test('paths that .mirrascanignore or the config ignorePaths leave out do not count', async () => {
    const r = repo();
    r.write('.mirrascanignore', 'fixtures/\n');
    r.write('fixtures/fake.ts', keyLine());
    r.write('vendor/lib.js', keyLine());
    r.write('src/real.ts', keyLine()).add();
    const files = async (ignorePaths: string[] = []) =>
      (await scanStaged({ cwd: r.dir, policy: policyFor({ ignorePaths, allowedKeys: [], inlineAllow: true }, { cwd: r.dir }) })).findings.map((f) => f.file).sort();
    expect(await files()).toEqual(['src/real.ts', 'vendor/lib.js']);
    expect(await files(['vendor/**'])).toEqual(['src/real.ts']);
  });

  test('during a rebase, a cherry-pick and a revert: what the commit being made adds', async () => {
    const r = repo();
    r.commitFiles({ 'f.txt': 'base\n' }, 'base');
    r.git('checkout', '-q', '-b', 'topic');
    r.commitFiles({ 'f.txt': 'topic\n', 'k.ts': keyLine() }, 'topic with a key');
    r.git('checkout', '-q', 'main');
    r.commitFiles({ 'f.txt': 'main\n' }, 'main');

    // cherry-pick stops on the conflict; once resolved, the index is the commit to be made.
    expect(r.tryGit('cherry-pick', 'topic').status).not.toBe(0);
    r.write('f.txt', 'resolved\n').add('f.txt');
    expect(fs.existsSync(r.path('.git/CHERRY_PICK_HEAD'))).toBe(true);
    expect(await where(r)).toEqual(['k.ts:1']);
    r.git('cherry-pick', '--abort');

    // rebase of topic onto main: same.
    r.git('checkout', '-q', 'topic');
    expect(r.tryGit('rebase', 'main').status).not.toBe(0);
    r.write('f.txt', 'resolved\n').add('f.txt');
    expect(fs.existsSync(r.path('.git/rebase-merge')) || fs.existsSync(r.path('.git/rebase-apply'))).toBe(true);
    expect(await where(r)).toEqual(['k.ts:1']);
    r.git('rebase', '--abort');

    // reverting the removal of a key brings it back.
    r.remove('k.ts').add();
    r.commit('remove the key');
    r.git('revert', '--no-commit', 'HEAD');
    expect(await where(r)).toEqual(['k.ts:1']);
  });

  test('git commit -a / git commit PATH: the temporary index git hands the hook is what is scanned', async () => {
    const r = repo();
    r.commitFiles({ 'a.ts': 'a\n' });
    r.write('a.ts', 'a\n' + keyLine());
    // No husky here: a plain hook that runs the CLI, to see GIT_INDEX_FILE at work.
    r.write('.git/hooks/pre-commit', `#!/bin/sh\nexec "${process.execPath}" "${CLI}" staged\n`);
    fs.chmodSync(r.path('.git/hooks/pre-commit'), 0o755);
    const blocked = r.tryGit('commit', '-a', '-m', 'all');
    expect(blocked.status).toBe(1);
    expect(blocked.stderr).toContain('a.ts:2:');
    const only = r.tryGit('commit', '-m', 'only', 'a.ts');
    expect(only.status).toBe(1);
  });

  test('not a git repository: a ScanFailure (exit 2 in the CLI) with one line', async () => {
    const r = repo();
    fs.rmSync(r.path('.git'), { recursive: true });
    await expect(scanStaged({ cwd: r.dir })).rejects.toThrow(/not a git repository/);
    const cli = r.mirraScan(['staged']);
    expect(cli.status).toBe(2);
    expect(cli.stderr.trim().split('\n')).toHaveLength(1);
  });
});
