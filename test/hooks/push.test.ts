// The pre-push source: which commits a push sends, and what they add.

import fs from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { parsePushUpdates, pushRevisions, scanPush, type PushUpdate } from '../../src/sources/git/push.js';
import { fakeKey } from '../support/fake-keys.js';
import { CLI, TempRepo } from '../support/git-repo.js';

const made: TempRepo[] = [];
afterAll(() => {
  for (const r of made) r.cleanup();
});
const ZERO = '0'.repeat(40);
const keyLine = () => `const apiKey = "${fakeKey()}";\n`;

function pushedRepo(): { r: TempRepo; bare: TempRepo } {
  const r = new TempRepo({ prefix: 'mirra-push-' });
  made.push(r);
  r.commitFiles({ 'a.txt': 'a\n' }, 'base');
  const bare = r.addBareRemote();
  made.push(bare);
  r.git('push', '-q', '--no-verify', 'origin', 'main');
  return { r, bare };
}
const update = (localSha: string, remoteSha: string, ref = 'refs/heads/main'): PushUpdate => ({ localRef: ref, localSha, remoteRef: ref, remoteSha });

describe('parsePushUpdates', () => {
  test('one update per line; blank lines ignored; anything else is an error rather than a guess', () => {
    const a = 'a'.repeat(40);
    expect(parsePushUpdates(`refs/heads/main ${a} refs/heads/main ${ZERO}\n\n`)).toEqual([update(a, ZERO)]);
    expect(parsePushUpdates(`(delete) ${ZERO} refs/heads/old ${a}\n`)).toEqual([{ localRef: '(delete)', localSha: ZERO, remoteRef: 'refs/heads/old', remoteSha: a }]);
    expect(() => parsePushUpdates('refs/heads/main HEAD refs/heads/main x\n')).toThrow(/cannot read the line/);
  });
});

describe('scanPush', () => {
  test('fast-forward: only the new commits; findings are unpushed commits', async () => {
    const { r } = pushedRepo();
    const remote = r.head()!;
    const withKey = r.commitFiles({ 'k.ts': keyLine() }, 'key');
    const top = r.commitFiles({ 'b.txt': 'b\n' }, 'b');
    const result = await scanPush({ cwd: r.dir, remote: 'origin', updates: [update(top, remote)] });
    expect(result.findings.map((f) => [f.file, f.commit, f.source, f.place])).toEqual([['k.ts', withKey, 'commit', 'unpushed']]);
  });

  test('new branch: everything not on the remote; already-pushed commits are not scanned again', async () => {
    const { r } = pushedRepo();
    r.write('old.ts', keyLine()).add();
    r.commit('key');
    r.git('push', '-q', '--no-verify', 'origin', 'main');
    r.git('checkout', '-q', '-b', 'topic');
    const top = r.commitFiles({ 'new.ts': keyLine() }, 'topic');
    const result = await scanPush({ cwd: r.dir, remote: 'origin', updates: [update(top, ZERO, 'refs/heads/topic')] });
    expect(result.findings.map((f) => f.file)).toEqual(['new.ts']);
    expect(await pushRevisions(r.dir, 'origin', [update(top, ZERO)])).toEqual([top, '--not', '--remotes=origin']);
  });

  test('a push to a URL (no remote name) leaves out what any remote has; a new remote name gets everything', async () => {
    const { r } = pushedRepo();
    const top = r.commitFiles({ 'k.ts': keyLine() }, 'key');
    expect(await pushRevisions(r.dir, '/some/where.git', [update(top, ZERO)])).toEqual([top, '--not', '--remotes']);
    const mirror = new TempRepo({ bare: true, prefix: 'mirra-bare-' });
    made.push(mirror);
    r.git('remote', 'add', 'mirror', mirror.dir);
    r.commitFiles({ 'first.ts': 'x\n' }, 'x');
    const all = await scanPush({ cwd: r.dir, remote: 'mirror', updates: [update(r.head()!, ZERO)] });
    expect(all.findings.map((f) => f.file)).toEqual(['k.ts']);
  });

  test('force push: remote tip known locally is excluded; an unknown one falls back to the remote-tracking refs', async () => {
    const { r } = pushedRepo();
    const base = r.head()!;
    const old = r.commitFiles({ 'x.txt': 'x\n' }, 'x');
    r.git('push', '-q', '--no-verify', 'origin', 'main');
    r.git('reset', '-q', '--hard', base);
    const rewritten = r.commitFiles({ 'k.ts': keyLine() }, 'rewritten');
    const known = await scanPush({ cwd: r.dir, remote: 'origin', updates: [update(rewritten, old)] });
    expect(known.findings.map((f) => f.file)).toEqual(['k.ts']);
    const unknownSha = 'b'.repeat(40);
    expect(await pushRevisions(r.dir, 'origin', [update(rewritten, unknownSha)])).toEqual([rewritten, '--not', '--remotes=origin']);
  });

  test('deletions push nothing; a merge commit is scanned for what its resolution adds', async () => {
    const { r } = pushedRepo();
    const del = await scanPush({ cwd: r.dir, remote: 'origin', updates: [update(ZERO, r.head()!, 'refs/heads/old')] });
    expect(del.findings).toEqual([]);
    expect(del.stats.files).toBe(0);

    const remote = r.head()!;
    r.commitFiles({ 'f.txt': 'main\n' }, 'main');
    r.git('checkout', '-q', '-b', 'side', remote);
    r.commitFiles({ 'f.txt': 'side\n' }, 'side');
    r.git('checkout', '-q', 'main');
    r.tryGit('merge', 'side');
    r.write('f.txt', 'resolved\n' + keyLine()).add();
    const merge = r.commit('merge with a key in the resolution');
    const result = await scanPush({ cwd: r.dir, remote: 'origin', updates: [update(merge, remote)] });
    expect(result.findings.map((f) => [f.file, f.line, f.commit])).toEqual([['f.txt', 2, merge]]);
  });
});

describe('messages and ignore files', () => {
  test('a key in a --no-verify commit message is stopped: "(commit message)", unpushed, with the commit', async () => {
    const { r } = pushedRepo();
    const remote = r.head()!;
    const key = fakeKey('script', 80);
    const withKey = r.commitFiles({ 'deploy.sh': 'deploy\n' }, `deploy\n\nwith ${key}`);
    const result = await scanPush({ cwd: r.dir, remote: 'origin', updates: [update(withKey, remote)] });
    expect(result.findings.map((f) => [f.file, f.line, f.column, f.commit, f.source, f.place, f.author])).toEqual([
      ['(commit message)', 3, 6, withKey, 'commit', 'unpushed', 'Test User <test@example.com>'],
    ]);
  });

  test('a pushed annotated tag’s message is scanned; a lightweight tag and a tag the remote has are not', async () => {
    const { r } = pushedRepo();
    const head = r.head()!;
    r.git('push', '-q', '--no-verify', 'origin', 'main');
    r.git('tag', '-a', 'v1', '-m', `release\n\n${fakeKey('install', 90)}`);
    r.git('tag', 'light');
    const tagObject = r.git('rev-parse', 'refs/tags/v1').trim();
    const tagUpdate = (ref: string, sha: string, remoteSha = ZERO): PushUpdate => ({ localRef: ref, localSha: sha, remoteRef: ref, remoteSha });
    const result = await scanPush({ cwd: r.dir, remote: 'origin', updates: [tagUpdate('refs/tags/v1', tagObject), tagUpdate('refs/tags/light', head)] });
    expect(result.findings.map((f) => [f.file, f.line, f.commit, f.place, f.author])).toEqual([['(tag message v1)', 3, tagObject, 'unpushed', 'Test User <test@example.com>']]);
    expect(result.findings[0].date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    const again = await scanPush({ cwd: r.dir, remote: 'origin', updates: [tagUpdate('refs/tags/v1', tagObject, tagObject)] });
    expect(again.findings).toEqual([]);
  });

  test('a real `git push --tags` through the pre-push hook is stopped by a key in a tag message', () => {
    const { r } = pushedRepo();
    r.git('tag', '-a', 'v2', '-m', `notes ${fakeKey('test', 72)}`);
    r.write('.git/hooks/pre-push', `#!/bin/sh\nexec "${process.execPath}" "${CLI}" pre-push "$@"\n`);
    fs.chmodSync(r.path('.git/hooks/pre-push'), 0o755);
    const push = r.tryGit('push', 'origin', 'refs/tags/v2');
    expect(push.status).not.toBe(0);
    expect(push.stdout + push.stderr).toContain('(tag message v2):1:7');
    expect(r.tryGit('ls-remote', '--tags', 'origin').stdout).not.toContain('v2');
  });

  test('--no-ignore: .mirrascanignore and ignorePaths do not apply (a commit cannot hide its own key)', () => {
    const { r } = pushedRepo();
    const remote = r.head()!;
    r.commitFiles({ '.mirrascanignore': 'secrets/\n', 'secrets/k.env': keyLine(), '.mirrascanrc.json': '{"ignorePaths":["vendor/"]}', 'vendor/v.js': keyLine() }, 'hide');
    const input = `refs/heads/main ${r.head()} refs/heads/main ${remote}\n`;
    const honoured = r.mirraScan(['pre-push', 'origin', 'url', '--format', 'json'], { input });
    expect(honoured.status).toBe(0);
    const all = r.mirraScan(['pre-push', 'origin', 'url', '--format', 'json', '--no-ignore'], { input });
    expect(all.status).toBe(1);
    expect((JSON.parse(all.stdout) as { findings: Array<{ file: string }> }).findings.map((f) => f.file).sort()).toEqual(['secrets/k.env', 'vendor/v.js']);
  });
});

describe('mirra-scan pre-push (CLI)', () => {
  test('reads stdin as git gives it; exit 1 with findings, 0 without, 2 on a bad line', () => {
    const { r } = pushedRepo();
    const remote = r.head()!;
    const top = r.commitFiles({ 'k.ts': keyLine() }, 'key');
    const found = r.mirraScan(['pre-push', 'origin', 'url', '--format', 'json'], { input: `refs/heads/main ${top} refs/heads/main ${remote}\n` });
    expect(found.status).toBe(1);
    expect(JSON.parse(found.stdout).findings).toHaveLength(1);
    expect(found.stderr).toBe(''); // the "push stopped" text is for the text format only
    const clean = r.mirraScan(['pre-push', 'origin', 'url'], { input: `refs/heads/main ${remote} refs/heads/main ${remote}\n` });
    expect(clean.status).toBe(0);
    const bad = r.mirraScan(['pre-push', 'origin', 'url'], { input: 'nonsense\n' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
