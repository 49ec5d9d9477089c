// `mirra-scan install`: sets the hooks up through the hook manager the repository uses (husky 9 by
// default; lefthook, the pre-commit framework or simple-git-hooks when one is in place or named with
// --hooks-manager), then runs the installed pre-commit hook the way git will and says whether it
// reached mirra-scan. Everything it changes is listed; when it cannot finish, what it changed in
// package.json and the lockfiles is put back, and it says why (the package manager's own words).

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ScanFailure, UsageError } from '../errors.js';
import { gitAnswer } from '../sources/git/plumbing.js';
import { checkInstalledHook } from './check.js';
import { installWithHusky } from './husky.js';
import { chooseManager, detectManagers, type HooksManager } from './managers.js';
import { installWithOtherManager } from './other-managers.js';
import { readPackageJson, type PackageJson } from './package-json.js';
import { assertNotPlugNPlay, detectPackageManager, type PackageManager } from './package-manager.js';

export interface InstallOptions {
  /** Where the user ran the command: the nearest package.json at or above it is the project. */
  cwd: string;
  /** Hooks to write besides those every install writes. */
  extraHooks?: Array<'commit-msg' | 'pre-push'>;
  /** Add husky with the package manager when it is missing (default true); false: say what to run. */
  installHusky?: boolean;
  /** `--hooks-manager`: husky, lefthook, pre-commit or simple-git-hooks; default: the one in place. */
  hooksManager?: string;
  /** Runs a command (tests replace it); default: spawnSync, output captured. */
  runCommand?: RunCommand;
}

export type RunCommand = (command: string, args: string[], cwd: string) => { status: number | null; output: string };

/** What install did to one file. */
export interface FileChange {
  /** Relative to the repository root, `/`-separated. */
  file: string;
  action: 'created' | 'appended' | 'updated' | 'unchanged';
  detail?: string;
}

export interface InstallReport {
  repoRoot: string;
  packageDir: string;
  /** The folder of package.json relative to the repository root, `/`-separated ('' at the root). */
  subdir: string;
  manager: HooksManager;
  files: FileChange[];
  /** Other changes, one sentence each (a dependency added, git config set). */
  changes: string[];
  /** Files to commit so that everyone who clones gets the hooks. */
  toCommit: string[];
  /** The final check: the installed pre-commit hook, run as git will, reached mirra-scan. */
  active: boolean;
  reason: string;
  /** Things the user must do or know, one sentence each. */
  notes: string[];
}

/** What the manager-specific parts get. */
export interface InstallContext {
  options: InstallOptions;
  run: RunCommand;
  repoRoot: string;
  packageDir: string;
  subdir: string;
  pkg: PackageJson;
  pm: PackageManager;
  extra: { commitMsg: boolean; prePush: boolean };
  report: InstallReport;
}

export async function installHooks(options: InstallOptions): Promise<InstallReport> {
  const run = options.runCommand ?? defaultRunCommand;
  const repoRoot = await gitTopLevel(options.cwd);
  const packageDir = findPackageDir(options.cwd, repoRoot);
  const subdir = toPosix(path.relative(repoRoot, packageDir));
  // Everything that can refuse does so before anything is changed.
  const pkg = readPackageJson(path.join(packageDir, 'package.json'));
  const pm = detectPackageManager(packageDir, repoRoot);
  assertNotPlugNPlay(pm);
  const manager = chooseManager(options.hooksManager, detectManagers(repoRoot, packageDir, pkg, await gitPath(repoRoot, 'hooks')));
  const report: InstallReport = { repoRoot, packageDir, subdir, manager, files: [], changes: [], toCommit: [], active: false, reason: '', notes: [] };
  const extra = { commitMsg: options.extraHooks?.includes('commit-msg') ?? false, prePush: options.extraHooks?.includes('pre-push') ?? false };
  const context: InstallContext = { options, run, repoRoot, packageDir, subdir, pkg, pm, extra, report };
  if (manager === 'husky') await installWithHusky(context);
  else installWithOtherManager(manager, context);

  const check = await checkInstalledHook(repoRoot, manager === 'lefthook');
  report.active = check.active;
  report.reason = check.reason;
  report.toCommit = [...new Set(report.files.filter((f) => f.action !== 'unchanged').map((f) => f.file))];
  return report;
}

/**
 * Runs the package manager to add a dev dependency; if it fails, package.json and the lockfiles are
 * put back as they were and the error carries what the package manager said.
 */
export function addWithPackageManager(context: InstallContext, command: string[]): void {
  const files = [context.pkg.file, ...['pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'bun.lockb', 'package-lock.json', 'npm-shrinkwrap.json'].flatMap((f) => [path.join(context.pm.root, f), path.join(context.packageDir, f)])];
  const before = new Map<string, Buffer | null>();
  for (const f of new Set(files)) before.set(f, fs.existsSync(f) ? fs.readFileSync(f) : null);
  const result = context.run(command[0], command.slice(1), context.packageDir);
  if (result.status === 0) {
    context.report.changes.push(`ran \`${command.join(' ')}\` in ${context.subdir || 'the repository root'}`);
    for (const [f, content] of before) {
      if (f === context.pkg.file || !fs.existsSync(f)) continue;
      if (content === null || !fs.readFileSync(f).equals(content)) context.report.files.push({ file: toPosix(path.relative(context.repoRoot, f)), action: content === null ? 'created' : 'updated' });
    }
    return;
  }
  for (const [f, content] of before) {
    if (content === null) fs.rmSync(f, { force: true });
    else if (!fs.existsSync(f) || !fs.readFileSync(f).equals(content)) fs.writeFileSync(f, content);
  }
  const said = result.output.trim().split('\n').slice(-20).join('\n');
  throw new ScanFailure(
    `\`${command.join(' ')}\` failed (${result.status === null ? 'could not start it' : `exit ${result.status}`}); package.json and the lockfile are as they were. ` +
      `${command[0]} said:\n${said || '(nothing)'}`,
  );
}

/** The top of the worktree `cwd` is in (`git rev-parse --show-toplevel`), real path. */
export async function gitTopLevel(cwd: string): Promise<string> {
  let top: string;
  try {
    top = await gitAnswer(cwd, ['rev-parse', '--show-toplevel']);
  } catch (e) {
    if (e instanceof ScanFailure && e.message.startsWith('cannot run git')) throw e;
    throw new UsageError('not in a git repository: run `git init` first, or run mirra-scan install inside the repository');
  }
  return fs.realpathSync(top.trim());
}

/** `git rev-parse --git-path <name>`, absolute (`.git/<name>` if git cannot say). */
export async function gitPath(repoRoot: string, name: string): Promise<string> {
  const answer = await gitAnswer(repoRoot, ['rev-parse', '--git-path', name]).catch(() => `.git/${name}`);
  return path.resolve(repoRoot, answer.trim());
}

/** `node_modules/.bin/<name>` in `dir` or a folder above it, as the hooks look for it (workspaces hoist bins). */
export function binAbove(dir: string, name: string): string | null {
  for (let d = dir; ; d = path.dirname(d)) {
    const bin = path.join(d, 'node_modules', '.bin', name);
    if (fs.existsSync(bin)) return bin;
    if (path.dirname(d) === d) return null;
  }
}

/** The nearest folder at or above `cwd`, inside the repository, that has a package.json. */
function findPackageDir(cwd: string, repoRoot: string): string {
  let dir = fs.realpathSync(cwd);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (dir === repoRoot || path.dirname(dir) === dir) break;
    dir = path.dirname(dir);
  }
  throw new UsageError('no package.json between here and the repository root: run `npm init` first (husky is installed with npm)');
}

function defaultRunCommand(command: string, args: string[], cwd: string): { status: number | null; output: string } {
  const r: SpawnSyncReturns<string> = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) return { status: null, output: r.error.message };
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
