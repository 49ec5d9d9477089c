// A streaming parser for the patches git prints (`git diff -p`, `git log -p`, combined `--cc` diffs
// of merges): it yields the lines each file gains, grouped in runs, with their line numbers. Bytes
// are kept as they are (one char per byte), so content that is not UTF-8 survives.

import { displayName } from '../file-names.js';
import { ZERO_ID } from './object-id.js';

export interface CommitHeader {
  sha: string;
  parents: string[];
  author: string;
  date: string;
}

export interface PatchFile {
  /** Path in the new tree (for a deletion, the old path). */
  path: string;
  oldPath?: string;
  deleted: boolean;
  binary: boolean;
  submodule: boolean;
  /** Full blob id of the new content, when git printed it (`--full-index`). */
  newBlob?: string;
}

export interface AddedRun {
  commit: CommitHeader | null;
  file: PatchFile;
  /** 1-based line number of the run's first line in the new file. */
  startLine: number;
  /** The added lines joined by `\n`, one char per byte. */
  text: string;
}

export interface PatchHandlers {
  onCommit?(commit: CommitHeader): void;
  /** Called when a file's header is complete (before its hunks). */
  onFile?(file: PatchFile, commit: CommitHeader | null): void;
  onAdded(run: AddedRun): void;
}

/**
 * The commit line our log format prints: `--format=` + COMMIT_FORMAT gives
 * `commit <sha> <parents…>\t<ISO date>\t<author>`.
 */
export const COMMIT_FORMAT = 'commit %H %P%x09%aI%x09%an <%ae>';

/** A run of added lines is handed over when it grows past this many bytes, to bound memory. */
const MAX_RUN_BYTES = 4 * 1024 * 1024;


export class PatchParser {
  private pending: Buffer[] = [];
  private commit: CommitHeader | null = null;
  private file: PatchFile | null = null;
  private fileAnnounced = false;
  // Hunk state: how many result lines remain, and the prefix width (parents) of each line.
  private inHunk = false;
  private parents = 1;
  private remainingNew = 0;
  private remainingOld: number[] = [];
  private nextLine = 0;
  private run: string[] = [];
  private runStart = 0;
  private runBytes = 0;

  constructor(private readonly handlers: PatchHandlers) {}

  push(chunk: Buffer): void {
    const first = chunk.indexOf(10);
    if (first < 0) {
      this.pending.push(Buffer.from(chunk)); // a line longer than the chunk: joined once it ends
      return;
    }
    let start = 0;
    if (this.pending.length) {
      this.pending.push(chunk.subarray(0, first));
      this.line(Buffer.concat(this.pending).toString('latin1'));
      this.pending = [];
      start = first + 1;
    }
    // The chunk's whole lines as one string, cut into lines: one conversion a chunk, not one a line
    // (a staged diff of 10,000 small files is 100,000 lines).
    const end = chunk.lastIndexOf(10) + 1;
    const text = chunk.toString('latin1', start, end);
    for (let at = 0, nl = text.indexOf('\n'); nl >= 0; at = nl + 1, nl = text.indexOf('\n', at)) this.line(text.slice(at, nl));
    if (end < chunk.length) this.pending.push(Buffer.from(chunk.subarray(end)));
  }

  end(): void {
    if (this.pending.length) this.line(Buffer.concat(this.pending).toString('latin1'));
    this.pending = [];
    this.flushRun();
    this.announceFile();
  }

  private line(l: string): void {
    if (this.inHunk) {
      if (this.hunkLine(l)) return;
      this.endHunk();
    }
    if (l.startsWith('commit ')) return this.startCommit(l);
    if (l.startsWith('diff --git ') || l.startsWith('diff --cc ') || l.startsWith('diff --combined ')) return this.startFile(l);
    if (!this.file) return;
    if (l.startsWith('@@')) return this.startHunk(l);
    const f = this.file;
    if (l.startsWith('+++ ')) {
      const p = stripSide(unquote(l.slice(4).replace(/\t$/, '')));
      if (p !== null) f.path = p;
    } else if (l.startsWith('--- ')) {
      const p = stripSide(unquote(l.slice(4).replace(/\t$/, '')));
      if (p !== null) f.oldPath = p;
    } else if (l.startsWith('rename to ') || l.startsWith('copy to ')) {
      f.path = unquote(l.slice(l.indexOf(' to ') + 4));
    } else if (l.startsWith('rename from ') || l.startsWith('copy from ')) {
      f.oldPath = unquote(l.slice(l.indexOf(' from ') + 6));
    } else if (l.startsWith('deleted file mode')) {
      f.deleted = true;
    } else if (l.startsWith('new file mode 160000') || l.startsWith('new mode 160000')) {
      f.submodule = true;
    } else if (l.startsWith('index ')) {
      const m = /^index (?:[0-9a-f]+,)*[0-9a-f]+\.\.([0-9a-f]+)(?: (\d+))?/.exec(l);
      if (m) {
        if (!ZERO_ID.test(m[1])) f.newBlob = m[1];
        if (m[2] === '160000') f.submodule = true;
      }
    } else if (l.startsWith('Binary files ') || l === 'GIT binary patch') {
      f.binary = true;
    }
  }

  private startCommit(l: string): void {
    this.endFile();
    const [head, date = '', author = ''] = l.slice(7).split('\t');
    const [sha, ...parents] = head.trim().split(' ').filter(Boolean);
    // Lines are read one char per byte; the author is UTF-8 (git re-encodes it), as in message findings.
    this.commit = { sha, parents, author: Buffer.from(author, 'latin1').toString('utf8'), date };
    this.handlers.onCommit?.(this.commit);
  }

  private startFile(l: string): void {
    this.endFile();
    const rest = l.slice(l.indexOf(' ', 5) + 1);
    this.file = { path: pathFromDiffLine(rest), deleted: false, binary: false, submodule: false };
    this.fileAnnounced = false;
  }

  private announceFile(): void {
    if (this.file && !this.fileAnnounced) {
      this.fileAnnounced = true;
      this.handlers.onFile?.(this.file, this.commit);
    }
  }

  private endFile(): void {
    this.flushRun();
    this.announceFile();
    this.file = null;
  }

  private startHunk(l: string): void {
    this.announceFile();
    let at = 0;
    while (l[at] === '@') at++;
    this.parents = at - 1;
    const ranges = l.slice(at).trim().split(' ');
    this.remainingOld = [];
    for (let i = 0; i < this.parents; i++) this.remainingOld.push(count(ranges[i]));
    const result = ranges[this.parents] ?? '+0';
    this.nextLine = start(result);
    this.remainingNew = count(result);
    this.inHunk = true;
    this.run = [];
  }

  /** Consumes one line of a hunk; false when the hunk is over and the line belongs to what follows. */
  private hunkLine(l: string): boolean {
    if (this.parents === 1) return this.oneParentLine(l);
    if (this.remainingNew <= 0 && this.remainingOld.every((n) => n <= 0)) return false;
    if (l.startsWith('\\')) return true; // "\ No newline at end of file"
    const prefix = l.slice(0, this.parents);
    if (prefix.length < this.parents || /[^ +-]/.test(prefix)) return false;
    const inResult = !prefix.includes('-');
    for (let i = 0; i < this.parents; i++) if (prefix[i] !== '+') this.remainingOld[i]--;
    if (!inResult) {
      this.flushRun();
      return true;
    }
    this.remainingNew--;
    const lineNo = this.nextLine++;
    if (prefix === '+'.repeat(this.parents)) this.addLine(l.slice(this.parents), lineNo);
    else this.flushRun();
    return true;
  }

  /**
   * `hunkLine` for a hunk with one parent (every diff but a merge's combined one): the same, read
   * from the line's first byte, without a string, a regex or a closure per line (a staged diff of
   * 10,000 files is over 100,000 lines).
   */
  private oneParentLine(l: string): boolean {
    if (this.remainingNew <= 0 && this.remainingOld[0] <= 0) return false;
    const c = l.charCodeAt(0);
    if (c === 43 /* + */) {
      this.remainingNew--;
      this.addLine(l.slice(1), this.nextLine++);
      return true;
    }
    if (c === 92 /* \ */) return true; // "\ No newline at end of file"
    if (c !== 45 /* - */ && c !== 32 /* space */) return false;
    this.remainingOld[0]--;
    if (c === 32) {
      this.remainingNew--;
      this.nextLine++;
    }
    this.flushRun();
    return true;
  }

  /** An added line (without its prefix), at `lineNo` of the new file, joins the current run. */
  private addLine(content: string, lineNo: number): void {
    if (this.run.length === 0) this.runStart = lineNo;
    this.run.push(content);
    this.runBytes += content.length + 1;
    if (this.runBytes > MAX_RUN_BYTES) this.flushRun();
  }

  private endHunk(): void {
    this.flushRun();
    this.inHunk = false;
  }

  private flushRun(): void {
    if (this.run.length && this.file) {
      this.handlers.onAdded({ commit: this.commit, file: this.file, startLine: this.runStart, text: this.run.join('\n') });
    }
    this.run = [];
    this.runBytes = 0;
  }
}

function count(range: string): number {
  const comma = range.indexOf(',');
  return comma < 0 ? 1 : parseInt(range.slice(comma + 1), 10);
}

function start(range: string): number {
  const comma = range.indexOf(',');
  return parseInt(range.slice(1, comma < 0 ? undefined : comma), 10);
}

/** `a/x` or `b/x` to `x`; `/dev/null` to null. */
function stripSide(p: string): string | null {
  if (p === '/dev/null') return null;
  return /^[abciow12]\//.test(p) ? p.slice(2) : p;
}

/**
 * The path in `diff --git a/X b/X` (or `diff --cc X`). Quoted names are unquoted; unquoted names with
 * spaces are split where both halves name the same path (renames get their path from `rename to`).
 */
function pathFromDiffLine(rest: string): string {
  if (rest.startsWith('"')) {
    const end = closingQuote(rest, 0);
    const first = unquote(rest.slice(0, end + 1));
    const second = rest.slice(end + 2);
    return stripSide(second ? unquote(second) : first) ?? first;
  }
  if (!rest.startsWith('a/')) return rest; // --cc: the bare path
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest[half] === ' ' && rest.slice(2, half) === rest.slice(half + 3)) return rest.slice(2, half);
  const quoted = rest.indexOf(' "b/');
  if (quoted > 0) return unquote(rest.slice(quoted + 1)).slice(2);
  const b = rest.lastIndexOf(' b/');
  return b > 0 ? rest.slice(b + 3) : rest.slice(2);
}

function closingQuote(s: string, open: number): number {
  for (let i = open + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i;
  }
  return s.length - 1;
}

const C_ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/**
 * Git's C-style quoting (`"a/na\303\257ve\tname"`) back to the name. Octal escapes are bytes; the
 * bytes are read as UTF-8; a name that is not UTF-8 is shown with its odd bytes as `\xNN` (`displayName`).
 * Unquoted input (one char per byte, as the parser reads it) is decoded as UTF-8 the same way.
 */
export function unquote(s: string): string {
  if (!s.startsWith('"')) return displayName(Buffer.from(s, 'latin1'));
  const bytes: number[] = [];
  for (let i = 1; i < s.length - 1; i++) {
    const c = s[i];
    if (c !== '\\') {
      bytes.push(s.charCodeAt(i) & 255);
      continue;
    }
    const n = s[i + 1];
    if (/[0-7]/.test(n)) {
      bytes.push(parseInt(s.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(C_ESCAPES[n] ?? n.charCodeAt(0));
      i += 1;
    }
  }
  return displayName(Buffer.from(bytes));
}
