// Each finding carries a typed origin, and the advice follows it. One test per wrong answer the CLI
// used to give (issue 11): a key in a commit message, a merge bringing a key in, a key in an env
// file or in docs, a key on stdin, a key in a committed file, and the blocked-commit banner's
// variable name. Each runs the built CLI on a real repository.

import { afterEach, describe, expect, it } from 'vitest';
import { buildHint, fileKindOf } from '../../src/hints/index.js';
import { fakeKey } from '../support/fake-keys.js';
import { TempRepo } from '../support/git-repo.js';

interface JsonFinding {
  file: string;
  source: string;
  origin: string;
  commit: string | null;
  mergedCommit?: string;
  tag?: string;
  hint: string;
}

const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

function repo(): TempRepo {
  const r = new TempRepo({ prefix: 'mirra-origins-' });
  repos.push(r);
  return r;
}

function findings(r: TempRepo, args: string[], input?: string): JsonFinding[] {
  const out = r.mirraScan([...args, '--format', 'json'], { input });
  expect(out.status, out.stderr).toBe(1);
  return (JSON.parse(out.stdout) as { findings: JsonFinding[] }).findings;
}

const line = (key: string) => `export const key = '${key}';\n`;

describe('typed origins, and the advice that follows from them', () => {
  it('a key in the message being committed: origin commit-message, and no `git add COMMIT_EDITMSG`', () => {
    const r = repo();
    r.write('.git/COMMIT_EDITMSG', `fix login\n\nkey was ${fakeKey()}\n`);
    const [f] = findings(r, ['commit-msg', '.git/COMMIT_EDITMSG']);
    expect(f.origin).toBe('commit-message');
    expect(f.hint).not.toMatch(/git add/);
    expect(f.hint).not.toMatch(/take it out of COMMIT_EDITMSG/);
    expect(f.hint).toMatch(/commit message being written/);
  });

  it('a --no-ff merge bringing in a branch commit\'s key: origin merge, naming that commit, and no `git add` advice', () => {
    const r = repo();
    r.commitFiles({ 'README.md': '# app\n' }, 'base');
    r.git('checkout', '-q', '-b', 'feature');
    const added = r.commitFiles({ 'src/config.js': line(fakeKey('install', 80)) }, 'add config');
    r.commitFiles({ 'src/other.js': 'export const x = 1;\n' }, 'more');
    r.git('checkout', '-q', 'main');
    r.commitFiles({ 'main.txt': 'main\n' }, 'main moves on');
    r.git('merge', '--no-ff', '--no-commit', '-q', 'feature');
    const [f] = findings(r, ['staged']);
    expect(f.origin).toBe('merge');
    expect(f.source).toBe('staged'); // kept for old readers
    expect(f.mergedCommit).toBe(added);
    expect(f.hint).toContain(added.slice(0, 12));
    expect(f.hint).toMatch(/git merge --abort/);
    expect(f.hint).not.toMatch(/never committed|`git add/);
  });

  it('a key in .env: untrack it and gitignore it, never "read it from process.env"', () => {
    const r = repo();
    r.write('.env', `MIRRA_API_KEY=${fakeKey()}\n`).add();
    const [f] = findings(r, ['staged']);
    expect(f.hint).toMatch(/\.gitignore/);
    expect(f.hint).toMatch(/git rm --cached \.env/);
    expect(f.hint).not.toMatch(/process\.env/);
  });

  it('a key in README.md: replace it with a placeholder', () => {
    const r = repo();
    r.write('README.md', `Use \`${fakeKey()}\` to start.\n`);
    const [f] = findings(r, ['scan']);
    expect(f.origin).toBe('file');
    expect(f.hint).toMatch(/placeholder/);
    expect(f.hint).not.toMatch(/process\.env/);
  });

  it('a key on stdin: origin stdin, and no "take it out of \'(stdin)\'"', () => {
    const r = repo();
    const [f] = findings(r, ['scan', '-'], line(fakeKey()));
    expect(f.origin).toBe('stdin');
    expect(f.hint).not.toMatch(/\(stdin\)/);
    expect(f.hint).toMatch(/standard input/);
  });

  it('a key in a file committed at HEAD: it is in a commit, not "if it was ever committed"', () => {
    const r = repo();
    r.commitFiles({ 'src/a.js': line(fakeKey()) }, 'add');
    const [f] = findings(r, ['scan']);
    expect(f.hint).not.toMatch(/if it was ever committed/i);
    expect(f.hint).toMatch(/in (a|its) commit/);
  });

  it('the blocked-commit banner names the configured envVar', () => {
    const r = repo();
    r.write('.mirrascanrc.json', JSON.stringify({ envVar: 'ACME_MIRRA_TOKEN' }));
    r.write('src/a.js', line(fakeKey())).add();
    const out = r.mirraScan(['staged']);
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/ACME_MIRRA_TOKEN/);
    expect(out.stderr).not.toMatch(/MIRRA_API_KEY/);
  });

  it('commit and tag messages in history carry their origin, and the tag its name', () => {
    const r = repo();
    r.commitFiles({ 'a.txt': 'a\n' }, `subject\n\n${fakeKey()}\n`);
    r.git('tag', '-a', 'v1', '-m', `release ${fakeKey('install', 80)}`);
    const found = findings(r, ['history']);
    expect(found.map((f) => f.origin).sort()).toEqual(['commit-message', 'tag-message']);
    expect(found.find((f) => f.origin === 'tag-message')?.tag).toBe('v1');
  });
});

describe('the kind of file', () => {
  it.each([
    ['.env', 'env'],
    ['config/.env.local', 'env'],
    ['deploy/prod.env', 'env'],
    ['README.md', 'docs'],
    ['docs/setup.html', 'docs'],
    ['src/index.ts', 'code'],
  ])('%s is %s', (file, kind) => {
    expect(fileKindOf(file)).toBe(kind);
  });

  it('a hint built without an origin takes it from the source (old callers)', () => {
    const hint = buildHint({ keyType: 'untyped', source: 'staged', verification: { status: 'unchecked' }, file: 'a.ts', commit: null });
    expect(hint).toMatch(/staged but was never committed/);
  });
});
