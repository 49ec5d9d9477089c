// Counting line feeds: the WebAssembly SIMD loop (in read buffers) and the JavaScript one agree with
// a plain count, at every offset and length.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateReadBuffer, countLineFeeds } from '../../src/detector/index.js';
import { countInJs, countsWithSimd, stemSearchLimit } from '../../src/detector/line-feeds.js';
import { NewlineCounter } from '../../src/detector/locate.js';

const plainCount = (b: Buffer, from: number, to: number) => {
  let n = 0;
  for (let i = from; i < to; i++) if (b[i] === 10) n++;
  return n;
};

describe('countLineFeeds', () => {
  const readBuffer = allocateReadBuffer(1 << 20);

  it('property: SIMD (read buffer), JS (any buffer) and a plain loop agree on any range', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 6000 }),
        fc.integer({ min: 0, max: 15 }),
        fc.nat(),
        fc.nat(),
        (bytes, shift, a, b) => {
          const data = Buffer.from(bytes.map((x) => (x % 7 === 0 ? 10 : x)));
          data.copy(readBuffer, shift);
          const view = readBuffer.subarray(shift, shift + data.length);
          const from = a % (data.length + 1);
          const to = from + (b % (data.length - from + 1));
          const want = plainCount(data, from, to);
          expect(countLineFeeds(view, from, to)).toBe(want);
          expect(countLineFeeds(data, from, to)).toBe(want);
          expect(countInJs(view, from, to)).toBe(want);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a whole read buffer of line feeds (no lane of the SIMD sum overflows)', () => {
    readBuffer.fill(10);
    expect(countLineFeeds(readBuffer, 0, readBuffer.length)).toBe(readBuffer.length);
    expect(countLineFeeds(readBuffer, 5, readBuffer.length - 3)).toBe(readBuffer.length - 8);
    readBuffer.fill(0);
    expect(countLineFeeds(readBuffer, 0, readBuffer.length)).toBe(0);
  });

  it('read buffers are counted by the WebAssembly SIMD loop: a silent fall back to JavaScript fails here', () => {
    // Node 20.19+ has WebAssembly SIMD everywhere this package runs; without it the big-file scan is ~10x slower.
    expect(countsWithSimd(readBuffer)).toBe(true);
    expect(countsWithSimd(allocateReadBuffer(4096))).toBe(true);
    expect(countsWithSimd(Buffer.alloc(4096))).toBe(false);
    expect(stemSearchLimit(readBuffer)).toBeGreaterThan(0); // the SIMD stem search too
  });

  it('NewlineCounter counts forwards and back', () => {
    const text = Buffer.from('a\nbb\n\nccc\nd');
    const counter = new NewlineCounter(text, 0);
    expect(counter.before(5)).toBe(2);
    expect(counter.before(text.length)).toBe(4);
    expect(counter.before(2)).toBe(1);
    expect(new NewlineCounter(text, 2).before(6)).toBe(2);
  });
});
