// Attack class: the hooks' fast path (src/cli/hook-fast-path.ts), which runs `staged`, `commit-msg
// FILE` and `pre-receive` without the full command line, is a second way in: it must keep every
// promise the full CLI keeps. What must hold: a key in anything it prints (a path in an error, a
// config's own error) is masked; every failure is one line and exit 2, never a stack trace; and a
// damaged package (the fast path's file missing, or throwing when loaded) fails closed, so the hook
// blocks the commit rather than letting it through, still printing no key.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { fakeKey } from '../support/fake-keys.js';
import { PROJECT_ROOT, TempRepo } from '../support/git-repo.js';

const repos: TempRepo[] = [];
const dirs: string[] = [];
afterAll(() => {
  repos.forEach((r) => r.cleanup());
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

function repo(): TempRepo {
  const r = new TempRepo({ prefix: 'mirra-attack-fast-' });
  repos.push(r);
  r.write('README.md', 'hello\n').add('README.md');
  r.commit('first');
  return r;
}

const expectOneMaskedLine = (r: { status: number | null; stdout: string; stderr: string }, key: string) => {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout + r.stderr).not.toContain(key);
  expect(r.stdout + r.stderr).not.toContain(key.slice(-20));
};

/** A copy of the built package's CLI, for damaging. */
function packageCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-attack-fast-pkg-'));
  dirs.push(dir);
  fs.cpSync(path.join(PROJECT_ROOT, 'dist/cli'), path.join(dir, 'dist/cli'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'eslint-plugin-mirra', type: 'module' }));
  return path.join(dir, 'dist/cli');
}

describe('the fast path masks what it prints', () => {
  test('commit-msg: a message file whose path holds a key, missing', () => {
    const r = repo();
    const key = fakeKey('script', 64, 11);
    expectOneMaskedLine(r.mirraScan(['commit-msg', r.path(`${key}/COMMIT_EDITMSG`)]), key);
  });

  test('staged: a config that throws an error quoting a key', () => {
    const r = repo();
    const key = fakeKey('install', 64, 12);
    r.write('mirra-scan.config.cjs', `throw new Error("not today: ${key}");\n`);
    r.write('app.ts', 'export const x = 1;\n').add('app.ts');
    expectOneMaskedLine(r.mirraScan(['staged']), key);
  });

  test('pre-receive: a line that is not git\'s, quoting a key', () => {
    const r = repo();
    const key = fakeKey('script', 64, 13);
    const out = r.mirraScan(['pre-receive'], { input: `${key} ${key} refs/heads/main\n` });
    expect(out.status).not.toBe(0);
    expect(out.stdout + out.stderr).not.toContain(key);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('a big staged change', () => {
  test('a key deep in several MiB staged (the CLI sets its JIT budget during the run) blocks, masked, at its line', () => {
    const r = repo();
    const key = fakeKey('script', 70, 16);
    const filler = 'a line of ordinary text with nothing secret in it\n'.repeat(30_000);
    r.write('huge.txt', `${filler}token = "${key}"\n${filler}`).add('huge.txt');
    const out = r.mirraScan(['staged']);
    expect(out.status, out.stderr).toBe(1);
    expect(out.stdout + out.stderr).toMatch(/huge\.txt:30001:10/);
    expect(out.stdout + out.stderr).not.toContain(key);
    expect(out.stdout + out.stderr).not.toContain(key.slice(-20));
  });
});

describe('a damaged package fails closed', () => {
  test('the fast path\'s file missing: exit 2, one line', () => {
    const r = repo();
    r.write('app.ts', `export const k = "${fakeKey('script', 64, 14)}";\n`).add('app.ts');
    const cli = packageCopy();
    fs.rmSync(path.join(cli, 'hook-fast-path.js'));
    const out = r.run(process.execPath, [path.join(cli, 'mirra-scan.js'), 'staged']);
    expect(out.status).toBe(2);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(/cannot start/);
  });

  test('the fast path throwing when loaded, with a key in its error: exit 2, no key, no stack', () => {
    const r = repo();
    const key = fakeKey('install', 64, 15);
    r.write('app.ts', 'export const x = 1;\n').add('app.ts');
    const cli = packageCopy();
    fs.writeFileSync(path.join(cli, 'hook-fast-path.js'), `throw new Error("${key}");\n`);
    expectOneMaskedLine(r.run(process.execPath, [path.join(cli, 'mirra-scan.js'), 'staged']), key);
    // The full command line, damaged the same way, fails closed too.
    fs.writeFileSync(path.join(cli, 'main.js'), `throw new Error("${key}");\n`);
    expectOneMaskedLine(r.run(process.execPath, [path.join(cli, 'mirra-scan.js'), 'staged', '--format', 'json']), key);
  });
});
