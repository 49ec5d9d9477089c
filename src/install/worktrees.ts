// Linked worktrees share the repository's config, so husky's relative core.hooksPath (`.husky/_`)
// is looked up in each worktree; but husky's `_` folder is gitignored, so a worktree that did not
// run husky itself has no hooks at all. `install` copies that folder into every linked worktree there
// is, and the post-checkout block (hook-script.ts) does it for each one `git worktree add` makes later.

import fs from 'node:fs';
import path from 'node:path';
import { gitAnswer } from '../sources/git/plumbing.js';

export interface WorktreeSetup {
  /** Worktrees (absolute paths) that got husky's hook folder. */
  set: string[];
  /** One sentence per worktree that is still not guarded, and why. */
  notes: string[];
}

/** Copies `<huskyDir>/_` from `here` (the worktree install ran in) into every other worktree. */
export async function setUpWorktrees(here: string, huskyDir: string): Promise<WorktreeSetup> {
  const result: WorktreeSetup = { set: [], notes: [] };
  const from = path.join(here, huskyDir, '_');
  if (!fs.existsSync(path.join(from, 'h'))) return result;
  for (const dir of await worktreeDirs(here)) {
    if (samePath(dir, here)) continue;
    if (!fs.existsSync(dir)) continue; // pruned later by git; nothing can commit there
    const to = path.join(dir, huskyDir, '_');
    if (!fs.existsSync(path.join(to, 'h'))) {
      try {
        fs.mkdirSync(to, { recursive: true });
        fs.cpSync(from, to, { recursive: true });
        result.set.push(dir);
      } catch (e) {
        result.notes.push(`worktree ${dir}: could not copy the hooks folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); commits there are not checked until \`mirra-scan install\` runs there.`);
        continue;
      }
    }
    if (!fs.existsSync(path.join(dir, huskyDir, 'pre-commit'))) {
      result.notes.push(`worktree ${dir} has no ${huskyDir}/pre-commit (its commit predates the hooks): commits there are not checked until it has them.`);
    }
  }
  return result;
}

async function worktreeDirs(cwd: string): Promise<string[]> {
  const listed = await gitAnswer(cwd, ['worktree', 'list', '--porcelain', '-z']).catch(() => '');
  // Records are separated by an empty field; a bare repository's own entry has no work tree.
  return listed
    .split('\0\0')
    .map((record) => record.split('\0'))
    .filter((fields) => fields[0]?.startsWith('worktree ') && !fields.includes('bare'))
    .map((fields) => fields[0].slice('worktree '.length));
}

function samePath(a: string, b: string): boolean {
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}
