// The push source, for a pre-push hook: the commits about to leave. Git gives the hook one line per
// ref it is about to update, `<local ref> <local sha> <remote ref> <remote sha>`, and the remote's
// name (or URL) as the first argument. One streamed `git log -p --cc` (the commit source's) scans
// every commit reachable from what is pushed and from nothing the remote already has: a commit made
// with `--no-verify` is still stopped here, before it is shared. Their messages are scanned too, and
// so are the messages of annotated tags the push sends (one `git cat-file --batch`).

import { ScanFailure } from '../../errors.js';
import type { ScanResult } from '../../finding.js';
import { mergeFindings } from '../../fragments/index.js';
import { defaultPolicy, type Policy } from '../../policy/index.js';
import { scanTagObjects } from './messages.js';
import { scanCommitRange } from './commits.js';
import { gitAnswer } from './plumbing.js';
import { gitArgs, streamGit } from './process.js';
import { OBJECT_ID, ZERO_ID } from './object-id.js';

export interface PushUpdate {
  localRef: string;
  localSha: string;
  remoteRef: string;
  remoteSha: string;
}

export interface PushScanOptions {
  cwd: string;
  /** What is ignored and allowed, as for `diff` (default: the `.mirrascanignore` files, no config). */
  policy?: Policy;
  /** The hook's first argument: a configured remote's name, or the URL pushed to. */
  remote?: string;
  updates: PushUpdate[];
}

/** The pre-push hook's stdin, one update per line. Malformed lines are an error: better stop than guess. */
export function parsePushUpdates(text: string): PushUpdate[] {
  const updates: PushUpdate[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (!line.trim()) continue;
    const parts = line.split(' ');
    if (parts.length !== 4 || !OBJECT_ID.test(parts[1]) || !OBJECT_ID.test(parts[3])) {
      throw new ScanFailure(`pre-push: cannot read the line git gave on stdin: ${JSON.stringify(line.slice(0, 200))}`);
    }
    const [localRef, localSha, remoteRef, remoteSha] = parts;
    updates.push({ localRef, localSha, remoteRef, remoteSha });
  }
  return updates;
}

/**
 * The push as the pre-commit framework describes it to a `stages: [push]` hook (it consumes git's
 * stdin and runs hooks without it): PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF, or, when the push starts
 * a branch from a root commit, only PRE_COMMIT_LOCAL_BRANCH (then scanned back to what the remote
 * has, like a new branch). Null outside such a hook.
 */
export function pushUpdatesFromPreCommitFramework(env: NodeJS.ProcessEnv): PushUpdate[] | null {
  if (!env.PRE_COMMIT_REMOTE_NAME && !env.PRE_COMMIT_TO_REF) return null;
  const remoteRef = env.PRE_COMMIT_REMOTE_BRANCH ?? '';
  const zero = '0'.repeat(40);
  if (env.PRE_COMMIT_FROM_REF && env.PRE_COMMIT_TO_REF) {
    return [{ localRef: env.PRE_COMMIT_LOCAL_BRANCH ?? '', localSha: env.PRE_COMMIT_TO_REF, remoteRef, remoteSha: env.PRE_COMMIT_FROM_REF }];
  }
  const local = env.PRE_COMMIT_LOCAL_BRANCH;
  if (!local) throw new ScanFailure('pre-push: run by the pre-commit framework without PRE_COMMIT_TO_REF or PRE_COMMIT_LOCAL_BRANCH, so the pushed commits are unknown');
  return [{ localRef: local, localSha: local, remoteRef, remoteSha: zero }];
}

/**
 * The revisions to scan: every pushed tip, minus what the remote is known to have. A remote tip we have
 * locally (a fast-forward, or a force push after a fetch) is excluded with its history; so is every
 * remote-tracking ref of that remote (all remotes', when the push went to a bare URL). A new branch
 * (remote sha all zeros) is thereby scanned back to where it leaves what the remote has; a force push
 * whose old tip we never fetched falls back to the remote-tracking refs. Deletions push nothing.
 */
export async function pushRevisions(cwd: string, remote: string | undefined, updates: PushUpdate[]): Promise<string[] | null> {
  const tips = [...new Set(updates.filter((u) => !ZERO_ID.test(u.localSha)).map((u) => u.localSha))];
  if (tips.length === 0) return null;
  const remoteTips = [...new Set(updates.filter((u) => !ZERO_ID.test(u.remoteSha)).map((u) => u.remoteSha))];
  const known = remoteTips.length ? await knownCommits(cwd, remoteTips) : [];
  const remotes = await remoteNames(cwd);
  const remoteRefs = remote && remotes.includes(remote) ? `--remotes=${remote}` : '--remotes';
  return [...tips, '--not', ...known, remoteRefs];
}

export async function scanPush(options: PushScanOptions): Promise<ScanResult> {
  const revisions = await pushRevisions(options.cwd, options.remote, options.updates);
  if (!revisions) return { findings: [], errors: [], stats: { files: 0, bytes: 0, skipped: 0, durationMs: 0 } };
  // The closing `--not` turns negation off again, so that the range can be followed by more
  // revisions (scanCommitRange appends `--not --remotes` to tell pushed commits from unpushed ones:
  // a commit another remote already has is `pushed`, every other one `unpushed`).
  const policy = options.policy ?? defaultPolicy(options.cwd);
  const result = await scanCommitRange({ cwd: options.cwd, revisions: [...revisions, '--not'], place: 'auto', policy, origin: 'push' });
  // Tags the remote does not have yet at this id (a lightweight tag is skipped: it has no message).
  const tags = options.updates
    .filter((u) => u.remoteRef.startsWith('refs/tags/') && !ZERO_ID.test(u.localSha) && u.localSha !== u.remoteSha)
    .map((u) => ({ ref: u.remoteRef, sha: u.localSha }));
  if (tags.length) {
    const messages = await scanTagObjects({ cwd: options.cwd, tags, place: 'unpushed' });
    mergeFindings(result, messages);
    result.stats.bytes += messages.bytes;
  }
  return result;
}

/** Which of these commit ids this repository has (one `git cat-file --batch-check`). */
async function knownCommits(cwd: string, shas: string[]): Promise<string[]> {
  let out = '';
  await streamGit(cwd, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], (c) => (out += c.toString('latin1')), shas.map((s) => `${s}^{commit}`).join('\n') + '\n');
  return out
    .split('\n')
    .map((l) => l.split(' '))
    .filter((p) => p.length === 2 && p[1] === 'commit')
    .map((p) => p[0]);
}

async function remoteNames(cwd: string): Promise<string[]> {
  return (await gitAnswer(cwd, gitArgs(['remote']))).split('\n').filter(Boolean);
}
