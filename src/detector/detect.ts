// The one detector: text or bytes in, key matches out. No I/O. Every scanner (files, staged, commit
// ranges, history) and the ESLint rule call it; none has a pattern of its own.

import type { Encoding, KeyType } from '../finding.js';
import { decodeBase64Window, decodeEscapes, decodePercent, decodeUtf16Window, isBase64Code, type Decoded } from './decoders.js';
import { parseCandidate, rejectingFilter } from './filters.js';
import { isHexCode, KEY_PREFIX, TYPED_PREFIXES } from './key-format.js';
import { forEachBufferHit, forEachTextHit, formAfterStem, mayBeKeyAfterStem, TraceForm } from './plausible.js';
import { DETECTOR_WORK } from './work.js';

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
 * Base64 of `mirra_` at each of the three byte alignments, and where in its 4-character group the
 * needle starts: `bWlycmFf` starts a group; `1pcnJhX` is the 3rd char of one; `taXJyYV` the 4th.
 */
const BASE64_NEEDLES: ReadonlyArray<Needle & { offsetInGroup: number; byteOffset: number }> = [
  { full: 'bWlycmFf', head: 1, offsetInGroup: 0, byteOffset: 0 },
  { full: '1pcnJhX', head: 0, offsetInGroup: 2, byteOffset: 1 },
  { full: 'taXJyYV', head: 2, offsetInGroup: 3, byteOffset: 2 },
];

/** `mirra` in UTF-16 (little- or big-endian: the bytes between the letters are zero either way). */
const UTF16_NEEDLE: Needle = { full: 'm\0i\0r\0r\0a\0', head: 1 };

interface ByteNeedle {
  tail: Buffer;
  headBytes: Buffer;
}
const toBytes = (n: Needle): ByteNeedle => ({ tail: Buffer.from(n.full.slice(n.head), 'latin1'), headBytes: Buffer.from(n.full.slice(0, n.head), 'latin1') });
const STEM_BYTES = Buffer.from(STEM, 'latin1');
const TRACE_NEEDLE_BYTES: readonly ByteNeedle[] = [...BASE64_NEEDLES, UTF16_NEEDLE].map(toBytes);

function bufferHas(buf: Buffer, n: ByteNeedle): boolean {
  const h = n.headBytes.length;
  for (let i = buf.indexOf(n.tail, h); i >= 0; i = buf.indexOf(n.tail, i + 1)) {
    let ok = true;
    for (let j = 0; j < h; j++) if (buf[i - h + j] !== n.headBytes[j]) ok = false;
    if (ok) return true;
  }
  return false;
}

/** Every index where `n` starts in `text`, in order. */
function* needleHits(text: string, n: Needle): Generator<number> {
  const tail = n.full.slice(n.head);
  const headText = n.full.slice(0, n.head);
  for (let i = text.indexOf(tail, n.head); i >= 0; i = text.indexOf(tail, i + 1)) {
    if (n.head === 0 || text.startsWith(headText, i - n.head)) yield i - n.head;
  }
}

/**
 * The fast path: does the content hold any trace of a key, plain or encoded? One `indexOf` per
 * needle and no regex; a needle starts at a character that is rare in code, so each search runs at
 * memory speed. Content without a trace needs nothing more.
 */
export function hasKeyTrace(input: string | Buffer): boolean {
  if (typeof input === 'string') {
    if (input.includes(STEM)) return true;
    for (const n of BASE64_NEEDLES) if (!needleHits(input, n).next().done) return true;
    return false;
  }
  if (input.indexOf(STEM_BYTES) >= 0) return true;
  for (const n of TRACE_NEEDLE_BYTES) if (bufferHas(input, n)) return true;
  return false;
}

/**
 * Every offset in `buf` (from `from` on) where a trace of a key starts: `mirra` followed by `_`, `%`
 * or `\`, a base64 needle, or `mirra` in UTF-16. Sorted. For content without a trace this costs
 * the same few `indexOf` passes as `hasKeyTrace`.
 */
export function keyTraceOffsets(buf: Buffer, from = 0, options: { all?: boolean } = {}): number[] {
  const out: number[] = [];
  // Unless every trace is asked for (to explain each rejection), those that cannot start a key are left out here.
  const may = options.all ? () => true : (afterStem: number, form: TraceForm, skip = 0) => mayBeKeyAfterStem(buf, afterStem, form, skip);
  forEachBufferHit(buf, STEM_BYTES, 0, from, (i) => {
    const form = formAfterStem(buf[i + STEM.length]);
    if (form !== null && may(i + STEM.length, form)) out.push(i);
  });
  BASE64_NEEDLES.forEach((n, k) => {
    forEachBufferHit(buf, BASE64_NEEDLE_BYTES[k], n.head, from, (i) => {
      const group = i - n.offsetInGroup;
      if (group >= from && may(group, TraceForm.Base64, n.byteOffset + STEM.length)) out.push(i);
    });
  });
  forEachBufferHit(buf, UTF16_NEEDLE_BYTES, UTF16_NEEDLE.head, from, (i) => {
    if (may(i + UTF16_NEEDLE.full.length, TraceForm.Utf16)) out.push(i);
  });
  return out.length > 1 ? out.sort((a, b) => a - b) : out;
}

/** The base64 and UTF-16 needles as bytes (searched from their `head`-th byte on). */
const BASE64_NEEDLE_BYTES = BASE64_NEEDLES.map((n) => Buffer.from(n.full, 'latin1'));
const UTF16_NEEDLE_BYTES = Buffer.from(UTF16_NEEDLE.full, 'latin1');

/** Every needle a trace can start with, `mirra` included (in any context: a superset of the plain traces). */
const CANDIDATE_NEEDLE_BYTES: readonly ByteNeedle[] = [toBytes({ full: STEM, head: 0 }), ...TRACE_NEEDLE_BYTES];

/**
 * For many files read one after another into one buffer: reports where a needle (any of those
 * `keyTraceOffsets` looks for; `mirra` whatever follows it) starts in `buf`, needle by needle. `onHit`
 * returns where the search for that needle goes on (past the file that holds the hit: one hit is
 * enough to scan that file in full), or -1 to stop it. Every needle wholly inside a file whose start
 * a search passes is reported, so a file never reported holds no trace of a key.
 */
export function forEachTraceCandidate(buf: Buffer, onHit: (at: number) => number): void {
  for (const n of CANDIDATE_NEEDLE_BYTES) {
    const h = n.headBytes.length;
    let from = 0;
    for (let i = buf.indexOf(n.tail, from + h); i >= 0; i = buf.indexOf(n.tail, Math.max(i + 1, from + h))) {
      let ok = true;
      for (let j = 0; j < h; j++) if (buf[i - h + j] !== n.headBytes[j]) ok = false;
      if (!ok) continue;
      from = onHit(i - h);
      if (from < 0) break;
    }
  }
}

export interface DetectOptions {
  /** Collects why each key-shaped candidate was not taken (for tests and `--explain`). */
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
  const may = options.rejections ? () => true : (afterStem: number, form: TraceForm, skip = 0) => mayBeKeyAfterStem(text, afterStem, form, skip);

  forEachTextHit(text, STEM, 0, 0, (at) => {
    const next = text.charCodeAt(at + STEM.length);
    const form = formAfterStem(next);
    if (form === null || !may(at + STEM.length, form)) return;
    if (next === 95 /* _ */) {
      const m = matchPlainAt(text, at, rejectAt(at));
      if (m) push({ ...m, encoding: 'plain' });
    } else if (next === 37 /* % */) {
      decodeThen(text, at, decodeLazily((n) => decodePercent(text, at, n), 0), 'url', push, rejectAt(at));
    } else if (next === 92 /* \ */) {
      decodeThen(text, at, decodeLazily((n) => decodeEscapes(text, at, n), 0), 'escape', push, rejectAt(at));
    }
  });

  for (const needle of BASE64_NEEDLES) {
    const { offsetInGroup, byteOffset } = needle;
    forEachTextHit(text, needle.full, needle.head, 0, (at) => {
      const groupStart = at - offsetInGroup;
      if (groupStart < 0 || !allBase64(text, groupStart, at) || !may(groupStart, TraceForm.Base64, byteOffset + STEM.length)) return;
      // Decode up to two groups earlier where there are some, so the bytes before `mirra_` can be
      // checked (a glued letter, the byte before it, a 4-byte length prefix).
      let from = groupStart;
      while (from >= 4 && groupStart - from < 8 && allBase64(text, from - 4, from)) from -= 4;
      const stemAt = ((groupStart - from) / 4) * 3 + byteOffset;
      const decoded = decodeLazily((n) => decodeBase64Window(text, from, n), stemAt);
      const m = matchPlainAt(decoded.text, stemAt, rejectAt(groupStart));
      if (m) push(mapBack(m, decoded, 'base64'));
    });
  }

  forEachTextHit(text, UTF16_NEEDLE.full, UTF16_NEEDLE.head, 0, (at) => {
    if (!may(at + UTF16_NEEDLE.full.length, TraceForm.Utf16)) return;
    // Include the character before, so a word glued before `mirra_` is still seen.
    const from = at >= 2 && text.charCodeAt(at - 1) === 0 && text.charCodeAt(at - 2) !== 0 ? at - 2 : at;
    const decoded = decodeLazily((n) => decodeUtf16Window(text, from, n), (at - from) / 2);
    const m = matchPlainAt(decoded.text, (at - from) / 2, rejectAt(at));
    if (m) push(mapBack(m, decoded, 'utf16'));
  });

  return matches.sort((a, b) => a.start - b.start);
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
  let i = stemAt + KEY_PREFIX.length;
  for (const p of TYPED_PREFIXES) if (t.startsWith(p.prefix, stemAt)) i = stemAt + p.prefix.length;
  while (i < t.length && isHexCode(t.charCodeAt(i))) i++;
  return i < t.length ? quick : decode(Number.POSITIVE_INFINITY);
}

function allBase64(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isBase64Code(text.charCodeAt(i))) return false;
  return true;
}

/** How much raw text before an encoded `mirra` the filters see: enough for a `\u0022` escape. */
const BEFORE_CONTEXT = 6;

function decodeThen(
  text: string,
  at: number,
  decoded: Decoded,
  encoding: Encoding,
  push: (m: KeyMatch) => void,
  reject: (filter: string) => void,
): void {
  // The decoded window starts at `mirra`; put the raw text before it in front (as written), so the
  // glued-before filter sees the word or the escape that `mirra` follows.
  const from = Math.max(0, at - BEFORE_CONTEXT);
  const rawBefore: number[] = [];
  for (let i = from; i < at; i++) rawBefore.push(i);
  const withBefore: Decoded = { text: text.slice(from, at) + decoded.text, rawStart: [...rawBefore, ...decoded.rawStart] };
  const m = matchPlainAt(withBefore.text, at - from, reject);
  if (m) push(mapBack(m, withBefore, encoding));
}

/** A match in decoded text, moved back onto the raw text it was decoded from. */
function mapBack(m: Omit<KeyMatch, 'encoding'>, decoded: Decoded, encoding: Encoding): KeyMatch {
  const end = decoded.rawEnd ? decoded.rawEnd[m.end - 1] : decoded.rawStart[m.end];
  return { key: m.key, keyType: m.keyType, encoding, start: decoded.rawStart[m.start], end };
}

/** The key that starts at `text[at]` (which reads `mirra`), if it is one; else `reject` hears why not. */
function matchPlainAt(text: string, at: number, reject: (filter: string) => void): Omit<KeyMatch, 'encoding'> | null {
  DETECTOR_WORK.candidatesJudged++;
  if (!text.startsWith(KEY_PREFIX, at)) return null;
  let keyType: KeyType = 'untyped';
  let bodyStart = at + KEY_PREFIX.length;
  for (const t of TYPED_PREFIXES) {
    if (text.startsWith(t.prefix, at)) {
      keyType = t.keyType;
      bodyStart = at + t.prefix.length;
      break;
    }
  }
  const candidate = parseCandidate(text, at, bodyStart);
  const rejectedBy = rejectingFilter(candidate);
  if (rejectedBy) {
    reject(rejectedBy);
    return null;
  }
  return { key: text.slice(at, candidate.bodyEnd), keyType, start: at, end: candidate.bodyEnd };
}
