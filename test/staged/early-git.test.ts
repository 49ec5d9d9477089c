// `mirra-scan staged` starts its `git diff --cached` before the rest of the CLI loads (src/cli/bin.ts,
// src/sources/git/early-start.ts), and the scan takes the running git over. What git printed before
// the takeover must reach the scan whole and in order, also when git printed more than the early
// buffer holds (8 MiB: then git is paused until the scan reads on), and a failing git must still fail.

import fs from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { fakeKey } from '../support/fake-keys.js';
import { TempRepo } from '../support/git-repo.js';

const repos: TempRepo[] = [];
afterAll(() => repos.forEach((r) => r.cleanup()));

function repo(): TempRepo {
  const r = new TempRepo({ prefix: 'mirra-early-' });
  repos.push(r);
  r.write('README.md', 'hello\n').add('README.md');
  r.commit('first');
  return r;
}

describe('the staged diff git starts early', () => {
  test('a diff larger than the early buffer: every key found, at its line, once', () => {
    const r = repo();
    const first = fakeKey('script', 72, 1);
    const last = fakeKey('install', 80, 2);
    const filler = 'export const value = "plain text that holds no key at all";\n'.repeat(180_000); // ~10 MiB
    r.write('big.ts', `const a = "${first}";\n${filler}const b = "${last}";\n`).add('big.ts');
    const out = r.mirraScan(['staged', '--format', 'json']);
    expect(out.status).toBe(1);
    const report = JSON.parse(out.stdout);
    expect(report.findings.map((f: { line: number; keyType: string }) => [f.line, f.keyType])).toEqual([
      [1, 'script'],
      [180_002, 'install'],
    ]);
  });

  test('git failing early (not a repository) is still one clear line and exit 2', () => {
    const r = repo();
    fs.rmSync(r.path('.git'), { recursive: true });
    const out = r.mirraScan(['staged']);
    expect(out.status).toBe(2);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
  });
});
