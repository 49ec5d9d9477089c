// Turns content from any source (a file, a staged blob, the lines a commit adds) into findings. Big
// content is scanned in bounded windows that overlap, so memory stays flat and no key is cut in two.

import { MAX_ENCODED_KEY_LENGTH, scanContent, textFormOf, type LocatedKey } from '../detector/index.js';
import { SECRET, type Finding, type FindingPlace, type FindingSource } from '../finding.js';

export interface ContentMeta {
  file: string;
  source: FindingSource;
  commit: string | null;
  place?: FindingPlace;
  author?: string;
  date?: string;
  /** Line of the content's first line in its file, minus one (for a hunk of added lines). */
  lineOffset?: number;
}

export interface FindingFilterOptions {
  /** Honour `mirra-scan:allow` comments (default true). */
  inlineAllow?: boolean;
}

export function toFinding(k: LocatedKey, meta: ContentMeta): Finding {
  const f: Finding = {
    ruleId: 'mirra-api-key',
    keyType: k.keyType,
    file: meta.file,
    line: k.line,
    column: k.column,
    endLine: k.endLine,
    endColumn: k.endColumn,
    source: meta.source,
    commit: meta.commit,
    encoding: k.encoding,
    redacted: k.redacted,
    keySha256: k.keySha256,
    verification: { status: 'unchecked' },
    hint: '',
    snippet: k.snippet,
    [SECRET]: k.key,
  };
  if (meta.place) f.place = meta.place;
  if (meta.author !== undefined) f.author = meta.author;
  if (meta.date !== undefined) f.date = meta.date;
  return f;
}

/** Findings in one piece of content that fits in memory. */
export function findingsInContent(content: Buffer | string, meta: ContentMeta, options: FindingFilterOptions = {}): Finding[] {
  const located = scanContent(content, { lineOffset: meta.lineOffset });
  const inlineAllow = options.inlineAllow !== false;
  return located.filter((k) => !(inlineAllow && k.inlineAllowed)).map((k) => toFinding(k, meta));
}

/** How much a window must overlap the next: the longest encoded key, plus room to look around it. */
export const WINDOW_OVERLAP = Math.max(4096, MAX_ENCODED_KEY_LENGTH * 2 + 64);

/**
 * Scans content that arrives in pieces (a large file read in chunks). `read(buf, offset)` fills
 * `buf` from the content at `offset` and returns how many bytes it wrote (0 at the end).
 * Each window starts at a line start when one is near, so line and column numbers stay exact.
 */
export function findingsInChunks(
  read: (buf: Buffer, offset: number) => number,
  window: Buffer,
  meta: ContentMeta,
  options: FindingFilterOptions = {},
): Finding[] {
  const findings: Finding[] = [];
  let fileOffset = 0; // where the current window starts in the content
  let linesBefore = 0; // newlines before fileOffset
  let first = true;
  let utf16 = false;
  for (;;) {
    const got = readFull(read, window, fileOffset);
    if (got === 0) break;
    const view = window.subarray(0, got);
    if (first) {
      utf16 = textFormOf(view).form !== 'utf8';
      first = false;
    }
    const last = got < window.length;
    // The next window starts at a line start inside the overlap, so no key straddles unseen.
    let next = got;
    if (!last) {
      const floor = got - WINDOW_OVERLAP;
      const nl = view.lastIndexOf(10, got - MAX_ENCODED_KEY_LENGTH - 64);
      next = nl >= floor ? nl + 1 : floor;
      if (utf16 && next % 2 === 1) next -= 1;
    }
    const located = scanContent(view, { lineOffset: linesBefore + (meta.lineOffset ?? 0) });
    for (const k of located) {
      if (!last && k.start >= next) continue; // the next window owns it
      if (options.inlineAllow !== false && k.inlineAllowed) continue;
      findings.push(toFinding(k, meta));
    }
    if (last) break;
    linesBefore += countNewlines(view, next);
    fileOffset += next;
  }
  return findings;
}

function readFull(read: (buf: Buffer, offset: number) => number, buf: Buffer, offset: number): number {
  let total = 0;
  while (total < buf.length) {
    const n = read(buf.subarray(total), offset + total);
    if (n === 0) break;
    total += n;
  }
  return total;
}

function countNewlines(buf: Buffer, end: number): number {
  let n = 0;
  for (let i = buf.indexOf(10); i >= 0 && i < end; i = buf.indexOf(10, i + 1)) n++;
  return n;
}
