// Real git repositories in temp folders, with scripted histories, for the commit, ci and baseline
// tests; and a way to run the built CLI in them with a clean CI environment.

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli/mirra-scan.js', import.meta.url));

/** Git without the user's or the machine's config, with a fixed identity. */
export const GIT_ENV: NodeJS.ProcessEnv = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Ada Tester',
  GIT_AUTHOR_EMAIL: 'ada@example.test',
  GIT_COMMITTER_NAME: 'Ada Tester',
  GIT_COMMITTER_EMAIL: 'ada@example.test',
  GIT_TERMINAL_PROMPT: '0',
};

/** The process environment without anything that says "this is CI" (tests may run inside CI). */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'CI' || /^(GITHUB|GITLAB|CI|RUNNER|BITBUCKET|BUILD|SYSTEM|CIRCLE|BUILDKITE|CHANGE)_/.test(k)) continue;
    if (['TF_BUILD', 'JENKINS_URL', 'CIRCLECI', 'BUILDKITE', 'MIRRA_SCAN_BASE_REVISION'].includes(k)) continue;
    if (k.startsWith('GIT_')) continue;
    env[k] = v;
  }
  return { ...env, ...GIT_ENV, NO_COLOR: '1', ...extra };
}

export function tempDir(prefix = 'mirra-history-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export class HistoryRepo {
  private tick = 0;

  constructor(readonly dir: string) {}

  /** A new repository with `main` as its first branch. */
  static init(dir = tempDir(), bare = false): HistoryRepo {
    fs.mkdirSync(dir, { recursive: true });
    const repo = new HistoryRepo(dir);
    repo.git('init', '-q', '-b', 'main', ...(bare ? ['--bare'] : []));
    return repo;
  }

  static clone(url: string, dir: string, ...args: string[]): HistoryRepo {
    execFileSync('git', ['clone', '-q', ...args, url, dir], { env: cleanEnv(), stdio: 'pipe' });
    return new HistoryRepo(dir);
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, env: cleanEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  }

  /** Like git(), but a failing git is an answer, not an exception (a merge with conflicts). */
  gitTry(...args: string[]): { status: number; out: string } {
    const r = spawnSync('git', args, { cwd: this.dir, env: cleanEnv(), encoding: 'utf8' });
    return { status: r.status ?? -1, out: (r.stdout ?? '') + (r.stderr ?? '') };
  }

  write(file: string, content: string | Buffer): this {
    const abs = path.join(this.dir, file);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
    return this;
  }

  read(file: string): string {
    return fs.readFileSync(path.join(this.dir, file), 'utf8');
  }

  /** `git mv`, making the target's folder first. */
  move(from: string, to: string): this {
    fs.mkdirSync(path.dirname(path.join(this.dir, to)), { recursive: true });
    this.git('mv', from, to);
    return this;
  }

  remove(file: string): this {
    fs.rmSync(path.join(this.dir, file));
    return this;
  }

  /** Commits everything in the working tree with a distinct, increasing date; returns the sha. */
  commit(message: string, author?: { name: string; email: string }): string {
    this.git('add', '-A');
    this.tick++;
    const date = `2024-01-${String(1 + (this.tick % 28)).padStart(2, '0')}T${String(this.tick % 24).padStart(2, '0')}:00:00Z`;
    const env = { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, ...(author ? { GIT_AUTHOR_NAME: author.name, GIT_AUTHOR_EMAIL: author.email } : {}) };
    execFileSync('git', ['commit', '-q', '--allow-empty', '--no-verify', '-m', message], { cwd: this.dir, env: cleanEnv(env), stdio: 'pipe' });
    return this.head();
  }

  head(): string {
    return this.git('rev-parse', 'HEAD');
  }
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `mirra-scan` in `cwd` with a clean environment plus `env`. */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env: cleanEnv(env), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  source: string;
  commit: string | null;
  keySha256: string;
  encoding: string;
  author?: string;
  date?: string;
}

/** Runs the CLI with `--format json` and returns its findings (and the rest). */
export function runJson(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliResult & { findings: JsonFinding[] } {
  const r = runCli([...args, '--format', 'json'], cwd, env);
  let findings: JsonFinding[] = [];
  try {
    findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
  } catch {
    // not JSON: the test looks at status and stderr
  }
  return { ...r, findings };
}
