// Installing through a hook manager other than husky. Each keeps the hooks in its own config, so
// re-running it (its install, a prepare/postinstall script) keeps ours: lefthook.yml, the pre-commit
// framework's .pre-commit-config.yaml, simple-git-hooks' config in package.json. A config that
// cannot be edited safely without a YAML/JS parser (the hook already has entries, a JS config) is
// left alone: install stops before changing anything and prints the exact lines to add.

import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { binAbove, type InstallContext } from './index.js';
import { hookCommands, LEFTHOOK_FILES, lefthookRecipe, type HooksManager, PRE_COMMIT_FILES, preCommitRecipe, readText } from './managers.js';
import { writePackageJson } from './package-json.js';
import { addDevDependency } from './package-manager.js';

export function installWithOtherManager(manager: Exclude<HooksManager, 'husky'>, context: InstallContext): void {
  if (manager === 'lefthook') lefthook(context);
  else if (manager === 'pre-commit') preCommit(context);
  else simpleGitHooks(context);
}

const SETUP_HOOKS = (extra: InstallContext['extra']) => ['pre-commit', ...(extra.commitMsg ? ['commit-msg'] : []), ...(extra.prePush ? ['pre-push'] : [])];

function lefthook(context: InstallContext): void {
  const { repoRoot, packageDir, subdir, extra, report, pm } = context;
  const found = [packageDir, repoRoot].flatMap((dir) => LEFTHOOK_FILES.map((f) => path.join(dir, f))).find((f) => fs.existsSync(f));
  const file = found ?? path.join(repoRoot, 'lefthook.yml');
  const rel = path.relative(repoRoot, file);
  const recipe = lefthookRecipe(subdir, extra);
  const text = readText(file);
  if (text === null) {
    fs.writeFileSync(file, recipe);
    report.files.push({ file: rel, action: 'created' });
  } else if (text.includes('mirra-scan')) {
    report.files.push({ file: rel, action: 'unchanged', detail: 'already runs mirra-scan' });
  } else {
    const taken = SETUP_HOOKS(extra).filter((h) => new RegExp(`^${h}:`, 'm').test(text));
    if (!/\.ya?ml$/.test(file) || taken.length) {
      throw refusal(`${rel} already configures ${taken.join(', ') || 'hooks in a format install does not edit'}`, rel, recipe, 'lefthook install');
    }
    fs.writeFileSync(file, `${text}${text.endsWith('\n') ? '' : '\n'}${recipe}`);
    report.files.push({ file: rel, action: 'appended' });
  }
  const bin = binAbove(packageDir, 'lefthook');
  runManager(context, bin ?? 'lefthook', ['install'], `lefthook is not installed: run \`${addDevDependency(pm, 'lefthook').join(' ')}\`, then \`npx lefthook install\``);
}

function preCommit(context: InstallContext): void {
  const { repoRoot, subdir, extra, report } = context;
  const found = PRE_COMMIT_FILES.map((f) => path.join(repoRoot, f)).find((f) => fs.existsSync(f));
  const file = found ?? path.join(repoRoot, '.pre-commit-config.yaml');
  const rel = path.relative(repoRoot, file);
  const text = readText(file);
  const types = SETUP_HOOKS(extra).flatMap((h) => ['--hook-type', h]);
  if (text === null) {
    fs.writeFileSync(file, preCommitRecipe(subdir, extra, true));
    report.files.push({ file: rel, action: 'created' });
  } else if (text.includes('mirra-scan')) {
    report.files.push({ file: rel, action: 'unchanged', detail: 'already runs mirra-scan' });
  } else {
    // Appending a list item is safe only when `repos:` is the file's last top-level key, written as a
    // block list indented by two spaces.
    const keys = [...text.matchAll(/^([A-Za-z_][\w-]*):/gm)].map((m) => m[1]);
    if (keys.at(-1) !== 'repos' || !/^ {2}- repo:/m.test(text)) {
      throw refusal(`${rel} is laid out in a way install does not edit`, rel, preCommitRecipe(subdir, extra, false), `pre-commit install ${types.join(' ')}`);
    }
    fs.writeFileSync(file, `${text}${text.endsWith('\n') ? '' : '\n'}${preCommitRecipe(subdir, extra, false)}`);
    report.files.push({ file: rel, action: 'appended' });
  }
  runManager(context, 'pre-commit', ['install', ...types], 'the pre-commit framework is not installed: install it (pipx install pre-commit, or your system\'s package), then run `pre-commit install`');
}

function simpleGitHooks(context: InstallContext): void {
  const { packageDir, subdir, extra, report, pkg, pm } = context;
  const cd = subdir ? `cd ${subdir} && ` : '';
  const c = hookCommands('');
  const wanted: Record<string, string> = { 'pre-commit': `${cd}${c.staged}` };
  if (extra.commitMsg) wanted['commit-msg'] = subdir ? `msg=$(pwd)/$1; ${cd}${c.commitMsg('"$msg"')}` : c.commitMsg('"$1"');
  if (extra.prePush) wanted['pre-push'] = `${cd}${c.prePush('"$@"')}`;
  const inPackage = pkg.json['simple-git-hooks'];
  const jsonFile = ['.simple-git-hooks.json', 'simple-git-hooks.json'].map((f) => path.join(packageDir, f)).find((f) => fs.existsSync(f));
  const other = ['.simple-git-hooks.cjs', 'simple-git-hooks.cjs', '.simple-git-hooks.js', 'simple-git-hooks.js', '.simple-git-hooks.mjs', 'simple-git-hooks.mjs'].find((f) => fs.existsSync(path.join(packageDir, f)));
  const rel = (f: string) => (subdir ? `${subdir}/${f}` : f);
  if (other && inPackage === undefined && !jsonFile) {
    throw refusal(`simple-git-hooks reads ${other}, which install does not edit`, rel(other), Object.entries(wanted).map(([h, cmd]) => `"${h}": "${cmd.replace(/"/g, '\\"')}"`).join(',\n') + '\n', 'npx simple-git-hooks');
  }
  const edit = (config: Record<string, unknown>): boolean => {
    let changed = false;
    for (const [hook, cmd] of Object.entries(wanted)) {
      const current = config[hook];
      if (typeof current === 'string' && current.includes('mirra-scan')) continue;
      config[hook] = typeof current === 'string' && current.trim() ? `${current} && ${cmd}` : cmd;
      changed = true;
    }
    return changed;
  };
  if (jsonFile && inPackage === undefined) {
    const config = JSON.parse(fs.readFileSync(jsonFile, 'utf8').replace(/^\uFEFF/, '')) as Record<string, unknown>;
    const changed = edit(config);
    if (changed) fs.writeFileSync(jsonFile, JSON.stringify(config, null, 2) + '\n');
    report.files.push({ file: rel(path.basename(jsonFile)), action: changed ? 'updated' : 'unchanged' });
  } else {
    const config = (inPackage && typeof inPackage === 'object' ? inPackage : {}) as Record<string, unknown>;
    const changed = edit(config);
    pkg.json['simple-git-hooks'] = config;
    writePackageJson(pkg);
    report.files.push({ file: rel('package.json'), action: changed ? 'updated' : 'unchanged', detail: '"simple-git-hooks"' });
  }
  const bin = binAbove(packageDir, 'simple-git-hooks');
  runManager(context, bin ?? 'simple-git-hooks', [], `simple-git-hooks is not installed: run \`${addDevDependency(pm, 'simple-git-hooks').join(' ')}\`, then \`npx simple-git-hooks\``, packageDir);
}

/** Runs the manager's own install so git's hooks follow its config; its errors are shown as it said them. */
function runManager(context: InstallContext, command: string, args: string[], missing: string, cwd = context.repoRoot): void {
  const result = context.run(command, args, cwd);
  const shown = `${path.basename(command)} ${args.join(' ')}`.trim();
  if (result.status === null) {
    context.report.notes.push(missing);
    return;
  }
  if (result.status !== 0) {
    context.report.notes.push(`\`${shown}\` failed (exit ${result.status}); it said: ${result.output.trim().split('\n').slice(-10).join(' / ')}`);
    return;
  }
  context.report.changes.push(`ran \`${shown}\`, which wrote git's hooks from its config`);
}

function refusal(why: string, file: string, lines: string, command: string): UsageError {
  return new UsageError(`${why}; nothing was changed. Add these lines to ${file} yourself:\n\n${lines}\nthen run \`${command}\` and \`mirra-scan install\` again to check`);
}
