// How a key is written when it is not written in one piece: the readers that turn the text from a
// trace on (`mirra`, `MIRRA`, or an encoded `mirra`) into the characters it stands for, with a map
// back to the raw text. Each reads only forward from its trace and never past the longest written
// form of a key (`MAX_WRITTEN_LENGTH`), and stops at the first character a key cannot go on with.
//
// - `concatenation`: string literals joined the way languages join them (`+`, adjacent literals,
//   `.`, `..`, `||`, `<<`, `.concat(…)`, array pieces joined with `""`, a literal interpolated into
//   another (`#{'…'}`, `{'…'}`, `${'…'}`), a backslash at the end of a line);
// - `html-entity`: `&#95;`, `&#x5f;`, `&lowbar;`;
// - `quoted-printable`: `=5F`, and `=` soft line breaks;
// - `url` and `escape` (percent- and backslash-escapes) live in decoders.ts.

import type { Encoding } from '../finding.js';
import { decodeEscapes, decodePercent, decodeRun, MAX_WRITTEN_LENGTH, readBackslashEscape, WRITTEN_WORK, type Decoded, type EscapeReader } from './decoders.js';
import { isHexCode, isWordCode } from './key-format.js';

export type WrittenScheme = Extract<Encoding, 'concatenation' | 'html-entity' | 'quoted-printable' | 'url' | 'escape'>;

const isQuote = (c: number) => c === 34 /* " */ || c === 39 /* ' */ || c === 96; /* ` */
const isBlank = (c: number) => c === 32 || c === 9;
const isLineEnd = (c: number) => c === 10 || c === 13;

function readHexDigits(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(from + i);
    if (!isHexCode(c)) return -1;
    v = v * 16 + parseInt(s[from + i], 16);
  }
  return v;
}

/** `&#95;`, `&#x5f;` / `&#X5F;`, `&lowbar;`: the HTML and XML character references a key's characters take. */
const readEntity: EscapeReader = (s, at) => {
  if (s.startsWith('&lowbar;', at)) return { value: 95, length: 8 };
  if (s.charCodeAt(at + 1) !== 35 /* # */) return null;
  const hex = s.charCodeAt(at + 2) === 120 || s.charCodeAt(at + 2) === 88; /* x X */
  let i = at + (hex ? 3 : 2);
  let v = 0;
  const digitsFrom = i;
  while (i < digitsFrom + 6 && (hex ? isHexCode(s.charCodeAt(i)) : s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57)) {
    v = v * (hex ? 16 : 10) + parseInt(s[i], 16);
    i++;
  }
  if (i === digitsFrom || s.charCodeAt(i) !== 59 /* ; */ || v > 0xffff) return null;
  return { value: v, length: i + 1 - at };
};

/** `=5F` stands for `_`; `=` at the end of a line is a soft line break and stands for nothing. */
const readQuotedPrintable: EscapeReader = (s, at) => {
  const c = s.charCodeAt(at + 1);
  if (c === 10) return { value: null, length: 2 };
  if (c === 13 && s.charCodeAt(at + 2) === 10) return { value: null, length: 3 };
  const v = readHexDigits(s, at + 1, 2);
  return v < 0 ? null : { value: v, length: 3 };
};

/** How many characters of blank space, line ends and line continuations (`\` then a line end) start at `s[from]`. */
function gapAt(s: string, from: number, limit: number): number {
  let i = from;
  WRITTEN_WORK.chars++;
  while (i < limit) {
    const c = s.charCodeAt(i);
    if (isBlank(c) || isLineEnd(c)) i++;
    else if (c === 92 /* \ */ && isLineEnd(s.charCodeAt(i + 1))) i += s.charCodeAt(i + 1) === 13 && s.charCodeAt(i + 2) === 10 ? 3 : 2;
    else break;
  }
  return i - from;
}

/** The operators that join two string literals, longest first (none at all: adjacent literals). */
const JOINERS = ['.concat(', ').concat(', '||', '<<', '..', '+', '.', '&', ''];
/** Letters that may open a string literal (`f"…"`, `r'…'`, `b"…"`, `@"…"`, `$"…"`, `L"…"`, `u8"…"`). */
const isLiteralPrefix = (c: number) => c === 102 || c === 70 || c === 114 || c === 82 || c === 98 || c === 66 || c === 117 || c === 85 || c === 64 || c === 36 || c === 76 || c === 56;

/** A literal's opening quote at `s[from]`, after at most two prefix letters: where its text starts, or -1. */
function literalOpens(s: string, from: number): number {
  let i = from;
  while (i < from + 2 && isLiteralPrefix(s.charCodeAt(i))) i++;
  return isQuote(s.charCodeAt(i)) ? i + 1 : -1;
}

/**
 * Array pieces joined with nothing: `["mirra_", "…"].join("")` (JS, Ruby `.join`), `"".join([…])`
 * (Python). Asked only when a comma joins two pieces; `nextBracket` remembers where the next `]` is,
 * so that text full of traces and commas is searched once.
 */
class JoinContext {
  private bracketAt = -1;
  private bracketFrom = -1;
  constructor(private readonly s: string) {}

  /** Whether the comma at `at`, between two literals, sits in a list that is joined with no separator. */
  commaJoins(at: number, listStart: number): boolean {
    const s = this.s;
    // `"".join([` / `''.join([` / `join("", [` before the list.
    let b = listStart - 1;
    while (b >= 0 && (isBlank(s.charCodeAt(b)) || isLineEnd(s.charCodeAt(b)))) b--;
    if (s.charCodeAt(b) === 91 /* [ */) {
      let p = b - 1;
      while (p >= 0 && isBlank(s.charCodeAt(p))) p--;
      if (s.charCodeAt(p) === 40 /* ( */ && s.slice(Math.max(0, p - 8), p).endsWith('.join')) return true;
    } else return false;
    // `[…].join("")`, `[…].join('')`, `[…].join` (Ruby: no separator) after the list.
    if (this.bracketFrom < 0 || at < this.bracketFrom || (this.bracketAt >= 0 && at > this.bracketAt)) {
      this.bracketFrom = at;
      this.bracketAt = s.indexOf(']', at);
      WRITTEN_WORK.chars += (this.bracketAt < 0 ? s.length : this.bracketAt) - at;
      if (this.bracketAt > at + MAX_WRITTEN_LENGTH) this.bracketAt = -1;
    }
    const close = this.bracketAt;
    if (close < 0) return false;
    const after = s.slice(close + 1, close + 12);
    return /^\s*\.join(?:\(\s*(?:""|'')\s*\)|(?![\w(]))/.test(after);
  }
}

/**
 * Where the literal that holds `s[at]` opens (its quote), looking back over its text on this line:
 * -1 when the line holds no quote before `at` (no literal holds it, unless a template literal that
 * began on an earlier line), -2 when the text (a window or region of the content) begins, or 256
 * characters go by, before either is seen.
 */
function literalStart(s: string, at: number): number {
  let i = at;
  while (i > 0 && at - i < 256 && !isQuote(s.charCodeAt(i - 1)) && !isLineEnd(s.charCodeAt(i - 1))) i--;
  if (i > 0 && isQuote(s.charCodeAt(i - 1))) return i - 1;
  return i > 0 && isLineEnd(s.charCodeAt(i - 1)) ? -1 : -2;
}

/**
 * Reads string literals joined into one from `from` (inside the first literal): the text between
 * pieces stands for nothing. Escapes inside the pieces (`\x5f`, `\u005f`) are read as such.
 */
function concatenationReader(s: string, from: number, joins: JoinContext): EscapeReader {
  let inConcatCall = false;
  const listStart = literalStart(s, from);
  // The quote of the literal being read: only that quote ends it, and only the end of a literal can
  // join another (`'key"`, or `key"` on a line with no quote before it, is where the key ends). A key
  // on a line with no quote before it can only be in a template literal begun on an earlier line;
  // 0: the quote is not in sight (before the text or an interpolation's start): any quote ends it.
  let quote = listStart >= 0 ? s.charCodeAt(listStart) : listStart === -1 ? 96 : 0;
  // The quotes of the literals that hold interpolated ones still open: `'…'}` ends one only where one
  // was opened (`${'…`, `#{'…`, `{'…`), here or just before the key's own literal (whose outer quote
  // is out of sight: 0); a `'}` after a key that no interpolation holds is where the key ends.
  const outerQuotes: number[] = listStart >= 0 && opensInterpolation(s, listStart) ? [0] : [];
  const afterQuote = (at: number) => {
    const c = s.charCodeAt(at);
    if (quote !== 0 && c !== quote) return null;
    const limit = Math.min(s.length, at + 256);
    // The end of an interpolated literal: `'…'}` (`#{'…'}`, `{'…'}`, `${'…'}`).
    let i = at + 1;
    while (i < limit && isBlank(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) === 125 /* } */) {
      if (outerQuotes.length === 0) return null;
      quote = outerQuotes.pop()!;
      return { value: null, length: i + 1 - at };
    }
    i = at + 1 + gapAt(s, at + 1, limit);
    WRITTEN_WORK.chars += i - at;
    for (const op of JOINERS) {
      if (op !== '' && !s.startsWith(op, i)) continue;
      let j = i + op.length;
      if (op === '' && s.charCodeAt(j) === 44 /* , */) {
        // A list of pieces: joined only in a call that joins them with nothing (or `.concat(a, b)`).
        if (!inConcatCall && !(listStart >= 0 && joins.commaJoins(j, listStart))) return null;
        j++;
      }
      j += gapAt(s, j, limit);
      const opens = literalOpens(s, j);
      if (opens < 0) continue;
      // Adjacent literals join as in Python and C (the same quote, any blank between) and the shell
      // (`"…"'…'`, nothing between); a template literal never stands next to another.
      if (op === '' && !adjacentJoin(c, s.charCodeAt(opens - 1), j === at + 1)) return null;
      // A quote that is never closed again opens no literal (`key""0` at the end of the text).
      if (!literalCloses(s, opens, s.charCodeAt(opens - 1))) return null;
      if (op.endsWith('concat(')) inConcatCall = true;
      quote = s.charCodeAt(opens - 1);
      return { value: null, length: opens - at };
    }
    return null;
  };
  return (_s, at) => {
    const c = s.charCodeAt(at);
    if (isQuote(c)) return afterQuote(at);
    if (c === 92 /* \ */) {
      const n = s.charCodeAt(at + 1);
      if (isLineEnd(n)) return { value: null, length: n === 13 && s.charCodeAt(at + 2) === 10 ? 3 : 2 };
      return readBackslashEscape(s, at);
    }
    // The start of a literal interpolated into this one: `#{'`, `${'`, `{'`.
    let i = at;
    if (c === 35 /* # */ || c === 36 /* $ */) i++;
    if (s.charCodeAt(i) !== 123 /* { */) return null;
    i++;
    while (i < at + 8 && isBlank(s.charCodeAt(i))) i++;
    if (!isQuote(s.charCodeAt(i))) return null;
    outerQuotes.push(quote);
    quote = s.charCodeAt(i);
    return { value: null, length: i + 1 - at };
  };
}

/**
 * Whether the literal whose text starts at `from` is closed by `quote` within the longest written key
 * (on its line, but for a template literal). Stops at the first such quote: the work is at most the
 * length of the piece that follows.
 */
function literalCloses(s: string, from: number, quote: number): boolean {
  const limit = Math.min(s.length, from + MAX_WRITTEN_LENGTH);
  let i = from;
  let closed = false;
  for (; i < limit; i++) {
    const c = s.charCodeAt(i);
    if (c === quote) {
      closed = true;
      break;
    }
    if (c === 92 /* \ */) i++;
    else if (quote !== 96 && isLineEnd(c)) break;
  }
  WRITTEN_WORK.chars += i - from;
  return closed;
}

/** Whether the literal whose quote is at `quote` is interpolated into another: `{`, `${` or `#{` (blanks allowed) just before it. */
function opensInterpolation(s: string, quote: number): boolean {
  let i = quote - 1;
  while (i >= 0 && quote - i < 8 && isBlank(s.charCodeAt(i))) i--;
  return s.charCodeAt(i) === 123 /* { */;
}

function adjacentJoin(closing: number, opening: number, touching: boolean): boolean {
  if (closing === 96 || opening === 96) return false;
  return closing === opening || touching;
}

const isConcatenationStart = (c: number) => isQuote(c) || c === 92 || c === 35 || c === 36 || c === 123;

/** Decodes `scheme` from `from` on: at most `enough` characters. */
export function decodeWritten(scheme: WrittenScheme, s: string, from: number, enough: number, joins: JoinContext): Decoded {
  switch (scheme) {
    case 'url':
      return decodePercent(s, from, enough);
    case 'escape':
      return decodeEscapes(s, from, enough);
    case 'html-entity':
      return decodeRun(s, from, 38 /* & */, readEntity, isWordCode, enough);
    case 'quoted-printable':
      return decodeRun(s, from, 61 /* = */, readQuotedPrintable, isWordCode, enough);
    case 'concatenation':
      return decodeRun(s, from, isConcatenationStart, concatenationReader(s, from, joins), isWordCode, enough);
  }
}

export { JoinContext };

/**
 * After the word that starts at a trace (`mirra_scri`, `MIRRA`), the character that stops it tells
 * how the key goes on, if it is written any way but plainly: the scheme to read it with, or null.
 */
export function schemeAt(s: string, at: number): WrittenScheme | null {
  const c = s.charCodeAt(at);
  const n = s.charCodeAt(at + 1);
  switch (c) {
    case 37 /* % */:
      return isHexCode(n) && isHexCode(s.charCodeAt(at + 2)) ? 'url' : null;
    case 92 /* \ */:
      if (n === 120 /* x */ || n === 117 /* u */) return 'escape';
      return isLineEnd(n) ? 'concatenation' : null;
    case 38 /* & */:
      return n === 35 /* # */ || s.startsWith('&lowbar;', at) ? 'html-entity' : null;
    case 61 /* = */:
      return isLineEnd(n) || (isHexCode(n) && isHexCode(s.charCodeAt(at + 2))) ? 'quoted-printable' : null;
    case 34:
    case 39:
    case 96:
      return 'concatenation';
    case 35 /* # */:
    case 36 /* $ */:
      return n === 123 ? 'concatenation' : null;
    case 123 /* { */:
      return 'concatenation';
    default:
      return null;
  }
}

/** The encoded forms of `r` a trace of an encoded `mirra` is searched for: the hex `72` of every escape, and `&#114;`. */
export const ENCODED_R_NEEDLES = ['72', '&#114;'] as const;

/**
 * Cheap first look at a `72` hit (`c0`, `c1`: the two characters after it): an escaped `r` of an
 * encoded stem goes on with the next escape (`72\x`, `72\u`, `72%6`/`72%7`, `72}\`, `72;&`), which
 * numbers in code (`= 72;`, `0x72}`, `72%`) seldom do.
 */
export function mayBeEncodedR(c0: number, c1: number): boolean {
  switch (c0) {
    case 92 /* \ */:
      return c1 === 120 || c1 === 117; /* x u */
    case 37 /* % */:
      return c1 === 54 || c1 === 55; /* 6 7 */
    case 125 /* } */:
      return c1 === 92;
    case 59 /* ; */:
      return c1 === 38; /* & */
    default:
      return false;
  }
}

/** The schemes `mirra` itself can be encoded in, and the character each escape starts with. */
const STEM_SCHEMES: ReadonlyArray<{ scheme: WrittenScheme; start: number }> = [
  { scheme: 'escape', start: 92 },
  { scheme: 'url', start: 37 },
  { scheme: 'html-entity', start: 38 },
];

/** How far before an encoded `rr` its `mi` can start: two escapes of up to 8 characters (`\u{0069}`). */
const STEM_REACH = 18;

/**
 * At a hit of an encoded `r` (`s[hit]` starts `72` or `&#114;`): where the `mirra` it belongs to starts
 * and in which scheme it is written, if `mirra` is written there with its `rr` escaped (every letter
 * escaped, or a mixture of escapes and plain letters). Bounded work per hit.
 */
export function encodedStemAt(s: string, hit: number): { start: number; scheme: WrittenScheme } | null {
  WRITTEN_WORK.chars += STEM_REACH;
  for (let q = Math.max(0, hit - STEM_REACH); q < hit; q++) {
    const c = s.charCodeAt(q);
    if (c !== 109 /* m */ && !startsEscapedM(s, q, c)) continue;
    for (const { scheme, start } of STEM_SCHEMES) {
      if (c !== start && c !== 109 /* m */) continue;
      const d = decodeWritten(scheme, s, q, 5, NO_JOINS);
      if (d.text === 'mirra' && d.rawStart[2] <= hit && hit < d.rawStart[4]) return { start: q, scheme };
    }
  }
  return null;
}

const NO_JOINS = new JoinContext('');

/** Whether an escape of `m` starts at `s[q]` (`c` is its first character): `\x6d`, `\u006d`, `\u{6d}`, `%6d`, `&#109;`, `&#x6d;`. */
function startsEscapedM(s: string, q: number, c: number): boolean {
  if (c === 92) return readBackslashEscape(s, q)?.value === 109;
  if (c === 37) return readHexDigits(s, q + 1, 2) === 109;
  return c === 38 && readEntity(s, q)?.value === 109;
}
