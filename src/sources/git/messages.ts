// Commit and tag messages of a range, for the commands that scan commits (diff, ci, history,
// pre-push): a key pasted into a message is in the repository as surely as one in a file, and
// `git commit --no-verify` skips the commit-msg hook. ONE streamed `git log -z` prints every
// message of the range; `history` adds ONE `git for-each-ref` for annotated tags' messages; a
// pre-push of tags reads the pushed tag objects in ONE `git cat-file --batch`.
//
// Findings have origin `commit-message` (the commit's sha, author and date; the line within the full
// message, subject = line 1) or `tag-message` (`tag`: its name; `commit`: the tag object's id; author
// and date: the tagger's). Their `file` reads `(commit message)` / `(tag message <name>)` for people
// and old readers; nothing decides on it, and `.mirrascanignore` / `ignorePaths` never apply to them,
// nor does a `mirra-scan:allow` marker (src/fragments never honours one in a message).

import type { Finding, FindingPlace, UnlistedFindings } from '../../finding.js';
import { scanFragment } from '../../fragments/index.js';
import { gitArgs, readBlobs, streamGit } from './process.js';

/** The `file` of a finding in a commit message. */
export const COMMIT_MESSAGE_FILE = '(commit message)';

/** The `file` of a finding in an annotated tag's message. */
export function tagMessageFile(tag: string): string {
  return `(tag message ${tag})`;
}

export interface MessageScanResult {
  findings: Finding[];
  unlisted?: UnlistedFindings[];
  /** Messages read, and their bytes. */
  messages: number;
  bytes: number;
}

export interface CommitMessageRangeOptions {
  cwd: string;
  /** The same revision arguments as the patch scan (`git log`). */
  revisions: string[];
  placeFor?: (sha: string) => FindingPlace | undefined;
}

/**
 * Every commit's full message (`%B`) in the range, in `git log` order. Records are
 * `<sha> NUL <ISO date> NUL <author> NUL <message>`, separated by NUL (`-z`).
 */
export async function scanCommitMessages(options: CommitMessageRangeOptions): Promise<MessageScanResult> {
  const out: MessageScanResult = { findings: [], messages: 0, bytes: 0 };
  const fields: Buffer[] = [];
  const record = () => {
    const [sha, date, author, message] = fields.splice(0, 4);
    out.messages++;
    out.bytes += message.length;
    const meta = {
      file: COMMIT_MESSAGE_FILE,
      source: 'commit' as const,
      origin: 'commit-message' as const,
      commit: sha.toString('latin1'),
      place: options.placeFor?.(sha.toString('latin1')),
      author: author.toString('utf8'),
      date: date.toString('latin1'),
    };
    scanFragment(out, { ...meta, content: message });
  };
  await streamNulFields(options.cwd, ['log', '-z', '--format=%H%x00%aI%x00%an <%ae>%x00%B', ...options.revisions, '--'], fields, 4, record);
  return out;
}

/**
 * Every annotated tag's message (`%(contents)`: the message and any signature), tags in refname
 * order. Lightweight tags have no message. One `git for-each-ref`.
 */
export async function scanTagMessages(options: { cwd: string; place?: FindingPlace }): Promise<MessageScanResult> {
  const out: MessageScanResult = { findings: [], messages: 0, bytes: 0 };
  let text = '';
  const format = '%00%(objecttype)%00%(refname:strip=2)%00%(objectname)%00%(taggername) %(taggeremail)%00%(taggerdate:iso-strict)%00%(contents)';
  await streamGit(options.cwd, gitArgs(['for-each-ref', '--sort=refname', `--format=${format}`, 'refs/tags']), (c) => (text += c.toString('latin1')));
  // Each record starts with NUL: ["", type, name, sha, tagger, date, contents, type, …].
  const parts = text.split('\0');
  for (let i = 1; i + 5 < parts.length; i += 6) {
    const [type, name, sha, tagger, date, contents] = parts.slice(i, i + 6);
    if (type !== 'tag') continue;
    const message = contents.replace(/\n$/, ''); // for-each-ref ends each record with a newline
    out.messages++;
    out.bytes += message.length;
    const tag = utf8(name);
    const meta = { file: tagMessageFile(tag), source: 'commit' as const, origin: 'tag-message' as const, tag, commit: sha, place: options.place, author: utf8(tagger), date };
    scanFragment(out, { ...meta, content: Buffer.from(message, 'latin1') });
  }
  return out;
}

/**
 * The messages of pushed annotated tags, read from the tag objects (one `git cat-file --batch`).
 * `tags`: the ref names (`refs/tags/v1`) and the object ids pushed; ids that are not tag objects
 * (lightweight tags) are skipped.
 */
export async function scanTagObjects(options: { cwd: string; tags: Array<{ ref: string; sha: string }>; place?: FindingPlace }): Promise<MessageScanResult> {
  const out: MessageScanResult = { findings: [], messages: 0, bytes: 0 };
  if (options.tags.length === 0) return out;
  await readBlobs(options.cwd, options.tags.map((t) => t.sha), (index, data) => {
    if (!data) return;
    const raw = data.toString('latin1');
    if (!raw.startsWith('object ')) return; // a commit (lightweight tag) or another object
    const end = raw.indexOf('\n\n');
    const header = end < 0 ? raw : raw.slice(0, end);
    const message = end < 0 ? '' : raw.slice(end + 2);
    const tagger = /^tagger (.*) (\d+) ([+-]\d{4})$/m.exec(header);
    const name = /^tag (.*)$/m.exec(header)?.[1] ?? options.tags[index].ref.replace(/^refs\/tags\//, '');
    out.messages++;
    out.bytes += message.length;
    const meta = {
      file: tagMessageFile(utf8(name)),
      source: 'commit' as const,
      origin: 'tag-message' as const,
      tag: utf8(name),
      commit: options.tags[index].sha,
      place: options.place,
      ...(tagger ? { author: utf8(tagger[1]), date: isoDate(Number(tagger[2]), tagger[3]) } : {}),
    };
    scanFragment(out, { ...meta, content: Buffer.from(message, 'latin1') });
  });
  return out;
}

/** Streams git's stdout split at NUL bytes; calls `onRecord` each time `per` fields are in `fields`. */
async function streamNulFields(cwd: string, args: string[], fields: Buffer[], per: number, onRecord: () => void): Promise<void> {
  let pending: Buffer[] = [];
  await streamGit(cwd, gitArgs(args), (chunk) => {
    let start = 0;
    for (let nul = chunk.indexOf(0); nul >= 0; nul = chunk.indexOf(0, start)) {
      pending.push(chunk.subarray(start, nul));
      fields.push(pending.length === 1 ? Buffer.from(pending[0]) : Buffer.concat(pending));
      pending = [];
      start = nul + 1;
      if (fields.length === per) onRecord();
    }
    if (start < chunk.length) pending.push(Buffer.from(chunk.subarray(start)));
  });
  // The last record has no NUL after it.
  if (pending.length || fields.length === per - 1) {
    fields.push(Buffer.concat(pending));
    if (fields.length === per) onRecord();
  }
}

function utf8(latin1: string): string {
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

/** `1704164400 +0100` as `2024-01-02T04:00:00+01:00`, like git's `iso-strict`. */
function isoDate(epoch: number, tz: string): string {
  const sign = tz[0] === '-' ? -1 : 1;
  const minutes = sign * (parseInt(tz.slice(1, 3), 10) * 60 + parseInt(tz.slice(3, 5), 10));
  const local = new Date((epoch + minutes * 60) * 1000).toISOString().slice(0, 19);
  return `${local}${tz === '+0000' ? '+00:00' : `${tz.slice(0, 3)}:${tz.slice(3)}`}`;
}
