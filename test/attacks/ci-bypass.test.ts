// Attack: the commits under review change the rules they are checked by. A pull request adds a key
// and, in the same range, allows it: its hash in `allowedKeys` (package.json "mirraScan", or any
// config file), or in the baseline the pipeline passes; or it ignores everything (`ignorePaths:
// ["**"]`). The security mode (`ci --no-ignore --no-inline-allow`) reads its rules from the base of
// the range (or from outside the repository), so none of that hides the key; every such change is
// reported (a warning in text, `allowRuleChanges` in JSON), in default `ci` too.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keySha256 } from '../../src/detector/index.js';
import { fakeKey } from '../support/fake-keys.js';
import { TempRepo } from '../support/git-repo.js';

const made: TempRepo[] = [];
afterAll(() => made.forEach((r) => r.cleanup()));

const KEY = fakeKey('script', 80, 81);
const SECURITY = ['--no-ignore', '--no-inline-allow'];
const allowing = (hash: string) => ({ allowedKeys: [{ keySha256: hash, reason: 'a test key' }] });
const pkg = (mirraScan?: unknown) => JSON.stringify({ name: 'app', version: '1.0.0', ...(mirraScan ? { mirraScan } : {}) }, null, 2) + '\n';
const baselineOf = (hashes: string[]) =>
  JSON.stringify({ version: 1, entries: hashes.map((h) => ({ keySha256: h, redacted: 'mirra_script_…', file: 'src/k.ts', line: 1 })) }, null, 2) + '\n';

interface Report {
  findings: Array<{ keySha256: string }>;
  allowRuleChanges?: Array<{ file: string; commit: string; kind: string }>;
}

/** A repository at its base commit (with `files`); returns it and the base's sha. */
function repoAt(files: Record<string, string> = {}): { repo: TempRepo; base: string } {
  const repo = new TempRepo({ prefix: 'mirra-ci-bypass-' });
  made.push(repo);
  const base = repo.commitFiles({ 'README.md': 'app\n', 'package.json': pkg(), ...files }, 'base');
  return { repo, base };
}

function ci(repo: TempRepo, base: string, extra: string[] = []) {
  const env = { GITHUB_ACTIONS: '', GITLAB_CI: '' };
  const r = repo.mirraScan(['ci', '--since', base, '--format', 'json', ...extra], { env });
  return { ...r, report: (r.stdout ? JSON.parse(r.stdout) : {}) as Report };
}

describe('ci --no-ignore --no-inline-allow: what the range changes cannot hide its key', () => {
  it.each([
    ['package.json "mirraScan"', { 'package.json': pkg(allowing(keySha256(KEY))) }, 'package.json'],
    ['.mirrascanrc.json', { '.mirrascanrc.json': JSON.stringify(allowing(keySha256(KEY))) }, '.mirrascanrc.json'],
    ['mirra-scan.config.cjs', { 'mirra-scan.config.cjs': `module.exports = ${JSON.stringify(allowing(keySha256(KEY)))};\n` }, 'mirra-scan.config.cjs'],
    ['a config in a subfolder', { 'sub/.mirrascanrc.json': JSON.stringify(allowing(keySha256(KEY))) }, 'sub/.mirrascanrc.json'],
  ])('the key allowed in %s by the same range: found, and the change reported', (_name, allow, file) => {
    const { repo, base } = repoAt();
    repo.commitFiles({ 'src/k.ts': `export const k = "${KEY}";\n`, ...allow }, 'add a key and allow it');
    const r = ci(repo, base, SECURITY);
    expect(r.status, r.stderr).toBe(1);
    expect(r.report.findings.map((f) => f.keySha256)).toEqual([keySha256(KEY)]);
    expect(r.report.allowRuleChanges?.map((c) => c.file)).toEqual([file]);
    expect(r.stderr).toContain(file);
  });

  it('the key added to the in-repository baseline the pipeline passes: found; the base\'s baseline is used', () => {
    const { repo, base } = repoAt({ '.mirra-scan-baseline.json': baselineOf([]) });
    repo.commitFiles({ 'src/k.ts': `export const k = "${KEY}";\n`, '.mirra-scan-baseline.json': baselineOf([keySha256(KEY)]) }, 'add a key and baseline it');
    const r = ci(repo, base, [...SECURITY, '--baseline', '.mirra-scan-baseline.json']);
    expect(r.status, r.stderr).toBe(1);
    expect(r.report.findings.map((f) => f.keySha256)).toEqual([keySha256(KEY)]);
    expect(r.report.allowRuleChanges).toEqual([expect.objectContaining({ file: '.mirra-scan-baseline.json', kind: 'baseline' })]);
  });

  it('rules the base already had still apply, and so do a config and a baseline outside the repository', () => {
    const other = fakeKey('test', 70, 82);
    const { repo, base } = repoAt({ 'package.json': pkg(allowing(keySha256(KEY))) });
    repo.commitFiles({ 'src/k.ts': `export const k = "${KEY}";\nexport const o = "${other}";\n` }, 'keys');
    const r = ci(repo, base, SECURITY);
    expect(r.status, r.stderr).toBe(1);
    expect(r.report.findings.map((f) => f.keySha256)).toEqual([keySha256(other)]);
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-ci-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'baseline.json'), baselineOf([keySha256(other)]));
      const both = ci(repo, base, [...SECURITY, '--baseline', path.join(outside, 'baseline.json')]);
      expect(both.status, both.stderr).toBe(0);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('an inline allow comment added by the range does not hide the key', () => {
    const { repo, base } = repoAt();
    repo.commitFiles({ 'src/k.ts': `export const k = "${KEY}"; // mirra-scan:allow\n` }, 'allowed inline');
    const r = ci(repo, base, SECURITY);
    expect(r.status, r.stderr).toBe(1);
  });
});

describe('default ci: every change to a source of allow rules is reported', () => {
  it('`ignorePaths: ["**"]` in package.json "mirraScan": a warning on stderr and in the text report, and a JSON field', () => {
    const { repo, base } = repoAt();
    const head = repo.commitFiles({ 'src/k.ts': `export const k = "${KEY}";\n`, 'package.json': pkg({ ignorePaths: ['**'] }) }, 'hide everything');
    const r = ci(repo, base);
    expect(r.report.allowRuleChanges).toEqual([{ file: 'package.json', commit: head, kind: 'package.json "mirraScan"' }]);
    expect(r.stderr).toMatch(/warning: .*package\.json/);
    const text = repo.mirraScan(['ci', '--since', base], { env: { GITHUB_ACTIONS: '', GITLAB_CI: '' } });
    expect(text.stdout + text.stderr).toMatch(/warning: .*package\.json/);
  });

  it('a package.json change that leaves "mirraScan" alone is not reported', () => {
    const { repo, base } = repoAt({ 'package.json': pkg({ envVar: 'MIRRA_KEY' }) });
    repo.commitFiles({ 'package.json': pkg({ envVar: 'MIRRA_KEY' }).replace('1.0.0', '1.0.1') }, 'bump');
    const r = ci(repo, base);
    expect(r.status, r.stderr).toBe(0);
    expect(r.report.allowRuleChanges ?? []).toEqual([]);
  });

  it('.mirrascanignore anywhere and config files are reported', () => {
    const { repo, base } = repoAt();
    repo.commitFiles({ 'deep/er/.mirrascanignore': '*\n', '.mirrascanrc.yaml': 'envVar: X\n' }, 'rules');
    const r = ci(repo, base);
    expect(r.report.allowRuleChanges?.map((c) => [c.file, c.kind]).sort()).toEqual([
      ['.mirrascanrc.yaml', 'config'],
      ['deep/er/.mirrascanignore', 'ignore file'],
    ]);
  });
});
