// Attack: text made of nothing but traces of a key (`mirra_` repeated for 64 MB, `mirra%5F`, base64
// of `mirra_`, `mirra\u005f`, UTF-16 `mirra_`, a prefix and 127 hex digits, …). Each trace used to
// be judged in full (a decoded window, a parse, every filter) and a file of them took 5–200x the
// time of plain text. Now a cheap look drops every trace that cannot start a key before any of that,
// and a needle found densely is searched for byte by byte rather than by one native call a hit.
// Shown by counting: next to no candidate of such text is judged in full, and a real key among them still is.
// `npm run bench:adversarial` times the same files against plain text.

import { describe, expect, it } from 'vitest';
import { DETECTOR_WORK, detectKeys, resetDetectorWork, scanContent } from '../../src/detector/index.js';
import { findingsOfStream } from '../../src/fragments/index.js';
import { fakeKey } from '../support/fake-keys.js';

const SIZE = 256 * 1024;
const hex127 = 'mirra_' + '0123456789abcdef'.repeat(8).slice(0, 127) + '\n';

/** Each hostile unit, as the issue lists them. */
const UNITS: Array<[string, string, BufferEncoding?]> = [
  ['mirra_', 'mirra_'],
  ['mirra%5F', 'mirra%5F'],
  ['base64 of mirra_', 'bWlycmFf'],
  ['mirra\\u005f', 'mirra\\u005f'],
  ['mirra\\x5f', 'mirra\\x5f'],
  ['mirra_${', 'mirra_${'],
  ['mirra_xxxx', 'mirra_xxxx'],
  ['mirra_ newline', 'mirra_\n'],
  ['mirra', 'mirra'],
  ['UTF-16 mirra_', 'mirra_', 'utf16le'],
  ['prefix + 127 hex digits', hex127],
];

function repeated(unit: string, encoding: BufferEncoding = 'utf8', size = SIZE): Buffer {
  const bom = encoding === 'utf16le' ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0);
  return Buffer.concat([bom, Buffer.from(unit.repeat(Math.ceil(size / Buffer.byteLength(unit, encoding))), encoding)]);
}

const meta = { file: 'hostile.txt', source: 'file' as const, commit: null };
const scanWindows = (content: Buffer) => findingsOfStream({ ...meta, read: (buf, offset) => content.copy(buf, 0, offset), window: Buffer.alloc(64 * 1024) });

describe('text made of traces of a key', () => {
  for (const [name, unit, encoding] of UNITS) {
    it(`${name}: no trace is judged in full, and none is a key`, () => {
      const content = repeated(unit, encoding);
      resetDetectorWork();
      const { findings } = scanWindows(content);
      expect(findings).toEqual([]);
      // Only a trace cut off by the end of a window (it might go on) is judged: a few per window,
      // not one per trace (tens of thousands here).
      expect(DETECTOR_WORK.candidatesJudged).toBeLessThan(16);
    });

    it(`${name}: a key among them is still found, at its place`, () => {
      const key = fakeKey('script', 72, 7);
      const before = repeated(unit, encoding, SIZE / 2);
      const planted = encoding === 'utf16le' ? Buffer.from(` ${key} `, 'utf16le') : Buffer.from(`\n"${key}"\n`);
      const content = Buffer.concat([before, planted, repeated(unit, encoding, SIZE / 2).subarray(encoding === 'utf16le' ? 2 : 0)]);
      resetDetectorWork();
      const { findings } = scanWindows(content);
      expect(findings.map((f) => f.keySha256)).toEqual([scanContent(Buffer.from(key)).map((k) => k.keySha256)[0]]);
      // The planted key, and at most the few traces next to it that its region takes in.
      expect(DETECTOR_WORK.candidatesJudged).toBeLessThan(64);
    });
  }

  it('text (the rule, a UTF-16 file) gets the same cheap look', () => {
    resetDetectorWork();
    expect(detectKeys('mirra_'.repeat(50_000))).toEqual([]);
    expect(detectKeys('bWlycmFf'.repeat(50_000))).toEqual([]);
    expect(DETECTOR_WORK.candidatesJudged).toBeLessThanOrEqual(2); // the last trace of each: the text ends there

  });

  it('asking why each trace was rejected still judges every one (--explain, tests)', () => {
    const rejections: Array<{ start: number; filter: string }> = [];
    detectKeys('mirra_xxxx '.repeat(10), { rejections });
    expect(rejections).toHaveLength(10);
    expect(new Set(rejections.map((r) => r.filter))).toEqual(new Set(['placeholder']));
  });
});
