// The receive source, for a server's pre-receive hook: what a push brings that the repository did
// not have. Git gives the hook one line per ref, `<old> <new> <ref>`, before any ref moves, with the
// pushed objects in a quarantine folder (GIT_QUARANTINE_PATH; GIT_OBJECT_DIRECTORY points at it and
// GIT_ALTERNATE_OBJECT_DIRECTORIES at the repository's own objects). Every git process started here
// inherits that environment, so it sees the pushed objects as the repository will.
//
// "New" is `<pushed tips> --not --all`: the refs have not moved yet, so `--all` is what the
// repository already holds. One streamed `git log -p --cc` (the commit source's) scans those
// commits and one `git log -z` their messages; a creation, a fast-forward and a force push are the
// same question, a deletion brings nothing, and a branch whose commits are already on another
// branch gives an empty range (one `git cat-file` and one empty `git log`). Annotated tags' messages
// are read from the pushed tag objects (one `git cat-file --batch`, following tags of tags); a tag
// or other ref that points straight at a tree or a blob has the blobs it brings read too.

import { nowMs } from '../clock.js';
import { ScanFailure } from '../../errors.js';
import type { ScanResult } from '../../finding.js';
import { scanTagObjects } from './messages.js';
import { scanCommitRange } from './commits.js';
import { scanFragment } from '../../fragments/index.js';
import type { Policy } from '../../policy/index.js';
import { gitArgs, readBlobs, streamGit } from './process.js';
import { OBJECT_ID, ZERO_ID } from './object-id.js';

export interface ReceiveUpdate {
  oldSha: string;
  newSha: string;
  ref: string;
}

export interface ReceiveScanOptions {
  /** The repository (a hook runs in it; GIT_DIR may also say where it is). */
  cwd: string;
  updates: ReceiveUpdate[];
  /** The server's policy: its config's patterns and allowed keys, never ignore files from the pushed content (`serverPolicy`). */
  policy: Policy;
}


/** The pre-receive hook's stdin, one update per line. A malformed line is an error: better refuse than guess. */
export function parseReceiveUpdates(text: string): ReceiveUpdate[] {
  const updates: ReceiveUpdate[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (!line.trim()) continue;
    const space1 = line.indexOf(' ');
    const space2 = line.indexOf(' ', space1 + 1);
    const oldSha = line.slice(0, space1);
    const newSha = line.slice(space1 + 1, space2);
    const ref = line.slice(space2 + 1);
    if (space1 < 0 || space2 < 0 || !OBJECT_ID.test(oldSha) || !OBJECT_ID.test(newSha) || !ref || ref.startsWith('-')) {
      throw new ScanFailure(`pre-receive: cannot read the line git gave on stdin: ${JSON.stringify(line.slice(0, 200))}`);
    }
    updates.push({ oldSha, newSha, ref });
  }
  return updates;
}

/** True for an update that deletes its ref (it brings no objects). */
export function isDeletion(u: ReceiveUpdate): boolean {
  return ZERO_ID.test(u.newSha);
}

export async function scanReceive(options: ReceiveScanOptions): Promise<ScanResult> {
  const started = nowMs();
  const result: ScanResult = { findings: [], errors: [], stats: { files: 0, bytes: 0, skipped: 0, durationMs: 0 } };
  const updates = options.updates.filter((u) => !isDeletion(u) && u.newSha !== u.oldSha);
  if (updates.length === 0) return result;

  const tips = await peelTips(options.cwd, updates);
  const commitTips = [...new Set(tips.filter((t) => t.target === 'commit').map((t) => t.sha))];
  const [commits, tags, loose] = await Promise.all([
    commitTips.length
      ? scanCommitRange({
          cwd: options.cwd,
          revisions: [...commitTips, '--not', '--all'],
          place: 'unpushed',
          policy: options.policy,
          origin: 'push',
        })
      : null,
    scanTagObjects({ cwd: options.cwd, tags: tips.flatMap((t) => t.tagObjects.map((sha) => ({ ref: t.ref, sha }))), place: 'unpushed' }),
    scanLooseTargets(options, tips.filter((t) => t.target === 'tree' || t.target === 'blob')),
  ]);
  if (commits) {
    result.findings.push(...commits.findings);
    result.errors.push(...commits.errors);
    result.stats = commits.stats;
  }
  result.findings.push(...tags.findings, ...loose.findings);
  result.stats.bytes += tags.bytes + loose.stats.bytes;
  result.stats.files += loose.stats.files;
  result.stats.durationMs = Math.round(nowMs() - started);
  return result;
}

interface PeeledTip {
  ref: string;
  /** The pushed id, then (once peeled) the id of the commit, tree or blob it points at. */
  sha: string;
  /** The type of `sha`: through annotated tags, the type of what the tip finally points at. */
  target: string;
  /** The annotated tag objects on the way there (a tag of a tag gives two), in order. */
  tagObjects: string[];
}

/**
 * What each pushed tip is: one `git cat-file --batch-check` for the tips that are not branches,
 * then one `git cat-file --batch` per level of tags-of-tags (one level for an ordinary annotated tag).
 */
async function peelTips(cwd: string, updates: ReceiveUpdate[]): Promise<PeeledTip[]> {
  // A branch can only hold a commit: git refuses anything else there once this hook has run, so a
  // push of branches alone (nearly every push) needs no look at the objects. Were it a blob or a
  // tree, `git log` fails and the push is rejected; a tag object there, git rejects.
  const others = updates.filter((u) => !u.ref.startsWith('refs/heads/'));
  const types = others.length ? await objectTypes(cwd, others.map((u) => u.newSha)) : [];
  const typeOf = new Map(others.map((u, i) => [u, types[i]]));
  const tips: PeeledTip[] = updates.map((u) => ({ ref: u.ref, sha: u.newSha, target: typeOf.get(u) ?? 'commit', tagObjects: [] }));
  for (const t of tips) {
    if (t.target === 'missing') throw new ScanFailure(`pre-receive: the pushed object ${t.sha} for ${t.ref} is not in the repository`);
  }
  for (let depth = 0; depth < 16; depth++) {
    const pending = tips.filter((t) => t.target === 'tag');
    if (pending.length === 0) return tips;
    const ids = pending.map((t) => t.sha);
    await readBlobs(cwd, ids, (i, data) => {
      const t = pending[i];
      const m = /^object ([0-9a-f]+)\ntype (\w+)\n/.exec(data?.toString('latin1', 0, Math.min(data.length, 200)) ?? '');
      t.tagObjects.push(ids[i]);
      t.sha = m?.[1] ?? ids[i];
      t.target = m?.[2] ?? 'unreadable';
    });
    const bad = tips.find((t) => t.target === 'unreadable');
    if (bad) throw new ScanFailure(`pre-receive: cannot read the pushed tag object ${bad.sha} for ${bad.ref}`);
  }
  throw new ScanFailure('pre-receive: a pushed tag is nested more than 16 deep');
}

/** The type of each object (`commit`, `tag`, `tree`, `blob`, or `missing`): one `git cat-file --batch-check`. */
async function objectTypes(cwd: string, ids: string[]): Promise<string[]> {
  let out = '';
  await streamGit(cwd, ['cat-file', '--batch-check=%(objecttype)'], (c) => (out += c.toString('latin1')), ids.join('\n') + '\n');
  const lines = out.split('\n');
  return ids.map((_, i) => (lines[i]?.endsWith(' missing') ? 'missing' : (lines[i] ?? 'missing')));
}

/**
 * A ref that points straight at a tree or a blob (`git push origin <tree>:refs/x`, or a tag of
 * one) brings those objects without any commit: the blobs it adds, listed by one
 * `git rev-list --objects`, are read whole (one `git cat-file --batch`).
 */
async function scanLooseTargets(options: ReceiveScanOptions, tips: PeeledTip[]): Promise<ScanResult> {
  const out: ScanResult = { findings: [], errors: [], stats: { files: 0, bytes: 0, skipped: 0, durationMs: 0 } };
  if (tips.length === 0) return out;
  let listing = '';
  await streamGit(options.cwd, gitArgs(['rev-list', '--objects', ...new Set(tips.map((t) => t.sha)), '--not', '--all', '--']), (c) => (listing += c.toString('latin1')));
  const named = listing
    .split('\n')
    .filter(Boolean)
    .map((l) => ({ sha: l.slice(0, l.indexOf(' ') < 0 ? undefined : l.indexOf(' ')), name: l.indexOf(' ') < 0 ? '' : l.slice(l.indexOf(' ') + 1) }));
  const types = await objectTypes(options.cwd, named.map((n) => n.sha));
  const blobs = named.filter((_, i) => types[i] === 'blob');
  const refOf = new Map(tips.map((t) => [t.sha, t.ref]));
  await readBlobs(options.cwd, blobs.map((b) => b.sha), (i, data) => {
    if (!data) return;
    const b = blobs[i];
    out.stats.files++;
    out.stats.bytes += data.length;
    const file = b.name ? Buffer.from(b.name, 'latin1').toString('utf8') : `(object of ${refOf.get(b.sha) ?? b.sha})`;
    scanFragment(out, { file, source: 'commit', origin: 'push', commit: null, place: 'unpushed', content: data }, { inlineAllow: options.policy.inlineAllow });
  });
  return options.policy.dropIgnoredPaths(out);
}
