// One fixture repository, every entry point, one answer: `scan`, `staged`, `diff`, `history`, `ci`,
// `pre-push` and the ESLint rule must agree, path by path and key by key, on what is ignored and what
// is allowed. The only difference is the one docs/config.md names: the rule has no `--baseline`.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Linter } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { keySha256 } from '../../src/detector/index.js';
import { fakeKey } from '../support/fake-keys.js';
import { CLI, TempRepo } from '../support/git-repo.js';

/** Each key, the file it sits in, and whether it must be reported (the CLI with `--baseline`). */
const CASES = {
  plain: { file: 'src/a.js', reported: true },
  nestedIgnored: { file: 'sub/secret.js', reported: false }, // sub/.mirrascanignore lists secret.js
  nestedSibling: { file: 'sub/other.js', reported: true }, // ... and nothing else in sub/
  rootIgnored: { file: 'vendor/x.js', reported: false }, // .mirrascanignore: vendor/
  configIgnored: { file: 'gen/y.js', reported: false }, // ignorePaths: gen/**
  allowedKey: { file: 'src/allowed.js', reported: false }, // allowedKeys
  inlineAllowed: { file: 'src/inline.js', reported: false, inline: true }, // mirra-scan:allow
  trackedGitignored: { file: 'local.js', reported: true }, // .gitignore lists it, but it is tracked (git add -f)
  baselined: { file: 'src/old.js', reported: false, rule: true }, // in the baseline: the rule has none
} as const;
type Case = keyof typeof CASES;

const keys = Object.fromEntries(Object.keys(CASES).map((c, i) => [c, fakeKey('install', 80, 1000 + i)])) as Record<Case, string>;
const caseOfSha = new Map(Object.entries(keys).map(([c, k]) => [keySha256(k), c as Case]));

function expectedFor(entry: 'cli' | 'rule'): Case[] {
  return (Object.keys(CASES) as Case[]).filter((c) => {
    const spec = CASES[c] as { reported: boolean; rule?: boolean };
    return entry === 'rule' && spec.rule !== undefined ? spec.rule : spec.reported;
  }).sort();
}

let repo: TempRepo;
let baselineFile: string;
const reported = new Map<string, Case[]>();

function casesIn(stdout: string): Case[] {
  const report = JSON.parse(stdout) as { findings: Array<{ keySha256: string; file: string }> };
  return [...new Set(report.findings.map((f) => caseOfSha.get(f.keySha256)).filter((c): c is Case => c !== undefined))].sort();
}

function cli(args: string[], input?: string): Case[] {
  const r = repo.mirraScan([...args, '--format', 'json', '--baseline', baselineFile], { input, env: { GITHUB_ACTIONS: '', GITLAB_CI: '' } });
  expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBeLessThan(2);
  return casesIn(r.stdout);
}

beforeAll(() => {
  repo = new TempRepo({ prefix: 'mirra-policy-' });
  repo.addBareRemote('origin');
  repo.commitFiles(
    {
      '.mirrascanrc.json': JSON.stringify({ ignorePaths: ['gen/**'], allowedKeys: [{ keySha256: keySha256(keys.allowedKey), reason: 'a documented sample' }] }),
      '.mirrascanignore': 'vendor/\n',
      'sub/.mirrascanignore': 'secret.js\n',
      '.gitignore': 'local.js\n',
      'README.md': '# app\n',
    },
    'settings',
  );
  repo.git('push', '-q', 'origin', 'main');
  const base = repo.head()!;
  for (const [c, spec] of Object.entries(CASES) as Array<[Case, (typeof CASES)[Case]]>) {
    const marker = 'inline' in spec ? ' // mirra-scan:allow sample' : '';
    repo.write(spec.file, `export const key = '${keys[c]}';${marker}\n`);
  }
  repo.git('add', '-A');
  repo.git('add', '-f', 'local.js');
  baselineFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-baseline-')), 'baseline.json');
  fs.writeFileSync(baselineFile, JSON.stringify({ tool: 'mirra-scan', version: 1, entries: [{ keySha256: keySha256(keys.baselined), file: 'src/old.js', commit: null }] }));

  reported.set('staged', cli(['staged']));
  const head = repo.commit('add keys');
  reported.set('scan', cli(['scan']));
  reported.set('diff', cli(['diff', `${base}..${head}`]));
  reported.set('history', cli(['history']));
  reported.set('ci', cli(['ci', '--since', base]));
  reported.set('pre-push', cli(['pre-push', 'origin', 'unused-url'], `refs/heads/main ${head} refs/heads/main ${base}\n`));

  const linter = new Linter({ cwd: repo.dir });
  const config = [{ files: ['**/*.js'], plugins: { mirra: plugin as never }, rules: { 'mirra/no-hardcoded-api-key': 'error' as const } }];
  const byRule: Case[] = [];
  for (const [c, spec] of Object.entries(CASES) as Array<[Case, (typeof CASES)[Case]]>) {
    const file = repo.path(spec.file);
    const messages = linter.verify(fs.readFileSync(file, 'utf8'), config, { filename: file });
    expect(messages.filter((m) => !m.ruleId), JSON.stringify(messages)).toEqual([]);
    if (messages.length) byRule.push(c);
  }
  reported.set('rule', byRule.sort());
}, 120_000);

afterAll(() => {
  repo?.cleanup();
  if (baselineFile) fs.rmSync(path.dirname(baselineFile), { recursive: true, force: true });
});

describe('one policy: every entry point gives the same answer', () => {
  it('the fixture exercises the built CLI', () => {
    expect(fs.existsSync(CLI), 'run `npm run build` first').toBe(true);
  });
  for (const entry of ['scan', 'staged', 'diff', 'history', 'ci', 'pre-push'] as const) {
    it(`mirra-scan ${entry}`, () => {
      expect(reported.get(entry)).toEqual(expectedFor('cli'));
    });
  }
  it('the ESLint rule (the same, except the baseline, which only the CLI takes)', () => {
    expect(reported.get('rule')).toEqual(expectedFor('rule'));
  });
});
