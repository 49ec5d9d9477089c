// The boundary rules (docs/detector.md, "Boundary rules"): what may stand before and after a key,
// how long it may be, which letters count, and the fast path.

import { describe, expect, it } from 'vitest';
import { detectKeys, hasKeyTrace, MAX_KEY_LENGTH, MIN_KEY_LENGTH, redactKey, redactKeysIn, scanContent, type Rejection } from '../../src/detector/index.js';
import type { KeyType } from '../../src/finding.js';
import { fakeKey } from '../support/fake-keys.js';

const KEY = fakeKey('install', 90, 201);

function verdict(text: string): { keys: string[]; rejectedBy: string[] } {
  const rejections: Rejection[] = [];
  const keys = detectKeys(text, { rejections }).map((m) => m.key);
  return { keys, rejectedBy: rejections.map((r) => r.filter) };
}

describe('before the key', () => {
  // Not `Z`: its value, 90, is this key's length, which makes it a length prefix (below).
  it.each(['x', 'Q', '9', '_', 'MY_'])('a word character glued before `mirra_` (%s) makes it part of an identifier', (glue) => {
    expect(verdict(`const k = ${glue}${KEY};`)).toEqual({ keys: [], rejectedBy: ['glued-before'] });
  });

  it('a glued character whose value is the key\'s length is a length prefix, not a word', () => {
    expect(KEY.length).toBe('Z'.charCodeAt(0));
    expect(verdict(`Z${KEY}`)).toEqual({ keys: [KEY], rejectedBy: [] });
  });

  it.each(['\x00', '\x01', '\x1f', '\x7f', '\xd9', '\x8c', '\xa9'])('a glued character after a byte no text has (%j) is a length prefix', (before) => {
    expect(verdict(`${before}q${KEY}`).keys).toEqual([KEY]);
  });

  it.each([' ', '\n', '\t', 'e', '\xc3\xa9', '\xe2\x80\x94'])('a glued character after text (%j) still glues', (before) => {
    expect(verdict(`${before}q${KEY}`)).toEqual({ keys: [], rejectedBy: ['glued-before'] });
  });

  it.each(['\\n', '\\t', '\\r', '%22', '%0A', '\\x22', '\\u0022'])('the last letter of an escape (%s) does not glue', (escape) => {
    expect(verdict(`"${escape}${KEY}"`)).toEqual({ keys: [KEY], rejectedBy: [] });
  });

  it.each([' ', '"', "'", '`', '=', ':', '(', '[', '{', '/', '-', '.', '\n', '\t', '>', ','])('`%s` before the key is a boundary', (before) => {
    expect(verdict(`${before}${KEY}`).keys).toEqual([KEY]);
  });

  it('the start of the text is a boundary', () => {
    expect(verdict(KEY).keys).toEqual([KEY]);
  });
});

describe('after the key', () => {
  it.each(['g', 'Z', '_', '_cache'])('a letter or `_` right after the hex (%s): an identifier, not a key', (glue) => {
    expect(verdict(`${KEY}${glue}`)).toEqual({ keys: [], rejectedBy: ['glued-after'] });
  });

  it.each(['"', "'", ' ', ';', ',', ')', '.', '-', '\n', '\r\n', '&', '#', '*', '...'])('`%s` after the key ends it', (after) => {
    expect(verdict(`${KEY}${after}`).keys).toEqual([KEY]);
  });

  it('a whole key in Markdown bold or followed by an ellipsis is still a key', () => {
    expect(verdict(`Your key: **${KEY}**`).keys).toEqual([KEY]);
    expect(verdict(`it is ${KEY}...`).keys).toEqual([KEY]);
  });
});

describe('length', () => {
  it(`${MIN_KEY_LENGTH} to ${MAX_KEY_LENGTH} characters in all, for every prefix`, () => {
    const types: KeyType[] = ['script', 'install', 'test', 'untyped'];
    for (const type of types) {
      for (const length of [MIN_KEY_LENGTH, 100, MAX_KEY_LENGTH]) {
        const key = fakeKey(type, length, length);
        const m = detectKeys(` ${key} `);
        expect(m.map((x) => [x.key, x.keyType])).toEqual([[key, type]]);
      }
    }
  });

  it('one character short: too short (a truncated key, as docs show them)', () => {
    const key = fakeKey('script', MIN_KEY_LENGTH, 7).slice(0, -1);
    expect(verdict(` ${key} `)).toEqual({ keys: [], rejectedBy: ['too-short'] });
  });

  it('hex running past 128 characters: too long (a hash chain or a blob, not a key)', () => {
    const key = fakeKey('untyped', MAX_KEY_LENGTH, 8);
    expect(verdict(` ${key}a `)).toEqual({ keys: [], rejectedBy: ['too-long'] });
  });
});

describe('letters', () => {
  it('upper-case hex is hex: the key is found, in lower case (as the API knows it), as `uppercase`', () => {
    const lower = fakeKey('script', 80, 9);
    const key = 'mirra_script_' + lower.slice(13).toUpperCase();
    expect(verdict(`k="${key}"`).keys).toEqual([lower]);
    expect(scanContent(`k="${key}"`)[0]).toMatchObject({ key: lower, encoding: 'uppercase', column: 4, endColumn: 4 + key.length });
    // Hex of mixed case is the same secret too.
    const mixed = lower.slice(0, 40) + lower.slice(40).toUpperCase();
    expect(scanContent(`k="${mixed}"`)[0]).toMatchObject({ key: lower, encoding: 'uppercase' });
  });

  it('a shouted key (`MIRRA_SCRIPT_…`, all upper case) is the same secret; an upper-case prefix with lower-case hex is not a key', () => {
    const lower = fakeKey('script', 80, 10);
    expect(scanContent(`${lower.toUpperCase()}=1`)[0]).toMatchObject({ key: lower, keyType: 'script', encoding: 'uppercase', column: 1 });
    expect(verdict('MIRRA_SCRIPT_' + lower.slice(13))).toEqual({ keys: [], rejectedBy: ['mixed-case'] });
    // A prefix of mixed case is neither: `mirra_SCRIPT_` is a name, `Mirra_` not even a candidate.
    expect(verdict('mirra_SCRIPT_' + lower.slice(13))).toEqual({ keys: [], rejectedBy: ['identifier'] });
    expect(verdict('Mirra_' + lower.slice(13).toUpperCase())).toEqual({ keys: [], rejectedBy: [] });
  });

  it.each(['MIRRA_API_KEY', 'mirra_client', 'mirra_script_id', 'process.env.mirra_install_dir'])('a name: %s', (name) => {
    expect(verdict(`const x = ${name};`).keys).toEqual([]);
  });
});

describe('redaction', () => {
  const PREFIX: Record<KeyType, string> = { script: 'mirra_script_', install: 'mirra_install_', test: 'mirra_test_', untyped: 'mirra_' };
  it.each(Object.keys(PREFIX) as KeyType[])('%s: the prefix, the first and last four of the body', (type) => {
    const key = fakeKey(type, 96, 11);
    const body = key.slice(PREFIX[type].length);
    expect(redactKey(key)).toBe(`${PREFIX[type]}${body.slice(0, 4)}…${body.slice(-4)}`);
  });

  it('redactKeysIn: every key in a name, plain or encoded, and nothing that only starts like one', () => {
    const a = fakeKey('script', 70, 12);
    const b = fakeKey('test', 80, 13);
    const b64 = Buffer.from(b).toString('base64');
    expect(redactKeysIn(`keys/${a}/x-${a}.json`)).toBe(`keys/${redactKey(a)}/x-${redactKey(a)}.json`);
    expect(redactKeysIn(`dump-${b64}.bin`)).toBe(`dump-${redactKey(b)}.bin`);
    for (const name of ['src/mirra_client.ts', 'MIRRA_API_KEY.md', 'mirra_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.txt', '']) expect(redactKeysIn(name)).toBe(name);
  });
});

describe('mirra-scan:allow', () => {
  it('on the same line allows that finding; on another line it does not', () => {
    const text = `a = '${KEY}' // mirra-scan:allow test fixture\n// mirra-scan:allow\nb = '${fakeKey('test', 70, 12)}'\n`;
    expect(scanContent(text).map((k) => [k.line, k.inlineAllowed])).toEqual([
      [1, true],
      [3, false],
    ]);
  });

  it('counts only as a word of its own, not inside a longer one', () => {
    const lines = [`'${KEY}' // not-mirra-scan:allowed`, `'${KEY}' // see xmirra-scan:allow`, `'${KEY}' /* mirra-scan:allow */`, `'${KEY}' # mirra-scan:allow: fixture`];
    expect(scanContent(lines.join('\n')).map((k) => k.inlineAllowed)).toEqual([false, false, true, true]);
  });
});

describe('the fast path', () => {
  it('text without `mirra`, `MIRRA` or an encoded form of them has no trace', () => {
    expect(hasKeyTrace('const x = process.env.API_KEY; // no key here, 0x72 \\x72 %72')).toBe(false);
    expect(hasKeyTrace('const x = process.env.MIRRA_API_KEY;')).toBe(true);
    expect(hasKeyTrace(Buffer.from('plain text, 100% ascii \\u005f'))).toBe(false);
  });

  it.each([
    ['plain', KEY],
    ['percent', KEY.replaceAll('_', '%5F')],
    ['escape', KEY.replaceAll('_', '\\u005f')],
    ['base64 (3 alignments)', ['', ' ', '  '].map((p) => Buffer.from(p + KEY).toString('base64')).join(' ')],
  ])('%s has a trace', (_name, text) => {
    expect(hasKeyTrace(text)).toBe(true);
    expect(hasKeyTrace(Buffer.from(text))).toBe(true);
  });

  it('UTF-16 has a trace in bytes, little- and big-endian', () => {
    expect(hasKeyTrace(Buffer.from(KEY, 'utf16le'))).toBe(true);
    expect(hasKeyTrace(Buffer.from(KEY, 'utf16le').swap16())).toBe(true);
  });
});
