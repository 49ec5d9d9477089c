// The one detector: text or bytes in, key matches out. No I/O. Every scanner (files, staged, commit
// ranges, history) and the ESLint rule call it; none has a pattern of its own.

import type { Encoding, KeyType } from '../finding.js';
import { decodeBase64Window, decodeEscapes, decodePercent, decodeUtf16Window, isBase64Code, type Decoded } from './decoders.js';
import { parseCandidate, rejectingFilter } from './filters.js';
import { KEY_PREFIX, TYPED_PREFIXES } from './key-format.js';

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
  /** The candidate as written (up to the end of its hex), for explaining a miss; never output by the CLI. */
  start: number;
  filter: string;
}

/** The stem every key starts with; a text without it (or an encoded form) has no key. */
const STEM = 'mirra';

/**
 * Base64 of `mirra_` at each of the three byte alignments, and where in its 4-character group the
 * needle starts: `bWlycmFf` starts a group; `1pcnJhX` is the 3rd char of one; `taXJyYV` the 4th.
 */
const BASE64_NEEDLES: ReadonlyArray<{ needle: string; offsetInGroup: number; byteOffset: number }> = [
  { needle: 'bWlycmFf', offsetInGroup: 0, byteOffset: 0 },
  { needle: '1pcnJhX', offsetInGroup: 2, byteOffset: 1 },
  { needle: 'taXJyYV', offsetInGroup: 3, byteOffset: 2 },
];

/** `mirra` in UTF-16 (little- or big-endian: the bytes between the letters are zero either way). */
const UTF16_NEEDLE = 'm\0i\0r\0r\0a\0';

const STEM_BYTES = Buffer.from(STEM, 'latin1');
const BASE64_NEEDLE_BYTES = BASE64_NEEDLES.map((n) => Buffer.from(n.needle, 'latin1'));
const UTF16_NEEDLE_BYTES = Buffer.from(UTF16_NEEDLE, 'latin1');

/** The fast path: does the text hold any trace of a key, plain or encoded? One search per needle. */
export function hasKeyTrace(input: string | Buffer): boolean {
  if (typeof input === 'string') {
    if (input.includes(STEM)) return true;
    for (const n of BASE64_NEEDLES) if (input.includes(n.needle)) return true;
    return false;
  }
  if (input.indexOf(STEM_BYTES) >= 0) return true;
  for (const n of BASE64_NEEDLE_BYTES) if (input.indexOf(n) >= 0) return true;
  return input.indexOf(UTF16_NEEDLE_BYTES) >= 0;
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

  for (let at = text.indexOf(STEM); at >= 0; at = text.indexOf(STEM, at + 1)) {
    const next = text.charCodeAt(at + STEM.length);
    if (next === 95 /* _ */) {
      const m = matchPlainAt(text, at, options);
      if (m) push({ ...m, encoding: 'plain' });
    } else if (next === 37 /* % */) {
      decodeThen(text, at, decodePercent(text, at), 'url', push, options);
    } else if (next === 92 /* \ */) {
      decodeThen(text, at, decodeEscapes(text, at), 'escape', push, options);
    }
  }

  for (const { needle, offsetInGroup, byteOffset } of BASE64_NEEDLES) {
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      const groupStart = at - offsetInGroup;
      if (groupStart < 0 || !allBase64(text, groupStart, at)) continue;
      // Decode one group earlier where there is one, so the byte before `mirra_` can be checked.
      const from = groupStart >= 4 && allBase64(text, groupStart - 4, groupStart) ? groupStart - 4 : groupStart;
      const decoded = decodeBase64Window(text, from);
      const stemAt = (groupStart - from) / 4 * 3 + byteOffset;
      const m = matchPlainAt(decoded.text, stemAt, options);
      if (m) push(mapBack(m, decoded, 'base64', 4));
    }
  }

  for (let at = text.indexOf(UTF16_NEEDLE); at >= 0; at = text.indexOf(UTF16_NEEDLE, at + 1)) {
    // Include the character before, so a word glued before `mirra_` is still seen.
    const from = at >= 2 && text.charCodeAt(at - 1) === 0 && text.charCodeAt(at - 2) !== 0 ? at - 2 : at;
    const decoded = decodeUtf16Window(text, from);
    const m = matchPlainAt(decoded.text, (at - from) / 2, options);
    if (m) push(mapBack(m, decoded, 'utf16'));
  }

  return matches.sort((a, b) => a.start - b.start);
}

function allBase64(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isBase64Code(text.charCodeAt(i))) return false;
  return true;
}

function decodeThen(
  text: string,
  at: number,
  decoded: Decoded,
  encoding: Encoding,
  push: (m: KeyMatch) => void,
  options: DetectOptions,
): void {
  // The decoded window starts at `mirra`; put the raw character before it in front, for the glued check.
  const before = at > 0 ? text[at - 1] : ' ';
  const withBefore: Decoded = { text: before + decoded.text, rawStart: [at - 1, ...decoded.rawStart] };
  const m = matchPlainAt(withBefore.text, 1, options);
  if (m) push(mapBack(m, withBefore, encoding));
}

function mapBack(m: Omit<KeyMatch, 'encoding'>, decoded: Decoded, encoding: Encoding, groupWidth = 0): KeyMatch {
  const rawEndLimit = decoded.rawStart[decoded.rawStart.length - 1];
  const end = groupWidth
    ? Math.min(decoded.rawStart[m.end - 1] + groupWidth, rawEndLimit)
    : decoded.rawStart[m.end];
  return { key: m.key, keyType: m.keyType, encoding, start: decoded.rawStart[m.start], end };
}

/** The key that starts at `text[at]` (which reads `mirra`), if it is one. */
function matchPlainAt(text: string, at: number, options: DetectOptions): Omit<KeyMatch, 'encoding'> | null {
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
    options.rejections?.push({ start: at, filter: rejectedBy });
    return null;
  }
  return { key: text.slice(at, candidate.bodyEnd), keyType, start: at, end: candidate.bodyEnd };
}
