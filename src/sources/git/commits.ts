// The commit source: the lines each commit in a range (or the whole history) adds, from ONE
// streamed `git log -p` for the whole range. Merges are shown as combined diffs (`--cc`): the lines
// their resolution adds (in no parent) are scanned there; lines a merge takes from a parent were
// already scanned in the commit that added them. A key added then removed is found in the commit
// that added it, with its sha, author and date. Each commit's full message is scanned too (one more
// streamed `git log`, see messages.ts), and `history` scans annotated tags' messages.
//
// A shallow clone cannot be scanned faithfully (its boundary commit shows its whole tree as added, and
// what came before is missing): `shallowBoundary` / `touchesShallowBoundary` are the one check that
// `ci`, `diff` and `history` share.

import fs from 'node:fs';
import path from 'node:path';
import type { FindingPlace, ScanResult } from '../../finding.js';
import { scanCommitMessages, scanTagMessages } from './messages.js';
import { mergeFindings } from '../../fragments/index.js';
import { defaultPolicy, type Policy } from '../../policy/index.js';
import { COMMIT_FORMAT, type CommitHeader } from './patch-parser.js';
import { gitAnswer } from './plumbing.js';
import { gitArgs, streamGit } from './process.js';
import { scanPastMissingObjects } from './missing-objects.js';
import { missingObjectOf, PATCH_ARGS, PatchScan, type GitPatchScanOptions } from './patch-scan.js';

export interface CommitScanOptions {
  cwd: string;
  /** What is ignored and allowed (default: the `.mirrascanignore` files, no config). */
  policy?: Policy;
  /** Also scan annotated tags' messages (`history`). */
  tagMessages?: boolean;
  /** Called for each commit as its patch starts (progress). */
  onCommit?: (commit: CommitHeader) => void;
  /** The origin of findings in the commits' files (`push` for a pre-push); default `commit`. */
  origin?: 'commit' | 'push';
}

export interface CommitRangeOptions extends CommitScanOptions {
  /**
   * Revision arguments for `git log`, e.g. `['A..B']` or `['HEAD', '--not', '--remotes']`. Callers
   * pass user input only after checking that it cannot be read as an option.
   */
  revisions: string[];
  /**
   * `pushed` for ci and history (the commits were shared); `unpushed` for a server's pre-receive
   * (the push is not in yet); `auto` decides per commit: pushed when a remote-tracking branch
   * contains it, unpushed otherwise (`diff` on a laptop).
   */
  place: 'pushed' | 'unpushed' | 'auto';
}

/** `git log` arguments that print every commit's patch, merges as combined diffs; `--` so no revision is read as a path. */
export function logArgs(revisions: string[]): string[] {
  return ['log', '--format=' + COMMIT_FORMAT, ...PATCH_ARGS, '--cc', ...revisions, '--'];
}

export async function scanCommitRange(options: CommitRangeOptions): Promise<ScanResult> {
  const unpushed = options.place === 'auto' ? await unpushedCommits(options.cwd, options.revisions) : null;
  const placeOfSha = (sha: string): FindingPlace => (options.place === 'unpushed' || unpushed?.has(sha) ? 'unpushed' : 'pushed');
  const placeFor = (commit: CommitHeader | null): FindingPlace => (commit ? placeOfSha(commit.sha) : 'pushed');
  const policy = options.policy ?? defaultPolicy(options.cwd);
  const inlineAllow = policy.inlineAllow;
  const [patch, messages, tags] = await Promise.all([
    scanRangePatches({
      cwd: options.cwd,
      args: logArgs(options.revisions),
      source: 'commit',
      origin: options.origin ?? 'commit',
      placeFor,
      onCommit: options.onCommit,
      inlineAllow: inlineAllow,
    }, options.revisions),
    scanCommitMessages({ cwd: options.cwd, revisions: options.revisions, placeFor: placeOfSha }),
    options.tagMessages ? scanTagMessages({ cwd: options.cwd, place: 'pushed' }) : null,
  ]);
  // Ignore patterns are about paths in the tree: they never hide a key in a message.
  const result = policy.dropIgnoredPaths(patch);
  // Deterministic order: the patch's findings in `git log` order, then commit messages in the same
  // order, then tag messages by tag name.
  mergeFindings(result, messages);
  if (tags) mergeFindings(result, tags);
  result.stats.bytes += messages.bytes + (tags?.bytes ?? 0);
  return result;
}

/** The patches of a range; when git stops at an object it cannot read, the scan goes on past it (missing-objects.ts). */
async function scanRangePatches(options: GitPatchScanOptions, revisions: string[]): Promise<ScanResult> {
  const scan = new PatchScan(options);
  try {
    await scan.stream(options.args);
  } catch (e) {
    if (!missingObjectOf(e)) throw e;
    await scanPastMissingObjects(scan, options.cwd, revisions, (revs, pathspecs) => [...logArgs(revs), ...pathspecs]);
  }
  return scan.finish();
}

/** What to do about a shallow clone, for every CI and for a laptop. */
export const UNSHALLOW_ADVICE =
  'run `git fetch --unshallow` first (GitHub Actions: `fetch-depth: 0` on actions/checkout; GitLab CI: `GIT_DEPTH: 0`)';

/** The commits whose parents a shallow clone cut off (empty for a full clone): one `git rev-parse`. */
export async function shallowBoundary(cwd: string): Promise<Set<string>> {
  const out = await gitAnswer(cwd, gitArgs(['rev-parse', '--git-path', 'shallow']));
  try {
    return new Set(fs.readFileSync(path.resolve(cwd, out.trim()), 'latin1').split('\n').filter(Boolean));
  } catch {
    return new Set();
  }
}

/** True when the range reaches a commit whose parents the shallow clone cut off (one `git rev-list` when shallow). */
export async function touchesShallowBoundary(cwd: string, revisions: string[]): Promise<boolean> {
  const boundary = await shallowBoundary(cwd);
  if (boundary.size === 0) return false;
  let hit = false;
  let rest = '';
  await streamGit(cwd, gitArgs(['rev-list', ...revisions, '--']), (chunk) => {
    const lines = (rest + chunk.toString('latin1')).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) if (boundary.has(l)) hit = true;
  });
  return hit || boundary.has(rest);
}

/** How many commits `revisions` names: one `git rev-list --count`, for a progress bar's total. */
export async function countCommits(cwd: string, revisions: string[]): Promise<number> {
  const out = await gitAnswer(cwd, gitArgs(['rev-list', '--count', ...revisions, '--']));
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

