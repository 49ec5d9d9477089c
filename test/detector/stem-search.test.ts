// The one pass that finds `mirra` and `MIRRA` in a read buffer (WebAssembly SIMD) finds every one,
// at every offset and alignment, up to the last byte of the buffer, and resumes where it is told.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateReadBuffer, forEachTraceCandidate, hasKeyTrace } from '../../src/detector/index.js';

/** Every `mirra` / `MIRRA` in `buf`, found with indexOf. */
function reference(buf: Buffer): number[] {
  const out: number[] = [];
  for (const stem of ['mirra', 'MIRRA']) for (let i = buf.indexOf(stem); i >= 0; i = buf.indexOf(stem, i + 1)) out.push(i);
  return out.sort((a, b) => a - b);
}

/** The stem hits forEachTraceCandidate reports (other needles cannot occur in this alphabet). */
function stems(buf: Buffer): number[] {
  const out: number[] = [];
  forEachTraceCandidate(buf, (at) => {
    out.push(at);
    return at + 1;
  });
  return out;
}

describe('the stem search in a read buffer', () => {
  const SIZE = 1 << 16; // one WebAssembly page: the buffer ends where its memory ends
  const read = allocateReadBuffer(SIZE);

  it('finds both cases at every offset, the last bytes included, and skips mixes of case', () => {
    for (const stem of ['mirra', 'MIRRA']) {
      for (const at of [0, 1, 15, 16, 17, 31, 1000, SIZE - 40, SIZE - 21, SIZE - 20, SIZE - 6, SIZE - 5]) {
        read.fill(0x2e);
        read.write(stem, at, 'latin1');
        read.write('Mirra mIRRA mirrA', 200, 'latin1');
        expect(stems(read)).toEqual([at]);
        expect(hasKeyTrace(read)).toBe(true);
      }
    }
    read.fill(0x2e);
    expect(stems(read)).toEqual([]);
    expect(hasKeyTrace(read)).toBe(false);
  });

  it('property: a view anywhere in the read buffer gives what indexOf gives', () => {
    const piece = fc.oneof(fc.constantFrom('mirra', 'MIRRA', 'mirr', 'irra', 'm', 'M', 'rra', 'mirramirra'), fc.string({ unit: fc.constantFrom('m', 'i', 'r', 'a', 'M', 'I', 'R', 'A', '.', ' '), maxLength: 40 }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 200 }), fc.integer({ min: 0, max: 64 }), (pieces, offset) => {
        const content = Buffer.from(pieces.join(''), 'latin1');
        const start = Math.min(offset, SIZE - content.length);
        read.fill(0x2e);
        content.copy(read, start);
        const view = read.subarray(start, start + content.length);
        expect(stems(view)).toEqual(reference(view));
      }),
      { numRuns: 300 },
    );
  });

  it('stems back to back, where they come thick (searched byte by byte), are each found', () => {
    const content = Buffer.from('mirra'.repeat(1000) + 'MIRRA'.repeat(600) + 'mirraMIRRAmirra.mirr.mirra' + 'x'.repeat(30) + 'mIRRAmirra', 'latin1');
    read.fill(0x2e);
    content.copy(read, 3);
    const view = read.subarray(3, 3 + content.length);
    expect(stems(view)).toEqual(reference(view));
    expect(stems(view)).toHaveLength(1000 + 600 + 4 + 1);
  });

  it('resumes where the caller says (past the file that holds a hit)', () => {
    read.fill(0x2e);
    for (const at of [10, 17, 40, 60, 300]) read.write('mirra', at, 'latin1');
    const seen: number[] = [];
    forEachTraceCandidate(read, (at) => {
      seen.push(at);
      return at < 100 ? 200 : -1;
    });
    expect(seen).toEqual([10, 300]);
  });
});
