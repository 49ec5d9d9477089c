// `mirra-scan install`: sets up husky 9 hooks that run the project's own mirra-scan (through
// node_modules/.bin, not npx, which costs a registry check on every commit). It is idempotent: each
// hook gets one marked block, replaced on the next run and appended to a hook that already exists,
// so the user's own hook lines stay. A package.json in a subfolder of the repository is set up the
// way husky documents it: `"prepare": "cd .. && husky sub/.husky"`, and the hooks `cd sub` first.

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ScanFailure, UsageError } from '../errors.js';
import { setUpWorktrees } from './worktrees.js';
import { ALWAYS_HOOKS, hookBlock, type HookName, withHookBlock } from './hook-script.js';

export { hookBlock, withHookBlock, type HookName } from './hook-script.js';


export interface InstallOptions {
  /** Where the user ran the command: the nearest package.json at or above it is the project. */
  cwd: string;
  /** Hooks to write besides those every install writes (ALWAYS_HOOKS). */
  extraHooks?: Array<'commit-msg' | 'pre-push'>;
  /** Add husky with the package manager when it is missing (default true); false: say what to run. */
  installHusky?: boolean;
  /** Runs a command (tests replace it); default: spawnSync with the output shown to the user. */
  runCommand?: (command: string, args: string[], cwd: string) => { status: number | null; output: string };
}

export interface InstallReport {
  repoRoot: string;
  packageDir: string;
  /** The folder of package.json relative to the repository root, `/`-separated ('' at the root). */
  subdir: string;
  /** The husky folder relative to the repository root, e.g. `.husky` or `app/.husky`. */
  huskyDir: string;
  hooks: Array<{ hook: HookName; file: string; action: 'created' | 'appended' | 'updated' | 'unchanged' }>;
  prepare: { script: string; action: 'set' | 'appended' | 'unchanged' | 'kept' };
  /** true once git's core.hooksPath points at husky's folder. */
  active: boolean;
  /** Things the user must do or know, one sentence each. */
  notes: string[];
}


export function installHooks(options: InstallOptions): InstallReport {
  const runCommand = options.runCommand ?? defaultRunCommand;
  const repoRoot = gitTopLevel(options.cwd);
  const packageDir = findPackageDir(options.cwd, repoRoot);
  const subdir = toPosix(path.relative(repoRoot, packageDir));
  const huskyDir = subdir ? `${subdir}/.husky` : '.husky';
  const notes: string[] = [];

  let husky = findHusky(packageDir);
  if (!husky) {
    const pm = packageManager(packageDir);
    if (options.installHusky === false) {
      notes.push(`husky is not installed: run \`${pm.join(' ')}\` in ${packageDir}, then \`npm run prepare\` to turn the hooks on.`);
    } else {
      const result = runCommand(pm[0], pm.slice(1), packageDir);
      if (result.status !== 0) throw new ScanFailure(`\`${pm.join(' ')}\` failed (exit ${result.status}); install husky yourself and run mirra-scan install again`);
      husky = findHusky(packageDir);
      if (!husky) throw new ScanFailure(`husky is still missing after \`${pm.join(' ')}\``);
    }
  }
  if (husky && husky.major < 9) {
    throw new UsageError(`husky ${husky.version} is installed; mirra-scan install sets up husky 9 (npm install --save-dev husky@9)`);
  }
  if (husky && !husky.declared) {
    notes.push('husky is in node_modules but not in package.json: run `npm install --save-dev husky` so everyone who clones gets the hooks.');
  }
  if (!binAbove(packageDir, 'mirra-scan')) {
    notes.push(
      'node_modules/.bin/mirra-scan is missing: run `npm install --save-dev eslint-plugin-mirra` in ' +
        `${packageDir}; until then the hooks stop every commit (they fail closed).`,
    );
  }

  const prepare = updatePrepareScript(packageDir, subdir);

  fs.mkdirSync(path.join(repoRoot, huskyDir), { recursive: true });
  const wanted: HookName[] = [...ALWAYS_HOOKS, ...(options.extraHooks ?? [])];
  const hooks: InstallReport['hooks'] = [];
  for (const hook of [...new Set(wanted)]) {
    const file = path.join(repoRoot, huskyDir, hook);
    const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    const { text, action } = withHookBlock(existing, hook, hookBlock(hook, subdir, huskyDir));
    if (action !== 'unchanged') fs.writeFileSync(file, text, { mode: 0o755 });
    if (existing !== null && action === 'appended' && /^\s*(exit|exec)\b/m.test(existing)) {
      notes.push(`${huskyDir}/${hook} has an \`exit\` or \`exec\` line before the mirra-scan block, which may never run: move the block above it.`);
    }
    hooks.push({ hook, file: `${huskyDir}/${hook}`, action });
  }

  let active = false;
  if (husky) {
    notes.push(...hooksHuskyWillHide(repoRoot, `${huskyDir}/_`));
    // husky must run in the folder that holds .git, given the hooks folder relative to it.
    const result = runCommand(process.execPath, [husky.bin, huskyDir], repoRoot);
    const said = result.output.trim();
    if (result.status !== 0 || said) notes.push(`husky said: ${said || `exit ${result.status}`}`);
    active = hooksPath(repoRoot) === `${huskyDir}/_`;
    if (!active && !said) notes.push(`git's core.hooksPath does not point at ${huskyDir}/_; run \`npm run prepare\` in ${packageDir}.`);
    if (active) {
      const worktrees = setUpWorktrees(repoRoot, huskyDir);
      for (const dir of worktrees.set) notes.push(`hooks set up in the linked worktree ${dir} too (new ones get them from the post-checkout hook).`);
      notes.push(...worktrees.notes);
      notes.push('not guarded by any hook: `GIT_DIR=… git commit` run from a subfolder (git then takes that folder for the worktree and finds no hooks there); pre-push from the worktree\'s top and CI still check those commits.');
    }
  }
  return { repoRoot, packageDir, subdir, huskyDir, hooks, prepare, active, notes };
}

/** The `prepare` script husky 9 documents: `husky` at the root, `cd .. && husky sub/.husky` in a subfolder. */
export function prepareCommand(subdir: string): string {
  if (!subdir) return 'husky';
  const up = subdir.split('/').map(() => '..').join('/');
  return `cd ${up} && husky ${subdir}/.husky`;
}

function updatePrepareScript(packageDir: string, subdir: string): InstallReport['prepare'] {
  const file = path.join(packageDir, 'package.json');
  const text = fs.readFileSync(file, 'utf8');
  let json: { scripts?: Record<string, string> };
  try {
    json = JSON.parse(text) as typeof json;
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const wanted = prepareCommand(subdir);
  const current = json.scripts?.prepare?.trim();
  let action: InstallReport['prepare']['action'];
  let script: string;
  if (!current) {
    script = wanted;
    action = 'set';
  } else if (current.includes(wanted) || (!subdir && /(^|[\s;&|])husky(\s|$|;|&|\|)/.test(current)) || (subdir && current.includes(`${subdir}/.husky`))) {
    return { script: current, action: current.includes(wanted) ? 'unchanged' : 'kept' };
  } else {
    script = `${current} && ${wanted}`;
    action = 'appended';
  }
  (json.scripts ??= {}).prepare = script;
  const indent = /^(\s+)"/m.exec(text)?.[1] ?? '  ';
  fs.writeFileSync(file, JSON.stringify(json, null, indent) + (text.endsWith('\n') ? '\n' : ''));
  return { script, action };
}

function gitTopLevel(cwd: string): string {
  const r = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8' });
  if (r.error) throw new ScanFailure(`cannot run git: ${r.error.message}`);
  if (r.status !== 0) throw new UsageError('not in a git repository: run `git init` first, or run mirra-scan install inside the repository');
  return fs.realpathSync(r.stdout.trim());
}

/**
 * Hooks that stop running once husky points core.hooksPath at its own folder: those in another
 * hooks path, or in .git/hooks (git ignores that folder while core.hooksPath is set).
 */
function hooksHuskyWillHide(repoRoot: string, huskyHooks: string): string[] {
  const current = hooksPath(repoRoot);
  if (current === huskyHooks) return [];
  if (current) return [`core.hooksPath was ${current}; husky replaces it, so move the hooks there into the husky folder.`];
  const r = spawnSync('git', ['rev-parse', '--git-path', 'hooks'], { cwd: repoRoot, encoding: 'utf8' });
  const dir = r.status === 0 ? path.resolve(repoRoot, r.stdout.trim()) : '';
  const own = dir && fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => !f.endsWith('.sample')) : [];
  return own.length ? [`git will no longer run ${own.join(', ')} from ${dir}: move them into the husky folder.`] : [];
}

function hooksPath(repoRoot: string): string {
  const r = spawnSync('git', ['config', '--get', 'core.hooksPath'], { cwd: repoRoot, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
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

interface HuskyFound {
  bin: string;
  version: string;
  major: number;
  /** Listed in the project's package.json dependencies or devDependencies. */
  declared: boolean;
}

/** husky as node would resolve it from the project (node_modules here or in a parent, for workspaces). */
function findHusky(packageDir: string): HuskyFound | null {
  const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  const declared = Boolean(pkg.devDependencies?.husky ?? pkg.dependencies?.husky);
  for (let dir = packageDir; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'node_modules', 'husky', 'package.json');
    if (fs.existsSync(manifest)) {
      const { version = '0.0.0', bin } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: string; bin?: string | Record<string, string> };
      const rel = typeof bin === 'string' ? bin : (bin?.husky ?? 'bin.js');
      return { bin: path.join(path.dirname(manifest), rel), version, major: parseInt(version, 10), declared };
    }
    if (path.dirname(dir) === dir) return null;
  }
}

/** The command that adds husky as a dev dependency, with the package manager the lockfile shows. */
function packageManager(packageDir: string): string[] {
  const has = (f: string) => fs.existsSync(path.join(packageDir, f));
  if (has('pnpm-lock.yaml')) return ['pnpm', 'add', '--save-dev', 'husky'];
  if (has('yarn.lock')) return ['yarn', 'add', '--dev', 'husky'];
  if (has('bun.lockb') || has('bun.lock')) return ['bun', 'add', '--dev', 'husky'];
  return ['npm', 'install', '--save-dev', 'husky'];
}

function defaultRunCommand(command: string, args: string[], cwd: string): { status: number | null; output: string } {
  const r: SpawnSyncReturns<string> = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) return { status: null, output: r.error.message };
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
