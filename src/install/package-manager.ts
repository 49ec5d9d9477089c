// Which package manager a project uses, and at which level: the workspace root's lockfile (or the
// `packageManager` field corepack reads) decides, not the package folder's, since a workspace
// package has no lockfile of its own. The command that adds husky is the one that manager documents
// for that level (`pnpm add -w` and `yarn add -W` at a workspace root).

import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

export type ManagerName = 'npm' | 'pnpm' | 'yarn' | 'bun';

export interface PackageManager {
  name: ManagerName;
  /** yarn 2+ ("berry") vs yarn 1, from the packageManager field or .yarnrc.yml. */
  yarnBerry: boolean;
  /** The folder with the lockfile (the workspace root, or the package itself). */
  root: string;
  /** Files the manager may change while adding a dependency (restored if it fails). */
  lockfiles: string[];
  /** true when `root` is a workspace root and the package is that root. */
  atWorkspaceRoot: boolean;
}

const LOCKFILES: Array<[string, ManagerName]> = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

/** The manager of the project whose package.json is in `packageDir`, looking up to `repoRoot`. */
export function detectPackageManager(packageDir: string, repoRoot: string): PackageManager {
  let found: { dir: string; name: ManagerName } | null = null;
  for (let dir = packageDir; ; dir = path.dirname(dir)) {
    const declared = declaredManager(dir);
    const lock = LOCKFILES.find(([f]) => fs.existsSync(path.join(dir, f)));
    if (declared || lock) {
      found = { dir, name: declared ?? lock![1] };
      break;
    }
    if (fs.existsSync(path.join(dir, 'pnpm-workspace.yaml'))) {
      found = { dir, name: 'pnpm' };
      break;
    }
    if (dir === repoRoot || path.dirname(dir) === dir) break;
  }
  const root = found?.dir ?? packageDir;
  const name = found?.name ?? 'npm';
  const yarnBerry = name === 'yarn' && isYarnBerry(root);
  const lockfiles = LOCKFILES.map(([f]) => path.join(root, f)).filter((f) => fs.existsSync(f));
  const atWorkspaceRoot = root === packageDir && isWorkspaceRoot(root);
  return { name, yarnBerry, root, lockfiles, atWorkspaceRoot };
}

/** The command that adds husky as a dev dependency of the package in `packageDir`, run there. */
export function addDevDependency(pm: PackageManager, pkg: string): string[] {
  switch (pm.name) {
    case 'pnpm':
      return ['pnpm', 'add', '--save-dev', ...(pm.atWorkspaceRoot ? ['-w'] : []), pkg];
    case 'yarn':
      return ['yarn', 'add', '--dev', ...(pm.atWorkspaceRoot && !pm.yarnBerry ? ['-W'] : []), pkg];
    case 'bun':
      return ['bun', 'add', '--dev', pkg];
    default:
      return ['npm', 'install', '--save-dev', pkg];
  }
}

/**
 * yarn Plug'n'Play keeps no node_modules, so there is no node_modules/.bin for a git hook to run:
 * refuse before anything is changed, with the steps that make it work.
 */
export function assertNotPlugNPlay(pm: PackageManager): void {
  const pnp = ['.pnp.cjs', '.pnp.js'].some((f) => fs.existsSync(path.join(pm.root, f)));
  const rc = readText(path.join(pm.root, '.yarnrc.yml'));
  const linker = /^nodeLinker:\s*["']?([\w-]+)/m.exec(rc ?? '')?.[1];
  if (pnp || (pm.name === 'yarn' && pm.yarnBerry && (linker ?? 'pnp') === 'pnp')) {
    throw new UsageError(
      `this project uses yarn Plug'n'Play (${pnp ? '.pnp.cjs' : 'no nodeLinker in .yarnrc.yml, so pnp'}), which has no node_modules/.bin for git hooks to run; ` +
        'nothing was changed. Add `nodeLinker: node-modules` to .yarnrc.yml, run `yarn install`, then run mirra-scan install again',
    );
  }
}

function declaredManager(dir: string): ManagerName | null {
  const text = readText(path.join(dir, 'package.json'));
  if (!text) return null;
  const m = /"packageManager"\s*:\s*"(npm|pnpm|yarn|bun)@/.exec(text);
  return m ? (m[1] as ManagerName) : null;
}

function isYarnBerry(root: string): boolean {
  const m = /"packageManager"\s*:\s*"yarn@(\d+)/.exec(readText(path.join(root, 'package.json')) ?? '');
  if (m) return Number(m[1]) >= 2;
  if (fs.existsSync(path.join(root, '.yarnrc.yml'))) return true;
  return /__metadata:/.test(readText(path.join(root, 'yarn.lock'))?.slice(0, 2000) ?? '');
}

function isWorkspaceRoot(dir: string): boolean {
  if (fs.existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return true;
  return /"workspaces"\s*:/.test(readText(path.join(dir, 'package.json')) ?? '');
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
