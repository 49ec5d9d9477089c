// Real git repositories in temp folders, for tests of everything that reads git (staged changes,
// pushes, commit ranges, history) and for hooks fired by a real `git commit` / `git push`.
// Each repository is hermetic: no system or global git config, a local identity, no signing, and
// none of the GIT_* variables of a hook the test run may itself be inside.

import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root (where package.json and dist/ are). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built CLI; tests run after `npm run build`. */
export const CLI = path.join(PROJECT_ROOT, 'dist/cli/mirra-scan.js');

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * An environment for git and hook processes: the caller's, less anything that would make a test
 * depend on the machine or on an outer git process (GIT_DIR, GIT_INDEX_FILE, … when `npm test` runs
 * inside a hook), less HUSKY (HUSKY=0 makes husky skip hooks), with an empty global config.
 */
export function gitEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('GIT_') || k === 'HUSKY' || k === 'NO_COLOR' || k === 'FORCE_COLOR') continue;
    env[k] = v;
  }
  env.GIT_CONFIG_NOSYSTEM = '1';
  env.GIT_CONFIG_GLOBAL = os.devNull;
  env.GIT_TERMINAL_PROMPT = '0';
  return { ...env, ...extra };
}

/** Runs a program, never throwing on a non-zero exit. */
export function runProgram(command: string, args: string[], options: SpawnSyncOptions & { input?: string | Buffer } = {}): RunResult {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options, env: options.env ?? gitEnv() });
  if (r.error) throw r.error;
  return { status: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

export interface TempRepoOptions {
  /** A bare repository (a push target). */
  bare?: boolean;
  /** Name of the first branch (default `main`). */
  branch?: string;
  /** Folder to create the repository in (default: a new temp folder). */
  dir?: string;
  /** Prefix of the temp folder's name. */
  prefix?: string;
}

export class TempRepo {
  readonly dir: string;

  constructor(options: TempRepoOptions = {}) {
    this.dir = options.dir ?? fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), options.prefix ?? 'mirra-repo-')));
    fs.mkdirSync(this.dir, { recursive: true });
    this.git('init', '-q', ...(options.bare ? ['--bare'] : []), '-b', options.branch ?? 'main');
    if (!options.bare) {
      this.git('config', 'user.name', 'Test User');
      this.git('config', 'user.email', 'test@example.com');
      this.git('config', 'commit.gpgsign', 'false');
      this.git('config', 'tag.gpgsign', 'false');
      this.git('config', 'core.autocrlf', 'false');
    }
  }

  /** `path` inside the repository. */
  path(...parts: string[]): string {
    return path.join(this.dir, ...parts);
  }

  /** Runs git here; throws with git's stderr when it fails. Returns stdout. */
  git(...args: string[]): string {
    const r = this.tryGit(...args);
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
    return r.stdout;
  }

  /** Runs git here and returns the whole result, whatever the exit code. */
  tryGit(...args: string[]): RunResult {
    return this.run('git', args);
  }

  /** Runs git with stdin and extra options (env). */
  gitWith(args: string[], options: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string } = {}): RunResult {
    return this.run('git', args, options);
  }

  /** Runs any program in the repository (or `options.cwd`), with the hermetic git environment. */
  run(command: string, args: string[], options: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string } = {}): RunResult {
    return runProgram(command, args, { cwd: options.cwd ?? this.dir, input: options.input, env: gitEnv(options.env) });
  }

  /** Runs the built mirra-scan CLI here (or in `options.cwd`). */
  mirraScan(args: string[], options: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string } = {}): RunResult {
    return this.run(process.execPath, [CLI, ...args], options);
  }

  /** Writes a file (folders made as needed); a string is written as UTF-8. */
  write(rel: string, content: string | Buffer): this {
    const file = this.path(rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return this;
  }

  read(rel: string): string {
    return fs.readFileSync(this.path(rel), 'utf8');
  }

  remove(rel: string): this {
    fs.rmSync(this.path(rel), { recursive: true, force: true });
    return this;
  }

  /** `git add` of the given paths (all changes when none is given). */
  add(...paths: string[]): this {
    this.git('add', '-A', '--', ...(paths.length ? paths : ['.']));
    return this;
  }

  /** Commits what is staged, skipping hooks (use `commitWithHooks` to fire them). Returns the new HEAD. */
  commit(message = 'change', ...extra: string[]): string {
    this.git('commit', '-q', '--no-verify', '--allow-empty', '-m', message, ...extra);
    const head = this.head();
    if (head === null) throw new Error('git commit left no HEAD');
    return head;
  }

  /** A real `git commit` that fires the hooks; the result says what happened. */
  commitWithHooks(message = 'change', ...extra: string[]): RunResult {
    return this.tryGit('commit', '-m', message, ...extra);
  }

  /** Writes, stages and commits files in one go (hooks skipped). Returns the new HEAD. */
  commitFiles(files: Record<string, string | Buffer>, message = 'change'): string {
    for (const [rel, content] of Object.entries(files)) this.write(rel, content);
    this.add(...Object.keys(files));
    return this.commit(message);
  }

  /** HEAD's commit id, or null on an unborn branch. */
  head(): string | null {
    const r = this.tryGit('rev-parse', '-q', '--verify', 'HEAD^{commit}');
    return r.status === 0 ? r.stdout.trim() : null;
  }

  /** Paths in a commit's tree (default HEAD), exactly as git stores them (NUL-separated listing). */
  filesIn(ref = 'HEAD'): string[] {
    const r = this.tryGit('ls-tree', '-r', '-z', '--name-only', ref);
    return r.status === 0 ? r.stdout.split('\0').filter(Boolean) : [];
  }

  /** Number of commits reachable from a ref (0 for an unborn branch). */
  commitCount(ref = 'HEAD'): number {
    const r = this.tryGit('rev-list', '--count', ref);
    return r.status === 0 ? parseInt(r.stdout, 10) : 0;
  }

  /** Adds a bare repository in a temp folder as remote `name`; returns it. */
  addBareRemote(name = 'origin'): TempRepo {
    const bare = new TempRepo({ bare: true, prefix: 'mirra-bare-' });
    this.git('remote', 'add', name, bare.dir);
    return bare;
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Makes `dir` (a folder with a package.json) look like a project that installed eslint-plugin-mirra
 * and husky, without the network: node_modules/eslint-plugin-mirra links to this project,
 * node_modules/.bin/mirra-scan to its built CLI, and node_modules/husky to the husky this project has.
 */
export function linkMirraScanInto(dir: string, options: { husky?: boolean } = {}): void {
  const nm = path.join(dir, 'node_modules');
  fs.mkdirSync(path.join(nm, '.bin'), { recursive: true });
  fs.symlinkSync(PROJECT_ROOT, path.join(nm, 'eslint-plugin-mirra'), 'dir');
  fs.symlinkSync('../eslint-plugin-mirra/dist/cli/mirra-scan.js', path.join(nm, '.bin', 'mirra-scan'));
  if (options.husky !== false) {
    fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules', 'husky'), path.join(nm, 'husky'), 'dir');
    fs.symlinkSync('../husky/bin.js', path.join(nm, '.bin', 'husky'));
  }
}

/** A minimal package.json for a user project (husky and eslint-plugin-mirra as devDependencies). */
export function writeUserPackageJson(dir: string, extra: Record<string, unknown> = {}): void {
  fs.mkdirSync(dir, { recursive: true });
  const pkg = { name: 'user-app', version: '1.0.0', private: true, devDependencies: { 'eslint-plugin-mirra': '*', husky: '^9.1.7' }, ...extra };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
}

/**
 * A repository set up the way a user would have it after `npm install -D eslint-plugin-mirra husky`
 * and `mirra-scan install`: package.json in `subdir` (default: the root), node_modules ignored.
 * Returns the repository and the install command's result.
 */
export function hookedRepo(options: { subdir?: string; installArgs?: string[] } = {}): { repo: TempRepo; install: RunResult; packageDir: string } {
  const repo = new TempRepo({ prefix: 'mirra-hooked-' });
  const packageDir = options.subdir ? repo.path(options.subdir) : repo.dir;
  writeUserPackageJson(packageDir);
  linkMirraScanInto(packageDir);
  repo.write('.gitignore', 'node_modules/\n.env\n');
  const install = repo.mirraScan(['install', ...(options.installArgs ?? [])], { cwd: packageDir });
  return { repo, install, packageDir };
}
