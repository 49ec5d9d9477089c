// `mirra-scan ci`: keys in commit messages of the range (a `--no-verify` commit skips the commit-msg
// hook), and `.mirrascanignore` / config changes made by the range itself: a warning, and `--no-ignore`.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { keySha256 } from '../../src/detector/redact.js';
import { fakeKey } from '../support/fake-keys.js';
import { HistoryRepo, runCli, runJson, tempDir } from '../support/history-repo.js';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const inMessage = fakeKey('script', 80);
const hidden = fakeKey('install', 90);
const vendored = fakeKey('untyped', 70);
let root: string;
let repo: HistoryRepo;
const c: Record<string, string> = {};

beforeAll(() => {
  root = tempDir('mirra-ci-review-');
  repo = HistoryRepo.init(path.join(root, 'repo'));
  c.base = repo.write('README.md', '# app\n').commit('init');
  c.message = repo.write('deploy.sh', 'deploy\n').commit(`deploy with ${inMessage}`);
  c.afterMessage = repo.write('a.txt', 'a\n').commit('clean');
  c.ignore = repo.write('.mirrascanignore', 'secrets/\n').write('secrets/prod.env', `MIRRA_API_KEY=${hidden}\n`).commit('hide my own key');
  c.config = repo.write('.mirrascanrc.json', JSON.stringify({ ignorePaths: ['vendor/'] })).write('vendor/lib.js', `k = '${vendored}';\n`).commit('config');
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function githubPush(before: string, after: string): NodeJS.ProcessEnv {
  const file = path.join(root, `event-${Math.random().toString(16).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify({ before, after, ref: 'refs/heads/main', forced: false, deleted: false }));
  return { CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: file, GITHUB_SHA: after };
}

describe('commit messages in the CI range', () => {
  it('a key in a --no-verify commit message fails the push, named "(commit message)" with the commit', () => {
    const r = runJson(['ci'], repo.dir, githubPush(c.base, c.afterMessage));
    expect(r.status).toBe(1);
    expect(r.findings).toEqual([expect.objectContaining({ file: '(commit message)', line: 1, column: 13, source: 'commit', commit: c.message, keySha256: keySha256(inMessage) })]);
    expect(r.stdout).not.toContain(inMessage);
  });

  it('a range without that commit passes', () => {
    const r = runJson(['ci', '--since', c.message], repo.dir);
    expect(r.findings.map((f) => f.file)).not.toContain('(commit message)');
  });

  it('--format github annotates the message finding, without the key', () => {
    const r = runCli(['ci', '--since', c.base, '--format', 'github'], repo.dir);
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('::error file=(commit message),line=1,col=13,'))).toHaveLength(1);
    expect(r.stdout).toContain(`Added in commit ${c.message.slice(0, 12)}`);
    expect(r.stdout).not.toContain(inMessage);
  });
});

describe('ignore files changed by the range', () => {
  it('honours them, and warns on stderr naming each changed file and --no-ignore', () => {
    const r = runJson(['ci', '--since', c.afterMessage], repo.dir);
    expect(r.status).toBe(0);
    expect(r.findings).toEqual([]);
    const warning = r.stderr.split('\n').filter((l) => l.includes('warning'));
    expect(warning).toHaveLength(1);
    expect(warning[0]).toMatch(/^mirra-scan: ci: warning: the scanned commits change where allow rules come from: \.mirrascanignore \(ignore file, [0-9a-f]{12}\), \.mirrascanrc\.json \(config, [0-9a-f]{12}\); the checked-out versions were honoured, so these commits can hide their own keys; run with --no-ignore --no-inline-allow in security-critical pipelines$/);
  });

  it('--no-ignore: neither .mirrascanignore nor ignorePaths apply; the changes are still reported', () => {
    const r = runJson(['ci', '--no-ignore', '--since', c.afterMessage], repo.dir);
    expect(r.status).toBe(1);
    expect(r.findings.map((f) => [f.file, f.keySha256])).toEqual([
      ['vendor/lib.js', keySha256(vendored)],
      ['secrets/prod.env', keySha256(hidden)],
    ]);
    expect(r.stderr).toContain('warning: the scanned commits change where allow rules come from: .mirrascanignore');
  });

  it('no warning when the range does not touch them (they were already there)', () => {
    repo.write('b.txt', 'b\n').commit('unrelated');
    try {
      const r = runJson(['ci', '--since', c.config], repo.dir);
      expect(r.stderr).not.toContain('warning');
    } finally {
      repo.git('reset', '-q', '--hard', c.config);
    }
  });
});
