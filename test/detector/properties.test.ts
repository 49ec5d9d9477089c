// Property tests: a generated key placed anywhere in random code or text is found exactly once,
// with the right span, as text and as UTF-8 bytes, plainly and encoded; random bytes never crash
// the scanner and never give a finding.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectKeys, scanContent } from '../../src/detector/index.js';
import type { Encoding, KeyType } from '../../src/finding.js';
import { fakeKey } from '../support/fake-keys.js';

const RUNS = 150;

const keyArb = fc
  .record({
    type: fc.constantFrom<KeyType>('script', 'install', 'test', 'untyped'),
    length: fc.integer({ min: 64, max: 128 }),
    seed: fc.integer({ min: 1, max: 0x7fffffff }),
  })
  .map(({ type, length, seed }) => fakeKey(type, length, seed));

/** Code-ish text: identifiers, numbers, operators, quotes, whitespace, line ends and non-ASCII. */
const CODE_CHARS = [...'abcdefghijklmnopqrstuvwxyzMIRA_0123456789 \t\n\r(){}[];:.,=+-*/<>!?&|"\'`$#@%\\', 'é', 'ß', '→', '中', '😀'];
const codeArb = fc.string({ unit: fc.constantFrom(...CODE_CHARS), maxLength: 400 });
/** Any Unicode text (no lone surrogates). */
const textArb = fc.string({ unit: 'grapheme', maxLength: 300 });
const noTrace = (s: string) => !s.includes('mirra');

/** Characters that may stand right before / after a key without being part of it. */
const beforeArb = fc.constantFrom(' ', '"', "'", '`', '=', ':', '(', '[', '\n', '\t', '>', ',');
const afterArb = fc.constantFrom(' ', '"', "'", '`', ';', ')', ']', '\n', '\r\n', ',', '.', '<', '&');

function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/** How a key may be written; `span` is its written form. */
const WRITINGS: Array<{ encoding: Encoding; write: (key: string) => string }> = [
  { encoding: 'plain', write: (k) => k },
  { encoding: 'url', write: (k) => k.replaceAll('_', '%5F') },
  { encoding: 'escape', write: (k) => k.replaceAll('_', '\\u005f') },
  { encoding: 'escape', write: (k) => k.replaceAll('_', '\\x5f') },
];

describe('a key placed anywhere', () => {
  it('in random code is found exactly once, with the right span (text and UTF-8 bytes)', () => {
    fc.assert(
      // The code after the key does not open another literal right away: `"key""a…"` (or `"key"f'a…'`) is one literal in Python and C.
      fc.property(codeArb.filter(noTrace), codeArb.filter(noTrace).filter((t) => !/^[A-Za-z]{0,2}["'`]/.test(t)), beforeArb, afterArb, keyArb, fc.integer({ min: 0, max: WRITINGS.length - 1 }), (head, tail, before, after, key, w) => {
        const { encoding, write } = WRITINGS[w];
        const written = write(key);
        const text = head + before + written + after + tail;
        const start = head.length + before.length;
        const from = positionOf(text, start);
        const to = positionOf(text, start + written.length);
        for (const content of [text, Buffer.from(text, 'utf8')]) {
          const found = scanContent(content);
          expect(found.map((k) => k.key)).toEqual([key]);
          expect(found[0]).toMatchObject({ encoding, line: from.line, column: from.column, endLine: to.line, endColumn: to.column });
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('in random Unicode text is found exactly once, where it was put', () => {
    fc.assert(
      fc.property(textArb.filter(noTrace), textArb.filter(noTrace), beforeArb, afterArb, keyArb, (head, tail, before, after, key) => {
        const text = head + before + key + after + tail;
        const found = detectKeys(text);
        expect(found.map((m) => [m.key, m.start, m.end])).toEqual([[key, head.length + before.length, head.length + before.length + key.length]]);
      }),
      { numRuns: RUNS },
    );
  });

  it('base64-encoded (standard or URL-safe, any alignment) inside random code is found once, at its blob', () => {
    fc.assert(
      fc.property(
        codeArb.filter(noTrace),
        fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b).toString('latin1').replace(/[\w\\%]$/, ' ')),
        keyArb,
        fc.boolean(),
        (head, lead, key, urlSafe) => {
          const blob = Buffer.from(lead + key + '"', 'latin1').toString(urlSafe ? 'base64url' : 'base64');
          const text = `${head}\nblob = "${blob}"\n`;
          const found = scanContent(text);
          expect(found.map((k) => [k.key, k.encoding])).toEqual([[key, 'base64']]);
          const blobStart = text.lastIndexOf(blob);
          expect(found[0].start).toBe(blobStart + Math.floor(Buffer.byteLength(lead, 'latin1') / 3) * 4);
          expect(found[0].line).toBe(positionOf(text, blobStart).line);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('several keys in random code are each found once, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(codeArb.filter(noTrace), keyArb), { minLength: 1, maxLength: 6 }), (parts) => {
        // `;` ends each statement: a literal on the next line could otherwise continue the key (`"…"\n"…"` joins in Python and C).
        const text = parts.map(([code, key]) => `${code}\n"${key}";`).join('') + '\n';
        expect(scanContent(text).map((k) => k.key)).toEqual(parts.map(([, key]) => key));
      }),
      { numRuns: 60 },
    );
  });
});

describe('random input', () => {
  it('random bytes never crash the scanner and never give a finding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8192 }), (bytes) => {
        expect(scanContent(Buffer.from(bytes))).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('random bytes sprinkled with prefixes, hex runs and encoded stems give no finding', () => {
    const piece = fc.oneof(
      fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
      fc.constantFrom('mirra_', 'mirra_script_', 'mirra%5F', 'mirra\\u005f', 'bWlycmFf', 'taXJyYV', '1pcnJhX', 'm\0i\0r\0r\0a\0_\0', '\xff\xfe').map((s) => Buffer.from(s, 'latin1')),
      // A prefix with too little hex after it, ended by a space so that pieces never add up to a key.
      fc.tuple(fc.constantFrom('mirra_', 'mirra_test_', 'mirra%5F'), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 15 })).map(([p, n, at]) =>
        Buffer.from(p + '0123456789abcdef'.repeat(8).slice(at, at + n) + ' ', 'latin1'),
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const buf = Buffer.concat(pieces);
        expect(scanContent(buf)).toEqual([]);
        expect(scanContent(buf.toString('latin1'))).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('random Unicode text never crashes the scanner', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (s) => {
        expect(() => scanContent(s)).not.toThrow();
        expect(() => scanContent(Buffer.from(s, 'utf16le'))).not.toThrow();
      }),
      { numRuns: RUNS },
    );
  });
});
