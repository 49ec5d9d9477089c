// The detector's front door: content in (a buffer, or text that is already decoded), located keys
// out. Pure: no file, network or process is touched here.

import { isAscii } from 'node:buffer';
import type { Encoding, KeyType, Snippet } from '../finding.js';
import { detectKeys, hasKeyTrace, keyTraceOffsets, type DetectOptions, type KeyMatch, type Rejection } from './detect.js';
import { MAX_ENCODED_KEY_LENGTH } from './key-format.js';
import { LineLocator, NewlineCounter } from './locate.js';
import { keySha256, maskKeyShaped, redactKey } from './redact.js';
import { InlineAllow } from './inline-allow.js';

export { detectKeys, forEachTraceCandidate, hasKeyTrace, hasSplitStemTrace, type KeyMatch, type Rejection } from './detect.js';
export { KEY_FILTERS, type KeyFilter } from './filters.js';
export { keySha256, maskKeyShaped, redactKey } from './redact.js';
export { MAX_KEY_LENGTH, MIN_KEY_LENGTH, MAX_ENCODED_KEY_LENGTH } from './key-format.js';
export { NewlineCounter } from './locate.js';
export { DETECTOR_WORK, resetDetectorWork } from './work.js';
export { WRITTEN_WORK } from './decoders.js';
export { allocateReadBuffer, countLineFeeds } from './line-feeds.js';
export { INLINE_ALLOW_MARKER, INLINE_ALLOW_MAX_LINE_BYTES, InlineAllow } from './inline-allow.js';

export interface LocatedKey {
  key: string;
  keyType: KeyType;
  encoding: Encoding;
  /** Offsets into the content (bytes for a buffer, after any BOM; chars for text). */
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  redacted: string;
  keySha256: string;
  /** A `mirra-scan:allow` marker allows it (see ./inline-allow.ts). */
  inlineAllowed: boolean;
  snippet: Snippet;
}

export interface ScanContentOptions extends DetectOptions {
  /** Added to every line number (for a fragment that starts further down a file). */
  lineOffset?: number;
  /**
   * The text form of a buffer, when the caller knows it (a window from the middle of a large file):
   * then no BOM is looked for and no guess is made.
   */
  form?: TextForm;
  /** Counts newlines in a UTF-8 buffer; a caller that needs them too (a window of a large file) passes its own, so each byte is counted once. */
  newlines?: NewlineCounter;
  /** Locate at most this many keys (in order); the rest are only counted, in `tally.unlocated`. Bounds memory for content full of keys. */
  locateAtMost?: number;
  /** Where the count of keys found but not located goes. */
  tally?: { unlocated: number };
  /** Leave out keys a `mirra-scan:allow` marker allows (neither located nor counted). */
  skipInlineAllowed?: boolean;
  /** The content starts inside a line (a window of a longer one): its first line is not whole, so no marker counts on it. */
  headCut?: boolean;
  /** The content ends inside a line: no marker counts on its last line. */
  tailCut?: boolean;
  /** Leave out keys that start at this offset or later (a window's tail, which the next window scans). */
  ownedBefore?: number;
}

export type TextForm = 'utf8' | 'utf16le' | 'utf16be';

/** Which text form a buffer is in: a BOM decides, else the pattern of zero bytes in its first KiB. */
export function textFormOf(buf: Buffer): { form: TextForm; bomLength: number } {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { form: 'utf16le', bomLength: 2 };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { form: 'utf16be', bomLength: 2 };
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { form: 'utf8', bomLength: 3 };
  const n = Math.min(buf.length, 1024) & ~1;
  // Only a zero in the first KiB counts: search just there, not (a pass over) the whole buffer.
  const zero = n >= 16 ? buf.subarray(0, n).indexOf(0) : -1;
  if (n >= 16 && zero >= 0 && zero < n) {
    // ASCII in UTF-16 has a zero byte in every pair; text without one in its first KiB is not UTF-16.
    let evenZero = 0;
    let oddZero = 0;
    let printable = 0;
    for (let i = 0; i < n; i += 2) {
      if (buf[i] === 0) evenZero++;
      if (buf[i + 1] === 0) oddZero++;
      const c = buf[i] || buf[i + 1];
      if ((c >= 32 && c < 127) || c === 9 || c === 10 || c === 13) printable++;
    }
    const pairs = n / 2;
    if (printable > pairs * 0.9) {
      if (oddZero > pairs * 0.9 && evenZero < pairs * 0.05) return { form: 'utf16le', bomLength: 0 };
      if (evenZero > pairs * 0.9 && oddZero < pairs * 0.05) return { form: 'utf16be', bomLength: 0 };
    }
  }
  return { form: 'utf8', bomLength: 0 };
}

/**
 * Finds and locates every key in `content`. A buffer is searched byte by byte (binary files too:
 * keys are ASCII), unless it is UTF-16 text, which is decoded first.
 */
export function scanContent(content: Buffer | string, options: ScanContentOptions = {}): LocatedKey[] {
  // A UTF-16 file is decoded whole and searched as text (so encoded keys in it are found too);
  // anything else is searched as bytes, around the traces of a key only.
  const out: LocatedKey[] = [];
  const budget: LocateBudget = { left: options.locateAtMost ?? Number.POSITIVE_INFINITY, options, out, tally: options.tally ?? { unlocated: 0 } };
  if (typeof content === 'string') {
    if (hasKeyTrace(content)) locateAll(content, false, detectKeys(content, options), undefined, options.lineOffset, budget, 0, cutOf(options));
    return out;
  }
  const { form, bomLength } = options.form ? { form: options.form, bomLength: 0 } : textFormOf(content);
  if (form === 'utf8') {
    scanBytes(content, bomLength, options, budget);
    return out;
  }
  const bytes = content.subarray(bomLength, content.length - ((content.length - bomLength) % 2));
  const text = decodeUtf16(bytes, form);
  if (hasKeyTrace(text)) locateAll(text, false, detectKeys(text, options), 'utf16', options.lineOffset, budget, 0, cutOf(options));
  return out;
}

/**
 * UTF-16 bytes as text, one character a code unit, so that character `k` is bytes `2k` and `2k + 1`.
 * A lone surrogate becomes U+FFFD, as a `TextDecoder` makes it; unlike a `TextDecoder`, a U+FEFF at
 * the start is kept (the caller has taken the BOM off: another one, or one that starts a window
 * from the middle of a file, is a character, and dropping it shifted every offset after it). Node's
 * own UTF-16 decoding is a copy: at about half a `TextDecoder`'s CPU time per window.
 */
function decodeUtf16(bytes: Buffer, form: 'utf16le' | 'utf16be'): string {
  const text = (form === 'utf16le' ? bytes : Buffer.from(bytes).swap16()).toString('utf16le') as string & { toWellFormed(): string };
  return text.toWellFormed();
}

const cutOf = (options: ScanContentOptions) => ({ headCut: options.headCut === true, tailCut: options.tailCut === true });

/** Where located keys go, how many more may be located, and what to leave out. */
interface LocateBudget {
  left: number;
  options: ScanContentOptions;
  out: LocatedKey[];
  tally: { unlocated: number };
}

/** Text before a trace the detector may look at: a wrapped base64 line, the escape before `mirra`. */
const REGION_BEFORE = 1024 + 64;
/** Text after a trace the detector may look at: the longest encoded key, then a wrapped base64 line. */
const REGION_AFTER = MAX_ENCODED_KEY_LENGTH + 2 * 1024 + 64;
/** How far a region is widened to take in whole lines (for exact columns and readable snippets). */
const LINE_REACH = 16 * 1024;

/**
 * Bytes (UTF-8 text, or binary): only the regions around a trace of a key are turned into text and
 * searched, each widened to whole lines, so a 1 MiB window with one key costs a few KiB of strings.
 * Every search here is bounded or moves forward only, so a minified line of megabytes with many
 * traces on it costs no more than its length.
 */
function scanBytes(buf: Buffer, bom: number, options: ScanContentOptions, budget: LocateBudget): void {
  const traces = keyTraceOffsets(buf, bom, { all: options.rejections !== undefined });
  if (traces.length === 0) return;
  const regions: Array<[number, number]> = [];
  for (const t of traces) {
    let from = Math.max(bom, t - REGION_BEFORE);
    let to = Math.min(buf.length, t + REGION_AFTER);
    const nlBefore = from > bom ? buf.subarray(Math.max(bom, from - LINE_REACH), from).lastIndexOf(10) : -1;
    if (nlBefore >= 0) from = Math.max(bom, from - LINE_REACH) + nlBefore + 1;
    else if (from - LINE_REACH <= bom) from = bom;
    else while (from > bom && (buf[from] & 0xc0) === 0x80) from--; // not inside a UTF-8 character
    const nlAfter = buf.subarray(to, Math.min(buf.length, to + LINE_REACH)).indexOf(10);
    if (nlAfter >= 0) to += nlAfter;
    else if (to + LINE_REACH >= buf.length) to = buf.length;
    const last = regions[regions.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else regions.push([from, to]);
  }
  const newlines = options.newlines ?? new NewlineCounter(buf, bom);
  // Where the line holding the current region starts, and the width of that line up to `widthAt`:
  // both move forward from region to region.
  let lineStart = bom;
  let scannedTo = bom;
  let widthAt = bom;
  let width = 0;
  for (const [from, to] of regions) {
    const linesBefore = newlines.before(from);
    const nl = buf.subarray(scannedTo, from).lastIndexOf(10);
    if (nl >= 0) lineStart = scannedTo + nl + 1;
    scannedTo = from;
    const text = buf.toString('latin1', from, to);
    const rejections: Rejection[] | undefined = options.rejections ? [] : undefined;
    const matches = detectKeys(text, { rejections });
    for (const r of rejections ?? []) options.rejections?.push({ start: r.start + from - bom, filter: r.filter });
    if (matches.length === 0) continue;
    // A region that starts inside a (very long) line: its first line's columns start further right.
    if (widthAt < lineStart) [widthAt, width] = [lineStart, 0];
    // (A minified line of megabytes is ASCII: as wide as its bytes, nothing to decode.)
    width += isAscii(buf.subarray(widthAt, from)) ? from - widthAt : buf.toString('utf8', widthAt, from).length;
    widthAt = from;
    const firstLine = (options.lineOffset ?? 0) + linesBefore + 1;
    const located = budget.out.length;
    // Whether the region's first and last lines are whole (a marker counts only on a whole line).
    const cut = {
      headCut: from === bom ? options.headCut === true : buf[from - 1] !== 10,
      tailCut: to === buf.length ? options.tailCut === true : buf[to] !== 10,
    };
    locateAll(text, true, matches, undefined, firstLine - 1, budget, from - bom, cut);
    for (let i = located; i < budget.out.length; i++) {
      const k = budget.out[i];
      if (width > 0 && k.line === firstLine) {
        k.column += width;
        if (k.endLine === k.line) k.endColumn += width;
      }
      k.start += from - bom;
      k.end += from - bom;
    }
  }
}

/**
 * Locates `matches` (in order) into `budget.out`, as far as the budget goes; the rest are counted.
 * `shift`: where `text` starts in the content (for `ownedBefore`).
 */
function locateAll(
  text: string,
  bytes: boolean,
  matches: ReturnType<typeof detectKeys>,
  encodingOverride: Encoding | undefined,
  lineOffset: number | undefined,
  budget: LocateBudget,
  shift: number,
  cut: { headCut: boolean; tailCut: boolean },
): void {
  if (matches.length === 0) return;
  const { ownedBefore, skipInlineAllowed } = budget.options;
  const locator = new LineLocator(text, bytes);
  const allowed = new InlineAllow(text, { bytes, ...cut }, locator);
  // Masks are made lazily: a key's snippet masks the keys near it, and only located keys have one.
  let masks: Array<{ start: number; end: number; mask: string }> | undefined;
  for (const m of matches) {
    if (ownedBefore !== undefined && m.start + shift >= ownedBefore) continue;
    const inlineAllowed = allowed.allows(m.start, m.end);
    if (skipInlineAllowed && inlineAllowed) continue;
    if (budget.left <= 0) {
      budget.tally.unlocated++;
      continue;
    }
    budget.left--;
    masks ??= matches.map((k) => ({ start: k.start, end: k.end, mask: redactKey(k.key) }));
    budget.out.push(locate(m, locator, masks, inlineAllowed, encodingOverride, lineOffset ?? 0));
  }
}

function locate(
  m: KeyMatch,
  locator: LineLocator,
  masks: ReadonlyArray<{ start: number; end: number; mask: string }>,
  inlineAllowed: boolean,
  encodingOverride: Encoding | undefined,
  lineOffset: number,
): LocatedKey {
    const from = locator.position(m.start);
    const to = locator.position(m.end);
    const snippet = locator.snippet(m.start, m.end, masks);
    return {
      key: m.key,
      keyType: m.keyType,
      encoding: encodingOverride && m.encoding === 'plain' ? encodingOverride : m.encoding,
      start: m.start,
      end: m.end,
      line: from.line + lineOffset,
      column: from.column,
      endLine: to.line + lineOffset,
      endColumn: to.column,
      redacted: redactKey(m.key),
      keySha256: keySha256(m.key),
      inlineAllowed,
      snippet,
    };
}

/**
 * `text` with every key the detector finds in it replaced by its redacted form: for names that are
 * printed as they are (a file's path). Unlike `maskKeyShaped`, which masks anything that starts like
 * a key, it leaves names such as `mirra_client.ts` alone.
 */
export function redactKeysIn(text: string): string {
  if (!hasKeyTrace(text)) return text;
  const matches = detectKeys(text).sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const m of matches) {
    if (m.start < at) continue; // one key found two ways (plain inside an encoded span): already masked
    out += text.slice(at, m.start) + redactKey(m.key);
    at = m.end;
  }
  return out + text.slice(at);
}

/**
 * The one masking for everything mirra-scan shows or writes without `--reveal` (reports, messages,
 * warnings, paths, names from commits, baselines): keys the detector finds, encoded ones too, then
 * anything key-shaped it would not report (glued into a word, cut short).
 */
export function maskSecrets(text: string): string {
  return maskKeyShaped(redactKeysIn(text));
}
