// Local decoders: each turns a short stretch of encoded text that starts near a hit into plain
// text, with a map from every decoded character back to where it came from. They never decode a
// whole file, only the window a key could fill.

import { MAX_ENCODED_KEY_LENGTH, MAX_KEY_LENGTH } from './key-format.js';

/** Decoded text enough to judge any key: its longest form, plus what the filters look at after it. */
export const DECODED_WINDOW = MAX_KEY_LENGTH + 16;

export interface Decoded {
  /** The decoded text (one char per byte for byte-oriented encodings). */
  text: string;
  /** `rawStart[i]` is where decoded char i begins in the raw text; one extra entry holds the end. */
  rawStart: number[];
  /** `rawEnd[i]` is where the raw text of decoded char i ends, where chars share raw text (base64 groups). */
  rawEnd?: number[];
}

const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const hexVal = (c: number) => (c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1);

function readHex(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const h = hexVal(s.charCodeAt(from + i));
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

/**
 * The escape at `s[at]`: the character it stands for (null for text that stands for nothing, such as
 * a soft line break or the quotes and `+` between two string literals) and how many raw characters
 * it takes; or null when `s[at]` starts no escape.
 */
export type EscapeReader = (s: string, at: number) => { value: number | null; length: number } | null;

/** The longest raw text any decoder reads from its start: a key written with every character escaped, and the joins between pieces. */
export const MAX_WRITTEN_LENGTH = MAX_ENCODED_KEY_LENGTH + 1024;

/**
 * Characters the readers of written forms have looked at, summed over every call: tests of hostile
 * input check that it grows in proportion to the input (a count, not a clock, so a busy machine
 * cannot decide the result). Counting costs one addition per read.
 */
export const WRITTEN_WORK = { chars: 0 };

/** A run of plain characters and escapes from `from`, decoded, as far as a key could reach. */
export function decodeRun(s: string, from: number, escapeCode: number | ((c: number) => boolean), readEscape: EscapeReader, isPlain: (c: number) => boolean, enough: number): Decoded {
  const out: string[] = [];
  const rawStart: number[] = [];
  const rawEnd: number[] = [];
  let i = from;
  const limit = Math.min(s.length, from + MAX_WRITTEN_LENGTH);
  const isEscape = typeof escapeCode === 'number' ? (c: number) => c === escapeCode : escapeCode;
  while (i < limit && out.length < enough) {
    const c = s.charCodeAt(i);
    if (isPlain(c)) {
      out.push(s[i]);
      rawStart.push(i);
      rawEnd.push(i + 1);
      i += 1;
    } else if (isEscape(c)) {
      const escape = readEscape(s, i);
      if (!escape) break;
      if (escape.value !== null) {
        out.push(String.fromCharCode(escape.value));
        rawStart.push(i);
        rawEnd.push(i + escape.length);
      }
      i += escape.length;
    } else break;
  }
  rawStart.push(i);
  WRITTEN_WORK.chars += i - from + 1;
  return { text: out.join(''), rawStart, rawEnd };
}

const readPercentEscape: EscapeReader = (s, at) => {
  const v = readHex(s, at + 1, 2);
  return v < 0 ? null : { value: v, length: 3 };
};

/** `\xHH`, `\uHHHH`, `\u{H…}`. */
export const readBackslashEscape: EscapeReader = (s, at) => {
  const kind = s[at + 1];
  let v = -1;
  let length = 0;
  if (kind === 'x') {
    v = readHex(s, at + 2, 2);
    length = 4;
  } else if (kind === 'u' && s[at + 2] === '{') {
    const close = s.indexOf('}', at + 3);
    if (close > at + 3 && close - at <= 10) {
      v = readHex(s, at + 3, close - at - 3);
      length = close - at + 1;
    }
  } else if (kind === 'u') {
    v = readHex(s, at + 2, 4);
    length = 6;
  }
  return v < 0 || v > 0xffff ? null : { value: v, length };
};

/** The characters a URL leaves unescaped. */
const isUrlPlain = (c: number) => isAlnum(c) || c === 95 || c === 45 || c === 46 || c === 126;
const isWordChar = (c: number) => isAlnum(c) || c === 95;

/** `mirra%5F…`: percent-escapes and the characters a URL leaves alone. */
export function decodePercent(s: string, from: number, enough = DECODED_WINDOW): Decoded {
  return decodeRun(s, from, 37 /* % */, readPercentEscape, isUrlPlain, enough);
}

/** `mirra\u005f…`, `mirra\x5f…`, `\u{5f}`: the escapes of JS, JSON, Python and C-like sources. */
export function decodeEscapes(s: string, from: number, enough = DECODED_WINDOW): Decoded {
  return decodeRun(s, from, 92 /* \ */, readBackslashEscape, isWordChar, enough);
}

/** ASCII written as UTF-16 inside bytes read one per char: take every other byte while its partner is 0. */
export function decodeUtf16Window(s: string, from: number, enough = DECODED_WINDOW): Decoded {
  const out: string[] = [];
  const rawStart: number[] = [];
  let i = from;
  const limit = Math.min(s.length - 1, from + MAX_KEY_LENGTH * 2 + 8);
  while (i < limit && out.length < enough && s.charCodeAt(i + 1) === 0 && s.charCodeAt(i) !== 0 && s.charCodeAt(i) < 128) {
    out.push(s[i]);
    rawStart.push(i);
    i += 2;
  }
  rawStart.push(i);
  return { text: out.join(''), rawStart };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64_VALUE = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_VALUE[B64.charCodeAt(i)] = i;
B64_VALUE[43] = 62; // +
B64_VALUE[47] = 63; // /
B64_VALUE[45] = 62; // - (URL-safe)
B64_VALUE[95] = 63; // _ (URL-safe)

export const isBase64Code = (c: number) => c < 128 && B64_VALUE[c] >= 0;

/** How many bytes the base64 decoder produces at most: a whole key, the group before it, one byte after. */
const BASE64_WINDOW_BYTES = MAX_KEY_LENGTH + 9;
/** A line of a wrapped blob is at least this long, and is looked at up to this many characters. */
const WRAPPED_LINE_MIN = 16;
const WRAPPED_LINE_SCAN = 1024;

/**
 * Base64 (standard or URL-safe) from `groupStart`, which must sit on a 4-character group boundary,
 * for as many groups as a key needs. Returns bytes as chars; `rawStart` / `rawEnd` map each byte to
 * the raw text of the group it came from. A blob wrapped over lines (MIME, PEM, `base64` output) is
 * read across its line breaks (see `wrappedBlobContinues`).
 */
export function decodeBase64Window(s: string, groupStart: number, enough = BASE64_WINDOW_BYTES): Decoded {
  const out: string[] = [];
  const rawStart: number[] = [];
  const rawEnd: number[] = [];
  let i = groupStart;
  while (out.length < Math.min(enough, BASE64_WINDOW_BYTES)) {
    let bits = 0;
    let n = 0;
    let first = i;
    while (n < 4 && i < s.length) {
      const c = s.charCodeAt(i);
      if (isBase64Code(c)) {
        if (n === 0) first = i;
        bits = (bits << 6) | B64_VALUE[c];
        n++;
        i++;
        continue;
      }
      const resume = c === 10 || c === 13 ? wrappedBlobContinues(s, i) : -1;
      if (resume < 0) break;
      i = resume;
    }
    if (n < 2) break;
    const bytes = n - 1; // 4 chars give 3 bytes, 3 give 2, 2 give 1
    bits <<= 6 * (4 - n);
    if (n < 4) while (i < s.length && s.charCodeAt(i) === 61 /* = */ && (i - first) % 4 !== 0) i++; // the group's padding
    for (let b = 0; b < bytes; b++) {
      out.push(String.fromCharCode((bits >> (16 - 8 * b)) & 255));
      rawStart.push(first);
      rawEnd.push(i);
    }
    if (n < 4) break;
  }
  WRITTEN_WORK.chars += i - groupStart + 1;
  rawStart.push(i);
  return { text: out.join(''), rawStart, rawEnd };
}

/**
 * At a line break inside base64 (`s[at]` is CR or LF): where the blob goes on, if it is a blob wrapped
 * over lines, else -1. It is one when the line before is nothing but base64 (at least 16 characters,
 * after any indentation) and so is the next line, up to its end or its `=` padding.
 */
export function wrappedBlobContinues(s: string, at: number): number {
  // The line before: base64 from its start (after indentation) up to `at`.
  let i = at - 1;
  const floor = Math.max(0, at - WRAPPED_LINE_SCAN);
  while (i >= floor && isBase64Code(s.charCodeAt(i))) i--;
  if (at - 1 - i < WRAPPED_LINE_MIN) return -1;
  while (i >= floor && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i--;
  if (i >= 0 && s.charCodeAt(i) !== 10) return -1;
  // The break itself, then the next line's indentation.
  let j = at;
  if (s.charCodeAt(j) === 13) j++;
  if (s.charCodeAt(j) === 10) j++;
  while (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9) j++;
  const resume = j;
  const limit = Math.min(s.length, j + WRAPPED_LINE_SCAN);
  while (j < limit && isBase64Code(s.charCodeAt(j))) j++;
  if (j === resume) return -1;
  while (j < limit && s.charCodeAt(j) === 61 /* = */) j++;
  if (j < limit && s.charCodeAt(j) !== 10 && s.charCodeAt(j) !== 13) return -1;
  return resume;
}

/**
 * Where the base64 character `n` base64 characters before `s[at]` (itself one) is, stepping back over
 * a wrapped line break (see `wrappedBlobContinues`); -1 when the blob does not reach that far.
 */
export function base64Back(s: string, at: number, n: number): number {
  let i = at;
  for (let k = 0; k < n; k++) {
    let j = i - 1;
    if (j >= 0 && isBase64Code(s.charCodeAt(j))) {
      i = j;
      continue;
    }
    while (j >= 0 && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9)) j--;
    if (j < 0 || s.charCodeAt(j) !== 10) return -1;
    const lineBreak = j > 0 && s.charCodeAt(j - 1) === 13 ? j - 1 : j;
    if (wrappedBlobContinues(s, lineBreak) !== i) return -1;
    i = lineBreak - 1;
  }
  return i;
}

/** The `n` base64 characters from `s[from]` on, read across wrapped line breaks; null where the blob ends first. */
export function base64Forward(s: string, from: number, n: number): string | null {
  let out = '';
  let i = from;
  while (out.length < n) {
    if (i >= s.length) return null;
    const c = s.charCodeAt(i);
    if (isBase64Code(c)) {
      out += s[i++];
      continue;
    }
    const resume = c === 10 || c === 13 ? wrappedBlobContinues(s, i) : -1;
    if (resume < 0) return null;
    i = resume;
  }
  return out;
}
