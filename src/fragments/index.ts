// The one loop that turns fragments into findings. Every source (files, standard input, staged
// changes, commit ranges, messages, pushes, the programmatic API) yields fragments (see
// fragment.ts); only this module calls the detector for them. It holds what every source must get
// the same: the cap on findings per content and the count of those not listed, the inline allow
// marker (as the policy says), and the windows large content is read in (bounded memory, no key cut
// in two).
//
// Fast paths: a source may look for a key's trace before it builds a fragment (a batch of small
// files read into one buffer is searched once, and only files with a trace become fragments; a
// pushed blob without one is not decoded into findings). Those pre-filters are re-exported below,
// so that this module stays the sources' one door into the detector (test/fragments/layout.test.ts).

import { isAscii } from 'node:buffer';
import { MAX_ENCODED_KEY_LENGTH, NewlineCounter, scanContent, textFormOf, type LocatedKey, type TextForm } from '../detector/index.js';
import { countLineFeeds } from '../detector/locate.js';
import { FINDINGS_KEPT_PER_CONTENT, SECRET, defaultOrigin, type Finding, type UnlistedFindings } from '../finding.js';
import type { ContentFindings, FindingFilterOptions, FindingSink, Fragment, FragmentMeta, StreamedFragment } from './fragment.js';

export type { ContentFindings, FindingFilterOptions, FindingSink, Fragment, FragmentMeta, StreamedFragment } from './fragment.js';
/** Pre-filters and buffers sources may use before they build fragments (see above). */
export { allocateReadBuffer, forEachTraceCandidate, hasKeyTrace, textFormOf, type TextForm } from '../detector/index.js';
export { isBase64Code } from '../detector/decoders.js';

/** Whether a `mirra-scan:allow` marker counts in this content: never in a commit or tag message, which no reviewer reads as code. */
function honoursInlineAllow(meta: FragmentMeta, options: FindingFilterOptions): boolean {
  const origin = meta.origin ?? defaultOrigin(meta.source);
  return options.inlineAllow !== false && origin !== 'commit-message' && origin !== 'tag-message';
}

function toFinding(k: LocatedKey, meta: FragmentMeta): Finding {
  const f: Finding = {
    ruleId: 'mirra-api-key',
    keyType: k.keyType,
    file: meta.file,
    line: k.line,
    column: k.column,
    endLine: k.endLine,
    endColumn: k.endColumn,
    source: meta.source,
    origin: meta.origin ?? defaultOrigin(meta.source),
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
  if (meta.tag !== undefined) f.tag = meta.tag;
  if (meta.author !== undefined) f.author = meta.author;
  if (meta.date !== undefined) f.date = meta.date;
  return f;
}

/**
 * The findings of one fragment held whole (at most FINDINGS_KEPT_PER_CONTENT; the rest counted in
 * `unlisted`). Content larger than a read window is scanned in windows, so memory stays bounded.
 */
export function findingsOf(fragment: Fragment, options: FindingFilterOptions = {}): ContentFindings {
  const { content } = fragment;
  if (content.length > LARGE_CONTENT_BYTES) {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    return findingsInWindows((buf, offset) => bytes.copy(buf, 0, offset), Buffer.allocUnsafe(LARGE_CONTENT_BYTES), fragment, options);
  }
  const found: ContentFindings = [];
  const tally = { unlocated: 0 };
  const located = scanContent(content, { lineOffset: fragment.lineOffset, locateAtMost: FINDINGS_KEPT_PER_CONTENT, skipInlineAllowed: honoursInlineAllow(fragment, options), tally });
  for (const k of located) found.push(toFinding(k, fragment));
  if (tally.unlocated) found.unlisted = tally.unlocated;
  return found;
}

/** Scans a fragment held whole and adds its findings to `into` (see `addFindings`). */
export function scanFragment(into: FindingSink, fragment: Fragment, options: FindingFilterOptions = {}): void {
  addFindings(into, findingsOf(fragment, options), fragment);
}

/** Content above this size is scanned in windows of this size (a staged run of added lines can be any size). */
const LARGE_CONTENT_BYTES = 1024 * 1024;

/** For each result, how many findings each place (commit and file) has kept so far. */
const keptSoFar = new WeakMap<object, Map<string, { kept: number; unlisted?: UnlistedFindings }>>();

/**
 * Appends the findings of one piece of content to a result (one at a time: a spread of a huge array
 * into `push` overflows the stack). A file's content may come in many pieces (the runs of lines a
 * change adds): past FINDINGS_KEPT_PER_CONTENT for one place, findings are counted, not kept.
 */
export function addFindings(into: FindingSink, found: ContentFindings, meta: Pick<FragmentMeta, 'file' | 'commit'>): void {
  if (found.length === 0 && !found.unlisted) return;
  let places = keptSoFar.get(into);
  if (!places) keptSoFar.set(into, (places = new Map()));
  const id = `${meta.commit ?? ''}\0${meta.file}`;
  let place = places.get(id);
  if (!place) places.set(id, (place = { kept: 0 }));
  let more = found.unlisted ?? 0;
  for (const f of found) {
    if (place.kept < FINDINGS_KEPT_PER_CONTENT) {
      into.findings.push(f);
      place.kept++;
    } else more++;
  }
  if (more === 0) return;
  if (!place.unlisted) (into.unlisted ??= []).push((place.unlisted = { file: meta.file, commit: meta.commit, count: 0 }));
  place.unlisted.count += more;
}

/** Appends `from`'s findings and unlisted counts to `into`. */
export function mergeFindings(into: FindingSink, from: FindingSink): void {
  for (const f of from.findings) into.findings.push(f);
  for (const u of from.unlisted ?? []) (into.unlisted ??= []).push(u);
}

/**
 * How far before a window's end the next window may start at the latest: the longest encoded key
 * (in UTF-16, two bytes a character), plus room to look around it. A key that starts before the
 * next window lies wholly in this one.
 */
export const WINDOW_EDGE_MARGIN = MAX_ENCODED_KEY_LENGTH * 2 + 64;

/** How much a window may overlap the next at most: the next one starts within this of the end. */
export const WINDOW_OVERLAP = Math.max(4096, WINDOW_EDGE_MARGIN * 2);

/** How many bytes before a nominal cut `cutNear` looks at (the earliest cut is WINDOW_OVERLAP - WINDOW_EDGE_MARGIN before it). */
export const CUT_VIEW_BEFORE = WINDOW_OVERLAP - WINDOW_EDGE_MARGIN + 2;

/**
 * Scans content that arrives in pieces (a large file read in chunks, standard input) through
 * `window`; `read` as in StreamedFragment.
 * Each window after the first starts at a line start when there is one in the overlap, else just
 * after a delimiter (a space, a quote, ...), so no key or encoded blob is cut in two, and line and
 * column numbers stay exact; the overlap is moved to the front of the buffer, not read again. The
 * text form (UTF-8 or UTF-16, from the BOM or the first window) holds for every window.
 */
export function findingsInWindows(
  read: (buf: Buffer, offset: number) => number,
  window: Buffer,
  meta: FragmentMeta,
  options: FindingFilterOptions = {},
): ContentFindings {
  return scanWindows(read, window, meta, options).findings;
}

/**
 * A part of some content scanned on its own (a segment of a big file, see
 * src/sources/files/segments.ts): from `start`, a place where a window could start (see `cutNear`), to
 * `end`, where the next part starts.
 */
export interface WindowRange {
  start: number;
  /** Keys that start here or later are the next part's; reading stops WINDOW_EDGE_MARGIN past it, so a key that starts before it is seen whole. */
  end: number;
  /** The content's text form, from its start (its BOM or first window): the same for every part. */
  form: TextForm;
  /** The byte (UTF-16: the unit) before `start` is not a line feed. */
  midLine: boolean;
}

/**
 * What scanning a range found: findings with lines counted from the range's start (its first line
 * is line 1 + `lineOffset`, its columns as if the line began at `start`), how many newlines the range
 * holds, and the width (UTF-16 code units) of its text after its last newline, or of all of it when
 * it has none. Who joins the parts in order adds the newlines before a part to its lines, and the
 * width carried into it to the columns on its first line (see `joinRangeFindings`).
 */
export interface RangeFindings {
  findings: ContentFindings;
  newlines: number;
  width: number;
}

/** `findingsInWindows` over the part of the content `range` gives (the whole content without one). */
export function findingsInRange(
  read: (buf: Buffer, offset: number) => number,
  window: Buffer,
  meta: FragmentMeta,
  options: FindingFilterOptions,
  range: WindowRange,
): RangeFindings {
  return scanWindows(read, window, meta, options, range);
}

function scanWindows(
  read: (buf: Buffer, offset: number) => number,
  window: Buffer,
  meta: FragmentMeta,
  options: FindingFilterOptions,
  range?: WindowRange,
): RangeFindings {
  if (window.length < WINDOW_OVERLAP * 2) throw new RangeError(`a window must hold at least ${WINDOW_OVERLAP * 2} bytes`);
  const findings: ContentFindings = [];
  const tally = { unlocated: 0 };
  let fileOffset = range?.start ?? 0; // where the current window starts in the content
  let linesBefore = 0; // newlines between the start and fileOffset
  let columnCarry = 0; // UTF-16 code units of the line that runs into this window from the ones before
  let form: TextForm = range?.form ?? 'utf8';
  let carried = 0; // bytes at the front of the window that the window before had read already
  let midLine = range?.midLine ?? false; // the window starts inside a line (the one before was cut at a delimiter)
  const end = range?.end ?? Number.POSITIVE_INFINITY;
  const limit = end + WINDOW_EDGE_MARGIN; // nothing past this is read
  for (;;) {
    const want = Math.min(window.length, limit - fileOffset);
    const got = carried + readFull(read, window.subarray(carried, want), fileOffset + carried);
    if (got === 0) break;
    const view = window.subarray(0, got);
    let bom = 0;
    if (fileOffset === 0) ({ form, bomLength: bom } = textFormOf(view));
    const atEnd = got < want; // the content ends in this window
    const last = atEnd || fileOffset + got >= limit;
    // Keys from `next` on are the next window's (or the next range's).
    const next = last ? Math.min(got, end - fileOffset) : nextWindowStart(view, form, bom);
    const firstLine = linesBefore + 1 + (meta.lineOffset ?? 0);
    const newlines = form === 'utf8' ? new NewlineCounter(view, bom) : undefined;
    const located = scanContent(view, {
      lineOffset: linesBefore + (meta.lineOffset ?? 0),
      form: fileOffset === 0 ? undefined : form,
      newlines,
      locateAtMost: FINDINGS_KEPT_PER_CONTENT - findings.length,
      skipInlineAllowed: honoursInlineAllow(meta, options),
      // A window that starts (or ends) inside a line: no marker counts on that line's part.
      headCut: midLine,
      tailCut: !atEnd,
      tally,
      ownedBefore: next < got ? Math.floor((next - bom) / (form === 'utf8' ? 1 : 2)) : undefined,
    });
    for (const k of located) {
      const byteStart = bom + (form === 'utf8' ? k.start : 2 * k.start);
      if (byteStart >= next) continue; // the next window owns it
      const f = toFinding(k, meta);
      if (columnCarry > 0 && k.line === firstLine) {
        f.column += columnCarry;
        if (k.endLine === k.line) f.endColumn += columnCarry;
      }
      findings.push(f);
    }
    if (last && !range) break;
    const lineStart = lastLineStart(view, bom, next, form);
    columnCarry = lineStart < 0 ? columnCarry + textWidth(view, bom, next, form) : textWidth(view, lineStart, next, form);
    linesBefore += newlines ? newlines.before(next) : countNewlines(view, bom, next, form);
    if (last) break;
    midLine = form === 'utf8' ? view[next - 1] !== 10 : unitAt(view, next - 2, form) !== 10;
    fileOffset += next;
    carried = got - next;
    window.copyWithin(0, next, got);
  }
  if (tally.unlocated) findings.unlisted = tally.unlocated;
  return { findings, newlines: linesBefore, width: columnCarry };
}

/**
 * Joins the findings of the consecutive parts of one content, scanned apart (`findingsInRange`), into
 * what one scan of it finds: lines and columns moved by what comes before each part, at most
 * FINDINGS_KEPT_PER_CONTENT kept in order and the rest counted in `unlisted`.
 */
export function joinRangeFindings(parts: readonly RangeFindings[], lineOffset = 0): ContentFindings {
  const joined: ContentFindings = [];
  let unlisted = 0;
  let linesBefore = 0;
  let columnCarry = 0;
  for (const part of parts) {
    unlisted += part.findings.unlisted ?? 0;
    for (const f of part.findings) {
      if (joined.length >= FINDINGS_KEPT_PER_CONTENT) {
        unlisted++;
        continue;
      }
      if (columnCarry > 0 && f.line === lineOffset + 1) {
        f.column += columnCarry;
        if (f.endLine === f.line) f.endColumn += columnCarry;
      }
      f.line += linesBefore;
      f.endLine += linesBefore;
      joined.push(f);
    }
    columnCarry = part.newlines > 0 ? part.width : columnCarry + part.width;
    linesBefore += part.newlines;
  }
  if (unlisted > 0) joined.unlisted = unlisted;
  return joined;
}

/**
 * Where content may be cut near `at` by the rule windows are cut by (a line start, else just after a
 * delimiter): `view` holds the content's bytes from `at - CUT_VIEW_BEFORE` to `at + WINDOW_EDGE_MARGIN`
 * (`at` a whole number of code units past the BOM). Returns the cut (relative to the view's start; at
 * most one code unit past `at`) and whether it falls inside a line. Every reader of those bytes finds the same cut.
 */
export function cutNear(view: Buffer, form: TextForm): { cut: number; midLine: boolean } {
  if (view.length !== CUT_VIEW_BEFORE + WINDOW_EDGE_MARGIN) throw new RangeError(`a cut is chosen from ${CUT_VIEW_BEFORE + WINDOW_EDGE_MARGIN} bytes`);
  const cut = CUT_UNIT_BEFORE + nextWindowStart(view.subarray(CUT_UNIT_BEFORE), form, 0);
  return { cut, midLine: form === 'utf8' ? view[cut - 1] !== 10 : unitAt(view, cut - 2, form) !== 10 };
}

/** `cutNear` sees one code unit before the earliest cut, to tell whether the cut falls inside a line. */
const CUT_UNIT_BEFORE = 2;

/** The findings of a streamed fragment, and how many bytes it held (every byte is read once). */
export function findingsOfStream(fragment: StreamedFragment, options: FindingFilterOptions = {}): { findings: ContentFindings; bytes: number } {
  let bytes = 0;
  const counted = (buf: Buffer, offset: number) => {
    const n = fragment.read(buf, offset);
    bytes += n;
    return n;
  };
  return { findings: findingsInWindows(counted, fragment.window, fragment, options), bytes };
}

/** One code unit (a byte, or a UTF-16 unit) of `buf` at `i`, in the given form. */
function unitAt(buf: Buffer, i: number, form: TextForm): number {
  if (form === 'utf8') return buf[i];
  return form === 'utf16le' ? buf[i] | (buf[i + 1] << 8) : (buf[i] << 8) | buf[i + 1];
}

/**
 * Where a window may be cut after a character: ASCII that is not part of a word, a base64 blob or
 * an escape (`%`, `\`, `+`, `/`, `-`). A key after it is seen by the next window with nothing glued before.
 */
function isCutPoint(c: number): boolean {
  if (c >= 128 || c === 0) return false;
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return false;
  return c !== 95 && c !== 37 && c !== 92 && c !== 43 && c !== 47 && c !== 45;
}

/** Where the next window starts (relative to this one): a line start in the overlap, else just after a delimiter. */
function nextWindowStart(view: Buffer, form: TextForm, bom: number): number {
  const unit = form === 'utf8' ? 1 : 2;
  const align = (x: number) => x - ((x - bom) % unit);
  const hi = align(view.length - WINDOW_EDGE_MARGIN);
  const lo = align(view.length - WINDOW_OVERLAP);
  if (form === 'utf8') {
    const nl = view.lastIndexOf(10, hi);
    if (nl >= lo) return nl + 1;
  } else {
    for (let i = hi; i >= lo; i -= 2) if (unitAt(view, i, form) === 10) return i + 2;
  }
  for (let i = hi; i >= lo; i -= unit) if (isCutPoint(unitAt(view, i, form))) return i + unit;
  return lo; // 4 KiB without a delimiter: no key can be in it unseen (a key is at most 128 characters of hex)
}

/** The start of the last line that begins in `[from, to)`, or -1 when no newline is there. */
function lastLineStart(view: Buffer, from: number, to: number, form: TextForm): number {
  if (form === 'utf8') {
    const nl = to > from ? view.lastIndexOf(10, to - 1) : -1;
    return nl >= from ? nl + 1 : -1;
  }
  // A UTF-16 line feed is two bytes; searched natively (forward: a backward search of a two-byte
  // needle is not), and taken only where a code unit starts.
  const nl = form === 'utf16le' ? NL_UTF16LE : NL_UTF16BE;
  let last = -1;
  for (let i = view.indexOf(nl, from); i >= 0 && i + 1 < to; i = view.indexOf(nl, i + 1)) if ((i - from) % 2 === 0) last = i;
  return last < 0 ? -1 : last + 2;
}

const NL_UTF16LE = Buffer.from([10, 0]);
const NL_UTF16BE = Buffer.from([0, 10]);

/** Newlines in `[from, to)`. */
function countNewlines(view: Buffer, from: number, to: number, form: TextForm): number {
  if (form === 'utf8') return countLineFeeds(view, from, to);
  const nl = form === 'utf16le' ? NL_UTF16LE : NL_UTF16BE;
  let n = 0;
  for (let i = view.indexOf(nl, from); i >= 0 && i + 1 < to; i = view.indexOf(nl, i + 1)) if ((i - from) % 2 === 0) n++;
  return n;
}

/** How many UTF-16 code units the text in `[from, to)` takes (what a column counts). */
function textWidth(view: Buffer, from: number, to: number, form: TextForm): number {
  if (form !== 'utf8') return (to - from) / 2;
  // A long line of ASCII (a minified bundle) is as wide as its bytes: no need to decode a window of it.
  return isAscii(view.subarray(from, to)) ? to - from : view.toString('utf8', from, to).length;
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
