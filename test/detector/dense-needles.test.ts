// Where a needle's hits come thick (hostile text), the detector stops calling `indexOf` once a hit
// and searches the rest another way: the first piece of a base64 stem by one loop over the bytes
// that drops hopeless stems on the spot, the last piece only next to line breaks (it is a trace only
// where a break cuts its stem); stems in text by one loop over the characters. Whatever follows such
// text must be found exactly as it is without it.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectKeys, keyTraceOffsets } from '../../src/detector/detect.js';
import { afterUnderscore, afterUnderscoreInText, endsEveryKeyAt, endsEveryKeyAtInText, endsEveryKeyRightAfter, mayBeKeyAfterStem, TraceForm } from '../../src/detector/plausible.js';
import { allocateReadBuffer, DETECTOR_WORK, resetDetectorWork, scanContent } from '../../src/detector/index.js';
import { fakeKey } from '../support/fake-keys.js';

/**
 * Base64 of `mirra_q` repeated: 7 bytes a unit, so the stem comes at all three byte alignments,
 * every piece of every stem hits thousands of times, and the byte after each `_` (`q`) ends every key.
 */
const DENSE = Buffer.from(Buffer.from('mirra_q'.repeat(3000)).toString('base64') + '\n');

const KEY = fakeKey('script', 72, 11);

/** Text the pieces of a base64 stem are found in: stems at each alignment, cut by line breaks anywhere, wrapped keys, filler. */
const piece = fc.oneof(
  fc.constantFrom('bWlycmFf', '1pcnJhX', 'taXJyYV', '\n', '\r\n', 'AAAA', ' ', 'q'),
  fc.tuple(fc.constantFrom('bWlycmFf', '1pcnJhX', 'taXJyYV'), fc.integer({ min: 1, max: 7 }), fc.constantFrom('\n', '\r\n', '\r')).map(([stem, cut, br]) => stem.slice(0, cut) + br + stem.slice(cut)),
  fc.tuple(fc.constantFrom('', 'k=', 'ab='), fc.integer({ min: 20, max: 80 })).map(([lead, width]) => {
    const blob = Buffer.from(`${lead}${KEY}\n`).toString('base64');
    return blob.replace(new RegExp(`.{${width}}`, 'g'), '$&\n');
  }),
);

describe('dense needle searches', () => {
  it('property: after dense base64 stems, every trace is where it is without them', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        // `AAAA` first: a stem at the very start of a buffer is judged without a look at the group before it.
        const tail = Buffer.from('AAAA' + pieces.join(''));
        const shifted = keyTraceOffsets(tail).map((t) => t + DENSE.length);
        const after = keyTraceOffsets(Buffer.concat([DENSE, tail])).filter((t) => t >= DENSE.length);
        expect(after).toEqual(shifted);
      }),
      { numRuns: 300 },
    );
  });

  it('the dense text itself holds no trace that may be a key, and a wrapped key after it is found', () => {
    expect(keyTraceOffsets(DENSE)).toEqual([]);
    for (const width of [76, 64, 40]) {
      for (const lead of ['', 'k=', 'ab=']) {
        const blob = Buffer.from(`${lead}${KEY}\n`).toString('base64').replace(new RegExp(`.{${width}}`, 'g'), '$&\n');
        // (Not glued to the dense blob: decoded as one, the key would follow `q`, part of a word.)
        const found = scanContent(Buffer.concat([DENSE, Buffer.from(`-----\n${blob}`)]));
        expect(found.map((k) => [k.key, k.encoding])).toEqual([[KEY, 'base64']]);
      }
    }
  });

  it('property: the quick look read on the spot drops a trace only where the full look drops it too', () => {
    const text = fc.string({ unit: fc.constantFrom('_', '%', '5', 'F', 'f', '\\', 'x', 'u', '0', 'm', 's', 'c', 'r', 'i', 'p', 't', 'a', 'b', '1', ' ', '\n', '"', '$', '{'), maxLength: 40 });
    fc.assert(
      fc.property(fc.constantFrom('_', '%5F', '%5f', '\\x5f', '\\x5F', '\\u005f', '\\u005F', '%5', '\\x', ''), text, fc.constantFrom(TraceForm.Plain, TraceForm.Percent, TraceForm.Escape), (escape, t, form) => {
        const buf = Buffer.from(escape + t, 'latin1');
        if (endsEveryKeyRightAfter(buf, 0, form)) expect(mayBeKeyAfterStem(buf, 0, form, 0)).toBe(false);
      }),
      { numRuns: 3000 },
    );
    // And it does drop the hostile ones.
    for (const [t, form] of [['_m', TraceForm.Plain], ['_${m', TraceForm.Plain], ['%5Fm', TraceForm.Percent], ['\\x5fm', TraceForm.Escape], ['\\u005Fz', TraceForm.Escape]] as const) {
      expect(endsEveryKeyRightAfter(Buffer.from(t), 0, form)).toBe(true);
    }
  });
});

/**
 * A stem whose `_` is written plainly or escaped (`\u005f`, `%5F`, `\x5f`), then a byte that ends
 * every key (the next stem's `m`, or `q`): hostile text repeats one of these until stems come thick
 * and the rest of a read buffer is searched by the dense stem loop, which drops them on the spot.
 */
const ESCAPED_UNITS = ['mirra\\u005f', 'mirra\\u005F', 'MIRRA\\u005f', 'mirra%5F', 'mirra%5f', 'mirra\\x5f', 'mirra\\x5F', 'mirra_', 'mirra\\u005fq', 'mirra%5Fq', 'mirra\\x5fz'];
const DENSE_BYTES = 28 * 1024;
const ESCAPED_KEY = (escape: string) => 'mirra' + escape + KEY.slice('mirra_'.length);

/** What may follow dense escaped stems: stems and keys in each form, near misses, placeholders, filler. */
const afterStems = fc.oneof(
  fc.constantFrom('mirra', 'MIRRA', 'mirra\\u005f', 'mirra%5F', 'mirra\\x5f', 'mirra_', 'mirra\\u005', 'mirra%5', 'mirra\\x', 'mirra\\u{5f}', 'mirra_${NAME}', 'mirra_${"', '"', "'", ' ', '\n', 'q', 'm', 'abc123', '%5F', '\\u005f'),
  fc.constantFrom('_', '%5F', '%5f', '\\x5f', '\\u005f', '\\u005F').map(ESCAPED_KEY),
  fc.constantFrom(KEY, KEY.toUpperCase(), `"${KEY}"`),
);

describe('the cheap look on bytes', () => {
  it('property: it reads bytes as it reads the same text (a hex run after `mirra_` is read through a table for bytes)', () => {
    const hexRun = fc.string({ unit: fc.constantFrom('0', '9', 'a', 'f', 'A', 'F', 'g', 'G', 'z', '"', ' ', '$', '{', '_', '\\', '\xff', '\x80'), maxLength: 80 });
    const body = fc.tuple(fc.constantFrom('', 'script_', 'install_', 'test_', 'scr'), fc.integer({ min: 0, max: 140 }), hexRun).map(([typed, n, rest]) => typed + 'a1b2c3d4e5f60789'.repeat(9).slice(0, n) + rest);
    fc.assert(
      fc.property(body, (t) => {
        const text = '_' + t;
        expect(mayBeKeyAfterStem(Buffer.from(text, 'latin1'), 0, TraceForm.Plain, 0)).toBe(mayBeKeyAfterStem(text, 0, TraceForm.Plain, 0));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('dense escaped stems', () => {
  const SIZE = 1 << 16; // one WebAssembly page: where stems come thick, the rest of a read buffer is searched byte by byte
  const read = allocateReadBuffer(SIZE);
  /** `content` at `offset` in the read buffer, as the file scanner hands it to the detector. */
  const inReadBuffer = (content: Buffer, offset: number) => {
    read.fill(0x2e);
    content.copy(read, offset);
    return read.subarray(offset, offset + content.length);
  };
  /** One unit repeated to about 28 KB, after `lead` bytes (so that stems fall at every alignment), ending with a bare stem and its `_`: what follows it is the byte read right after that `_`. */
  const dense = (unit: string, lead: number) => {
    const bare = unit.replace(/[qz]$/, '');
    return Buffer.from('.'.repeat(lead) + unit.repeat(Math.ceil(DENSE_BYTES / unit.length)) + bare, 'latin1');
  };

  it('property: after dense escaped stems at every alignment, every trace is where it is without them', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ESCAPED_UNITS), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 }), fc.array(afterStems, { maxLength: 40 }), (unit, lead, offset, pieces) => {
        const head = dense(unit, lead);
        const tail = Buffer.from(pieces.join(''), 'latin1');
        const shifted = keyTraceOffsets(tail).map((t) => t + head.length);
        const view = inReadBuffer(Buffer.concat([head, tail]), offset);
        const traces = keyTraceOffsets(view);
        // The dense stems themselves are dropped (the last one may be kept, by what the tail puts after its `_`).
        expect(traces.filter((t) => t < head.length - unit.length)).toEqual([]);
        expect(traces.filter((t) => t >= head.length)).toEqual(shifted);
      }),
      { numRuns: 400 },
    );
  });

  it('a key hidden after 28 KB of dense escaped stems is found, in every form', () => {
    for (const unit of ESCAPED_UNITS) {
      for (const lead of [0, 1, 5, 10, 15]) {
        const head = dense(unit, lead);
        const view = inReadBuffer(Buffer.concat([head, Buffer.from(`;\nconst key = "${KEY}";\n`)]), lead);
        expect(scanContent(view).map((k) => [k.key, k.encoding])).toEqual([[KEY, 'plain']]);
        // Right after the last dense stem's `_`: the key's stem is the byte the quick look reads.
        const glued = inReadBuffer(Buffer.concat([head, Buffer.from(`${KEY}"\n`)]), lead);
        expect(keyTraceOffsets(glued)).toContain(head.length);
      }
    }
  });
});

/**
 * Text (a UTF-16 file is decoded and searched as text): where stems come thick, `detectKeys` leaves
 * `indexOf` for one loop over the characters that drops hopeless stems on the spot. Its findings
 * must be those of the search that judges every stem (asked for every rejection, it takes no
 * shortcut), and its cheap look must read characters as the one on bytes reads the same bytes.
 */
describe('dense stems in text', () => {
  const TEXT_UNITS = ['mirra_', 'MIRRA_', 'mirra%5F', 'mirra\\x5f', 'mirra\\u005F', 'mirra_${', 'mirra_q', 'mirra_\u00e9', 'mirra_\u4e2d'];
  const textPiece = fc.oneof(
    afterStems,
    fc.constantFrom('\u00e9', '\u4e2d', '\ud83d\ude00', 'mirra_\u00e9', 'mirra_\u4e2d', 'mirra_${x}', 'mirra_a1', 'MIRRA_SCRIPT_'),
  );
  const found = (text: string, slow: boolean) => detectKeys(text, slow ? { rejections: [] } : {}).map((m) => [m.start, m.end, m.key, m.encoding]);

  it('property: the dense search finds what the search that judges every stem finds', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TEXT_UNITS), fc.integer({ min: 260, max: 600 }), fc.array(textPiece, { maxLength: 30 }), fc.array(textPiece, { maxLength: 8 }), (unit, n, pieces, lead) => {
        const text = lead.join('') + unit.repeat(n) + pieces.join('') + unit.repeat(n >> 1) + pieces.slice(0, 3).join('');
        expect(found(text, false)).toEqual(found(text, true));
      }),
      { numRuns: 300 },
    );
  });

  it('property: the cheap look on text reads characters as the one on bytes reads the same bytes', () => {
    const unit = fc.constantFrom('_', '%', '5', 'F', 'f', '\\', 'x', 'u', '0', 'm', 's', 'a', '1', ' ', '"', '$', '{', '\n', '\u00e9', '\u00ff');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 12 }), (t) => {
        const buf = Buffer.from(t, 'latin1');
        for (let i = 0; i <= t.length; i++) {
          expect(afterUnderscoreInText(t, i)).toBe(afterUnderscore(buf, i));
          expect(endsEveryKeyAtInText(t, i)).toBe(endsEveryKeyAt(buf, i));
        }
      }),
      { numRuns: 2000 },
    );
    // Past Latin-1 a character ends no key here (judged in full).
    expect(endsEveryKeyAtInText('\u0167', 0)).toBe(false);
  });

  it('a UTF-16 file of dense stems: none is judged in full, and a key among them is found at its place', () => {
    const key = fakeKey('script', 72, 5);
    const head = Buffer.from('\ufeff' + 'mirra_'.repeat(20_000) + ' ', 'utf16le');
    const content = Buffer.concat([head, Buffer.from(`${key} ` + 'mirra_'.repeat(5_000), 'utf16le')]);
    resetDetectorWork();
    const keys = scanContent(content);
    expect(keys.map((k) => [k.key, k.encoding, k.start])).toEqual([[key, 'utf16', head.length / 2 - 1]]);
    // The stem cut by the end of the text, and the key.
    expect(DETECTOR_WORK.candidatesJudged).toBeLessThan(4);
  });
});

describe('UTF-16 decoding', () => {
  it('a U+FEFF after the BOM is a character: offsets after it are not shifted', () => {
    const key = fakeKey('script', 72, 6);
    for (const [bom, encoding] of [[[0xff, 0xfe], 'utf16le'], [[0xfe, 0xff], 'utf16be']] as const) {
      const body = Buffer.from(`\ufeff${key}\n`, 'utf16le');
      if (encoding === 'utf16be') body.swap16();
      const [k] = scanContent(Buffer.concat([Buffer.from(bom), body]));
      expect([k.key, k.start, k.column]).toEqual([key, 1, 2]);
    }
  });

  it('a lone surrogate reads as U+FFFD, as a TextDecoder reads it', () => {
    const key = fakeKey('script', 72, 8);
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0xd8]), Buffer.from(` ${key}\n`, 'utf16le')]);
    const [k] = scanContent(bytes);
    expect([k.key, k.start, k.snippet.text.includes('\ud800')]).toEqual([key, 2, false]);
  });
});
