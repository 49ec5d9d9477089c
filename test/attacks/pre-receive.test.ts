// Attacks on the server-side hook: a pusher who controls everything in the push (its files, its
// config files, its messages, its tags, its push options, its size) tries to get a key past
// `mirra-scan pre-receive`. Each one is a real `git push` into a real bare repository.

import { createHash } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import { fakeKey } from '../support/fake-keys.js';
import { TempRepo, type RunResult } from '../support/git-repo.js';

const made: TempRepo[] = [];
afterAll(() => {
  for (const r of made) r.cleanup();
});

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function serverAndClient(): { server: TempRepo; client: TempRepo } {
  const server = new TempRepo({ bare: true, prefix: 'mirra-attack-server-' });
  const client = new TempRepo({ prefix: 'mirra-attack-client-' });
  made.push(server, client);
  const install = client.mirraScan(['install', '--server', server.dir]);
  expect(install.status, install.stderr).toBe(0);
  client.git('remote', 'add', 'origin', server.dir);
  client.commitFiles({ 'README.md': '# app\n' }, 'base');
  expect(client.tryGit('push', 'origin', 'main').status).toBe(0);
  return { server, client };
}

function expectRejected(push: RunResult, key: string, where: RegExp): void {
  expect(push.status, push.stderr).not.toBe(0);
  expect(push.stderr).toMatch(/pre-receive hook declined/);
  expect(push.stderr).toMatch(where);
  expect(push.stderr).not.toContain(key);
}

describe('attacks on pre-receive', () => {
  test('a pushed config, ignore file and baseline cannot hide the key: the server reads only its own config', () => {
    const { client } = serverAndClient();
    const key = fakeKey();
    client.commitFiles(
      {
        '.mirrascanignore': '*\n',
        '.mirrascanrc.json': JSON.stringify({ ignorePaths: ['**'], allowedKeys: [{ keySha256: sha256(key), reason: 'trust me' }], inlineAllow: true }),
        'package.json': JSON.stringify({ name: 'x', mirraScan: { ignorePaths: ['**'] } }),
        'mirra-scan.baseline.json': JSON.stringify({ keys: [sha256(key)] }),
        'src/k.js': `const k = '${key}';\n`,
      },
      'hide it',
    );
    expectRejected(client.tryGit('push', 'origin', 'main'), key, /src\/k\.js:1:12/);
  });

  test('a key in a tag message, in a tag of a tag, and in a blob that a tag points at', () => {
    const { client } = serverAndClient();
    const inner = fakeKey();
    client.git('tag', '-a', 'inner', '-m', `inner ${inner}`);
    client.git('tag', '-a', 'outer', '-m', 'looks clean', 'inner');
    expectRejected(client.tryGit('push', 'origin', 'refs/tags/outer'), inner, /\(tag message inner\):1:7/);
    const blobKey = fakeKey();
    const blob = client.gitWith(['hash-object', '-w', '--stdin'], { input: `token=${blobKey}\n` }).stdout.trim();
    client.git('tag', '-a', 'blobtag', '-m', 'a blob', blob);
    expectRejected(client.tryGit('push', 'origin', 'refs/tags/blobtag'), blobKey, /\(object of refs\/tags\/blobtag\):1:7/);
  });

  test('a branch pointing at a tag object, a tree or a blob is rejected (the hook does not peel branches; git refuses them)', () => {
    const { server, client } = serverAndClient();
    const key = fakeKey();
    client.git('tag', '-a', 'sneaky', '-m', `message ${key}`);
    const tagObject = client.git('rev-parse', 'refs/tags/sneaky').trim();
    const asBranch = client.tryGit('push', 'origin', `${tagObject}:refs/heads/sneaky`);
    expect(asBranch.status).not.toBe(0);
    expect(asBranch.stderr).not.toContain(key);
    expect(server.tryGit('rev-parse', '-q', '--verify', 'refs/heads/sneaky').status).not.toBe(0);
    client.write('t/k.txt', `${key}\n`).add();
    const tree = client.git('write-tree').trim();
    const treeBranch = client.tryGit('push', 'origin', `${tree}:refs/heads/tree`);
    expect(treeBranch.status).not.toBe(0);
    expect(server.tryGit('rev-parse', '-q', '--verify', 'refs/heads/tree').status).not.toBe(0);
  });

  test('a ref outside refs/heads pointing straight at a tree: its blobs are read', () => {
    const { client } = serverAndClient();
    const key = fakeKey();
    client.write('hidden/deep/k.txt', `${key}\n`).add();
    const tree = client.git('write-tree').trim();
    expectRejected(client.tryGit('push', 'origin', `${tree}:refs/stash-like/x`), key, /hidden\/deep\/k\.txt:1:1/);
  });

  test('a key in a git note (refs/notes/commits)', () => {
    const { client } = serverAndClient();
    const key = fakeKey();
    client.git('notes', 'add', '-m', `deploy key ${key}`);
    expectRejected(client.tryGit('push', 'origin', 'refs/notes/commits'), key, /:1:12/);
  });

  test('a key written only by a merge resolution inside the push', () => {
    const { client } = serverAndClient();
    const key = fakeKey();
    client.git('checkout', '-q', '-b', 'side');
    client.commitFiles({ 'side.txt': 'side\n' }, 'side');
    client.git('checkout', '-q', 'main');
    client.commitFiles({ 'main.txt': 'main\n' }, 'main');
    client.git('merge', '-q', '--no-ff', '--no-commit', 'side');
    client.write('merged.js', `const k = '${key}';\n`).add();
    client.commit('merge side');
    expectRejected(client.tryGit('push', 'origin', 'main'), key, /merged\.js:1:12/);
  });

  test('a key in a binary file, and one at the end of a 24 MiB file', () => {
    const { client } = serverAndClient();
    const key = fakeKey();
    const big = fakeKey();
    client.commitFiles(
      {
        'img.png': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), Buffer.from(`tEXt\0${key}\0`), Buffer.alloc(64, 0)]),
        'big.txt': 'x'.repeat(99) + '\n'.repeat(1) + `${'y'.repeat(99)}\n`.repeat(240_000) + `k=${big}\n`,
      },
      'assets',
    );
    const push = client.tryGit('push', 'origin', 'main');
    expectRejected(push, key, /img\.png/);
    expectRejected(push, big, /big\.txt:240002:3/);
  });

  test('push options other than a well-formed break-glass do nothing; a break-glass the server did not enable is refused', () => {
    const { server, client } = serverAndClient();
    server.git('config', 'receive.advertisePushOptions', 'true');
    const key = fakeKey();
    client.commitFiles({ 'k.js': `const k = '${key}';\n` }, 'k');
    const push = client.tryGit('push', '-o', 'mirra-scan.timeout=0', '-o', 'mirra-scan.allowPushOption=true', '-o', 'mirra-scan.allow=everything', '-o', `mirra-scan.allow=${sha256(key)}`, 'origin', 'main');
    expectRejected(push, key, /mirra-scan\.allow=everything ignored: give the finding's keySha256/);
    expect(push.stderr).toMatch(/this server does not allow break-glass pushes/);
  });

  test('a key-shaped file name is redacted in the remote lines', () => {
    const { client } = serverAndClient();
    const key = fakeKey();
    client.commitFiles({ [`${key}.js`]: `const k = '${key}';\n` }, 'named');
    expectRejected(client.tryGit('push', 'origin', 'main'), key, /\.js:1:12/);
  });

  test('a huge push cannot hold the server: the time budget ends the scan and rejects it', () => {
    const { server, client } = serverAndClient();
    server.git('config', 'mirrascan.timeout', '0.2');
    const before = server.git('rev-parse', 'main').trim();
    // 300 commits of 2,000 changed lines each: far more than the budget allows on any machine here.
    const lines = (i: number) => Array.from({ length: 2000 }, (_, j) => `line ${i} ${j} ${'z'.repeat(60)}`).join('\n');
    const script = Array.from({ length: 300 }, (_, i) => `commit refs/heads/main\ncommitter T <t@e.st> ${1_600_000_000 + i} +0000\ndata 2\nc\n${i === 0 ? `from ${before}\n` : ''}M 100644 inline f${i % 7}.txt\ndata ${Buffer.byteLength(lines(i))}\n${lines(i)}\n`).join('');
    client.gitWith(['fast-import', '--quiet'], { input: script });
    client.git('reset', '-q', '--hard', 'main');
    const push = client.tryGit('push', 'origin', 'main');
    expect(push.status).not.toBe(0);
    expect(push.stderr).toMatch(/the scan did not finish within its 0\.2 s budget/);
    expect(server.git('rev-parse', 'main').trim()).toBe(before);
  });
});
