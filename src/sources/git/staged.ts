// The staged source: exactly what the next commit adds. One streamed `git diff --cached` prints the
// lines the index adds against HEAD; git itself compares against the empty tree when HEAD is unborn
// (a repository's first commit). Content comes from the index, never from the working tree, so a key
// left unstaged by `git add -p` does not block and a key staged then deleted from disk does.
//
// During a merge, rebase, cherry-pick or revert the index holds the commit being made and HEAD is its
// first parent, so the diff is what the commit brings into this branch: a key merged in from another
// branch is reported even though that branch's history already has it (it would enter this branch).

import type { ScanResult } from '../../finding.js';
import type { FindingFilterOptions } from '../content-scan.js';
import { assertGitRepository } from './process.js';
import { STAGED_DIFF_ARGS } from './diff-args.js';
import { scanGitPatch } from './patch-scan.js';
import { dropIgnoredPaths } from '../ignored-paths.js';

export interface StagedScanOptions extends FindingFilterOptions {
  /** Any folder inside the repository; paths in findings are relative to its root. */
  cwd: string;
  /** Gitignore-style patterns (config `ignorePaths`); `.mirrascanignore` at the root is added to them. */
  ignorePaths?: string[];
}

export { STAGED_DIFF_ARGS } from './diff-args.js';

export async function scanStaged(options: StagedScanOptions): Promise<ScanResult> {
  try {
    const result = await scanGitPatch({
      cwd: options.cwd,
      args: STAGED_DIFF_ARGS,
      source: 'staged',
      placeFor: () => 'staged',
      inlineAllow: options.inlineAllow,
    });
    return dropIgnoredPaths(result, { cwd: options.cwd, ignorePaths: options.ignorePaths });
  } catch (e) {
    // Outside a repository `git diff` falls back to comparing files and only says `unknown option
    // cached`; ask git why it failed (on this path only, so a commit pays for no extra process).
    await assertGitRepository(options.cwd);
    throw e;
  }
}

