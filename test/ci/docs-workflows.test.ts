// The CI examples in docs/ci/ run as written: their YAML parses, and the shell of each scan step is
// run here, unchanged, under the environment its CI would give it, with `mirra-scan` on PATH.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultLoaders } from 'cosmiconfig';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { keySha256 } from '../../src/detector/redact.js';
import { fakeKey } from '../support/fake-keys.js';
import { CLI, HistoryRepo, cleanEnv, tempDir } from '../support/history-repo.js';

// Each test runs git and the CLI several times; a loaded machine must not turn that into a failure.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const DOCS = fileURLToPath(new URL('../../docs/ci/', import.meta.url));
const PACKAGE_VERSION = (JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
}
interface Workflow {
  permissions?: Record<string, string>;
  env?: Record<string, unknown>;
  jobs: Record<string, { steps: Step[]; strategy?: { matrix: { shard: number[] } } }>;
}

function yaml<T>(file: string): T {
  const p = path.join(DOCS, file);
  return defaultLoaders['.yaml'](p, fs.readFileSync(p, 'utf8')) as T;
}

let root: string;
let bin: string;
const key = fakeKey('script', 80);
const commits: Record<string, string> = {};
let ciDir: string;

beforeAll(() => {
  root = tempDir('mirra-docs-');
  bin = path.join(root, 'bin');
  fs.mkdirSync(bin);
  // What `npm install --global eslint-plugin-mirra` puts on PATH.
  fs.writeFileSync(path.join(bin, 'mirra-scan'), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`, { mode: 0o755 });
  HistoryRepo.init(path.join(root, 'origin.git'), true);
  const dev = HistoryRepo.clone('file://' + path.join(root, 'origin.git'), path.join(root, 'dev'));
  dev.git('checkout', '-q', '-b', 'main');
  commits.base = dev.write('README.md', '# x\n').commit('base');
  dev.git('push', '-q', 'origin', 'main');
  dev.write('src/key.js', `export const k = '${key}';\n`);
  commits.head = dev.commit('leak');
  dev.git('push', '-q', 'origin', 'main');
  ciDir = HistoryRepo.clone('file://' + path.join(root, 'origin.git'), path.join(root, 'ci')).dir;
}, 30_000);

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function bash(script: string, cwd: string, env: NodeJS.ProcessEnv) {
  // GitHub runs `run:` with `bash --noprofile --norc -eo pipefail`; GitLab's shell stops at the first failing line too.
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd,
    env: cleanEnv({ PATH: `${bin}${path.delimiter}${process.env.PATH}`, ...env }),
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('docs/ci/github-actions.yml', () => {
  const wf = yaml<Workflow>('github-actions.yml');
  const steps = wf.jobs['mirra-scan'].steps;
  const step = (name: string) => steps.find((s) => s.name === name)!;

  it('fetches the whole history and may upload SARIF', () => {
    expect(steps[0]).toMatchObject({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
    expect(wf.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
    expect(steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))?.with).toMatchObject({ sarif_file: 'mirra-scan.sarif' });
  });

  it('scans with this repository\'s action at the package\'s version, with inputs action.yml has', () => {
    const scan = step('Scan the pushed commits');
    expect(scan.uses).toBe(`mirra-tools/eslint-plugin-mirra@v${PACKAGE_VERSION}`);
    const action = defaultLoaders['.yaml']('action.yml', fs.readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as { inputs: Record<string, unknown> };
    for (const name of Object.keys(scan.with ?? {})) expect(Object.keys(action.inputs)).toContain(name);
    expect(scan.with?.['sarif-file']).toBe('mirra-scan.sarif');
  });
});

describe('docs/ci: package versions are pinned', () => {
  it('every eslint-plugin-mirra install names the exact version', () => {
    for (const file of fs.readdirSync(DOCS).filter((f) => f !== 'README.md')) {
      const text = fs.readFileSync(path.join(DOCS, file), 'utf8');
      for (const m of text.matchAll(/eslint-plugin-mirra@v?([\w.^~*-]+)/g)) expect(m[1], file).toBe(PACKAGE_VERSION);
    }
  });
});

describe('docs/ci/gitlab-ci.yml', () => {
  const job = yaml<Record<string, { variables: Record<string, string>; before_script: string[]; script: string[] }>>('gitlab-ci.yml')['mirra-scan'];

  it('clones the whole history', () => {
    expect(job.variables.GIT_DEPTH).toBe('0');
  });

  it('its script fails the job on a pushed key and leaves the JSON report', () => {
    const env = { CI: 'true', GITLAB_CI: 'true', CI_COMMIT_BEFORE_SHA: commits.base, CI_COMMIT_SHA: commits.head, CI_COMMIT_BRANCH: 'main' };
    const fetch = bash(job.before_script.filter((l) => l.startsWith('git ')).join('\n'), ciDir, env);
    expect(fetch.status).toBe(0);
    const r = bash(job.script.join('\n'), ciDir, env);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('src/key.js:1:');
    const report = JSON.parse(fs.readFileSync(path.join(ciDir, 'mirra-scan.json'), 'utf8')) as { findings: Array<{ keySha256: string }> };
    expect(report.findings.map((f) => f.keySha256)).toEqual([keySha256(key)]);
  });
});

describe('docs/ci/github-actions-org-matrix.yml', () => {
  const wf = yaml<Workflow>('github-actions-org-matrix.yml');
  const job = wf.jobs.scan;

  it('has as many shards as SHARDS says', () => {
    expect(job.strategy!.matrix.shard).toHaveLength(Number(wf.env!.SHARDS));
  });

  // The runner images have jq; a machine without it cannot run the step as written.
  const hasJq = spawnSync('jq', ['--version']).status === 0;

  it.runIf(hasJq)('each shard scans its share of the repositories and fails when one has a key', () => {
    // `gh` lists two repositories; git's insteadOf sends the https clones to local bare repositories.
    const org = path.join(root, 'org');
    fs.mkdirSync(path.join(org, 'acme'), { recursive: true });
    execGit(['clone', '-q', '--bare', path.join(root, 'origin.git'), path.join(org, 'acme', 'leaky.git')]);
    const clean = HistoryRepo.init(path.join(root, 'clean-src'));
    clean.write('a.txt', 'nothing here\n').commit('clean');
    execGit(['clone', '-q', '--bare', clean.dir, path.join(org, 'acme', 'clean.git')]);
    fs.writeFileSync(path.join(bin, 'gh'), `#!/bin/sh\nprintf 'acme/leaky\\nacme/clean\\n'\n`, { mode: 0o755 });
    const script = job.steps.find((s) => s.name === "Scan this shard's repositories")!.run!;
    const results = [0, 1].map((shard) => {
      const ws = path.join(root, `ws${shard}`);
      fs.mkdirSync(ws);
      const summary = path.join(ws, 'summary.md');
      const r = bash(script, ws, {
        GH_TOKEN: 'tok',
        ORG: 'acme',
        SHARD: String(shard),
        SHARDS: '2',
        GITHUB_WORKSPACE: ws,
        GITHUB_STEP_SUMMARY: summary,
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: `url.file://${org}/.insteadOf`,
        GIT_CONFIG_VALUE_0: 'https://x-access-token:tok@github.com/',
      });
      return { ...r, summary: fs.readFileSync(summary, 'utf8'), reports: fs.readdirSync(path.join(ws, 'reports')) };
    });
    // Sorted: shard 0 gets acme/clean, shard 1 gets acme/leaky.
    expect(results[0]).toMatchObject({ status: 0, reports: ['acme__clean.json'] });
    expect(results[1].status).toBe(1);
    expect(results[1].summary).toContain('**acme/leaky**: 1 key(s) found');
    expect(results[1].reports).toEqual(['acme__leaky.json']);
  });
});

describe('docs/ci snippets for the other CI systems run as written under their pull request variables', () => {
  // origin: main (clean) and feature (adds a key); the CI clone has only feature, as these systems clone.
  let prClone: string;
  const prKey = fakeKey('install', 84);
  const pr: Record<string, string> = {};
  beforeAll(() => {
    HistoryRepo.init(path.join(root, 'pr-origin.git'), true);
    const url = 'file://' + path.join(root, 'pr-origin.git');
    const dev = HistoryRepo.clone(url, path.join(root, 'pr-dev'));
    dev.git('checkout', '-q', '-b', 'main');
    pr.base = dev.write('README.md', '# x\n').commit('base');
    dev.git('push', '-q', 'origin', 'main');
    dev.git('checkout', '-q', '-b', 'feature');
    pr.head = dev.write('src/pr.js', `export const k = '${prKey}';\n`).commit('pr');
    dev.git('push', '-q', 'origin', 'feature');
    prClone = HistoryRepo.clone(url, path.join(root, 'pr-ci'), '--single-branch', '--branch', 'feature').dir;
  });

  /** The shell lines of each snippet that install, fetch and scan, minus the install (mirra-scan is on PATH). */
  const scripts: Record<string, { lines: () => string[]; env: () => NodeJS.ProcessEnv }> = {
    'bitbucket-pipelines.yml': {
      lines: () => yaml<{ pipelines: { 'pull-requests': Record<string, Array<{ step: { script: string[] } }>> } }>('bitbucket-pipelines.yml').pipelines['pull-requests']['**'][0].step.script,
      env: () => ({ BITBUCKET_BUILD_NUMBER: '3', BITBUCKET_COMMIT: pr.head, BITBUCKET_PR_ID: '2', BITBUCKET_PR_DESTINATION_BRANCH: 'main', BITBUCKET_PR_DESTINATION_COMMIT: pr.base.slice(0, 12) }),
    },
    'azure-pipelines.yml': {
      lines: () => yaml<{ steps: Array<{ script?: string }> }>('azure-pipelines.yml').steps.flatMap((s) => (s.script ? [s.script] : [])),
      // fetchDepth: 0 on the checkout fetches every branch: done here by the fetch Azure's checkout makes.
      env: () => ({ TF_BUILD: 'True', BUILD_REASON: 'PullRequest', SYSTEM_PULLREQUEST_TARGETBRANCH: 'refs/heads/main', BUILD_SOURCEVERSION: pr.head }),
    },
    Jenkinsfile: {
      lines: () => [...fs.readFileSync(path.join(DOCS, 'Jenkinsfile'), 'utf8').matchAll(/^\s*sh '(.*)'$/gm)].map((m) => m[1]),
      env: () => ({ JENKINS_URL: 'http://127.0.0.1:8080/', GIT_COMMIT: pr.head, CHANGE_ID: '5', CHANGE_TARGET: 'main' }),
    },
    'circleci-config.yml': {
      lines: () => yaml<{ jobs: { 'mirra-scan': { steps: Array<{ run?: string } | string> } } }>('circleci-config.yml').jobs['mirra-scan'].steps.flatMap((s) => (typeof s === 'object' && s.run ? [s.run] : [])),
      env: () => ({ CIRCLECI: 'true', CIRCLE_SHA1: pr.head, CIRCLE_BRANCH: 'feature', MIRRA_SCAN_BASE_REVISION: pr.base }),
    },
    'buildkite-pipeline.yml': {
      lines: () => yaml<{ steps: Array<{ command: string[] }> }>('buildkite-pipeline.yml').steps[0].command,
      env: () => ({ BUILDKITE: 'true', BUILDKITE_COMMIT: pr.head, BUILDKITE_PULL_REQUEST: '9', BUILDKITE_PULL_REQUEST_BASE_BRANCH: 'main' }),
    },
  };

  for (const [file, snippet] of Object.entries(scripts)) {
    it(`${file}: fetches what it needs and fails on the pull request's key`, () => {
      const lines = snippet.lines();
      expect(lines.some((l) => l.startsWith('npm install --global') && l.includes('eslint-plugin-mirra@'))).toBe(true);
      expect(lines.at(-1)).toBe('mirra-scan ci');
      const clone = path.join(root, `pr-ci-${file}`);
      fs.cpSync(prClone, clone, { recursive: true });
      if (file === 'azure-pipelines.yml') execGit(['-C', clone, 'fetch', '-q', 'origin', '+refs/heads/*:refs/remotes/origin/*']);
      const r = bash(lines.filter((l) => !l.startsWith('npm install')).join('\n'), clone, { CI: 'true', ...snippet.env() });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stdout).toContain('src/pr.js:1:');
      expect(r.stdout + r.stderr).not.toContain(prKey);
    });
  }
});

function execGit(args: string[]) {
  const r = spawnSync('git', args, { env: cleanEnv(), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}
