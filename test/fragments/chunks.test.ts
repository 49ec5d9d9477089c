// Large content read in bounded, overlapping windows (findingsInWindows): a key across a window's
// edge is found once, and lines and columns after many windows are what a whole read gives. A small
// window (the least allowed) keeps these cheap.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/finding.js';
import { findingsInWindows, findingsOf, WINDOW_OVERLAP, type FragmentMeta } from '../../src/fragments/index.js';
import { fakeKey } from '../support/fake-keys.js';

const WINDOW = WINDOW_OVERLAP * 2;
const META: FragmentMeta = { file: 'big.log', source: 'file', commit: null };

/**
 * Reads `content` through one window-sized buffer, recording where each read started. Reads must
 * follow on from each other, as from a stream (standard input is read this way): no byte twice.
 */
function chunked(content: Buffer, window = WINDOW): { findings: Finding[]; reads: number[] } {
  const reads: number[] = [];
  let streamAt = 0;
  const findings = findingsInWindows(
    (buf, offset) => {
      if (offset !== streamAt) throw new Error(`read at ${offset}, but the stream is at ${streamAt}`);
      reads.push(offset);
      const n = content.copy(buf, 0, offset, Math.min(content.length, offset + buf.length));
      streamAt += n;
      return n;
    },
    Buffer.alloc(window),
    META,
  );
  return { findings, reads };
}

const where = (fs: Finding[]) => fs.map((f) => ({ sha: f.keySha256, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, encoding: f.encoding }));

/** Filler lines of code, `n` bytes or a little more. */
function filler(n: number, seed = 1): string {
  const words = ['const', 'value', 'return', 'await', 'fetch(url)', '{', '}', '=>', 'if', 'else', '// note', 'items.map(x => x * 2);', "'text'"];
  let s = '';
  let x = seed;
  while (s.length < n) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += words[x % words.length] + ((x >> 8) % 7 === 0 ? '\n' : ' ');
  }
  return s;
}

describe('findingsInWindows', () => {
  it('refuses a window too small to hold its own overlap', () => {
    expect(() => findingsInWindows(() => 0, Buffer.alloc(WINDOW - 1), META)).toThrow(RangeError);
  });

  it('a key that runs across the end of the first window is found once, at its place', () => {
    const key = fakeKey('script', 128, 301);
    const head = filler(WINDOW - 60, 2);
    const content = Buffer.from(`${head}\nkey = "${key}"\n${filler(3 * WINDOW, 3)}`);
    const keyStart = content.indexOf(key);
    expect(keyStart).toBeLessThan(WINDOW);
    expect(keyStart + key.length).toBeGreaterThan(WINDOW); // it straddles the first window's end
    const { findings, reads } = chunked(content);
    expect(reads.length).toBeGreaterThan(3);
    expect(where(findings)).toEqual(where(findingsOf({ ...META, content })));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ line: head.split('\n').length + 1, column: 8 });
  });

  it('keys at every offset around a window edge: each found once, where a whole read finds it', () => {
    const key = fakeKey('install', 100, 302);
    for (let at = WINDOW - 2200; at < WINDOW + 200; at += 37) {
      const content = Buffer.from(`${filler(at, at)}`.slice(0, at) + ` ${key} ` + filler(2 * WINDOW, 4));
      expect(where(chunked(content).findings)).toEqual(where(findingsOf({ ...META, content })));
      expect(chunked(content).findings).toHaveLength(1);
    }
  });

  it.each([
    { form: 'UTF-8 with BOM', encode: (s: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s)]) },
    { form: 'UTF-16LE with BOM', encode: (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]) },
    { form: 'UTF-16BE', encode: (s: string) => Buffer.from(s, 'utf16le').swap16() },
  ])('$form: a key on a line that starts anywhere near where the next window starts is found once', ({ encode }) => {
    const key = fakeKey('test', 72, 307);
    const unit = encode('ab').length - encode('').length === 4 ? 2 : 1;
    for (let chars = Math.floor((WINDOW - 4200) / unit); chars < (WINDOW - 400) / unit; chars += 23) {
      const head = filler(chars, chars).slice(0, chars).replace(/\n[^\n]*$/, '') + '\n';
      const content = encode(`${head}${key}\n${filler(WINDOW, 14)}`);
      const { findings } = chunked(content);
      expect(findings).toHaveLength(1);
      expect(where(findings)).toEqual(where(findingsOf({ ...META, content })));
    }
  });

  it('line numbers stay right after many windows', () => {
    const keys = [fakeKey('test', 70, 1), fakeKey('script', 90, 2), fakeKey('untyped', 128, 3)];
    const content = Buffer.from(`${filler(WINDOW, 5)}\n${keys[0]}\n${filler(3 * WINDOW, 6)}\n  ${keys[1]}\n${filler(5 * WINDOW, 7)}\n\t"${keys[2]}"\n${filler(WINDOW, 8)}`);
    const { findings, reads } = chunked(content);
    expect(reads.length).toBeGreaterThan(9);
    const text = content.toString();
    const lineOf = (k: string) => text.slice(0, text.indexOf(k)).split('\n').length;
    expect(findings.map((f) => [f.line, f.column])).toEqual([
      [lineOf(keys[0]), 1],
      [lineOf(keys[1]), 3],
      [lineOf(keys[2]), 3],
    ]);
  });

  it('one long line with no newline in many windows (minified code): columns carry across windows', () => {
    const key = fakeKey('script', 77, 303);
    const line = 'var a=[' + '1,'.repeat(3 * WINDOW) + `"${key}",` + '2,'.repeat(WINDOW) + '];';
    const { findings } = chunked(Buffer.from(line));
    expect(findings.map((f) => [f.line, f.column, f.endColumn])).toEqual([[1, line.indexOf(key) + 1, line.indexOf(key) + 1 + key.length]]);
  });

  it('a UTF-8 BOM, CRLF line ends and non-ASCII text give the same findings as a whole read', () => {
    const key = fakeKey('test', 80, 304);
    const body = `${filler(WINDOW - 30, 9).replaceAll('\n', ' é中\r\n')}\r\nk = ${key}\r\n${filler(2 * WINDOW, 10)}`;
    const content = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]);
    const { findings } = chunked(content);
    expect(findings).toHaveLength(1);
    expect(where(findings)).toEqual(where(findingsOf({ ...META, content })));
  });

  it('UTF-16 (little-endian with BOM, big-endian without): every window is read in that form', () => {
    const keys = [fakeKey('script', 70, 305), fakeKey('install', 110, 306)];
    const text = `${filler(WINDOW, 11)}\r\napi = ${keys[0]}\r\n${filler(2 * WINDOW, 12)}\n x ${keys[1]}\n${filler(WINDOW, 13)}`;
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(text, 'utf16le').swap16();
    for (const content of [le, be]) {
      const { findings } = chunked(content);
      expect(findings.map((f) => [f.encoding, f.line, f.column])).toEqual([
        ['utf16', text.slice(0, text.indexOf(keys[0])).split('\n').length, 7],
        ['utf16', text.slice(0, text.indexOf(keys[1])).split('\n').length, 4],
      ]);
      expect(where(findings)).toEqual(where(findingsOf({ ...META, content })));
    }
  });

  it('property: random content with keys in any encoding, read in windows, gives what a whole read gives', () => {
    const piece = fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 1, max: WINDOW }).map((n) => filler(n, n)) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.integer({ min: 64, max: 128 }), fc.integer({ min: 1, max: 1e9 }), fc.constantFrom('plain', 'base64', 'url', 'escape'))
          .map(([length, seed, how]) => {
            const key = fakeKey('script', length, seed);
            const written = how === 'base64' ? Buffer.from(key).toString('base64') : how === 'url' ? key.replaceAll('_', '%5F') : how === 'escape' ? key.replaceAll('_', '\\u005f') : key;
            return ` "${written}" `;
          }),
      },
      { weight: 1, arbitrary: fc.constantFrom('\n', '\r\n', 'é', '😀', ' '.repeat(900)) },
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 25 }), (pieces) => {
        const content = Buffer.from(pieces.join(''));
        const whole = findingsOf({ ...META, content });
        expect(where(chunked(content).findings)).toEqual(where(whole));
        expect(whole.length).toBe(pieces.filter((p) => p.startsWith(' "')).length);
      }),
      { numRuns: 25 },
    );
  });
});
