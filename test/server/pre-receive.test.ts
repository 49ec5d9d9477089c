// The server-side hook, end to end: a real bare repository with the hook that
// `mirra-scan install --server` writes, and real `git push`es into it. Git runs the hook with the
// pushed objects in quarantine; a rejected push leaves every ref where it was.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { fakeKey } from '../support/fake-keys.js';
import { TempRepo, type RunResult } from '../support/git-repo.js';
import { createHash } from 'node:crypto';

const made: TempRepo[] = [];
afterAll(() => {
  for (const r of made) r.cleanup();
});

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A bare repository with the hook installed, and a clone-like client whose `origin` is it. */
function serverAndClient(): { server: TempRepo; client: TempRepo; install: RunResult } {
  const server = new TempRepo({ bare: true, prefix: 'mirra-server-' });
  const client = new TempRepo({ prefix: 'mirra-client-' });
  made.push(server, client);
  const install = client.mirraScan(['install', '--server', server.dir]);
  client.git('remote', 'add', 'origin', server.dir);
  client.commitFiles({ 'README.md': '# app\n' }, 'base');
  const first = client.tryGit('push', 'origin', 'main');
  expect(first.status, first.stderr).toBe(0);
  return { server, client, install };
}

const tip = (server: TempRepo, ref: string) => server.tryGit('rev-parse', '-q', '--verify', ref).stdout.trim() || null;
const remoteLines = (r: RunResult) => r.stderr.split('\n').filter((l) => l.startsWith('remote: ')).map((l) => l.slice(8).trimEnd());

describe('install --server', () => {
  test('writes hooks/pre-receive, mode 755, running this mirra-scan by absolute paths; again: unchanged', () => {
    const { server, install, client } = serverAndClient();
    expect(install.status, install.stderr).toBe(0);
    const hook = path.join(server.dir, 'hooks', 'pre-receive');
    expect(install.stdout).toContain(hook);
    expect(fs.statSync(hook).mode & 0o777).toBe(0o755);
    expect(fs.readFileSync(hook, 'utf8')).toMatch(/^#!\/bin\/sh\n[\s\S]*exec \S+node\S* \S+mirra-scan\.js pre-receive\n$/);
    const again = client.mirraScan(['install', '--server', server.dir]);
    expect(again.stdout).toMatch(/^unchanged /);
  });

  test('a pre-receive.d folder (Gitea, Forgejo) gets the hook as a file in it; a foreign hook is left alone', () => {
    const gitea = new TempRepo({ bare: true, prefix: 'mirra-gitea-' });
    const other = new TempRepo({ bare: true, prefix: 'mirra-other-' });
    made.push(gitea, other);
    fs.mkdirSync(path.join(gitea.dir, 'hooks', 'pre-receive.d'));
    const r = gitea.mirraScan(['install', '--server', gitea.dir]);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.statSync(path.join(gitea.dir, 'hooks', 'pre-receive.d', 'mirra-scan')).mode & 0o777).toBe(0o755);
    fs.writeFileSync(path.join(other.dir, 'hooks', 'pre-receive'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const refused = other.mirraScan(['install', '--server', other.dir]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/did not write; left as it is/);
    expect(fs.readFileSync(path.join(other.dir, 'hooks', 'pre-receive'), 'utf8')).toBe('#!/bin/sh\nexit 0\n');
  });

  test('not a repository: exit 2 with a reason', () => {
    const r = new TempRepo({ prefix: 'mirra-x-' });
    made.push(r);
    const out = r.mirraScan(['install', '--server', path.join(r.dir, 'nope')]);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/^mirra-scan: install --server: no such folder/);
  });
});

describe('pre-receive, with real pushes', () => {
  test('a push that adds a key is rejected with remote: lines naming commit, file and line, the key redacted; the ref stays', () => {
    const { server, client } = serverAndClient();
    const before = tip(server, 'main');
    const key = fakeKey();
    const bad = client.commitFiles({ 'src/config.js': `// config\nexport const apiKey = '${key}';\n` }, 'add config');
    const push = client.tryGit('push', 'origin', 'main');
    expect(push.status).not.toBe(0);
    expect(push.stderr).toContain('[remote rejected] main -> main (pre-receive hook declined)');
    const lines = remoteLines(push);
    expect(lines[0]).toBe('mirra-scan: push rejected: 1 Mirra API key in what this push adds.');
    expect(lines).toContain(`  commit ${bad.slice(0, 12)}  src/config.js:2:24`);
    expect(lines.join('\n')).toContain(`keySha256 ${sha256(key)}`);
    expect(lines.join('\n')).toMatch(/Rotate the key/);
    expect(push.stderr).not.toContain(key);
    // Short, plain lines: no colour or control characters, nothing wider than a terminal can take.
    expect(push.stderr).not.toMatch(/\x1b/);
    expect(tip(server, 'main')).toBe(before);
    expect(server.tryGit('cat-file', '-e', bad).status).not.toBe(0); // quarantined objects are gone
  });

  test('a clean push passes and says so in one line', () => {
    const { server, client } = serverAndClient();
    const top = client.commitFiles({ 'src/a.js': 'export const a = process.env.MIRRA_API_KEY;\n' }, 'clean');
    const push = client.tryGit('push', 'origin', 'main');
    expect(push.status, push.stderr).toBe(0);
    expect(remoteLines(push)).toEqual([expect.stringMatching(/^mirra-scan: no Mirra API keys in this push \(1 files, \d+ ms\)$/)]);
    expect(tip(server, 'main')).toBe(top);
  });

  test('a key added and removed within the same push is still rejected: it is in the pushed history', () => {
    const { server, client } = serverAndClient();
    const before = tip(server, 'main');
    const added = client.commitFiles({ 'k.js': `const k = '${fakeKey()}';\n` }, 'oops');
    client.commitFiles({ 'k.js': 'const k = process.env.MIRRA_API_KEY;\n' }, 'fix');
    const push = client.tryGit('push', 'origin', 'main');
    expect(push.status).not.toBe(0);
    expect(remoteLines(push)).toContain(`  commit ${added.slice(0, 12)}  k.js:1:12`);
    expect(tip(server, 'main')).toBe(before);
  });

  test('a new branch is scanned from where it leaves what the server has; a branch of known commits costs nothing', () => {
    const { server, client } = serverAndClient();
    client.git('checkout', '-q', '-b', 'topic');
    const bad = client.commitFiles({ 't.js': `const t = '${fakeKey()}';\n` }, 'topic work');
    const rejected = client.tryGit('push', 'origin', 'topic');
    expect(rejected.status).not.toBe(0);
    expect(remoteLines(rejected)).toContain(`  commit ${bad.slice(0, 12)}  t.js:1:12`);
    expect(tip(server, 'topic')).toBeNull();
    // main's commits are all on the server already: a new branch at main brings nothing to scan.
    const known = client.tryGit('push', 'origin', 'main:refs/heads/copy');
    expect(known.status, known.stderr).toBe(0);
    expect(remoteLines(known)).toEqual([expect.stringMatching(/^mirra-scan: no Mirra API keys in this push \(0 files, \d+ ms\)$/)]);
  });

  test('tags: a key in an annotated tag message is rejected; a lightweight tag of a known commit passes', () => {
    const { server, client } = serverAndClient();
    client.git('tag', '-a', 'v1', '-m', `release\n\ntoken ${fakeKey()}`);
    const annotated = client.tryGit('push', 'origin', 'refs/tags/v1');
    expect(annotated.status).not.toBe(0);
    expect(remoteLines(annotated).join('\n')).toMatch(/\(tag message v1\):3:7/);
    expect(tip(server, 'refs/tags/v1')).toBeNull();
    client.git('tag', 'light');
    const light = client.tryGit('push', 'origin', 'refs/tags/light');
    expect(light.status, light.stderr).toBe(0);
    expect(tip(server, 'refs/tags/light')).not.toBeNull();
  });

  test('a deletion brings nothing and passes; a force push is scanned for what it brings', () => {
    const { server, client } = serverAndClient();
    const base = client.head()!;
    client.commitFiles({ 'x.txt': 'x\n' }, 'x');
    expect(client.tryGit('push', 'origin', 'main', 'main:refs/heads/gone').status).toBe(0);
    const del = client.tryGit('push', 'origin', ':refs/heads/gone');
    expect(del.status, del.stderr).toBe(0);
    expect(tip(server, 'gone')).toBeNull();
    const old = tip(server, 'main');
    client.git('reset', '-q', '--hard', base);
    const rewritten = client.commitFiles({ 'k.js': `const k = '${fakeKey()}';\n` }, 'rewritten');
    const forced = client.tryGit('push', '--force', 'origin', 'main');
    expect(forced.status).not.toBe(0);
    expect(remoteLines(forced)).toContain(`  commit ${rewritten.slice(0, 12)}  k.js:1:12`);
    expect(tip(server, 'main')).toBe(old);
    client.git('reset', '-q', '--hard', base);
    client.commitFiles({ 'y.txt': 'y\n' }, 'clean rewrite');
    expect(client.tryGit('push', '--force', 'origin', 'main').status).toBe(0);
  });

  test('a key in a commit message is rejected', () => {
    const { client } = serverAndClient();
    client.git('commit', '-q', '--allow-empty', '-m', `deploy with ${fakeKey()}`);
    const push = client.tryGit('push', 'origin', 'main');
    expect(push.status).not.toBe(0);
    expect(remoteLines(push).join('\n')).toMatch(/\(commit message\):1:13/);
  });
});

describe('break-glass: git push -o mirra-scan.allow=<keySha256>', () => {
  test('refused unless the server allows it: the option is ignored, said so, and the push rejected', () => {
    const { server, client } = serverAndClient();
    server.git('config', 'receive.advertisePushOptions', 'true');
    const key = fakeKey();
    client.commitFiles({ 'k.js': `const k = '${key}';\n` }, 'k');
    const push = client.tryGit('push', '-o', `mirra-scan.allow=${sha256(key)}`, 'origin', 'main');
    expect(push.status).not.toBe(0);
    expect(remoteLines(push)).toContain('mirra-scan: push option mirra-scan.allow ignored: this server does not allow break-glass pushes (its admin can turn on mirrascan.allowPushOption)');
    expect(remoteLines(push)[1]).toMatch(/^mirra-scan: push rejected/);
  });

  test('allowed by the server: that key passes, logged on stderr and in the audit file; another key still stops the push', () => {
    const { server, client } = serverAndClient();
    const audit = path.join(server.dir, 'mirra-audit.log');
    server.git('config', 'receive.advertisePushOptions', 'true');
    server.git('config', 'mirrascan.allowPushOption', 'true');
    server.git('config', 'mirrascan.auditLog', audit);
    const key = fakeKey();
    const other = fakeKey();
    client.commitFiles({ 'k.js': `const k = '${key}';\n` }, 'k');
    const top = client.head()!;
    client.commitFiles({ 'o.js': `const o = '${other}';\n` }, 'o');
    const both = client.tryGit('push', '-o', `mirra-scan.allow=${sha256(key)}`, 'origin', 'main');
    expect(both.status).not.toBe(0); // the other key is not let through
    expect(remoteLines(both).join('\n')).toContain('o.js:1:12');
    client.git('reset', '-q', '--hard', top);
    const one = client.tryGit('push', '-o', `mirra-scan.allow=${sha256(key)}`, 'origin', 'main');
    expect(one.status, one.stderr).toBe(0);
    expect(remoteLines(one).join('\n')).toMatch(/BREAK-GLASS: mirra_\S+ \(keySha256 [0-9a-f]{16}\.\.\.\) let through by push option, commit [0-9a-f]{12} k\.js:1; logged to the audit log/);
    expect(tip(server, 'main')).toBe(top);
    const lines = fs.readFileSync(audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ event: 'break-glass', refs: ['refs/heads/main'], findings: [{ keySha256: sha256(key), file: 'k.js', line: 1, commit: top }] });
    expect(fs.readFileSync(audit, 'utf8')).not.toContain(key);
    expect(fs.statSync(audit).mode & 0o777).toBe(0o600);
  });

  test('allowed, but the audit file cannot be written: no trace, no break-glass', () => {
    const { server, client } = serverAndClient();
    server.git('config', 'receive.advertisePushOptions', 'true');
    server.git('config', 'mirrascan.allowPushOption', 'true');
    server.git('config', 'mirrascan.auditLog', path.join(server.dir, 'no-such-folder', 'audit.log'));
    const key = fakeKey();
    client.commitFiles({ 'k.js': `const k = '${key}';\n` }, 'k');
    const push = client.tryGit('push', '-o', `mirra-scan.allow=${sha256(key)}`, 'origin', 'main');
    expect(push.status).not.toBe(0);
    expect(remoteLines(push).join('\n')).toMatch(/break-glass refused: the audit log cannot be written \(ENOENT\)/);
  });
});

describe('the time budget', () => {
  function bigPush(client: TempRepo): void {
    for (let i = 0; i < 40; i++) client.write(`f${i}.js`, `export const v${i} = ${i};\n`.repeat(2000));
    client.add();
    client.commit('many files');
  }

  test('over budget: rejected by default, with a reason', () => {
    const { server, client } = serverAndClient();
    server.git('config', 'mirrascan.timeout', '0.001');
    const before = tip(server, 'main');
    bigPush(client);
    const push = client.tryGit('push', 'origin', 'main');
    expect(push.status).not.toBe(0);
    expect(remoteLines(push)[0]).toBe('mirra-scan: push rejected: the scan did not finish within its 0.001 s budget, so this push could not be checked.');
    expect(tip(server, 'main')).toBe(before);
  });

  test('over budget with mirrascan.onTimeout=accept: accepted with a warning and an audit line', () => {
    const { server, client } = serverAndClient();
    const audit = path.join(server.dir, 'audit.log');
    server.git('config', 'mirrascan.timeout', '0.001');
    server.git('config', 'mirrascan.onTimeout', 'accept');
    server.git('config', 'mirrascan.auditLog', audit);
    bigPush(client);
    const push = client.tryGit('push', 'origin', 'main');
    expect(push.status, push.stderr).toBe(0);
    expect(remoteLines(push)[0]).toMatch(/^mirra-scan: WARNING: the scan did not finish within its 0\.001 s budget; this push was accepted WITHOUT a complete scan/);
    expect(JSON.parse(fs.readFileSync(audit, 'utf8'))).toMatchObject({ event: 'timeout-accepted', refs: ['refs/heads/main'] });
  });

  test('a bad server setting rejects the push with the setting named (fail closed)', () => {
    const { server, client } = serverAndClient();
    server.git('config', 'mirrascan.timeout', 'soon');
    client.commitFiles({ 'a.txt': 'a\n' }, 'a');
    const push = client.tryGit('push', 'origin', 'main');
    expect(push.status).not.toBe(0);
    expect(remoteLines(push)).toContain('mirra-scan: server config: mirrascan.timeout (--timeout) must be a number of seconds above 0, not "soon"');
  });
});
