// `.gitignore` keeps untracked files out, as git does; it never hides a file git tracks (added with
// `git add -f`), since that key is in the repository. `.mirrascanignore` is the scan's own choice.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { keySha256 } from '../../src/detector/index.js';
import { fakeKey } from '../support/fake-keys.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli/mirra-scan.js');
const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-tracked-'));
afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

const tracked = fakeKey('script', 80, 901);
const untracked = fakeKey('install', 80, 902);
const git = (...args: string[]) => spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
git('init', '-q');
fs.writeFileSync(path.join(repo, '.gitignore'), 'config/\n');
fs.mkdirSync(path.join(repo, 'config/deep'), { recursive: true });
fs.writeFileSync(path.join(repo, 'config/deep/prod.js'), `export const k = '${tracked}';\n`);
fs.writeFileSync(path.join(repo, 'config/local.js'), `export const k = '${untracked}';\n`);
git('add', '-f', 'config/deep/prod.js');

function scan(): string[] {
  const r = spawnSync(process.execPath, [CLI, 'scan', '--format', 'json'], { cwd: repo, encoding: 'utf8' });
  return (JSON.parse(r.stdout) as { findings: Array<{ keySha256: string; file: string }> }).findings.map((f) => `${f.file} ${f.keySha256}`);
}

describe('scan and .gitignore', () => {
  it('finds a key in a tracked file under an ignored folder, and skips the untracked one', () => {
    expect(scan()).toEqual([`config/deep/prod.js ${keySha256(tracked)}`]);
  });

  it('.mirrascanignore still leaves a tracked file out', () => {
    fs.writeFileSync(path.join(repo, '.mirrascanignore'), 'config/deep/\n');
    try {
      expect(scan()).toEqual([]);
    } finally {
      fs.rmSync(path.join(repo, '.mirrascanignore'));
    }
  });
});
