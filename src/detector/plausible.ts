// The cheap look every trace of a key gets before the detector judges it in full: hostile text made
// of nothing but traces (`mirra_mirra_…`, `mirra%5Fmirra%5F…`, base64 of `mirra_` repeated) must cost
// about what plain text costs. A trace is dropped here only when no reading of it can be a key: the
// characters after its prefix are too few hex digits and then something that ends every key (a
// letter that is not hex, `_`, whitespace), or more hex digits than any key has. Anything else (a
// quote, an escape, the end of the text) may go on as a key and is judged in full, so no key is lost.

import { isHexCode, MAX_KEY_LENGTH, MIN_KEY_LENGTH, TYPED_PREFIXES, KEY_PREFIX } from './key-format.js';

/** How a trace is written, which decides how the characters after `mirra` are read. */
export const TraceForm = { Plain: 0, Percent: 1, Escape: 2, Base64: 3, Utf16: 4 } as const;
export type TraceForm = (typeof TraceForm)[keyof typeof TraceForm];

/** The form of a trace `mirra` followed by `c` (`_`, `%`, `\`), or null when `c` starts no key. */
export function formAfterStem(c: number): TraceForm | null {
  return c === 95 ? TraceForm.Plain : c === 37 ? TraceForm.Percent : c === 92 ? TraceForm.Escape : null;
}

/** Text searched by the detector: bytes, or a string (one char per byte, or decoded text). */
type Source = Buffer | string;

/** The code unit at `i` (a byte, or a char); -1 past the end. */
function codeAt(src: Source, i: number): number {
  if (i >= src.length) return -1;
  return typeof src === 'string' ? src.charCodeAt(i) : src[i];
}

/** The shortest body any key has after its prefix (the longest prefix leaves the least). */
const MIN_BODY = MIN_KEY_LENGTH - Math.max(KEY_PREFIX.length, ...TYPED_PREFIXES.map((t) => t.prefix.length));
const MAX_BODY = MAX_KEY_LENGTH - KEY_PREFIX.length;
/** Typed prefixes after `mirra_`, as the letters that follow it (`script_`, …). */
const TYPED_TAILS = TYPED_PREFIXES.map((t) => t.prefix.slice(KEY_PREFIX.length));

/** A letter in lower case (a key shouted in upper case, `MIRRA_SCRIPT_…`, has the same prefixes). */
const lower = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);

/** A character that ends any key for good: a letter or digit that is not hex, `_`, or whitespace. */
function endsEveryKey(c: number): boolean {
  if (c === 95 || c === 32 || c === 9 || c === 10 || c === 13) return true;
  return ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) && !isHexCode(c);
}

const hexValue = (c: number) => (c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1);
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_VALUE[B64.charCodeAt(i)] = i;
B64_VALUE[45] = 62; // - (URL-safe)
B64_VALUE[95] = 63; // _ (URL-safe)

/**
 * Decodes one character at a time from a raw position: `next()` gives the next decoded code, -1 at
 * something it cannot decode (then `stop` is that raw code, -1 at the end of the text).
 */
class CharReader {
  stop = -1;
  private bits = 0;
  private pending = 0;

  constructor(
    private readonly src: Source,
    private at: number,
    private readonly form: TraceForm,
  ) {}

  private code(i: number): number {
    return codeAt(this.src, i);
  }

  /** Skips `n` decoded bytes of base64 (the reader is at a group's start): whole groups are stepped over unread. */
  skipBase64(n: number): void {
    this.at += 4 * Math.floor(n / 3);
    for (let k = n % 3; k > 0; k--) this.next();
  }

  next(): number {
    const c = this.code(this.at);
    this.stop = c;
    if (c < 0) return -1;
    switch (this.form) {
      case TraceForm.Plain:
        this.at++;
        return c;
      case TraceForm.Utf16: {
        if (this.code(this.at + 1) !== 0 || c === 0) return -1;
        this.at += 2;
        return c;
      }
      case TraceForm.Percent: {
        if (c !== 37) return this.plainOr(c);
        const v = (hexValue(this.code(this.at + 1)) << 4) | hexValue(this.code(this.at + 2));
        if (v < 0 || hexValue(this.code(this.at + 1)) < 0 || hexValue(this.code(this.at + 2)) < 0) return -1;
        this.at += 3;
        return v;
      }
      case TraceForm.Escape: {
        if (c !== 92) return this.plainOr(c);
        const kind = this.code(this.at + 1);
        const digits = kind === 120 /* x */ ? 2 : kind === 117 /* u */ && this.code(this.at + 2) !== 123 /* { */ ? 4 : 0;
        if (digits === 0) return -1; // `\u{…}`, `\n`, …: judged in full
        let v = 0;
        for (let k = 0; k < digits; k++) {
          const h = hexValue(this.code(this.at + 2 + k));
          if (h < 0) return -1;
          v = v * 16 + h;
        }
        this.at += 2 + digits;
        return v;
      }
      case TraceForm.Base64: {
        if (this.pending === 0) {
          // One whole group of four; anything else (a line break in a wrapped blob, padding) stops here.
          let bits = 0;
          for (let k = 0; k < 4; k++) {
            const d = this.code(this.at + k);
            const v = d >= 0 && d < 128 ? B64_VALUE[d] : -1;
            if (v < 0) {
              this.stop = -1;
              return -1;
            }
            bits = (bits << 6) | v;
          }
          this.at += 4;
          this.bits = bits;
          this.pending = 3;
        }
        this.pending--;
        return (this.bits >> (8 * this.pending)) & 255;
      }
    }
  }

  /** A character written as itself between escapes. */
  private plainOr(c: number): number {
    this.at++;
    return c;
  }
}

/**
 * Whether the trace whose stem (`mirra`, written in `form`) ends at raw position `afterStem` may be
 * a key. False only when no reading of what follows can make one. For base64, `afterStem` is the
 * start of a 4-character group and `skipBytes` the decoded bytes before the `_`.
 */
export function mayBeKeyAfterStem(src: Source, afterStem: number, form: TraceForm, skipBytes = 0): boolean {
  if (form === TraceForm.Plain) return mayBeKeyWrittenPlainly(src, afterStem + 1);
  if (firstAfterPrefix(src, afterStem, form, skipBytes) === ENDS_EVERY_KEY) return false;
  const r = new CharReader(src, afterStem, form);
  if (skipBytes > 0) r.skipBase64(skipBytes);
  let c = r.next();
  if (c !== 95 /* _ */) return c < 0;
  c = r.next();
  // A typed prefix (`script_`, …): read past it; a word that only starts like one is no key.
  for (const tail of TYPED_TAILS) {
    if (lower(c) !== tail.charCodeAt(0)) continue;
    for (let k = 1; k < tail.length; k++) {
      c = r.next();
      // Cut short by something else than a word (a quote and another piece, an escape): judged in full.
      if (lower(c) !== tail.charCodeAt(k)) return c < 0 ? r.stop < 0 || !endsEveryKey(r.stop) : !endsEveryKey(c);
    }
    c = r.next();
    break;
  }
  let run = 0;
  while (c >= 0 && isHexCode(c) && run <= MAX_BODY) {
    run++;
    c = r.next();
  }
  if (run > MAX_BODY) return false;
  if (run >= MIN_BODY) return true;
  // Too short so far: a key only if it goes on in some other way (a quote and another piece, an escape).
  if (c >= 0) return !endsEveryKey(c) && !(c === 36 /* $ */ && endsTemplate(r));
  return r.stop < 0 || !endsEveryKey(r.stop);
}

const ENDS_EVERY_KEY = -2;

/**
 * The quick look for an encoded trace (hostile text repeats them by the million): the character
 * right after an encoded `mirra_` when it is written plainly or is a whole base64 group away, as
 * ENDS_EVERY_KEY if it ends every key (and cannot start `script_`, …); else -1 (look further).
 */
function firstAfterPrefix(src: Source, afterStem: number, form: TraceForm, skipBytes: number): number {
  let c = -1;
  if (typeof src !== 'string' && (form === TraceForm.Percent || form === TraceForm.Escape)) return endsEveryKeyRightAfter(src, afterStem, form) ? ENDS_EVERY_KEY : -1;
  if (form === TraceForm.Percent) {
    if (codeAt(src, afterStem + 1) === 53 /* 5 */ && (codeAt(src, afterStem + 2) | 32) === 102 /* f */) c = codeAt(src, afterStem + 3);
  } else if (form === TraceForm.Escape) {
    if (codeAt(src, afterStem + 1) === 120 /* x */ && codeAt(src, afterStem + 2) === 53 && (codeAt(src, afterStem + 3) | 32) === 102) c = codeAt(src, afterStem + 4);
    else if (codeAt(src, afterStem + 1) === 117 /* u */ && codeAt(src, afterStem + 2) === 48 && codeAt(src, afterStem + 3) === 48 && codeAt(src, afterStem + 4) === 53 && (codeAt(src, afterStem + 5) | 32) === 102) {
      c = codeAt(src, afterStem + 6);
    }
  } else if (form === TraceForm.Base64) {
    if (typeof src !== 'string') return base64EndsEveryKey(src, afterStem, skipBytes) ? ENDS_EVERY_KEY : -1;
    // Bytes [skipBytes, skipBytes + 1] are `_` and the byte after it; decode the group of the latter.
    const byte = skipBytes + 1;
    const g = afterStem + 4 * Math.floor(byte / 3);
    if (g + 4 > src.length) return -1;
    let bits = 0;
    // Hostile text repeats this millions of times: the four characters read without a helper.
    for (let k = 0; k < 4; k++) {
      const d = src.charCodeAt(g + k);
      const v = d < 128 ? B64_VALUE[d] : -1;
      if (v < 0) return -1;
      bits = (bits << 6) | v;
    }
    c = (bits >> (8 * (2 - (byte % 3)))) & 255;
  }
  return endsEveryKeyAfterPrefix(c) ? ENDS_EVERY_KEY : -1;
}

/**
 * The quick look for a trace in bytes whose `_` is written plainly (`mirra_`), as `%5F`, `\x5f` or
 * `\u005f` (`afterStem`: where that `_` or its escape starts; `form` as `formAfterStem` reads the byte
 * there): whether the byte right after it ends every key. Read without a helper per byte (hostile
 * text holds millions of such traces); false when it cannot tell (another escape, the end of the bytes).
 */
export function endsEveryKeyRightAfter(buf: Buffer, afterStem: number, form: TraceForm): boolean {
  return form === formAfterStem(buf[afterStem]) && endsEveryKeyAt(buf, afterUnderscore(buf, afterStem));
}

/**
 * Where the byte after the `_` that follows a stem stands, when that `_` (at `afterStem`) is written
 * plainly or as `%5F`, `\x5f` or `\u005f` (hex digits in either case); -1 when it is anything else.
 * The bytes it steps over hold no `m` or `M`, so no stem starts among them.
 */
export function afterUnderscore(buf: Buffer, afterStem: number): number {
  const c = buf[afterStem];
  if (c === 95 /* _ */) return afterStem + 1;
  if (c === 37 /* % */) return buf[afterStem + 1] === 53 /* 5 */ && (buf[afterStem + 2] | 32) === 102 /* f */ ? afterStem + 3 : -1;
  if (c !== 92 /* \ */) return -1;
  const kind = buf[afterStem + 1];
  if (kind === 120 /* x */) return buf[afterStem + 2] === 53 && (buf[afterStem + 3] | 32) === 102 ? afterStem + 4 : -1;
  if (kind === 117 /* u */ && buf[afterStem + 2] === 48 && buf[afterStem + 3] === 48 && buf[afterStem + 4] === 53 && (buf[afterStem + 5] | 32) === 102) return afterStem + 6;
  return -1;
}

/** Whether the byte at `at` (from `afterUnderscore`: right after a key's `mirra_`) ends every key; false for -1 and at the end of the bytes. */
export function endsEveryKeyAt(buf: Buffer, at: number): boolean {
  if (at < 0 || at >= buf.length) return false;
  const c = buf[at];
  // `mirra_${NAME}`: a placeholder (`${` and a raw `{` read the same in every form).
  if (c === 36 /* $ */ && buf[at + 1] === 123 /* { */ && at + 2 < buf.length && endsEveryKey(buf[at + 2])) return true;
  return ENDS_EVERY_KEY_AFTER_PREFIX[c] === 1;
}

/** `afterUnderscore` for text (one code unit a character): the same answer as for bytes holding the same characters. */
export function afterUnderscoreInText(text: string, afterStem: number): number {
  const c = text.charCodeAt(afterStem);
  if (c === 95 /* _ */) return afterStem + 1;
  if (c === 37 /* % */) return text.charCodeAt(afterStem + 1) === 53 /* 5 */ && (text.charCodeAt(afterStem + 2) | 32) === 102 /* f */ ? afterStem + 3 : -1;
  if (c !== 92 /* \ */) return -1;
  const kind = text.charCodeAt(afterStem + 1);
  if (kind === 120 /* x */) return text.charCodeAt(afterStem + 2) === 53 && (text.charCodeAt(afterStem + 3) | 32) === 102 ? afterStem + 4 : -1;
  if (kind === 117 /* u */ && text.charCodeAt(afterStem + 2) === 48 && text.charCodeAt(afterStem + 3) === 48 && text.charCodeAt(afterStem + 4) === 53 && (text.charCodeAt(afterStem + 5) | 32) === 102) return afterStem + 6;
  return -1;
}

/** `endsEveryKeyAt` for text: a character past Latin-1 ends no key here (it is judged in full). */
export function endsEveryKeyAtInText(text: string, at: number): boolean {
  if (at < 0 || at >= text.length) return false;
  const c = text.charCodeAt(at);
  if (c === 36 /* $ */ && text.charCodeAt(at + 1) === 123 /* { */ && at + 2 < text.length && endsEveryKey(text.charCodeAt(at + 2))) return true;
  return c < 256 && ENDS_EVERY_KEY_AFTER_PREFIX[c] === 1;
}

/** Whether `c`, right after a key's `mirra_`, ends every key (and cannot start `script_`, …, or an escape); false for -1. */
function endsEveryKeyAfterPrefix(c: number): boolean {
  const l = lower(c);
  if (c < 0 || l === 115 || l === 105 || l === 116 || c === 92 || c === 37) return false;
  return endsEveryKey(c);
}
/** `endsEveryKeyAfterPrefix` of each byte, as a table (hostile text asks it millions of times). */
const ENDS_EVERY_KEY_AFTER_PREFIX = new Uint8Array(256);
for (let c = 0; c < 256; c++) ENDS_EVERY_KEY_AFTER_PREFIX[c] = endsEveryKeyAfterPrefix(c) ? 1 : 0;

/**
 * The quick look of `firstAfterPrefix` for base64 in bytes, on its own so that the dense search of
 * a base64 stem (hostile text holds millions of them) runs it without a call per byte read: whether
 * the byte after `_` (the stem's group starts at `group`; `skipBytes` decoded bytes before `_`),
 * read from one whole group, ends every key.
 */
export function base64EndsEveryKey(buf: Buffer, group: number, skipBytes: number): boolean {
  const byte = skipBytes + 1;
  return base64GroupEndsEveryKey(buf, group + 4 * Math.floor(byte / 3), 8 * (2 - (byte % 3)));
}

/**
 * `base64EndsEveryKey` with the place of the byte worked out once (a dense search asks it once per
 * stem, with the same place each time): whether the byte `shift` bits from the right of the group
 * at `g` (0, 8 or 16) ends every key; false when the group is not four base64 characters.
 */
export function base64GroupEndsEveryKey(buf: Buffer, g: number, shift: number): boolean {
  if (g + 4 > buf.length) return false;
  const v0 = B64_BYTE_VALUE[buf[g]];
  const v1 = B64_BYTE_VALUE[buf[g + 1]];
  const v2 = B64_BYTE_VALUE[buf[g + 2]];
  const v3 = B64_BYTE_VALUE[buf[g + 3]];
  if ((v0 | v1 | v2 | v3) < 0) return false;
  return ENDS_EVERY_KEY_AFTER_PREFIX[(((v0 << 18) | (v1 << 12) | (v2 << 6) | v3) >> shift) & 255] === 1;
}

/** `B64_VALUE` for every byte (-1 for any byte that is no base64 character): one load per character, no range check. */
const B64_BYTE_VALUE = new Int16Array(256).fill(-1);
B64_BYTE_VALUE.set(B64_VALUE);

/** `isHexCode` of each byte, as a table. */
const HEX_BYTE = new Uint8Array(256);
for (let c = 0; c < 256; c++) HEX_BYTE[c] = isHexCode(c) ? 1 : 0;

/**
 * Where the run of hex digits in `buf` from `i` stops, at most at `end`. Eight bytes a step while
 * they are all hex (a file of prefixes and long hex runs reads nothing else), then byte by byte.
 */
function hexRunEnd(buf: Buffer, i: number, end: number): number {
  let j = i;
  while (j + 8 <= end && (HEX_BYTE[buf[j]] & HEX_BYTE[buf[j + 1]] & HEX_BYTE[buf[j + 2]] & HEX_BYTE[buf[j + 3]] & HEX_BYTE[buf[j + 4]] & HEX_BYTE[buf[j + 5]] & HEX_BYTE[buf[j + 6]] & HEX_BYTE[buf[j + 7]]) === 1) j += 8;
  while (j < end && HEX_BYTE[buf[j]] === 1) j++;
  return j;
}

/** `mayBeKeyAfterStem` for `mirra_` written as it is (the common case, and most of hostile text): no reader, one loop. */
function mayBeKeyWrittenPlainly(src: Source, afterPrefix: number): boolean {
  let i = afterPrefix;
  const first = lower(codeAt(src, i));
  if (first === 115 || first === 105 || first === 116) {
    // s, i, t: maybe `script_`, `install_`, `test_`; a word that only starts like one is no key.
    const tail = TYPED_TAILS.find((t) => t.charCodeAt(0) === first) ?? '';
    for (let k = 1; k < tail.length; k++) {
      const c = codeAt(src, i + k);
      // Cut short by something else than a word (a quote and another piece, an escape): judged in full.
      if (lower(c) !== tail.charCodeAt(k)) return c < 0 || !endsEveryKey(c);
    }
    i += tail.length;
  }
  const end = Math.min(src.length, i + MAX_BODY + 1);
  let j = i;
  // Hostile text is long hex runs after `mirra_` by the hundred thousand: bytes are read through a table, with no check of the source's type per byte.
  if (typeof src === 'string') while (j < end && isHexCode(src.charCodeAt(j))) j++;
  else j = hexRunEnd(src, j, end);
  const run = j - i;
  if (run > MAX_BODY) return false;
  if (run >= MIN_BODY) return true;
  const c = codeAt(src, j);
  if (c < 0) return true;
  if (endsEveryKey(c)) return false;
  // `${NAME}` is a placeholder; `${"…"}` may be a piece of a key.
  return !(c === 36 /* $ */ && codeAt(src, j + 1) === 123 /* { */ && endsEveryKey(codeAt(src, j + 2)));
}

/** After `$`: `{` and a name (`${KEY}`) is a placeholder; `{` and a quote may be a piece of a key. */
function endsTemplate(r: CharReader): boolean {
  if (r.next() !== 123 /* { */) return false;
  const c = r.next();
  return c >= 0 && endsEveryKey(c);
}

/** The next start of `bytes` in `buf` at or after `from`, by one loop over the bytes (where hits come thick). */
export function nextByByte(buf: Buffer, bytes: Buffer, from: number): number {
  const first = bytes[0];
  const last = buf.length - bytes.length;
  outer: for (let j = from; j <= last; j++) {
    if (buf[j] !== first) continue;
    for (let k = 1; k < bytes.length; k++) if (buf[j + k] !== bytes[k]) continue outer;
    return j;
  }
  return -1;
}

/** After this many hits of a needle, a search that found them closer than DENSE_GAP apart on average goes on byte by byte. */
export const DENSE_CHECK = 256;
export const DENSE_GAP = 64;

/**
 * Every start of `needle` in `buf` from `from` on. The search is for the needle from its `head`-th
 * byte on (a byte rare in code, so that `indexOf` skips ahead fast), and the first `head` bytes are
 * then checked. `indexOf` per hit costs a native call (~0.1 µs), which is what plain text needs
 * (hits are rare); where hits come thick (hostile text), the rest of the buffer is searched by one
 * loop over its bytes instead, so the cost per byte stays flat.
 */
export function forEachBufferHit(buf: Buffer, needle: Buffer, head: number, from: number, onHit: (at: number) => void): void {
  const tail = head > 0 ? needle.subarray(head) : needle;
  const headMatches = (i: number) => {
    for (let k = 0; k < head; k++) if (buf[i - head + k] !== needle[k]) return false;
    return true;
  };
  let hits = 0;
  let since = from;
  for (let i = buf.indexOf(tail, from + head); i >= 0; i = buf.indexOf(tail, i + 1)) {
    if (headMatches(i)) onHit(i - head);
    if (++hits < DENSE_CHECK) continue;
    if (i - since < DENSE_CHECK * DENSE_GAP) {
      // After a hit, the next can start no sooner than the tail's shortest self-overlap allows.
      const step = selfOverlapStep(tail);
      for (let j = nextByByte(buf, tail, i + step); j >= 0; j = nextByByte(buf, tail, j + step)) if (headMatches(j)) onHit(j - head);
      return;
    }
    hits = 0;
    since = i;
  }
}

/** The least distance between two overlapping occurrences of `needle` (its length when none can overlap). */
function selfOverlapStep(needle: Uint8Array): number {
  for (let s = 1; s < needle.length; s++) {
    let borders = true;
    for (let k = 0; k + s < needle.length; k++) if (needle[k + s] !== needle[k]) borders = false;
    if (borders) return s;
  }
  return needle.length;
}

/** `forEachBufferHit` for text. */
export function forEachTextHit(text: string, needle: string, head: number, from: number, onHit: (at: number) => void): void {
  const tail = head > 0 ? needle.slice(head) : needle;
  const headText = needle.slice(0, head);
  const headMatches = (i: number) => head === 0 || (i >= head && text.startsWith(headText, i - head));
  let hits = 0;
  let since = from;
  for (let i = text.indexOf(tail, from + head); i >= 0; i = text.indexOf(tail, i + 1)) {
    if (headMatches(i)) onHit(i - head);
    if (++hits < DENSE_CHECK) continue;
    if (i - since < DENSE_CHECK * DENSE_GAP) {
      const first = tail.charCodeAt(0);
      const n = tail.length;
      const last = text.length - n;
      outer: for (let j = i + 1; j <= last; j++) {
        if (text.charCodeAt(j) !== first) continue;
        for (let k = 1; k < n; k++) if (text.charCodeAt(j + k) !== tail.charCodeAt(k)) continue outer;
        if (headMatches(j)) onHit(j - head);
      }
      return;
    }
    hits = 0;
    since = i;
  }
}
