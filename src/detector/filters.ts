// The filters that tell a key from what merely looks like one. Each one has a name, a reason and
// its own examples (test/detector/filters.test.ts runs them): `stops` must be rejected by exactly
// that filter, `keeps` must pass it. Examples are built here rather than written out, so that no
// key-shaped string sits in the source. docs/detector.md explains each one.

import { isHexCode, isWordCode, MAX_KEY_LENGTH, MIN_KEY_LENGTH } from './key-format.js';

/** One `mirra_…` occurrence, parsed: `text[start]` is the `m`, the hex body is `[bodyStart, bodyEnd)`. */
export interface Candidate {
  text: string;
  start: number;
  bodyStart: number;
  bodyEnd: number;
}

export interface KeyFilter {
  name: string;
  /** Why such a candidate is not a key. */
  reason: string;
  rejects(c: Candidate): boolean;
  /** Text it stops and text it keeps (for the docs and the tests): built when read, so that loading the detector (a hook's start-up) builds none. */
  readonly examples: { stops: string[]; keeps: string[] };
}

/** The vendor documentation's example body (`mirra_a1b2c3d4e5f6789abcdef0123456789…`), a placeholder. */
export const DOC_EXAMPLE_BODY_STEM = 'a1b2c3d4e5f6';

/** The longest block whose repetition makes a body a placeholder. */
export const MAX_PLACEHOLDER_BLOCK = 32;

const hex = (n: number, seed = 7): string => {
  // A deterministic, non-repeating hex run, for examples only.
  let s = '';
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += ((x >>> 16) & 15).toString(16);
  }
  return s;
};
const key = (prefix = 'mirra_', bodyLength = 64): string => prefix + hex(bodyLength);

const charAfterBody = (c: Candidate): string => c.text.slice(c.bodyEnd, c.bodyEnd + 9);
const bodyOf = (c: Candidate): string => c.text.slice(c.bodyStart, c.bodyEnd).toLowerCase();
/** Shorter than a whole key: only then can what follows the hex be a mask or an ellipsis. */
const isPartial = (c: Candidate): boolean => c.bodyEnd - c.start < MIN_KEY_LENGTH;

/**
 * True when the word character before `text[at]` is the last character of an escape sequence
 * (`\n`, `%22`, `\x22`, `\u0022`): then `mirra_` is not glued to a word, it follows a newline or a quote.
 */
export function endsEscape(text: string, at: number): boolean {
  const isHexAt = (i: number) => i >= 0 && isHexCode(text.charCodeAt(i));
  const charAt = (i: number) => (i >= 0 ? text.charCodeAt(i) : -1);
  if (charAt(at - 2) === 92 /* \ */) return true; // \n, \t, \r, ...
  if (charAt(at - 3) === 37 /* % */ && isHexAt(at - 2) && isHexAt(at - 1)) return true; // %22
  if (charAt(at - 4) === 92 && charAt(at - 3) === 120 /* x */ && isHexAt(at - 2) && isHexAt(at - 1)) return true; // \x22
  if (charAt(at - 6) === 92 && charAt(at - 5) === 117 /* u */ && [4, 3, 2, 1].every((d) => isHexAt(at - d))) return true; // \u0022
  return false;
}

/**
 * True when the word character glued before the candidate (`text[start - 1]`) is the length prefix
 * of a binary format rather than the end of a word: protobuf, msgpack, JVM class files, Python
 * pickles and .NET's BinaryWriter write a string as its length, then its bytes, and a length of 65
 * to 122 is a letter (70, a whole untyped key of 64 hex digits, is `F`). It is one when the byte
 * before it is one no text has (a control character, or a byte that cannot end UTF-8: the `0xd9` of
 * msgpack's str8, the `0x00` of a two-byte length), or when its value is the key's length.
 */
export function isLengthPrefix(c: Candidate): boolean {
  return declaresItsLength(c) || isNonTextByteAt(c.text, c.start - 2);
}

/**
 * True when the bytes right before the candidate are its own length, as binary formats write it: one
 * byte (protobuf's and .NET's varint below 128, msgpack's str8, a pickle's SHORT_BINUNICODE, the low
 * byte of a big-endian u16 or u32), a two-byte varint (128), or a little-endian u16 or u32 (a pickle's
 * BINUNICODE). Then the string ends where the length says, whatever byte comes next.
 */
export function declaresItsLength(c: Candidate): boolean {
  const length = c.bodyEnd - c.start;
  const at = (back: number) => c.text.charCodeAt(c.start - back);
  if (at(1) === length) return true;
  if (length >= 128 && at(2) === ((length & 0x7f) | 0x80) && at(1) === length >> 7) return true;
  const le16 = at(2) === (length & 0xff) && at(1) === length >> 8; // little-endian u16
  const le32 = at(4) === (length & 0xff) && at(3) === length >> 8 && at(2) === 0 && at(1) === 0; // little-endian u32
  return le16 || le32;
}

/**
 * True when `text[i]` is a byte that text does not hold: a control character other than tab and the
 * line breaks, DEL, or (in bytes read one char per byte) a byte of 0x80 to 0xff that does not end a
 * well-formed UTF-8 character. Text that is already decoded holds characters above 0xff: those are text.
 */
export function isNonTextByteAt(text: string, i: number): boolean {
  if (i < 0) return false;
  const c = text.charCodeAt(i);
  if (c < 0x20) return !(c >= 9 && c <= 13);
  if (c < 0x7f) return false;
  if (c === 0x7f) return true;
  if (c > 0xff) return false;
  if (c >= 0xc0) return true; // a lead byte is followed by continuation bytes, never by the glued letter
  // A continuation byte: text when a lead byte 1 to 3 bytes back starts a character that ends here.
  for (let k = 1; k <= 3 && i - k >= 0; k++) {
    const b = text.charCodeAt(i - k);
    if (b >= 0x80 && b < 0xc0) continue;
    const need = b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    return need !== k;
  }
  return true;
}

const PLACEHOLDER_TAIL = /^(?:[xX*#•]|<|\$\{|\{\{|%s|\[|REDACTED|redacted|your|YOUR)/;
const TRUNCATION_TAIL = /^(?:\.\.\.|…|\u00e2\u0080\u00a6)/; // `…` as text, or as UTF-8 bytes read one by one

/** Filters in the order they are tried; the first that rejects names the reason. */
export const KEY_FILTERS: readonly KeyFilter[] = [
  {
    name: 'placeholder',
    reason: 'a template or masked value stands where the key would be (`mirra_xxxx`, `mirra_<KEY>`, `mirra_${KEY}`, `mirra_****`, `mirra_REDACTED`, `mirra_your_api_key_here`)',
    // Only a partial candidate: a whole key followed by `*` or `#` (`**key**` in Markdown) is still a key.
    rejects: (c) => isPartial(c) && PLACEHOLDER_TAIL.test(charAfterBody(c)),
    get examples() {
      return {
        stops: ['mirra_xxxxxxxxxxxxxxxx', 'mirra_<KEY>', 'key: mirra_${KEY}', 'mirra_****************', 'mirra_REDACTED', 'mirra_[redacted]', 'mirra_your_api_key_here', 'mirra_script_{{ key }}', 'mirra_ab12xxxxxxxxxxxx', 'mirra_%s'],
        keeps: [key(), '**' + key() + '**', 'KEY=' + key() + '#prod', '[' + key() + '](#)'],
      };
    },
  },
  {
    name: 'truncated',
    reason: 'the key is cut short with an ellipsis, as documentation shows keys',
    // A whole key's worth of hex before the ellipsis is a key that leaked, however the sentence ends.
    rejects: (c) => isPartial(c) && TRUNCATION_TAIL.test(charAfterBody(c)),
    get examples() {
      return {
        stops: ['mirra_' + hex(20) + '...', 'mirra_script_' + hex(12) + '…', 'mirra_...', "'mirra_a1b2c3d4...'"],
        keeps: [key() + '.', key() + '...'],
      };
    },
  },
  {
    name: 'identifier',
    reason: 'a name, not a key: the prefix is followed by a word (`MIRRA_API_KEY`, `mirra_client`, `mirra_script_id`)',
    rejects: (c) => c.bodyEnd - c.bodyStart < 8 && isWordCode(c.text.charCodeAt(c.bodyEnd)),
    get examples() {
      return { stops: ['mirra_client', 'const mirra_script_id = 1', 'mirra_install_dir', 'mirra_test_case'], keeps: [key('mirra_test_')] };
    },
  },
  {
    name: 'glued-before',
    reason:
      'a letter, digit or `_` right before `mirra_` makes it part of a longer identifier (the end of an escape such as `\\n`, `%22`, `\\x22` or `\\u0022` does not count, nor a length prefix: a glued character that follows a byte no text has, or whose value is the key\'s length)',
    rejects: (c) => isWordCode(c.text.charCodeAt(c.start - 1)) && !endsEscape(c.text, c.start) && !isLengthPrefix(c),
    get examples() {
      return {
        stops: ['x' + key(), 'MY_' + key(), '9' + key(), 'a%2' + key(), 'u0022' + key(), 'G' + key(), '\n' + 'E' + key()],
        keeps: [
          '"line\\n' + key() + '"',
          '=' + key(),
          '_' + '\\n' + key(),
          '?q=%22' + key() + '%22',
          '"\\x22' + key(),
          '"\\u0022' + key(),
          // Length-prefixed binary: protobuf (tag 0x0a, then the length), msgpack str8 (0xd9), a JVM
          // class file's CONSTANT_Utf8 (tag 1, two length bytes), a pickle's SHORT_BINUNICODE (0x8c).
          '\n' + String.fromCharCode(key().length) + key(),
          '\xd9' + String.fromCharCode(key().length) + key(),
          '\x01\x00' + String.fromCharCode(key().length) + key(),
          '\x8c' + String.fromCharCode(key().length) + key() + '\x94',
          '\x00q' + key(),
        ],
      };
    },
  },
  {
    name: 'glued-after',
    reason: 'the hex runs straight into a letter or `_`: an identifier or some other token, not a key',
    // Unless the bytes before the key are its length: a binary format's next field may start with any byte.
    rejects: (c) => isWordCode(c.text.charCodeAt(c.bodyEnd)) && !declaresItsLength(c),
    get examples() {
      return {
        stops: [key() + 'g', key() + '_cache', key() + 'Z', 'X' + String.fromCharCode(key().length - 1, 0, 0, 0) + key() + 'q'],
        // A pickle's BINUNICODE (`X`, a little-endian u32 length) then BINPUT (`q`); msgpack str8 then a fixint.
        keeps: [key() + '"', key() + '-', key() + ' ', 'X' + String.fromCharCode(key().length, 0, 0, 0) + key() + 'q\x02', '\xd9' + String.fromCharCode(key().length) + key() + 'x'],
      };
    },
  },
  {
    name: 'mixed-case',
    reason: 'an upper-case prefix (`MIRRA_`, `MIRRA_SCRIPT_`) with lower-case letters in its hex: a shouted key is upper case throughout, so this is a name or some other token',
    rejects: (c) => c.text.charCodeAt(c.start) === 77 /* M */ && hasLowerCaseLetter(c.text, c.bodyStart, c.bodyEnd),
    get examples() {
      return {
        stops: ['MIRRA_' + hex(64), 'export MIRRA_INSTALL_' + hex(70)],
        keeps: ['MIRRA_' + hex(64).toUpperCase(), 'MIRRA_SCRIPT_' + hex(70).toUpperCase(), 'mirra_' + hex(64).toUpperCase(), 'mirra_test_' + hex(30) + hex(30, 9).toUpperCase()],
      };
    },
  },
  {
    name: 'too-short',
    reason: `a whole key is at least ${MIN_KEY_LENGTH} characters; a shorter one is truncated or not a key`,
    rejects: (c) => c.bodyEnd - c.start < MIN_KEY_LENGTH,
    get examples() {
      return { stops: ['mirra_' + hex(57), 'mirra_script_' + hex(50), 'mirra_' + hex(8)], keeps: ['mirra_' + hex(58), 'mirra_script_' + hex(51)] };
    },
  },
  {
    name: 'too-long',
    reason: `a key is at most ${MAX_KEY_LENGTH} characters; a longer hex run is something else (a hash chain, a blob)`,
    rejects: (c) => c.bodyEnd - c.start > MAX_KEY_LENGTH,
    get examples() {
      return { stops: ['mirra_' + hex(123), 'mirra_test_' + hex(200)], keeps: ['mirra_' + hex(122), 'mirra_install_' + hex(114)] };
    },
  },
  {
    name: 'plain-sequence',
    reason: 'the body counts up or down through the hex digits (`0123456789abcdef…`): a placeholder',
    rejects: (c) => isPlainSequence(bodyOf(c)),
    get examples() {
      return {
        stops: ['mirra_' + '0123456789abcdef'.repeat(4), 'mirra_' + 'fedcba9876543210'.repeat(4), 'mirra_test_' + '3456789abcdef012'.repeat(4)],
        keeps: [key('mirra_', 62) + '01'],
      };
    },
  },
  {
    name: 'repeated-pattern',
    reason: `the body is one block of up to ${MAX_PLACEHOLDER_BLOCK} characters repeated (\`0000…\`, \`abab…\`, \`deadbeef…\`, \`1234567890abcdef\` four times): a placeholder`,
    rejects: (c) => hasShortPeriod(bodyOf(c), MAX_PLACEHOLDER_BLOCK),
    get examples() {
      return {
        stops: ['mirra_' + '0'.repeat(64), 'mirra_script_' + 'ab'.repeat(30), 'mirra_' + 'deadbeef'.repeat(8), 'mirra_' + 'F'.repeat(60), 'mirra_' + '1234567890abcdef'.repeat(4), 'mirra_test_' + hex(32).repeat(2), 'mirra_' + hex(31, 3).repeat(3)],
        keeps: [key(), 'mirra_' + 'ab'.repeat(30) + 'c', 'mirra_' + hex(33, 5).repeat(2)],
      };
    },
  },
  {
    name: 'doc-example',
    reason: 'the Mirra documentation\'s own example key (`mirra_a1b2c3d4e5f6…`)',
    rejects: (c) => bodyOf(c).startsWith(DOC_EXAMPLE_BODY_STEM),
    get examples() {
      return {
        stops: ['mirra_' + DOC_EXAMPLE_BODY_STEM + '789abcdef0123456789abcdef0123456789abcdef0123456789a', 'mirra_script_' + DOC_EXAMPLE_BODY_STEM + '789abcdef0123456789abcdef0123456789abcdef0123456789'],
        keeps: ['mirra_a1b2' + hex(60)],
      };
    },
  },
];

function hasLowerCaseLetter(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 97 && c <= 102) return true;
  }
  return false;
}

/** True when `s` is one unit of at most `maxPeriod` characters repeated (a last partial unit allowed). */
export function hasShortPeriod(s: string, maxPeriod: number): boolean {
  for (let p = 1; p <= maxPeriod && p < s.length; p++) {
    let ok = true;
    for (let i = p; i < s.length; i++) {
      if (s.charCodeAt(i) !== s.charCodeAt(i - p)) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}

/** True when every hex digit is the one before it plus (or minus) one, wrapping at f. */
export function isPlainSequence(s: string): boolean {
  if (s.length < 2) return false;
  const d = (i: number) => parseInt(s[i], 16);
  const step = (d(1) - d(0) + 16) % 16;
  if (step !== 1 && step !== 15) return false;
  for (let i = 1; i < s.length; i++) if ((d(i) - d(i - 1) + 16) % 16 !== step) return false;
  return true;
}

/** Reads the candidate that starts at `start` (where `text` has `mirra_`). */
export function parseCandidate(text: string, start: number, bodyStart: number): Candidate {
  let end = bodyStart;
  while (end < text.length && isHexCode(text.charCodeAt(end))) end++;
  return { text, start, bodyStart, bodyEnd: end };
}

/** The name of the first filter that rejects the candidate, or null for a key. */
export function rejectingFilter(c: Candidate): string | null {
  for (const f of KEY_FILTERS) if (f.rejects(c)) return f.name;
  return null;
}
