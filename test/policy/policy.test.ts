// The policy's two questions, asked directly: paths (nested ignore files, .gitignore only for
// untracked files in a walk) and keys (allowed keys, baseline, inline marker), and inputs read from a
// revision instead of the working tree.

import { describe, expect, it } from 'vitest';
import { Policy, revisionReader, type IgnoreFileReader } from '../../src/policy/index.js';
import { TempRepo } from '../support/git-repo.js';

const files = (map: Record<string, string>): IgnoreFileReader => (rel) => map[rel] ?? null;

describe('is this path ignored?', () => {
  const policy = new Policy({
    root: '/repo',
    ignorePaths: ['gen/**'],
    readIgnoreFile: files({ '.mirrascanignore': 'vendor/\n', 'sub/.mirrascanignore': 'secret.ts\n!keep.ts\n', 'sub/deep/.mirrascanignore': '*.txt\n', '.gitignore': '*.ts\n' }),
  });
  it.each([
    ['src/a.ts', false],
    ['vendor/x.ts', true],
    ['gen/y.ts', true],
    ['sub/secret.ts', true],
    ['secret.ts', false], // sub/.mirrascanignore speaks for sub/ only
    ['sub/deep/secret.ts', true],
    ['sub/deep/notes.txt', true],
    ['notes.txt', false],
  ])('%s: %s (and .gitignore never counts for the index, commits or the rule)', (rel, ignored) => {
    expect(policy.isPathIgnored(rel)).toBe(ignored);
  });

  it('a walk honours .gitignore for untracked files only', () => {
    const walk = policy.walkRules('/repo', { files: new Set(['src/tracked.ts']), folders: new Set(['src']) });
    walk.loadAncestors('src');
    expect(walk.ignores('src/untracked.ts', false)).toBe(true);
    expect(walk.ignores('src/tracked.ts', false)).toBe(false);
  });

  it('--no-ignore: nothing is ignored', () => {
    const off = new Policy({ root: '/repo', honourIgnoreFiles: false, readIgnoreFile: files({ '.mirrascanignore': '*\n' }) });
    expect(off.isPathIgnored('anything.ts')).toBe(false);
  });
});

describe('is this finding allowed?', () => {
  const sha = 'ab'.repeat(32);
  it('allowed keys and baseline keys, in any case', () => {
    expect(new Policy({ root: '/r', allowedKeySha256: [sha.toUpperCase()] }).isKeyAllowed(sha)).toBe(true);
    expect(new Policy({ root: '/r', baselineKeySha256: [sha] }).isKeyAllowed(sha)).toBe(true);
    expect(new Policy({ root: '/r' }).isKeyAllowed(sha)).toBe(false);
  });
  it('the inline marker counts unless inline allow is off', () => {
    expect(new Policy({ root: '/r' }).allowsInline(true)).toBe(true);
    expect(new Policy({ root: '/r', inlineAllow: false }).allowsInline(true)).toBe(false);
    expect(new Policy({ root: '/r' }).allowsInline(false)).toBe(false);
  });
});

describe('inputs from a revision', () => {
  it('reads ignore files as a given commit has them, not as the working tree does', () => {
    const repo = new TempRepo({ prefix: 'mirra-policy-rev-' });
    try {
      const base = repo.commitFiles({ '.mirrascanignore': 'old/\n' }, 'base');
      repo.commitFiles({ '.mirrascanignore': 'old/\nnew/\n' }, 'widen');
      const atBase = new Policy({ root: repo.dir, readIgnoreFile: revisionReader(repo.dir, base) });
      const now = new Policy({ root: repo.dir });
      expect([atBase.isPathIgnored('old/k.ts'), atBase.isPathIgnored('new/k.ts')]).toEqual([true, false]);
      expect([now.isPathIgnored('old/k.ts'), now.isPathIgnored('new/k.ts')]).toEqual([true, true]);
    } finally {
      repo.cleanup();
    }
  });
});
