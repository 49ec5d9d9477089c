// The last step of `install`: run the pre-commit hook git would run, the way git runs it (the file
// `git rev-parse --git-path hooks/pre-commit` names, from the worktree's top, with the user's own
// environment), and report whether it reached mirra-scan. The hook is run with
// MIRRA_SCAN_HOOK_CHECK naming an empty file of ours: mirra-scan then writes which command it is
// into that file and exits 0 without scanning (see src/cli/hook-check.ts). A manager that hides a hook's
// output (the pre-commit framework) cannot hide that.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gitAnswer } from '../sources/git/plumbing.js';

export interface HookCheck {
  active: boolean;
  /** What was seen, one sentence. */
  reason: string;
}

export const HOOK_CHECK_ENV = 'MIRRA_SCAN_HOOK_CHECK';

/**
 * `withStagedFile`: lefthook runs no command when nothing is staged, so the hook is run with a
 * temporary index that stages one empty file (written beside the user's files for that moment and
 * removed after, as is the temporary index); the user's own index is not touched.
 */
export async function checkInstalledHook(worktreeTop: string, withStagedFile = false): Promise<HookCheck> {
  let hooks: string;
  try {
    hooks = await gitAnswer(worktreeTop, ['rev-parse', '--git-path', 'hooks/pre-commit']);
  } catch (e) {
    return { active: false, reason: `git cannot say where its hooks are: ${(e as Error).message}` };
  }
  const hook = path.resolve(worktreeTop, hooks.trim());
  const shown = path.relative(worktreeTop, hook) || hook;
  const huskyOff = process.env.HUSKY === '0' ? ' (HUSKY=0 is set: husky neither sets hooks up nor runs them)' : '';
  if (!fs.existsSync(hook)) return { active: false, reason: `git would run no pre-commit hook: ${shown} does not exist${huskyOff}` };
  try {
    fs.accessSync(hook, fs.constants.X_OK);
  } catch {
    return { active: false, reason: `git ignores ${shown}: it is not executable` };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-hook-check-'));
  const probe = path.join(dir, 'reached');
  fs.writeFileSync(probe, '');
  const staged = withStagedFile ? stageProbeFile(worktreeTop, dir) : {};
  try {
    const run = spawnSync(hook, [], {
      cwd: worktreeTop,
      encoding: 'utf8',
      env: { ...process.env, ...staged, [HOOK_CHECK_ENV]: probe },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    const reached = fs.readFileSync(probe, 'utf8').trim();
    if (reached && run.status === 0) return { active: true, reason: `ran ${shown} as git will: it reached \`mirra-scan ${reached}\`` };
    if (huskyOff) return { active: false, reason: `ran ${shown} as git will: it did not reach mirra-scan${huskyOff}` };
    const said = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n').slice(-3).join(' / ');
    const how = run.error ? `could not be run (${(run.error as NodeJS.ErrnoException).code ?? run.error.message})` : `exited ${run.status ?? run.signal}`;
    return { active: false, reason: `ran ${shown} as git will: it ${how} without reaching mirra-scan${said ? ` (it said: ${said})` : ''}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    if (withStagedFile) fs.rmSync(path.join(worktreeTop, PROBE_FILE), { force: true });
  }
}

const PROBE_FILE = '.mirra-scan-hook-check';

/** A temporary index: the user's, plus one empty file; returns the environment that points git at it. */
function stageProbeFile(worktreeTop: string, dir: string): NodeJS.ProcessEnv {
  const git = (args: string[], env: NodeJS.ProcessEnv = process.env) => spawnSync('git', args, { cwd: worktreeTop, encoding: 'utf8', env });
  const index = path.join(dir, 'index');
  const own = git(['rev-parse', '--git-path', 'index']).stdout.trim();
  if (own && fs.existsSync(path.resolve(worktreeTop, own))) fs.copyFileSync(path.resolve(worktreeTop, own), index);
  fs.writeFileSync(path.join(worktreeTop, PROBE_FILE), '');
  const env = { ...process.env, GIT_INDEX_FILE: index };
  git(['add', '--', PROBE_FILE], env);
  return { GIT_INDEX_FILE: index };
}
