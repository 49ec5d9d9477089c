// husky 9: the hooks go into the folder the project's husky uses (`.husky`, or the one its prepare
// script names, e.g. `"prepare": "husky .config/husky"`), husky is added with the project's package
// manager when it is missing, and the `prepare` script runs husky so everyone who clones gets them.
// A package.json in a subfolder of the repository is set up the way husky documents it:
// `"prepare": "cd .. && husky sub/.husky"`, and the hooks `cd sub` first.

import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { gitMaybe } from '../sources/git/plumbing.js';
import { ALWAYS_HOOKS, hookBlock, type HookName, withHookBlock } from './hook-script.js';
import { addWithPackageManager, binAbove, gitPath, type InstallContext, toPosix } from './index.js';
import { writePackageJson } from './package-json.js';
import { addDevDependency } from './package-manager.js';
import { setUpWorktrees } from './worktrees.js';

export { hookBlock, withHookBlock, type HookName } from './hook-script.js';

export async function installWithHusky(context: InstallContext): Promise<void> {
  const { repoRoot, packageDir, subdir, pkg, pm, report, options } = context;
  const huskyDir = await huskyFolder(context);
  const addHusky = addDevDependency(pm, 'husky');

  let husky = findHusky(packageDir);
  let huskyAdded = false;
  if (!husky) {
    if (options.installHusky === false) {
      report.notes.push(`husky is not installed: run \`${addHusky.join(' ')}\` in ${packageDir}, then \`${pm.name} run prepare\` to turn the hooks on.`);
    } else {
      addWithPackageManager(context, addHusky);
      husky = findHusky(packageDir);
      if (!husky) throw new UsageError(`husky is still missing after \`${addHusky.join(' ')}\``);
      huskyAdded = true;
      Object.assign(pkg, reread(pkg.file));
    }
  }
  if (husky && husky.major < 9) throw new UsageError(`husky ${husky.version} is installed; mirra-scan install sets up husky 9 (${addDevDependency(pm, 'husky@9').join(' ')})`);
  if (husky && !declared(pkg.json)) report.notes.push(`husky is in node_modules but not in package.json: run \`${addHusky.join(' ')}\` so everyone who clones gets the hooks.`);
  if (!binAbove(packageDir, 'mirra-scan')) {
    report.notes.push(`node_modules/.bin/mirra-scan is missing: run \`${addDevDependency(pm, 'eslint-plugin-mirra').join(' ')}\` in ${packageDir}; until then the hooks stop every commit (they fail closed).`);
  }

  updatePrepareScript(context, huskyDir, huskyAdded);

  fs.mkdirSync(path.join(repoRoot, huskyDir), { recursive: true });
  const wanted: HookName[] = [...ALWAYS_HOOKS, ...(options.extraHooks ?? [])];
  for (const hook of [...new Set(wanted)]) {
    const file = path.join(repoRoot, huskyDir, hook);
    const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    const { text, action } = withHookBlock(existing, hook, hookBlock(hook, subdir, huskyDir));
    if (action !== 'unchanged') fs.writeFileSync(file, text, { mode: 0o755 });
    if (existing !== null && action === 'appended' && /^\s*(exit|exec)\b/m.test(existing)) {
      report.notes.push(`${huskyDir}/${hook} has an \`exit\` or \`exec\` line before the mirra-scan block, which may never run: move the block above it.`);
    }
    report.files.push({ file: `${huskyDir}/${hook}`, action });
  }

  if (!husky) return;
  report.notes.push(...(await hooksHuskyWillHide(repoRoot, `${huskyDir}/_`)));
  // husky must run in the folder that holds .git, given the hooks folder relative to it.
  const before = await hooksPath(repoRoot);
  const result = context.run(process.execPath, [husky.bin, huskyDir], repoRoot);
  const said = result.output.trim();
  if (result.status !== 0 || said) report.notes.push(`husky said: ${said || `exit ${result.status}`}`);
  const now = await hooksPath(repoRoot);
  if (now !== before && now === `${huskyDir}/_`) report.changes.push(`git config core.hooksPath set to ${now} (husky)`);
  if (now !== `${huskyDir}/_`) return;
  const worktrees = await setUpWorktrees(repoRoot, huskyDir);
  for (const dir of worktrees.set) report.changes.push(`hooks set up in the linked worktree ${dir} too (new ones get them from the post-checkout hook)`);
  report.notes.push(...worktrees.notes);
  report.notes.push('not guarded by any hook: `GIT_DIR=… git commit` run from a subfolder (git then takes that folder for the worktree and finds no hooks there); pre-push from the worktree\'s top and CI still check those commits.');
}

/** The `prepare` script husky 9 documents: `husky` at the root, `cd .. && husky sub/.husky` in a subfolder. */
export function prepareCommand(subdir: string, huskyDir = subdir ? `${subdir}/.husky` : '.husky'): string {
  const arg = huskyDir === '.husky' ? '' : ` ${huskyDir}`;
  if (!subdir) return `husky${arg}`;
  const up = subdir.split('/').map(() => '..').join('/');
  return `cd ${up} && husky${arg}`;
}

/**
 * The husky folder (relative to the repository root) the project already uses: the one its prepare
 * script gives husky, else the one core.hooksPath points at (`<dir>/_` with husky's `h` in it),
 * else `.husky` beside package.json.
 */
async function huskyFolder({ repoRoot, packageDir, subdir, pkg }: InstallContext): Promise<string> {
  const prepare = pkg.json.scripts?.prepare ?? '';
  const m = /(?:^|&&|;)\s*(?:cd\s+(\S+)\s*&&\s*)?(?:npx\s+|pnpm\s+(?:exec\s+)?|yarn\s+|bunx\s+)?husky(?:\s+install)?\s+(["']?)([^\s"'&;|]+)\2/.exec(prepare);
  if (m) {
    const from = path.resolve(packageDir, m[1] ?? '.');
    const dir = toPosix(path.relative(repoRoot, path.resolve(from, m[3])));
    if (dir && !dir.startsWith('..')) return dir;
  }
  const current = await hooksPath(repoRoot);
  if (current.endsWith('/_') && fs.existsSync(path.join(repoRoot, current, 'h'))) return current.slice(0, -2);
  return subdir ? `${subdir}/.husky` : '.husky';
}

function updatePrepareScript(context: InstallContext, huskyDir: string, huskyAdded: boolean): void {
  const { pkg, subdir, report } = context;
  const wanted = prepareCommand(subdir, huskyDir);
  const current = pkg.json.scripts?.prepare?.trim();
  const runsHusky = current !== undefined && /(^|[\s;&|])husky(\s|$|;|&|\|)/.test(current);
  const details = huskyAdded ? ['husky added to devDependencies'] : [];
  if (current && (current.includes(wanted) || (runsHusky && (huskyDir === '.husky' || current.includes(huskyDir))))) {
    details.push(`prepare "${current}" kept`);
  } else {
    const script = current ? `${current} && ${wanted}` : wanted;
    (pkg.json.scripts ??= {}).prepare = script;
    writePackageJson(pkg);
    details.push(`prepare "${script}" (${current ? 'appended' : 'set'})`);
  }
  const changed = details.length > 1 || !details[0].endsWith('kept');
  report.files.push({ file: subdir ? `${subdir}/package.json` : 'package.json', action: changed ? 'updated' : 'unchanged', detail: details.join(', ') });
}

function declared(json: InstallContext['pkg']['json']): boolean {
  return Boolean(json.devDependencies?.husky ?? json.dependencies?.husky);
}

function reread(file: string): Pick<InstallContext['pkg'], 'json' | 'original'> {
  const original = fs.readFileSync(file, 'utf8');
  return { original, json: JSON.parse(original.replace(/^\uFEFF/, '')) as InstallContext['pkg']['json'] };
}

/**
 * Hooks that stop running once husky points core.hooksPath at its own folder: those in another
 * hooks path, or in .git/hooks (git ignores that folder while core.hooksPath is set).
 */
async function hooksHuskyWillHide(repoRoot: string, huskyHooks: string): Promise<string[]> {
  const current = await hooksPath(repoRoot);
  if (current === huskyHooks) return [];
  if (current) return [`core.hooksPath was ${current}; husky replaces it, so move the hooks there into the husky folder.`];
  const dir = await gitPath(repoRoot, 'hooks');
  const own = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => !f.endsWith('.sample')) : [];
  return own.length ? [`git will no longer run ${own.join(', ')} from ${dir}: move them into the husky folder.`] : [];
}

/** `core.hooksPath` ('' when unset). */
async function hooksPath(repoRoot: string): Promise<string> {
  return ((await gitMaybe(repoRoot, ['config', '--get', 'core.hooksPath'])) ?? '').trim();
}

interface HuskyFound {
  bin: string;
  version: string;
  major: number;
}

/** husky as node would resolve it from the project (node_modules here or in a parent, for workspaces). */
function findHusky(packageDir: string): HuskyFound | null {
  for (let dir = packageDir; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'node_modules', 'husky', 'package.json');
    if (fs.existsSync(manifest)) {
      const { version = '0.0.0', bin } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: string; bin?: string | Record<string, string> };
      const rel = typeof bin === 'string' ? bin : (bin?.husky ?? 'bin.js');
      return { bin: path.join(path.dirname(manifest), rel), version, major: parseInt(version, 10) };
    }
    if (path.dirname(dir) === dir) return null;
  }
}
