// Local decoders: each turns a short stretch of encoded text that starts near a hit into plain
// text, with a map from every decoded character back to where it came from. They never decode a
// whole file, only the window a key could fill.

import { MAX_ENCODED_KEY_LENGTH, MAX_KEY_LENGTH } from './key-format.js';

export interface Decoded {
  /** The decoded text (one char per byte for byte-oriented encodings). */
  text: string;
  /** `rawStart[i]` is where decoded char i begins in the raw text; one extra entry holds the end. */
  rawStart: number[];
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

/** `mirra%5F…`: percent-escapes and the characters a URL leaves alone. */
export function decodePercent(s: string, from: number): Decoded {
  const out: string[] = [];
  const rawStart: number[] = [];
  let i = from;
  const limit = Math.min(s.length, from + MAX_ENCODED_KEY_LENGTH);
  while (i < limit) {
    const c = s.charCodeAt(i);
    if (c === 37 /* % */) {
      const v = readHex(s, i + 1, 2);
      if (v < 0) break;
      out.push(String.fromCharCode(v));
      rawStart.push(i);
      i += 3;
    } else if (isAlnum(c) || c === 95 || c === 45 || c === 46 || c === 126) {
      out.push(s[i]);
      rawStart.push(i);
      i += 1;
    } else break;
  }
  rawStart.push(i);
  return { text: out.join(''), rawStart };
}

/** `mirra\u005f…`, `mirra\x5f…`, `\u{5f}`: the escapes of JS, JSON, Python and C-like sources. */
export function decodeEscapes(s: string, from: number): Decoded {
  const out: string[] = [];
  const rawStart: number[] = [];
  let i = from;
  const limit = Math.min(s.length, from + MAX_ENCODED_KEY_LENGTH);
  while (i < limit) {
    const c = s.charCodeAt(i);
    if (c === 92 /* \ */) {
      const kind = s[i + 1];
      let v = -1;
      let len = 0;
      if (kind === 'x') {
        v = readHex(s, i + 2, 2);
        len = 4;
      } else if (kind === 'u' && s[i + 2] === '{') {
        const close = s.indexOf('}', i + 3);
        if (close > i + 3 && close - i <= 10) {
          v = readHex(s, i + 3, close - i - 3);
          len = close - i + 1;
        }
      } else if (kind === 'u') {
        v = readHex(s, i + 2, 4);
        len = 6;
      }
      if (v < 0 || v > 0xffff) break;
      out.push(String.fromCharCode(v));
      rawStart.push(i);
      i += len;
    } else if (isAlnum(c) || c === 95) {
      out.push(s[i]);
      rawStart.push(i);
      i += 1;
    } else break;
  }
  rawStart.push(i);
  return { text: out.join(''), rawStart };
}

/** ASCII written as UTF-16 inside bytes read one per char: take every other byte while its partner is 0. */
export function decodeUtf16Window(s: string, from: number): Decoded {
  const out: string[] = [];
  const rawStart: number[] = [];
  let i = from;
  const limit = Math.min(s.length - 1, from + MAX_KEY_LENGTH * 2 + 8);
  while (i < limit && s.charCodeAt(i + 1) === 0 && s.charCodeAt(i) !== 0 && s.charCodeAt(i) < 128) {
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

/**
 * Base64 (standard or URL-safe) from `groupStart`, which must sit on a 4-character group boundary,
 * for as many groups as a key needs. Returns bytes as chars; `rawStart` maps each byte to the start
 * of the group it came from.
 */
export function decodeBase64Window(s: string, groupStart: number): Decoded {
  const out: string[] = [];
  const rawStart: number[] = [];
  const limit = Math.min(s.length, groupStart + Math.ceil((MAX_KEY_LENGTH + 6) / 3) * 4 + 8);
  let i = groupStart;
  while (i < limit) {
    let bits = 0;
    let n = 0;
    while (n < 4 && i + n < s.length) {
      const c = s.charCodeAt(i + n);
      if (!isBase64Code(c)) break;
      bits = (bits << 6) | B64_VALUE[c];
      n++;
    }
    if (n < 2) break;
    const bytes = n - 1; // 4 chars give 3 bytes, 3 give 2, 2 give 1
    bits <<= 6 * (4 - n);
    for (let b = 0; b < bytes; b++) {
      out.push(String.fromCharCode((bits >> (16 - 8 * b)) & 255));
      rawStart.push(i);
    }
    i += n;
    if (n < 4) break;
  }
  rawStart.push(i);
  return { text: out.join(''), rawStart };
}
