// The commit source: the lines each commit in a range (or the whole history) adds, from ONE
// streamed `git log -p` for the whole range. Merges are shown as combined diffs (`--cc`): the lines
// their resolution adds (in no parent) are scanned there; lines a merge takes from a parent were
// already scanned in the commit that added them. A key added then removed is found in the commit
// that added it, with its sha, author and date.

import type { FindingPlace, ScanResult } from '../finding.js';
import type { FindingFilterOptions } from './content-scan.js';
import { dropIgnoredPaths } from './ignored-paths.js';
import { COMMIT_FORMAT, type CommitHeader } from './git-patch.js';
import { PATCH_ARGS, gitArgs, scanGitPatch, streamGit } from './git-scan.js';

export interface CommitScanOptions extends FindingFilterOptions {
  cwd: string;
  /** Gitignore-style patterns (config `ignorePaths`); `.mirrascanignore` at the root is added to them. */
  ignorePaths?: string[];
  /** Honour `.mirrascanignore` (default true). */
  honourIgnoreFile?: boolean;
  /** Called for each commit as its patch starts (progress). */
  onCommit?: (commit: CommitHeader) => void;
}

export interface CommitRangeOptions extends CommitScanOptions {
  /**
   * Revision arguments for `git log`, e.g. `['A..B']` or `['HEAD', '--not', '--remotes']`. Callers
   * pass user input only after checking that it cannot be read as an option.
   */
  revisions: string[];
  /**
   * `pushed` for ci and history (the commits were shared); `auto` decides per commit: pushed when a
   * remote-tracking branch contains it, unpushed otherwise (`diff` on a laptop).
   */
  place: 'pushed' | 'auto';
}

/** `git log` arguments that print every commit's patch, merges as combined diffs; `--` so no revision is read as a path. */
export function logArgs(revisions: string[]): string[] {
  return ['log', '--format=' + COMMIT_FORMAT, ...PATCH_ARGS, '--cc', ...revisions, '--'];
}

export async function scanCommitRange(options: CommitRangeOptions): Promise<ScanResult> {
  const unpushed = options.place === 'auto' ? await unpushedCommits(options.cwd, options.revisions) : null;
  const placeFor = (commit: CommitHeader | null): FindingPlace => (commit && unpushed?.has(commit.sha) ? 'unpushed' : 'pushed');
  const result = await scanGitPatch({
    cwd: options.cwd,
    args: logArgs(options.revisions),
    source: 'commit',
    placeFor,
    onCommit: options.onCommit,
    inlineAllow: options.inlineAllow,
  });
  return dropIgnoredPaths(result, options);
}

/** Every commit reachable from any ref (branches, tags, remotes, stash, notes), as pushed. */
export function scanHistory(options: CommitScanOptions): Promise<ScanResult> {
  return scanCommitRange({ ...options, revisions: ['--all'], place: 'pushed' });
}

/** How many commits `revisions` names: one `git rev-list --count`, for a progress bar's total. */
export async function countCommits(cwd: string, revisions: string[]): Promise<number> {
  let out = '';
  await streamGit(cwd, gitArgs(['rev-list', '--count', ...revisions, '--']), (chunk) => (out += chunk.toString('latin1')));
  return parseInt(out.trim(), 10) || 0;
}

/** The commits of the range that no remote-tracking branch contains (one `git rev-list`). */
async function unpushedCommits(cwd: string, revisions: string[]): Promise<Set<string>> {
  const set = new Set<string>();
  let rest = '';
  await streamGit(cwd, gitArgs(['rev-list', ...revisions, '--not', '--remotes', '--']), (chunk) => {
    const lines = (rest + chunk.toString('latin1')).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) if (l) set.add(l);
  });
  if (rest) set.add(rest);
  return set;
}

