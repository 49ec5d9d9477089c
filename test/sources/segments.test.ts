// A big file scanned in segments by several threads (src/sources/files/segments.ts) finds exactly what
// one thread reading it from start to end finds: the same keys, lines, columns, order, and count of
// findings past the cap. (Not always the same snippet: a key just after a cut inside a long line is
// shown from the cut on, as one thread shows a key just after one of its own windows' cuts.) Here each segment is scanned on this thread, in a shuffled order (as threads
// may finish them), with small segments and windows so that a few hundred KiB hold many cuts; the
// built CLI with a real worker is tested in test/cli/scan-segments.test.ts.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FINDINGS_KEPT_PER_CONTENT, type Finding } from '../../src/finding.js';
import { findingsInWindows, WINDOW_OVERLAP, type ContentFindings, type FragmentMeta } from '../../src/fragments/index.js';
import { joinSegments, planSegments, scanSegment, type SegmentOutcome } from '../../src/sources/files/segments.js';
import { fakeKey } from '../support/fake-keys.js';

const WINDOW = WINDOW_OVERLAP * 2; // the least window: a segment spans several
const SEGMENT = WINDOW_OVERLAP * 4;
const META: FragmentMeta = { file: 'big.js', source: 'file', commit: null, place: 'working-tree' };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-segments-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** Writes `content` to a file, scans it in segments (each on its own, in a shuffled order) and joins them. */
function inSegments(content: Buffer, segment = SEGMENT, window = WINDOW, seed = 1): { findings: ContentFindings; cuts: number[] } {
  const file = path.join(dir, `f${files++}`);
  fs.writeFileSync(file, content);
  const fd = fs.openSync(file, 'r');
  try {
    const plan = planSegments(fd, segment);
    const order = plan.starts.map((_, k) => k);
    for (let i = order.length - 1, x = seed; i > 0; i--) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const j = x % (i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const outcomes: SegmentOutcome[] = order.map((k) => ({ k, ...scanSegment((buf, at) => fs.readSync(fd, buf, 0, buf.length, at), plan, k, Buffer.alloc(window), META, {}) }));
    const joined = joinSegments(file, plan, outcomes);
    if ('error' in joined) throw new Error(joined.error);
    return { findings: joined.findings, cuts: plan.starts };
  } finally {
    fs.closeSync(fd);
  }
}

/** What one thread finds, reading the content from start to end through a window. */
function oneThread(content: Buffer, window = WINDOW): ContentFindings {
  return findingsInWindows((buf, at) => content.copy(buf, 0, at, Math.min(content.length, at + buf.length)), Buffer.alloc(window), META, {});
}

const where = (fs: Finding[]) => fs.map((f) => ({ sha: f.keySha256, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, encoding: f.encoding }));

/** Checks the segmented scan against one thread's (with the least window and with the CLI's 1 MiB one). */
function expectSame(content: Buffer, segment = SEGMENT): { findings: ContentFindings; cuts: number[] } {
  const seg = inSegments(content, segment);
  const one = oneThread(content);
  expect(seg.cuts.length).toBeGreaterThan(2);
  expect(where(seg.findings)).toEqual(where(one));
  expect(seg.findings.unlisted).toBe(one.unlisted);
  const big = oneThread(content, 1024 * 1024);
  expect(where(big)).toEqual(where(one));
  expect(where(inSegments(content, segment, 1024 * 1024, 7).findings)).toEqual(where(one));
  return seg;
}

/** Filler code, `n` characters: lines of words, or one line when `newlines` is false. */
function filler(n: number, seed = 1, newlines = true): string {
  const words = ['const', 'value', 'return', 'await', 'fetch(url)', '{', '}', '=>', 'if', 'else', 'items.map(x => x * 2);', "'text'", 'a.b.c', '0x1f'];
  let s = '';
  let x = seed;
  while (s.length < n) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += words[x % words.length] + (newlines && (x >> 8) % 7 === 0 ? '\n' : ' ');
  }
  return s.slice(0, n);
}

/** Puts `insert` into `base` at `at` (characters), replacing as many. */
const plant = (base: string, at: number, insert: string) => base.slice(0, at) + insert + base.slice(at + insert.length);

describe('a big file scanned in segments', () => {
  it('keys at and around every nominal cut (line starts and mid-line), each found once, where one thread finds them', () => {
    const key = fakeKey('script', 90, 11);
    for (const newlines of [true, false]) {
      for (const shift of [-WINDOW_OVERLAP - 7, -2100, -700, -300, -95, -40, -3, -1, 0, 1, 2, 50, 400]) {
        let text = filler(12 * SEGMENT, shift + 100, newlines);
        for (let b = SEGMENT; b < text.length - SEGMENT; b += SEGMENT) text = plant(text, b + shift, ` "${key}" `);
        const { findings } = expectSame(Buffer.from(text));
        expect(findings.length).toBe(10);
      }
    }
  });

  it('keys written in pieces with delimiters inside (concatenation, HTML entities, quoted-printable) across every nominal cut', () => {
    const key = fakeKey('script', 100, 16);
    const forms = [
      (k: string) => `"${k.slice(0, 40)}" + "${k.slice(40, 70)}" + \n  "${k.slice(70)}"`,
      (k: string) => k.replaceAll('_', '&#95;'),
      (k: string) => k.replaceAll('_', '&lowbar;'),
      (k: string) => `=${k.replaceAll('_', '=5F').slice(0, 60)}=\n${k.replaceAll('_', '=5F').slice(60)}`,
    ];
    for (const [i, form] of forms.entries()) {
      const written = ` x = ${form(key)}; `;
      for (const shift of [-written.length - 1, -written.length + 3, -90, -45, -17, -5, -1, 0]) {
        let text = filler(8 * SEGMENT, i * 100 + shift + 1000, false);
        for (let b = SEGMENT; b < text.length - SEGMENT; b += SEGMENT) text = plant(text, b + shift, written);
        const { findings } = expectSame(Buffer.from(text));
        expect(findings.length).toBe(6);
      }
    }
  });

  it('a key exactly at each cut the plan chose (the first byte of a segment, and the last bytes before it)', () => {
    const key = fakeKey('install', 100, 12);
    const text = filler(10 * SEGMENT, 3);
    const { cuts } = inSegments(Buffer.from(text));
    for (const before of [0, 1, key.length - 1, key.length, key.length + 1]) {
      let planted = text;
      for (const c of cuts.slice(1)) planted = plant(planted, c - before, key);
      expectSame(Buffer.from(planted));
    }
  });

  it('a 3 MB line across many segments: columns carry through every segment, keys inside it found once', () => {
    const keys = [1, 2, 3, 4, 5, 6].map((i) => fakeKey('script', 70 + i, 20 + i));
    let line = filler(3_000_000, 5, false);
    keys.forEach((k, i) => (line = plant(line, 200_000 + i * 450_000 + i * 37, ` ${k} `)));
    const content = Buffer.from(`first line\n${filler(5000, 6)}\nx = [${line}]\n${filler(5000, 7)}\n${keys[0]}\n`);
    const { findings, cuts } = expectSame(content, 64 * 1024);
    expect(cuts.length).toBeGreaterThan(40);
    expect(findings.length).toBe(7);
    expect(findings[3].column).toBeGreaterThan(1_000_000);
  });

  it.each([
    { form: 'UTF-16LE with BOM', encode: (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]) },
    { form: 'UTF-16BE with BOM', encode: (s: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()]) },
    { form: 'UTF-16LE without BOM', encode: (s: string) => Buffer.from(s, 'utf16le') },
    { form: 'UTF-8 with BOM and CRLF', encode: (s: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s.replaceAll('\n', '\r\n'))]) },
  ])('$form: cuts on whole units, every segment read in the file’s form', ({ encode }) => {
    const key = fakeKey('test', 80, 13);
    for (const shift of [-1500, -301, -2, 0, 1, 33]) {
      let text = filler(8 * SEGMENT, shift + 7).replaceAll('else', 'é中😀');
      for (let b = SEGMENT / 2; b < text.length - SEGMENT; b += SEGMENT / 2) text = plant(text, b + shift, `\nk = ${key}\n`);
      const content = encode(text);
      const { findings } = expectSame(content);
      expect(findings.length).toBeGreaterThan(10);
    }
  });

  it('the cap reached in an early segment: later segments only count, exactly as one thread counts', () => {
    const key = (i: number) => fakeKey('script', 70, 1000 + i);
    const early = Array.from({ length: FINDINGS_KEPT_PER_CONTENT + 150 }, (_, i) => `k${i} = "${key(i)}"`).join('\n');
    const late = Array.from({ length: 40 }, (_, i) => `${filler(SEGMENT / 3, i)}\nlate = "${key(5000 + i)}"`).join('\n');
    const { findings } = expectSame(Buffer.from(`${early}\n${late}\n`));
    expect(findings).toHaveLength(FINDINGS_KEPT_PER_CONTENT);
    expect(findings.unlisted).toBe(190);
  });

  it('inline `mirra-scan:allow` markers on lines near every cut count as one thread counts them', () => {
    const key = fakeKey('script', 90, 14);
    for (const shift of [-2400, -1700, -900, -120, -30, 0, 20]) {
      let text = filler(10 * SEGMENT, shift + 300);
      for (let b = SEGMENT; b < text.length - SEGMENT; b += SEGMENT) {
        text = plant(text, b + shift, `\nconst a = "${key}"; // mirra-scan:allow\nconst b = "${key}"\n`);
      }
      const { findings } = expectSame(Buffer.from(text));
      expect(findings.length).toBe(8); // the allowed ones are left out
    }
  });

  it('a stretch with no delimiter and no newline around a cut (the cut falls inside it): nothing lost or doubled', () => {
    const key = fakeKey('script', 70, 15);
    let text = filler(6 * SEGMENT, 8);
    for (let b = SEGMENT; b < text.length - SEGMENT; b += SEGMENT) text = plant(text, b - 6000, 'z'.repeat(9000) + ` ${key} `);
    const { findings } = expectSame(Buffer.from(text));
    expect(findings.length).toBe(4);
  });

  it('property: random content with keys in any encoding gives in segments what one thread gives', () => {
    const piece = fc.oneof(
      { weight: 3, arbitrary: fc.tuple(fc.integer({ min: 1, max: SEGMENT }), fc.boolean()).map(([n, nl]) => filler(n, n, nl)) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.integer({ min: 64, max: 128 }), fc.integer({ min: 1, max: 1e9 }), fc.constantFrom('plain', 'base64', 'url', 'escape'), fc.constantFrom(' "', '\n', '=', '('))
          .map(([length, seed, how, before]) => {
            const key = fakeKey('script', length, seed);
            const written = how === 'base64' ? Buffer.from(key).toString('base64') : how === 'url' ? key.replaceAll('_', '%5F') : how === 'escape' ? key.replaceAll('_', '\\u005f') : key;
            return `${before}${written}" `;
          }),
      },
      { weight: 1, arbitrary: fc.constantFrom('\n', '\r\n', 'é', '😀', ' '.repeat(900), ' // mirra-scan:allow\n') },
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 20, maxLength: 60 }), (pieces) => {
        const content = Buffer.from(pieces.join('') + filler(3 * SEGMENT, 2));
        expectSame(content);
      }),
      { numRuns: 20 },
    );
  });
});

describe('scanFiles: big files named or walked are scanned in segments', () => {
  it('a folder of small and big files and a big file named on its own: the same report as one thread', async () => {
    const { scanFiles } = await import('../../src/sources/files/walk.js');
    const tree = fs.mkdtempSync(path.join(dir, 'tree-'));
    const key = (i: number) => fakeKey('script', 80, 700 + i);
    fs.mkdirSync(path.join(tree, 'src'));
    for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(tree, 'src', `small${i}.js`), `${filler(2000, i)}\n${i % 7 === 0 ? `k = "${key(i)}"\n` : ''}`);
    const big = (seed: number) => {
      let text = filler(40 * SEGMENT, seed, seed % 2 === 0);
      for (let b = SEGMENT; b < text.length - SEGMENT; b += 3 * SEGMENT + 77) text = plant(text, b - 30, ` "${key(seed + b)}" `);
      return text;
    };
    fs.writeFileSync(path.join(tree, 'src', 'bundle.min.js'), big(1));
    fs.writeFileSync(path.join(tree, 'named.log'), big(2));
    fs.writeFileSync(path.join(tree, 'utf16.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(big(3), 'utf16le')]));
    const run = (threads: number) =>
      scanFiles({ paths: ['src', 'named.log', 'utf16.txt'], cwd: tree, threads, segments: { minFileBytes: 4 * SEGMENT, segmentBytes: SEGMENT } });
    const [one, two] = [await run(1), await run(2)];
    expect(where(two.findings)).toEqual(where(one.findings));
    expect(two.findings.map((f) => f.file)).toEqual(one.findings.map((f) => f.file));
    expect({ ...two.stats, durationMs: 0 }).toEqual({ ...one.stats, durationMs: 0 });
    expect(two.errors).toEqual(one.errors);
    expect(new Set(one.findings.map((f) => f.file))).toEqual(new Set(['src/bundle.min.js', 'named.log', 'utf16.txt', 'src/small0.js', 'src/small7.js', 'src/small14.js', 'src/small21.js', 'src/small28.js']));
  });
});
