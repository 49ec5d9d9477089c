// The staged source: exactly what the next commit adds. One streamed `git diff --cached` prints the
// lines the index adds against HEAD; git itself compares against the empty tree when HEAD is unborn
// (a repository's first commit). Content comes from the index, never from the working tree, so a key
// left unstaged by `git add -p` does not block and a key staged then deleted from disk does.
//
// During a merge, rebase, cherry-pick or revert the index holds the commit being made and HEAD is its
// first parent, so the diff is what the commit brings into this branch: a key merged in from another
// branch is reported even though that branch's history already has it (it would enter this branch).

import fs from 'node:fs';
import path from 'node:path';
import type { ScanResult } from '../finding.js';
import type { FindingFilterOptions } from './content-scan.js';
import { PATCH_ARGS, scanGitPatch, streamGit } from './git-scan.js';

export interface StagedScanOptions extends FindingFilterOptions {
  /** Any folder inside the repository; paths in findings are relative to its root. */
  cwd: string;
  /** Gitignore-style patterns (config `ignorePaths`); `.mirrascanignore` at the root is added to them. */
  ignorePaths?: string[];
}

/**
 * `--diff-filter=d` leaves deletions out (they add nothing, and a big deletion would print every line);
 * renames and copies stay, and only their added lines count. `--no-relative` keeps paths root-relative
 * whatever `diff.relative` says. GIT_INDEX_FILE is inherited, so `git commit -a` / `git commit PATH`
 * (which build a temporary index before running the hook) are scanned as they will be committed.
 */
export const STAGED_DIFF_ARGS = ['diff', '--cached', '--no-relative', '--diff-filter=d', '--ignore-submodules=dirty', ...PATCH_ARGS];

export async function scanStaged(options: StagedScanOptions): Promise<ScanResult> {
  try {
    const result = await scanGitPatch({
      cwd: options.cwd,
      args: STAGED_DIFF_ARGS,
      source: 'staged',
      placeFor: () => 'staged',
      inlineAllow: options.inlineAllow,
    });
    return await dropIgnoredPaths(result, options.cwd, options.ignorePaths ?? []);
  } catch (e) {
    // Outside a repository `git diff` falls back to comparing files and only says `unknown option
    // cached`; ask git why it failed (on this path only, so a commit pays for no extra process).
    await streamGit(options.cwd, ['rev-parse', '--git-dir'], () => undefined);
    throw e;
  }
}

/**
 * Findings in paths the config or `.mirrascanignore` leaves out are dropped, as `scan` never reads
 * them and `diff`/`history` drop them (the same rule as in commits.ts; the two should share one helper).
 * The matcher and the file source are loaded only when there is something to drop: most commits have
 * no finding, and every module loaded is time added to each of them.
 */
async function dropIgnoredPaths(result: ScanResult, cwd: string, ignorePaths: string[]): Promise<ScanResult> {
  if (result.findings.length === 0 && result.errors.length === 0) return result;
  const [{ default: ignore }, { SCAN_IGNORE_FILE, findRoot }] = await Promise.all([import('ignore'), import('./files.js')]);
  const patterns = [...ignorePaths];
  try {
    patterns.push(fs.readFileSync(path.join(findRoot(cwd), SCAN_IGNORE_FILE), 'utf8'));
  } catch {
    // no ignore file
  }
  if (patterns.length === 0) return result;
  const rules = ignore().add(patterns);
  const ignored = (file: string) => {
    try {
      return file !== '' && rules.ignores(file);
    } catch {
      return false; // a path `ignore` cannot judge is kept
    }
  };
  result.findings = result.findings.filter((f) => !ignored(f.file));
  result.errors = result.errors.filter((e) => !ignored(e.file));
  return result;
}
