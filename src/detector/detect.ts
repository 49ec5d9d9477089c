// The one detector: text or bytes in, key matches out. No I/O. Every scanner (files, staged, commit
// ranges, history) and the ESLint rule call it; none has a pattern of its own.

import type { Encoding, KeyType } from '../finding.js';
import { base64Back, base64Forward, decodeBase64Window, decodeUtf16Window, WRITTEN_WORK, type Decoded } from './decoders.js';
import { parseCandidate, rejectingFilter } from './filters.js';
import { isHexCode, isWordCode, KEY_PREFIX, TYPED_PREFIXES } from './key-format.js';
import { findStemBlock, stemSearchLimit } from './line-feeds.js';
import { afterUnderscore, afterUnderscoreInText, base64GroupEndsEveryKey, DENSE_CHECK, DENSE_GAP, endsEveryKeyAt, endsEveryKeyAtInText, endsEveryKeyRightAfter, formAfterStem, mayBeKeyAfterStem, nextByByte, TraceForm } from './plausible.js';
import { DETECTOR_WORK } from './work.js';
import { decodeWritten, encodedStemAt, ENCODED_R_NEEDLES, JoinContext, mayBeEncodedR, schemeAt, type WrittenScheme } from './written-forms.js';

export interface KeyMatch {
  /** The exact key, as it would be sent to the API. Never print it. */
  key: string;
  keyType: KeyType;
  encoding: Encoding;
  /** Span of the (encoded) text that holds the key, as offsets into the scanned text. */
  start: number;
  end: number;
}

export interface Rejection {
  /** Where the candidate starts in the scanned text (where its encoded form starts), for explaining a miss; never output by the CLI. */
  start: number;
  filter: string;
}

/** The stem every key starts with; a text without it (or an encoded form) has no key. */
const STEM = 'mirra';

/**
 * A needle is searched for from its `head`-th character on (the part that starts with a character
 * rare in code, so the search skips ahead fast), then its first `head` characters are checked.
 */
interface Needle {
  full: string;
  head: number;
}

/**
 * Base64 of `mirra_` at each of the three byte alignments, and where in its 4-character group it
 * starts: `bWlycmFf` starts a group; `1pcnJhX` is the 3rd char of one; `taXJyYV` the 4th.
 */
const BASE64_STEMS: ReadonlyArray<{ full: string; offsetInGroup: number; byteOffset: number }> = [
  { full: 'bWlycmFf', offsetInGroup: 0, byteOffset: 0 },
  { full: '1pcnJhX', offsetInGroup: 2, byteOffset: 1 },
  { full: 'taXJyYV', offsetInGroup: 3, byteOffset: 2 },
];

/**
 * What is searched for: two 4-character pieces of each base64 stem, one from its start and one from
 * its end (`at`: where the piece starts in it), so that a line break anywhere inside a wrapped blob
 * leaves one of them whole.
 */
const BASE64_NEEDLES: ReadonlyArray<Needle & { stem: number; at: number }> = [
  { full: 'bWly', head: 1, stem: 0, at: 0 },
  { full: 'cmFf', head: 2, stem: 0, at: 4 },
  { full: '1pcn', head: 0, stem: 1, at: 0 },
  { full: 'nJhX', head: 1, stem: 1, at: 3 },
  { full: 'taXJ', head: 2, stem: 2, at: 0 },
  { full: 'JyYV', head: 0, stem: 2, at: 3 },
];

/** `mirra` in UTF-16 (little- or big-endian: the bytes between the letters are zero either way). */
const UTF16_NEEDLE: Needle = { full: 'm\0i\0r\0r\0a\0', head: 1 };

/** The stem of an upper-cased key (`MIRRA_INSTALL_…`). */
const UPPER_STEM = 'MIRRA';

interface ByteNeedle {
  tail: Buffer;
  headBytes: Buffer;
  /** For a needle that is only a hint (`72`): where the trace it belongs to starts, or -1 if it is none. */
  traceAt?: (buf: Buffer, at: number) => number;
  /**
   * For a needle that is a trace only where a line break (CR or LF) is near it (the end piece of a
   * wrapped base64 stem): a break must stand at `hit - before` up to `hit + after - 1`. Where its
   * hits come thick, it is then looked for next to line breaks only.
   */
  nearBreak?: { before: number; after: number };
}
const toBytes = (n: Needle): ByteNeedle => ({ tail: Buffer.from(n.full.slice(n.head), 'latin1'), headBytes: Buffer.from(n.full.slice(0, n.head), 'latin1') });
const STEM_BYTES = [Buffer.from(STEM, 'latin1'), Buffer.from(UPPER_STEM, 'latin1')];

/** Characters after `mirra` that start a key, written plainly or otherwise (see `schemeAt`). */
const TRACE_FOLLOWERS = new Uint8Array(128);
for (const c of '_%\\&="\'`#${') TRACE_FOLLOWERS[c.charCodeAt(0)] = 1;
const isTraceFollower = (c: number) => c < 128 && TRACE_FOLLOWERS[c] === 1;

/**
 * An encoded `mirra` (`\x6d\x69\x72\x72\x61`, `%6D%69%72%72%61`, `&#109;&#105;&#114;…`), found by its
 * escaped `r`. `&#114;` is searched from its `#`: `&` is common in code (`&&`), and a search that
 * stops at each one cost twice as much (17 against 8 ms for 200 MiB of minified bundles).
 */
const ENCODED_R_NEEDLE_BYTES: readonly ByteNeedle[] = ENCODED_R_NEEDLES.map((n) => {
  const head = n.startsWith('&') ? 1 : 0;
  return {
    ...toBytes({ full: n, head }),
    traceAt(buf: Buffer, hit: number): number {
      const at = hit - head;
      if (n === '72' && !mayBeEncodedR(buf[at + 2], buf[at + 3])) return -1;
      const from = Math.max(0, at - 24);
      const stem = encodedStemAt(buf.toString('latin1', from, Math.min(buf.length, at + 48)), at - from);
      return stem ? from + stem.start : -1;
    },
  };
});
/** A piece of a base64 stem is a trace only where the whole stem is there, in one run or cut by a wrapped line break. */
const BASE64_NEEDLE_BYTES: readonly ByteNeedle[] = BASE64_NEEDLES.map((n) => {
  const stem = Buffer.from(BASE64_STEMS[n.stem].full, 'latin1');
  // A stem in one run is reported by its first piece: its other piece is a trace only where a line
  // break cuts the stem (see the check below: a break from 2 before the stem to 2 after it).
  const lead = n.head + n.at;
  return {
    ...toBytes(n),
    nearBreak: n.at === 0 ? undefined : { before: lead + 2, after: stem.length + 2 - lead },
    traceAt(buf: Buffer, hit: number): number {
      const at = hit - n.head - n.at; // where the stem starts if it is in one run
      // A stem in one run is reported by its first piece alone (dense base64 would judge it twice).
      if (bytesAt(buf, at, stem)) return n.at === 0 ? at : -1;
      // Cut by a line break: look at the text around it (a wrapped line is read back up to 1 KiB).
      let cut = false;
      for (let i = Math.max(0, at - 2); i < Math.min(buf.length, at + stem.length + 2); i++) if (buf[i] === 10 || buf[i] === 13) cut = true;
      if (!cut) return -1;
      const from = Math.max(0, hit - 1100);
      const text = buf.toString('latin1', from, Math.min(buf.length, hit + 1100));
      const start = n.at === 0 ? hit - n.head - from : base64Back(text, hit - n.head - from, n.at);
      return start >= 0 && base64Forward(text, start, stem.length) === BASE64_STEMS[n.stem].full ? from + start : -1;
    },
  };
});
/** The whole base64 stem each base64 needle belongs to, as bytes. */
const stemBytes: readonly Buffer[] = BASE64_NEEDLES.map((n) => Buffer.from(BASE64_STEMS[n.stem].full, 'latin1'));
const UTF16_NEEDLE_BYTES = toBytes(UTF16_NEEDLE);
const TRACE_NEEDLE_BYTES: readonly ByteNeedle[] = [...BASE64_NEEDLE_BYTES, UTF16_NEEDLE_BYTES];

/** Whether `bytes` stand in `buf` at `at` (a loop in JS: a native compare per hit costs more than it saves). */
function bytesAt(buf: Buffer, at: number, bytes: Buffer): boolean {
  if (at < 0 || at + bytes.length > buf.length) return false;
  for (let k = 0; k < bytes.length; k++) if (buf[at + k] !== bytes[k]) return false;
  return true;
}

/**
 * Every start of needle `n` in `buf` from `from` on (a hint needle: the start of the trace it
 * confirms). Where hits come thick (hostile text), the rest is searched byte by byte, as
 * `forEachBufferHit` does: one native `indexOf` per hit would cost more than the bytes between hits.
 */
function forEachNeedle(buf: Buffer, n: ByteNeedle, from: number, onHit: (at: number) => number | void, searchDense?: (from: number) => void): void {
  const h = n.headBytes.length;
  let hits = 0;
  let since = from;
  let dense = false;
  let breaks: LineBreaks | null = null;
  let i = buf.indexOf(n.tail, from + h);
  while (i >= 0) {
    let ok = true;
    for (let j = 0; j < h; j++) if (buf[i - h + j] !== n.headBytes[j]) ok = false;
    const at = !ok ? -1 : n.traceAt ? n.traceAt(buf, i) : i - h;
    let next = i + 1;
    if (at >= 0) {
      const resume = onHit(at);
      if (resume !== undefined && resume < 0) return;
      if (resume !== undefined) next = Math.max(next, resume + h);
    }
    if (!dense && ++hits >= DENSE_CHECK) {
      if (i - since < DENSE_CHECK * DENSE_GAP) {
        if (searchDense) return searchDense(next);
        dense = true;
      }
      hits = 0;
      since = i;
    }
    if (dense && n.nearBreak && !breaks) breaks = new LineBreaks(buf);
    i = !dense ? buf.indexOf(n.tail, next) : breaks && n.nearBreak ? nextNearBreak(buf, n.tail, n.nearBreak, breaks, next) : nextByByte(buf, n.tail, next);
  }
}

/** The next CR or LF at or after a position that only grows: each of the two is searched for once per break, not once per question. */
class LineBreaks {
  private lf = -2;
  private cr = -2;
  constructor(private readonly buf: Buffer) {}

  next(from: number): number {
    if (this.lf !== -1 && this.lf < from) this.lf = this.buf.indexOf(10, from);
    if (this.cr !== -1 && this.cr < from) this.cr = this.buf.indexOf(13, from);
    return this.lf < 0 ? this.cr : this.cr < 0 ? this.lf : Math.min(this.lf, this.cr);
  }
}

/** The next start of `tail` at or after `from` that has a line break near it, as `near` says. */
function nextNearBreak(buf: Buffer, tail: Buffer, near: { before: number; after: number }, breaks: LineBreaks, from: number): number {
  for (let b = breaks.next(Math.max(0, from - near.before)); b >= 0; b = breaks.next(b + 1)) {
    const hi = b + near.before;
    for (let j = Math.max(from, b - near.after + 1); j <= hi; j++) if (bytesAt(buf, j, tail)) return j;
    from = Math.max(from, hi + 1);
  }
  return -1;
}

/** Every index where `n` starts in `text`, in order. */
function* needleHits(text: string, n: Needle): Generator<number> {
  const tail = n.full.slice(n.head);
  const headText = n.full.slice(0, n.head);
  for (let i = text.indexOf(tail, n.head); i >= 0; i = text.indexOf(tail, i + 1)) {
    if (n.head === 0 || text.startsWith(headText, i - n.head)) yield i - n.head;
  }
}

/** Every encoded `mirra` in `text`: where it starts and how it is written. */
function* encodedStems(text: string): Generator<{ start: number; scheme: WrittenScheme }> {
  for (const needle of ENCODED_R_NEEDLES) {
    for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      if (needle === '72' && !mayBeEncodedR(text.charCodeAt(i + 2), text.charCodeAt(i + 3))) continue;
      const stem = encodedStemAt(text, i);
      if (stem) yield stem;
    }
  }
}

/** `mirra` or `MIRRA` at `buf[i]` (not a mix of cases). */
function isStemAt(buf: Buffer, i: number): boolean {
  if (i + 5 > buf.length) return false;
  const c = buf[i];
  if (c === 109) return buf[i + 1] === 105 && buf[i + 2] === 114 && buf[i + 3] === 114 && buf[i + 4] === 97;
  return c === 77 && buf[i + 1] === 73 && buf[i + 2] === 82 && buf[i + 3] === 82 && buf[i + 4] === 65;
}

/**
 * Every `mirra` and `MIRRA` in `buf` from `from` on, in order; `onHit` may return where the search
 * goes on (-1: stop). In a read buffer one WebAssembly SIMD pass finds both (`findStemBlock`): an
 * `indexOf` for `mirra` stops at every `m`, a common letter in code, and was the costliest search.
 * Where stems come thick, the rest goes to `searchDense` if given (from where to go on), else to `stemsByByte`.
 */
function forEachStem(buf: Buffer, from: number, onHit: (at: number) => number | void, searchDense?: (from: number) => void): void {
  const limit = stemSearchLimit(buf);
  let i = from;
  let hits = 0;
  let since = from;
  while (i < limit) {
    const block = findStemBlock(buf, i, limit);
    if (block < 0) {
      i = Math.max(i, limit);
      break;
    }
    const blockEnd = block + 16;
    let j = Math.max(block, i);
    i = blockEnd;
    while (j < blockEnd) {
      const resume = isStemAt(buf, j) ? (hits++, onHit(j)) : undefined;
      if (resume !== undefined && resume < 0) return;
      if (resume !== undefined && resume > j + 1) {
        j = resume;
        i = Math.max(blockEnd, resume);
      } else j++;
    }
    if (hits >= DENSE_CHECK) {
      // Stems come thick (hostile text): one call per 16-byte block costs more than a loop over the bytes.
      if (i - since < DENSE_CHECK * DENSE_GAP) return searchDense ? searchDense(i) : stemsByByte(buf, i, onHit);
      hits = 0;
      since = i;
    }
  }
  stemsByIndexOf(buf, i, onHit);
}

/** `forEachStem` from `from` to the end, by one loop over the bytes. */
function stemsByByte(buf: Buffer, from: number, onHit: (at: number) => number | void): void {
  let j = from;
  while (j < buf.length) {
    const c = buf[j];
    if ((c === 109 || c === 77) && isStemAt(buf, j)) {
      const resume = onHit(j);
      if (resume !== undefined && resume < 0) return;
      // No stem starts inside another (`mirra` and `MIRRA` overlap neither themselves nor each other).
      j = resume !== undefined && resume > j + STEM.length ? resume : j + STEM.length;
    } else j++;
  }
}

/**
 * `keyTraceOffsets`' search for stems from `from` on where they come thick (hostile text:
 * `mirra\u005f`, `mirra%5F`, `mirra_` repeated). One loop over the bytes that runs the quick look on
 * the spot, with no call per stem: a stem whose `_` (plain, `%5F`, `\x5f`, `\u005f`) is followed by a
 * byte that ends every key is dropped there, and the search goes on at that byte (the `_` or its
 * escape holds no `m` or `M`: no stem starts inside it). Any other stem goes to `judge`, exactly
 * as `stemsByByte` would send it.
 */
function denseStemStarts(buf: Buffer, from: number, judge: (at: number) => void): void {
  for (let j = nextDenseStem(buf, from); j >= 0; j = nextDenseStem(buf, j + STEM.length)) judge(j);
}

/**
 * The loop of `denseStemStarts`: the next stem from `j` on that its cheap look does not drop (-1:
 * none). It returns rather than calls back, and reads no byte past the end of `buf` (its last
 * bytes' stems are all returned, for `judge` to look at as it looks at any): a call it had no
 * feedback for, or a read out of bounds, sent V8's optimized loop back to the interpreter for the
 * rest of a read buffer.
 */
function nextDenseStem(buf: Buffer, j: number): number {
  // The most a cheap look reads: the stem, `\u005f`, then `${` and a character.
  const safe = buf.length - STEM.length - 6 - 3;
  while (j < buf.length) {
    const c = buf[j];
    if ((c !== 109 && c !== 77) || !isStemAt(buf, j)) {
      j++;
      continue;
    }
    if (j >= safe) return j;
    const at = afterUnderscore(buf, j + STEM.length);
    if (at < 0 || !endsEveryKeyAt(buf, at)) return j;
    j = at;
  }
  return -1;
}

function stemsByIndexOf(buf: Buffer, from: number, onHit: (at: number) => number | void): void {
  const [lower, upper] = STEM_BYTES;
  let a = buf.indexOf(lower, from);
  let b = buf.indexOf(upper, from);
  while (a >= 0 || b >= 0) {
    const at = b < 0 || (a >= 0 && a < b) ? a : b;
    const resume = onHit(at);
    if (resume !== undefined && resume < 0) return;
    const next = resume !== undefined ? Math.max(at + 1, resume) : at + 1;
    if (a >= 0 && a < next) a = buf.indexOf(lower, next);
    if (b >= 0 && b < next) b = buf.indexOf(upper, next);
  }
}

/**
 * The fast path: does the content hold any trace of a key, plain or encoded? One `indexOf` per
 * needle and no regex; a needle starts at a character that is rare in code, so each search runs at
 * memory speed. Content without a trace needs nothing more.
 */
export function hasKeyTrace(input: string | Buffer): boolean {
  if (typeof input === 'string') {
    if (input.includes(STEM) || input.includes(UPPER_STEM)) return true;
    for (const n of BASE64_NEEDLES) if (!needleHits(input, n).next().done) return true;
    return !encodedStems(input).next().done;
  }
  let found = false;
  forEachStem(input, 0, () => {
    found = true;
    return -1;
  });
  if (found) return true;
  for (const n of [...TRACE_NEEDLE_BYTES, ...ENCODED_R_NEEDLE_BYTES]) {
    forEachNeedle(input, n, 0, () => {
      found = true;
      return -1;
    });
    if (found) return true;
  }
  return false;
}

/**
 * For code that the ESLint rule evaluates (JS, TS): a stem split between two string literals, which
 * no byte of the file spells out: a literal (or a template's text before `${`) ending `mi`, `mir` or
 * `mirr` (`'mi' + 'rra_…'`), or one starting `irra` (`'m' + 'irra_…'`), in either case. Cheap: one search for `mi` and one for `irra`.
 */
export function hasSplitStemTrace(text: string): boolean {
  for (const [mi, irra, r] of [['mi', 'irra', 114], ['MI', 'IRRA', 82]] as const) {
    for (let i = text.indexOf(mi); i >= 0; i = text.indexOf(mi, i + 1)) {
      let j = i + 2;
      while (j < i + 4 && text.charCodeAt(j) === r) j++;
      if (isQuoteCode(text.charCodeAt(j)) || (text.charCodeAt(j) === 36 /* $ */ && text.charCodeAt(j + 1) === 123 /* { */)) return true;
    }
    for (let i = text.indexOf(irra); i >= 0; i = text.indexOf(irra, i + 1)) if (isQuoteCode(text.charCodeAt(i - 1))) return true;
  }
  return false;
}

const isQuoteCode = (c: number) => c === 34 || c === 39 || c === 96;

/**
 * Every offset in `buf` (from `from` on) where a trace of a key starts: `mirra` or `MIRRA` followed
 * by a character that starts a key (`_`, an escape, a quote: see `schemeAt`), a base64 needle,
 * `mirra` in UTF-16, or an encoded `mirra`. Sorted. For content without a trace this costs the same
 * few `indexOf` passes as `hasKeyTrace`.
 */
export function keyTraceOffsets(buf: Buffer, from = 0, options: { all?: boolean } = {}): number[] {
  const out: number[] = [];
  // Unless every trace is asked for (to explain each rejection), those that cannot start a key are
  // left out here (see plausible.ts): hostile text is made of them.
  // (Direct calls, no helper closure: hostile text makes millions of them.)
  const all = options.all === true;
  // The search goes on after the stem (no stem starts inside another): the rest of its 16-byte
  // block is not looked at again byte by byte.
  const judgeStem = (i: number): number => {
    const next = buf[i + STEM.length];
    if (isTraceFollower(next)) {
      const form = formAfterStem(next);
      // The quick look read on the spot first (no call chain): hostile text is millions of these.
      if (form === null || all || (!endsEveryKeyRightAfter(buf, i + STEM.length, form) && mayBeKeyAfterStem(buf, i + STEM.length, form, 0))) out.push(i);
    }
    return i + STEM.length;
  };
  forEachStem(buf, from, judgeStem, all ? undefined : (next) => denseStemStarts(buf, next, judgeStem));
  BASE64_NEEDLE_BYTES.forEach((n, k) => {
    const { offsetInGroup, byteOffset } = BASE64_STEMS[BASE64_NEEDLES[k].stem];
    const judge = (at: number) => {
      // The cheap look reads whole groups in one run: a stem cut by a wrapped line break is judged in full.
      const group = at - offsetInGroup;
      const inOneRun = group >= from && bytesAt(buf, at, stemBytes[k]);
      if (!inOneRun || all || mayBeKeyAfterStem(buf, group, TraceForm.Base64, byteOffset + STEM.length)) out.push(at);
    };
    const dense = n.nearBreak || all ? undefined : (next: number) => denseBase64Starts(buf, k, from, next, judge);
    forEachNeedle(buf, n, from, judge, dense);
  });
  forEachNeedle(buf, UTF16_NEEDLE_BYTES, from, (i) => {
    if (all || mayBeKeyAfterStem(buf, i + UTF16_NEEDLE.full.length, TraceForm.Utf16, 0)) out.push(i);
  });
  for (const n of ENCODED_R_NEEDLE_BYTES) forEachNeedle(buf, n, from, (at) => void out.push(at));
  return out.length > 1 ? out.sort((a, b) => a - b) : out;
}

/** Four bytes at `i` as one number (little-endian): a stem is compared in two of these, not byte by byte. */
const wordAt = (buf: Uint8Array, i: number) => buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24);

/**
 * For each base64 needle: its stem's first and last four bytes as words (an Int32Array: loaded as
 * plain integers), and how far past a whole stem its first piece can next start (its first byte
 * does not come again in the stem, so a hit never starts inside one: the search jumps over it).
 */
const STEM_WORDS = new Int32Array(BASE64_NEEDLES.length * 2);
const STEM_JUMP = BASE64_NEEDLES.map((n, k) => {
  STEM_WORDS[2 * k] = wordAt(stemBytes[k], 0);
  STEM_WORDS[2 * k + 1] = wordAt(stemBytes[k], stemBytes[k].length - 4);
  const piece = Buffer.from(n.full, 'latin1');
  let s = 1;
  while (s < stemBytes[k].length && !piece.subarray(0, stemBytes[k].length - s).every((b, j) => b === stemBytes[k][s + j])) s++;
  return s;
});

/**
 * `keyTraceOffsets` for the first piece of base64 stem `k` (needle `k`), from `next` on, where its
 * hits come thick (hostile text: base64 of `mirra_` repeated). One loop over the bytes
 * (`nextBase64Hit`) gives the cheap look to each whole stem in one run on the spot and drops it when
 * the byte after its `_` ends every key; anything else it stops at (a stem cut by a line break, a
 * stem the look keeps) goes to `judge`, exactly as the search by `indexOf` would send it.
 */
function denseBase64Starts(buf: Buffer, k: number, from: number, next: number, judge: (at: number) => void): void {
  const n = BASE64_NEEDLE_BYTES[k];
  const h = n.headBytes.length;
  const { offsetInGroup, byteOffset } = BASE64_STEMS[BASE64_NEEDLES[k].stem];
  // The group that holds the byte after `_`, from the stem's start, and that byte's place in it.
  const byte = byteOffset + STEM.length + 1;
  const groupAfter = 4 * Math.floor(byte / 3) - offsetInGroup;
  const shift = 8 * (2 - (byte % 3));
  const length = stemBytes[k].length;
  for (let i = Math.max(next, h); ; ) {
    i = nextBase64Hit(buf, i, n.tail[0], h, STEM_WORDS[2 * k], STEM_WORDS[2 * k + 1], length, STEM_JUMP[k], from + offsetInGroup, groupAfter, shift);
    if (i < 0) return;
    const at = i - h;
    if (at + length <= buf.length && bytesAt(buf, at, stemBytes[k])) {
      judge(at);
      i += STEM_JUMP[k];
      continue;
    }
    if (bytesAt(buf, i, n.tail) && bytesAt(buf, at, n.headBytes)) {
      const trace = n.traceAt ? n.traceAt(buf, i) : at;
      if (trace >= 0) judge(trace);
    }
    i++;
  }
}

/**
 * The loop of `denseBase64Starts`: from `i` on, the next place where the stem's first byte after
 * its head (`byte`, `h` bytes into the stem) stands and which is not a whole stem (`first`, `last`:
 * its first and last four bytes) that starts at or after `lowest` and whose byte after `_` (in the
 * group `groupAfter` bytes from the stem's start, `shift` bits from its right) ends every key. Such
 * stems are stepped over by `jump`. -1 at the end. It calls nothing that is not inlined and returns
 * instead of calling back, so the optimized loop never meets a call it has no feedback for (each
 * such call sent it back to the interpreter for the rest of a read buffer).
 */
function nextBase64Hit(buf: Buffer, i: number, byte: number, h: number, first: number, last: number, length: number, jump: number, lowest: number, groupAfter: number, shift: number): number {
  // (One loop to the end: a second one for the last bytes, first reached at the end of a buffer,
  // had no feedback yet and sent the loop back to the interpreter.)
  while (i < buf.length) {
    if (buf[i] !== byte) {
      i++;
      continue;
    }
    const at = i - h;
    if (at + length > buf.length || wordAt(buf, at) !== first || wordAt(buf, at + length - 4) !== last) return i;
    if (at < lowest || !base64GroupEndsEveryKey(buf, at + groupAfter, shift)) return i;
    i += jump;
  }
  return -1;
}

/** Every needle a trace can start with besides `mirra` and `MIRRA` (which `forEachStem` finds, in any context). */
const CANDIDATE_NEEDLE_BYTES: readonly ByteNeedle[] = [...TRACE_NEEDLE_BYTES, ...ENCODED_R_NEEDLE_BYTES];

/**
 * For many files read one after another into one buffer: reports where a needle (any of those
 * `keyTraceOffsets` looks for; `mirra` whatever follows it) starts in `buf`, needle by needle. `onHit`
 * returns where the search for that needle goes on (past the file that holds the hit: one hit is
 * enough to scan that file in full), or -1 to stop it. Every needle wholly inside a file whose start
 * a search passes is reported, so a file never reported holds no trace of a key.
 */
export function forEachTraceCandidate(buf: Buffer, onHit: (at: number) => number): void {
  forEachStem(buf, 0, onHit);
  for (const n of CANDIDATE_NEEDLE_BYTES) forEachNeedle(buf, n, 0, onHit);
}

export interface DetectOptions {
  /** Collects why each key-shaped candidate was not taken (for tests that explain a miss; the CLI never asks). */
  rejections?: Rejection[];
}

/**
 * Finds every key in `text`. For bytes, pass `buffer.latin1Slice()`-style text (one char per byte)
 * so that offsets are byte offsets and binary data is searched for printable runs.
 */
export function detectKeys(text: string, options: DetectOptions = {}): KeyMatch[] {
  const matches: KeyMatch[] = [];
  const seen = new Set<string>();
  const push = (m: KeyMatch) => {
    const id = `${m.start}:${m.end}:${m.key}`;
    if (!seen.has(id)) {
      seen.add(id);
      matches.push(m);
    }
  };
  // Rejections name where the candidate is written in `text`, decoded or not.
  const rejectAt = (start: number) => (filter: string) => options.rejections?.push({ start, filter });

  // Traces that cannot start a key are dropped by a cheap look first (hostile text is made of them),
  // unless every rejection is asked for.
  // (Direct calls, no helper closure: hostile text makes millions of them.)
  const all = options.rejections !== undefined;
  const joins = new JoinContext(text);
  for (const stem of [STEM, UPPER_STEM]) {
    let hits = 0;
    let since = 0;
    let dense = false;
    for (let at = text.indexOf(stem); at >= 0; ) {
      // `_`, `%` and `\` after the stem get the cheap look; the other written forms are read as they are.
      const form = formAfterStem(text.charCodeAt(at + STEM.length));
      if (form === null || all || mayBeKeyAfterStem(text, at + STEM.length, form, 0)) detectWrittenAt(text, at, joins, push, rejectAt(at));
      // Where stems come thick (hostile text: a UTF-16 file of `mirra_` is searched as decoded text),
      // one `indexOf` per stem costs more than a loop over the characters that drops them on the spot.
      if (!dense && !all && ++hits >= DENSE_CHECK) {
        if (at - since < DENSE_CHECK * DENSE_GAP) dense = true;
        hits = 0;
        since = at;
      }
      at = dense ? nextTextStem(text, stem, at + 1) : text.indexOf(stem, at + 1);
    }
  }
  for (const { start, scheme } of encodedStems(text)) {
    const found = readWrittenAt(text, start, scheme, joins, rejectAt(start));
    if (found) push(found);
  }

  const base64Seen = new Set<number>();
  for (const needle of BASE64_NEEDLES) {
    const { full, offsetInGroup, byteOffset } = BASE64_STEMS[needle.stem];
    for (const hit of needleHits(text, needle)) {
      // The whole stem, read across a wrapped line break if one cuts it.
      const at = needle.at === 0 ? hit : base64Back(text, hit, needle.at);
      if (at < 0 || base64Forward(text, at, full.length) !== full) continue;
      const groupStart = base64Back(text, at, offsetInGroup);
      if (groupStart < 0 || base64Seen.has(groupStart * 4 + needle.stem)) continue;
      base64Seen.add(groupStart * 4 + needle.stem);
      // The cheap look reads whole groups in one run: a stem cut by a wrapped line break is judged in full.
      if (at - groupStart === offsetInGroup && text.startsWith(full, at) && !all && !mayBeKeyAfterStem(text, groupStart, TraceForm.Base64, byteOffset + STEM.length)) continue;
      // Decode up to two groups earlier where there are some, so the bytes before `mirra_` can be
      // checked (a glued letter, the byte before it, a 4-byte length prefix).
      let from = groupStart;
      let groupsBack = 0;
      for (let back = base64Back(text, from, 4); groupsBack < 2 && back >= 0; back = base64Back(text, from, 4)) {
        from = back;
        groupsBack++;
      }
      const stemAt = groupsBack * 3 + byteOffset;
      const decoded = decodeLazily((n) => decodeBase64Window(text, from, n), stemAt);
      const m = matchPlainAt(decoded.text, stemAt, rejectAt(groupStart));
      if (m) push(mapBack(m, decoded, 'base64'));
    }
  }

  for (const at of needleHits(text, UTF16_NEEDLE)) {
    if (!all && !mayBeKeyAfterStem(text, at + UTF16_NEEDLE.full.length, TraceForm.Utf16, 0)) continue;
    // Include the character before, so a word glued before `mirra_` is still seen.
    const from = at >= 2 && text.charCodeAt(at - 1) === 0 && text.charCodeAt(at - 2) !== 0 ? at - 2 : at;
    const decoded = decodeLazily((n) => decodeUtf16Window(text, from, n), (at - from) / 2);
    const m = matchPlainAt(decoded.text, (at - from) / 2, rejectAt(at));
    if (m) push(mapBack(m, decoded, 'utf16'));
  }

  return matches.sort((a, b) => a.start - b.start);
}

/**
 * `detectKeys`' search for `stem` (`mirra` or `MIRRA`) from `from` on, where stems come thick: one
 * loop over the characters that runs the cheap look on the spot, as `denseStemStarts` does for bytes.
 * A stem whose `_` (plain, `%5F`, `\x5f`, `\u005f`) is followed by a character that ends every key
 * is stepped over (the `_` or its escape holds no `m` or `M`: no stem starts inside it); the start
 * of the next other stem is returned, -1 when there is none.
 */
function nextTextStem(text: string, stem: string, from: number): number {
  const s0 = stem.charCodeAt(0);
  const s1 = stem.charCodeAt(1);
  const s2 = stem.charCodeAt(2);
  const s4 = stem.charCodeAt(4);
  const end = text.length - STEM.length;
  // As `nextDenseStem`: no character past the end is read; stems in the last few are all returned.
  const safe = end - 6 - 3;
  let j = from;
  while (j <= end) {
    // (Their 3rd and 4th letters are the same: `rr`, `RR`.)
    if (text.charCodeAt(j) !== s0 || text.charCodeAt(j + 1) !== s1 || text.charCodeAt(j + 2) !== s2 || text.charCodeAt(j + 3) !== s2 || text.charCodeAt(j + 4) !== s4) {
      j++;
      continue;
    }
    if (j >= safe) return j;
    const at = afterUnderscoreInText(text, j + STEM.length);
    if (at < 0 || !endsEveryKeyAtInText(text, at)) return j;
    j = at;
  }
  return -1;
}

/** How far the word after a trace is read to see what stops it (`mirra_script_` and a whole key). */
const WORD_REACH = 160;

/**
 * The key that starts at the trace `text[at]` (`mirra` or `MIRRA`), written plainly or as the
 * character that ends the word after the trace says (a quote: concatenation; `%`: url; …). A plain
 * reading that is a key wins, unless the other reading makes a longer key of the same start
 * (`"mirra_…" + "…"`: the whole of the pieces, not the first).
 */
function detectWrittenAt(text: string, at: number, joins: JoinContext, push: (m: KeyMatch) => void, reject: (filter: string) => void): void {
  const plainRejections: string[] = [];
  const plain = text.charCodeAt(at + STEM.length) === 95 /* _ */ ? matchPlainAt(text, at, (f) => plainRejections.push(f)) : null;
  let j = at + STEM.length;
  const reach = Math.min(text.length, j + WORD_REACH);
  while (j < reach && isWordCode(text.charCodeAt(j))) j++;
  WRITTEN_WORK.chars += j - at;
  const scheme = schemeAt(text, j);
  const writtenRejections: string[] = [];
  const written = scheme ? readWrittenAt(text, at, scheme, joins, (f) => writtenRejections.push(f)) : null;
  if (written && (!plain || written.key.length > plain.key.length)) push(written);
  else if (plain) push({ ...plain, encoding: plain.key === text.slice(plain.start, plain.end) ? 'plain' : 'uppercase' });
  else {
    const why = plainRejections[0] ?? writtenRejections[0];
    if (why) reject(why);
  }
}

/**
 * The key written from `text[at]` in `scheme`; escaped pieces joined into one (`"mirra\x5f" + "…"`)
 * are read again as a concatenation when the escapes alone do not make a key.
 */
function readWrittenAt(text: string, at: number, scheme: WrittenScheme, joins: JoinContext, reject: (filter: string) => void): KeyMatch | null {
  const read = (s: WrittenScheme, r: (filter: string) => void) => decodeThen(text, at, decodeLazily((n) => decodeWritten(s, text, at, n, joins), 0), s, r);
  if (scheme !== 'escape') return read(scheme, reject);
  const rejections: string[] = [];
  const found = read('escape', (f) => rejections.push(f)) ?? read('concatenation', () => undefined);
  if (!found && rejections[0]) reject(rejections[0]);
  return found;
}

/** Decoded characters that show whether an encoded `mirra_` goes on like a key at all. */
const QUICK_LOOK = 48;

/**
 * Decodes a short window first and the full one only if the hex after the prefix runs to its end:
 * most encoded `mirra` are names or fragments, and text made of nothing else must stay cheap.
 * (A hex run that stops inside the short window makes a candidate too short to be a key.)
 */
function decodeLazily(decode: (enough: number) => Decoded, stemAt: number): Decoded {
  const quick = decode(QUICK_LOOK);
  const t = quick.text;
  const prefix = prefixAt(t, stemAt);
  let i = prefix ? stemAt + prefix.length : t.length;
  while (i < t.length && isHexCode(t.charCodeAt(i))) i++;
  return i < t.length ? quick : decode(Number.POSITIVE_INFINITY);
}

/** How much raw text before an encoded `mirra` the filters see: enough for a `\u0022` escape. */
const BEFORE_CONTEXT = 6;

/** The key `decoded` (read from the trace at `text[at]`) starts with, mapped back onto `text`; or null, and `reject` hears why. */
function decodeThen(text: string, at: number, decoded: Decoded, encoding: Encoding, reject: (filter: string) => void): KeyMatch | null {
  // The decoded window starts at `mirra`; put the raw text before it in front (as written), so the
  // glued-before filter sees the word or the escape that `mirra` follows.
  // An escape right before that stands for a letter or digit (`\x61\x6d…`: `amirra…`) is that
  // letter, glued to the key; any other escape (a quote, a newline) is a boundary.
  const glued = escapedWordBefore(text, at);
  const from = glued ? at - 1 : Math.max(0, at - BEFORE_CONTEXT);
  const rawBefore: number[] = [];
  for (let i = from; i < at; i++) rawBefore.push(i);
  const withBefore: Decoded = {
    text: (glued ? 'x' : text.slice(from, at)) + decoded.text,
    rawStart: [...rawBefore, ...decoded.rawStart],
    rawEnd: decoded.rawEnd ? [...rawBefore.map((i) => i + 1), ...decoded.rawEnd] : undefined,
  };
  const m = matchPlainAt(withBefore.text, at - from, reject);
  return m ? mapBack(m, withBefore, encoding) : null;
}

/** Whether `text` just before `at` ends with an escape (`\xHH`, `\u00HH`, `%HH`, `&#…;`) of a letter, digit or `_`. */
function escapedWordBefore(text: string, at: number): boolean {
  for (const back of [3, 4, 5, 6, 7, 8]) {
    const from = at - back;
    if (from < 0) break;
    const c = text.charCodeAt(from);
    if (c !== 92 /* \ */ && c !== 37 /* % */ && c !== 38 /* & */) continue;
    const scheme: WrittenScheme = c === 92 ? 'escape' : c === 37 ? 'url' : 'html-entity';
    const d = decodeWritten(scheme, text, from, 1, NO_JOINS);
    if (d.text.length === 1 && d.rawStart[1] === at) return isWordCode(d.text.charCodeAt(0)) && d.rawStart[0] === from;
  }
  return false;
}

const NO_JOINS = new JoinContext('');

/** A match in decoded text, moved back onto the raw text it was decoded from. */
function mapBack(m: Omit<KeyMatch, 'encoding'>, decoded: Decoded, encoding: Encoding): KeyMatch {
  const end = decoded.rawEnd ? decoded.rawEnd[m.end - 1] : decoded.rawStart[m.end];
  return { key: m.key, keyType: m.keyType, encoding, start: decoded.rawStart[m.start], end };
}

/** The prefix (`mirra_`, `mirra_script_`, …, or the same in upper case) written at `text[at]`, with its key type. */
function prefixAt(text: string, at: number): { length: number; keyType: KeyType } | null {
  const upper = text.charCodeAt(at) === 77; /* M */
  if (!text.startsWith(upper ? 'MIRRA_' : KEY_PREFIX, at)) return null;
  for (const t of upper ? UPPER_TYPED_PREFIXES : TYPED_PREFIXES) if (text.startsWith(t.prefix, at)) return { length: t.prefix.length, keyType: t.keyType };
  return { length: KEY_PREFIX.length, keyType: 'untyped' };
}

const UPPER_TYPED_PREFIXES = TYPED_PREFIXES.map((t) => ({ prefix: t.prefix.toUpperCase(), keyType: t.keyType }));

/**
 * The key that starts at `text[at]` (which reads `mirra_` or `MIRRA_`), if it is one; else `reject`
 * hears why not. The key is given in lower case (as the API knows it): see the `mixed-case` filter
 * for which mixes of case count.
 */
function matchPlainAt(text: string, at: number, reject: (filter: string) => void): Omit<KeyMatch, 'encoding'> | null {
  DETECTOR_WORK.candidatesJudged++;
  const prefix = prefixAt(text, at);
  if (!prefix) return null;
  const candidate = parseCandidate(text, at, at + prefix.length);
  const rejectedBy = rejectingFilter(candidate);
  if (rejectedBy) {
    reject(rejectedBy);
    return null;
  }
  return { key: text.slice(at, candidate.bodyEnd).toLowerCase(), keyType: prefix.keyType, start: at, end: candidate.bodyEnd };
}
