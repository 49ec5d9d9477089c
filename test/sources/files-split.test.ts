// A walk split across threads gives the report one thread gives. The worker rebuilds the walk's
// ignore rules from plain data (the rules the main thread loaded while listing the top of the tree)
// and reads the ignore files further down itself; findings, errors and counts come back and are
// merged. These runs use the built module (the worker script only exists there), force a worker
// from the first file, and compare its report with a run on one thread.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeKey } from '../support/fake-keys.js';
import { PROJECT_ROOT, TempRepo } from '../support/git-repo.js';

type Walk = typeof import('../../src/sources/files/walk.js');
type PolicyModule = typeof import('../../src/policy/index.js');
const built = (rel: string) => pathToFileURL(path.join(PROJECT_ROOT, 'dist/src', rel)).href;

const KEY = (i: number) => fakeKey('script', 80, 500 + i);
let repo: TempRepo;
let walk: Walk;
let policies: PolicyModule;

beforeAll(async () => {
  walk = (await import(built('sources/files/walk.js'))) as Walk;
  policies = (await import(built('policy/index.js'))) as PolicyModule;
  repo = new TempRepo({ prefix: 'mirra-split-' });
  const dir = repo.path();
  // 400 folders at the top: the level the threads share out, one folder at a time. Whatever thread
  // takes one, its files meet rules from the root (loaded while listing) and from inside it.
  repo.write('.gitignore', 'build/\n');
  for (let i = 0; i < 400; i++) {
    repo.write(`pkg${i}/a.js`, i % 7 === 0 ? `export const k = '${KEY(i)}';\n` : `export const v = ${i};\n`);
    repo.write(`pkg${i}/lib/deep/b.js`, i % 11 === 0 ? `k = "${KEY(1000 + i)}"\n` : 'nothing here\n');
    if (i % 5 === 0) {
      // The root's .gitignore hides untracked build output, never a tracked file.
      repo.write(`pkg${i}/build/tracked.js`, `k = '${KEY(2000 + i)}';\n`);
      repo.write(`pkg${i}/build/untracked.js`, `k = '${KEY(3000 + i)}';\n`);
    }
    if (i % 5 === 1) {
      // Ignore files in nested folders, read by whichever thread walks them.
      repo.write(`pkg${i}/.mirrascanignore`, 'hidden.js\n');
      repo.write(`pkg${i}/hidden.js`, `k = '${KEY(4000 + i)}';\n`);
      repo.write(`pkg${i}/lib/.gitignore`, '*.log\n!keep.log\n');
      repo.write(`pkg${i}/lib/drop.log`, `k=${KEY(5000 + i)}\n`);
      repo.write(`pkg${i}/lib/keep.log`, `k=${KEY(6000 + i)}\n`);
    }
  }
  repo.git('add', '.gitignore', 'pkg1/a.js');
  repo.git('add', '-f', ...[...Array(80).keys()].map((k) => `pkg${k * 5}/build/tracked.js`));
  repo.commit('start');
  // What is not a file to read: a broken link, a link that resolves, a FIFO.
  fs.symlinkSync('nowhere', path.join(dir, 'pkg20/broken'));
  fs.symlinkSync('a.js', path.join(dir, 'pkg21/alias.js'));
  if (spawnSync('mkfifo', [path.join(dir, 'pkg22/pipe')]).status !== 0) throw new Error('mkfifo failed');
  // Names that are not UTF-8: a shared folder named so (its bytes travel with it), a file inside another.
  const bytesPath = (rel: string) => Buffer.concat([Buffer.from(dir + '/'), Buffer.from(rel, 'latin1')]);
  fs.mkdirSync(bytesPath('caf\xe9'));
  fs.writeFileSync(bytesPath('caf\xe9/k.js'), `k = '${KEY(7000)}';\n`);
  fs.writeFileSync(bytesPath('pkg30/lib/d\xff.txt'), `k=${KEY(7001)}\n`);
});

afterAll(() => repo?.cleanup());

/** Everything a report says, less how long it took. */
async function report(threads: number, paths: string[], policy?: InstanceType<PolicyModule['Policy']>) {
  let workerFiles = 0;
  const r = await walk.scanFiles({ paths, cwd: repo.path(), threads, policy, shareForTests: threads > 1 ? { minFiles: 0, workerFiles: (n) => (workerFiles = n) } : undefined });
  const { files, bytes, skipped } = r.stats;
  return { findings: r.findings.map((f) => ({ ...f })), errors: r.errors, stats: { files, bytes, skipped }, workerFiles };
}

describe('a walk split across threads', () => {
  it('gives the same findings, errors and counts as one thread, ignore files in nested folders included', async () => {
    const one = await report(1, ['.']);
    const two = await report(2, ['.']);
    expect(two.workerFiles).toBeGreaterThan(0); // the worker did walk a share
    expect(two.workerFiles).toBeLessThan(one.stats.files);
    expect({ ...two, workerFiles: 0 }).toEqual({ ...one, workerFiles: 0 });
    // And that report is the right one, in every share.
    const files = new Set(one.findings.map((f) => f.file));
    for (let i = 0; i < 400; i++) {
      expect(files.has(`pkg${i}/a.js`)).toBe(i % 7 === 0);
      expect(files.has(`pkg${i}/lib/deep/b.js`)).toBe(i % 11 === 0);
      expect(files.has(`pkg${i}/build/tracked.js`)).toBe(i % 5 === 0);
      expect(files.has(`pkg${i}/build/untracked.js`)).toBe(false);
      expect(files.has(`pkg${i}/hidden.js`)).toBe(false);
      expect(files.has(`pkg${i}/lib/drop.log`)).toBe(false);
      expect(files.has(`pkg${i}/lib/keep.log`)).toBe(i % 5 === 1);
    }
    expect(files).toContain('caf\\xe9/k.js');
    expect(files).toContain('pkg30/lib/d\\xff.txt');
    expect(one.errors.map((e) => e.file)).toEqual(['pkg20/broken', 'pkg22/pipe']);
    expect(one.stats.skipped).toBe(3); // the two errors, the link that resolves
    const found = [...files].sort();
    expect(one.findings.map((f) => f.file)).toEqual(found); // in path order
  });

  it('with the config\'s ignorePaths, --no-ignore, and a file also named on the command line', async () => {
    const config = { ignorePaths: ['pkg1*/'], allowedKeys: [], inlineAllow: true };
    const ignoring = policies.policyFor(config, { cwd: repo.path() });
    const one = await report(1, ['.', 'pkg7/a.js'], ignoring);
    const two = await report(2, ['.', 'pkg7/a.js'], policies.policyFor(config, { cwd: repo.path() }));
    expect(two.workerFiles).toBeGreaterThan(0);
    expect({ ...two, workerFiles: 0 }).toEqual({ ...one, workerFiles: 0 });
    const files = one.findings.map((f) => f.file);
    expect(files.filter((f) => f === 'pkg7/a.js')).toHaveLength(1);
    expect(files.at(-1)).toBe('pkg7/a.js'); // its own item, after the walk
    expect(files.some((f) => f.startsWith('pkg1'))).toBe(false);
    const none = policies.policyFor(config, { cwd: repo.path(), ignore: false });
    const all1 = await report(1, ['.'], none);
    const all2 = await report(2, ['.'], policies.policyFor(config, { cwd: repo.path(), ignore: false }));
    expect({ ...all2, workerFiles: 0 }).toEqual({ ...all1, workerFiles: 0 });
    expect(all1.findings.map((f) => f.file)).toEqual(expect.arrayContaining(['pkg76/hidden.js', 'pkg76/lib/drop.log', 'pkg5/build/untracked.js', 'pkg14/a.js']));
  });
});
