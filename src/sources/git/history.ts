// `history`: every commit reachable from any ref, scanned blob by blob. Printing every commit's patch
// (`git log -p --all`) makes git diff every file of every commit; a history holds far fewer distinct
// file contents than it has file changes to diff, so this reads each unique blob once instead:
//
// 1. ONE `git rev-list --all --objects --filter=object:type=blob` lists every blob any commit (or a
//    tag, or a ref to a tree) reaches; the ids go as they come to `git cat-file --batch --buffer`.
// 2. Each blob gets the trace pre-filter (a few `indexOf` passes for any trace of a key; the
//    detector's fast path, reached through src/fragments); the rare blob with a trace becomes a
//    fragment and is scanned in full.
// 3. Only for the few blobs that hold a key: ONE `git log --all -m --raw --find-object=…` names the
//    commits that brought each of them in; those whose blob holds a key the file did not hold before
//    go through ONE `git log -p --cc --no-walk` of just those commits (the commit source's patch scan). So every finding still names the commit that
//    added the key's line, its author and date, exactly as a scan of every patch would; a key that
//    a blob holds but no added line shows (across lines, say) is reported in the oldest commit that
//    brought that blob in.
// 4. Commit messages (one `git log -z --all`) and annotated tags' messages (one `git for-each-ref`),
//    as before, alongside.
//
// `diff A..B`, `ci` and `pre-push` keep the patch scan (commits.ts): on a short range the patch is
// small and the blob reading would cost more than it saves.

import { nowMs } from '../clock.js';
import type { Finding, ScanResult } from '../../finding.js';
import { findingsOf, hasKeyTrace } from '../../fragments/index.js';
import { defaultPolicy } from '../../policy/index.js';
import type { CommitScanOptions } from './commits.js';
import { scanCommitMessages, scanTagMessages } from './messages.js';
import { COMMIT_FORMAT, unquote } from './patch-parser.js';
import { missingObjectOf, PATCH_ARGS, scanGitPatch } from './patch-scan.js';
import { catFileBatch, gitArgs, startGit, streamGit } from './process.js';

export interface HistoryScanOptions extends Omit<CommitScanOptions, 'onCommit' | 'tagMessages'> {
  /** Called as blobs are read: how many so far, how many listed so far, and whether the list is complete. */
  onBlob?: (read: number, listed: number, listComplete: boolean) => void;
}

// One `git cat-file` reads every blob. Two, each given half the blobs, cost 1.4x the CPU of one on
// the benchmark's repository (each rebuilds delta bases the other already had, even when every
// version of a file goes to the same one) and were no faster on two cores.

/** `--find-object` ids per `git log` call (a command line has a length limit). */
const FIND_OBJECTS_PER_CALL = 2000;

export async function scanHistory(options: HistoryScanOptions): Promise<ScanResult> {
  const started = nowMs();
  const policy = options.policy ?? defaultPolicy(options.cwd);
  const inlineAllow = policy.inlineAllow;
  const [blobs, messages, tags, lostTrees] = await Promise.all([
    readAllBlobs(options, inlineAllow),
    scanCommitMessages({ cwd: options.cwd, revisions: ['--all'], placeFor: () => 'pushed' }),
    scanTagMessages({ cwd: options.cwd, place: 'pushed' }),
    missingTrees(options.cwd),
  ]);
  const result = await attribute(options, blobs.withKeys, inlineAllow);
  const lost = [...new Set([...blobs.missing, ...lostTrees])];
  if (lost.length) await listMissing(options.cwd, lost, result);
  result.stats.files = blobs.read;
  result.stats.bytes = blobs.bytes + messages.bytes + tags.bytes;
  // Ignore patterns are about paths in the tree: they never hide a key in a message.
  policy.dropIgnoredPaths(result);
  result.findings.push(...messages.findings, ...tags.findings);
  result.stats.durationMs = Math.round(nowMs() - started);
  return result;
}

interface BlobPass {
  read: number;
  bytes: number;
  /** Blob id -> the keys found in it (line and column within the blob). */
  withKeys: Map<string, Finding[]>;
  /** Blobs the walk names that the repository does not have (a partial or damaged clone). */
  missing: string[];
}

/** Steps 1 and 2: every reachable blob, read once, through the detector's fast path. */
async function readAllBlobs(options: HistoryScanOptions, inlineAllow: boolean): Promise<BlobPass> {
  const pass: BlobPass = { read: 0, bytes: 0, withKeys: new Map(), missing: [] };
  let listed = 0;
  let listComplete = false;
  const onObject = (id: string, data: Buffer | null, type: string) => {
    pass.read++;
    options.onBlob?.(pass.read, listed, listComplete);
    // The walk also names annotated tags (and, on git before 2.32, trees): only blobs are scanned here.
    if (!data && type === 'missing') pass.missing.push(id);
    if (!data || type !== 'blob') return;
    pass.bytes += data.length;
    if (!hasKeyTrace(data)) return;
    const found = findingsOf({ file: '', source: 'commit', commit: null, place: 'pushed', content: data }, { inlineAllow });
    if (found.length) pass.withKeys.set(id, found);
  };
  const reader = catFileBatch(options.cwd, onObject, ['--buffer']);
  const list = (filter: string[]) => {
    let rest = '';
    const lister = startGit(options.cwd, gitArgs(['rev-list', '--all', '--objects', ...filter, '--missing=print', '--']), (chunk) => {
      const lines = (rest + chunk.toString('latin1')).split('\n');
      rest = lines.pop() ?? '';
      const ids: string[] = [];
      for (const line of lines) {
        // `<id> <path>` is a blob (or a tree, or an annotated tag); a bare `<id>` is a commit; `?<id>`,
        // an object the repository lacks (listed, never passed over).
        if (line.startsWith('?')) {
          pass.missing.push(line.slice(1).trim());
          continue;
        }
        const space = line.indexOf(' ');
        if (space > 0) ids.push(line.slice(0, space));
      }
      listed += ids.length;
      if (ids.length) reader.stdin.write(ids.join('\n') + '\n');
    });
    lister.stdin.end();
    return lister.done;
  };
  try {
    await list(['--filter=object:type=blob']);
  } catch (e) {
    // Git before 2.32 has no `object:type` filter: list every object, and let cat-file's type say.
    if (listed > 0 || !/filter/i.test((e as Error).message)) throw e;
    await list([]);
  } finally {
    listComplete = true;
    reader.stdin.end();
  }
  await reader.done;
  return pass;
}

interface Introduction {
  commit: string;
  author: string;
  date: string;
  path: string;
}

/**
 * Step 3: the commits that brought a key in (a blob holding a key its parent's version of the file
 * did not hold), their patches scanned; keys that no added line shows are reported from the blob,
 * in the oldest commit that brought it in.
 */
async function attribute(options: HistoryScanOptions, withKeys: Map<string, Finding[]>, inlineAllow: boolean): Promise<ScanResult> {
  const empty: ScanResult = { findings: [], errors: [], stats: { files: 0, bytes: 0, skipped: 0, durationMs: 0 } };
  if (withKeys.size === 0) return empty;
  // A history that lacks a tree cannot say which commit brought a blob in: its keys are named by blob.
  const introduced = await introductions(options.cwd, withKeys).catch((e: unknown) => {
    if (!missingObjectOf(e)) throw e;
    return new Map<string, Introduction[]>();
  });
  const commits = [...new Set([...introduced.values()].flat().map((i) => i.commit))];
  const patch = commits.length
    ? await scanGitPatch({
        cwd: options.cwd,
        args: ['log', '--format=' + COMMIT_FORMAT, ...PATCH_ARGS, '--cc', '--no-walk', '--stdin', '--'],
        input: commits.join('\n') + '\n',
        source: 'commit',
        placeFor: () => 'pushed',
        inlineAllow: inlineAllow,
      }).catch((e: unknown) => {
        // A commit whose patch git cannot print (it lacks an object): its keys come from the blobs below.
        if (!missingObjectOf(e)) throw e;
        return { findings: [], errors: [], stats: { files: 0, bytes: 0, skipped: 0, durationMs: 0 } } as ScanResult;
      })
    : empty;
  const seen = new Set(patch.findings.map((f) => f.keySha256));
  const fromBlobs = new Map<string, Finding>();
  for (const [blob, found] of withKeys) {
    // `git log` lists the newest commit first: the last one is the oldest.
    const by = introduced.get(blob)?.at(-1);
    for (const f of found) {
      if (seen.has(f.keySha256)) continue;
      const key = `${f.keySha256}\0${by?.path ?? blob}`;
      const known = fromBlobs.get(key);
      if (known?.date && by && known.date <= by.date) continue;
      fromBlobs.set(key, Object.assign(f, by ? { file: by.path, commit: by.commit, author: by.author, date: by.date } : { file: `(blob ${blob})` }));
    }
  }
  patch.findings.push(...fromBlobs.values());
  return patch;
}

/**
 * For each key-holding blob, the commits that brought one of its keys in (newest first), with the
 * path: one `git log --all -m --raw --find-object` per 2,000 blobs. A commit that only edits another
 * line of a file that already held the key makes a new blob too, but brings no key in: left out. `-m`
 * makes a merge count for what it brings against each parent, so a key only a merge resolution wrote
 * is found.
 */
async function introductions(cwd: string, withKeys: Map<string, Finding[]>): Promise<Map<string, Introduction[]>> {
  const keysOf = (blob: string) => new Set((withKeys.get(blob) ?? []).map((f) => f.keySha256));
  const blobs = [...withKeys.keys()];
  const out = new Map<string, Introduction[]>();
  for (let i = 0; i < blobs.length; i += FIND_OBJECTS_PER_CALL) {
    const find = blobs.slice(i, i + FIND_OBJECTS_PER_CALL).map((b) => `--find-object=${b}`);
    let text = '';
    await streamGit(cwd, gitArgs(['log', '--all', '-m', '--no-abbrev', '--raw', '--format=commit %H%x09%aI%x09%an <%ae>', ...find, '--']), (c) => (text += c.toString('latin1')));
    let current: Omit<Introduction, 'path'> | null = null;
    for (const line of text.split('\n')) {
      if (line.startsWith('commit ')) {
        const [sha, date, author] = line.slice(7).split('\t');
        current = { commit: sha, date, author: Buffer.from(author ?? '', 'latin1').toString('utf8') };
      } else if (line.startsWith(':') && current) {
        // `:<old mode> <new mode> <old id> <new id> <status>\t<path>`
        const tab = line.indexOf('\t');
        const [, , oldId, newId] = line.slice(0, tab).split(' ');
        if (!withKeys.has(newId)) continue;
        const before = keysOf(oldId);
        if ([...keysOf(newId)].every((k) => before.has(k))) continue;
        const list = out.get(newId) ?? [];
        if (!list.some((x) => x.commit === current!.commit)) list.push({ ...current, path: unquote(line.slice(tab + 1)) });
        out.set(newId, list);
      }
    }
  }
  return out;
}

/**
 * Blobs the walk named that the repository lacks: each listed under `errors` with the commits that
 * brought it in and its path (one `git log --all -m --raw --find-object` per 2,000), and the result
 * marked incomplete (exit 2). Never passed over as clean.
 */
async function listMissing(cwd: string, missing: string[], result: ScanResult): Promise<void> {
  result.incomplete = true;
  const named = new Set<string>();
  for (let i = 0; i < missing.length; i += FIND_OBJECTS_PER_CALL) {
    const find = missing.slice(i, i + FIND_OBJECTS_PER_CALL).map((b) => `--find-object=${b}`);
    let text = '';
    try {
      await streamGit(cwd, gitArgs(['log', '--all', '-m', '--no-abbrev', '--raw', '--format=commit %H', ...find, '--']), (c) => (text += c.toString('latin1')));
    } catch (e) {
      if (!missingObjectOf(e)) throw e; // a lost tree: the objects are listed by id below
      text = '';
    }
    let commit = '';
    for (const line of text.split('\n')) {
      if (line.startsWith('commit ')) commit = line.slice(7).trim();
      else if (line.startsWith(':') && commit) {
        const tab = line.indexOf('\t');
        const newId = line.slice(0, tab).split(' ')[3];
        if (!missing.includes(newId) || named.has(`${newId} ${commit}`)) continue;
        named.add(`${newId} ${commit}`);
        const file = unquote(line.slice(tab + 1));
        result.errors.push({ file, commit, object: newId, message: `object ${newId} is missing from the repository (a partial or damaged clone): this file was not scanned in this commit` });
        result.stats.skipped++;
      }
    }
  }
  for (const id of missing) {
    if ([...named].some((n) => n.startsWith(id))) continue;
    result.errors.push({ file: '', object: id, message: `object ${id} is missing from the repository: what it holds was not scanned` });
    result.stats.skipped++;
  }
}

/**
 * Trees the history names that the repository lacks. The blob walk passes over a lost tree without a
 * word (with `--filter=object:type=blob`, `--missing=print` prints only lost blobs), and every blob
 * only that tree names would go unread: one more walk of the trees alone finds them.
 */
async function missingTrees(cwd: string): Promise<string[]> {
  const lost: string[] = [];
  let rest = '';
  try {
    await streamGit(cwd, gitArgs(['rev-list', '--all', '--objects', '--filter=object:type=tree', '--missing=print', '--']), (chunk) => {
      const lines = (rest + chunk.toString('latin1')).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) if (l.startsWith('?')) lost.push(l.slice(1).trim());
    });
  } catch (e) {
    // Git before 2.32 has no `object:type` filter: the blob walk listed every object, lost trees too.
    if (/filter/i.test((e as Error).message)) return [];
    throw e;
  }
  if (rest.startsWith('?')) lost.push(rest.slice(1).trim());
  return lost;
}
