// Offsets to 1-based lines and columns, and the masked line a reporter shows. Columns count UTF-16
// code units, as ESLint and SARIF do; for bytes the line is decoded as UTF-8 first.

import type { Snippet } from '../finding.js';
import { countLineFeeds } from './line-feeds.js';
import { MAX_ENCODED_KEY_LENGTH } from './key-format.js';
import { DETECTOR_WORK } from './work.js';

export { countLineFeeds } from './line-feeds.js';

export interface Position {
  line: number;
  column: number;
}

const SNIPPET_CONTEXT = 60;

export class LineLocator {
  private readonly newlines: number[] = [];
  private scannedTo = 0;
  /** The last column measured (offset and width on its line): the next one on that line is measured from there. */
  private lastLine = -1;
  private lastOffset = 0;
  private lastWidth = 0;

  /** `bytes`: the text is one char per byte (latin1 view of a buffer). */
  constructor(
    private readonly text: string,
    private readonly bytes: boolean,
  ) {}

  /** How many newlines come before `offset` (its 0-based line). Newlines are found by one forward pass, on demand. */
  lineIndexOf(offset: number): number {
    while (this.scannedTo <= offset && this.scannedTo < this.text.length) {
      const nl = this.text.indexOf('\n', this.scannedTo);
      if (nl < 0) {
        this.scannedTo = this.text.length;
        break;
      }
      this.newlines.push(nl);
      this.scannedTo = nl + 1;
    }
    let lo = 0;
    let hi = this.newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.newlines[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo; // number of newlines before offset
  }

  lineStart(lineIndex: number): number {
    return lineIndex === 0 ? 0 : this.newlines[lineIndex - 1] + 1;
  }

  /** Where the line ends (its newline, or the text's end), for a line `lineIndexOf` has returned. */
  lineEnd(lineIndex: number): { end: number; newline: boolean } {
    return lineIndex < this.newlines.length ? { end: this.newlines[lineIndex], newline: true } : { end: this.text.length, newline: false };
  }

  private width(from: number, to: number): number {
    DETECTOR_WORK.charsMeasured += to - from;
    const s = this.text.slice(from, to);
    return this.bytes ? Buffer.from(s, 'latin1').toString('utf8').length : s.length;
  }

  /**
   * Keys are located in order, so the width of a line up to each one is measured on from the last:
   * a line of megabytes holding thousands of keys costs its length, not its length times the keys.
   */
  position(offset: number): Position {
    const index = this.lineIndexOf(offset);
    const onFromLast = index === this.lastLine && offset >= this.lastOffset;
    const width = onFromLast ? this.lastWidth + this.width(this.lastOffset, offset) : this.width(this.lineStart(index), offset);
    this.lastLine = index;
    this.lastOffset = offset;
    this.lastWidth = width;
    return { line: index + 1, column: width + 1 };
  }

  /** The line holding `[start, end)`, every listed span on it replaced by its mask. */
  snippet(start: number, end: number, masks: ReadonlyArray<{ start: number; end: number; mask: string }>): Snippet {
    const index = this.lineIndexOf(start);
    const ls = this.lineStart(index);
    let le = this.text.indexOf('\n', start);
    if (le < 0) le = this.text.length;
    if (le > ls && this.text.charCodeAt(le - 1) === 13) le--;
    const from = Math.max(ls, start - SNIPPET_CONTEXT);
    const to = Math.min(le, Math.max(end, start) + SNIPPET_CONTEXT);
    let text = '';
    let markerStart = 0;
    let markerLength = 1;
    let i = from;
    // `masks` is in order of start, each at most MAX_ENCODED_KEY_LENGTH long: only those near this key are looked at.
    for (let k = firstStartingFrom(masks, from - MAX_ENCODED_KEY_LENGTH); k < masks.length && masks[k].start < to; k++) {
      const m = masks[k];
      DETECTOR_WORK.charsMeasured++;
      if (m.end <= from) continue;
      const s = Math.max(m.start, i);
      text += this.readable(i, s);
      if (m.start === start) {
        markerStart = text.length;
        markerLength = m.mask.length;
      }
      text += m.mask;
      i = Math.max(i, m.end);
    }
    text += this.readable(i, Math.max(i, to));
    return {
      text: (from > ls ? '…' : '') + text + (to < le ? '…' : ''),
      markerStart: markerStart + (from > ls ? 1 : 0),
      markerLength,
    };
  }

  private readable(from: number, to: number): string {
    DETECTOR_WORK.charsMeasured += to - from;
    const s = this.text.slice(from, to);
    const decoded = this.bytes ? Buffer.from(s, 'latin1').toString('utf8') : s;
    // Control characters (binary data, stray escapes) would garble a terminal.
    return decoded.replace(/[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/g, '.').replace(/\t/g, ' ');
  }
}

/** The index of the first of `spans` (sorted by start) that starts at `at` or later. */
function firstStartingFrom(spans: ReadonlyArray<{ start: number }>, at: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].start < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Newlines before an offset, counted once: a large file's window asks for the lines before each
 * region with a key and then before the next window's start, and each byte is counted one time.
 */
export class NewlineCounter {
  private at: number;
  private lines = 0;

  /** Counts from `start` (after a BOM, say). */
  constructor(
    private readonly buf: Buffer,
    start = 0,
  ) {
    this.at = start;
  }

  /** Newlines in `buf[start, offset)`. */
  before(offset: number): number {
    if (offset >= this.at) this.lines += countLineFeeds(this.buf, this.at, offset);
    else this.lines -= countLineFeeds(this.buf, offset, this.at);
    this.at = offset;
    return this.lines;
  }
}
