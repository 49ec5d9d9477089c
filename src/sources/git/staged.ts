// The staged source: exactly what the next commit adds. One streamed `git diff --cached` prints the
// lines the index adds against HEAD; git itself compares against the empty tree when HEAD is unborn
// (a repository's first commit). Content comes from the index, never from the working tree, so a key
// left unstaged by `git add -p` does not block and a key staged then deleted from disk does.
//
// During a merge, rebase, cherry-pick or revert the index holds the commit being made and HEAD is its
// first parent, so the diff is what the commit brings into this branch: a key merged in from another
// branch is reported even though that branch's history already has it (it would enter this branch).
// During a merge such a key has origin `merge` and names the commit on the merged side that first
// added it: fixing the file in the merge would leave the key in that commit, which the merge brings along.

import type { ScanResult } from '../../finding.js';
import { assertGitRepository, gitMaybe } from './plumbing.js';
import { PATCH_ARGS, STAGED_DIFF_ARGS } from './diff-args.js';
import { scanGitPatch } from './patch-scan.js';
import { COMMIT_FORMAT } from './patch-parser.js';
import { defaultPolicy, type Policy } from '../../policy/index.js';

export interface StagedScanOptions {
  /** Any folder inside the repository; paths in findings are relative to its root. */
  cwd: string;
  /** What is ignored and allowed (default: the `.mirrascanignore` files, no config). */
  policy?: Policy;
}

export { STAGED_DIFF_ARGS } from './diff-args.js';

export async function scanStaged(options: StagedScanOptions): Promise<ScanResult> {
  const policy = options.policy ?? defaultPolicy(options.cwd);
  try {
    const result = await scanGitPatch({
      cwd: options.cwd,
      args: STAGED_DIFF_ARGS,
      source: 'staged',
      placeFor: () => 'staged',
      inlineAllow: policy.inlineAllow,
    });
    policy.dropIgnoredPaths(result);
    if (result.findings.length > 0) await markMergedKeys(options.cwd, result, policy);
    return result;
  } catch (e) {
    // Outside a repository `git diff` falls back to comparing files and only says `unknown option
    // cached`; ask git why it failed (on this path only, so a commit pays for no extra process).
    await assertGitRepository(options.cwd);
    throw e;
  }
}



/**
 * During a merge (MERGE_HEAD is set), findings whose key a commit on the merged side added become
 * `merge` findings naming the oldest such commit. Only asked when there are findings, so a clean
 * commit pays for no extra git process.
 */
async function markMergedKeys(cwd: string, result: ScanResult, policy: Policy): Promise<void> {
  const mergeHead = (await gitMaybe(cwd, ['rev-parse', '-q', '--verify', 'MERGE_HEAD^{commit}']))?.trim();
  if (!mergeHead) return; // not merging
  const merged = await scanGitPatch({
    cwd,
    args: ['log', '--reverse', '--format=' + COMMIT_FORMAT, ...PATCH_ARGS, `HEAD..${mergeHead}`, '--'],
    source: 'commit',
    inlineAllow: policy.inlineAllow,
  });
  const firstAdded = new Map<string, string>();
  for (const f of merged.findings) if (f.commit && !firstAdded.has(f.keySha256)) firstAdded.set(f.keySha256, f.commit);
  for (const f of result.findings) {
    const commit = firstAdded.get(f.keySha256);
    if (!commit) continue; // added by the merge's own resolution: an ordinary staged key
    f.origin = 'merge';
    f.mergedCommit = commit;
  }
}
